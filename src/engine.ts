/**
 * The engine users create: the run layer's engine (`run()`, events, stores) with the capabilities built above
 * it attached: Standard Schema validators per DocType, the actions a user may take on a document, and form
 * controllers. Each lives in its own folder and talks to the engine only through `run()`; this module is the
 * one place that puts them together, so the run layer never imports what is built on top of it.
 *
 * @module
 */
import type { User } from './env';
import { documentActions } from './form/actions';
import { openForm, type FormController } from './form/controller';
import { doctypeSchema, type DoctypeSchema } from './form/standard-schema';
import { compileRules } from './rules/compile';
import type { CompiledRules, DocData } from './rules/types';
import { createEngine as createRunEngine, type Engine as RunEngine } from './run/engine';
import type { EngineOptions, RunRecord, RunRequest } from './run/types';
import type { DocType } from './schema/types';

/** A document reference: its DocType and, for a stored one, its name (or the document itself). */
export interface DocRef {
  readonly doctype: string;
  readonly name?: string;
  /** The document as the caller holds it (skips reading it). */
  readonly doc?: DocData;
}

/** Options of `engine.form()`. */
export interface EngineFormOptions {
  readonly doctype: string;
  /** A stored document; omit for a new one. */
  readonly name?: string;
  /** Initial values of a new document. */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Who edits. @default the engine's user */
  readonly user?: User;
  readonly agent?: string | null;
}

/**
 * DocType name -> document type, as `coworker types` generates it (`DocTypes`). With it, `engine.run` checks
 * input values and types `output.data` per DocType.
 */
export type DocTypeMap = object;

type NameOf<M> = Extract<keyof M, string>;

/** A run request typed by the DocType map: input values are the DocType's fields. */
export type TypedRunRequest<M, K extends NameOf<M>> = Omit<RunRequest, 'target_doctype' | 'source_doctype' | 'doctype' | 'input'> & (
  | { readonly target_doctype: K; readonly source_doctype?: string; readonly doctype?: undefined }
  | { readonly source_doctype: K; readonly target_doctype?: undefined; readonly doctype?: undefined }
  | { readonly doctype: K; readonly target_doctype?: undefined; readonly source_doctype?: undefined }
) & {
  readonly input?: { readonly data?: { readonly [P in keyof M[K]]?: M[K][P] } & { readonly name?: string; readonly modified?: string }; readonly [key: string]: unknown };
};

/** A run record whose documents are typed by the DocType map. */
export type TypedRunRecord<M, K extends NameOf<M>> = Omit<RunRecord, 'output'> & {
  readonly output: { readonly data: readonly M[K][]; readonly meta: Readonly<Record<string, unknown>>; readonly fields?: readonly string[] } | null;
};

/** The engine: `run()` and everything built on it. */
export interface Engine<M extends DocTypeMap = Record<string, DocData>> extends Omit<RunEngine, 'run'> {
  /**
   * Run one operation. Always resolves to the run record (failed runs carry `error`).
   * With a DocType map, requests naming a DocType of the map are typed by it.
   */
  run<K extends NameOf<M>>(request: TypedRunRequest<M, K>): Promise<TypedRunRecord<M, K>>;
  run(request: RunRequest): Promise<RunRecord>;
  /**
   * The Standard Schema v1 validator of a DocType: `schema['~standard'].validate(value)`, synchronous.
   * @throws {SchemaError} `UNKNOWN_DOCTYPE` when the registry does not hold it
   */
  schema<K extends NameOf<M>>(doctype: K): DoctypeSchema<M[K] & DocData>;
  schema(doctype: string): DoctypeSchema;
  /**
   * What `user` may do with a document now: `save`, `submit`, `cancel`, `amend`, `delete`, or the workflow's
   * actions when the DocType has an active workflow (Desk's toolbar).
   */
  allowedActions(ref: DocRef, user?: User): Promise<string[]>;
  /** Open a form controller on a new or stored document. */
  form(options: EngineFormOptions): Promise<FormController>;
}

