#!/usr/bin/env python3
"""Independent reference oracle for the manjian pricing contract, version 2.

    python3 oracle.py quote|refund|protect|settle  < input.json  > output.json

Written from ../shared/spec/PRICING.md (and the conformance vectors' HAND
notes) only, for differential testing of the engine.  Standard library only;
money is held as integers of minor units ("cents"), ratios as Fractions,
never floats.  Every function names the contract section it implements.

On an invalid input it prints {"error": {"code", "path", "message"}} and
exits 1 (validation is best effort; section 8).
"""

import hashlib
import json
import re
import sys
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import product

# ---------------------------------------------------------------------------
# Errors (section 8)
# ---------------------------------------------------------------------------


class PricingError(Exception):
    def __init__(self, code, path, message):
        super().__init__(message)
        self.code, self.path, self.message = code, path, message


def fail(code, path, message):
    raise PricingError(code, path, message)


def sub(path, key):
    """JSON path in the form of section 8: `a.b[2].c`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return key if path == "" else f"{path}.{key}"


# ---------------------------------------------------------------------------
# Numbers (section 1)
# ---------------------------------------------------------------------------

# Section 10: "Scale 0 currencies are ISO 4217's zero-decimal ones"; the list
# is the one the brief gives.
ZERO_DECIMAL = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"}

MONEY_LIMIT = Decimal("1000000000000")
MONEY_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")


class JsonFloat:
    """A JSON number written with a fraction or exponent, kept as its text
    so that it can be judged by the double nearest to it (section 1)."""

    def __init__(self, text):
        self.text = text

    def shortest(self):
        """What JavaScript's String(n) prints for the nearest double.  For
        the values that can be valid (plain decimals, >= 1e-6, < 1e21)
        Python's repr gives the same digits; an integral value loses ".0"."""
        v = float(self.text)
        if v == 0:
            return "0"  # String(-0) is "0"
        r = repr(v)
        if r.endswith(".0"):
            r = r[:-2]
        return r


def reject_constant(text):
    """NaN / Infinity are not JSON (Python's parser would accept them)."""
    raise ValueError(f"{text} is not JSON")


def load_json(text):
    try:
        return json.loads(text, parse_float=JsonFloat, parse_constant=reject_constant)
    except (ValueError, RecursionError) as e:
        fail("invalid_json", "", f"invalid JSON: {e}")


def number_text(v):
    """The text a money/rate value is judged by (section 1), or None when
    the value is of the wrong JSON type."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return str(v)
    if isinstance(v, JsonFloat):
        return v.shortest()
    if isinstance(v, str):
        return v
    return None


def scale_of(currency):
    return 0 if currency in ZERO_DECIMAL else 2


def plain_decimal(v, path, code, noun, article):
    """The text of a money or rate value written digits[.digits], and its
    number of decimals."""
    s = number_text(v)
    if s is None:
        fail(code, path, f"{article} {noun} is a string or a number")
    if not MONEY_RE.match(s):
        fail(code, path, f"malformed {noun} '{s}'")
    return s, len(s.split(".")[1]) if "." in s else 0


def parse_money(v, path, scale):
    """Section 1 Money -> integer of minor units."""
    s, decimals = plain_decimal(v, path, "invalid_amount", "amount", "an")
    if decimals > scale:
        fail("invalid_amount", path, "more decimals than the currency's scale")
    d = Decimal(s)
    if d > MONEY_LIMIT:
        fail("invalid_amount", path, "amount above 1000000000000")
    return int(d.scaleb(scale))


class Rate:
    """Section 1 Rate: the share still paid, 0 < r <= 1, <= 4 decimals."""

    def __init__(self, value, text):
        self.value = value  # Fraction
        self.text = text    # shortest form, e.g. "0.9"


def parse_rate(v, path):
    s, decimals = plain_decimal(v, path, "invalid_rate", "rate", "a")
    if decimals > 4:
        fail("invalid_rate", path, "more than 4 decimals")
    d = Decimal(s)
    if not (Decimal(0) < d <= Decimal(1)):
        fail("invalid_rate", path, "rate must be in (0, 1]")
    # "The engine writes a rate in its shortest form ("0.9", not "0.90")."
    return Rate(Fraction(d), format(d.normalize(), "f"))


def parse_quantity(v, path, minimum=1):
    """Section 1 Quantity: a JSON integer from 1 to 99999."""
    if isinstance(v, bool) or not isinstance(v, int):
        fail("invalid_quantity", path, "quantity must be an integer")
    if not (minimum <= v <= 99999):
        fail("invalid_quantity", path, f"quantity must be in {minimum}..99999")
    return v


def round_half_away(x):
    """Section 1 Rounding: half away from zero, x a Fraction of minor units."""
    if x >= 0:
        return int((x + Fraction(1, 2)) // 1)
    return -int((-x + Fraction(1, 2)) // 1)


def fmt_money(cents, scale):
    """Money always with exactly `scale` decimals (section 5)."""
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    if scale == 0:
        return f"{sign}{c}"
    q, r = divmod(c, 10 ** scale)
    return f"{sign}{q}.{r:0{scale}d}"


TIME_RE = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")


def parse_time(v, path):
    """Section 1 / 10 Time: strict RFC 3339 with an offset -> exact instant
    (a Fraction of seconds since 0001-01-01T00:00:00Z)."""
    if not isinstance(v, str):
        fail("invalid_time", path, "a timestamp is a string")
    m = TIME_RE.match(v)
    if not m:
        fail("invalid_time", path, f"malformed RFC 3339 timestamp '{v}'")
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    try:
        day = date(y, mo, d).toordinal()
    except ValueError:
        fail("invalid_time", path, "bad day")
    if h > 23 or mi > 59 or s > 59:  # no leap second
        fail("invalid_time", path, "bad time of day")
    off = 0
    if m.group(8) != "Z":
        oh, om = int(m.group(8)[1:3]), int(m.group(8)[4:6])
        if oh > 23 or om > 59:
            fail("invalid_time", path, "bad offset")
        off = (oh * 60 + om) * 60 * (1 if m.group(8)[0] == "+" else -1)
    frac = Fraction(m.group(7)[1:]) / 10 ** (len(m.group(7)) - 1) if m.group(7) else 0
    return Fraction(((day * 24 + h) * 60 + mi) * 60 + s - off) + frac


# ---------------------------------------------------------------------------
# Generic validation helpers (sections 2, 8)
# ---------------------------------------------------------------------------


def expect_object(v, path, allowed):
    if not isinstance(v, dict):
        fail("invalid_json", path, "expected an object")
    for k in v:
        if k not in allowed:
            fail("unknown_field", sub(path, k), f"unknown field '{k}'")
    return v


def field(obj, key):
    """`null` counts as absent (section 8)."""
    return obj.get(key)


def required(obj, key, path):
    v = obj.get(key)
    if v is None:
        fail("missing_field", sub(path, key), f"missing field '{key}'")
    return v


def parse_id(v, path):
    """Ids: non-empty strings of at most 64 characters (section 2)."""
    if not isinstance(v, str) or not (1 <= len(v) <= 64):
        fail("invalid_id", path, "an id is a non-empty string of at most 64 characters")
    return v


def expect_array(v, path, limit=None, what=None):
    """v, which must be a list (of at most `limit` `what`s)."""
    if not isinstance(v, list):
        fail("invalid_json", path, "expected an array")
    if limit is not None and len(v) > limit:
        fail("limit_exceeded", path, f"more than {limit} {what}")
    return v


def optional(obj, key, path, parse, default=None):
    """parse(obj[key], its path) when the member is present, else default."""
    if field(obj, key) is None:
        return default
    return parse(obj[key], sub(path, key))


def parse_id_list(v, path):
    expect_array(v, path)
    return [parse_id(x, sub(path, i)) for i, x in enumerate(v)]


def parse_bool(v, path, name):
    if not isinstance(v, bool):
        fail("invalid_json", path, f"{name} must be a boolean")
    return v


def parse_string(v, path, name):
    if not isinstance(v, str):
        fail("invalid_json", path, f"{name} must be a string")
    return v


class Obj:
    """A plain record."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


