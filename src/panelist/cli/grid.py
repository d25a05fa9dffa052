"""Tables that fit the terminal with every word whole.

A column is never narrower than its longest word, so rich wraps cells between words and never
cuts one. When the columns do not fit, the optional ones are left out (last named first) and
a note says which; when even the essential ones do not fit, each row becomes a block of
``column value`` pairs that wraps like prose. ``--json`` always has every field.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

BORDER = 3  # each column's padding and its left border; the table adds one more
GLUE = "\0"  # holds words together while textwrap wraps a stacked row
LONG_TABLE = 60  # rows past which a table prints as aligned lines (rich measures each cell)


def fitted_table(rows: list[dict[str, Any]], columns: Sequence[str], *, width: int,
                 optional: Sequence[str] = (), title: str | None = None,
                 keep_empty: Sequence[str] = (), right: Sequence[str] = ()) -> RenderableType:
    """``columns`` in order, as wide as ``width`` allows; ``optional`` go first, last first.

    Columns empty in every row are left out, except those in ``keep_empty``.
    """
    shown = [c for c in columns if c in keep_empty
             or any(cell(row.get(c)) for row in rows)] or list(columns)
    long = len(rows) > LONG_TABLE
    lines = _Aligned(rows, columns) if long else None  # each cell made once, however measured
    measure = lines.width if lines is not None else table_width
    dropped: list[str] = []
    for column in reversed(optional):
        if measure(rows, shown) <= width:
            break
        if column in shown:
            shown.remove(column)
            dropped.append(column)
    if measure(rows, shown) > width:
        return stacked_rows(rows, [c for c in columns if c in shown or c in dropped], title,
                            width)
    table: Table | Text = (lines.render(shown, title, right, width) if lines is not None else
                           Table(title=Text(title) if title else None, title_justify="left"))
    if isinstance(table, Table):
        for column in shown:
            table.add_column(header(column), justify="right" if column in right else "left",
                             min_width=longest_word(rows, column))
        for row in rows:
            table.add_row(*(Text(cell(row.get(column))) for column in shown))
    if not dropped:
        return table
    left_out = ", ".join(header(column) for column in reversed(dropped))
    return Group(table, Text(f"not shown at {width} columns: {left_out} (a wider terminal or "
                             f"--json shows them)", style="dim"))


def stacked_rows(rows: list[dict[str, Any]], columns: Sequence[str], title: str | None,
                 width: int) -> Group:
    """One block per row: the first column as its heading, then ``column value`` pairs,
    wrapped between pairs; a label is never parted from its value."""
    parts: list[RenderableType] = [Text(title, style="bold")] if title else []
    first, rest = columns[0], columns[1:]
    for row in rows:
        parts.append(Text(cell(row.get(first)), style="bold"))
        kept = " · ".join(f"{header(column).replace(' ', GLUE)}{GLUE}{value}" for column in rest
                          if (value := cell(row.get(column))))  # a label stays with its value
        for line in textwrap.wrap(kept, max(width - 2, 20), break_long_words=False,
                                  break_on_hyphens=False):
            parts.append(Text("  " + line.replace(GLUE, " ")))
    return Group(*parts)


class _Aligned:
    """A long listing (a catalogue of a thousand products) as plain lines, each cell on one
    line and padded to its column's widest: every cell is made and measured once, however
    many columns are tried."""

    def __init__(self, rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
        self.cells = {c: [" ".join(cell(row.get(c)).split()) for row in rows] for c in columns}
        self.widths = {c: max([len(header(c))] + [len(text) for text in self.cells[c]])
                       for c in columns}

    def width(self, rows: list[dict[str, Any]], columns: Sequence[str]) -> int:
        """Each column's widest cell, two spaces between."""
        return sum(self.widths[c] for c in columns) + 2 * (len(columns) - 1)

    def render(self, columns: Sequence[str], title: str | None, right: Sequence[str],
               width: int) -> Text:
        widths = [self.widths[c] for c in columns]

        def line(values: Sequence[str]) -> str:
            return "  ".join(value.rjust(w) if c in right else value.ljust(w)
                             for value, w, c in zip(values, widths, columns, strict=True)
                             ).rstrip()

        lines = [title] if title else []
        lines += [line([header(c) for c in columns]), line(["-" * w for w in widths])]
        lines += [line(values) for values in zip(*(self.cells[c] for c in columns), strict=True)]
        # rich would look for a place to wrap in each of a thousand lines that fit (one cell a
        # character: ASCII); a long title, or wide characters, wrap as before
        fits = all(text.isascii() and len(text) <= width for text in lines)
        return Text("\n".join(lines), no_wrap=fits)


def table_width(rows: list[dict[str, Any]], columns: Sequence[str]) -> int:
    """The narrowest width at which the table cuts no word."""
    return sum(longest_word(rows, column) + BORDER for column in columns) + 1


def longest_word(rows: list[dict[str, Any]], column: str) -> int:
    words = [len(word) for row in rows for word in cell(row.get(column)).split()]
    return max([*words, *(len(word) for word in header(column).split())])


def header(column: str) -> str:
    return column.replace("_", " ")


def cell(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, float):
        return f"${value:.4f}"
    if isinstance(value, (list, tuple)):
        return "-".join(str(item) for item in value)
    return str(value)
