"""Generate fixtures/values/python-reference.json: Frappe's own number functions run under CPython.

The functions below are copied from frappe/utils/data.py (version-15 / develop text: cint, flt, rounded,
_bankers_rounding_legacy, _bankers_rounding, _round_away_from_zero) with `frappe.*` replaced by the default
rounding method, so the expected values in our tests come from the real algorithm on the real interpreter,
not from our port.

Run:  python3 test/values/gen_python_reference.py  (from the repo root)
"""

import json
import math
import random


def rounded(num, precision=0, rounding_method=None):
	precision = cint(precision)
	rounding_method = rounding_method or "Banker's Rounding (legacy)"
	if rounding_method == "Banker's Rounding (legacy)":
		return _bankers_rounding_legacy(num, precision)
	elif rounding_method == "Banker's Rounding":
		return _bankers_rounding(num, precision)
	elif rounding_method == "Commercial Rounding":
		return _round_away_from_zero(num, precision)
	raise ValueError("InvalidRoundingMethod")


def _bankers_rounding_legacy(num, precision):
	multiplier = 10**precision
	num = round(num * multiplier if precision else num, 8)
	floor_num = math.floor(num)
	decimal_part = num - floor_num
	if not precision and decimal_part == 0.5:
		num = floor_num if (floor_num % 2 == 0) else floor_num + 1
	else:
		if decimal_part == 0.5:
			num = floor_num + 1
		else:
			num = round(num)
	return (num / multiplier) if precision else num


def _round_away_from_zero(num, precision):
	if num == 0:
		return 0.0
	epsilon = 2.0 ** (math.log(abs(num), 2) - 52.0)
	return round(num + math.copysign(epsilon, num), precision)


def _bankers_rounding(num, precision):
	multiplier = 10**precision
	num = round(num * multiplier, 12)
	if num == 0:
		return 0.0
	floor_num = math.floor(num)
	decimal_part = num - floor_num
	epsilon = 2.0 ** (math.log(abs(num), 2) - 52.0)
	if abs(decimal_part - 0.5) < epsilon:
		num = floor_num if (floor_num % 2 == 0) else floor_num + 1
	else:
		num = round(num)
	return num / multiplier


def flt(s, precision=None, rounding_method=None):
	if isinstance(s, str):
		s = s.replace(",", "")
	try:
		num = float(s)
		if precision is not None:
			num = rounded(num, precision, rounding_method)
	except Exception:
		num = 0.0
	return num


def cint(s, default=0):
	try:
		return int(s)
	except Exception:
		try:
			return int(float(s))
		except Exception:
			return default


# frappe/utils/__init__.py (version-15 text): patterns and validators used by _validate_data_fields.
import re
from email.utils import parseaddr
from urllib.parse import urlparse

EMAIL_STRING_PATTERN = re.compile(r"([a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+)")
PHONE_NUMBER_PATTERN = re.compile(r"([0-9\ \+\_\-\,\.\*\#\(\)]){1,20}$")
PERSON_NAME_PATTERN = re.compile(r"^[\w][\w\'\-]*( \w[\w\'\-]*)*$")
WHITESPACE_PATTERN = re.compile(r"[\t\n\r]")
MULTI_EMAIL_STRING_PATTERN = re.compile(r'[,\n](?=(?:[^"]|"[^"]*")*$)')
EMAIL_MATCH_PATTERN = re.compile(
	r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?",
	re.IGNORECASE,
)


def check_format(email_id):
	is_valid = False
	try:
		pos = email_id.rindex("@")
		is_valid = pos > 0 and (email_id.rindex(".") > pos) and (len(email_id) - pos > 4)
	except Exception:
		pass
	return is_valid


def parse_addr(email_string):
	name, email = parseaddr(email_string)
	if check_format(email):
		return (name, email)
	email_list = EMAIL_STRING_PATTERN.findall(email_string)
	if len(email_list) > 0 and check_format(email_list[0]):
		return (name, email_list[0])
	return (None, email)


def _check(e):
	if not e:
		return False
	if "undisclosed-recipient" in e:
		return True  # silently dropped, not thrown
	if " " in e and "<" not in e:
		return False
	email_id = str(parse_addr(e)[1] or "")
	return bool(EMAIL_MATCH_PATTERN.match(email_id) if email_id else None)


def split_emails(txt):
	s = WHITESPACE_PATTERN.sub(" ", txt)
	return [x.replace("\ufeff", "").replace("\u200b", "").strip() for x in MULTI_EMAIL_STRING_PATTERN.split(s) if x.replace("\ufeff", "").replace("\u200b", "").strip()]


def validate_email(data):
	"""_validate_data_fields for options Email: every split part must pass validate_email_address(throw=True)."""
	for part in split_emails(data):
		for e in part.strip().split(","):
			if not e:
				continue
			if not _check(e.strip()):
				return False
	return True


def validate_url(txt):
	# Frappe v15.41 frappe/utils/__init__.py validate_url: a netloc, or a path starting with "/"
	# (so mailto:, javascript: and file:///... are refused); checked against the oracle (test/oracle).
	url = urlparse(txt)
	return bool(url.netloc) or bool(txt and txt.startswith("/"))


