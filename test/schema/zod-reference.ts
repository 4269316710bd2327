/**
 * The zod v4 schemas the DocType JSON check used before it was written by hand (`src/schema/raw.ts`): the
 * reference the hand-written checker is compared with (test/schema/raw.test.ts). Test-only: zod is a
 * devDependency.
 */
import * as z from 'zod';
import type { SchemaProblem } from '../../src/errors';
import { DOCFIELD_FLAGS, DOCFIELD_INTS, DOCFIELD_OPTIONAL_TEXTS, DOCPERM_FLAGS, DOCTYPE_FLAGS, DOCTYPE_TEXTS, describe, fieldLabel } from '../../src/schema/raw';

/** Build a `{ error }` option that says "required" for a missing value and `what` otherwise. */
function msg(what: string, required = false) {
  return {
    error: (issue: { input?: unknown }) =>
      required && issue.input === undefined ? 'is required' : `must be ${what}, got ${describe(issue.input)}`,
  };
}

// Flags and ints: Frappe reads them with cint(), so numbers, booleans, numeric text and null are all fine.
const flag = z.union([z.number(), z.boolean(), z.string(), z.null()], msg('0 or 1')).optional();
const int = z.union([z.number(), z.boolean(), z.string(), z.null()], msg('an integer')).optional();
// Text that real files sometimes store as a number (e.g. `"default": 0`, `"precision": 2`).
const textish = z.union([z.string(), z.number(), z.boolean(), z.null()], msg('text')).optional();
const text = z.union([z.string(), z.null()], msg('text')).optional();

function shape<const K extends readonly string[], S extends z.ZodType>(keys: K, schema: S) {
  return Object.fromEntries(keys.map((k) => [k, schema])) as Record<K[number], S>;
}

/** One DocField row as stored. `fieldname` and `fieldtype` are checked further in `parse.ts`. */
export const rawDocFieldSchema = z.looseObject(
  {
    fieldname: z.string(msg('text', true)),
    fieldtype: z.string(msg('text', true)),
    label: textish,
    options: text,
    default: textish,
    precision: textish,
    description: textish,
    ...shape(DOCFIELD_FLAGS, flag),
    ...shape(DOCFIELD_INTS, int),
    ...shape(DOCFIELD_OPTIONAL_TEXTS, text),
  },
  msg('an object'),
);

/** One DocPerm row as stored. */
export const rawDocPermSchema = z.looseObject(
  {
    role: z.string(msg('text', true)).min(1, 'must not be empty'),
    permlevel: int,
    ...shape(DOCPERM_FLAGS, flag),
  },
  msg('an object'),
);

const rows = z.array(z.looseObject({}, msg('an object')), msg('an array')).optional();

/** A DocType JSON document as stored (`frappe/core/doctype/doctype/doctype.json`). */
export const rawDocTypeSchema = z.looseObject(
  {
    name: z.string(msg('text', true)).min(1, 'must not be empty'),
    module: text,
    fields: z.array(rawDocFieldSchema, msg('an array')).optional(),
    permissions: z.array(rawDocPermSchema, msg('an array')).optional(),
    field_order: z.array(z.string(msg('text')), msg('an array of fieldnames')).optional(),
    actions: rows,
    links: rows,
    states: rows,
    ...shape(DOCTYPE_FLAGS, flag),
    ...shape(DOCTYPE_TEXTS, text),
  },
  msg('a JSON object (a DocType)'),
);

export type RawDocField = z.infer<typeof rawDocFieldSchema>;
export type RawDocPerm = z.infer<typeof rawDocPermSchema>;
export type RawDocType = z.infer<typeof rawDocTypeSchema>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** zod's verdict as `parseDoctype` reported it: the property leads the message, field rows are named. */
export function zodProblems(raw: unknown): SchemaProblem[] {
  const checked = rawDocTypeSchema.safeParse(raw);
  if (checked.success) return [];
  const issues = checked.error.issues;
  // zod runs `.min(1)` even on a value that failed the type check when it has a `length` (`"name": []`), so it
  // also said "must not be empty" there; the hand-written check reports the type error alone (docs/DECISIONS.md).
  const typeErrorAt = new Set(issues.filter((i) => i.code !== 'too_small').map((i) => JSON.stringify(i.path)));
  return issues.filter((i) => i.code !== 'too_small' || !typeErrorAt.has(JSON.stringify(i.path))).map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const last = path[path.length - 1];
    const subject = typeof last === 'string' ? `${last} ` : path.length === 0 ? 'the input ' : 'the row ';
    const row = path[0] === 'fields' && typeof path[1] === 'number' && isObject(raw) && Array.isArray(raw.fields) ? raw.fields[path[1]] : undefined;
    const where = last === 'fieldname' ? '' : fieldLabel(row);
    // The unions are all "one of these JSON types": reported as the type errors they are.
    const code = issue.code === 'invalid_union' ? 'invalid_type' : issue.code;
    return { path, message: `${subject}${issue.message}${where}`, code };
  });
}
