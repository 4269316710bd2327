/**
 * The value layer's plan for a DocType: each value field with its compiled check (the built-in handler, see
 * {@link valueCheckOf}) or the handler registered for its fieldtype. Derived once per frozen DocType and handler
 * set, so validating a document and its rows walks a list instead of looking every fieldtype up again.
 *
 * @module
 */
import type { Issue } from '../issues';
import type { DocField, DocType } from '../schema/types';
import { frappeValueHandler, passThroughHandler, type FieldtypeHandler, type FieldtypeHandlers } from './handlers';
import { valueCheckOf, type ValueCheck, type ValueContext } from './validate';

/** One value field of a plan. */
interface PlannedField {
  readonly df: DocField;
  /** The compiled built-in check, when the field's handler is the built-in one. */
  readonly check: ValueCheck | undefined;
  /** The handler otherwise (`undefined` for a fieldtype without one: looked up, and refused, when used). */
  readonly handler: FieldtypeHandler | undefined;
}

const plans = new WeakMap<DocType, WeakMap<FieldtypeHandlers, readonly PlannedField[]>>();

function planOf(doctype: DocType, handlers: FieldtypeHandlers): readonly PlannedField[] {
  let byHandlers = plans.get(doctype);
  if (!byHandlers) plans.set(doctype, (byHandlers = new WeakMap()));
  let plan = byHandlers.get(handlers);
  if (!plan) {
    const list: PlannedField[] = [];
    for (const df of doctype.fields) {
      if (df.fieldclass !== 'value') continue;
      let handler: FieldtypeHandler | undefined;
      try {
        handler = handlers.get(df.fieldtype);
      } catch {
        handler = undefined; // an unknown fieldtype keeps failing where it did: when a value of it is checked
      }
      // The pass-through handler never reports anything: nothing to walk.
      if (handler !== passThroughHandler) list.push({ df, check: handler === frappeValueHandler ? valueCheckOf(df) : undefined, handler });
    }
    byHandlers.set(handlers, (plan = list));
  }
  return plan;
}

/**
 * The fieldtype checks of one level (a document or one row): every present value (`undefined` is skipped) through
 * its handler, in field order. The same findings as calling each handler's `validate` in turn.
 * @param doctype - the DocType of the level
 * @param doc - the (coerced) document or row
 * @param ctx - where the values sit
 * @param handlers - the fieldtype handlers
 * @param issues - found issues are appended here
 */
export function checkLevelValues(doctype: DocType, doc: Readonly<Record<string, unknown>>, ctx: ValueContext, handlers: FieldtypeHandlers, issues: Issue[]): void {
  for (const { df, check, handler } of planOf(doctype, handlers)) {
    const value = doc[df.fieldname];
    if (value === undefined) continue;
    if (check) {
      if (value === null) continue;
      const found = check(value, ctx);
      if (found) for (const issue of found) issues.push(issue);
    } else {
      for (const issue of (handler ?? handlers.get(df.fieldtype)).validate(df, value, ctx)) issues.push(issue);
    }
  }
}