EMAILS = ["someone@frappe.com", "someone@frappe.com, anyone@frappe.io", "test%201@frappe.com", "someone",
	"someone@----.com", "test 1@frappe.com", "test@example.com test2@example.com,undisclosed-recipient", "someone.com",
	"Some%20One@frappe.com", "erp+Job%20Applicant=JA00004@frappe.com", "Test User <test@example.com>",
	'"Doe, John" <john.doe@example.com>', "a@b.c", "a@b.co", "a@b", "a@@b.com", "alice@example.com)", "a@b.com\nc@d.com",
	"a@b.com,c@d.com", "x <a@b.com>, y <c@d.com>", "Administrator", "user@xn--bcher-kva.example", "user@exa_mple.com",
	"first.last@sub.domain.org", ".dot@x.com", "a..b@x.com", "<a@b.com>", "a@b.com,", "UPPER@EXAMPLE.COM", "a@b-.com"]
URLS = ["https://google.com", "http://frappe.io", "google.io", "frappe", "/app/todo", "mailto:a@b.com", "ftp://x",
	"localhost:8000", "https://", "http:", "//cdn.example.com/x.js", "  https://x.com", "javascript:alert(1)", "a:b",
	"1http://x", "http://exa mple.com", "HTTPS://X.COM/PATH?q=1#f", "file:///etc/passwd", ":foo"]
NAMES = ["abc", "asd a13", "asd-asd", "asd$wat", "asasd/ads", "O'Brien", "Jean-Luc Picard", "two  spaces", " lead",
	"José Müller", "李小龙", "a_b", "-dash", "'quote", "x ", "ends-", "हिन्दी", "A1"]
PHONES = ["+91 1234567890", "123", "(555) 123-4567", "+1-800-FLOWERS", "12345678901234567890", "123456789012345678901",
	"*#06#", "1,2.3_4", " 42 ", "abc", "+44 (0)20 7946 0958"]


METHODS = ["Banker's Rounding (legacy)", "Banker's Rounding", "Commercial Rounding"]


def enc(x):
	"""JSON cannot hold nan / inf / -0.0: encode every float as repr()."""
	if isinstance(x, float):
		return repr(x)
	return x


def main():
	rng = random.Random(20240611)
	numbers = [
		0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.125, 0.375, -0.125, 1.005, 1.015, 1.025, 2.675, 1.455, 0.15, 0.25,
		0.35, 1.45, 134.45, 123.0, 125.0, 135.0, 9750000.0, 6500000.0, 26509905246072.0, 26509905246072.01,
		5.551115123125783e-17, 0.001953125, 1 / 3, 2 / 3, -1 / 3, 1e-9, 1e15 + 0.5, 2.0**50 + 0.5,
		-(2.0**50) - 0.5, 4503599627370497.0, 1234.5678, 0.0049999, 0.005, 0.995, -0.995, 1.0000000005,
		99.995, 10.075, 0.285, 1.3549999999999999, 17.955, 0.1 + 0.2, 1e22, 1.7976931348623157e308, 5e-324,
	]
	for _ in range(90):
		digits = rng.randint(0, 9)
		whole = rng.randint(0, 10 ** rng.randint(0, 12))
		frac = rng.randint(0, 10**digits)
		sign = -1 if rng.random() < 0.3 else 1
		numbers.append(sign * float(f"{whole}.{str(frac).zfill(digits)}5" if digits else f"{whole}.5"))
	for _ in range(60):
		numbers.append(rng.uniform(-1e6, 1e6))
	for _ in range(40):
		numbers.append(rng.uniform(-1, 1) * 10 ** rng.randint(-12, 15))

	precisions = [0, 1, 2, 3, 6, 9, -1]
	rounding = []
	for n in numbers:
		for m in METHODS:
			for p in precisions:
				try:
					out = enc(float(rounded(n, p, m)))
				except Exception as e:  # noqa: BLE001
					out = "raises " + type(e).__name__
				rounding.append([repr(n), p, m, out])

	py_round = []
	for n in numbers:
		for p in [0, 1, 2, 3, 5, 8, 12, -1, -3]:
			py_round.append([repr(n), p, repr(round(n, p))])

	strings = [
		"12", " 12 ", "12.7", "-12.7", "1,000", "1,000.5", "1e3", "1E-2", "abc", "", "  ", "0x10", "1_000",
		"+5", "-0", ".5", "5.", "inf", "-inf", "nan", "Infinity", "true", "false", "12abc", "1 000",
		"\t7\n", "3.9", "-3.9", "99999999999999999999", "1e400",
	]
	flt_cases = [[s, enc(flt(s))] for s in strings]
	flt_cases += [[s, p, enc(flt(s, p))] for s in ["1,500.5", "10,500.5666", "0.5", "1.5", "43.5", "42.5", "inf", "nan"] for p in [0, 2]]
	cint_cases = [[s, cint(s)] for s in strings if cint(s) < 2**53]

	formats = {"email": [[e, validate_email(e)] for e in EMAILS], "url": [[u, validate_url(u)] for u in URLS],
		"name": [[n, bool(PERSON_NAME_PATTERN.match(n.strip()))] for n in NAMES],
		"phone": [[n, bool(PHONE_NUMBER_PATTERN.match(n.strip()))] for n in PHONES]}

	with open("fixtures/values/python-reference.json", "w") as f:
		json.dump(
			{
				"_source": "test/values/gen_python_reference.py (CPython run of Frappe's data.py number functions)",
				"rounded": rounding,
				"round": py_round,
				"flt": flt_cases,
				"cint": cint_cases,
				"formats": formats,
			},
			f,
			indent=None,
			separators=(",", ":"),
		)


if __name__ == "__main__":
	main()
