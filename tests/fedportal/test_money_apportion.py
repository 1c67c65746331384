"""apportion(): a split to the penny whose parts always add up to the whole,
each within a penny of its exact share (largest-remainder rounding)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fedportal.money import PENNY, apportion

# Any amount from minus a billion pounds to a billion, in pennies.
amounts = st.integers(min_value=-(10**11), max_value=10**11).map(lambda p: Decimal(p) * PENNY)
whole_weights = st.integers(min_value=0, max_value=10**7)
decimal_weights = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
weight_lists = st.one_of(
    st.lists(whole_weights, min_size=1, max_size=60),
    st.lists(decimal_weights, min_size=1, max_size=60),
).filter(lambda weights: any(weights))


def exact_share(total: Decimal, weight, weights) -> Fraction:
    return Fraction(total) * Fraction(weight) / sum(Fraction(w) for w in weights)


@given(total=amounts, weights=weight_lists)
def test_the_parts_add_up_exactly_to_the_total(total, weights):
    parts = apportion(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts, Decimal("0")) == total


@given(total=amounts, weights=weight_lists)
def test_each_part_is_in_pennies_and_within_a_penny_of_its_exact_share(total, weights):
    for part, weight in zip(apportion(total, weights), weights, strict=True):
        assert part == part.quantize(PENNY)
        assert abs(Fraction(part) - exact_share(total, weight, weights)) < Fraction(1, 100)


@given(total=amounts, weights=weight_lists)
def test_a_part_of_zero_weight_gets_nothing(total, weights):
    for part, weight in zip(apportion(total, weights), weights, strict=True):
        if weight == 0:
            assert part == 0


@given(total=amounts, weights=weight_lists, factor=st.integers(min_value=1, max_value=1000))
def test_only_the_proportions_matter(total, weights, factor):
    assert apportion(total, weights) == apportion(total, [w * factor for w in weights])


@given(total=amounts, size=st.integers(min_value=1, max_value=60))
def test_all_zero_weights_are_a_clear_error(total, size):
    with pytest.raises(ValueError, match="every weight is zero"):
        apportion(total, [0] * size)


@given(total=amounts, weights=st.lists(whole_weights, min_size=1, max_size=20), at=st.integers(0, 19))
def test_a_negative_weight_is_refused(total, weights, at):
    weights[at % len(weights)] = -1
    with pytest.raises(ValueError, match="negative"):
        apportion(total, weights)


def test_no_parts_and_fractions_of_a_penny_are_refused():
    with pytest.raises(ValueError, match="no parts"):
        apportion(Decimal("10.00"), [])
    with pytest.raises(ValueError, match="whole number of pennies"):
        apportion(Decimal("10.005"), [1, 2])


def test_a_mapping_is_split_under_its_keys():
    assert apportion(Decimal("10.00"), {"a": 1, "b": 1, "c": 1}) == {
        "a": Decimal("3.34"),
        "b": Decimal("3.33"),
        "c": Decimal("3.33"),
    }


GPTEAMNET_PATIENTS = [37917, 58049, 59727, 65526, 46657, 61068]


def test_the_gpteamnet_contract_splits_as_the_seed_does():
    # Seed 000, Appendix 1: the contract column, which the seed's sheet got right.
    assert apportion(Decimal("26040.00"), GPTEAMNET_PATIENTS) == [
        Decimal(x) for x in ("3001.60", "4595.30", "4728.13", "5187.20", "3693.48", "4834.29")
    ]


def test_the_gpteamnet_legal_column_adds_up_where_the_seed_did_not():
    # The seed's sheet rounds each cell alone: 419.99. Here: 420.00 exactly.
    legal = apportion(Decimal("420.00"), GPTEAMNET_PATIENTS)
    assert sum(legal) == Decimal("420.00")
    assert legal == [Decimal(x) for x in ("48.41", "74.12", "76.26", "83.67", "59.57", "77.97")]
