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
import type { FormController, FormOptions } from './form/controller';
import { doctypeSchema, type DoctypeSchema } from './form/standard-schema';
import { compileRules } from './rules/compile';
import type { CompiledRules, DocData } from './rules/types';
import { createEngine as createRunEngine, type Engine as RunEngine } from './run/engine';
import type { EngineOptions, RunCallOptions, RunRecord, RunRequest } from './run/types';
import type { DocType } from './schema/types';
import { traceFlow, withFlows, type FlowConfig, type FlowTrace } from './flow/index';
import { withLazyWorkflow } from './workflow/lazy';
import type { WorkflowOptions } from './workflow/setup';

/** A document reference: its DocType and, for a stored one, its name (or the document itself). */
export interface DocRef {
  readonly doctype: string;
  readonly name?: string;
  /** The document as the caller holds it (skips reading it). */
  readonly doc?: DocData;
}

/** Options of `engine.form()`: the document and who edits it (the engine supplies its clock, ids and default user). */
export type EngineFormOptions = Omit<FormOptions, 'defaultUser' | 'clock' | 'ids'>;

/**
 * What types an engine: `coworker types` generates `Schema` (`{ doctypes: DocTypes; mandatory: MandatoryFields }`);
 * a bare DocType map (`DocTypes`) works too, without mandatory checks. Without one, runs are untyped.
 */
export type DocTypeMap = object;

/** The DocType map of a schema (or the map itself). */
export type DocsOf<S> = S extends { readonly doctypes: infer D } ? D : S;
/** The DocType names of a schema `S`. */
export type NameOf<S> = Extract<keyof DocsOf<S>, string>;
/** The document type of DocType `K` in schema `S`. */
export type DocOf<S, K extends NameOf<S>> = DocsOf<S>[K];
/** The fields a create of DocType `K` must give, per the schema's `mandatory` map. */
export type MandatoryOf<S, K> = S extends { readonly mandatory: infer R } ? (K extends keyof R ? R[K] : never) : never;

/** Values a run may give for a DocType: any of its fields (plus `name` / `modified` to name the document). */
export type DocValues<S, K extends NameOf<S>> =
  { readonly [P in keyof DocOf<S, K>]?: DocOf<S, K>[P] } & { readonly name?: string; readonly modified?: string };

/** Values a create must give: its mandatory fields (those with no default, not fetched, not read-only) are required. */
export type CreateValues<S, K extends NameOf<S>> = DocValues<S, K> & {
  readonly [P in MandatoryOf<S, K> & keyof DocOf<S, K>]-?: Exclude<DocOf<S, K>[P], null | undefined>;
};

/** The operation names that insert a new document (a draft create may leave mandatory fields out). */
export type CreateOperation = 'create' | 'insert' | 'new' | 'add';

/** A request naming DocType `K` as its target or source. */
export type Doctyped<K> =
  | { readonly target_doctype: K; readonly source_doctype?: string; readonly doctype?: undefined }
  | { readonly source_doctype: K; readonly target_doctype?: undefined; readonly doctype?: undefined }
  | { readonly doctype: K; readonly target_doctype?: undefined; readonly source_doctype?: undefined };

/** A run request typed by the schema: input values are the DocType's fields; a create gives its mandatory ones. */
export type TypedRunRequest<S, K extends NameOf<S>, O extends string = string> =
  Omit<RunRequest, 'operation' | 'target_doctype' | 'source_doctype' | 'doctype' | 'input'> & Doctyped<K> & {
    readonly operation: O;
    readonly input?: {
      readonly data?: O extends CreateOperation ? CreateValues<S, K> : DocValues<S, K>;
      readonly [key: string]: unknown;
    };
  };

/** A draft create: mandatory fields may be missing (the draft reports them as issues). */
export type TypedDraftRequest<S, K extends NameOf<S>> =
  Omit<TypedRunRequest<S, K, CreateOperation>, 'input' | 'options'> & {
    readonly options: RunRequest['options'] & { readonly draft: true };
    readonly input?: { readonly data?: DocValues<S, K>; readonly [key: string]: unknown };
  };

