/**
 * React hooks over the form controller, built on `useSyncExternalStore`: a component re-renders only when the
 * slice it selected changed identity. The controller keeps unchanged slices identical between snapshots, so a
 * field component using {@link useField} re-renders when its own field (value, state, label, issues) changes,
 * not when another field does.
 *
 * @module
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { FieldSlice, FormController, FormSnapshot } from '../form/controller';
import type { EngineFormOptions } from '../engine';

/** What `engine.form()` needs; any engine from `createEngine` has it. */
export interface FormOpener {
  form(options: EngineFormOptions): Promise<FormController>;
}

/**
 * The whole snapshot of a form (re-renders on every change: use it for the form's frame, not for each field).
 * @param form - the controller
 */
export function useFormSnapshot(form: FormController): FormSnapshot {
  return useSyncExternalStore(form.subscribe, form.getSnapshot, form.getSnapshot);
}

/**
 * One field's slice: value, state (visible / mandatory / read-only), label, options, issues.
 * @param form - the controller
 * @param fieldname - the field
 * @returns the slice, the same object while the field is unchanged
 */
export function useField(form: FormController, fieldname: string): FieldSlice | undefined {
  const get = () => form.field(fieldname);
  return useSyncExternalStore(form.subscribe, get, get);
}

/**
 * Any value derived from the snapshot; re-renders when the selected value changes (`Object.is`). Select stable
 * parts (`s.actions`, `s.state`, `s.fields.x`) rather than building new objects in the selector.
 * @param form - the controller
 * @param select - picks what the component needs
 */
export function useFormSelector<T>(form: FormController, select: (snapshot: FormSnapshot) => T): T {
  const get = () => select(form.getSnapshot());
  return useSyncExternalStore(form.subscribe, get, get);
}

/** The state of {@link useForm}: loading, the controller, or why it could not open. */
export type UseFormResult =
  | { readonly status: 'loading'; readonly form: undefined; readonly error: undefined }
  | { readonly status: 'ready'; readonly form: FormController; readonly error: undefined }
  | { readonly status: 'error'; readonly form: undefined; readonly error: unknown };

/**
 * Open a form controller for a document (new or stored) and keep it while `doctype` and `name` stay the same.
 * @param engine - the engine (`createEngine(...)`)
 * @param options - as `engine.form()`
 */
export function useForm(engine: FormOpener, options: EngineFormOptions): UseFormResult {
  const [result, setResult] = useState<UseFormResult>({ status: 'loading', form: undefined, error: undefined });
  const { doctype, name } = options;
  useEffect(() => {
    let live = true;
    setResult({ status: 'loading', form: undefined, error: undefined });
    engine.form(options).then(
      (form) => { if (live) setResult({ status: 'ready', form, error: undefined }); },
      (error: unknown) => { if (live) setResult({ status: 'error', form: undefined, error }); },
    );
    return () => { live = false; };
    // The form is keyed by the document; other options are read when it opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, doctype, name]);
  return result;
}
