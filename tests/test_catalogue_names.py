"""The gate looks a catalogue's names up in a take: names of everyday words only ("Claude
Code") are found as written, by a piece of each, and the pieces find exactly the names that
looking for every one finds, however many names the catalogue holds."""

from __future__ import annotations

import random

import pytest

from panelist.quality.context import FEW_PLAIN_NAMES, PlainNames, catalogue

WORDS = ["claude", "code", "notes", "open", "data", "the", "ai", "x", "go", "product", "cloud",
         "run", "pro", "2", "xcode", "claudecode", "000001", "0001"]


@pytest.mark.parametrize("seed", range(5))
def test_the_pieces_find_the_names_each_text_holds_and_no_other(seed):
    rng = random.Random(seed)
    names = sorted({" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))).title()
                    for _ in range(300)} | {"Go", "X", "AI"})
    assert len(names) > FEW_PLAIN_NAMES  # looked up by pieces, not one by one
    plain = PlainNames.of(names)

    for _ in range(500):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30)))

        assert plain.in_text(text) == {name for name in names if name.lower() in text}


def test_a_catalogue_of_numbered_names_finds_the_one_a_take_names():
    names = tuple(f"Product {number:06d}" for number in range(2000))
    found = catalogue(names).without("Product 000007").named_in(
        set(), "unlike product 001234, and product 000007 itself, this one runs offline")

    assert [name for name, _ in found] == ["Product 001234"]