# ---------------------------------------------------------------------------
# Input: rules and cart (section 2)
# ---------------------------------------------------------------------------

STAGES = ["item", "store", "cross_store", "platform", "subsidy", "shipping"]
SNAPSHOTS = ["list", "item", "store", "cross_store"]  # threshold_on values
# "default: the amounts entering the promotion's own stage"
ENTERING = {"store": "item", "cross_store": "store", "platform": "cross_store"}
THRESHOLD_STAGES = ["store", "cross_store", "platform"]
KIND_STAGES = {
    "markdown": ["item"], "multi_buy": ["item"],
    "threshold_off": THRESHOLD_STAGES, "threshold_rate": THRESHOLD_STAGES,
    "subsidy": ["subsidy"], "shipping_off": ["shipping"],
}
COMMON_FIELDS = {"id", "kind", "stage", "scope", "window", "audience", "coupon",
                 "slot", "priority", "funded_by", "threshold_on"}
KIND_FIELDS = {
    "markdown": {"price", "off", "rate", "limit_qty", "exclusive"},
    "multi_buy": {"buy", "get", "price", "off", "rate", "per_sku", "max_groups", "exclusive"},
    "threshold_off": {"tiers", "every", "basis"},
    "threshold_rate": {"tiers", "basis", "cap"},
    "subsidy": {"rate", "cap", "limit_qty"},
    "shipping_off": {"off", "at"},
}
SCOPE_FIELDS = ["stores", "skus", "categories", "tags", "exclude_skus", "exclude_tags"]
LIMIT_LINES, LIMIT_PROMOTIONS, LIMIT_COUPONS = 1000, 2000, 200


def parse_scope(v, path):
    """Section 2 `scope`."""
    expect_object(v, path, set(SCOPE_FIELDS))
    scope = {}
    for k in SCOPE_FIELDS:
        if field(v, k) is not None:
            scope[k] = parse_id_list(v[k], sub(path, k))
    return scope


def parse_window(v, path):
    """Section 1: `{"from": T1, "to": T2}`, either end may be omitted."""
    expect_object(v, path, {"from", "to"})
    lo = parse_time(v["from"], sub(path, "from")) if field(v, "from") is not None else None
    hi = parse_time(v["to"], sub(path, "to")) if field(v, "to") is not None else None
    return (lo, hi)


def parse_effect(p, path, scale, out):
    """Exactly one of price / off / rate (markdown, multi_buy)."""
    present = [k for k in ("price", "off", "rate") if field(p, k) is not None]
    if len(present) != 1:
        fail("invalid_promotion", path, f"a {out.kind} needs exactly one of price, off, rate")
    k = present[0]
    out.effect = k
    if k == "rate":
        out.value = parse_rate(p[k], sub(path, k))
    else:
        out.value = parse_money(p[k], sub(path, k), scale)


def parse_threshold(p, path, scale, out):
    """threshold_off / threshold_rate fields (section 2)."""
    basis = field(p, "basis")
    if basis is None:
        basis = "amount"
    else:
        parse_string(basis, sub(path, "basis"), "basis")
        if basis not in ("amount", "count"):
            fail("invalid_promotion", sub(path, "basis"), f"unknown basis '{basis}'")
    out.basis = basis

    def parse_at(v, at_path):
        if basis == "count":  # section 10: "A basis: count threshold at is a quantity"
            return parse_quantity(v, at_path)
        return parse_money(v, at_path, scale)

    out.tiers, out.every, out.cap = None, None, None
    if out.kind == "threshold_off":
        has_t, has_e = field(p, "tiers") is not None, field(p, "every") is not None
        if has_t == has_e:
            fail("invalid_promotion", path, "a threshold_off needs exactly one of tiers, every")
    else:
        required(p, "tiers", path)
        has_t = True
        if field(p, "cap") is not None:
            out.cap = parse_money(p["cap"], sub(path, "cap"), scale)
    if has_t:
        tp = sub(path, "tiers")
        expect_array(p["tiers"], tp)
        if not p["tiers"]:
            fail("invalid_promotion", tp, "tiers must not be empty")
        tiers, seen = [], set()
        second = "off" if out.kind == "threshold_off" else "rate"
        for j, t in enumerate(p["tiers"]):
            jp = sub(tp, j)
            expect_object(t, jp, {"at", second})
            at = parse_at(required(t, "at", jp), sub(jp, "at"))
            if second == "off":
                val = parse_money(required(t, "off", jp), sub(jp, "off"), scale)
            else:
                val = parse_rate(required(t, "rate", jp), sub(jp, "rate"))
            if at in seen:  # section 10: two tiers with the same `at`
                fail("invalid_promotion", sub(jp, "at"), "two tiers with the same at")
            seen.add(at)
            tiers.append((at, val))
        out.tiers = sorted(tiers, key=lambda t: t[0])
    else:
        ep = sub(path, "every")
        e = expect_object(p["every"], ep, {"at", "off", "cap"})
        at = parse_at(required(e, "at", ep), sub(ep, "at"))
        if at == 0:
            # Reading: "every 0" has no meaning (division by zero).
            fail("invalid_promotion", sub(ep, "at"), "every.at must be above 0")
        off = parse_money(required(e, "off", ep), sub(ep, "off"), scale)
        cap = parse_money(e["cap"], sub(ep, "cap"), scale) if field(e, "cap") is not None else None
        out.every = (at, off, cap)


