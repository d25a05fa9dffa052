"""The workspace's derived index: a SQLite file under .panelist/ that read commands and the desk
read instead of re-parsing every file. Files stay the truth; deleting the index loses nothing.

As git's index keys its stat cache, each file is keyed by path, size, mtime_ns and inode, and
its content hash: a read stats every file, and only a file whose stat changed is read and
hashed again; only a file whose hash changed is parsed again. A file written within a second of
being indexed is "racy" (an edit in the same clock tick would keep its stat), so the next read
hashes it again. Every write of panelist's own is an atomic rename, a new inode, so the stat
alone shows it, as it shows an editor's save.

    files     path, kind, stat, hash, content the stat cache, and each file's bytes
    takes     path, product, persona, inputs, one row per draft, derived from the draft, its
              typed columns, row (JSON)       product and persona; ``inputs`` says from what
    products  path, slug, inputs, row (JSON)  one row per product file: its front matter
    facts     path, inputs, name, facts (JSON) each product's facts, as the gate compares a
                                              take's with the catalogue's (derived once)
    meta      key, value                      what the whole index was derived with

What the rows mean is the review layer's business (``review/takes_index``); this module only
keeps them safe. The index is never trusted blindly: a wrong schema version, any
``DatabaseError`` while reading it (garbage bytes, a truncated file: SQLite checks each page's
structure as it reads it) or stored bytes that no longer match their hash discard the file,
and the read is answered again from the workspace (``discard``), which rebuilds it. (SQLite
keeps no checksum of a page's values, so a ``PRAGMA quick_check`` on every open would cost a
full scan and catch nothing more than reading does.)

WAL mode lets readers go on while one writer (SQLite's own lock, ``BEGIN IMMEDIATE``) commits,
and a transaction a killed process left unfinished is rolled back by SQLite, so no reader sees
a torn index. A large write's checkpoint (0.1 s after a cold read, mostly waiting on the disk)
is done by a thread as it closes, while the command goes on (``settle`` waits for it). When
the index cannot be written (a full disk, a read-only workspace), the read still answers from
the files; only the cache is lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

SCHEMA_VERSION = 2
INDEX_NAME = "index.sqlite3"
RACY_NS = 1_000_000_000  # a file changed this close to its indexing is hashed again next read
_BUSY_MS = 30_000
_ONE_QUERY_FROM = 50  # products asked for at once: above this one scan beats a query each
_CHECKPOINT_FROM = 1000  # pages in the WAL (4 MB): SQLite's own auto-checkpoint threshold
_closing: list[threading.Thread] = []  # this process's connections closing in the background

TAKE_COLUMNS = ("product", "persona", "inputs", "verdict", "status", "edited", "approved_hash",
                "words", "cost_usd", "generated_at", "quality", "findings", "errors",
                "warnings", "problem", "row")
_SCHEMA = f"""
CREATE TABLE files (
    path TEXT PRIMARY KEY, kind TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, hash TEXT NOT NULL,
    racy INTEGER NOT NULL, content BLOB NOT NULL);
CREATE TABLE takes (
    path TEXT PRIMARY KEY, product TEXT NOT NULL, persona TEXT NOT NULL, inputs TEXT NOT NULL,
    verdict TEXT, status TEXT, edited INTEGER, approved_hash TEXT, words INTEGER,
    cost_usd REAL, generated_at TEXT, quality TEXT NOT NULL, findings TEXT NOT NULL,
    errors INTEGER NOT NULL, warnings INTEGER NOT NULL, problem TEXT, row TEXT NOT NULL);
CREATE INDEX takes_by_product ON takes (product);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE products (
    path TEXT PRIMARY KEY, slug TEXT NOT NULL, inputs TEXT NOT NULL, row TEXT NOT NULL);
CREATE TABLE facts (
    path TEXT PRIMARY KEY, inputs TEXT NOT NULL, name TEXT NOT NULL, facts TEXT NOT NULL);
PRAGMA user_version = {SCHEMA_VERSION};
"""


def content_digest(content: bytes) -> str:
    """A file's content hash as the index keys it (and what is derived from the file)."""
    return hashlib.sha256(content).hexdigest()


class UntrustedIndex(Exception):
    """The index file is not one this version wrote whole; it is discarded and rebuilt."""


class FileStat(NamedTuple):  # tuples: a read builds thousands of these
    size: int
    mtime_ns: int
    ino: int

    @classmethod
    def of(cls, info: os.stat_result) -> FileStat:
        return cls(info.st_size, info.st_mtime_ns, info.st_ino)


class FileEntry(NamedTuple):
    """A file as the index knows it (without its bytes, read only when needed)."""

    path: str
    kind: str
    stat: FileStat
    hash: str
    racy: bool


@dataclass(frozen=True)
class FileUpdate:
    """A file read again: its new stat and hash, and its bytes when the hash changed."""

    path: str
    kind: str
    stat: FileStat
    hash: str
    racy: bool
    content: bytes | None  # None: same content as indexed, only the stat moved


