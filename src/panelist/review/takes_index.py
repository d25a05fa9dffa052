"""Every take of the workspace, derived once per change of its files and kept in the index.

``read_index`` stats the product and draft files (of the whole workspace, or of the products
named), re-reads only those whose stat changed, and re-derives a take only when its draft, its
product or its persona's word range changed (``take_rows`` derives it, as a fresh read would,
in worker processes when there are many). The personas are read every time (a few
small files), so a persona file removed or renamed is seen at once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from panelist.errors import FileFormatError
from panelist.models import SLUG_PATTERN, Persona, Product
from panelist.quality.version import gate_version
from panelist.review import collector
from panelist.store import frontmatter
from panelist.store.files import entries, md_files, read_bytes
from panelist.store.index import (
    RACY_NS,
    FileStat,
    FileUpdate,
    TakeRow,
    UntrustedIndex,
    WorkspaceIndex,
    content_digest,
)
from panelist.store.workspace import Workspace

if TYPE_CHECKING:  # deriving (the gate, lint, the workers) is imported when a take needs it:
    from panelist.quality import CatalogueFacts
    from panelist.review.ahead import ForkedAhead
    from panelist.review.take_rows import TakeDeriver  # a read of an up-to-date index has none
    from panelist.review.take_workers import Workers

# What the catalogue reads of each take (the findings and the seat only when asked for).
CATALOGUE_COLUMNS = ("product", "persona", "verdict", "status", "edited", "cost_usd",
                     "generated_at", "errors", "warnings", "quality", "problem")


@dataclass(frozen=True)
class ProductEntry:
    """A product file's front matter as the catalogue shows it, or why it cannot be read."""

    slug: str
    name: str
    category: str
    tagline: str
    problem: str | None = None


@dataclass(frozen=True)
class IndexSnapshot:
    personas: dict[str, Persona]
    products: dict[str, ProductEntry]  # by slug: every file in products/ (in scope)
    takes: dict[str, list[TakeRow]]  # by product slug: every draft file in drafts/ (in scope)


def read_index(workspace: Workspace, scope: Iterable[str] | None = None, *,
               columns: Sequence[str] = CATALOGUE_COLUMNS,
               ahead: ForkedAhead | None = None) -> IndexSnapshot:
    """The products and takes of the workspace (or of the products in ``scope``), brought up
    to date with the files first; each take with these of ``TAKE_COLUMNS``. ``ahead``: the
    workers ``fork_ahead`` forked for this read (closed by it, used or not)."""
    try:
        personas = workspace.load_personas()
        slugs = None if scope is None else list(dict.fromkeys(scope))
        with collector.paused(), WorkspaceIndex(workspace.state_dir) as index:
            try:
                return _Refresh(workspace, index, personas, slugs, ahead).run(columns)
            except (sqlite3.DatabaseError, UntrustedIndex, ValueError, KeyError, TypeError):
                index.discard()  # damaged since it was opened: never trusted, rebuilt
                return _Refresh(workspace, index, personas, slugs).run(columns)
    finally:
        if ahead is not None:
            ahead.close()


def panel_key(personas: dict[str, Persona]) -> str:
    """What every take of a whole-catalogue read is derived with, as the index records it."""
    return " ".join(persona_key(persona) for persona in personas.values())


def persona_key(persona: Persona | None) -> str:
    """What of a persona a take's derived row depends on: its id and word range (lint), its
    brief (the gate's echo check), and the gate's own code."""
    if persona is None:
        return "-"
    brief = hashlib.sha256(persona.brief.encode()).hexdigest()[:12]
    return (f"{persona.id}:{persona.quote_words[0]}-{persona.quote_words[1]}:{brief}:"
            f"{gate_version()}")


