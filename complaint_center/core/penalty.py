"""Penalty arithmetic (罚扣): shares, loss brackets, multipliers, rounding.

Amounts are floats rounded to a currency's rounding step (e.g. 0.01) with
half-up rounding, as payroll does; points are whole numbers.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

# ASCII digits only: str.isdigit() also takes full-width or Arabic-Indic
# digits, which would store a period no search for "2026-11" ever finds.
PERIOD_RE = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])")


def valid_period(period):
    """Whether ``period`` names a payroll month exactly as ``YYYY-MM``
    (nothing is normalised: "Nov 2026", "2026-1" or " 2026-11" are not)."""
    return isinstance(period, str) and PERIOD_RE.fullmatch(period) is not None


def round_to(amount, rounding=0.01):
    """Round half away from zero to a multiple of ``rounding``, on the
    decimal value the float was written as (2.675 is 2.675, not
    2.67499999...), as Odoo's ``float_round`` does for currencies."""
    if rounding <= 0:
        raise ValueError(rounding)
    step = Decimal(repr(rounding))
    steps = (Decimal(repr(amount)) / step).quantize(Decimal(1), ROUND_HALF_UP)
    return float(steps * step) or 0.0


def allocate(total, shares, rounding=0.01):
    """Split ``total`` by percentage ``shares`` (each 0-100, summing to at
    most 100), rounded so that the parts add up exactly to the rounded share
    of the total: the remainder goes to the largest shares first."""
    if any(share < 0 for share in shares) or sum(shares) > 100 + 1e-9:
        raise ValueError(shares)
    target = round_to(total * sum(shares) / 100.0, rounding)
    parts = [round_to(total * share / 100.0, rounding) for share in shares]
    diff = round(round_to(target - sum(parts), rounding) / rounding)
    order = sorted(range(len(shares)), key=lambda i: (-shares[i], i))
    if diff < 0:  # take back from the smallest shares, the last ones first
        order.reverse()
    step = rounding if diff > 0 else -rounding
    for i in order[: abs(diff)]:
        parts[i] = round_to(parts[i] + step, rounding)
    return parts


def bracket_percent(loss, brackets):
    """Percentage for a loss: ``brackets`` are ``(loss_from, percent)``; the
    highest ``loss_from`` not above the loss applies (0 when none does)."""
    applicable = [(start, pct) for start, pct in brackets if loss >= start]
    if not applicable:
        return 0.0
    return max(applicable)[1]


def penalty_amount(kind, params, share, repeat=False, rounding=0.01):
    """Amount (or points) of one rule for one responsible party.

    ``kind``: ``points`` (params: points), ``severity`` (params: amount),
    ``pay_percent`` (params: pay_base, loss, brackets), ``delay`` and
    ``reward`` (params: amount). ``share`` is the party's percentage;
    ``repeat`` applies ``params['repeat_multiplier']`` (二次投诉).
    Points are not split by share: each responsible person loses the point.
    """
    multiplier = params.get("repeat_multiplier", 1.0) if repeat else 1.0
    if kind == "points":
        return int(round(params["points"] * multiplier))
    if kind == "pay_percent":
        base = params["pay_base"] * bracket_percent(params["loss"], params["brackets"])
        base = base / 100.0
    elif kind in ("severity", "delay", "reward"):
        base = params["amount"]
    else:
        raise ValueError(kind)
    if kind in ("delay", "reward"):
        return round_to(base * multiplier, rounding)
    return round_to(base * share / 100.0 * multiplier, rounding)