/** A request naming no DocType (custom operations, flows): untyped. */
export type UntypedRunRequest = RunRequest & { readonly target_doctype?: undefined; readonly source_doctype?: undefined; readonly doctype?: undefined };

/** A run record whose documents are typed by the schema. */
export type TypedRunRecord<S, K extends NameOf<S>> = Omit<RunRecord, 'output'> & {
  readonly output: { readonly data: readonly DocOf<S, K>[]; readonly meta: Readonly<Record<string, unknown>>; readonly fields?: readonly string[] } | null;
};

/** Options of {@link createEngine}: the run layer's, and the capabilities built on it. */
export interface CreateEngineOptions extends EngineOptions {
  /**
   * Frappe Workflow (docs/workflow.md): the Workflow DocTypes, the check on every save, `apply_workflow` and
   * `get_transitions`. `false` leaves it out. @default {} (on, with Desk's rules)
   */
  readonly workflow?: WorkflowOptions | false;
  /**
   * Flows (docs/flows.md): the `Flow Template` DocTypes and the `flow` / `resume_flow` operations. `false`
   * leaves them out. @default {} (on)
   */
  readonly flows?: FlowConfig | false;
}

/** The engine: `run()` and everything built on it. */
export interface Engine<M extends DocTypeMap = Record<string, DocData>> extends Omit<RunEngine, 'run' | 'trace'> {
  /**
   * The runs that wrote a stored document (`storeRuns`); for a document a flow step wrote, also the step run,
   * its flow and the template.
   */
  trace(doctype: string, name: string): Promise<FlowTrace>;
  /**
   * Run one operation. Always resolves to the run record (failed runs carry `error`); throws only when
   * `request` is not an object. With a schema (`createEngine<Schema>()`), a request naming a DocType is typed
   * by it: unknown fields, wrong value types and (for creates) missing mandatory fields do not compile.
   */
  run<K extends NameOf<M>>(request: TypedDraftRequest<M, K>, call?: RunCallOptions): Promise<TypedRunRecord<M, K>>;
  run<K extends NameOf<M>, O extends string>(request: TypedRunRequest<M, K, O>, call?: RunCallOptions): Promise<TypedRunRecord<M, K>>;
  run(request: string extends NameOf<M> ? RunRequest : UntypedRunRequest, call?: RunCallOptions): Promise<RunRecord>;
  /**
   * The Standard Schema v1 validator of a DocType: `schema['~standard'].validate(value)`, synchronous.
   * @throws {SchemaError} `UNKNOWN_DOCTYPE` when the registry does not hold it
   */
  schema<K extends NameOf<M>>(doctype: K): DoctypeSchema<DocOf<M, K> & DocData>;
  schema(doctype: string): DoctypeSchema;
  /**
   * What `user` may do with a document now: `save`, `submit`, `cancel`, `amend`, `delete`, or the workflow's
   * actions when the DocType has an active workflow (Desk's toolbar).
   */
  allowedActions(ref: DocRef, user?: User): Promise<string[]>;
  /** Open a form controller on a new or stored document. */
  form(options: EngineFormOptions): Promise<FormController>;
  /**
   * A `select` as an async iterator: pages through the results with one permission-checked `select` run per page
   * (`take` = `pageSize`, `skip` advancing), so large results never sit in memory at once. Without an
   * `orderBy` the pages are ordered by `name` (a stable order; offsets move if documents are written meanwhile).
   * A page whose run fails ends the iteration by throwing {@link SelectPageError} with that run.
   * @example for await (const order of engine.iterate({ operation: 'select', source_doctype: 'Sales Order' }, { pageSize: 200 })) { ... }
   */
  iterate<K extends NameOf<M>>(request: TypedRunRequest<M, K, 'select'>, options?: IterateOptions): AsyncIterableIterator<DocOf<M, K>>;
  iterate(request: RunRequest, options?: IterateOptions): AsyncIterableIterator<DocData>;
}

