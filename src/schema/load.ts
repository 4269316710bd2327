/**
 * Loading many DocType JSON documents (several apps of a bench, in install order) into one registry,
 * tolerantly: one bad document never sinks the rest. The result holds every DocType that loaded plus one
 * diagnostic per problem (the file, the JSON path inside it, a stable code); `strict` refuses instead.
 *
 * Browser-safe: the caller reads the files (the Node loader in `src/node/load-folder.ts` does, for folders)
 * and passes their parsed JSON here.
 *
 * What Frappe does and we follow: a DocType that repeats a fieldname loads with the *later* row winning
 * (`Meta` keys its field map by fieldname; `frappe/model/meta.py`), so it loads here too, with a
 * `DUPLICATE_FIELDNAME` diagnostic. A DocType name defined twice keeps the first definition in install order
 * (`DUPLICATE_DOCTYPE`): a bench cannot hold two DocTypes of one name.
 *
 * @module
 */
import { SchemaError } from '../errors';
import type { Path, SchemaProblem } from '../errors';
import { isObject } from './json';
import { parseDoctype, schemaWarnings } from './parse';
import { createRegistry, type Registry } from './registry';

/** One document to load. */
export interface DoctypeSource {
  /** The parsed JSON (or, with `invalidJson`, nothing usable). */
  readonly json: unknown;
  /** Where it came from (a file path); names it in diagnostics. @default `#<index>` */
  readonly file?: string | undefined;
  /** The app it belongs to (a bench's app folder name). @default undefined */
  readonly app?: string | undefined;
  /** The file did not parse as JSON: the message of the parser. The source becomes an `INVALID_JSON` diagnostic. */
  readonly invalidJson?: string | undefined;
}

/** Stable codes of {@link LoadDiagnostic} (the lint codes of the same names). */
export type LoadCode = 'INVALID_JSON' | 'INVALID_DOCTYPE' | 'DUPLICATE_DOCTYPE' | 'DUPLICATE_FIELDNAME';

/** One problem with one loaded document. Plain data. */
export interface LoadDiagnostic {
  /** The file (as the source named it). */
  readonly file: string;
  /** The app of the file, when the source named one. */
  readonly app: string | undefined;
  /** The DocType name, '' when the file did not get that far. */
  readonly doctype: string;
  /** Path inside the JSON (e.g. `['fields', 3, 'fieldname']`); `[]` for the file as a whole. */
  readonly path: Path;
  /** The fieldname concerned, when there is one. */
  readonly field: string | undefined;
  readonly code: LoadCode;
  /** `error`: the document was not loaded; `warning`: loaded, as Frappe loads it (a duplicate fieldname). */
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** Options of {@link loadDoctypes}. */
export interface LoadDoctypesOptions {
  /**
   * Refuse instead of loading what loads: any diagnostic (a duplicate fieldname included) throws.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * When true, a source whose JSON is not a DocType (`"doctype"` is not `"DocType"`) is reported as
   * `INVALID_DOCTYPE`; when false it is skipped silently (a flat folder's MANIFEST.json). @default true
   */
  readonly requireDoctype?: boolean;
}

/** What {@link loadDoctypes} returns. */
export interface LoadedDoctypes {
  /** Every DocType that loaded. */
  readonly registry: Registry;
  /** DocType name -> file. */
  readonly files: ReadonlyMap<string, string>;
  /** DocType name -> app, for sources that named one. */
  readonly apps: ReadonlyMap<string, string>;
  /** Problems, in source order. */
  readonly diagnostics: readonly LoadDiagnostic[];
}

function rawFieldname(json: unknown, path: Path): string | undefined {
  if (path[0] !== 'fields' || typeof path[1] !== 'number' || !isObject(json) || !Array.isArray(json.fields)) return undefined;
  const row: unknown = json.fields[path[1]];
  return isObject(row) && typeof row.fieldname === 'string' ? row.fieldname : undefined;
}

/**
 * Load DocType JSON documents into one registry, keeping what loads.
 *
 * @example
 * const { registry, diagnostics } = loadDoctypes([
 *   { json: currencyJson, file: 'frappe/geo/doctype/currency/currency.json', app: 'frappe' },
 *   { json: salesOrderJson, file: 'erpnext/selling/doctype/sales_order/sales_order.json', app: 'erpnext' },
 * ]);
 * @param sources - the documents, in install order (apps first to last, files in path order)
 * @param options - see {@link LoadDoctypesOptions}
 * @returns the registry, the file and app of each DocType, and the diagnostics
 * @throws {SchemaError} `SCHEMA_LOAD_FAILED` with `strict`, listing every diagnostic (paths start with the file)
 */
export function loadDoctypes(sources: Iterable<DoctypeSource>, options: LoadDoctypesOptions = {}): LoadedDoctypes {
  const registry = createRegistry([], { duplicateFieldnames: 'last-wins' });
  const files = new Map<string, string>();
  const apps = new Map<string, string>();
  const diagnostics: LoadDiagnostic[] = [];
  let index = 0;
  for (const source of sources) {
    const file = source.file ?? `#${index}`;
    index++;
    const app = source.app;
    const push = (doctype: string, path: Path, code: LoadCode, message: string, severity: 'error' | 'warning' = 'error', field?: string) =>
      diagnostics.push(Object.freeze({ file, app, doctype, path: Object.freeze([...path]), field, code, severity, message }));
    if (source.invalidJson !== undefined) {
      push('', [], 'INVALID_JSON', source.invalidJson);
      continue;
    }
    const json = source.json;
    if (!isObject(json) || json.doctype !== 'DocType') {
      if (options.requireDoctype !== false) push('', ['doctype'], 'INVALID_DOCTYPE', 'not a DocType JSON ("doctype" is not "DocType")');
      continue;
    }
    const name = typeof json.name === 'string' ? json.name : '';
    let doctype;
    try {
      doctype = parseDoctype(json, { source: file, duplicateFieldnames: 'last-wins' });
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      for (const p of e.issues) {
        const where = p.path.length ? `${p.path.join('.')}: ` : '';
        push(name, p.path, 'INVALID_DOCTYPE', `${where}${p.message}`, 'error', rawFieldname(json, p.path));
      }
      continue;
    }
    const first = files.get(doctype.name);
    if (first !== undefined) {
      push(doctype.name, ['name'], 'DUPLICATE_DOCTYPE', `DocType "${doctype.name}" is already defined in ${first}; this file is ignored`);
      continue;
    }
    for (const w of schemaWarnings(doctype)) {
      if (w.code !== 'duplicate_fieldname') continue;
      push(doctype.name, w.path, 'DUPLICATE_FIELDNAME', w.message, 'warning', rawFieldname(json, w.path));
    }
    registry.add(doctype);
    files.set(doctype.name, file);
    if (app !== undefined) apps.set(doctype.name, app);
  }
  if (options.strict && diagnostics.length > 0) {
    const problems: SchemaProblem[] = diagnostics.map((d) => ({ path: [d.file, ...d.path], message: `${d.code}: ${d.message}`, code: d.code }));
    const error = new SchemaError('SCHEMA_LOAD_FAILED', undefined, problems);
    error.message = `${diagnostics.length} problem(s) while loading DocTypes (strict):\n${diagnostics.map((d) => `  - ${d.file}${d.path.length ? ` at ${d.path.join('.')}` : ''}: ${d.code} ${d.message}`).join('\n')}`;
    throw error;
  }
  return { registry, files, apps, diagnostics };
}
