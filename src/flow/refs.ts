/**
 * Step references: `{{input.x}}`, `{{step.output.data[0].x}}`, `{{step.x}}` (the one-document shortcut),
 * `{{step}}` (that document), with `.key`, `["key"]` and `[index]` accessors. References are parsed once, when
 * the template is checked, and resolved to **values** at run time: never spliced into code. A string that is
 * exactly one reference takes the referenced value with its type; a reference inside a longer string is
 * stringified (strings as they are, numbers and booleans with `String`, `null` as `''`, objects and lists as
 * JSON).
 *
 * @module
 */

/** One accessor of a reference path. */
export type PathPart = { readonly key: string } | { readonly index: number };

/** A parsed reference. `root` is `input` or a step id. */
export interface Reference {
  readonly root: string;
  readonly path: readonly PathPart[];
  /** The reference as written, without the braces, trimmed. */
  readonly text: string;
}

/** A string split into literal text and references. */
export type Segment = string | Reference;

/** Why a reference did not parse. */
export interface ReferenceProblem {
  readonly message: string;
  /** The text of the string in which it was found. */
  readonly source: string;
  /** Character index in `source`. */
  readonly index: number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Parse the inside of `{{ ... }}`. @returns the reference, or a message */
export function parseReference(inner: string): Reference | string {
  const text = inner.trim();
  const m = IDENT.exec(text);
  if (!m) return `a reference starts with input or a step id, found "${text}"`;
  const root = m[0];
  const path: PathPart[] = [];
  let i = root.length;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const k = /^[A-Za-z0-9_$-]+/.exec(text.slice(i + 1));
      if (!k) return `expected a key after "." at ${i} in "${text}"`;
      path.push({ key: k[0] });
      i += 1 + k[0].length;
    } else if (c === '[') {
      const rest = text.slice(i);
      const num = /^\[(\d+)\]/.exec(rest);
      const str = /^\[(?:"([^"\\]*)"|'([^'\\]*)')\]/.exec(rest);
      if (num) {
        path.push({ index: Number(num[1]) });
        i += num[0].length;
      } else if (str) {
        path.push({ key: str[1] ?? str[2] ?? '' });
        i += str[0].length;
      } else return `expected [index] or ["key"] at ${i} in "${text}"`;
    } else return `unexpected "${c}" at ${i} in "${text}"`;
  }
  return { root, path, text };
}

/**
 * Split a string into text and references.
 * @returns the segments, or the first problem
 */
export function parseTemplateString(s: string): readonly Segment[] | ReferenceProblem {
  const out: Segment[] = [];
  let pos = 0;
  while (pos < s.length) {
    const open = s.indexOf('{{', pos);
    if (open < 0) {
      out.push(s.slice(pos));
      break;
    }
    if (open > pos) out.push(s.slice(pos, open));
    const close = s.indexOf('}}', open + 2);
    if (close < 0) return { message: 'unclosed "{{"', source: s, index: open };
    const ref = parseReference(s.slice(open + 2, close));
    if (typeof ref === 'string') return { message: ref, source: s, index: open };
    out.push(ref);
    pos = close + 2;
  }
  return out;
}

/** Every reference in a JSON-like value (strings of arrays and object values, recursively). */
export function collectReferences(value: unknown, found: Reference[] = [], problems: ReferenceProblem[] = []): { refs: Reference[]; problems: ReferenceProblem[] } {
  if (typeof value === 'string') {
    if (value.includes('{{')) {
      const parsed = parseTemplateString(value);
      if (Array.isArray(parsed)) for (const seg of parsed) if (typeof seg !== 'string') found.push(seg);
      if (!Array.isArray(parsed)) problems.push(parsed as ReferenceProblem);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) collectReferences(v, found, problems);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) collectReferences(v, found, problems);
  }
  return { refs: found, problems };
}

/** A reference whose path is missing from its source at run time. */
export class MissingPath extends Error {
  constructor(readonly reference: Reference, readonly at: string, message: string) {
    super(message);
  }
}

/** What references resolve against: the flow's input data and each settled step's result. */
export interface ReferenceScope {
  readonly input: unknown;
  /** The result of a settled step: its run output. Absent: not run (skipped, failed, not reached). */
  readonly output: (stepId: string) => { readonly data: readonly unknown[]; readonly meta: unknown } | undefined;
}

const own = (o: unknown, k: string): boolean => o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k);

function walk(ref: Reference, start: unknown, parts: readonly PathPart[], label: string): unknown {
  let cur = start;
  let at = label;
  for (const p of parts) {
    if ('index' in p) {
      if (!Array.isArray(cur) || p.index >= cur.length) throw new MissingPath(ref, `${at}[${p.index}]`, `${at} has no item [${p.index}]${Array.isArray(cur) ? ` (${cur.length} items)` : ''}`);
      cur = cur[p.index];
      at = `${at}[${p.index}]`;
    } else {
      const index = /^\d+$/.test(p.key) && Array.isArray(cur) ? Number(p.key) : undefined;
      if (index !== undefined && index < (cur as unknown[]).length) cur = (cur as unknown[])[index];
      else if (own(cur, p.key) && !Array.isArray(cur)) cur = (cur as Record<string, unknown>)[p.key];
      else throw new MissingPath(ref, `${at}.${p.key}`, `${at} has no "${p.key}"`);
      at = `${at}.${p.key}`;
    }
  }
  return cur;
}

/**
 * The value of one reference.
 * @throws {MissingPath} when the path does not exist (never returns `undefined` for a missing key)
 */
export function resolveReference(ref: Reference, scope: ReferenceScope): unknown {
  if (ref.root === 'input') return walk(ref, scope.input, ref.path, 'input');
  const out = scope.output(ref.root);
  if (!out) throw new MissingPath(ref, ref.root, `step "${ref.root}" has no result (it was skipped, failed or did not run)`);
  const first = ref.path[0];
  if (first && 'key' in first && first.key === 'output') return walk(ref, out, ref.path.slice(1), `${ref.root}.output`);
  // The one-document shortcut: {{step.x}} is {{step.output.data[0].x}} when the step returned exactly one document.
  if (out.data.length !== 1) throw new MissingPath(ref, ref.root, `step "${ref.root}" returned ${out.data.length} documents; use {{${ref.root}.output.data[i]...}}`);
  return walk(ref, out.data[0], ref.path, `${ref.root}.output.data[0]`);
}

/** How a referenced value reads inside a longer string. */
export function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Resolve every reference in a JSON-like value, building a new value (the template is never changed).
 * @throws {MissingPath}
 */
export function resolveValue(value: unknown, scope: ReferenceScope): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    const parsed = parseTemplateString(value);
    if (!Array.isArray(parsed)) return value; // refused when the template was checked
    const segs = parsed as readonly Segment[];
    if (segs.length === 1 && typeof segs[0] !== 'string') return resolveReference(segs[0]!, scope);
    return segs.map((s) => (typeof s === 'string' ? s : stringify(resolveReference(s, scope)))).join('');
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, scope));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveValue(v, scope);
    return out;
  }
  return value;
}
