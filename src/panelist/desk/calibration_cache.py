"""Calibration's per-product reads, each kept until its product file or drafts change (the
catalogue's rule: size, mtime or inode), so /calibration over a large catalogue costs a stat
per file, not a parse."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from panelist.review.calibration import ProductCalls, product_calls
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace


class CalibrationCache:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._reads: dict[str, tuple[tuple[object, ...], ProductCalls]] = {}
        self._lock = threading.Lock()

    def products(self) -> dict[str, ProductCalls]:
        with self._lock:
            store = DraftStore(self.workspace)
            slugs = self.workspace.drafted_products()
            reads = {}
            for slug in slugs:
                folder = self.workspace.drafts_dir / slug
                key = (file_keys([self.workspace.products_dir / f"{slug}.md"]),
                       file_keys(sorted(folder.glob("*.md"))))
                cached = self._reads.get(slug)
                if cached is None or cached[0] != key:
                    cached = (key, product_calls(self.workspace, store, slug))
                    self._reads[slug] = cached
                reads[slug] = cached[1]
            for gone in set(self._reads) - set(slugs):
                del self._reads[gone]
            return reads


def file_keys(paths: list[Path]) -> tuple[tuple[str, int, int, int], ...]:
    """Each file's name, mtime, size and inode: a changed key is a changed file."""
    keys = []
    for path in paths:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            continue
        keys.append((path.name, info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(keys)
