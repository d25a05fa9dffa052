"""Running a prepared run from the command line: the model notices, live progress, the
summary. The run itself is the service's (run/service.py); this only draws it."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

from panelist.cli.options import console
from panelist.cli.progress import LiveProgress, print_summary
from panelist.errors import PanelFailedError
from panelist.run.jobs import JobResult
from panelist.run.service import PreparedRun


def run(prepared: PreparedRun, title: str | None = None) -> list[JobResult]:
    """Run a prepared plan, drawing progress as it goes; the skipped personas come first."""
    if prepared.plan.jobs:
        announce(prepared.notices)
        with LiveProgress(console(), title or f"drafting {prepared.plan.title}") as progress:
            return prepared.run(progress)
    return prepared.run()


def announce(notices: Iterable[str]) -> None:
    """Notices of the models a run uses (e.g. the local default), each once, on stderr."""
    for notice in dict.fromkeys(notices):
        print(notice, file=sys.stderr)


def finish_run(results: list[JobResult], wall_s: float, *,
               retry: str = "Run the same command to retry them") -> None:
    if not results:
        console().print("nothing to do")
        return
    print_summary(console(), results, wall_s)
    failed = [r.job.key if _several_products(results) else r.job.persona.id
              for r in results if r.state == "failed"]
    if failed:
        shown = ", ".join(failed[:10]) + (f" and {len(failed) - 10} more" if len(failed) > 10
                                          else "")
        others = ("the other drafts were written" if len(failed) < len(results)
                  else "no draft was written")
        raise PanelFailedError(f"{len(failed)} persona(s) failed: {shown}; {others}. {retry}")


def _several_products(results: Sequence[JobResult]) -> bool:
    return len({result.job.product.slug for result in results}) > 1
