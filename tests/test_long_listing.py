"""A long listing (more than ``LONG_TABLE`` rows, a catalogue of a thousand products) prints as
plain aligned lines fitted to the terminal: optional columns are left out first, every cell is
whole, and a line rich would have to wrap (wide characters) still wraps rather than being cut."""

from __future__ import annotations

import io

from rich.console import Console

from panelist.cli.grid import LONG_TABLE, fitted_table


def rows(count: int, name: str = "Product") -> list[dict[str, object]]:
    return [{"slug": f"product-{index:04d}", "name": f"{name} {index}", "drafted": index % 6,
             "cost_usd": 0.25 * index} for index in range(count)]


def printed(renderable: object, width: int) -> list[str]:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text().splitlines()


def test_a_long_listing_is_aligned_lines_with_every_cell_whole() -> None:
    listing = rows(LONG_TABLE + 40)

    lines = printed(fitted_table(listing, ["slug", "name", "drafted", "cost_usd"], width=80,
                                 right=["drafted"]), 80)

    assert lines[0].split() == ["slug", "name", "drafted", "cost", "usd"]
    assert len(lines) == 2 + len(listing)
    assert lines[2 + 99] == "product-0099  Product 99        3  $24.7500"
    assert len({line.index("Product") for line in lines[2:]}) == 1  # one column, aligned


def test_optional_columns_are_left_out_first_when_the_listing_is_too_wide() -> None:
    listing = rows(LONG_TABLE + 1)

    lines = printed(fitted_table(listing, ["slug", "name", "drafted", "cost_usd"], width=30,
                                 optional=["cost_usd", "name"]), 30)

    assert lines[0].split() == ["slug", "drafted"]
    assert "not shown at 30 columns: cost usd, name" in " ".join(" ".join(lines).split())
    assert max(len(line) for line in lines) <= 30


def test_wide_characters_wrap_rather_than_being_cut() -> None:
    listing = rows(LONG_TABLE + 1, name="製品の名前")  # two cells a character on a terminal

    lines = printed(fitted_table(listing, ["slug", "name"], width=26), 26)

    assert "".join(lines).count("製品の名前") == len(listing)
