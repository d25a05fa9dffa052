"""The quality gate's findings on a text, kept so that reading commands need not load the gate.

Loading the gate's word lists takes about a second, and ``status``, ``compare`` and the desk
judge every take as it stands. So each judgement is kept in ``.panelist/gate/<key>.json``, where
the key (made by ``review.gate``) hashes the gate's own source, the take's text and its context:
a different gate, text or context is a different key, never a stale answer. ``approve`` and
``publish`` never read it; they judge afresh. A file that cannot be read or written is no
error: the gate just runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile

from panelist.store.workspace import Workspace

_KEY = re.compile(r"^[0-9a-f]{32}$")


class GateCache:
    def __init__(self, workspace: Workspace) -> None:
        self.folder = workspace.state_dir / "gate"

    def get(self, key: str) -> list[str] | None:
        """The findings kept for ``key``, or None."""
        if not _KEY.match(key):
            return None
        try:
            flags = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if isinstance(flags, list) and all(isinstance(flag, str) for flag in flags):
            return flags
        return None

    def put(self, key: str, flags: list[str]) -> None:
        """Keep the findings: a temp file renamed into place, so a reader never sees half of
        one; no fsync, since a lost entry only means judging again."""
        if not _KEY.match(key):
            return
        with contextlib.suppress(OSError):  # a read-only workspace: judge again next time
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(json.dumps(flags))
                os.replace(tmp, self.folder / f"{key}.json")
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
