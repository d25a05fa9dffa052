"""The catalogue's index (.panelist/index.sqlite3): a cache of the files, never their truth.

Every spec compares what a read command answers with what it answers from no index at all
(``fresh``): the index may be deleted, damaged, half written or raced, and the answer is the
same.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from desk_helpers import running_desk
from helpers import invoke
from panel_helpers import HAIKU, QVAC, draft_panel, edit_draft
from panelist.review import takes_index
from panelist.review.approval import approve_takes
from panelist.review.catalogue import catalogue_rows
from panelist.store import index as store_index
from panelist.store.drafts import DraftStore
from panelist.store.index import INDEX_NAME
from panelist.store.workspace import Workspace
from worker_helpers import running

SRC = Path(__file__).resolve().parent.parent / "src"


def status_json(runner: CliRunner, workspace: Workspace, *args: str) -> Any:
    result = invoke(runner, workspace, "status", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def index_path(workspace: Workspace) -> Path:
    return workspace.state_dir / INDEX_NAME


def fresh(runner: CliRunner, workspace: Workspace, *args: str) -> Any:
    """The answer with no index (in a copy of the workspace without .panelist/)."""
    copy = workspace.root.with_name(f"{workspace.root.name}-fresh")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(workspace.root, copy, ignore=shutil.ignore_patterns(".panelist"))
    return status_json(runner, Workspace(copy), *args)


@pytest.fixture
def reviewed(workspace: Workspace) -> Workspace:
    """The example product's panel drafted and approved; the other product undrafted."""
    draft_panel(workspace, QVAC)
    approve_takes(workspace, QVAC, None)
    return workspace


def test_status_and_the_desk_agree_after_a_persona_file_is_removed(
        runner: CliRunner, reviewed: Workspace) -> None:
    (reviewed.personas_dir / "creative.md").unlink()

    catalogue = status_json(runner, reviewed)
    with running_desk(reviewed) as desk:
        api = desk.request("GET", "/api/products").json

    assert catalogue == api
    qvac = next(row for row in catalogue if row["slug"] == QVAC)
    assert (qvac["approved"], qvac["drafted"], qvac["panel"]) == (4, 4, 4)
    assert qvac["off_panel"] == 1 and qvac["stage"] == "approved"
    seats = {row["persona"]: row["status"] for row in status_json(runner, reviewed, QVAC)}
    assert seats["creative"] == "approved" and len(seats) == 5  # listed apart, still shown


def test_a_draft_edited_by_hand_shows_in_the_next_status(runner: CliRunner,
                                                         reviewed: Workspace) -> None:
    assert status_json(runner, reviewed)[1]["approved"] == 5
    draft = DraftStore(reviewed).read(QVAC, "dx")
    assert draft is not None
    text = draft.path.read_text(encoding="utf-8")
    with open(draft.path, "w", encoding="utf-8") as handle:  # in place (same inode)
        handle.write(text.replace(draft.quote, draft.quote.upper(), 1))

    seats = {row["persona"]: row["status"] for row in status_json(runner, reviewed, QVAC)}

    assert seats["dx"] == "edited after approval"
    assert status_json(runner, reviewed)[1]["approved"] == 4