/**
 * Create an engine. Pass the generated DocType map as the type argument for typed runs:
 * `createEngine<DocTypes>({ doctypes })`.
 *
 * @example
 * const engine = createEngine({ doctypes: [todoJson], adapter: memoryAdapter(), user: { name: 'a@x.com', roles: ['System Manager'] } });
 * const r = await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'Call' } } });
 * engine.schema('ToDo')['~standard'].validate({ description: 'Call' });   // { value: {...} }
 * @param options - see {@link EngineOptions}
 * @returns the engine
 * @throws {SchemaError} when a DocType JSON does not parse; {@link CoworkerError} `ENGINE_CONFIG` for bad options
 */
export function createEngine<M extends DocTypeMap = Record<string, DocData>>(options: EngineOptions = {}): Engine<M> {
  const base = createRunEngine(options);
  const registry = base.registry;
  const rulesCache = new WeakMap<DocType, CompiledRules>();
  const rulesOf = (dt: DocType): CompiledRules => {
    let r = rulesCache.get(dt);
    if (!r) rulesCache.set(dt, (r = compileRules(dt, registry, options.rules?.[dt.name] ?? {})));
    return r;
  };
  const schemas = new Map<string, DoctypeSchema>();
  const defaultUser: User = options.user ?? { name: 'Administrator', roles: [] };
  const clock = options.clock;

  /** The workflow's actions for a document, when a workflow is served (`get_transitions`). */
  async function workflowFor(doctype: string, doc: DocData, user: User | undefined): Promise<{ actions: string[]; allowEdit: boolean } | undefined> {
    if (typeof doc.name !== 'string') return undefined;
    const r = await base.run({ operation: 'get_transitions', source_doctype: doctype, input: { data: { name: doc.name } }, ...(user ? { user } : {}) });
    if (!r.success || !r.output) return undefined;
    const meta = r.output.meta as { workflow?: unknown; allow_edit?: unknown };
    if (!meta.workflow) return undefined;
    const actions = r.output.data.filter((t) => t.allowed !== false).map((t) => String(t.action));
    return { actions: [...new Set(actions)], allowEdit: meta.allow_edit !== false };
  }
  const servesWorkflow = () => Object.hasOwn(options.operations ?? {}, 'get_transitions');

  const engine = {
    ...base,
    run: (request: RunRequest) => base.run(request),
    on: base.on,
    edit: base.edit,
    trace: base.trace,
    ready: base.ready,
    runs: base.runs,
    registry,
    adapter: base.adapter,
    schema(doctype: string): DoctypeSchema {
      let s = schemas.get(doctype);
      if (!s) {
        const rules = rulesOf(registry.get(doctype));
        s = doctypeSchema(rules, () => ({
          enforceMandatoryDependsOn: options.enforceMandatoryDependsOn ?? true,
          user: defaultUser,
          ...(clock ? { now: clock() } : {}),
          ...(options.handlers ? { handlers: options.handlers } : {}),
        }));
        schemas.set(doctype, s);
      }
      return s;
    },
    async allowedActions(ref: DocRef, user?: User): Promise<string[]> {
      const dt = registry.get(ref.doctype);
      const who = user ?? defaultUser;
      let doc = ref.doc;
      if (!doc && ref.name !== undefined) {
        const r = await base.run({ operation: 'takeone', source_doctype: dt.name, input: { data: { name: ref.name } }, ...(user ? { user } : {}) });
        if (!r.success) return [];
        doc = r.output?.data[0];
      }
      const isNew = !doc || typeof doc.name !== 'string' || ref.name === undefined && doc.__islocal === 1;
      const wf = !isNew && doc && servesWorkflow() ? await workflowFor(dt.name, doc, user) : undefined;
      return documentActions(dt, doc ?? {}, who, {
        isNew,
        ...(wf ? { workflowActions: wf.actions, workflowAllowsEdit: wf.allowEdit } : {}),
      });
    },
    form(opts: EngineFormOptions): Promise<FormController> {
      return openForm(
        { run: (r) => base.run(r), registry, ...(servesWorkflow() ? { workflowFor } : {}) },
        { ...opts, defaultUser, ...(options.clock ? { clock: options.clock } : {}), ...(options.ids ? { ids: options.ids } : {}) },
      );
    },
  };
  return engine as unknown as Engine<M>;
}
