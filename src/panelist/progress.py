"""Live progress of a panel run: one row per persona, redrawn as states change."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from panelist.panel import Job, JobResult, JobState

STATE_STYLES: dict[str, str] = {
    "waiting": "dim", "drafting": "cyan", "retrying": "yellow", "re-asking": "yellow",
    "done": "green", "failed": "bold red", "skipped": "dim",
}


class LiveProgress:
    """A ``Reporter`` drawing a rich table; on a non-terminal it prints one line per change."""

    def __init__(self, console: Console, title: str) -> None:
        self.console = console
        self.title = title
        self.rows: dict[str, tuple[Job, JobState, str, float]] = {}
        self.started: dict[str, float] = {}
        self.live: Live | None = None

    def __enter__(self) -> LiveProgress:
        if self.console.is_terminal:
            self.live = Live(self._table(), console=self.console, refresh_per_second=8,
                             transient=False)
            self.live.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.live is not None:
            self.live.update(self._table())
            self.live.__exit__(exc_type, exc, tb)

    def update(self, job: Job, state: JobState, detail: str = "") -> None:
        now = time.monotonic()
        if state == "drafting":
            self.started.setdefault(job.key, now)
        self.rows[job.key] = (job, state, detail, now)
        if self.live is not None:
            self.live.update(self._table())
        elif state in {"retrying", "re-asking", "done", "failed"}:
            self.console.print(f"{job.key}: {state} {detail}".rstrip(), highlight=False,
                               soft_wrap=True)

    def _table(self) -> Table:
        table = Table(title=self.title, title_justify="left", expand=False)
        show_product = len({job.product.slug for job, *_ in self.rows.values()}) > 1
        if show_product:
            table.add_column("product")
        table.add_column("persona")
        table.add_column("state")
        table.add_column("time", justify="right")
        table.add_column("detail", overflow="ellipsis", no_wrap=True, max_width=70)
        for key, (job, state, detail, changed) in self.rows.items():
            started = self.started.get(key)
            end = changed if state in {"done", "failed"} else time.monotonic()
            elapsed = f"{end - started:.1f}s" if started else ""
            cells: list[str | Text] = [job.persona.id, Text(state, style=STATE_STYLES[state]),
                                       elapsed, detail]
            table.add_row(*([job.product.slug] if show_product else []), *cells)
        return table


def print_summary(console: Console, results: list[JobResult], wall_s: float) -> None:
    counts: dict[str, int] = {}
    cost = 0.0
    for result in results:
        counts[result.state] = counts.get(result.state, 0) + 1
        cost += result.usage.cost_usd
    parts = [f"{n} {state}" for state, n in counts.items()]
    console.print(f"{', '.join(parts)} in {wall_s:.1f}s; cost ${cost:.4f}", highlight=False)
    for result in results:
        if result.state == "failed":
            console.print(f"[red]failed[/red] {result.job.key}: {result.detail}",
                          highlight=False, soft_wrap=True)
        elif result.state == "skipped":
            console.print(f"[dim]skipped[/dim] {result.job.key}: {result.detail}",
                          highlight=False, soft_wrap=True)