def test_an_edit_in_the_same_clock_tick_as_the_last_read_is_seen(
        runner: CliRunner, reviewed: Workspace) -> None:
    """Same size, same mtime (the file was written just before it was indexed): git's "racily
    clean" case. The index hashes such a file again on the next read."""
    path = reviewed.draft_path(QVAC, "skeptic")
    status_json(runner, reviewed)
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text.replace("verdict: skip", "verdict: ship", 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size

    seats = {row["persona"]: row for row in status_json(runner, reviewed, QVAC)}

    assert seats["skeptic"]["verdict"] == "ship"
    assert seats["skeptic"]["status"] == "edited after approval"


def test_only_the_changed_file_is_read_again(runner: CliRunner, reviewed: Workspace,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue_rows(reviewed)
    for path in [*reviewed.products_dir.glob("*.md"), *reviewed.drafts_dir.rglob("*.md")]:
        os.utime(path, ns=(0, 0))  # old files: nothing racy left to hash again
    catalogue_rows(reviewed)
    draft = DraftStore(reviewed).read(QVAC, "buyer")
    assert draft is not None
    edit_draft(draft, quote="Rewritten by hand.")
    read: list[str] = []
    original, original_bytes = Path.read_bytes, takes_index.read_bytes

    def counting(path: Path) -> bytes:
        read.append(reviewed.relative(path))
        return original(path)

    def counting_bytes(path: str) -> bytes:  # how the index reads the files it hashes
        read.append(reviewed.relative(Path(path)))
        return original_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    monkeypatch.setattr(takes_index, "read_bytes", counting_bytes)
    rows = {row.slug: row for row in catalogue_rows(reviewed)}

    assert [p for p in read if not p.startswith("personas/")] == [f"drafts/{QVAC}/buyer.md"]
    assert rows[QVAC].edited == 1 and rows[QVAC].approved == 4


def test_deleting_the_index_loses_nothing(runner: CliRunner, reviewed: Workspace) -> None:
    before = status_json(runner, reviewed, "--all")
    index_path(reviewed).unlink(missing_ok=True)  # a new index

    assert status_json(runner, reviewed, "--all") == before
    assert index_path(reviewed).is_file()


def test_a_large_writes_checkpoint_is_done_beside_the_command_and_before_it_ends(
        runner: CliRunner, reviewed: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold read's commit leaves its WAL: a thread copies it into the index file and closes
    the connection while the command builds its answer; by the command's end it is done."""
    monkeypatch.setattr(store_index, "_CHECKPOINT_FROM", 1)  # this small write counts as large
    by: list[threading.Thread] = []
    real = store_index._checkpoint_and_close
    monkeypatch.setattr(store_index, "_checkpoint_and_close", lambda connection: (
        by.append(threading.current_thread()) or real(connection)))
    before = status_json(runner, reviewed, "--all")
    index_path(reviewed).unlink(missing_ok=True)  # a new index: every file written

    assert status_json(runner, reviewed, "--all") == before
    assert by and by[0] is not threading.main_thread() and not by[0].is_alive()
    assert not store_index._closing and not Path(f"{index_path(reviewed)}-wal").exists()
    with sqlite3.connect(index_path(reviewed)) as db:  # in the file itself, not only the WAL
        assert db.execute("SELECT count(*) FROM takes").fetchone()[0] == len(
            [row for row in before if row["status"] != "missing"])


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _torn_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096:8192] = os.urandom(4096)
    path.write_bytes(bytes(data))


def _newer_schema(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")


def _stale_bytes(path: Path) -> None:
    """A file's stored bytes changed behind the index (its hash no longer matches)."""
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("UPDATE files SET content = X'00' WHERE path LIKE 'products/%'")
        db.execute("DELETE FROM takes")  # so the takes are derived again from stored bytes


@pytest.mark.parametrize("damage", [_garbage, _truncated, _torn_page, _newer_schema,
                                    _stale_bytes],
                         ids=["garbage", "truncated", "torn-page", "newer-schema", "stale-bytes"])
def test_a_damaged_index_is_rebuilt_not_trusted(runner: CliRunner, reviewed: Workspace,
                                                damage: Any) -> None:
    status_json(runner, reviewed, "--all")  # the index holds every take
    draft = DraftStore(reviewed).read(QVAC, "dx")
    assert draft is not None
    edit_draft(draft, quote="An edit the damaged index never saw.")
    expected = fresh(runner, reviewed, "--all")
    reviewed.state_dir.joinpath(f"{INDEX_NAME}-wal").unlink(missing_ok=True)
    damage(index_path(reviewed))

    assert status_json(runner, reviewed, "--all") == expected
    assert status_json(runner, reviewed, "--all") == expected


def test_an_index_that_cannot_be_written_still_answers_right(
        runner: CliRunner, reviewed: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk: SQLite refuses the write; the command answers from what it read."""
    import sqlite3

    from panelist.store.index import WorkspaceIndex

    status_json(runner, reviewed, "--all")
    draft = DraftStore(reviewed).read(QVAC, "buyer")
    assert draft is not None
    edit_draft(draft, quote="Edited while the disk was full.")

    def disk_full(self: WorkspaceIndex) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(WorkspaceIndex, "_transaction", disk_full)

    assert status_json(runner, reviewed, "--all") == fresh(runner, reviewed, "--all")
    monkeypatch.undo()
    assert status_json(runner, reviewed, "--all") == fresh(runner, reviewed, "--all")


KILLED_MID_WRITE = textwrap.dedent("""
    import contextlib, sys, time
    from pathlib import Path
    import panelist.store.index as index
    from panelist.review.catalogue import catalogue_rows
    from panelist.store.workspace import Workspace

    @contextlib.contextmanager
    def transaction(self):
        self.connection.execute("BEGIN IMMEDIATE")
        yield self.connection
        print("written, not committed", flush=True)  # every row is in the WAL, uncommitted
        time.sleep(60)

    index.WorkspaceIndex._transaction = transaction
    catalogue_rows(Workspace(Path(sys.argv[1])))
""")


def test_a_process_killed_while_it_writes_the_index(runner: CliRunner,
                                                    reviewed: Workspace) -> None:
    expected = fresh(runner, reviewed, "--all")
    draft = DraftStore(reviewed).read(QVAC, "strategist")
    assert draft is not None
    edit_draft(draft, quote="Changed while another process was writing the index.")
    writer = subprocess.Popen([sys.executable, "-c", KILLED_MID_WRITE, str(reviewed.root)],
                              stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(SRC)})
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "written, not committed"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=10)

    answer = status_json(runner, reviewed, "--all")

    assert answer != expected
    assert answer == fresh(runner, reviewed, "--all")
    seats = {row["persona"]: row for row in answer if row["product"] == QVAC}
    assert seats["strategist"]["status"] == "edited after approval"


KILLED_WHILE_DERIVING = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from panelist.review import take_workers, takes_index
    from panelist.review.catalogue import catalogue_rows
    from panelist.store.workspace import Workspace

    take_workers.TAKES_PER_WORKER = 1  # two workers, forked before the files are read
    take_workers.busy_cores = lambda: 0.0
    take_workers.os.sched_getaffinity = lambda _: {0, 1}
    deriving = takes_index._Refresh._takes

    def takes(self, *args):
        batches = iter(deriving(self, *args))
        yield next(batches)  # written into the open transaction when the next is asked for
        print("one batch written, the workers still deriving", flush=True)
        time.sleep(60)
        yield from batches

    takes_index._Refresh._takes = takes
    catalogue_rows(Workspace(Path(sys.argv[1])))
""")


def test_a_process_killed_while_its_workers_derive_and_it_writes(
        runner: CliRunner, reviewed: Workspace) -> None:
    """A new index is written while the workers derive, in one transaction: killed with some
    rows written, it leaves no index a read trusts wrongly."""
    draft_panel(reviewed, HAIKU)
    expected = fresh(runner, reviewed, "--all")
    index_path(reviewed).unlink(missing_ok=True)  # a new index
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WHILE_DERIVING, str(reviewed.root)],
                              stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(SRC)})
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "one batch written, the workers still deriving"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=10)
    with sqlite3.connect(index_path(reviewed)) as db:  # the batch written was never committed
        assert db.execute("SELECT count(*) FROM takes").fetchone() == (0,)

    assert status_json(runner, reviewed, "--all") == expected
    assert status_json(runner, reviewed, "--all") == expected  # and from the index it wrote




