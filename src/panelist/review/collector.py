"""CPython's cycle collector, paused while a read builds its rows.

The collector runs after every few hundred new objects, and now and then it walks every object
the process holds. A read of a large catalogue's index makes hundreds of thousands of objects:
rows, their dicts and strings, the files' stats. None of them is in a cycle, so reference
counting frees each as soon as it is dropped, and every collection the read triggers finds
nothing. Those walks grow with the catalogue. Paused, a warm ``status`` took about 12% less
at 1,000 products and at 10,000 (BENCHMARKS.md, session 11). A worker forked during
the read starts with it paused too and lives only as long as the read. Whatever cycles a read
does make are collected once the collector runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector paused for the block, and running again after it if it was running
    before: a read inside another read, or beside one in another thread (the desk's), leaves
    it to the outermost."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
