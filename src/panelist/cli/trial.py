"""``panelist trial``: run variants of one persona over products, side by side with what the
editors approved; and its verbs: adopt, show, list, collect (registered on the app)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from panelist.cli.app import app
from panelist.cli.options import (
    BaseUrlOpt,
    ConcurrencyOpt,
    JsonOpt,
    TimeoutOpt,
    WorkspaceOpt,
    console,
    existing_folder,
    open_workspace,
    print_json,
)
from panelist.errors import InputError, PanelFailedError

if TYPE_CHECKING:
    from panelist.backends.base import Effort
    from panelist.review.trials import TrialView
    from panelist.run.jobs import RunSettings
    from panelist.store.workspace import Workspace

VERBS = ("adopt", "show", "list", "collect")
HtmlOpt = Annotated[Path | None, typer.Option(
    "--html", metavar="FILE", help="Also write the trial as one self-contained HTML page: "
    "products down, variants across, each quote beside the approved one with a word diff.")]


@app.command(context_settings={"allow_interspersed_args": True})
def trial(
    persona: Annotated[str, typer.Argument(
        metavar="PERSONA", help="The persona to try variants of; or a verb: 'adopt ID "
        "VARIANT', 'show ID', 'list', 'collect ID'.", show_default=False)],
    args: Annotated[list[str] | None, typer.Argument(
        metavar="PRODUCT", help="With --on: the products to run on. After a verb: its "
        "arguments.", show_default=False)] = None,
    variant: Annotated[list[Path] | None, typer.Option(
        "--variant", metavar="FILE", help="Another version of the persona file (repeatable); "
        "labelled by the file's name.")] = None,
    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", metavar="ID", help="The persona on this model (repeatable); "
        "labelled model:ID.")] = None,
    effort: Annotated[list[str] | None, typer.Option(
        "--effort", metavar="LEVEL", help="The persona at this effort (repeatable: low, "
        "medium, high); labelled effort:LEVEL.")] = None,
    on: Annotated[bool, typer.Option(
        "--on", help="Run on the products named after the persona.")] = False,
    sample: Annotated[int | None, typer.Option(
        "--sample", metavar="N", min=1, help="Run on the N products where the persona's "
        "take was approved most recently.")] = None,
    estimate: Annotated[bool, typer.Option(
        "--estimate", help="Price the trial before running it; no model is run.")] = False,
    batch: Annotated[bool, typer.Option(
        "--batch", help="Submit through the Message Batches API at half price; then "
        "'panelist trial collect ID'.")] = False,
    html: HtmlOpt = None,
    as_json: JsonOpt = False,
    base_url: BaseUrlOpt = None,
    concurrency: ConcurrencyOpt = 5,
    timeout: TimeoutOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Try variants of a persona (a file, a model, an effort) against the approved takes.

    Every take goes to .panelist/trials/ID/; drafts/, history and approvals are never touched.
    The baseline (the persona as it is) always runs. 'trial adopt ID VARIANT' makes a variant
    the persona, keeping the replaced file in personas/history/.

    Example: panelist trial skeptic --variant skeptic-blunt.md --model claude-opus-5-5 --sample 4
    """
    from panelist.run import plan

    ws = open_workspace(workspace)
    rest = list(args or [])
    settings = plan.run_settings(None, base_url, concurrency, timeout)
    if persona in VERBS and not on:
        _verb(ws, persona, rest, settings, html=html, as_json=as_json)
        return
    if rest and not on:
        raise InputError(f"'{rest[0]}': name products with --on (panelist trial {persona} --on "
                         f"{' '.join(rest)}), or use --sample N")
    if on and not rest:
        raise InputError("--on needs the products after it: panelist trial PERSONA --on "
                         "PRODUCT...")
    if on and sample is not None:
        raise InputError("use --on PRODUCT... or --sample N, not both")
    if html is not None:
        existing_folder(html, "--html")
    _run(ws, persona, rest if on else None, sample, settings, variant or [], model or [],
         _efforts(effort or []), estimate=estimate, batch=batch, html=html, as_json=as_json)


def _efforts(levels: list[str]) -> list[Effort]:
    known: dict[str, Effort] = {"low": "low", "medium": "medium", "high": "high"}
    for level in levels:
        if level.lower() not in known:
            raise InputError(f"--effort {level}: use low, medium or high")
    return [known[level.lower()] for level in levels]


