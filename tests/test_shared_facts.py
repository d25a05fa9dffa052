"""The catalogue's facts in a cold read's workers: the product files in blocks, each derived by
the one worker that claimed it and taken by the others; a worker derives its own blocks first,
then the others' from the far end; a block not there yet is derived by the worker itself, so no
worker waits for another; the facts are the ones one process derives, in the same order; and
the read keeps them, so the next read derives none."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import panelist.quality
from panel_helpers import HAIKU, QVAC, edit_draft
from panelist.quality import product_facts, product_text
from panelist.review import shared_facts, take_workers
from panelist.review.shared_facts import SharedFacts
from panelist.store.drafts import DraftStore
from panelist.store.workspace import Workspace
from test_kept_facts import BORROWED, edited_workspace, haiku_dx_findings, kept
from worker_helpers import two_idle_cores


class _Reader:
    """The reader's end of the results queue: what the workers hand it."""

    def __init__(self) -> None:
        self.got: list[tuple[str, Any]] = []

    def put(self, message: tuple[str, Any]) -> None:
        self.got.append(message)


def one_process(workspace: Workspace) -> list[tuple[str, frozenset[str]]]:
    """The facts as a read deriving in one process reads them (``CatalogueReader.of``)."""
    return [(product.name, product_facts(product_text(product)))
            for product in Workspace(workspace.root).products().values()]


@pytest.fixture
def catalogue(workspace: Workspace) -> Workspace:
    """The example products, two more under other names, one that does not load and one
    whose file name is no product name."""
    qvac = (workspace.products_dir / f"{QVAC}.md").read_text(encoding="utf-8")
    for number in range(2):
        (workspace.products_dir / f"copy-{number}.md").write_text(
            qvac.replace("name: Tether QVAC SDK", f"name: Copy {number}"), encoding="utf-8")
    (workspace.products_dir / "broken.md").write_text("---\nname: [\n---\nNo.\n",
                                                      encoding="utf-8")
    (workspace.products_dir / "Misnamed.md").write_text(qvac, encoding="utf-8")
    return workspace


@pytest.fixture(autouse=True)
def one_product_a_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of one product file: the few example files make many blocks."""
    monkeypatch.setattr(shared_facts, "BLOCK", 1)


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    derived: list[str] = []
    real = shared_facts._derive

    def derive(workspace: Workspace, path: Path, kept: list[Any]) -> Any:
        derived.append(path.name)
        return real(workspace, path, kept)

    monkeypatch.setattr(shared_facts, "_derive", derive)
    return derived


def test_a_worker_takes_the_blocks_the_others_left_and_derives_only_its_own(
        catalogue: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(path.name for path in catalogue.products_dir.glob("*.md"))
    second = SharedFacts(str(tmp_path), 1, 2, _Reader())
    second.facts(catalogue)  # alone so far: it derives and leaves every block
    for block in range(0, len(files), 2):  # as if it had claimed and left only its own
        (tmp_path / f"{block}.pickle").unlink()
        (tmp_path / f"{block}.pickle.claim").unlink()
    derived = counting(monkeypatch)

    facts = SharedFacts(str(tmp_path), 0, 2, _Reader()).facts(catalogue)

    assert derived == files[0::2]
    assert facts == one_process(catalogue)


def test_a_worker_that_asks_late_takes_every_share_and_derives_none(
        catalogue: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    SharedFacts(str(tmp_path), 1, 2, _Reader()).facts(catalogue)
    derived = counting(monkeypatch)
    reader = _Reader()

    facts = SharedFacts(str(tmp_path), 0, 2, reader).facts(catalogue)

    assert derived == [] and reader.got == []  # nothing derived: nothing new to keep
    assert facts == one_process(catalogue)


def test_a_block_not_there_is_derived_by_the_worker_itself_not_waited_for(
        catalogue: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    derived = counting(monkeypatch)
    reader = _Reader()

    facts = SharedFacts(str(tmp_path), 0, 3, reader).facts(catalogue)

    files = sorted(path.name for path in catalogue.products_dir.glob("*.md"))
    assert facts == one_process(catalogue)
    assert derived[:len(files[0::3])] == files[0::3]
    assert derived[len(files[0::3]):] == [  # the others' blocks from the far end
        name for place, name in reversed(list(enumerate(files))) if place % 3]
    (message, kept), = reader.got
    assert message == "facts"
    assert {path for path, *_ in kept} == {f"products/{name}" for name in files
                                           if name not in {"broken.md", "Misnamed.md"}}


def test_a_cold_read_in_workers_keeps_the_facts_and_the_next_read_derives_none(
        runner: CliRunner, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    edited_workspace(workspace)  # a take with another product's facts: the gate reads them
    forked = two_idle_cores(monkeypatch)
    assert any("Tether QVAC SDK" in found for found in haiku_dx_findings(runner, workspace))
    assert forked == [2] and not multiprocessing.active_children()
    assert set(kept(workspace)) == {f"products/{slug}.md" for slug in workspace.product_slugs()}
    draft = DraftStore(workspace).read(HAIKU, "dx")
    assert draft is not None
    edit_draft(draft, quote=BORROWED.replace("the grants", "its grants"))
    monkeypatch.setattr(take_workers, "TAKES_PER_WORKER", 10**9)  # one take: one process
    derived: list[str] = []
    monkeypatch.setattr(panelist.quality, "product_facts",
                        lambda text: derived.append(text) or frozenset(), raising=False)

    findings = haiku_dx_findings(runner, workspace)

    assert derived == [] and forked == [2]
    assert any("Tether QVAC SDK" in finding for finding in findings), findings


def test_a_read_that_forks_late_derives_the_facts_in_its_workers_and_keeps_them(
        runner: CliRunner, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process running threads (the desk's) forks its workers only once it knows the takes:
    the reader derives none of the catalogue's facts before it forks (one core, a third of a
    second at a thousand products); the workers derive them together, and the read keeps
    them."""
    edited_workspace(workspace)
    two_idle_cores(monkeypatch)
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # no early fork
    in_the_reader: list[str] = []  # a worker's appends stay in the worker (forked)
    real = panelist.quality.product_facts
    monkeypatch.setattr(panelist.quality, "product_facts",
                        lambda text: in_the_reader.append(text) or real(text))

    findings = haiku_dx_findings(runner, workspace)

    assert any("Tether QVAC SDK" in found for found in findings), findings
    assert in_the_reader == [] and not multiprocessing.active_children()
    assert set(kept(workspace)) == {f"products/{slug}.md" for slug in workspace.product_slugs()}