/** Options of `engine.iterate()`. */
export interface IterateOptions {
  /** Documents per `select` run. @default 100 */
  readonly pageSize?: number;
  /** Stops the iteration: the next page's run is refused with `ABORTED`. */
  readonly signal?: RunCallOptions['signal'];
}

/** Thrown by `engine.iterate()` when the `select` run of a page fails. */
export class SelectPageError extends Error {
  constructor(readonly run: RunRecord) {
    super(`select failed: ${run.error?.code ?? ''} ${run.error?.message ?? ''}`.trim());
    this.name = 'SelectPageError';
  }
}

/**
 * Create an engine. Pass the generated DocType map as the type argument for typed runs:
 * `createEngine<DocTypes>({ doctypes })`.
 *
 * @example
 * const engine = createEngine({ doctypes: [todoJson], adapter: memoryAdapter(), user: { name: 'a@x.com', roles: ['System Manager'] } });
 * const r = await engine.run({ operation: 'create', target_doctype: 'ToDo', input: { data: { description: 'Call' } } });
 * engine.schema('ToDo')['~standard'].validate({ description: 'Call' });   // { value: {...} }
 * @param given - see {@link EngineOptions}
 * @returns the engine
 * @throws {SchemaError} when a DocType JSON does not parse; {@link CoworkerError} `ENGINE_CONFIG` for bad options
 */
export function createEngine<M extends DocTypeMap = Record<string, DocData>>(given: CreateEngineOptions = {}): Engine<M> {
  const { workflow, flows, ...runOptions } = given;
  let options: EngineOptions = runOptions;
  // Workflow and flows plug in through the run layer's extension points (controllers, custom operations); an
  // app that already applied withWorkflow / withFlows to its options keeps what it applied.
  if (workflow !== false && !Object.hasOwn(options.operations ?? {}, 'apply_workflow')) options = withLazyWorkflow(options, workflow ?? {});
  if (flows !== false && !Object.hasOwn(options.operations ?? {}, 'flow')) options = withFlows(options, flows ?? {});
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
    const meta = r.output.meta as { workflow?: unknown; editable?: unknown };
    if (!meta.workflow) return undefined;
    // The transitions the user may take now (self-approval rules applied), by action name.
    const actions = r.output.data.filter((t) => t.self_approval_ok !== false).map((t) => String(t.action));
    return { actions: [...new Set(actions)], allowEdit: meta.editable !== false };
  }
  const servesWorkflow = () => Object.hasOwn(options.operations ?? {}, 'get_transitions');

  const engine = {
    ...base,
    run: (request: RunRequest, call?: RunCallOptions) => base.run(request, call),
    on: base.on,
    edit: base.edit,
    trace: (doctype: string, name: string) => traceFlow(base, doctype, name),
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
    async *iterate(request: RunRequest, opts: IterateOptions = {}): AsyncIterableIterator<DocData> {
      const pageSize = opts.pageSize ?? 100;
      if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, not ${pageSize}`);
      const query = request.query ?? {};
      const orderBy = query.orderBy ?? [{ name: 'asc' as const }];
      const limit = query.take;
      let skip = query.skip ?? 0;
      let yielded = 0;
      for (;;) {
        const take = limit === undefined ? pageSize : Math.min(pageSize, limit - yielded);
        if (take <= 0) return;
        const r = await base.run({ ...request, operation: 'select', query: { ...query, orderBy, take, skip } }, opts.signal ? { signal: opts.signal } : undefined);
        if (!r.success) throw new SelectPageError(r);
        const page = r.output?.data ?? [];
        for (const doc of page) yield doc;
        yielded += page.length;
        skip += page.length;
        if (page.length < take) return;
      }
    },
    async form(opts: EngineFormOptions): Promise<FormController> {
      // The form controller loads on the first form opened (a chunk of its own for bundlers).
      const { openForm } = await import('./form/controller');
      return openForm(
        { run: (r) => base.run(r), registry, ...(servesWorkflow() ? { workflowFor } : {}) },
        { ...opts, defaultUser, ...(options.clock ? { clock: options.clock } : {}), ...(options.ids ? { ids: options.ids } : {}) },
      );
    },
  };
  return engine as unknown as Engine<M>;
}
