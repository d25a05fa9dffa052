"""The gate's version: a hash of its own code and data, found on disk, not imported.

A take's findings are the gate's of some version: the index keeps an edited take's judgement
under it, and a draft records the version that judged it when it was written, so a changed
gate never shows an older gate's findings as its own. Reading the version loads no check.
"""

from __future__ import annotations

import functools
import hashlib
from importlib.util import find_spec
from pathlib import Path

VERSION_CHARS = 12  # of the hash, as a draft and the index record it
# The learned readings (``learned.Name``): their weights, ``data/<reading>.json``, are the
# gate's data; the rest of ``data/`` (the models and their prices) is not, and changing it
# must not have every take judged again.
READINGS = ("leaning", "filler")


@functools.cache
def gate_source_hash() -> str:
    """A hash of the gate's own code and data (its learned readings' weights in
    ``panelist/data/``)."""
    spec = find_spec("panelist.quality")
    assert spec is not None and spec.origin is not None
    module = Path(spec.origin)
    files = sorted(module.parent.glob("*.py")) if module.name == "__init__.py" else [module]
    files += [module.parent.parent / "data" / f"{reading}.json" for reading in READINGS]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def gate_version() -> str:
    """The gate's version as a draft records it (``quality_gate``)."""
    return gate_source_hash()[:VERSION_CHARS]