KILLED_BEFORE_HANDING_OVER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from panelist.review import take_workers
    from panelist.review.catalogue import catalogue_rows
    from panelist.store.workspace import Workspace

    take_workers.TAKES_PER_WORKER = 1  # two workers, forked before the files are read
    take_workers.busy_cores = lambda: 0.0
    take_workers.os.sched_getaffinity = lambda _: {0, 1}

    def derive(self, jobs, names, kept=None):
        print("the workers wait for their tasks", flush=True)
        time.sleep(60)

    take_workers.Workers.derive = derive
    catalogue_rows(Workspace(Path(sys.argv[1])))
""")


def test_no_worker_outlives_a_reader_killed_before_it_hands_them_their_tasks(
        reviewed: Workspace, tmp_path: Path) -> None:
    """Killed outright, a reader cannot end its workers: they end themselves, and the folder
    they share the catalogue's facts in goes with them (before, the first worker waited for
    the second, which waited for tasks from a reader long gone: both lived on)."""
    draft_panel(reviewed, HAIKU)
    index_path(reviewed).unlink(missing_ok=True)
    temporary = tmp_path / "tmp"  # where the reader makes the workers' shared folder
    temporary.mkdir()
    reader = subprocess.Popen([sys.executable, "-c", KILLED_BEFORE_HANDING_OVER,
                               str(reviewed.root)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(SRC),
                                   "TMPDIR": str(temporary)})
    try:
        assert reader.stdout is not None
        assert reader.stdout.readline().strip() == "the workers wait for their tasks"
        workers = _until(lambda: _descendants(reader.pid), lambda found: len(found) == 2)
        assert [path.name[:15] for path in temporary.iterdir()] == ["panelist-facts-"]
    finally:
        reader.send_signal(signal.SIGKILL)
        reader.communicate(timeout=10)

    assert _until(lambda: [pid for pid in workers if running(pid)], lambda left: not left) == []
    assert list(temporary.iterdir()) == []


def _until(value: Any, done: Any, seconds: float = 10) -> Any:
    """``value()`` once ``done`` with it, or as it is after ``seconds``."""
    deadline = time.monotonic() + seconds
    found = value()
    while not done(found) and time.monotonic() < deadline:
        time.sleep(0.1)
        found = value()
    return found

def _descendants(pid: int) -> list[int]:
    """The processes forked from ``pid``, and from those, now (from ``/proc``)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found