def parse_promotion(p, path, scale):
    """Section 2 Promotions, with the validation of sections 8 and 10."""
    if not isinstance(p, dict):
        fail("invalid_json", path, "expected an object")
    pid = parse_id(required(p, "id", path), sub(path, "id"))
    kind = parse_string(required(p, "kind", path), sub(path, "kind"), "kind")
    if kind not in KIND_STAGES:
        fail("invalid_promotion", sub(path, "kind"), f"unknown kind '{kind}'")
    expect_object(p, path, COMMON_FIELDS | KIND_FIELDS[kind])
    stage = parse_string(required(p, "stage", path), sub(path, "stage"), "stage")
    if stage not in STAGES:
        fail("invalid_promotion", sub(path, "stage"), f"unknown stage '{stage}'")
    if stage not in KIND_STAGES[kind]:
        fail("invalid_promotion", sub(path, "stage"), f"a {kind} is never stage {stage}")
    out = Obj(id=pid, kind=kind, stage=stage, path=path)

    out.coupon = False
    if field(p, "coupon") is not None:
        out.coupon = parse_bool(p["coupon"], sub(path, "coupon"), "coupon")
        if out.coupon and stage in ("item", "subsidy"):
            fail("invalid_promotion", sub(path, "coupon"), f"coupon is not allowed on {stage}")

    out.scope = parse_scope(p["scope"], sub(path, "scope")) if field(p, "scope") is not None else {}
    out.window = parse_window(p["window"], sub(path, "window")) if field(p, "window") is not None else None
    out.audience = (parse_id_list(p["audience"], sub(path, "audience"))
                    if field(p, "audience") is not None else None)

    out.priority = 0
    if field(p, "priority") is not None:
        pr = p["priority"]
        if isinstance(pr, bool) or not isinstance(pr, int) or not (-2**63 <= pr < 2**63):
            fail("invalid_promotion", sub(path, "priority"), "priority must be an integer")
        out.priority = pr

    default_funder = {"item": "store", "store": "store", "subsidy": "government"}.get(stage, "platform")
    out.funded_by = default_funder
    if field(p, "funded_by") is not None:
        fb = parse_string(p["funded_by"], sub(path, "funded_by"), "funded_by")
        if fb not in ("store", "platform", "government"):
            fail("invalid_promotion", sub(path, "funded_by"), f"unknown funded_by '{fb}'")
        out.funded_by = fb

    # store-stage promotions belong to exactly one store (section 2)
    out.store = None
    if stage == "store":
        stores = out.scope.get("stores")
        if stores is None or len(stores) != 1:
            fail("invalid_promotion", sub(path, "scope"),
                 "a store-stage promotion must name exactly one store in scope.stores")
        out.store = stores[0]

    # slot: default store:<S> for a store coupon, else the stage name
    out.slot = f"store:{out.store}" if stage == "store" else stage
    if field(p, "slot") is not None:
        parse_string(p["slot"], sub(path, "slot"), "slot")
        out.slot = parse_id(p["slot"], sub(path, "slot"))

    out.threshold_on = None
    if field(p, "threshold_on") is not None:
        tp = sub(path, "threshold_on")
        to = parse_string(p["threshold_on"], tp, "threshold_on")
        if kind not in ("threshold_off", "threshold_rate"):
            fail("invalid_promotion", tp, f"a {kind} has no threshold")
        if to not in SNAPSHOTS:
            fail("invalid_promotion", tp, f"unknown threshold_on '{to}'")
        if stage not in ENTERING or SNAPSHOTS.index(to) > SNAPSHOTS.index(ENTERING[stage]):
            fail("invalid_promotion", tp, "threshold_on must be earlier than the promotion's stage")
        out.threshold_on = to

    out.exclusive = optional(p, "exclusive", path, lambda v, vp: parse_bool(v, vp, "exclusive"), False)
    out.limit_qty = optional(p, "limit_qty", path, parse_quantity)

    if kind == "markdown":
        parse_effect(p, path, scale, out)
    elif kind == "multi_buy":
        out.buy = parse_quantity(required(p, "buy", path), sub(path, "buy"))
        out.get = parse_quantity(required(p, "get", path), sub(path, "get"))
        out.per_sku = optional(p, "per_sku", path, lambda v, vp: parse_bool(v, vp, "per_sku"), False)
        out.max_groups = optional(p, "max_groups", path, parse_quantity)
        parse_effect(p, path, scale, out)
    elif kind in ("threshold_off", "threshold_rate"):
        parse_threshold(p, path, scale, out)
    elif kind == "subsidy":
        out.rate = parse_rate(required(p, "rate", path), sub(path, "rate"))
        out.cap = parse_money(p["cap"], sub(path, "cap"), scale) if field(p, "cap") is not None else None
    elif kind == "shipping_off":
        out.off = parse_money(p["off"], sub(path, "off"), scale) if field(p, "off") is not None else None
        out.at = parse_money(p["at"], sub(path, "at"), scale) if field(p, "at") is not None else None
    return out


def parse_rules(r, path):
    """Section 2 `rules`."""
    expect_object(r, path, {"currency", "stores", "price_protection_days", "promotions"})
    currency = parse_string(required(r, "currency", path), sub(path, "currency"), "currency")
    scale = scale_of(currency)
    stores = {}
    if field(r, "stores") is not None:
        sp = sub(path, "stores")
        if not isinstance(r["stores"], dict):
            fail("invalid_json", sp, "expected an object")
        for sid, s in r["stores"].items():
            spp = sub(sp, sid)
            parse_id(sid, spp)
            expect_object(s, spp, {"shipping"})
            fee, free_over = 0, None  # section 10: no `shipping` -> fee 0.00
            if field(s, "shipping") is not None:
                shp = sub(spp, "shipping")
                sh = expect_object(s["shipping"], shp, {"fee", "free_over"})
                fee = parse_money(required(sh, "fee", shp), sub(shp, "fee"), scale)
                if field(sh, "free_over") is not None:
                    free_over = parse_money(sh["free_over"], sub(shp, "free_over"), scale)
            stores[sid] = Obj(fee=fee, free_over=free_over)
    days = 30
    if field(r, "price_protection_days") is not None:
        d = r["price_protection_days"]
        if isinstance(d, bool) or not isinstance(d, int) or not (0 <= d <= 36500):
            fail("invalid_time", sub(path, "price_protection_days"),
                 "price_protection_days must be an integer 0..36500")
        days = d
    promotions = []
    if field(r, "promotions") is not None:
        pp = sub(path, "promotions")
        expect_array(r["promotions"], pp, LIMIT_PROMOTIONS, "promotions")
        seen = set()
        for i, p in enumerate(r["promotions"]):
            promo = parse_promotion(p, sub(pp, i), scale)
            if promo.id in seen:
                fail("duplicate_id", sub(sub(pp, i), "id"), f"duplicate promotion id '{promo.id}'")
            seen.add(promo.id)
            promotions.append(promo)
    return Obj(currency=currency, scale=scale, stores=stores, days=days,
               promotions=promotions, by_id={p.id: p for p in promotions})


def parse_line(l, path, scale):
    """Section 2 / 10 cart lines."""
    expect_object(l, path, {"id", "sku", "store", "ship_to", "category", "tags",
                            "unit_price", "qty", "presale"})
    out = Obj(path=path)
    out.id = parse_id(required(l, "id", path), sub(path, "id"))
    out.sku = parse_id(required(l, "sku", path), sub(path, "sku"))
    out.store = parse_id(required(l, "store", path), sub(path, "store"))
    out.unit_price = parse_money(required(l, "unit_price", path), sub(path, "unit_price"), scale)
    out.qty = parse_quantity(required(l, "qty", path), sub(path, "qty"))
    out.ship_to = parse_id(l["ship_to"], sub(path, "ship_to")) if field(l, "ship_to") is not None else None
    out.category = (parse_id(l["category"], sub(path, "category"))
                    if field(l, "category") is not None else None)
    out.tags = parse_id_list(l["tags"], sub(path, "tags")) if field(l, "tags") is not None else []
    out.presale = None
    if field(l, "presale") is not None:
        pp = sub(path, "presale")
        ps = expect_object(l["presale"], pp, {"deposit", "deposit_value"})
        dep = parse_money(required(ps, "deposit", pp), sub(pp, "deposit"), scale)
        val = parse_money(required(ps, "deposit_value", pp), sub(pp, "deposit_value"), scale)
        if not (dep <= val <= out.unit_price):
            fail("invalid_amount", sub(pp, "deposit_value"),
                 "requires deposit <= deposit_value <= unit_price")
        out.presale = (dep, val)
    return out


