/**
 * Frappe's field ordering (`Meta.sort_fields` and `_update_field_order_based_on_insert_after` in
 * `frappe/model/meta.py`), ported rule for rule:
 * - `fieldOrder` is the authority; names in it that match no field are dropped (and reported);
 * - if the first stored fields are not listed, they are prepended (when some listed standard field
 *   follows them) or the whole `fieldOrder` is discarded (when none does);
 * - a standard field not listed goes right after the field stored before it;
 * - a custom field goes after its `insert_after`, or at the very top when that is empty;
 * - `insert_after` targets are resolved repeatedly (custom after custom works); targets that never
 *   appear put their fields at the end.
 *
 * @module
 */

/** The little a field needs for ordering. */
export interface SortableField {
  readonly fieldname: string;
  /** Truthy for a field that came from a Custom Field record. */
  readonly is_custom_field?: unknown;
  readonly insert_after?: unknown;
}

/** Result of {@link sortFields}. */
export interface SortResult<F> {
  /** The fields in their final order (fieldnames must be unique on input). */
  readonly fields: F[];
  /** Entries of `fieldOrder` that name no field, in order. */
  readonly unknownEntries: string[];
}

/**
 * Order fields the way Frappe's `Meta.sort_fields` does.
 * @param fields - fields in stored order, with unique fieldnames (custom fields last, as Frappe appends them)
 * @param fieldOrder - the `field_order` list, or `undefined` / empty for "stored order"
 * @returns the ordered fields and the `fieldOrder` entries that matched nothing
 */
export function sortFields<F extends SortableField>(fields: readonly F[], fieldOrder: readonly string[] | undefined): SortResult<F> {
  const byName = new Map<string, F>(fields.map((f) => [f.fieldname, f]));
  const unknownEntries = (fieldOrder ?? []).filter((name) => !byName.has(name));
  // A fieldname listed twice would duplicate the field; Frappe's dict lookup makes the later copy win.
  let order = [...new Set((fieldOrder ?? []).filter((name) => byName.has(name)))];

  if (order.length > 0 && order.length === fields.length) {
    return { fields: order.map((name) => byName.get(name) as F), unknownEntries };
  }

  const first = fields[0];
  if (order.length > 0 && first && !order.includes(first.fieldname)) {
    const prepend: string[] = [];
    let standardFound = false;
    for (const field of fields) {
      if (field.is_custom_field) break;
      if (order.includes(field.fieldname)) {
        standardFound = true;
        break;
      }
      prepend.push(field.fieldname);
    }
    // Worst case in Frappe: no listed standard field follows, so the listed order is thrown away.
    order = standardFound ? [...prepend, ...order] : prepend;
  }

  const listed = order.length > 0 ? new Set(order) : undefined;
  const insertAfter = new Map<string, string[]>();
  const queue = (target: string, name: string) => {
    const list = insertAfter.get(target);
    if (list) list.push(name);
    else insertAfter.set(target, [name]);
  };

  fields.forEach((field, index) => {
    if (listed?.has(field.fieldname)) return;
    if (!field.is_custom_field) {
      const previous = fields[index - 1];
      // With a listed order a stray standard field follows its stored predecessor; without one, stored order.
      if (listed && previous) queue(previous.fieldname, field.fieldname);
      else order.push(field.fieldname);
    } else if (typeof field.insert_after === 'string' && field.insert_after !== '') {
      queue(field.insert_after, field.fieldname);
    } else {
      order.unshift(field.fieldname);
    }
  });

  placeInsertAfter(order, insertAfter);
  return { fields: order.map((name) => byName.get(name) as F), unknownEntries };
}

/** `_update_field_order_based_on_insert_after`: insert queued fields after their targets until none move. */
function placeInsertAfter(order: string[], insertAfter: Map<string, string[]>): void {
  let moved = true;
  while (moved) {
    moved = false;
    for (const [target, names] of [...insertAfter]) {
      const at = order.indexOf(target);
      if (at < 0) continue;
      insertAfter.delete(target);
      order.splice(at + 1, 0, ...names);
      moved = true;
    }
  }
  // Targets that never appeared (a typo in insert_after): Frappe appends those fields at the end.
  for (const names of insertAfter.values()) order.push(...names);
}
