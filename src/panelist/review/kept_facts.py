"""The catalogue's facts as the gate's rival check reads them (each product's uncommon terms
and figures, ``quality.product_facts``), kept in the workspace's index beside the products'
rows: a read that judges a take reads them in milliseconds instead of deriving a thousand
products' again. Each is keyed by its product file's hash and the gate's version; one derived
from another file or by another gate is derived again, and kept with the read's rows."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from panelist.errors import FileFormatError
from panelist.models import Product
from panelist.quality.version import gate_version
from panelist.store.files import md_files, read_bytes
from panelist.store.index import WorkspaceIndex, content_digest

KeptFacts = tuple[str, str, str, str]  # path, inputs, name, facts (JSON)


def catalogue_facts(index: WorkspaceIndex, folder: Path, digests: dict[str, str],
                    parse: Callable[[str, dict[str, bytes]], Product | FileFormatError],
                    fresh: list[KeptFacts]) -> list[tuple[str, frozenset[str]]]:
    """Each product's name and facts. ``digests``: each product file's path and hash as the
    read knows them; a product file of ``folder`` it does not know (a read of other products,
    on a new index) is read and hashed here. ``parse(path, raw)``: the product, from ``raw``
    where it holds the path's bytes. What is derived now is added to ``fresh``, for the read
    to keep."""
    from panelist.quality import product_facts, product_text

    digests = dict(digests)
    raw: dict[str, bytes] = {}
    for path, content in _unknown_products(folder, digests):
        digests[path], raw[path] = content_digest(content), content
    try:
        kept = index.facts()
    except sqlite3.DatabaseError:  # a damaged index: every product's facts derived again
        kept = {}
    found: list[tuple[str, frozenset[str]]] = []
    for path, digest in digests.items():
        inputs = facts_inputs(digest)
        stored = _stored(kept.get(path), inputs)
        if stored is not None:
            found.append(stored)
            continue
        product = parse(path, raw)
        if isinstance(product, Product):  # a product file that does not load has no facts
            facts = product_facts(product_text(product))
            fresh.append(kept_entry(path, digest, product.name, facts))
            found.append((product.name, facts))
    return found


def kept_entry(path: str, digest: str, name: str, facts: frozenset[str]) -> KeptFacts:
    """A product's facts as the index keeps them: derived from the file whose content hash
    is ``digest``, by this gate."""
    return path, facts_inputs(digest), name, json.dumps(sorted(facts))


def facts_inputs(digest: str) -> str:
    """What a product's kept facts were derived from: its file's content hash, and the gate."""
    return f"{digest} {gate_version()}"


def _stored(stored: tuple[str, str, str] | None, inputs: str
            ) -> tuple[str, frozenset[str]] | None:
    """A product's name and facts as the index keeps them, when derived from ``inputs``
    (and readable: anything else is derived again)."""
    if stored is None or stored[0] != inputs:
        return None
    try:
        facts = json.loads(stored[2])
    except ValueError:
        return None
    if not isinstance(facts, list) or not all(isinstance(fact, str) for fact in facts):
        return None
    return stored[1], frozenset(facts)


def _unknown_products(folder: Path, known: dict[str, str]) -> Iterator[tuple[str, bytes]]:
    for entry in md_files(folder):
        if f"products/{entry.name}" not in known:
            try:
                yield f"products/{entry.name}", read_bytes(entry.path)
            except OSError:
                continue  # gone since it was listed
