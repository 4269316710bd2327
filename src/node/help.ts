/**
 * Usage texts of every command (`coworker <command> --help`).
 *
 * @module
 */

/** Exit codes, as every help text lists them. */
const EXIT_CODES = `Exit codes:
  0  clean (no finding, no issue)
  1  lint findings, or documents with issues
  2  usage error (unknown command or option, missing argument)
  3  unreadable input (missing folder or file, invalid JSON document, no DocType found)
  4  internal error (a bug in coworker)`;

/** Help text per command; `main` is the top-level help. */
export const HELP = {
  main: `coworker: Frappe DocType tools

Usage:
  coworker lint <folder>... [--app <folder>]... [--format text|json]
  coworker validate --doctypes <folder> [options] [doc.json ... | -]
  coworker types <folder>... [--app <folder>]... [-o <file.d.ts>]
  coworker <command> --help

Commands:
  lint      report problems in every DocType JSON under a folder
  validate  validate documents as a dry run of create / update would, printing every issue
  types     generate TypeScript types for every DocType

${EXIT_CODES}
`,
  lint: `Usage: coworker lint <folder>... [--app <folder>]... [--format text|json]

Loads every DocType JSON under each folder (a Frappe app: */doctype/<name>/<name>.json, or any folder of
DocType JSON files; symbolic links followed). Several folders load together as one bench, in the order
given (install order: frappe first), so links and child tables across apps resolve. Reports, one per line:
  file:field: CODE message
Codes are stable; see docs/cli.md for the table.

Options:
  --app <folder>      another folder of the bench (repeatable; after the positional folders)
  --format text|json  output format (default: text); json prints { layout, apps, doctypes, findings }
  -h, --help          show this help

${EXIT_CODES}
`,
  validate: `Usage: coworker validate --doctypes <folder> [options] [doc.json ... | -]

Validates each document (a JSON object, or an array of them, with a "doctype" key) as a dry run of
create (or update, when --records holds a document of that name) would: system fields, fieldtypes,
mandatory fields, Select options, links, conditions. Nothing is written anywhere. Documents are read from
the files given, or from stdin when there are none (or for "-").

Options:
  --doctypes <folder>   the DocType JSON to validate against (required; repeat it, or use --app, to load
                        several apps of a bench together, in install order)
  --app <folder>        the same as --doctypes (repeatable)
  --doctype <name>      DocType for documents without a "doctype" key
  --records <file>      documents that exist (Link targets, the stored version for update): a JSON array of
                        documents with "doctype", or { "<DocType>": [documents] }
  --format text|json    output format (default: text)
  -h, --help            show this help

${EXIT_CODES}
`,
  types: `Usage: coworker types <folder>... [--app <folder>]... [-o <file.d.ts>]

Writes TypeScript declarations for every DocType under the folders (loaded together as one bench): one
interface per DocType (standard fields, fieldtypes mapped to TypeScript, Select fields as string unions, Table fields as arrays of row
types), a DocTypes map from DocType name to interface, and RunRequestFor<K> / TypedRun to type engine.run.

Options:
  --app <folder>    another folder of the bench (repeatable)
  -o, --out <file>  write to this file (default: stdout)
  -h, --help        show this help

${EXIT_CODES}
`,
} as const;

/** A command name. */
export type CommandName = Exclude<keyof typeof HELP, 'main'>;
