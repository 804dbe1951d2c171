"""The ``postcode`` filter (``{{ atena_postcode | postcode }}`` -> 〒987-6543) reads a postcode as the
customer barcode beside it does: NNN-NNNN or NNNNNNN, full-width digits and dashes folded; anything
else is an error that does not repeat the value."""

from __future__ import annotations

import pytest

from lgforms.bind.filters import FILTERS
from lgforms.errors import ValueInvalid

postcode = FILTERS["postcode"]


@pytest.mark.parametrize("value", ["987-6543", "9876543", "９８７－６５４３", "〒987-6543", 9876543])
def test_a_postcode_prints_with_its_mark_and_one_hyphen(value):
    assert postcode(value) == "〒987-6543"
    assert postcode(value, "") == "987-6543"


@pytest.mark.parametrize("value", ["987-65-43", "98-76543", "987654", "98765432", "987-654a", "987 6543"])
def test_anything_else_is_refused_without_repeating_it(value):
    with pytest.raises(ValueInvalid) as ei:
        postcode(value)
    assert ei.value.message == (f"postcode must be 7 digits, NNN-NNNN or NNNNNNN; the value ({len(value)} "
                                f"characters) is not")


def test_an_absent_postcode_prints_nothing():
    assert postcode(None) == ""