READ_AND_WRITE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from panelist.review.catalogue import catalogue_rows
    from panelist.store.workspace import Workspace

    workspace = Workspace(Path(sys.argv[1]))
    seen = set()
    for _ in range(int(sys.argv[2])):
        row = next(r for r in catalogue_rows(workspace) if r.slug == sys.argv[3])
        assert row.approved + row.edited == row.panel, row  # one edit: one fewer approved
        seen.add(row.edited)
    print(json.dumps(sorted(seen)))
""")


def test_two_processes_reading_while_a_third_edits(reviewed: Workspace) -> None:
    readers = [subprocess.Popen([sys.executable, "-c", READ_AND_WRITE, str(reviewed.root),
                                 "40", QVAC], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env={**os.environ, "PYTHONPATH": str(SRC)})
               for _ in range(2)]
    draft = DraftStore(reviewed).read(QVAC, "buyer")
    assert draft is not None
    while any(reader.poll() is None for reader in readers):
        edit_draft(DraftStore(reviewed).read(QVAC, "buyer"),  # type: ignore[arg-type]
                   quote="Edited." if "Edited." not in
                   reviewed.draft_path(QVAC, "buyer").read_text(encoding="utf-8")
                   else draft.quote)
        catalogue_rows(reviewed)  # this process writes the index too
    for reader in readers:
        out, err = reader.communicate(timeout=60)
        assert reader.returncode == 0, err[-2000:]
        assert set(json.loads(out)) <= {0, 1}


def test_status_all_and_lint_all_take_the_filters_draft_takes(runner: CliRunner,
                                                              reviewed: Workspace) -> None:
    draft_panel(reviewed, HAIKU)
    rows = status_json(runner, reviewed, "--all", "--persona", "dx", "-p", "Skeptic")
    assert [(r["product"], r["persona"]) for r in rows] == [
        (HAIKU, "dx"), (HAIKU, "skeptic"), (QVAC, "dx"), (QVAC, "skeptic")]

    linted = invoke(runner, reviewed, "lint", "--all", "--persona", "buyer", "--json")
    assert linted.exit_code == 0, linted.output
    reports = json.loads(linted.stdout)
    assert [(r["product"], r["checked"]) for r in reports] == [(HAIKU, ["buyer"]),
                                                                (QVAC, ["buyer"])]

    nothing = invoke(runner, reviewed, "lint")
    assert nothing.exit_code == 2 and "--all" in nothing.output


def test_lint_from_the_index_is_lint_of_the_files(runner: CliRunner,
                                                  reviewed: Workspace) -> None:
    from panelist.review.lint import lint_product

    draft = DraftStore(reviewed).read(QVAC, "buyer")
    assert draft is not None
    edit_draft(draft, quote=draft.quote + " TODO: Mistral raised $40M in 2031.")
    linted = invoke(runner, reviewed, "lint", QVAC, "--json")

    assert linted.exit_code == 1
    assert json.loads(linted.stdout) == [lint_product(reviewed, QVAC).model_dump()]


def test_the_product_page_parses_each_file_once(reviewed: Workspace,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from panelist.store import frontmatter

    reads: dict[str, int] = {}
    original = frontmatter.read_text

    def counting(path: Path, shown: Path | str | None = None) -> str:
        reads[str(path)] = reads.get(str(path), 0) + 1
        return original(path, shown)

    monkeypatch.setattr(frontmatter, "read_text", counting)
    with running_desk(reviewed) as desk:
        assert desk.request("GET", f"/products/{QVAC}").status == 200

    assert reads and max(reads.values()) == 1, {p: n for p, n in reads.items() if n > 1}
