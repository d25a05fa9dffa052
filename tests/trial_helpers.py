"""A workspace where one persona has approved takes on four products, and a fake model whose
answers tell the variants apart (a brief, a model), for the trial specs and the benchmark."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fake_messages_api import default_take, prompt_text
from helpers import build_file_tree
from panel_helpers import write_take
from panelist.review.approval import approve_takes
from panelist.store.workspace import Workspace

PERSONA = "skeptic"
OPUS = "claude-opus-5"
HARSHER = "Be harsher than usual: skip anything unproven."  # the variant file's extra line
CHANGED = "beta-tool"  # the model now writes one word differently here than was approved


def product_file(name: str, ship: int | None = None, skip: int | None = None) -> str:
    votes = f"community: {{ship: {ship}, skip: {skip}}}\n" if ship is not None else ""
    return (f"---\nname: {name}\ntagline: {name} indexes Markdown notes for search\ncategory: "
            f"Developer Tools\npricing: Freemium\n{votes}---\n{name} indexes Markdown notes "
            f"for full-text search, with a free tier and a paid plan for teams.\n")


def concrete_take(persona: str, prompt: str) -> dict[str, Any]:
    """The fake's default verdict and reasons, with a quote that gives the product's facts
    (read off ``prompt``), as an approved take would: the fake's generic quote is filler."""
    take = default_take(persona, prompt)
    found = re.search(r"^Product: (.+)$", prompt, re.MULTILINE)
    name = found.group(1).strip() if found else "It"
    take["quote"] = (
        f"{name} indexes Markdown notes for full-text search, and I read its page twice before "
        "forming a view. The core idea is sound: point it at the folder of notes a team "
        "already keeps and search works, with a free tier to try it and a paid plan once a "
        f"team relies on it. On balance my verdict is {take['verdict']}: plain Markdown files "
        "mean nothing is locked in, but I want to see how search copes with a large vault.")
    return take


def trial_take(persona: str, params: dict[str, Any]) -> dict[str, Any]:
    """The fake's take (``concrete_take``), changed by what the request carries: the harsher
    brief flips the verdict, the Opus model rewrites a phrase, the Beta Tool product changes
    one word."""
    take = concrete_take(persona, prompt_text(params))
    request = json.dumps(params)
    if HARSHER in request:  # the quote says the call too, so the gate sees no contradiction
        old, new = take["verdict"], "skip" if take["verdict"] == "ship" else "ship"
        take["verdict"] = new
        take["quote"] = take["quote"].replace(f"verdict is {old}", f"verdict is {new}")
    if params.get("model") == OPUS:
        take["quote"] = take["quote"].replace("The core idea is sound", "The core idea is shaky")
    if "Beta Tool" in request:
        take["quote"] = take["quote"].replace("twice", "again")
    return take


def approved_workspace(workspace: Workspace, products: int = 4) -> list[str]:
    """``products`` products whose skeptic take was approved as the fake writes it, most
    recently approved first in the returned list."""
    names = ["Alpha Tool", "Beta Tool", "Gamma Tool", "Delta Tool", *(
        f"Tool {n}" for n in range(5, products + 1))][:products]
    slugs = [name.lower().replace(" ", "-") for name in names]
    build_file_tree(workspace.root, {f"products/{slug}.md": product_file(name)
                                     for slug, name in zip(slugs, names, strict=True)})
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    for index, (slug, name) in enumerate(zip(slugs, names, strict=True)):
        take = concrete_take(PERSONA, f"Product: {name}\nTagline: {name} indexes Markdown "
                                      f"notes for search\n")  # as the fake writes it
        write_take(workspace, slug, PERSONA, take["verdict"], take["quote"])
        approve_takes(workspace, slug, [PERSONA], now=start - timedelta(days=index),
                      approver="Ed", allow_quality=True)  # synthetic takes
    return slugs


def variant_file(workspace: Workspace, folder: Path, stem: str = "harsher") -> Path:
    """A copy of the persona file with one more line in its brief."""
    source = workspace.persona_path(PERSONA).read_text(encoding="utf-8")
    path = folder / f"{stem}.md"
    path.write_text(source.rstrip("\n") + f"\n\n{HARSHER}\n", encoding="utf-8")
    return path


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}
