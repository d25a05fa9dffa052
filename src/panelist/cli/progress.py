"""Live progress of a run: totals for the whole run above each product's panel.

Off a terminal (output piped to a file or CI's log) there is no live table: a line when each
persona starts and when it ends (with its time and output tokens), a line per retry, and a
heartbeat every ``HEARTBEAT_S`` naming the takes still running, so a long take never looks hung.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from types import TracebackType

from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from panelist.cli.options import cost_text
from panelist.models import Usage
from panelist.run.jobs import Job, JobResult, JobState

STATE_STYLES: dict[str, str] = {
    "waiting": "dim", "drafting": "cyan", "retrying": "yellow", "re-asking": "yellow",
    "done": "green", "failed": "bold red", "skipped": "dim",
}
FINISHED: frozenset[str] = frozenset({"done", "failed", "skipped"})
TROUBLE: frozenset[str] = frozenset({"retrying", "re-asking", "failed"})
HEARTBEAT_S = 15.0


class LiveProgress:
    """A ``Reporter`` drawing the run live; on a non-terminal it prints one line per change."""

    def __init__(self, console: Console, title: str, heartbeat_s: float = HEARTBEAT_S) -> None:
        self.console = console
        self.title = title
        self.heartbeat_s = heartbeat_s
        self.rows: dict[str, tuple[Job, JobState, str, float]] = {}
        self.started: dict[str, float] = {}
        self.job_usage: dict[str, Usage] = {}
        self.usage = Usage()
        self.live: Live | None = None
        self._stopped = threading.Event()
        self._heartbeat: threading.Thread | None = None

    def __enter__(self) -> LiveProgress:
        if self.console.is_terminal:
            # redrawn at most 8 times a second, however many jobs change state in between
            self.live = Live(console=self.console, get_renderable=self.render,
                             refresh_per_second=8, transient=False)
            self.live.__enter__()
        else:
            self._heartbeat = threading.Thread(target=self._beat, name="panelist-heartbeat",
                                               daemon=True)
            self._heartbeat.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.live is not None:
            self.live.__exit__(exc_type, exc, tb)
        self._stopped.set()
        if self._heartbeat is not None:
            self._heartbeat.join()

    def update(self, job: Job, state: JobState, detail: str = "") -> None:
        now = time.monotonic()
        starting = state == "drafting" and job.key not in self.started
        if state == "drafting":
            self.started.setdefault(job.key, now)
        self.rows[job.key] = (job, state, detail, now)
        if self.live is not None:
            return
        if starting:
            self._line(job, f"started ({detail})" if detail else "started")
        elif state in {"done", "failed"}:
            self._line(job, f"{state} in {self._elapsed(job.key, now)}, "
                            f"{self.job_usage.get(job.key, Usage()).output_tokens:,} tokens out: "
                            f"{detail}")
        elif state in {"retrying", "re-asking"}:
            self._line(job, f"{state} {detail}".rstrip())

    def spent(self, job: Job, usage: Usage) -> None:
        self.usage = self.usage + usage
        self.job_usage[job.key] = self.job_usage.get(job.key, Usage()) + usage

    def _line(self, job: Job, text: str) -> None:
        finished = sum(1 for *_, s, _, _ in self.rows.values() if s in FINISHED)
        self._say(f"[{finished}/{len(self.rows)}] {job.key}: {text}")

    def _say(self, text: str) -> None:
        """One event: a line, and indented lines where it is wider than the terminal, so a log
        still reads as one event per unindented line."""
        import textwrap

        lines = textwrap.wrap(text, max(self.console.width, 40), subsequent_indent="    ",
                              break_on_hyphens=False, break_long_words=False) or [""]
        for line in lines:
            self.console.print(line, highlight=False, soft_wrap=True, markup=False)

    def _elapsed(self, key: str, now: float) -> str:
        started = self.started.get(key)
        return f"{now - started:.1f}s" if started is not None else "0.0s"

    def _beat(self) -> None:
        """Off a terminal: every ``heartbeat_s``, one line naming the takes still running."""
        while not self._stopped.wait(self.heartbeat_s):
            now = time.monotonic()
            running = [f"{key} {state} {self._elapsed(key, now)}"
                       for key, (_, state, _, _) in list(self.rows.items())
                       if state in {"drafting", "retrying", "re-asking"}]
            if running:
                self._say(f"... still working: {', '.join(running)}")

    def totals(self) -> str:
        """done / failed / retrying / remaining, tokens and cost so far."""
        states = Counter(state for _, state, _, _ in self.rows.values())
        remaining = sum(n for state, n in states.items() if state not in FINISHED)
        used = self.usage
        read = used.cache_read_tokens
        total_in = used.input_tokens + read + used.cache_write_tokens
        cached = f" ({read:,} cached)" if read else ""
        return (f"{states['done']}/{len(self.rows)} done, {states['failed']} failed, "
                f"{states['retrying']} retrying, {remaining} remaining | "
                f"{total_in:,} tokens in{cached}, {used.output_tokens:,} out | "
                f"{cost_text(used.cost_usd, used.unpriced_calls)}")

    def render(self) -> Group:
        products = {job.product.slug for job, *_ in self.rows.values()}
        table = self._persona_table() if len(products) <= 1 else self._product_table()
        return Group(Text(self.totals(), style="bold"), table)

    def _persona_table(self) -> Table:
        table = Table(title=self.title, title_justify="left", expand=False)
        table.add_column("persona")
        table.add_column("state")
        table.add_column("time", justify="right")
        table.add_column("detail", overflow="ellipsis", no_wrap=True, max_width=70)
        for key, (job, state, detail, changed) in self.rows.items():
            started = self.started.get(key)
            end = changed if state in FINISHED else time.monotonic()
            elapsed = f"{end - started:.1f}s" if started else ""
            table.add_row(Text(job.seat), Text(state, style=STATE_STYLES[state]), elapsed,
                          Text(detail))  # a server's error is text, never markup
        return table

    def _product_table(self) -> Table:
        """One row per product still drafting or with a failure; finished ones fold away."""
        panels: dict[str, list[tuple[Job, JobState, str]]] = {}
        for job, state, detail, _ in self.rows.values():
            panels.setdefault(job.product.slug, []).append((job, state, detail))

        def order(slug: str) -> int:
            states = {state for _, state, _ in panels[slug]}
            if states - FINISHED - {"waiting"}:
                return 0  # drafting now
            return 1 if "failed" in states else 2

        table = Table(title=self.title, title_justify="left", expand=True)
        table.add_column("product", no_wrap=True, max_width=40)
        table.add_column("panel", no_wrap=True)
        table.add_column("done", justify="right", no_wrap=True, min_width=5)
        table.add_column("trouble", overflow="ellipsis", no_wrap=True, ratio=1)
        shown = [slug for slug in sorted(panels, key=order)
                 if {state for _, state, _ in panels[slug]} - {"done", "skipped"}]
        room = max(5, self.console.size.height - 8)
        for slug in shown[:room]:
            panel = Text(" ").join(Text(job.seat, style=STATE_STYLES[state])
                                   for job, state, _ in panels[slug])
            done = sum(1 for _, state, _ in panels[slug] if state == "done")
            trouble = next((f"{job.seat}: {detail}" for job, state, detail
                            in reversed(panels[slug]) if state in TROUBLE), "")
            table.add_row(Text(slug), panel, f"{done}/{len(panels[slug])}", Text(trouble))
        finished = len(panels) - len(shown)
        hidden = len(shown) - len(shown[:room])
        if finished or hidden:
            table.caption = (f"{finished} product(s) finished"
                             + (f", {hidden} more not shown" if hidden else ""))
        return table


def print_summary(console: Console, results: list[JobResult], wall_s: float) -> None:
    counts = Counter(result.state for result in results)
    used = sum((result.usage for result in results), Usage())
    total_in = used.input_tokens + used.cache_read_tokens + used.cache_write_tokens
    cached = f", {used.cache_read_tokens / total_in:.0%} from cache" if total_in else ""
    parts = [f"{n} {state}" for state, n in counts.items()]
    console.print(f"{', '.join(parts)} in {wall_s:.1f}s; cost "
                  f"{cost_text(used.cost_usd, used.unpriced_calls)}; {total_in:,} tokens "
                  f"in{cached}, {used.output_tokens:,} out", highlight=False, markup=False)
    skipped = [result for result in results if result.state == "skipped"]
    for result in results:  # details carry foreign text (a server's error): never markup
        if result.state == "failed":
            console.print(Text.assemble(("failed", "red"), f" {result.job.key}: {result.detail}"),
                          highlight=False, soft_wrap=False)
        elif result.draft is not None and result.draft.meta.quality:
            findings = "; ".join(result.draft.meta.quality)  # may hold "[": not markup
            console.print(Text.assemble(("flagged", "yellow"), f" {result.job.key} "
                                        f"({result.draft.meta.verdict}): {findings}"),
                          highlight=False, soft_wrap=False)
        elif result.state == "skipped" and len(skipped) <= 10:
            console.print(Text.assemble(("skipped", "dim"), f" {result.job.key}: "
                                                          f"{result.detail}"),
                          highlight=False, soft_wrap=False)
    if len(skipped) > 10:
        console.print(Text(f"skipped {len(skipped)} personas already drafted, edited or waiting "
                           f"in a batch ('panelist status' lists them)", style="dim"),
                      highlight=False, soft_wrap=False)
