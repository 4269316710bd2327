/**
 * What every operation of a run reads: the engine's configuration (the "core", built once by
 * `createEngine`) and the per-run context (user, agent, DocTypes, options). Plain data and injected
 * functions; nothing here performs an effect.
 *
 * @module
 */
import type { Clock, IdGenerator, User } from '../env';
import type { CompiledRules } from '../rules/types';
import type { Registry } from '../schema/registry';
import type { DocType } from '../schema/types';
import type { StorageAdapter } from '../storage/types';
import type { FieldtypeHandlers } from '../values/handlers';
import type { EditStore } from './edit-state';
import type { Stamper } from './timestamps';
import type { Query } from '../storage/types';
import type { RunOptions, RunRecord, RunRequest, SystemFieldRule } from './types';
import type { Issue } from '../issues';
import type { RunFlag, RunFlags } from './flags';
import type { UnknownKeyPolicy } from './input';
import type { DoctypeDocuments, UnknownLinkPolicy } from './links';
import type { ControllerSet } from './controllers';
import type { VirtualFieldSet } from './virtual-fields';
import type { FormatSettings } from './version-format';
import type { StorageSession } from '../storage/types';

/** The engine's configuration, shared by all runs. */
export interface EngineCore {
  readonly registry: Registry;
  readonly adapter: StorageAdapter;
  readonly handlers: FieldtypeHandlers;
  readonly rulesFor: (doctype: DocType) => CompiledRules;
  readonly stamper: Stamper;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly timeZone: string;
  readonly appendOnly: ReadonlySet<string>;
  readonly systemRules: readonly SystemFieldRule[];
  readonly enforceMandatoryDependsOn: boolean;
  readonly edits: EditStore;
  readonly readOnlyInput: 'accept' | 'refuse';
  readonly unknownKeys: UnknownKeyPolicy;
  readonly unknownLinks: UnknownLinkPolicy;
  readonly allowedFlags: ReadonlySet<RunFlag>;
  /** The registry's DocTypes as documents of DocType `DocType`, for reads. */
  readonly doctypeDocuments: DoctypeDocuments;
  /** Controller hooks per DocType (see lifecycle.ts). @default none */
  readonly controllers?: ControllerSet;
  /** The site's formats Version diffs are written in (engine option `formatSettings`). @default {} */
  readonly formatSettings?: FormatSettings;
  /** The virtual fields of the DocTypes, computed on every read out (virtual-fields.ts). @default none */
  readonly virtualFields?: VirtualFieldSet;
  /** Run `before_validate` / `validate` in draft previews (engine option `draftHooks`). @default false */
  readonly draftHooks?: boolean;
  /** How Password values are sealed in `__Auth` (engine option `encryptionKey`). @default in clear */
  readonly secretCipher?: import('./passwords').SecretCipher;
  /** Start a child run of a hook inside the hook's transaction `session` (the engine's `run`). */
  readonly runChild?: (request: RunRequest, session: StorageSession) => Promise<RunRecord>;
}

/** What a run collects besides its output: warnings (non-blocking issues), kept on the run record. */
export interface RunNotes {
  readonly warnings: Issue[];
}

/** One run as the operations see it. */
export interface RunContext {
  readonly core: EngineCore;
  /** The run's own name (an edit opened by a draft run takes it as its id). */
  readonly runName: string;
  readonly operation: string;
  readonly source: string | null;
  readonly target: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  /** The whole `input` (select reads Frappe's list arguments from it). @default null */
  readonly input?: Readonly<Record<string, unknown>> | null;
  readonly query: Query | null;
  readonly options: RunOptions;
  readonly user: User;
  readonly agent: string | null;
  readonly parentRunId: string | null;
  /** Frappe document flags in effect (allowed by the engine and set in `options.flags`). */
  readonly flags: RunFlags;
  /** Where the operations put warnings for the run record. */
  readonly notes: RunNotes;
  /** The user's User Permissions (engine option `resolveUserPermissions`); `undefined`: unrestricted. */
  readonly userPermissions?: import('../permissions/types').UserPermissions | undefined;
  /** System Settings `apply_strict_user_permissions` (engine option `strictUserPermissions`). @default false */
  readonly strictUserPermissions?: boolean;
}

/** What a built-in operation returns. */
export interface OperationOutcome {
  readonly data: readonly Readonly<Record<string, unknown>>[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly fields?: readonly string[];
  /** The document written (for the record's `docname`). */
  readonly docname?: string | null;
}

/** Child DocTypes of a DocType by Table fieldname (unknown child DocTypes are left out). */
export function childrenOf(registry: Registry, doctype: DocType): Readonly<Record<string, DocType>> {
  const out: Record<string, DocType> = Object.create(null); // fieldnames like `constructor` look up nothing inherited
  for (const df of doctype.fields) {
    if (df.fieldclass !== 'table') continue;
    const child = registry.tryGet(df.options);
    if (child) out[df.fieldname] = child;
  }
  return out;
}