def parse_cart(c, path, rules):
    """Section 2 `cart`."""
    expect_object(c, path, {"at", "lines", "coupons", "apply", "buyer"})
    at = parse_time(c["at"], sub(path, "at")) if field(c, "at") is not None else None
    buyer_tags = []
    if field(c, "buyer") is not None:
        bp = sub(path, "buyer")
        b = expect_object(c["buyer"], bp, {"tags"})
        if field(b, "tags") is not None:
            buyer_tags = parse_id_list(b["tags"], sub(bp, "tags"))
    lp = sub(path, "lines")
    raw_lines = required(c, "lines", path)
    expect_array(raw_lines, lp, LIMIT_LINES, "lines")
    lines, seen = [], set()
    for i, l in enumerate(raw_lines):
        line = parse_line(l, sub(lp, i), rules.scale)
        if line.id in seen:
            fail("duplicate_id", sub(sub(lp, i), "id"), f"duplicate line id '{line.id}'")
        seen.add(line.id)
        line.index = i
        lines.append(line)
    coupons = []
    if field(c, "coupons") is not None:
        cp = sub(path, "coupons")
        expect_array(c["coupons"], cp, LIMIT_COUPONS, "held coupons")
        for i, x in enumerate(c["coupons"]):
            cid = parse_id(x, sub(cp, i))
            if cid in coupons:
                fail("duplicate_id", sub(cp, i), f"coupon '{cid}' held twice")
            coupons.append(cid)
    apply = "best"
    if field(c, "apply") is not None:
        ap = sub(path, "apply")
        a = c["apply"]
        if a == "best":
            apply = "best"
        elif isinstance(a, list):
            apply, slots = [], {}
            for i, x in enumerate(a):
                xp = sub(ap, i)
                cid = parse_id(x, xp)
                if cid in apply:
                    fail("duplicate_id", xp, f"coupon '{cid}' listed twice")
                if cid not in coupons:
                    fail("coupon_not_held", xp, f"coupon '{cid}' is not held")
                p = rules.by_id.get(cid)
                # section 10: slot_conflict on every listed known coupon
                if p is not None and p.coupon:
                    if p.slot in slots:
                        fail("slot_conflict", xp,
                             f"coupons '{slots[p.slot]}' and '{cid}' share slot '{p.slot}'")
                    slots[p.slot] = cid
                apply.append(cid)
        else:
            fail("invalid_json", ap, "apply is \"best\" or an array of coupon ids")
    return Obj(at=at, buyer_tags=buyer_tags, lines=lines, coupons=coupons, apply=apply)


# ---------------------------------------------------------------------------
# Activity and scope (section 2)
# ---------------------------------------------------------------------------


def window_holds(p, at):
    """Section 1: T1 <= at < T2; any window needs the cart's `at`."""
    if p.window is None:
        return True
    if at is None:
        return False
    lo, hi = p.window
    return (lo is None or lo <= at) and (hi is None or at < hi)


def eligible(p, buyer_tags):
    """Section 2 `audience`: absent, or the buyer has one of its tags."""
    if p.audience is None:
        return True
    return any(t in p.audience for t in buyer_tags)


def is_active(p, cart):
    """"A promotion is active when its window holds and it is eligible.\""""
    return window_holds(p, cart.at) and eligible(p, cart.buyer_tags)


def in_scope(p, line):
    """Section 2 `scope`: every present list matches."""
    s = p.scope
    if "stores" in s and line.store not in s["stores"]:
        return False
    if "skus" in s and line.sku not in s["skus"]:
        return False
    if "categories" in s and line.category not in s["categories"]:
        return False
    if "tags" in s and not any(t in s["tags"] for t in line.tags):
        return False
    if "exclude_skus" in s and line.sku in s["exclude_skus"]:
        return False
    if "exclude_tags" in s and any(t in s["exclude_tags"] for t in line.tags):
        return False
    return True


def stage_order_key(p):
    """Section 3: priority ascending, non-coupons before coupons, then id by
    byte order."""
    return (p.priority, 1 if p.coupon else 0, p.id.encode("utf-8"))


def in_stage_order(promos):
    return sorted(promos, key=stage_order_key)


# ---------------------------------------------------------------------------
# Section 3, step 1: the item stage
# ---------------------------------------------------------------------------


class LineState:
    """Running state of one line during the computation."""

    def __init__(self, line):
        self.line = line
        self.list = line.unit_price * line.qty
        self.a = self.list
        self.discounts = []       # [(promotion id, stage, amount)] in order applied
        self.excluded = False     # an exclusive promotion took money off it
        self.md_exclusive = False  # an exclusive *markdown* took money off it
        # units not yet grouped by a multi-buy: [start index, count, unit amount]
        self.runs = [[0, line.qty, line.unit_price]]
        self.deposit = None


def markdown_sale_price(p, unit_price):
    """Section 2 markdown: price / off / rate (rounded per unit), never below
    0 nor above the list price."""
    if p.effect == "price":
        sale = p.value
    elif p.effect == "off":
        sale = unit_price - p.value
    else:
        sale = round_half_away(unit_price * p.value.value)
    return max(0, min(unit_price, sale))


def apply_markdowns(rules, cart, states, applied):
    """Section 3.1: each line (cart order) gets at most one markdown, the
    active one in scope leaving the lowest line amount, a tie to the first in
    stage order; limit_qty allowances per (markdown, sku), in cart order."""
    markdowns = in_stage_order([p for p in rules.promotions
                                if p.kind == "markdown" and is_active(p, cart)])
    allowance = {}  # (promotion id, sku) -> units left
    totals = {}
    for st in states:
        line = st.line
        best = None  # (line amount, promotion, sale, n)
        for p in markdowns:
            if not in_scope(p, line):
                continue
            sale = markdown_sale_price(p, line.unit_price)
            n = line.qty
            if p.limit_qty is not None:
                n = min(n, allowance.get((p.id, line.sku), p.limit_qty))
            amount = st.a - (line.unit_price - sale) * n
            if best is None or amount < best[0]:
                best = (amount, p, sale, n)
        # section 10: a markdown that would take nothing off is not applied
        # and uses none of a limit_qty allowance
        if best is None or best[0] >= st.a:
            continue
        amount, p, sale, n = best
        off = st.a - amount
        if p.limit_qty is not None:
            key = (p.id, line.sku)
            allowance[key] = allowance.get(key, p.limit_qty) - n
        st.a = amount
        st.discounts.append((p.id, "item", off))
        # the n sale units are the line's first n units
        st.runs = [r for r in ([0, n, sale], [n, line.qty - n, line.unit_price]) if r[1] > 0]
        if p.exclusive:
            st.excluded = True
            st.md_exclusive = True
        totals[p.id] = totals.get(p.id, 0) + off
    for p in markdowns:  # promotions list: markdowns in stage order
        if totals.get(p.id, 0) > 0:
            applied.append((p, totals[p.id]))


def multi_buy_unit_off(p, x):
    """Section 3.1: a discounted unit of amount x takes off max(0, x - price),
    min(off, x) or x - round(x * rate)."""
    if p.effect == "price":
        return max(0, x - p.value)
    if p.effect == "off":
        return min(p.value, x)
    return x - round_half_away(x * p.value.value)


