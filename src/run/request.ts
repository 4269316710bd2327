/**
 * Normalising what a caller passed to `run()`: types checked once here (a malformed request is a failed run
 * with `INVALID_RUN`, never a TypeError later), aliases (`from`, `into`, `doctype`) folded into
 * `source_doctype` / `target_doctype`.
 *
 * @module
 */
import type { User } from '../env';
import type { Query } from '../storage/types';
import { RunFailure } from './codes';
import { READ_OPERATIONS } from './operations';
import type { RunInput, RunOptions } from './types';

/** A request after type checks, before operation resolution. */
export interface NormalizedRequest {
  readonly operation: string;
  readonly source_doctype: string | null;
  readonly target_doctype: string | null;
  /** The `doctype` alias, kept until the operation is known. */
  readonly doctype: string | null;
  readonly input: RunInput | null;
  readonly query: Query | null;
  readonly options: RunOptions;
  readonly user: User | undefined;
  readonly agent: string | null;
  /** Roles an agent is limited to (each must be one of its user's). */
  readonly agent_roles: readonly string[] | null;
  readonly parent_run_id: string | null;
  readonly flow_id: string | null;
  readonly flow_type: string | null;
  readonly step_id: string | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalString(req: Record<string, unknown>, key: string, problems: string[]): string | null {
  const v = req[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v === '') {
    problems.push(`${key} must be a non-empty string`);
    return null;
  }
  return v;
}

function optionalObject(req: Record<string, unknown>, key: string, problems: string[]): Record<string, unknown> | null {
  const v = req[key];
  if (v === undefined || v === null) return null;
  if (!isObject(v)) {
    problems.push(`${key} must be an object`);
    return null;
  }
  return v;
}

/**
 * Check a run request's shape and fold the DocType aliases.
 * @param req - what the caller passed (already known to be an object)
 * @returns the normalised request
 * @throws {RunFailure} `INVALID_RUN` listing every problem
 */
export function normalizeRequest(req: Readonly<Record<string, unknown>>): NormalizedRequest {
  const problems: string[] = [];
  const r = req as Record<string, unknown>;
  const operation = typeof r.operation === 'string' && r.operation.trim() !== '' ? r.operation.trim() : '';
  if (!operation) problems.push('operation must be a non-empty string');
  const source = optionalString(r, 'source_doctype', problems) ?? optionalString(r, 'from', problems);
  const target = optionalString(r, 'target_doctype', problems) ?? optionalString(r, 'into', problems);
  const doctype = optionalString(r, 'doctype', problems);
  const input = optionalObject(r, 'input', problems);
  if (input && input.data !== undefined && !isObject(input.data)) problems.push('input.data must be an object');
  const query = optionalObject(r, 'query', problems);
  const options = optionalObject(r, 'options', problems) ?? {};
  let user: User | undefined;
  if (r.user !== undefined && r.user !== null) {
    const u = r.user;
    if (!isObject(u) || typeof u.name !== 'string' || !u.name || !Array.isArray(u.roles) || !u.roles.every((x) => typeof x === 'string')) {
      problems.push('user must be { name: string, roles: string[] }');
    } else user = u as unknown as User;
  }
  const agent = optionalString(r, 'agent', problems);
  let agentRoles: readonly string[] | null = null;
  if (r.agent_roles !== undefined && r.agent_roles !== null) {
    if (!Array.isArray(r.agent_roles) || !r.agent_roles.every((x) => typeof x === 'string')) problems.push('agent_roles must be a list of role names');
    else agentRoles = Object.freeze([...r.agent_roles as string[]]);
  }
  const parent = optionalString(r, 'parent_run_id', problems);
  const flow = optionalString(r, 'flow_id', problems);
  const flowType = optionalString(r, 'flow_type', problems);
  const step = optionalString(r, 'step_id', problems);
  if (problems.length) throw new RunFailure('INVALID_RUN', `Invalid run: ${problems.join('; ')}`);
  return {
    operation, source_doctype: source, target_doctype: target, doctype,
    input: input as RunInput | null, query: query as Query | null, options: options as RunOptions,
    user, agent, agent_roles: agentRoles, parent_run_id: parent, flow_id: flow, flow_type: flowType, step_id: step,
  };
}

/**
 * Where the `doctype` alias goes once the operation is known: reads take it as source, writes as target;
 * a missing side of a read/write falls back to the other (`select` with only `target_doctype` works).
 * @param req - the normalised request
 * @param operation - the canonical operation
 * @returns source and target
 */
export function resolveDoctypes(req: NormalizedRequest, operation: string): { source: string | null; target: string | null } {
  const isRead = READ_OPERATIONS.has(operation);
  let source = req.source_doctype;
  let target = req.target_doctype;
  if (req.doctype) {
    if (isRead) source ??= req.doctype;
    else target ??= req.doctype;
  }
  if (isRead) source ??= target;
  else target ??= source;
  return { source, target };
}

