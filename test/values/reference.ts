/**
 * Loads fixtures/values/python-reference.json: expected values produced by running Frappe's own number
 * functions (frappe/utils/data.py) under CPython (see gen_python_reference.py).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Encoded = string | number;

interface Reference {
  rounded: [string, number, string, Encoded][];
  round: [string, number, string][];
  flt: ([string, Encoded] | [string, number, Encoded])[];
  cint: [string, number][];
  formats: Record<'email' | 'url' | 'name' | 'phone', [string, boolean][]>;
}

export const reference: Reference = JSON.parse(
  readFileSync(resolve(__dirname, '../../fixtures/values/python-reference.json'), 'utf8'),
) as Reference;

/** Decode a Python `repr(float)` (or a JSON int) into a JS number, keeping nan, ±inf and -0.0. */
export function py(value: Encoded): number {
  if (typeof value === 'number') return value;
  switch (value) {
    case 'nan':
      return NaN;
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    default:
      return Number(value);
  }
}