def discounted_positions_below(x, buy, get):
    """Number of positions q in [0, x) that are among the last `get` of their
    group of buy + get consecutive positions."""
    k = buy + get
    return (x // k) * get + max(0, x % k - buy)


def apply_multi_buys(rules, cart, states, applied):
    """Section 3.1 Multi-buy.  Units are handled as runs of consecutive unit
    indices of one line with one amount (a line has at most two: its sale
    units and its list-price units), which gives the same sort and cut as
    unit by unit, in bounded time for any quantity."""
    for p in in_stage_order([q for q in rules.promotions
                             if q.kind == "multi_buy" and is_active(q, cart)]):
        # candidates: lines in scope, in cart order, units not grouped by an
        # earlier multi-buy with amount above 0; exclusive-markdown lines never
        lists, order = {}, []
        for st in states:
            if st.md_exclusive or not in_scope(p, st.line):
                continue
            runs = [r for r in st.runs if r[1] > 0 and r[2] > 0]
            if not runs:
                continue
            key = st.line.sku if p.per_sku else None
            if key not in lists:
                lists[key] = []
                order.append(key)
            lists[key].extend((st, r) for r in runs)
        groups_left = p.max_groups
        k = p.buy + p.get
        offs = {}  # line index -> discount from p
        for key in order:
            # highest amount first, then cart order of the line, then unit index
            cand = sorted(lists[key], key=lambda sr: (-sr[1][2], sr[0].line.index, sr[1][0]))
            length = sum(r[1] for _, r in cand)
            groups = length // k
            if groups_left is not None:
                groups = min(groups, groups_left)
                groups_left -= groups
            used_end = groups * k  # positions [0, used_end) are grouped
            pos = 0
            for st, r in cand:
                start, count, x = r
                used = max(0, min(pos + count, used_end) - pos)
                n_disc = (discounted_positions_below(pos + used, p.buy, p.get)
                          - discounted_positions_below(pos, p.buy, p.get))
                if n_disc:
                    offs[st.line.index] = offs.get(st.line.index, 0) + n_disc * multi_buy_unit_off(p, x)
                # every unit of a group is used up by p, whatever it took off
                r[0], r[1] = start + used, count - used
                pos += count
        total = 0
        for st in states:
            d = offs.get(st.line.index, 0)
            if d > 0:
                st.a -= d
                st.discounts.append((p.id, "item", d))
                if p.exclusive:
                    st.excluded = True
                total += d
        if total > 0:
            applied.append((p, total))


def apply_presale(states):
    """Section 3.1: a[i] drops by min(V - D, max(0, a[i] - D)), reported as
    the pseudo-promotion `presale` in stage `item` (zero left out)."""
    for st in states:
        if st.line.presale is None:
            continue
        dep, val = st.line.presale
        D, V = dep * st.line.qty, val * st.line.qty
        st.deposit = D
        off = min(V - D, max(0, st.a - D))
        if off > 0:
            st.a -= off
            st.discounts.append(("presale", "item", off))


def item_stage(rules, cart):
    """Section 3.1: markdowns, then multi-buys, then presale expansion."""
    states = [LineState(l) for l in cart.lines]
    applied = []
    apply_markdowns(rules, cart, states, applied)
    apply_multi_buys(rules, cart, states, applied)
    apply_presale(states)
    return Obj(a=[st.a for st in states], discounts=[list(st.discounts) for st in states],
               excluded=[st.excluded for st in states], deposit=[st.deposit for st in states],
               list=[st.list for st in states], applied=applied)


# ---------------------------------------------------------------------------
# Section 4: allocation
# ---------------------------------------------------------------------------


def allocate(d, members, a):
    """Largest remainder: floor of d * a[i] / sum(a) to the cent, the cents
    left over one each to the largest discarded remainders, a tie to the
    line first in the cart.  Returns {line index: share}."""
    total = sum(a[i] for i in members)
    shares, rema = {}, []
    for i in members:
        q, r = divmod(d * a[i], total)
        shares[i] = q
        rema.append((-r, i))
    left = d - sum(shares.values())
    for _, i in sorted(rema)[:left]:
        shares[i] += 1
    return shares


# ---------------------------------------------------------------------------
# Section 3, step 2: store, cross_store, platform stages
# ---------------------------------------------------------------------------


def threshold_members(p, cart, excluded):
    """Lines in scope of a store/cross_store/platform promotion; an excluded
    (exclusive) line is as if out of scope (section 3.1 Exclusive)."""
    return [l.index for l in cart.lines if not excluded[l.index] and in_scope(p, l)]


def threshold_base(p, members, cart, snapshots, own_stage):
    """base = sum of the threshold_on snapshot over M, or sum of qty."""
    if p.basis == "count":
        return sum(cart.lines[i].qty for i in members)
    snap = snapshots[p.threshold_on or ENTERING[own_stage]]
    return sum(snap[i] for i in members)


def met_tier(p, base):
    """The highest tier with at <= base (tiers sorted by at), or None."""
    best = None
    for t in p.tiers:
        if t[0] <= base:
            best = t
    return best


def nominal_off(p, base):
    """threshold_off nominal discount: tiers or every (at most cap)."""
    if p.tiers is not None:
        t = met_tier(p, base)
        return t[1] if t else 0
    at, off, cap = p.every
    d = off * (base // at)
    return d if cap is None else min(d, cap)


def threshold_stages(rules, cart, selected, item, applied, stage_log, snapshots):
    """Section 3.2: for each stage remember the snapshot on entering it, then
    apply its active promotions (non-coupons plus selected coupons) in stage
    order."""
    a = item.a
    for stage in THRESHOLD_STAGES:
        snapshots[ENTERING[stage]] = list(a)
        promos = in_stage_order([p for p in rules.promotions
                                 if p.stage == stage and is_active(p, cart)
                                 and (not p.coupon or p.id in selected)])
        for p in promos:
            members = threshold_members(p, cart, item.excluded)
            if not members:
                continue
            base = threshold_base(p, members, cart, snapshots, stage)
            r_m = sum(a[i] for i in members)
            if p.kind == "threshold_off":
                d = nominal_off(p, base)
            else:
                t = met_tier(p, base)
                d = 0 if t is None else round_half_away(r_m * (1 - t[1].value))
                if p.cap is not None:
                    d = min(d, p.cap)
            d = min(d, r_m)
            if d <= 0:
                continue  # d = 0: not applied
            for i, share in allocate(d, members, a).items():
                if share > 0:
                    a[i] -= share
                    stage_log[i].append((p.id, stage, share))
            applied.append((p, d))


# ---------------------------------------------------------------------------
# Section 3, step 3: the subsidy stage
# ---------------------------------------------------------------------------


def subsidy_stage(rules, cart, a, applied, stage_log):
    """One subsidy per line, limit_qty in cart order, rounded once per line,
    cap per unit, d = 0 uses none of the allowance."""
    has_subsidy = [False] * len(a)
    for p in in_stage_order([q for q in rules.promotions
                             if q.kind == "subsidy" and is_active(q, cart)]):
        left = p.limit_qty
        total = 0
        for l in cart.lines:
            i = l.index
            if has_subsidy[i] or a[i] <= 0 or not in_scope(p, l):
                continue
            n = l.qty
            if left is not None:
                n = min(n, left)
                if n == 0:
                    continue
            d = round_half_away(Fraction(a[i] * n, l.qty) * (1 - p.rate.value))
            if p.cap is not None:
                d = min(d, p.cap * n)
            if d > 0:
                a[i] -= d
                stage_log[i].append((p.id, "subsidy", d))
                has_subsidy[i] = True
                if left is not None:
                    left -= n
                total += d
        if total > 0:
            applied.append((p, total))


# ---------------------------------------------------------------------------
# Section 3, step 4: shipping
# ---------------------------------------------------------------------------


def shipping_groups(rules, cart):
    """A store of rules.stores with its lines that share one ship_to, in the
    order of their first line."""
    groups, by_key = [], {}
    for l in cart.lines:
        if l.store not in rules.stores:
            continue
        key = (l.store, l.ship_to)
        if key not in by_key:
            by_key[key] = Obj(store=l.store, ship_to=l.ship_to, lines=[])
            groups.append(by_key[key])
        by_key[key].lines.append(l.index)
    return groups


def group_in_scope_total(p, g, cart, final):
    """(has a line in P's scope, sum of final over its lines in P's scope)."""
    inside = [i for i in g.lines if in_scope(p, cart.lines[i])]
    return bool(inside), sum(final[i] for i in inside)


def shipping_stage(rules, cart, selected, final, applied):
    """Fees per group (free when the group's finals reach free_over), then
    shipping promotions in stage order: a non-coupon on every qualifying
    group, a coupon on the one with the most fee left (tie: first)."""
    groups = shipping_groups(rules, cart)
    for g in groups:
        s = rules.stores[g.store]
        g.fee = s.fee
        if s.free_over is not None and sum(final[i] for i in g.lines) >= s.free_over:
            g.fee = 0
        g.discounts = []
    promos = in_stage_order([p for p in rules.promotions
                             if p.kind == "shipping_off" and is_active(p, cart)
                             and (not p.coupon or p.id in selected)])
    for p in promos:
        qualifying = []
        for g in groups:
            has, total = group_in_scope_total(p, g, cart, final)
            if has and g.fee > 0 and (p.at is None or total >= p.at):
                qualifying.append(g)
        if p.coupon and qualifying:
            most = max(g.fee for g in qualifying)
            qualifying = [next(g for g in qualifying if g.fee == most)]
        total = 0
        for g in qualifying:
            take = g.fee if p.off is None else min(p.off, g.fee)
            if take > 0:
                g.fee -= take
                g.discounts.append((p.id, take))
                total += take
        if total > 0:
            applied.append((p, total))
    return groups


# ---------------------------------------------------------------------------
# The whole computation for one choice of coupons (section 3)
# ---------------------------------------------------------------------------


def compute(rules, cart, item, selected):
    """Stages 2-4 and the totals for the coupon set `selected`; the item
    stage does not depend on coupons and is computed once."""
    applied = list(item.applied)
    a = list(item.a)
    stage_log = [[] for _ in a]
    snapshots = {"list": list(item.list)}
    item_for_stages = Obj(a=a, excluded=item.excluded)
    threshold_stages(rules, cart, selected, item_for_stages, applied, stage_log, snapshots)
    subsidy_stage(rules, cart, a, applied, stage_log)
    final = a
    groups = shipping_stage(rules, cart, selected, final, applied)
    goods = sum(final)
    shipping = sum(g.fee for g in groups)
    return Obj(applied=applied, final=final, stage_log=stage_log, snapshots=snapshots,
               groups=groups, goods=goods, shipping=shipping, payable=goods + shipping)


# ---------------------------------------------------------------------------
# Section 6: best coupons
# ---------------------------------------------------------------------------


def coupon_has_lines(p, rules, cart, item):
    """A line in scope (threshold stages: not excluded; shipping: a line in
    scope that belongs to a shipping group)."""
    if p.kind == "shipping_off":
        return any(in_scope(p, l) and l.store in rules.stores for l in cart.lines)
    return bool(threshold_members(p, cart, item.excluded))


def choose_best(rules, cart, item):
    """Exhaustive search over at most one coupon per slot among the held
    coupons that are active and known: lowest payable, then fewest coupons,
    then the sorted id list that comes first in byte order.  Coupons with no
    line in scope cannot change any amount and are left out of the search."""
    slots = {}
    for cid in cart.coupons:
        p = rules.by_id.get(cid)
        if p is None or not p.coupon or not is_active(p, cart):
            continue
        if not coupon_has_lines(p, rules, cart, item):
            continue
        slots.setdefault(p.slot, []).append(cid)
    best_key, best = None, None
    for choice in product(*[[None] + ids for ids in slots.values()]):
        chosen = [c for c in choice if c is not None]
        res = compute(rules, cart, item, set(chosen))
        key = (res.payable, len(chosen), sorted(c.encode("utf-8") for c in chosen))
        if best_key is None or key < best_key:
            best_key, best = key, res
    return best


# ---------------------------------------------------------------------------
# Section 5: unused coupons and hints
# ---------------------------------------------------------------------------


def unused_reason(cid, rules, cart, item, res):
    """The first reason that holds, in the order of section 5."""
    p = rules.by_id.get(cid)
    if p is None or not p.coupon:
        return "unknown_coupon"
    if not window_holds(p, cart.at):
        return "inactive"
    if not eligible(p, cart.buyer_tags):
        return "not_eligible"
    if not coupon_has_lines(p, rules, cart, item):
        return "no_lines_in_scope"
    if p.kind == "shipping_off":
        if p.at is not None:
            reached = False
            for g in res.groups:
                has, total = group_in_scope_total(p, g, cart, res.final)
                if has and total >= p.at:
                    reached = True
            if not reached:
                return "threshold_not_met"
        return "not_chosen"
    members = threshold_members(p, cart, item.excluded)
    base = threshold_base(p, members, cart, res.snapshots, p.stage)
    lowest = p.tiers[0][0] if p.tiers is not None else p.every[0]
    if base < lowest:
        return "threshold_not_met"
    return "not_chosen"


def hint_for(p, base, scale):
    """The 凑单 hint of one promotion, or None (section 5, section 10)."""
    if p.kind == "threshold_off" and p.every is not None:
        at, off, cap = p.every
        k = base // at
        now = off * k if cap is None else min(off * k, cap)
        nxt = off * (k + 1) if cap is None else min(off * (k + 1), cap)
        if nxt <= now:
            return None
        return {"promotion": p.id, "add": fmt_money((k + 1) * at - base, scale),
                "extra_off": fmt_money(nxt - now, scale)}
    higher = [t for t in p.tiers if t[0] > base]
    if not higher:
        return None
    nxt = higher[0]  # the next tier: the lowest `at` above the base
    cur = met_tier(p, base)
    if p.kind == "threshold_off":
        now = cur[1] if cur else 0
        if nxt[1] <= now:
            return None
        return {"promotion": p.id, "add": fmt_money(nxt[0] - base, scale),
                "extra_off": fmt_money(nxt[1] - now, scale)}
    now_rate = cur[1].value if cur else Fraction(1)
    if nxt[1].value >= now_rate:
        return None
    return {"promotion": p.id, "add": fmt_money(nxt[0] - base, scale), "rate": nxt[1].text}


def hints(rules, cart, item, res, applied_coupons):
    """Active non-coupon threshold promotions with basis amount and applied
    coupons of those kinds, with lines in scope, in application (stage)
    order."""
    out = []
    for stage in THRESHOLD_STAGES:
        for p in in_stage_order([q for q in rules.promotions if q.stage == stage]):
            if p.kind not in ("threshold_off", "threshold_rate") or p.basis != "amount":
                continue
            if p.coupon:
                if p.id not in applied_coupons:
                    continue
            elif not is_active(p, cart):
                continue
            members = threshold_members(p, cart, item.excluded)
            if not members:
                continue
            h = hint_for(p, threshold_base(p, members, cart, res.snapshots, stage), rules.scale)
            if h:
                out.append(h)
    return out


# ---------------------------------------------------------------------------
# Section 5: the quote document
# ---------------------------------------------------------------------------


def canonical(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def quote(rules, cart):
    """Sections 3-6: the quote of a valid (rules, cart)."""
    scale = rules.scale
    item = item_stage(rules, cart)
    if cart.apply == "best":
        res = choose_best(rules, cart, item)
        proven_best = True
    else:
        res = compute(rules, cart, item, set(cart.apply))
        proven_best = False
    m = lambda c: fmt_money(c, scale)

    lines = []
    for l in cart.lines:
        i = l.index
        entry = {"id": l.id, "store": l.store}
        if l.ship_to is not None:
            entry["ship_to"] = l.ship_to
        entry["qty"] = l.qty
        entry["list"] = m(item.list[i])
        entry["final"] = m(res.final[i])
        entry["discounts"] = [{"promotion": pid, "stage": stage, "amount": m(amt)}
                              for pid, stage, amt in item.discounts[i] + res.stage_log[i]
                              if amt > 0]
        if item.deposit[i] is not None:
            entry["deposit"] = m(item.deposit[i])
        lines.append(entry)

    promotions = [{"id": p.id, "stage": p.stage, "funded_by": p.funded_by,
                   "coupon": p.coupon, "amount": m(amt)} for p, amt in res.applied]

    shipping = []
    for g in res.groups:
        entry = {"store": g.store}
        if g.ship_to is not None:
            entry["ship_to"] = g.ship_to
        entry["fee"] = m(g.fee)
        if g.discounts:
            entry["discounts"] = [{"promotion": pid, "amount": m(amt)} for pid, amt in g.discounts]
        shipping.append(entry)

    applied_coupons = [p.id for p, _ in res.applied if p.coupon]
    unused = [{"id": cid, "reason": unused_reason(cid, rules, cart, item, res)}
              for cid in cart.coupons if cid not in applied_coupons]

    total_list = sum(item.list)
    deposit_paid = sum(d for d in item.deposit if d is not None)
    at_checkout = sum(min(d, res.final[i]) for i, d in enumerate(item.deposit) if d is not None)
    deposit_refund = sum(max(0, d - res.final[i]) for i, d in enumerate(item.deposit) if d is not None)
    doc = {
        "currency": rules.currency,
        "lines": lines,
        "promotions": promotions,
        "shipping": shipping,
        "coupons": {"applied": applied_coupons, "unused": unused, "proven_best": proven_best},
        "hints": hints(rules, cart, item, res, set(applied_coupons)),
        "totals": {
            "list": m(total_list),
            "discount": m(total_list - res.goods),
            "shipping": m(res.shipping),
            "payable": m(res.payable),
            "deposit_paid": m(deposit_paid),
            "due": m(res.payable - at_checkout),
            "deposit_refund": m(deposit_refund),
        },
    }
    doc["digest"] = "sha256:" + hashlib.sha256(canonical(doc).encode("utf-8")).hexdigest()
    return doc


def parse_quote_input(doc, prefix=""):
    """`{"rules": ..., "cart": ...}` (section 9)."""
    expect_object(doc, prefix, {"rules", "cart"})
    rules = parse_rules(required(doc, "rules", prefix), sub(prefix, "rules"))
    cart = parse_cart(required(doc, "cart", prefix), sub(prefix, "cart"), rules)
    return rules, cart


def op_quote(doc):
    return quote(*parse_quote_input(doc))


# ---------------------------------------------------------------------------
# Reading a quote document back (refund, settle; sections 7, 8)
# ---------------------------------------------------------------------------

QUOTE_FIELDS = {"currency", "lines", "promotions", "shipping", "coupons", "hints", "totals", "digest"}


def parse_quote_doc(q, path):
    """The parts of a quote that refund and settle read; unknown fields are
    errors (section 8), the digest is not re-checked."""
    expect_object(q, path, QUOTE_FIELDS)
    currency = parse_string(required(q, "currency", path), sub(path, "currency"), "currency")
    scale = scale_of(currency)
    out = Obj(currency=currency, scale=scale, lines=[], promotions=[], shipping=[])

    def arr(key, p=path, obj=q):
        v = field(obj, key)
        if v is None:
            return []
        return expect_array(v, sub(p, key))

    for i, l in enumerate(arr("lines")):
        lp = sub(sub(path, "lines"), i)
        expect_object(l, lp, {"id", "store", "ship_to", "qty", "list", "final", "discounts", "deposit"})
        line = Obj(id=parse_id(required(l, "id", lp), sub(lp, "id")),
                   store=parse_id(required(l, "store", lp), sub(lp, "store")),
                   ship_to=parse_id(l["ship_to"], sub(lp, "ship_to")) if field(l, "ship_to") is not None else None,
                   qty=parse_quantity(required(l, "qty", lp), sub(lp, "qty")),
                   list=parse_money(required(l, "list", lp), sub(lp, "list"), scale),
                   final=parse_money(required(l, "final", lp), sub(lp, "final"), scale),
                   discounts=[])
        if field(l, "deposit") is not None:
            parse_money(l["deposit"], sub(lp, "deposit"), scale)
        for j, d in enumerate(arr("discounts", lp, l)):
            dp = sub(sub(lp, "discounts"), j)
            expect_object(d, dp, {"promotion", "stage", "amount"})
            line.discounts.append(Obj(
                promotion=parse_id(required(d, "promotion", dp), sub(dp, "promotion")),
                amount=parse_money(required(d, "amount", dp), sub(dp, "amount"), scale),
                path=sub(dp, "promotion")))
        out.lines.append(line)
    for i, p in enumerate(arr("promotions")):
        pp = sub(sub(path, "promotions"), i)
        expect_object(p, pp, {"id", "stage", "funded_by", "coupon", "amount"})
        fb = parse_string(required(p, "funded_by", pp), sub(pp, "funded_by"), "funded_by")
        if fb not in ("store", "platform", "government"):
            fail("invalid_promotion", sub(pp, "funded_by"), f"unknown funded_by '{fb}'")
        out.promotions.append(Obj(id=parse_id(required(p, "id", pp), sub(pp, "id")), funded_by=fb))
    for i, s in enumerate(arr("shipping")):
        sp = sub(sub(path, "shipping"), i)
        expect_object(s, sp, {"store", "ship_to", "fee", "discounts"})
        g = Obj(store=parse_id(required(s, "store", sp), sub(sp, "store")),
                ship_to=parse_id(s["ship_to"], sub(sp, "ship_to")) if field(s, "ship_to") is not None else None,
                fee=parse_money(required(s, "fee", sp), sub(sp, "fee"), scale),
                discounts=[])
        for j, d in enumerate(arr("discounts", sp, s)):
            dp = sub(sub(sp, "discounts"), j)
            expect_object(d, dp, {"promotion", "amount"})
            g.discounts.append(Obj(
                promotion=parse_id(required(d, "promotion", dp), sub(dp, "promotion")),
                amount=parse_money(required(d, "amount", dp), sub(dp, "amount"), scale),
                path=sub(dp, "promotion")))
        out.shipping.append(g)
    # The remaining parts are only checked for unknown fields.
    if field(q, "coupons") is not None:
        c = expect_object(q["coupons"], sub(path, "coupons"), {"applied", "unused", "proven_best"})
        for j, u in enumerate(arr("unused", sub(path, "coupons"), c)):
            expect_object(u, sub(sub(sub(path, "coupons"), "unused"), j), {"id", "reason"})
    for j, h in enumerate(arr("hints")):
        expect_object(h, sub(sub(path, "hints"), j), {"promotion", "add", "extra_off", "rate"})
    if field(q, "totals") is not None:
        expect_object(q["totals"], sub(path, "totals"),
                      {"list", "discount", "shipping", "payable", "deposit_paid", "due", "deposit_refund"})
    return out


# ---------------------------------------------------------------------------
# Section 7: refund
# ---------------------------------------------------------------------------


def unit_shares_sum(final, qty, first, count):
    """Units first+1 .. first+count of `final` split into qty unit shares:
    floor(final / qty) each, the final mod qty leftover cents one each to the
    last units."""
    base, rem = divmod(final, qty)
    lo, hi = first + 1, first + count  # 1-based unit numbers
    # units numbered > qty - rem get one extra cent
    extra = max(0, hi - max(lo, qty - rem + 1) + 1)
    return base * count + extra


def op_refund(doc):
    expect_object(doc, "", {"quote", "returns"})
    q = parse_quote_doc(required(doc, "quote", ""), "quote")
    by_id = {l.id: l for l in q.lines}
    returns = expect_array(required(doc, "returns", ""), "returns")
    out_lines, total = [], 0
    returned = {}   # line id -> returned_before + qty of its request entry
    touched = set()  # line ids of which this request returns >= 1 unit
    for i, r in enumerate(returns):
        rp = sub("returns", i)
        expect_object(r, rp, {"line", "qty", "returned_before"})
        lid = parse_id(required(r, "line", rp), sub(rp, "line"))
        if lid not in by_id:
            fail("invalid_id", sub(rp, "line"), f"unknown line '{lid}'")
        if lid in returned:
            fail("duplicate_id", sub(rp, "line"), f"line '{lid}' returned twice in one request")
        k = parse_quantity(required(r, "qty", rp), sub(rp, "qty"), minimum=0)
        before = 0
        if field(r, "returned_before") is not None:
            before = parse_quantity(r["returned_before"], sub(rp, "returned_before"), minimum=0)
        line = by_id[lid]
        if before + k > line.qty:
            fail("invalid_quantity", sub(rp, "qty"), "returning more units than were bought")
        amount = unit_shares_sum(line.final, line.qty, before, k)
        returned[lid] = before + k
        if k > 0:
            touched.add(lid)
        out_lines.append({"line": lid, "amount": fmt_money(amount, q.scale)})
        total += amount
    shipping = []
    for g in q.shipping:
        members = [l for l in q.lines if l.store == g.store and l.ship_to == g.ship_to]
        complete = all(returned.get(l.id, 0) == l.qty for l in members)
        if members and complete and any(l.id in touched for l in members):
            entry = {"store": g.store}
            if g.ship_to is not None:
                entry["ship_to"] = g.ship_to
            entry["amount"] = fmt_money(g.fee, q.scale)
            shipping.append(entry)
            total += g.fee
    return {"lines": out_lines, "shipping": shipping, "total": fmt_money(total, q.scale)}


# ---------------------------------------------------------------------------
# Section 7: price protection
# ---------------------------------------------------------------------------


def op_protect(doc):
    expect_object(doc, "", {"original", "rules", "at", "claimable", "refunded"})
    rules, cart = parse_quote_input(required(doc, "original", ""), "original")
    if cart.at is None:
        fail("missing_field", "original.cart.at", "the original cart must have at")
    new_rules = parse_rules(required(doc, "rules", ""), "rules")
    at2 = parse_time(required(doc, "at", ""), "at")
    claimable = []
    if field(doc, "claimable") is not None:
        claimable = parse_id_list(doc["claimable"], "claimable")
    by_id = {l.id: l for l in cart.lines}
    refunded = {}
    if field(doc, "refunded") is not None:
        expect_array(doc["refunded"], "refunded")
        for i, r in enumerate(doc["refunded"]):
            rp = sub("refunded", i)
            expect_object(r, rp, {"line", "qty"})
            lid = parse_id(required(r, "line", rp), sub(rp, "line"))
            if lid not in by_id:
                fail("invalid_id", sub(rp, "line"), f"unknown line '{lid}'")
            k = parse_quantity(required(r, "qty", rp), sub(rp, "qty"), minimum=0)
            refunded[lid] = refunded.get(lid, 0) + k
            if refunded[lid] > by_id[lid].qty:
                fail("invalid_quantity", sub(rp, "qty"), "refunding more units than were bought")
    scale = rules.scale
    old = quote(rules, cart)
    # at <= at2 < at + price_protection_days (days of 24 hours)
    if not (cart.at <= at2 < cart.at + rules.days * 86400):
        lines = [{"line": l.id, "amount": fmt_money(0, scale), "reason": "expired"} for l in cart.lines]
        return {"lines": lines, "total": fmt_money(0, scale)}
    held = list(cart.coupons) + [c for c in claimable if c not in cart.coupons]
    held = list(dict.fromkeys(held))
    new_cart = Obj(at=at2, buyer_tags=cart.buyer_tags, lines=cart.lines, coupons=held, apply="best")
    new = quote(new_rules, new_cart)
    lines, total = [], 0
    for l, o, n in zip(cart.lines, old["lines"], new["lines"]):
        drop = max(0, parse_money(o["final"], "", scale) - parse_money(n["final"], "", new_rules.scale))
        u = l.qty - refunded.get(l.id, 0)
        owed = drop * u // l.qty  # floor_to_cent
        lines.append({"line": l.id, "amount": fmt_money(owed, scale)})
        total += owed
    return {"lines": lines, "total": fmt_money(total, scale)}


# ---------------------------------------------------------------------------
# Section 7: settlement
# ---------------------------------------------------------------------------


def op_settle(doc):
    expect_object(doc, "", {"quote"})
    q = parse_quote_doc(required(doc, "quote", ""), "quote")
    funder = {p.id: p.funded_by for p in q.promotions}
    orders, by_key = [], {}
    for l in q.lines:
        key = (l.store, l.ship_to)
        if key not in by_key:
            by_key[key] = Obj(store=l.store, ship_to=l.ship_to, lines=[])
            orders.append(by_key[key])
        by_key[key].lines.append(l)
    m = lambda c: fmt_money(c, q.scale)
    out, tot = [], {"list": 0, "goods": 0, "shipping": 0, "payable": 0,
                    "store": 0, "platform": 0, "government": 0, "receivable": 0}
    for o in orders:
        funded = {"store": 0, "platform": 0, "government": 0}
        for l in o.lines:
            for d in l.discounts:
                if d.promotion in funder:
                    funded[funder[d.promotion]] += d.amount
                elif d.promotion == "presale":  # presale is funded by the store
                    funded["store"] += d.amount
                else:
                    fail("invalid_id", d.path, f"the quote's promotions do not list '{d.promotion}'")
        group = next((g for g in q.shipping if g.store == o.store and g.ship_to == o.ship_to), None)
        ship = 0
        if group is not None:
            ship = group.fee
            for d in group.discounts:
                if d.promotion not in funder:
                    fail("invalid_id", d.path, f"the quote's promotions do not list '{d.promotion}'")
                funded[funder[d.promotion]] += d.amount
        lst = sum(l.list for l in o.lines)
        goods = sum(l.final for l in o.lines)
        payable = goods + ship
        receivable = payable + funded["platform"] + funded["government"]
        entry = {"store": o.store}
        if o.ship_to is not None:
            entry["ship_to"] = o.ship_to
        entry.update({"lines": [l.id for l in o.lines], "list": m(lst), "goods": m(goods),
                      "shipping": m(ship), "payable": m(payable),
                      "funded": {k: m(v) for k, v in funded.items()}, "receivable": m(receivable)})
        out.append(entry)
        for k, v in (("list", lst), ("goods", goods), ("shipping", ship), ("payable", payable),
                     ("receivable", receivable)):
            tot[k] += v
        for k, v in funded.items():
            tot[k] += v
    total = {"list": m(tot["list"]), "goods": m(tot["goods"]), "shipping": m(tot["shipping"]),
             "payable": m(tot["payable"]),
             "funded": {k: m(tot[k]) for k in ("store", "platform", "government")},
             "receivable": m(tot["receivable"])}
    return {"orders": out, "total": total}


# ---------------------------------------------------------------------------
# Command line (section 9)
# ---------------------------------------------------------------------------

OPS = {"quote": op_quote, "refund": op_refund, "protect": op_protect, "settle": op_settle}


def batch():
    """One request per line of stdin, `{"op": OP, "input": DOC}`; one output
    document per line of stdout (the error document for invalid input), so
    that a differential test pays Python's start-up once."""
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        req = json.loads(line.decode("utf-8"))
        try:
            result = OPS[req["op"]](load_json(json.dumps(req["input"], ensure_ascii=False)))
        except PricingError as e:
            result = {"error": {"code": e.code, "path": e.path, "message": e.message}}
        sys.stdout.write(canonical(result) + "\n")
    return 0


def main(argv):
    if len(argv) == 2 and argv[1] == "batch":
        return batch()
    if len(argv) != 2 or argv[1] not in OPS:
        sys.stderr.write("usage: oracle.py quote|refund|protect|settle|batch < input.json\n")
        return 2
    raw = sys.stdin.buffer.read()
    try:
        if len(raw) > 4 * 1024 * 1024:
            fail("limit_exceeded", "", "more than 4 MiB of JSON input")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            fail("invalid_json", "", "input is not UTF-8")
        result = OPS[argv[1]](load_json(text))
    except PricingError as e:
        sys.stdout.write(canonical({"error": {"code": e.code, "path": e.path, "message": e.message}}) + "\n")
        return 1
    sys.stdout.write(canonical(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
