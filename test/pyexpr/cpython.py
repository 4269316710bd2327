"""Test oracle: evaluate Python expressions with CPython the way frappe.safe_eval does (builtins limited to
int, float, long, round; `doc` a frappe._dict; the workflow `frappe` namespace), and print tagged results.
Reads one JSON request per line on stdin, writes one JSON line per request on stdout."""
import json
import struct
import sys
import warnings

warnings.simplefilter("ignore")


class _dict(dict):
    __getattr__ = dict.get


def decode(v):
    if isinstance(v, dict):
        t = v["t"]
        if t == "none":
            return None
        if t == "bool":
            return v["v"]
        if t == "int":
            return int(v["v"])
        if t == "float":
            return struct.unpack(">d", bytes.fromhex(v["v"]))[0]
        if t == "str":
            return v["v"]
        if t == "list":
            return [decode(x) for x in v["v"]]
        if t == "tuple":
            return tuple(decode(x) for x in v["v"])
        if t == "dict":
            d = _dict() if v.get("attrs") else {}
            for k, x in v["v"]:
                d[decode(k)] = decode(x)
            return d
    raise ValueError(v)


def encode(v):
    if v is None:
        return {"t": "none"}
    if isinstance(v, bool):
        return {"t": "bool", "v": v}
    if isinstance(v, int):
        return {"t": "int", "v": str(v)}
    if isinstance(v, float):
        return {"t": "float", "v": "nan" if v != v else struct.pack(">d", v).hex()}
    if isinstance(v, str):
        return {"t": "str", "v": v}
    if isinstance(v, list):
        return {"t": "list", "v": [encode(x) for x in v]}
    if isinstance(v, tuple):
        return {"t": "tuple", "v": [encode(x) for x in v]}
    if isinstance(v, dict):
        return {"t": "dict", "v": [[encode(k), encode(x)] for k, x in v.items()], "attrs": isinstance(v, _dict)}
    if isinstance(v, (set, frozenset)):
        return {"t": "set", "n": len(v)}
    if callable(v):
        return {"t": "callable"}
    return {"t": "other", "v": type(v).__name__}


def make_frappe(user, table):
    def get_value(doctype, filters=None, fieldname="name", ignore=None, as_dict=False):
        rows = table.get(doctype, [])
        if isinstance(filters, str):
            match = [r for r in rows if r.get("name") == filters]
        else:
            match = [r for r in rows if all(r.get(k) == x for k, x in (filters or {}).items())]
        if not match:
            return None
        r = match[0]
        fields = [fieldname] if isinstance(fieldname, str) else list(fieldname)
        if as_dict:
            return _dict({f: r.get(f) for f in fields})
        vals = [r.get(f) for f in fields]
        return tuple(vals) if len(vals) > 1 else vals[0]

    return _dict(db=_dict(get_value=get_value), session=_dict(user=user), utils=_dict())


for line in sys.stdin:
    req = json.loads(line)
    g = {"__builtins__": {}}
    g["frappe"] = make_frappe(req.get("user", "Guest"), {k: [decode(r) for r in v] for k, v in req.get("table", {}).items()})
    for k, v in (req.get("names") or {}).items():
        g[k] = decode(v)
    g.update({"int": int, "float": float, "long": int, "round": round})
    loc = {"doc": decode(req["doc"])} if "doc" in req else {}
    try:
        code = compile(req["expr"], "<safe_eval>", "eval")
        out = {"ok": True, "value": encode(eval(code, g, loc))}
    except BaseException as e:  # noqa: BLE001 -- the oracle reports every failure by its class
        out = {"ok": False, "exc": type(e).__name__}
    sys.stdout.write(json.dumps(out) + "\n")