def _run(ws: Workspace, persona: str, products: list[str] | None, sample: int | None,
         settings: RunSettings, variants: list[Path], models: list[str],
         efforts: list[Effort], *, estimate: bool, batch: bool,
         html: Path | None, as_json: bool) -> None:
    from panelist.cli.batch import show_estimate
    from panelist.cli.progress import LiveProgress
    from panelist.cli.running import announce
    from panelist.review.trials import approved_sample
    from panelist.run import estimate as estimating
    from panelist.run import trial as trials

    chosen, references = approved_sample(ws, persona, products, sample)
    spec = trials.TrialSpec(persona=persona, products=chosen, references=references,
                            variant_files=variants, models=models, efforts=efforts)
    if estimate:
        rows = estimating.product_rows(trials.estimate_trial(ws, spec, settings))
        show_estimate(rows, as_json, "nothing to run")
        return
    started = trials.start_trial(ws, spec, settings)
    announce(notice for planned in started.plan.jobs for notice in planned.choice.notices)
    if batch:
        record = trials.submit_trial(ws, started)
        _say(as_json, {"id": record.id, "batch": record.batch, "requests": len(started.plan.jobs)},
             f"trial {record.id}: submitted batch {record.batch} ({len(started.plan.jobs)} "
             f"requests at the batch price). When it has ended, run 'panelist trial collect "
             f"{record.id}'.")
        return
    title = f"trial {started.record.id}: {len(started.plan.jobs)} takes"
    with LiveProgress(console(stderr=True), title) as progress:
        record = trials.run_trial(ws, started, progress)
    _show(ws, record.id, html=html, as_json=as_json)


def _verb(ws: Workspace, verb: str, rest: list[str], settings: RunSettings, *, html: Path | None,
          as_json: bool) -> None:
    usage = {"adopt": "ID VARIANT", "show": "ID", "collect": "ID", "list": ""}[verb]
    wanted = len(usage.split())
    if len(rest) != wanted:
        raise InputError(f"usage: panelist trial {verb} {usage}".rstrip())
    if verb == "list":
        _list(ws, as_json)
    elif verb == "adopt":
        _adopt(ws, rest[0], rest[1], as_json)
    elif verb == "show":
        if html is not None:
            existing_folder(html, "--html")
        _show(ws, rest[0], html=html, as_json=as_json)
    else:
        _collect(ws, rest[0], settings, html=html, as_json=as_json)


def _show(ws: Workspace, trial_id: str, *, html: Path | None, as_json: bool) -> None:
    from panelist.cli.trial_tables import trial_renderable
    from panelist.review.site import render_trial_html
    from panelist.review.trials import build_trial, trial_json
    from panelist.store.workspace import write_atomic

    view = build_trial(ws, trial_id)
    if html is not None:
        write_atomic(html, render_trial_html(ws, view))
    if as_json:
        print_json(trial_json(view))
    else:
        console().print(trial_renderable(view, console().width))
        if html is not None:
            console().print(f"wrote {html}")
    _fail_if_failed(view)


def _fail_if_failed(view: TrialView) -> None:
    failed = [f"{c.variant} / {c.product}" for c in view.cells if c.state == "failed"]
    if failed:
        raise PanelFailedError(f"{len(failed)} take(s) of trial {view.id} failed: "
                               f"{', '.join(failed[:6])}; the others were written")


def _adopt(ws: Workspace, trial_id: str, label: str, as_json: bool) -> None:
    from panelist.run.adopt import adopt_variant

    adoption = adopt_variant(ws, trial_id, label)
    if not adoption.changed:
        message = f"{adoption.persona_file} is already the variant '{label}'; nothing changed"
    else:
        kept = f"; the replaced file is kept as {adoption.kept}" if adoption.kept else ""
        message = f"{adoption.persona_file} is now the variant '{label}' of trial " \
                  f"{adoption.trial}{kept}"
    _say(as_json, {"trial": adoption.trial, "variant": label, "persona_file":
                   adoption.persona_file, "kept": adoption.kept, "changed": adoption.changed},
         message)


def _list(ws: Workspace, as_json: bool) -> None:
    from panelist.cli.options import table
    from panelist.review.trials import trial_summaries

    rows = [summary.model_dump(mode="json") for summary in trial_summaries(ws)]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print("no trials yet: 'panelist trial PERSONA --sample 4' runs one")
        return
    shown = [{**row, "variants": ", ".join(row["variants"]),
              "created": row["created_at"][:16].replace("T", " ")} for row in rows]
    console().print(table(shown, ["id", "products", "variants", "done", "failed", "pending"]))


def _collect(ws: Workspace, trial_id: str, settings: RunSettings, *, html: Path | None,
             as_json: bool) -> None:
    from panelist.cli.progress import LiveProgress
    from panelist.run import trial as trials
    from panelist.store.trials import TrialStore

    record = TrialStore(ws).load(trial_id)
    with LiveProgress(console(stderr=True), f"collecting trial {trial_id}") as progress:
        status = trials.collect_trial(ws, record, settings, progress)
    if not status.ended:
        _say(as_json, {"id": trial_id, "batch": status.id, "ended": False},
             f"batch {status.id} is still processing; run 'panelist trial collect {trial_id}' "
             f"again later")
        return
    _show(ws, trial_id, html=html, as_json=as_json)


def _say(as_json: bool, data: dict[str, object], message: str) -> None:
    if as_json:
        print_json(data)
    else:
        console().print(message, highlight=False, soft_wrap=True)
