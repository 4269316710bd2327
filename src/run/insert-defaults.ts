/**
 * What Frappe's server adds to a document on insert beyond Desk's defaults: `Document._set_defaults` copies
 * `frappe.new_doc(doctype)` into every value still `None`, and `set_dynamic_default_values`
 * (frappe/model/create_new.py, v15) sets **every** Time field of a new document to `nowtime()`. A Time field the
 * caller left empty is therefore stored with the current time, for the document and each new child row.
 *
 * @module
 */
import type { DocType } from '../schema/types';
import { formatTimestamp } from '../util/datetime';
import { rowList, type Draft } from './data';

const timeFields = new WeakMap<DocType, readonly string[]>();

/** The Time fields of a DocType (derived once per frozen DocType). */
function timeFieldsOf(dt: DocType): readonly string[] {
  let found = timeFields.get(dt);
  if (!found) timeFields.set(dt, (found = dt.fields.filter((df) => df.fieldtype === 'Time').map((df) => df.fieldname)));
  return found;
}

function fillLevel(dt: DocType, data: Draft, time: string): Draft {
  let out: Draft | undefined;
  for (const f of timeFieldsOf(dt)) {
    if (data[f] !== undefined && data[f] !== null) continue;
    out ??= { ...data };
    out[f] = time;
  }
  return out ?? data;
}

/**
 * Fill the empty Time fields of a document being inserted (and of its rows) with the current time.
 * @param doc - the new document (Desk defaults and the caller's values applied)
 * @param doctype - its DocType
 * @param children - child DocTypes by Table fieldname
 * @param now - the engine clock's now
 * @param timeZone - the system time zone
 * @returns the document to insert
 */
export function fillInsertTimes(doc: Draft, doctype: DocType, children: Readonly<Record<string, DocType>>, now: Date, timeZone: string): Draft {
  // nowtime(): `%H:%M:%S.%f` in the system time zone.
  const time = formatTimestamp(now, timeZone).slice(11);
  const out = { ...fillLevel(doctype, doc, time) };
  for (const [table, child] of Object.entries(children)) {
    // The guardian refused rows that are not objects: a child without Time fields keeps its rows.
    if (!Array.isArray(doc[table]) || timeFieldsOf(child).length === 0) continue;
    out[table] = rowList(doc, table).map((row) => fillLevel(child, row as Draft, time));
  }
  return out;
}
