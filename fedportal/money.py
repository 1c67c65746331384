"""Pounds and pence: one rounding rule and one split rule for the whole portal."""

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def to_pennies(amount) -> Decimal:
    """Round to the penny, halves away from zero, as finance teams do."""
    return Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP)


def apportion(total: Decimal, weights: dict) -> dict:
    """Split ``total`` by ``weights`` into pennies that add up exactly to it
    (largest-remainder rounding), e.g. a contract cost by patient numbers."""
    total = to_pennies(total)
    weight_sum = sum(weights.values())
    if not weights or weight_sum == 0:
        return {key: Decimal("0.00") for key in weights}
    pennies = int(total / PENNY)
    exact = {key: Decimal(pennies) * Decimal(w) / Decimal(weight_sum) for key, w in weights.items()}
    floors = {key: int(value) for key, value in exact.items()}
    left = pennies - sum(floors.values())
    by_remainder = sorted(exact, key=lambda k: (exact[k] - floors[k], str(k)), reverse=True)
    for key in by_remainder[:left]:
        floors[key] += 1
    return {key: Decimal(value) * PENNY for key, value in floors.items()}