TakeRow = dict[str, object]  # TAKE_COLUMNS plus "path"


def settle() -> None:
    """Wait for this process's connections closing in the background (each checkpointed)."""
    with contextlib.suppress(IndexError):  # another thread (the desk's) took the last one
        while True:
            _closing.pop().join()


class WorkspaceIndex:
    """One connection to a workspace's index; opening it checks it and rebuilds what is bad."""

    def __init__(self, state_dir: Path) -> None:
        settle()  # what this process wrote before is in the file first
        self.path = state_dir / INDEX_NAME
        self.connection = self._open()
        self.wrote = False  # a write committed (its checkpoint put off until the close)

    def close(self) -> None:
        """Closed now; or, after a write that left a large WAL, by a thread, checkpointed."""
        try:
            large = self.wrote and os.path.getsize(f"{self.path}-wal") >= _CHECKPOINT_FROM * 4096
        except OSError:
            large = False
        if not large:
            self.connection.close()
            return
        _closing.append(threading.Thread(target=_checkpoint_and_close, args=(self.connection,)))
        _closing[-1].start()

    def __enter__(self) -> WorkspaceIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # opening ----------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return _fresh(":memory:")  # a read-only workspace: an index for this command only
        for attempt in range(2):
            seen = _inode(self.path)
            try:
                return _checked(str(self.path))
            except (sqlite3.DatabaseError, UntrustedIndex):
                if attempt:
                    break
                try:
                    self._discard(seen)
                except OSError:  # cannot remove it: this command goes without
                    break
            except OSError:
                break
        return _fresh(":memory:")  # an index for this command only; the files answer

    def discard(self) -> None:
        """Close and remove an index found bad while reading it, then open a new one."""
        seen = _inode(self.path)
        self.connection.close()
        self._discard(seen)
        self.connection = self._open()

    def _discard(self, bad: int | None) -> None:
        """Remove the bad index file (inode ``bad``) and its WAL, under a lock; if another
        process has already replaced it, its new index is kept."""
        with self._rebuild_lock():
            if bad is None or _inode(self.path) != bad:
                return
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{self.path}{suffix}")

    @contextlib.contextmanager
    def _rebuild_lock(self) -> Iterator[None]:
        with open(self.path.with_suffix(".lock"), "a+", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # reading ----------------------------------------------------------------------------

    def entries(self) -> dict[str, FileEntry]:
        rows = self.connection.execute(
            "SELECT path, kind, size, mtime_ns, ino, hash, racy FROM files")
        return {path: FileEntry(path, kind, FileStat(size, mtime, ino), digest, bool(racy))
                for path, kind, size, mtime, ino, digest, racy in rows}

    def contents(self, paths: Iterable[str]) -> dict[str, bytes]:
        """Stored bytes of these files, each checked against its hash."""
        wanted = list(paths)
        found: dict[str, bytes] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for path, content, digest in self.connection.execute(
                    f"SELECT path, content, hash FROM files WHERE path IN ({marks})", chunk):
                if content_digest(content) != digest:
                    raise UntrustedIndex(f"{path}: stored bytes do not match their hash")
                found[path] = content
        return found

    def take_inputs(self) -> dict[str, str]:
        return dict(self.connection.execute("SELECT path, inputs FROM takes").fetchall())

    def meta(self, key: str) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def products(self) -> dict[str, tuple[str, str]]:
        """Per product file: the inputs it was derived from and its row (JSON)."""
        rows = self.connection.execute("SELECT path, inputs, row FROM products")
        return {path: (inputs, row) for path, inputs, row in rows}

    def facts(self) -> dict[str, tuple[str, str, str]]:
        """Per product file: the inputs its facts were derived from, its name, its facts
        (JSON)."""
        rows = self.connection.execute("SELECT path, inputs, name, facts FROM facts")
        return {path: (inputs, name, facts) for path, inputs, name, facts in rows}

    def takes(self, products: Iterable[str] | None = None,
              columns: Sequence[str] = TAKE_COLUMNS) -> list[TakeRow]:
        """Take rows (of the named products), with these of ``TAKE_COLUMNS``."""
        names = ("path", *columns)
        query = f"SELECT {', '.join(names)} FROM takes"
        wanted = None if products is None else list(dict.fromkeys(products))
        if wanted is None or len(wanted) > _ONE_QUERY_FROM:  # most of the catalogue: one scan
            rows = self.connection.execute(query).fetchall()
            if wanted is not None:
                chosen = set(wanted)
                rows = [row for row in rows if row[0].split("/")[1] in chosen]  # drafts/<slug>/
        else:
            rows = [row for slug in wanted for row in self.connection.execute(
                query + " WHERE product = ?", (slug,))]
        return [dict(zip(names, row, strict=True)) for row in rows]

    # writing ----------------------------------------------------------------------------

    def write(self, files: list[FileUpdate], removed: list[str],
              takes: Iterable[Sequence[TakeRow]],
              products: Sequence[tuple[str, str, str, str]] = (),
              meta: dict[str, str] | None = None,
              facts: Sequence[tuple[str, str, str, str]] = ()) -> bool:
        """Commit a read's findings in one transaction; False when the index cannot be written
        (the read still answers from what it read). ``products``: (path, slug, inputs, row).
        ``facts``: (path, inputs, name, facts), read after the last batch of takes (deriving
        them may add to it).

        ``takes`` comes in batches, as they are derived (by workers): when no other process
        is writing, the transaction is opened first and each batch written as it comes, so
        the write goes on beside the deriving; the commit comes after the last. Else the
        batches are all derived first and the lock waited for. Either way every batch is
        taken from ``takes``, written or not; and until the commit nobody sees any of it, and
        a process killed before it leaves the index as it was."""
        batches = iter(takes) if not isinstance(takes, (list, tuple)) or takes else None
        if not (files or removed or batches or products or meta or facts):
            return True
        taken: list[bool] = []  # whether a batch was taken (then written, or lost)

        def counted(batches: Iterator[Sequence[TakeRow]]) -> Iterator[Sequence[TakeRow]]:
            for batch in batches:
                taken.append(True)
                yield batch

        pending = iter(()) if batches is None else counted(batches)
        try:
            self.connection.execute("PRAGMA busy_timeout = 0")
            try:
                return self._write(files, removed, pending, products, meta, facts)
            except sqlite3.OperationalError:
                if taken:
                    raise  # failed mid-way: what is left is only derived
            # another process is writing: derive everything first, then wait for the lock
            pending = iter([[row for batch in pending for row in batch]])
            self.connection.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
            return self._write(files, removed, pending, products, meta, facts)
        except sqlite3.OperationalError:  # disk full, read-only, locked past the busy timeout
            for _ in pending:
                pass
            return False
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")

    def _write(self, files: list[FileUpdate], removed: list[str],
               takes: Iterator[Sequence[TakeRow]], products: Sequence[tuple[str, str, str, str]],
               meta: dict[str, str] | None,
               facts: Sequence[tuple[str, str, str, str]] = ()) -> bool:
        self.connection.execute("PRAGMA wal_autocheckpoint = 0")  # done as it closes
        self.wrote = True
        with self._transaction() as db:
            db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")  # the lock is held: wait as ever
            db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in removed])
            db.executemany("DELETE FROM takes WHERE path = ?", [(p,) for p in removed])
            db.executemany("DELETE FROM products WHERE path = ?", [(p,) for p in removed])
            db.executemany("DELETE FROM facts WHERE path = ?", [(p,) for p in removed])
            db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                           list((meta or {}).items()))
            db.executemany("INSERT OR REPLACE INTO products (path, slug, inputs, row) "
                           "VALUES (?, ?, ?, ?)", list(products))
            db.executemany(
                "INSERT OR REPLACE INTO files (path, kind, size, mtime_ns, ino, hash, racy, "
                "content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(f.path, f.kind, f.stat.size, f.stat.mtime_ns, f.stat.ino, f.hash,
                  int(f.racy), f.content) for f in files if f.content is not None])
            db.executemany(  # same bytes: only the stat moved
                "UPDATE files SET size = ?, mtime_ns = ?, ino = ?, racy = ? WHERE path = ?",
                [(f.stat.size, f.stat.mtime_ns, f.stat.ino, int(f.racy), f.path)
                 for f in files if f.content is None])
            names = ("path", *TAKE_COLUMNS)
            insert = (f"INSERT OR REPLACE INTO takes ({', '.join(names)}) VALUES "
                      f"({', '.join('?' * len(names))})")
            for batch in takes:
                db.executemany(insert, [tuple(take[name] for name in names) for take in batch])
            db.executemany("INSERT OR REPLACE INTO facts (path, inputs, name, facts) "
                           "VALUES (?, ?, ?, ?)", list(facts))
        return True

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self.connection
        db.execute("BEGIN IMMEDIATE")  # one writer at a time; readers carry on (WAL)
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def _checkpoint_and_close(connection: sqlite3.Connection) -> None:
    """The WAL's pages copied into the file (as far as readers allow: else by a later close)."""
    with contextlib.suppress(sqlite3.Error):
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    connection.close()


def _checked(path: str) -> sqlite3.Connection:
    """Open an index file, create it when new; raise ``UntrustedIndex`` when it is not whole."""
    db = sqlite3.connect(path, timeout=_BUSY_MS / 1000, isolation_level=None,
                         check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            db.execute("BEGIN IMMEDIATE")
            tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if db.execute("PRAGMA user_version").fetchone()[0] == 0:
                if tables:
                    db.execute("ROLLBACK")
                    raise UntrustedIndex("tables without a schema version")
                for statement in _SCHEMA.split(";"):
                    db.execute(statement)
            db.execute("COMMIT")
        elif version != SCHEMA_VERSION:
            raise UntrustedIndex(f"schema version {version}, expected {SCHEMA_VERSION}")
        return db
    except BaseException:
        db.close()
        raise


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def _fresh(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for statement in _SCHEMA.split(";"):
        db.execute(statement)
    return db
