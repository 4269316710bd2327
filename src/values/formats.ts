/**
 * Frappe's string-format validators (frappe/utils/__init__.py), ported: `validate_email_address` with
 * `split_emails` / `parse_addr` / `check_format`, `validate_name`, `validate_phone_number`, `validate_url`,
 * and a dependency-free stand-in for `validate_phone_number_with_country_code` (which needs the
 * `phonenumbers` library on the server).
 *
 * @module
 */
import { pyStrip } from '../util/pystr';

/** `EMAIL_MATCH_PATTERN` (re.IGNORECASE). Python uses `.match`, so it is anchored at the start only. */
const EMAIL_MATCH =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?/i;
/** `EMAIL_STRING_PATTERN`, the fallback `parse_addr` searches with. */
const EMAIL_STRING = /([a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+)/;
/** `WHITESPACE_PATTERN`. */
const WHITESPACE = /[\t\n\r]/g;
/** `MULTI_EMAIL_STRING_PATTERN`: a comma or newline outside double quotes. */
const MULTI_EMAIL_SPLIT = /[,\n](?=(?:[^"]|"[^"]*")*$)/;
/** `PHONE_NUMBER_PATTERN` with Python's `.match` anchoring. */
const PHONE_NUMBER = /^[0-9 +_\-,.*#()]{1,20}$/;
/** `PERSON_NAME_PATTERN`; Python's `\w` on str is letters, numbers and `_` (not combining marks). */
const PERSON_NAME = /^[\p{L}\p{N}_][\p{L}\p{N}_'-]*( [\p{L}\p{N}_][\p{L}\p{N}_'-]*)*$/u;

/** `frappe.STANDARD_USERS`. */
export const STANDARD_USERS: readonly string[] = ['Guest', 'Administrator'];

/** `frappe.utils.data.strip`: drop zero-width no-break and zero-width spaces, then `str.strip()`. */
function frappeStrip(s: string): string {
  return pyStrip(s.replace(/[\ufeff\u200b]/g, ''));
}

/**
 * `split_emails(txt)`: tabs and newlines become spaces, then the text is split on commas outside double
 * quotes; blank parts are dropped. (Because newlines are replaced first, "a@x.com\nb@y.com" stays one part.)
 * @param txt the field value
 * @returns the parts
 */
export function splitEmails(txt: string): string[] {
  return txt
    .replace(WHITESPACE, ' ')
    .split(MULTI_EMAIL_SPLIT)
    .map(frappeStrip)
    .filter((e) => e !== '');
}

/**
 * A small `email.utils.parseaddr`: the address inside `<...>` when there is one, else the whole text.
 * Python's full RFC 2822 parser also drops `(comments)` and unquotes local parts; Frappe rejects most
 * such inputs before parsing (a space without `<` is invalid), so the difference rarely shows.
 */
function parseaddr(s: string): string {
  const open = s.indexOf('<');
  if (open >= 0) {
    const close = s.indexOf('>', open + 1);
    return pyStrip(s.slice(open + 1, close < 0 ? undefined : close));
  }
  return pyStrip(s);
}

/** `check_format`: an `@` not first, a `.` after it, and more than 4 characters from the `@` on. */
function checkFormat(email: string): boolean {
  const at = email.lastIndexOf('@');
  const dot = email.lastIndexOf('.');
  if (at < 0 || dot < 0) return false;
  return at > 0 && dot > at && email.length - at > 4;
}

/** `extract_email_id(e)` = `cstr(parse_addr(e)[1])`. */
function extractEmailId(e: string): string {
  const email = parseaddr(e);
  if (checkFormat(email)) return email;
  const found = EMAIL_STRING.exec(e)?.[1];
  if (found !== undefined && checkFormat(found)) return found;
  return email;
}

/**
 * `validate_email_address(text, throw=True)`, reporting instead of throwing: the text is split on commas,
 * and each part must contain an address that `EMAIL_MATCH_PATTERN` matches. Returns the parts Frappe
 * would throw for (its `_check` stops at the first; we list them all). A part containing
 * `undisclosed-recipient` is silently dropped, as in Frappe.
 * @param text one element of {@link splitEmails}
 * @returns the invalid parts (empty when valid)
 */
export function invalidEmailParts(text: string): string[] {
  const bad: string[] = [];
  for (const raw of pyStrip(text).split(',')) {
    if (!raw) continue;
    const e = pyStrip(raw);
    if (e.includes('undisclosed-recipient')) continue;
    if (!e || (e.includes(' ') && !e.includes('<'))) {
      bad.push(e);
      continue;
    }
    const id = extractEmailId(e);
    if (!id || !EMAIL_MATCH.test(id)) bad.push(e);
  }
  return bad;
}

/**
 * `validate_name(name)`: after strip, words of letters / digits / `_` / `'` / `-` separated by single spaces.
 * @param name the value
 * @returns true when valid
 */
export function isValidPersonName(name: string): boolean {
  return PERSON_NAME.test(pyStrip(name));
}

/**
 * `validate_phone_number(number)` (Data with options Phone): after strip, 1–20 of `0-9 +_-,.*#()`.
 * @param phone the value
 * @returns true when valid
 */
export function isValidDataPhone(phone: string): boolean {
  return PHONE_NUMBER.test(pyStrip(phone));
}

/** Python `urllib.parse.urlsplit`, just far enough to get `scheme`, `netloc` and `path`. */
function urlsplit(url: string): { scheme: string; netloc: string; path: string } {
  // Python strips leading C0 controls / spaces and removes tab, CR, LF anywhere (WHATWG rules).
  let rest = url.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  const colon = rest.indexOf(':');
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+\-.]*$/.test(rest.slice(0, colon))) {
    scheme = rest.slice(0, colon).toLowerCase();
    rest = rest.slice(colon + 1);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, end + 2);
    rest = end < 0 ? '' : rest.slice(end + 2);
  }
  const stop = rest.search(/[?#]/);
  return { scheme, netloc, path: stop < 0 ? rest : rest.slice(0, stop) };
}

/**
 * `validate_url(txt)` of Frappe v15: valid when the URL has a netloc (`scheme://host...`), or when it starts
 * with `/`. So `mailto:a@b.c`, `javascript:alert(1)`, `file:///etc/passwd` and `example.com` are refused
 * (checked against the oracle, test/oracle).
 * @param txt the value
 * @returns true when valid
 */
export function isValidUrl(txt: string): boolean {
  const { netloc } = urlsplit(txt);
  return Boolean(netloc) || txt.startsWith('/');
}

/**
 * ITU-T E.164 country calling codes (assigned, as used by libphonenumber). Codes are prefix-free, so the
 * first 1, 2 or 3 digits after `+` identify at most one of them.
 */
const COUNTRY_CODES = new Set(
  (
    '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 ' +
    '81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 ' +
    '233 234 235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 256 257 258 ' +
    '260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 352 353 354 355 356 357 358 359 370 ' +
    '371 372 373 374 375 376 377 378 379 380 381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 505 ' +
    '506 507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 676 677 678 679 680 681 682 ' +
    '683 685 686 687 688 689 690 691 692 800 808 850 852 853 855 856 870 878 880 881 882 883 886 888 960 961 ' +
    '962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979 992 993 994 995 996 998'
  ).split(' '),
);

/**
 * National number lengths for countries whose numbers all have a fixed length (libphonenumber metadata).
 * Other countries get the generic E.164 bounds. NANP (+1) is checked by pattern below.
 */
const NSN_LENGTHS: Readonly<Record<string, readonly number[]>> = {
  '33': [9], '34': [9], '31': [9], '41': [9], '45': [8], '48': [9], '65': [8], '91': [10],
  '351': [9], '420': [9], '421': [9],
};

/** Outcome of {@link checkInternationalPhone}. */
export type InternationalPhoneCheck = 'valid' | 'invalid' | 'country_code_required';

/**
 * Stand-in for `validate_phone_number_with_country_code` (Phone fieldtype). Frappe parses with the
 * `phonenumbers` library and no default region, so a number must start with `+` and a country code; this
 * port checks that, the country code against the ITU list, a digits-only body (spaces, `-`, `.`, `(`, `)`,
 * `/` allowed as separators), the E.164 length limit (15 digits), fixed national lengths for a few
 * countries and the NANP pattern. It does not know per-country number plans the way `phonenumbers` does.
 * @param phone the value (non-empty)
 * @returns `valid`, `invalid`, or `country_code_required` (phonenumbers' INVALID_COUNTRY_CODE)
 */
export function checkInternationalPhone(phone: string): InternationalPhoneCheck {
  const t = pyStrip(phone);
  // phonenumbers skips leading characters that cannot start a number; '+' must come before any digit.
  const start = t.search(/[+\uFF0B0-9]/);
  if (start < 0) return 'invalid';
  if (t[start] !== '+' && t[start] !== '\uFF0B') return 'country_code_required';
  const body = t.slice(start + 1);
  if (!/^[0-9 \-.()/]*$/.test(body)) return 'invalid';
  const digits = body.replace(/[^0-9]/g, '');
  const cc = [1, 2, 3].map((n) => digits.slice(0, n)).find((p) => COUNTRY_CODES.has(p));
  if (cc === undefined) return 'country_code_required';
  const nsn = digits.slice(cc.length);
  if (digits.length > 15 || nsn.length < 4) return 'invalid';
  if (cc === '1') return /^[2-9][0-9]{2}[2-9][0-9]{6}$/.test(nsn) ? 'valid' : 'invalid';
  const fixed = NSN_LENGTHS[cc];
  if (fixed && !fixed.includes(nsn.length)) return 'invalid';
  return 'valid';
}

/**
 * `frappe.utils.escape_html`: `& " ' > <` as entities (Frappe escapes the address in its message).
 * @param text the text
 * @returns the escaped text
 */
export function escapeHtml(text: string): string {
  const table: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '>': '&gt;', '<': '&lt;' };
  return text.replace(/[&"'<>]/g, (c) => table[c] ?? c);
}
