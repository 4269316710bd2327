/**
 * What `frappe.safe_eval` puts in reach: the builtins `int`, `float`, `long`, `round`
 * (`WHITELISTED_SAFE_EVAL_GLOBALS` in `frappe/utils/safe_exec.py`), and the methods of str, list and dict that
 * the subset allows (an allow-list: anything else on a value is refused, never looked up).
 *
 * @module
 */
import { pyRound, pyRoundInt } from '../util/pyround';
import { pyStrip } from '../util/pystr';
import { PyFault, raise } from './errors';
import { PyCallable, PyDateTime, PyDict, PyTuple, intOf, isNumber, pyEquals, typeName } from './values';

type Args = readonly unknown[];
type Kwargs = ReadonlyMap<string, unknown>;

/** Bind positional and keyword arguments to parameter names, Python-style (TypeError on misuse). */
export function bindArgs(fn: string, params: readonly string[], required: number, args: Args, kwargs: Kwargs): unknown[] {
  if (args.length > params.length) raise('TypeError', `${fn}() takes at most ${params.length} arguments (${args.length} given)`);
  const out: unknown[] = [...args];
  for (const [k, v] of kwargs) {
    const i = params.indexOf(k);
    if (i < 0) raise('TypeError', `${fn}() got an unexpected keyword argument '${k}'`);
    if (i < args.length) raise('TypeError', `${fn}() got multiple values for argument '${k}'`);
    out[i] = v;
  }
  for (let i = 0; i < required; i++) if (!(i in out)) raise('TypeError', `${fn}() missing required argument: '${params[i]}'`);
  return out;
}

const INT_RE = /^[+-]?(?:[0-9](?:_?[0-9])*)$/;

function intFromString(s: string, base: number): bigint {
  const t = pyStrip(s);
  const bad = (): never => raise('ValueError', `invalid literal for int() with base ${base}: ${pyStringRepr(s)}`);
  if (base === 10) {
    if (!INT_RE.test(t)) bad();
    return BigInt(t.replace(/_/g, ''));
  }
  const m = /^([+-]?)(?:0[xob])?((?:_?[0-9a-z])+)$/i.exec(t);
  if (!m) return bad();
  let v = 0n;
  for (const ch of m[2]!.replace(/_/g, '').toLowerCase()) {
    const d = parseInt(ch, 36);
    if (d >= base) bad();
    v = v * BigInt(base) + BigInt(d);
  }
  return m[1] === '-' ? -v : v;
}

function floatFromString(s: string): number {
  const t = pyStrip(s);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) return special[2]!.toLowerCase() === 'nan' ? NaN : special[1] === '-' ? -Infinity : Infinity;
  if (/^[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/.test(t)) {
    return Number(t.replace(/_/g, ''));
  }
  return raise('ValueError', `could not convert string to float: ${pyStringRepr(s)}`);
}

/** Python `repr(str)`, for messages. */
export function pyStringRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return q + s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(q === "'" ? /'/g : /(?!)/g, "\\'") + q;
}