def test_a_block_another_worker_claimed_is_taken_once_left_and_derived_meanwhile(
        catalogue: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The other worker claimed the second block (two files) and is deriving it: this one
    derives its own first, then that block from its far end, and takes it once left."""
    monkeypatch.setattr(shared_facts, "BLOCK", 2)
    files = sorted(path.name for path in catalogue.products_dir.glob("*.md"))
    (tmp_path / "other").mkdir()
    SharedFacts(str(tmp_path / "other"), 1, 2, _Reader()).facts(catalogue)
    (tmp_path / "1.pickle.claim").touch()  # claimed by the other, not left yet
    real = shared_facts._derive
    derived: list[str] = []

    def derive(workspace: Workspace, path: Path, kept: list[Any]) -> Any:
        derived.append(path.name)
        if path.name == files[3]:  # the other worker leaves it meanwhile
            (tmp_path / "other" / "1.pickle").rename(tmp_path / "1.pickle")
        return real(workspace, path, kept)

    monkeypatch.setattr(shared_facts, "_derive", derive)

    facts = SharedFacts(str(tmp_path), 0, 2, _Reader()).facts(catalogue)

    blocks = [files[start:start + 2] for start in range(0, len(files), 2)]
    unclaimed = [name for block in range(len(blocks))[::-1] if block % 2 and block != 1
                 for name in blocks[block]]
    own = [name for block in blocks[0::2] for name in block]
    assert derived == [*own, *unclaimed, files[3]]
    assert facts == one_process(catalogue)


def test_a_block_derived_from_other_files_is_not_taken(
        catalogue: Workspace, tmp_path: Path) -> None:
    """A product file added between the two workers' listings: the share the first left
    stands for other files, so the second derives it again."""
    SharedFacts(str(tmp_path), 1, 2, _Reader()).facts(catalogue)  # leaves every block
    for claim in tmp_path.glob("*.claim"):  # the first's claims: the second may claim them
        claim.unlink()
    (catalogue.products_dir / "aaa-added.md").write_text(
        (catalogue.products_dir / f"{QVAC}.md").read_text(encoding="utf-8").replace(
            "name: Tether QVAC SDK", "name: Added Early"), encoding="utf-8")

    facts = SharedFacts(str(tmp_path), 0, 2, _Reader()).facts(catalogue)

    assert facts == one_process(catalogue)
    assert facts[0][0] == "Added Early"
