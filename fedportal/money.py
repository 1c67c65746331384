"""Pounds and pence: one rounding rule and one split rule for the whole portal."""

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import floor

PENNY = Decimal("0.01")


def to_pennies(amount) -> Decimal:
    """Round to the penny, halves away from zero, as finance teams do."""
    return Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)


def apportion(total: Decimal, weights: Sequence | Mapping) -> list[Decimal] | dict:
    """Split ``total`` (whole pennies) in proportion to ``weights`` (numbers,
    none negative, at least one positive) into parts rounded to the penny that
    add up exactly to ``total``, each within a penny of its exact share: a
    shared contract cost split across localities by registered patients.

    Largest-remainder rounding: every part starts at its exact share rounded
    towards zero, and the pennies left over go one each to the parts that lost
    the most, the first in order on a tie. The arithmetic is exact (fractions,
    not floats or Decimal division), so the order of remainders is never a
    rounding accident. A negative total (a credit) is split as its size, then
    negated.

    ``weights`` is a list (the parts in the same order) or a mapping (the
    parts under the same keys). Raises ValueError for all-zero, negative or
    no weights, and for a total that is not a whole number of pennies."""
    if isinstance(weights, Mapping):
        return dict(zip(weights.keys(), apportion(total, list(weights.values())), strict=True))
    total = Decimal(total)
    if not total.is_finite() or total != total.quantize(PENNY):
        raise ValueError(f"Cannot split {total}: the total must be a whole number of pennies.")
    exact_weights = [Fraction(weight) for weight in weights]
    if not exact_weights:
        raise ValueError("Cannot split an amount across no parts.")
    if any(weight < 0 for weight in exact_weights):
        raise ValueError("Cannot split an amount by a negative weight.")
    weight_sum = sum(exact_weights)
    if weight_sum == 0:
        raise ValueError("Cannot split an amount when every weight is zero (no patients at that date?).")
    pennies = int(total / PENNY)
    sign, pennies = (-1 if pennies < 0 else 1), abs(pennies)
    shares = [pennies * weight / weight_sum for weight in exact_weights]
    parts = [floor(share) for share in shares]
    left = pennies - sum(parts)  # 0 <= left < len(parts)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-(shares[i] - parts[i]), i))
    for index in by_remainder[:left]:
        parts[index] += 1
    return [Decimal(sign * part) * PENNY for part in parts]
