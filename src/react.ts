/**
 * `coworker/react`: hooks binding the form controller to React (an optional peer, React 18 or newer).
 *
 * @example
 * const { form } = useForm(engine, { doctype: 'Leave Application' });
 * const field = useField(form, 'half_day_date');   // re-renders only when this field changes
 * @module
 */
export { useForm, useField, useFormSnapshot, useFormSelector } from './react/hooks';
export type { FormOpener, UseFormResult } from './react/hooks';
export type { FormController, FormSnapshot, FieldSlice, FormStatus } from './form/controller';
