"""Facts the gate checks against the product's description: a price with its unit, a version."""

from __future__ import annotations

import pytest

from panelist.quality import GateContext, assess_take

GREENLIGHT = GateContext("Greenlight", "Greenlight\nA CI agent that fixes failing builds.\nPaid\n"
                         "Greenlight reads a failing build and opens a pull request with a fix. "
                         "Team is $29 per seat a month with 200 fix attempts, then $0.40 each.")


@pytest.mark.parametrize(("quote", "invented"), [
    ("Greenlight's pricing is gentle: $15 per developer a month for private repositories.", True),
    ("Greenlight bills $99 per clinician, which our practice manager signs off.", True),
    ("Greenlight at $29 per seat for five of us is $145 a month; fix attempts at $0.40 each.",
     False),
    ("A team spending $4,000 a month on CI minutes gets Greenlight's fixes for $29 per seat.",
     False),
    ("Greenlight's founders' discount is half price, $14.50 per seat, for the first year.", False),
], ids=["a-price-no-multiple-of-0.40-explains", "another-products-price", "seats-times-price",
        "the-readers-own-spend", "half-price"])
def test_a_price_with_its_unit_must_be_the_descriptions_or_its_arithmetic(quote, invented):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).flags
    assert any(f.startswith("unsupported-fact") for f in findings) is invented, findings



@pytest.mark.parametrize(("quote", "invented"), [
    ("Greenlight Version 2.1 has a stable API and fixes failing builds on GitHub.", True),
    ("Greenlight fixes failing builds; the version number is not given anywhere.", False),
], ids=["a-version-the-description-never-gives", "no-version"])
def test_a_version_must_be_the_descriptions(quote, invented):
    findings = assess_take(quote, ["Fixes failing builds"], "ship", GREENLIGHT).flags
    assert any(f.startswith("unsupported-fact") for f in findings) is invented, findings
