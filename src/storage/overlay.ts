/**
 * Copy-on-write state for the memory adapter. A {@link Level} is one layer of changes over its parent:
 * the root holds the committed data in plain `Map`s; a transaction (or a single write) is a child level
 * that records only what it changed. Commit merges those changes into the parent in one synchronous loop
 * (nothing can fail half-way); rollback drops the level. Cost is proportional to what changed, not to the
 * size of the tables.
 *
 * @module
 */
import { createMutex } from './mutex';
import type { Mutex } from './mutex';

/** A string-keyed map readable through any number of layers. */
export interface KeyValue<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  entries(): Iterable<[string, V]>;
}

const GONE: unique symbol = Symbol('gone');

/**
 * Makes the spaces of a level: `root` for the committed data (a `Map` unless a factory says otherwise),
 * `over` for a child level's changes over its parent's space.
 */
export interface SpaceFactory {
  root(key: string): KeyValue<unknown> | undefined;
  over(key: string, base: KeyValue<unknown>): KeyValue<unknown> | undefined;
}

/** Changes over a base map; reads fall through to the base for keys not changed here. */
export class Overlay<V> implements KeyValue<V> {
  private readonly changes = new Map<string, V | typeof GONE>();

  constructor(private readonly base: KeyValue<V>) {}

  get(key: string): V | undefined {
    const change = this.changes.get(key);
    if (change === undefined) return this.base.get(key);
    return change === GONE ? undefined : change;
  }

  set(key: string, value: V): void {
    this.changes.set(key, value);
  }

  delete(key: string): void {
    this.changes.set(key, GONE);
  }

  *entries(): Iterable<[string, V]> {
    for (const entry of this.base.entries()) if (!this.changes.has(entry[0])) yield entry;
    for (const [key, value] of this.changes) if (value !== GONE) yield [key, value];
  }

  /** Apply the recorded changes to `target` (the base). */
  mergeInto(target: KeyValue<V>): void {
    for (const [key, value] of this.changes) {
      if (value === GONE) target.delete(key);
      else target.set(key, value);
    }
  }
}

/** One layer of state: named spaces (one per table, index and the counters), each a {@link KeyValue}. */
export class Level {
  /** Serialises writes and nested transactions on this level. */
  readonly lock: Mutex = createMutex();
  private readonly spaces = new Map<string, KeyValue<unknown>>();

  /**
   * @param parent - the level this one is layered on; none for the root
   * @param factory - makes special spaces (indexed tables); inherited by child levels
   */
  constructor(readonly parent?: Level, private readonly factory: SpaceFactory | undefined = parent?.factory) {}

  /**
   * The space named `key`, created on first use (a `Map` at the root, an overlay elsewhere).
   * @param key - e.g. `rows:Sales Order`
   * @returns the space
   */
  space<V>(key: string): KeyValue<V> {
    let found = this.spaces.get(key);
    if (!found) {
      if (this.parent) {
        const base = this.parent.space(key);
        found = this.factory?.over(key, base) ?? new Overlay(base);
      } else found = this.factory?.root(key) ?? new Map<string, unknown>();
      this.spaces.set(key, found);
    }
    return found as KeyValue<V>;
  }

  /** Merge every change of this level into its parent. Synchronous: no other task can see half of it. */
  commit(): void {
    const parent = this.parent;
    if (!parent) return;
    for (const [key, space] of this.spaces) (space as Overlay<unknown>).mergeInto(parent.space(key));
  }
}