function pyInt(args: Args, kwargs: Kwargs): bigint {
  const [x, base] = bindArgs('int', ['x', 'base'], 0, args, kwargs);
  if (args.length === 0 && !kwargs.has('x')) return 0n;
  if (base !== undefined) {
    if (typeof x !== 'string') raise('TypeError', "int() can't convert non-string with explicit base");
    const b = isNumber(base) && typeof intOf(base) === 'bigint' ? Number(intOf(base)) : raise('TypeError', `'${typeName(base)}' object cannot be interpreted as an integer`);
    if (b !== 0 && (b < 2 || b > 36)) raise('ValueError', 'int() base must be >= 2 and <= 36, or 0');
    return intFromString(x, b === 0 ? 10 : b);
  }
  if (typeof x === 'boolean' || typeof x === 'bigint') return intOf(x) as bigint;
  if (typeof x === 'number') {
    if (Number.isNaN(x)) raise('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(x)) raise('OverflowError', 'cannot convert float infinity to integer');
    return BigInt(Math.trunc(x));
  }
  if (typeof x === 'string') return intFromString(x, 10);
  return raise('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${typeName(x)}'`);
}

function pyFloat(args: Args, kwargs: Kwargs): number {
  if (kwargs.size) raise('TypeError', 'float() takes no keyword arguments');
  if (args.length > 1) raise('TypeError', `float expected at most 1 argument, got ${args.length}`);
  if (args.length === 0) return 0;
  const x = args[0];
  if (isNumber(x)) {
    const v = intOf(x);
    if (typeof v === 'number') return v;
    const f = Number(v);
    if (!Number.isFinite(f)) raise('OverflowError', 'int too large to convert to float');
    return f;
  }
  if (typeof x === 'string') return floatFromString(x);
  return raise('TypeError', `float() argument must be a string or a real number, not '${typeName(x)}'`);
}

/** Python `round(number, ndigits=None)`: banker's rounding; an int without `ndigits`. */
function pyRoundBuiltin(args: Args, kwargs: Kwargs): unknown {
  const [x, nd] = bindArgs('round', ['number', 'ndigits'], 1, args, kwargs);
  if (!isNumber(x)) raise('TypeError', `type ${typeName(x)} doesn't define __round__ method`);
  const v = intOf(x);
  if (nd === undefined || nd === null) {
    if (typeof v === 'bigint') return v;
    if (Number.isNaN(v)) raise('ValueError', 'cannot convert float NaN to integer');
    const r = pyRoundInt(v);
    if (r === undefined) raise('OverflowError', 'cannot convert float infinity to integer');
    return BigInt(r);
  }
  if (!isNumber(nd) || typeof intOf(nd) !== 'bigint') raise('TypeError', `'${typeName(nd)}' object cannot be interpreted as an integer`);
  const n = intOf(nd) as bigint;
  if (typeof v === 'bigint') {
    if (n >= 0n) return v;
    const p = 10n ** -n;
    const q = v / p;
    let r = v - q * p;
    let fl = q;
    if (r < 0n) { r += p; fl -= 1n; }
    const twice = 2n * r;
    if (twice > p || (twice === p && (fl & 1n) === 1n)) fl += 1n;
    return fl * p;
  }
  const r = pyRound(v, Number(n));
  if (r === undefined) raise('OverflowError', 'rounded value too large to represent');
  return r;
}

/** The builtins `frappe.safe_eval` allows. */
export const BUILTINS: ReadonlyMap<string, PyCallable> = new Map([
  ['int', new PyCallable('int', pyInt)],
  ['long', new PyCallable('int', pyInt)],
  ['float', new PyCallable('float', pyFloat)],
  ['round', new PyCallable('round', pyRoundBuiltin)],
]);

// ---------------------------------------------------------------------------------------------------------------
// Methods

/** Python `str.split(sep=None, maxsplit=-1)`. */
function split(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined ? -1 : Number(intOf(maxsplit as bigint));
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let rest = s.replace(/^[\s\x1c-\x1f\x85]+/u, '');
    while (rest.length) {
      if (max >= 0 && out.length >= max) { out.push(rest.replace(/[\s\x1c-\x1f\x85]+$/u, '')); break; }
      const m = /[\s\x1c-\x1f\x85]+/u.exec(rest);
      if (!m) { out.push(rest); break; }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  if (typeof sep !== 'string') raise('TypeError', `must be str or None, not ${typeName(sep)}`);
  if (sep === '') raise('ValueError', 'empty separator');
  const parts = s.split(sep);
  if (max < 0 || parts.length <= max + 1) return parts;
  return [...parts.slice(0, max), parts.slice(max).join(sep)];
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === undefined || chars === null) {
    if (left && right) return pyStrip(s);
    return left ? s.replace(/^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/, '')
      : s.replace(/[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/, '');
  }
  if (typeof chars !== 'string') raise('TypeError', `strip arg must be None or str`);
  const set = new Set(chars);
  const cps = [...s];
  let a = 0;
  let b = cps.length;
  if (left) while (a < b && set.has(cps[a]!)) a++;
  if (right) while (b > a && set.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
}

function affix(s: string, arg: unknown, fn: 'startsWith' | 'endsWith'): boolean {
  if (typeof arg === 'string') return s[fn](arg);
  if (arg instanceof PyTuple) return arg.items.some((x) => typeof x === 'string' ? s[fn](x) : raise('TypeError', `tuple for ${fn === 'startsWith' ? 'startswith' : 'endswith'} must only contain str`));
  return raise('TypeError', `${fn === 'startsWith' ? 'startswith' : 'endswith'} first arg must be str or a tuple of str, not ${typeName(arg)}`);
}

const need = (v: unknown, what = 'str'): string => (typeof v === 'string' ? v : raise('TypeError', `must be ${what}, not ${typeName(v)}`));

type Method = (self: never, args: Args, kwargs: Kwargs) => unknown;

const STR_METHODS: Readonly<Record<string, Method>> = {
  lower: (s: string) => s.toLowerCase(),
  upper: (s: string) => s.toUpperCase(),
  strip: (s: string, a) => stripChars(s, a[0], true, true),
  lstrip: (s: string, a) => stripChars(s, a[0], true, false),
  rstrip: (s: string, a) => stripChars(s, a[0], false, true),
  startswith: (s: string, a) => affix(s, a[0], 'startsWith'),
  endswith: (s: string, a) => affix(s, a[0], 'endsWith'),
  split: (s: string, a, k) => { const [sep, max] = bindArgs('split', ['sep', 'maxsplit'], 0, a, k); return split(s, sep, max); },
  replace: (s: string, a) => s.split(need(a[0])).join(need(a[1])),
  find: (s: string, a) => { const i = s.indexOf(need(a[0])); return BigInt(i < 0 ? -1 : [...s.slice(0, i)].length); },
  count: (s: string, a) => { const sub = need(a[0]); return BigInt(sub === '' ? [...s].length + 1 : s.split(sub).length - 1); },
  isdigit: (s: string) => /^[0-9]+$/.test(s),
  join: (s: string, a) => {
    const items = Array.isArray(a[0]) ? a[0] : a[0] instanceof PyTuple ? a[0].items : raise('TypeError', 'can only join an iterable');
    return items.map((x) => (typeof x === 'string' ? x : raise('TypeError', `sequence item: expected str instance, ${typeName(x)} found`))).join(s);
  },
};

const LIST_METHODS: Readonly<Record<string, Method>> = {
  count: (l: readonly unknown[], a) => BigInt(l.filter((x) => pyEquals(x, a[0])).length),
  index: (l: readonly unknown[], a) => {
    const i = l.findIndex((x) => pyEquals(x, a[0]));
    return i < 0 ? raise('ValueError', 'x not in list') : BigInt(i);
  },
};

const DICT_METHODS: Readonly<Record<string, Method>> = {
  get: (d: PyDict, a, k) => { const [key, dflt] = bindArgs('get', ['key', 'default'], 1, a, k); return d.has(key) ? d.get(key) : (dflt ?? null); },
  keys: (d: PyDict) => [...d.map.values()].map(([key]) => key),
  values: (d: PyDict) => [...d.map.values()].map(([, v]) => v),
  items: (d: PyDict) => [...d.map.values()].map(([key, v]) => new PyTuple([key, v])),
};

/** Every method name of Python's dict: on a `frappe._dict` these are methods, not keys (`doc.items`!). */
const DICT_ATTRS = new Set(['clear', 'copy', 'fromkeys', 'get', 'items', 'keys', 'pop', 'popitem', 'setdefault', 'update', 'values']);

/** Attributes Frappe's `_get_attr_for_eval` refuses by name (`UNSAFE_ATTRIBUTES`, safe_exec.py). */
const UNSAFE_ATTRIBUTES = new Set([
  'gi_frame', 'gi_code', 'gi_yieldfrom', 'cr_frame', 'cr_code', 'cr_origin', 'cr_await', 'ag_code', 'ag_frame',
  'tb_frame', 'tb_next', 'format', 'format_map', 'f_back', 'f_builtins', 'f_code', 'f_globals', 'f_locals', 'f_trace',
]);

function bound(name: string, self: unknown, m: Method): PyCallable {
  return new PyCallable(name, (args, kwargs) => {
    if (m.length < 3 && kwargs.size) raise('TypeError', `${name}() takes no keyword arguments`);
    return m(self as never, args, kwargs);
  });
}

/**
 * `obj.name`, as `_get_attr_for_eval` (safe_exec.py) would give it for the values of the subset. Names that
 * start with `_` never get here (the compiler refuses them).
 */
export function getAttribute(obj: unknown, name: string): unknown {
  if (UNSAFE_ATTRIBUTES.has(name)) throw new PyFault('SyntaxError', `${name} is an unsafe attribute`, 'PYEXPR_UNSUPPORTED');
  if (obj instanceof PyDict) {
    if (DICT_ATTRS.has(name)) {
      const m = DICT_METHODS[name];
      if (!m) throw new PyFault('AttributeError', `dict.${name} is not supported (it changes the dict)`, 'PYEXPR_UNSUPPORTED');
      return bound(name, obj, m);
    }
    if (obj.attrs) return obj.has(name) ? obj.get(name) : null;
    return raise('AttributeError', `'dict' object has no attribute '${name}'`);
  }
  if (typeof obj === 'string' && Object.hasOwn(STR_METHODS, name)) return bound(name, obj, STR_METHODS[name]!);
  if (Array.isArray(obj) && Object.hasOwn(LIST_METHODS, name)) return bound(name, obj, LIST_METHODS[name]!);
  if (obj instanceof PyTuple && (name === 'count' || name === 'index')) return bound(name, obj.items, LIST_METHODS[name]!);
  if (obj instanceof PyDateTime) return dateAttribute(obj, name);
  const known = PYTHON_ATTRIBUTES[typeName(obj)];
  if (known?.has(name)) throw new PyFault('AttributeError', `'${typeName(obj)}.${name}' is not supported`, 'PYEXPR_UNSUPPORTED');
  return raise('AttributeError', `'${typeName(obj)}' object has no attribute '${name}'`);
}


const words = (s: string): ReadonlySet<string> => new Set(s.split(' '));
const INT_ATTRS = words('as_integer_ratio bit_count bit_length conjugate denominator from_bytes imag numerator real to_bytes');

/** What Python's own types have, so that an attribute we do not implement is "unsupported", not AttributeError. */
const PYTHON_ATTRIBUTES: Readonly<Record<string, ReadonlySet<string>>> = {
  str: words('capitalize casefold center count encode endswith expandtabs find format format_map index isalnum isalpha isascii isdecimal isdigit isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans partition removeprefix removesuffix replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill'),
  list: words('append clear copy count extend index insert pop remove reverse sort'),
  tuple: words('count index'),
  set: words('add clear copy difference difference_update discard intersection intersection_update isdisjoint issubset issuperset pop remove symmetric_difference symmetric_difference_update union update'),
  int: INT_ATTRS,
  bool: INT_ATTRS,
  float: words('as_integer_ratio conjugate fromhex hex imag is_integer real'),
  builtin_function_or_method: words('__call__'),
};

const DATE_PARTS: Readonly<Record<string, (d: Date) => number>> = {
  year: (d) => d.getUTCFullYear(), month: (d) => d.getUTCMonth() + 1, day: (d) => d.getUTCDate(),
  hour: (d) => d.getUTCHours(), minute: (d) => d.getUTCMinutes(), second: (d) => d.getUTCSeconds(),
};

function dateAttribute(dt: PyDateTime, name: string): unknown {
  const d = new Date(dt.ms);
  const part = Object.hasOwn(DATE_PARTS, name) && (!dt.dateOnly || ['year', 'month', 'day'].includes(name)) ? DATE_PARTS[name] : undefined;
  if (part) return BigInt(part(d));
  if (name === 'microsecond' && !dt.dateOnly) return BigInt(d.getUTCMilliseconds() * 1000 + dt.micro);
  if (name === 'date' && !dt.dateOnly) return new PyCallable('date', () => new PyDateTime(Math.floor(dt.ms / 86_400_000) * 86_400_000, 0, true));
  throw new PyFault('AttributeError', `'${typeName(dt)}.${name}' is not supported`, 'PYEXPR_UNSUPPORTED');
}
