/**
 * The engine options about secrets and expression budgets, checked once at `createEngine` (bad configuration
 * fails there, never at a run): `encryptionKey` (Fernet, for `__Auth`) and `expressionBudget`.
 *
 * @module
 */
import { CoworkerError } from '../errors';
import { isFernetKey } from '../crypto/fernet';
import type { CompileOptions } from '../expr/compile';
import type { Registry } from '../schema/registry';
import type { StorageAdapter } from '../storage/types';
import { hasPasswordFields, secretCipher, type SecretCipher } from './passwords';
import type { EngineOptions } from './types';

/** What the engine keeps of these options. */
export interface SecurityOptions {
  readonly secretCipher: SecretCipher;
  /** Compile options of every rule expression; `undefined`: the defaults (shared compiled rules). */
  readonly expressions: CompileOptions | undefined;
}

const validLimit = (n: unknown) => n === undefined || n === Infinity || (typeof n === 'number' && Number.isInteger(n) && n > 0);

/**
 * Check and prepare `encryptionKey`, `expressionBudget` and `pythonBudget`.
 * @param options - the engine options
 * @param registry - the engine's DocTypes
 * @param adapter - the engine's storage
 * @returns the cipher and the expression options
 * @throws {CoworkerError} `ENGINE_CONFIG` for a key that is not a Fernet key, Password fields on persistent
 *   storage without a key, or a budget that is not positive integers (or `Infinity`)
 */
export function checkSecurityOptions(options: EngineOptions, registry: Registry, adapter: StorageAdapter): SecurityOptions {
  const key = options.encryptionKey;
  if (key !== undefined && !isFernetKey(key)) {
    throw new CoworkerError('ENGINE_CONFIG', 'encryptionKey must be a Fernet key: 32 bytes in URL-safe base64, as Fernet.generate_key() makes (a Frappe site\'s encryption_key)');
  }
  if (key === undefined && adapter.name !== 'memory') {
    const withPasswords = registry.list().filter(hasPasswordFields).map((d) => d.name);
    if (withPasswords.length) {
      throw new CoworkerError('ENGINE_CONFIG', `${withPasswords.slice(0, 3).join(', ')}${withPasswords.length > 3 ? ', ...' : ''} ha${withPasswords.length === 1 ? 's' : 've'} Password fields: storage "${adapter.name}" keeps them at rest, so the engine needs encryptionKey (a Fernet key, e.g. the Frappe site's encryption_key)`);
    }
  }
  const budget = options.expressionBudget;
  if (budget !== undefined && (typeof budget !== 'object' || budget === null || !validLimit(budget.maxOps) || !validLimit(budget.maxBytes))) {
    throw new CoworkerError('ENGINE_CONFIG', 'expressionBudget must be { maxOps?, maxBytes? } with positive integers (or Infinity)');
  }
  const py = options.pythonBudget;
  if (py !== undefined && (typeof py !== 'object' || py === null || ![py.maxSteps, py.maxSize, py.maxIntBits, py.maxDbCalls].every(validLimit))) {
    throw new CoworkerError('ENGINE_CONFIG', 'pythonBudget must be { maxSteps?, maxSize?, maxIntBits?, maxDbCalls? } with positive integers (or Infinity)');
  }
  const expressions = budget && (budget.maxOps !== undefined || budget.maxBytes !== undefined)
    ? Object.freeze({ ...(budget.maxOps === undefined ? {} : { maxOps: budget.maxOps }), ...(budget.maxBytes === undefined ? {} : { maxBytes: budget.maxBytes }) })
    : undefined;
  return { secretCipher: secretCipher(key), expressions };
}
