"""Worker processes that derive a read's takes when there are many, and how many to fork.

Deriving is pure: a draft's bytes, its product and the panel in, a row out. So a read with many
takes to derive (a new or deleted index over a large catalogue) shares them among the cores the
machine's load leaves idle: worker processes forked from this one, each given whole products at
a time, so a product's gate and grounds are built once. A few takes are derived in the reading
process: forking a worker costs more than it saves below ``TAKES_PER_WORKER`` takes; and on a
busy machine a worker only queues behind other work.

A read that sees, from the files' stats alone, that it has many takes to derive forks its
workers at once (``Workers.early``), before it reads and hashes the files: each worker imports
and loads what deriving needs (the gate's checks and word lists, lint's) while the reader scans,
hashes and parses the products. They are handed the takes when the reader knows them, with the
catalogue's names; a read that turns out to have few ends them unused. This module imports
nothing that derives (a read of an up-to-date index never loads it all).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from panelist.models import Product
from panelist.store.index import TakeRow

if TYPE_CHECKING:
    from panelist.review.kept_facts import KeptFacts
    from panelist.review.shared_facts import SharedFacts

TAKES_PER_WORKER = 200  # below this many takes a process costs more to fork than it saves
GUIDED = 4  # a chunk is about a quarter of a worker's share of the takes not yet handed out
LAST_CHUNK = 20  # takes (whole products) at the least: the last chunks are this short


class TakeJob(NamedTuple):
    """One draft file to derive: its path, what it is derived from, its bytes, its product
    (None when the product file is missing or unreadable)."""

    path: str
    inputs: str
    raw: bytes
    product: Product | None


class Deriver(Protocol):
    """What derives rows in a worker (``take_rows.TakeDeriver``)."""

    def rows(self, jobs: Sequence[TakeJob], names: dict[str, str]) -> list[TakeRow]: ...

    def share(self, facts: SharedFacts) -> None:
        """In each worker: the catalogue's facts, where not read yet, derived with the
        others (``shared_facts``)."""


class Workers:
    """Forked worker processes deriving take rows, whole products per task.

    The first worker is forked from the reader and loads what deriving needs (when the reader
    has not: a read that forks early); it then forks the others, which start with all of it
    loaded. So it is loaded once, beside the reader's own work, and never by the reader.
    """

    def __init__(self, count: int, deriver: Callable[[], Deriver]) -> None:
        """``deriver``: called in the first worker, loads what deriving needs (or has it
        loaded already) and gives the deriver every worker uses."""
        import multiprocessing

        self.count = count
        context = multiprocessing.get_context("fork")
        self.tasks: Any = context.Queue()
        self.results: Any = context.Queue()
        self.shared = _shared_folder()  # where the workers leave the catalogue's facts
        self.first: Any = context.Process(target=_first_worker, args=(
            self.tasks, self.results, count - 1, deriver, self.shared, os.getpid()))
        self.first.start()
        self.sent = self.done = False

    @classmethod
    def early(cls, takes: int, deriver: Callable[[], Deriver]) -> Workers | None:
        """Workers for a read expecting about ``takes`` takes to derive, forked now (the first
        loads what deriving needs while the reader goes on); None when one process is enough,
        or when this process runs other threads (the desk's): a thread in the middle of an
        import when the process forks leaves that module's lock held in the child, and a
        worker importing the same module would wait for it forever. Such a read loads what
        deriving needs itself and forks later (``TakeDeriver.derive``)."""
        import threading

        count = worker_count(takes)
        return cls(count, deriver) if count > 1 and threading.active_count() == 1 else None

    def derive(self, jobs: Sequence[TakeJob], names: dict[str, str],
               kept: list[KeptFacts] | None = None) -> Iterator[list[TakeRow]]:
        """The rows of ``jobs``, a chunk of whole products at a time, as each is done (in no
        set order). ``names``: every product's name, for the gate. The tasks are handed over
        now, so the workers derive while the reader writes what it read (the files' bytes
        first); the rows are taken as the reader asks for them. The product facts the workers
        derive are added to ``kept`` as they come (each before the last rows of its worker)."""
        chunks = list(_chunks_by_product(jobs, self.count))
        for chunk in chunks:
            self.tasks.put((names, chunk))
        self._stop()
        return self._rows(len(chunks), [] if kept is None else kept)

    def _rows(self, chunks: int, kept: list[KeptFacts]) -> Iterator[list[TakeRow]]:
        import queue

        left = chunks
        while left:
            try:
                done, rows = self.results.get(timeout=_PATIENCE)
            except queue.Empty:
                if not self.first.is_alive() and self.results.empty():
                    raise RuntimeError("a worker deriving takes ended early") from None
                continue
            if done == "facts":
                kept.extend(rows)
                continue
            if done != "rows":
                raise rows
            left -= 1
            yield rows
        self.done = True

    def _stop(self) -> None:
        if not self.sent:
            self.sent = True
            for _ in range(self.count):
                self.tasks.put(None)  # one each: no more work

    def close(self) -> None:
        """Done or not, no worker outlives the read: unused or interrupted, the first is
        ended now, and the others end on seeing it gone (after the chunk in hand)."""
        self._stop()
        if self.done:
            self.first.join(_PATIENCE)
        if self.first.is_alive():
            self.first.terminate()
            self.first.join()
        self.tasks.cancel_join_thread()  # tasks never taken are dropped, not waited on
        if self.shared is not None:
            import shutil

            shutil.rmtree(self.shared, ignore_errors=True)


_PATIENCE = 1.0  # seconds: how often a waiting worker or reader checks the other is there


def worker_count(jobs: int) -> int:
    """Processes to derive ``jobs`` takes in: one per ``TAKES_PER_WORKER`` takes, at most one
    per core this process may run on and one more than the cores left idle by the machine's
    load (forked workers on busy cores only queue behind other work); one where processes
    cannot be forked safely."""
    if jobs < 2 * TAKES_PER_WORKER:
        return 1
    import multiprocessing

    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return 1  # fork is safe on Linux; macOS's system libraries object to it
    cores = len(os.sched_getaffinity(0))
    idle = max(0, int(cores - busy_cores()))
    return max(1, min(cores, idle + 1, jobs // TAKES_PER_WORKER))


LOADAVG = "/proc/loadavg"


def busy_cores() -> float:
    """How many cores other work holds now: the processes running this instant, this one
    aside (``/proc/loadavg``'s fourth field, "2/345"), else the 1-minute load average. The
    average lags by a minute: right after a command of our own it still counts that command."""
    try:
        with open(LOADAVG, encoding="ascii") as stats:
            running = int(stats.read().split()[3].split("/")[0])
    except (OSError, IndexError, ValueError):
        return os.getloadavg()[0]
    return max(0, running - 1)


def _chunks_by_product(jobs: Sequence[TakeJob], workers: int) -> Iterator[list[TakeJob]]:
    """``jobs`` in runs of whole products, in order, for ``workers`` taking them in turn: each
    about ``1/GUIDED`` of a worker's share of the takes left, at least ``LAST_CHUNK``. The
    first are long, the last short: a slow chunk (many edited takes) is made up by the others,
    and a worker done first waits at most for a short one, not a sixteenth of its share."""
    left = len(jobs)
    size = max(LAST_CHUNK, left // (workers * GUIDED))
    chunk: list[TakeJob] = []
    for job in jobs:
        if len(chunk) >= size and _product_of(job) != _product_of(chunk[-1]):
            yield chunk
            left -= len(chunk)
            size = max(LAST_CHUNK, left // (workers * GUIDED))
            chunk = []
        chunk.append(job)
    if chunk:
        yield chunk


def _product_of(job: TakeJob) -> str:
    return job.path.split("/")[1]


def _shared_folder() -> str | None:
    """A new folder for the workers' shares of the catalogue's facts (None where none can be
    made: each worker then derives them all)."""
    import tempfile

    try:
        return tempfile.mkdtemp(prefix="panelist-facts-")
    except OSError:
        return None


def _first_worker(tasks: Any, results: Any, others: int,
                  start: Callable[[], Deriver], shared: str | None, reader: int) -> None:
    """The first worker: loads what deriving needs, forks the ``others`` from itself (all of
    it loaded), and works beside them; a worker that failed ends the read with an error.
    ``reader``: the process that forked it, whose end, however it comes, ends the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the reader's: it ends the workers
    deriver = start()
    # what is loaded (the gate's modules, word lists and lexicon) lives as long as the workers:
    # kept out of the collector's full passes, which each worker would walk through again
    gc.freeze()
    import multiprocessing

    context = multiprocessing.get_context("fork")
    helpers = [context.Process(target=_serve, args=(
        tasks, results, deriver, os.getpid(), (shared, position, others + 1)), daemon=True)
        for position in range(1, others + 1)]
    for helper in helpers:
        helper.start()
    _outlive_no_reader(reader, helpers, shared)
    _serve(tasks, results, deriver, reader, (shared, 0, others + 1))
    for helper in helpers:
        helper.join()
        if helper.exitcode:
            results.put(("error", RuntimeError(f"a worker deriving takes exited with "
                                               f"{helper.exitcode}")))
    if shared is not None:  # the reader removes it too; this one, if the reader was killed
        import shutil

        shutil.rmtree(shared, ignore_errors=True)


def _outlive_no_reader(reader: int, helpers: list[Any], shared: str | None) -> None:
    """In the first worker: a thread that ends every worker once the reader is gone, however
    it ended. A reader killed outright (SIGKILL, the kernel out of memory) cannot end them,
    and the loop between tasks may never see it go: a worker can wait forever for the rest of
    a task the reader was writing when it died, and the first waits for the others."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == reader:
            time.sleep(_PATIENCE)
        for helper in helpers:
            helper.kill()
        if shared is not None:
            import shutil

            shutil.rmtree(shared, ignore_errors=True)
        os._exit(0)  # nobody waits for rows; the others' join and the queues' threads neither

    threading.Thread(target=watch, name="reader-watch", daemon=True).start()


def _serve(tasks: Any, results: Any, deriver: Deriver, parent: int,
           place: tuple[str | None, int, int]) -> None:
    """Derive chunks until told to stop, or until the process that forked this one is gone.
    ``place``: the folder the workers share the catalogue's facts in, this worker's place
    among them and their number."""
    import queue

    shared, position, count = place
    if shared is not None:
        from panelist.review.shared_facts import SharedFacts

        deriver.share(SharedFacts(shared, position, count, results))
    while True:
        if os.getppid() != parent:  # the reader ended or was killed: nobody waits for rows
            results.cancel_join_thread()
            return
        try:
            task = tasks.get(timeout=_PATIENCE)
        except queue.Empty:
            continue
        if task is None:
            return
        names, jobs = task
        try:
            results.put(("rows", deriver.rows(jobs, names)))
        except Exception as error:
            results.put(("error", error))
