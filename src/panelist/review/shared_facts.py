"""The catalogue's facts as the workers of one read derive them: each its share, once.

Nearly every take the gate judges asks the catalogue's facts (its rival check, ``borrowed``):
every product's uncommon terms and figures, 0.2-0.4 s of CPU for a thousand products, and the
same again to read and parse their files. A cold read's workers would each derive them all;
here each derives its share (every n-th product file, n the workers), leaves it in the read's
shared folder for the others (a file written whole, then renamed: a worker never waits on a
reader or a pipe), and takes theirs. A share not there when a worker's own is done is derived
by that worker itself, from its far end (its owner derives from the near end), looking for
the share again after each product, and left for the others once whole: a worker that never
asks (it judges no take) costs the others no wait, only the work it would have done, and one
that asks late finds the shares there, its own too, and derives none. The facts are the ones
one process derives, in the same order (the product files sorted by name, as
``Workspace.products`` reads them). What a worker derives is handed to the reader too, which
keeps it in the index (``kept_facts``): the next read derives none.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from panelist.errors import InputError
from panelist.models import SLUG_PATTERN
from panelist.review.kept_facts import KeptFacts, kept_entry
from panelist.store import frontmatter
from panelist.store.files import read_bytes
from panelist.store.index import content_digest
from panelist.store.workspace import Workspace

Facts = tuple[str, frozenset[str]]  # a product's name and facts
# by the product file's place in the listing: its name, and its facts (None where it does not
# load); the name, so a share from a worker that listed other files is not taken
Share = dict[int, tuple[str, Facts | None]]


class SharedFacts:
    """One worker's part in deriving the catalogue's facts: worker ``position`` of ``count``,
    leaving its share in ``folder`` and handing what it derives to the reader (``results``)."""

    def __init__(self, folder: str, position: int, count: int, results: Any) -> None:
        self.folder, self.position, self.count, self.results = folder, position, count, results
        self._foreign: set[int] = set()  # shares left by a worker that listed other files

    def facts(self, workspace: Workspace) -> list[Facts]:
        """Every loadable product's name and facts, in the order of its file's name."""
        files = sorted(workspace.products_dir.glob("*.md"))
        shares = [range(owner, len(files), self.count) for owner in range(self.count)]
        kept: list[KeptFacts] = []
        derived: dict[int, Facts | None] = {}
        left = {owner: list(shares[owner]) for owner in
                [self.position, *(owner for owner in range(self.count) if owner != self.position)]}
        while left:
            owner = next(iter(left))  # its own share first
            share = self._taken(owner, {at: files[at].name for at in shares[owner]})
            if share is not None:
                derived.update(share)
                del left[owner]
                continue
            todo = left[owner]
            # its own from the near end; another's from the far end (its owner's near end)
            at = todo.pop(0) if owner == self.position else todo.pop()
            derived[at] = _derive(workspace, files[at], kept)
            if not todo:
                del left[owner]
                self._leave(owner, {at: (files[at].name, derived[at]) for at in shares[owner]})
        if kept:
            self.results.put(("facts", kept))
        return [found for at in range(len(files)) if (found := derived[at]) is not None]

    def _path(self, owner: int) -> str:
        return os.path.join(self.folder, f"{owner}.pickle")

    def _leave(self, owner: int, share: Share) -> None:
        """``owner``'s share, derived here, for the others (unless it is there already):
        written whole, then renamed into place."""
        path = self._path(owner)
        try:
            if os.path.exists(path):
                return
            part = f"{path}.{self.position}.part"
            with open(part, "wb") as out:
                pickle.dump(share, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(part, path)
        except OSError:
            pass  # the others derive it themselves

    def _taken(self, owner: int, names: dict[int, str]) -> dict[int, Facts | None] | None:
        """``owner``'s share, once it has left it (None until then, or if unreadable, or
        derived from other files than ``names``: a product file added or removed between
        the two workers' listings)."""
        path = self._path(owner)
        if owner in self._foreign or not os.path.exists(path):
            return None
        try:
            with open(path, "rb") as share:
                found = pickle.load(share)
            held = {at: name for at, (name, _) in found.items()}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError,
                ValueError):
            return None
        if held != names:
            self._foreign.add(owner)
            return None
        return {at: facts for at, (_, facts) in found.items()}


def _derive(workspace: Workspace, path: Path, kept: list[KeptFacts]) -> Facts | None:
    """A product file's name and facts as ``Workspace.products`` loads it (None where it does
    not load); with the hash of the bytes they came from, to keep (a file named as a slug)."""
    from panelist.quality import product_facts, product_text

    raw = None
    try:
        if SLUG_PATTERN.match(path.stem):  # what ``load_product`` reads, its bytes hashed
            frontmatter.check_regular_file(path, workspace.shown(path))
            raw = read_bytes(str(path))
            product = workspace.parse_product(path, frontmatter.decode(raw, path))
        else:
            product = workspace.load_product(path.stem)
    except (InputError, OSError):
        return None
    facts = product_facts(product_text(product))
    if raw is not None:
        kept.append(kept_entry(f"products/{path.name}", content_digest(raw), product.name,
                               facts))
    return product.name, facts
