"""The catalogue's facts as the workers of one read derive them: each block of products once.

Nearly every take the gate judges asks the catalogue's facts (its rival check, ``borrowed``):
every product's uncommon terms and figures, 0.2-0.4 s of CPU for a thousand products, and the
same again to read and parse their files. A cold read's workers would each derive them all;
here the product files (sorted by name, as ``Workspace.products`` reads them) are cut into
blocks of ``BLOCK``, block ``b`` the share of worker ``b % n``. A worker claims a block before
it derives it (a claim file made only where none is: no two derive one block), leaves it in the
read's shared folder for the others (a file written whole, then renamed: a worker never waits
on a reader or a pipe), and takes the blocks the others left. It derives its own blocks first,
then the blocks nobody claimed yet from the far end (their owners start at the near end): a
worker that never asks (it judges no take) costs the others no wait, only the work it would have
done, and one that asks late finds the blocks there and derives none. A block another worker
claimed but has not left yet is derived by this one too, from its far end, looking for it again
after each product, rather than waited for. The facts are the ones one process derives, in the
same order. What a worker derives is handed to the reader too, which keeps it in the index
(``kept_facts``): the next read derives none.
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

BLOCK = 20  # product files a block: a worker claims, derives and leaves one at a time
Facts = tuple[str, frozenset[str]]  # a product's name and facts
# by the product file's place in the listing: its name, and its facts (None where it does not
# load); the name, so a block from a worker that listed other files is not taken
Share = dict[int, tuple[str, Facts | None]]


class SharedFacts:
    """One worker's part in deriving the catalogue's facts: worker ``position`` of ``count``,
    leaving its blocks in ``folder`` and handing what it derives to the reader (``results``)."""

    def __init__(self, folder: str, position: int, count: int, results: Any) -> None:
        self.folder, self.position, self.count, self.results = folder, position, count, results
        self._foreign: set[int] = set()  # blocks left by a worker that listed other files

    def facts(self, workspace: Workspace) -> list[Facts]:
        """Every loadable product's name and facts, in the order of its file's name."""
        files = sorted(workspace.products_dir.glob("*.md"))
        names = [path.name for path in files]
        blocks = [range(start, min(start + BLOCK, len(files)))
                  for start in range(0, len(files), BLOCK)]
        own = [block for block in range(len(blocks)) if block % self.count == self.position]
        others = [block for block in reversed(range(len(blocks)))
                  if block % self.count != self.position]
        kept: list[KeptFacts] = []
        derived: dict[int, Facts | None] = {}
        claimed: list[int] = []  # by another worker, not left yet when this one came to it
        for block in own + others:
            share = self._taken(block, names, blocks[block])
            if share is not None:
                derived.update(share)
            elif self._claim(block):
                for at in blocks[block]:
                    derived[at] = _derive(workspace, files[at], kept)
                self._leave(block, {at: (names[at], derived[at]) for at in blocks[block]})
            else:
                claimed.append(block)
        for block in claimed:  # from its far end, looking for it after each product
            todo = list(blocks[block])
            while todo:
                share = self._taken(block, names, blocks[block])
                if share is not None:
                    derived.update(share)
                    break
                at = todo.pop()
                derived[at] = _derive(workspace, files[at], kept)
            else:
                self._leave(block, {at: (names[at], derived[at]) for at in blocks[block]})
        if kept:
            self.results.put(("facts", kept))
        return [found for at in range(len(files)) if (found := derived[at]) is not None]

    def _path(self, block: int) -> str:
        return os.path.join(self.folder, f"{block}.pickle")

    def _claim(self, block: int) -> bool:
        """Whether this worker may derive ``block``: no other claimed it (a claim file made
        only where none is). Where no claim can be made at all, it derives the block."""
        try:
            os.close(os.open(f"{self._path(block)}.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        except OSError:
            pass
        return True

    def _leave(self, block: int, share: Share) -> None:
        """``block``, derived here, for the others (unless it is there already): written
        whole, then renamed into place."""
        path = self._path(block)
        try:
            if os.path.exists(path):
                return
            part = f"{path}.{self.position}.part"
            with open(part, "wb") as out:
                pickle.dump(share, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(part, path)
        except OSError:
            pass  # the others derive it themselves

    def _taken(self, block: int, names: list[str], places: range
               ) -> dict[int, Facts | None] | None:
        """``block``, once a worker has left it (None until then, or if unreadable, or
        derived from other files than ``names``: a product file added or removed between
        the two workers' listings)."""
        path = self._path(block)
        if block in self._foreign or not os.path.exists(path):
            return None
        try:
            with open(path, "rb") as share:
                found = pickle.load(share)
            held = {at: name for at, (name, _) in found.items()}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError,
                ValueError):
            return None
        if held != {at: names[at] for at in places}:
            self._foreign.add(block)
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