class _Refresh:
    def __init__(self, workspace: Workspace, index: WorkspaceIndex,
                 personas: dict[str, Persona], slugs: list[str] | None,
                 ahead: ForkedAhead | None = None) -> None:
        self.workspace, self.index, self.personas, self.slugs = workspace, index, personas, slugs
        self.ahead = ahead
        self.scope = None if slugs is None else frozenset(slugs)  # for membership: O(1)
        self._deriver: TakeDeriver | None = None
        self.parsed: dict[str, Product | FileFormatError] = {}  # products parsed by this read
        self.names: dict[str, str] | None = None  # the catalogue's names, for the gate
        self.fresh_products: dict[str, tuple[str, str, str]] = {}
        self.odd: list[str] = []  # "drafts/<slug>/dx.md" that is a folder or a FIFO
        self.workers: Workers | None = None  # forked as soon as many takes are seen to change
        self.contents: dict[str, bytes] = {}  # the files this read found changed, as read
        self.removed: frozenset[str] = frozenset()
        self.fresh_facts: list[tuple[str, str, str, str]] = []  # derived by this read

    @property
    def deriver(self) -> TakeDeriver:
        if self._deriver is None:
            from panelist.review.gate import CatalogueReader
            from panelist.review.take_rows import TakeDeriver

            self._deriver = TakeDeriver(self.workspace, self.personas, self._names,
                                        catalogue=CatalogueReader(self._catalogue))
        return self._deriver

    def _catalogue(self) -> CatalogueFacts:
        from panelist.quality import CatalogueFacts

        return CatalogueFacts(self._product_facts)

    def _product_facts(self) -> list[tuple[str, frozenset[str]]]:
        """Every product's name and facts (``kept_facts``): a read of some products reads
        the others' as the index knows them, as it reads their names."""
        from panelist.review.kept_facts import catalogue_facts

        digests = {path: inputs for path, (inputs, _) in self.index.products().items()}
        digests.update({path: inputs for path, (_, inputs, _) in self.fresh_products.items()})
        for path in self.removed:
            digests.pop(path, None)
        return catalogue_facts(self.index, self.workspace.products_dir, digests,
                               lambda path, raw: self._product(path, {**self.contents, **raw}),
                               self.fresh_facts)

    def _names(self) -> dict[str, str]:
        """Every product's name (the gate's wrong-product check), as the index knows them,
        with this read's own products on top: no product file is read for it."""
        if self.names is None:
            rows = [row for _, row in self.index.products().values()]
            rows += [row for _, _, row in self.fresh_products.values()]
            entries = [ProductEntry(**json.loads(row)) for row in rows]
            self.names = {entry.slug: entry.name for entry in entries if not entry.problem}
        return self.names

    def run(self, columns: Sequence[str]) -> IndexSnapshot:
        panel = panel_key(self.personas)
        try:
            if self.slugs is None and self.index.meta("panel") != panel:
                if self.ahead is not None and self.ahead.panel == panel:
                    self.workers = self.ahead.workers  # forked for this read, loaded by now
                else:
                    self.workers = fork_for_every_take(self.workspace, self.personas)
            on_disk = self._scan()
            known = {path: entry for path, entry in self.index.entries().items()
                     if self._in_scope(path)}
            if self.workers is None:
                self._fork_early(on_disk, known, panel)
            return self._refresh(on_disk, known, panel, columns)
        finally:
            if self.workers is not None:
                self.workers.close()

    def _refresh(self, on_disk: dict[str, tuple[str, FileStat]], known: dict[str, Any],
                 panel: str, columns: Sequence[str]) -> IndexSnapshot:
        updates, contents = self._reread(on_disk, known)
        self.contents = contents
        hashes = {path: entry.hash for path, entry in known.items() if path in on_disk}
        hashes.update({update.path: update.hash for update in updates})
        removed = [path for path in known if path not in on_disk]
        self.removed = frozenset(removed)
        unchanged = (not removed and all(update.content is None for update in updates)
                     and self.index.meta("panel") == panel)
        # Nothing read changed and the personas are the ones every take was derived with:
        # no take can need deriving again (a read of one product never records the panel).
        products = {} if unchanged else self._products(on_disk, hashes, contents)
        self.fresh_products = products
        takes: dict[str, TakeRow] = {}  # this read's rows, each batch as it is derived

        def derived(batches: Iterable[list[TakeRow]]) -> Iterator[list[TakeRow]]:
            for batch in batches:
                takes.update((str(row["path"]), row) for row in batch)
                yield batch

        batches = [] if unchanged else self._takes(on_disk, hashes, contents)
        # written as they are derived (every batch is taken, whether or not it can be written)
        self.index.write(updates, removed, derived(batches) if batches else [],
                         [(path, slug, inputs, row) for path, (slug, inputs, row)
                          in products.items()],
                         {"panel": panel} if self.slugs is None and not unchanged else None,
                         self.fresh_facts)  # read after the takes: deriving them adds to it
        return self._snapshot(on_disk, removed, products, takes, columns)

    def _fork_early(self, on_disk: dict[str, tuple[str, FileStat]], known: dict[str, Any],
                    panel: str) -> None:
        """Fork the workers now when the stats alone show many takes to derive (a new index,
        a new panel, many drafts or products changed): they load what deriving needs while
        this process reads the files."""
        moved = {path for path, (_, stat) in on_disk.items()
                 if (entry := known.get(path)) is None or entry.stat != stat or entry.racy}
        products = {path.split("/")[1].removesuffix(".md") for path in moved
                    if path.startswith("products/")}
        every = self.slugs is None and self.index.meta("panel") != panel
        changed = sum(1 for path, (kind, _) in on_disk.items() if kind == "draft" and (
            every or path in moved or path.split("/")[1] in products))
        self.workers = _fork(self.workspace, self.personas, changed)

    # which files, and which changed ------------------------------------------------------

    def _in_scope(self, path: str) -> bool:
        if self.scope is None:
            return True
        parts = path.split("/")
        slug = parts[1] if parts[0] == "drafts" else parts[1].removesuffix(".md")
        return slug in self.scope

    def _scan(self) -> dict[str, tuple[str, FileStat]]:
        """Every product and current draft file in scope, with its stat (history is not read
        here: it never changes, and only ``compare --takes`` needs it)."""
        found: dict[str, tuple[str, FileStat]] = {}
        products, drafts = self.workspace.products_dir, self.workspace.drafts_dir
        for entry in md_files(products):
            if self.scope is None or entry.name.removesuffix(".md") in self.scope:
                found[f"products/{entry.name}"] = ("product", FileStat.of(entry.stat()))
        slugs = (self.slugs if self.slugs is not None
                 else [e.name for e in entries(drafts) if e.is_dir()])
        for slug in slugs:
            if not SLUG_PATTERN.match(slug):
                continue
            for entry in entries(drafts / slug):  # one listing of each folder
                if not entry.name.endswith(".md"):
                    continue
                if entry.is_file():
                    found[f"drafts/{slug}/{entry.name}"] = ("draft", FileStat.of(entry.stat()))
                else:
                    self.odd.append(f"drafts/{slug}/{entry.name}")
        return found

    def _reread(self, on_disk: dict[str, tuple[str, FileStat]], known: dict[str, Any]
                ) -> tuple[list[FileUpdate], dict[str, bytes]]:
        """Read and hash the files whose stat changed (or that were racy); keep the bytes of
        those whose content changed."""
        updates: list[FileUpdate] = []
        contents: dict[str, bytes] = {}
        now = time.time_ns()
        root = f"{self.workspace.root}{os.sep}"
        for path, (kind, stat) in on_disk.items():
            entry = known.get(path)
            if entry is not None and entry.stat == stat and not entry.racy:
                continue
            try:
                raw = read_bytes(root + path)
            except OSError:
                continue  # gone since the scan: the next read drops it
            digest = content_digest(raw)
            racy = stat.mtime_ns > now - RACY_NS
            same = entry is not None and entry.hash == digest
            updates.append(FileUpdate(path, kind, stat, digest, racy, None if same else raw))
            if not same:
                contents[path] = raw
        return updates, contents

    def _content(self, path: str, contents: dict[str, bytes]) -> bytes:
        if path not in contents:
            contents.update(self.index.contents([path]))
        return contents[path]

    # deriving ---------------------------------------------------------------------------

    def _products(self, on_disk: dict[str, tuple[str, FileStat]], hashes: dict[str, str],
                  contents: dict[str, bytes]) -> dict[str, tuple[str, str, str]]:
        """(slug, inputs, row) of each product file whose content changed since derived."""
        derived = self.index.products()
        fresh: dict[str, tuple[str, str, str]] = {}
        for path, (kind, _) in on_disk.items():
            if kind != "product" or path not in hashes:
                continue
            if derived.get(path, ("", ""))[0] != hashes[path]:
                slug = Path(path).stem
                entry = _product_entry(self._product(path, contents), slug)
                fresh[path] = (slug, hashes[path], json.dumps(entry.__dict__))
        return fresh

    def _product(self, path: str, contents: dict[str, bytes]) -> Product | FileFormatError:
        if path not in self.parsed:
            full = self.workspace.root / path
            try:
                text = frontmatter.decode(self._content(path, contents), full)
                self.parsed[path] = self.workspace.parse_product(full, text)
            except FileFormatError as error:
                self.parsed[path] = error
        return self.parsed[path]

    def _takes(self, on_disk: dict[str, tuple[str, FileStat]], hashes: dict[str, str],
               contents: dict[str, bytes]) -> Iterable[list[TakeRow]]:
        """Rows of the takes whose draft, product or persona changed since derived, in
        batches as they are derived ([] when none)."""
        derived = self.index.take_inputs()
        keys = {pid: persona_key(persona) for pid, persona in self.personas.items()}
        wanted: list[tuple[str, str, bytes, Product | None]] = []
        for path, (kind, _) in on_disk.items():
            if kind != "draft" or path not in hashes:
                continue
            _, slug, name = path.split("/")
            product_path = f"products/{slug}.md"
            persona = keys.get(name.removesuffix(".md"), persona_key(None))
            inputs = f"{hashes[path]} {hashes.get(product_path, '-')} {persona}"
            if derived.get(path) == inputs:
                continue
            product = self._product(product_path, contents) if product_path in hashes else None
            wanted.append((path, inputs, self._content(path, contents),
                           product if isinstance(product, Product) else None))
        if not wanted:
            return []
        from panelist.review.take_workers import TakeJob

        jobs = [TakeJob(*job) for job in wanted]
        if self.workers is not None:
            return self.workers.derive(jobs, self._names(), self.fresh_facts)
        return self.deriver.derive(jobs, self.fresh_facts)

    # the answer -------------------------------------------------------------------------

    def _snapshot(self, on_disk: dict[str, tuple[str, FileStat]], removed: list[str],
                  products: dict[str, tuple[str, str, str]], takes: dict[str, TakeRow],
                  columns: Sequence[str]) -> IndexSnapshot:
        """What the index holds now, with this read's own rows on top (so the answer is right
        even when the index could not be written)."""
        # what this read derived is read back from the index only where it is not everything
        # (a new index: every file on disk was derived just now)
        kept = [path for path, (kind, _) in on_disk.items() if path not in products
                and path not in takes]
        product_rows = ({path: row for path, (_, row) in self.index.products().items()}
                        if any(path.startswith("products/") for path in kept) else {})
        product_rows.update({path: row for path, (_, _, row) in products.items()})
        entries: dict[str, ProductEntry] = {}
        for path, product_row in product_rows.items():
            if path in on_disk and path not in removed:
                entry = ProductEntry(**json.loads(product_row))
                entries[entry.slug] = entry
        rows = ({str(row["path"]): row for row in self.index.takes(self.slugs, columns)}
                if any(path.startswith("drafts/") for path in kept) else {})
        rows.update(takes)
        by_product: dict[str, list[TakeRow]] = {}
        for path, row in sorted(rows.items()):
            if path in on_disk:
                by_product.setdefault(str(row["product"]), []).append(row)
        for path in self.odd:  # never indexed: said again on every read, as the file says it
            row = self.deriver.unreadable(path)
            by_product.setdefault(str(row["product"]), []).append(row)
        return IndexSnapshot(self.personas, dict(sorted(entries.items())), by_product)


def fork_for_every_take(workspace: Workspace, personas: dict[str, Persona]) -> Workers | None:
    """A new index or a new panel: every draft is derived, so the workers are forked before
    the files are scanned when the products' folders alone (a draft per persona in each) show
    enough of them; the scan is then done while the first one loads."""
    return _fork(workspace, personas, len(entries(workspace.drafts_dir)) * len(personas))


def _fork(workspace: Workspace, personas: dict[str, Persona], takes: int) -> Workers | None:
    if not takes:
        return None
    from panelist.review.take_workers import Workers

    return Workers.early(takes, functools.partial(_loaded_deriver, workspace, personas))


def _loaded_deriver(workspace: Workspace, personas: dict[str, Persona]) -> TakeDeriver:
    """Called in a worker forked early: deriving is imported and loaded there, not here."""
    from panelist.review.take_rows import loaded_deriver

    return loaded_deriver(workspace, personas)


def _product_entry(product: Product | FileFormatError, slug: str) -> ProductEntry:
    if isinstance(product, FileFormatError):
        return ProductEntry(slug=slug, name=slug, category="", tagline="", problem=str(product))
    return ProductEntry(slug=slug, name=product.name, category=product.category,
                        tagline=product.tagline)
