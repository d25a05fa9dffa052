"""Catalogue-scale commands: batch status / collect, and estimate (registered on the app)."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer

from panelist.cli.app import PanelistTyper, app
from panelist.cli.options import (
    AllOpt,
    BaseUrlOpt,
    ConcurrencyOpt,
    EffortOpt,
    JsonOpt,
    ModelOpt,
    PersonaOpt,
    ProductsArg,
    TimeoutOpt,
    WorkspaceOpt,
    console,
    open_workspace,
    print_json,
    table,
)

batch_app = PanelistTyper(
    help="Batches sent by 'panelist draft --batch': check on them and collect their drafts.",
    no_args_is_help=True)
app.add_typer(batch_app, name="batch")

BatchIdArg = Annotated[str | None, typer.Argument(
    metavar="BATCH_ID",
    help="A batch id (msgbatch_...). Default: every batch with answers still to collect.",
    show_default=False)]


@batch_app.command("status")
def batch_status(
    batch_id: BatchIdArg = None,
    base_url: BaseUrlOpt = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Show submitted batches: answers still due, drafts written, requests that failed.

    Example: panelist batch status
    """
    from panelist.run import service

    ws = open_workspace(workspace)
    records = service.batch_records(ws, batch_id)
    rows = service.batch_status(records, service.run_settings(None, base_url, 1))
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print("no batches yet: 'panelist draft PRODUCT --batch' submits one")
        return
    console().print(table(rows, ["batch", "submitted", "requests", "pending", "written",
                                 "failed", "api"], optional=["submitted", "requests"]))
    for row in rows:
        for problem in row["problems"]:
            console().print(f"  {problem}", style="red", highlight=False, soft_wrap=False,
                            markup=False)  # a server's error is text, never markup
    if any(row["api"] == "ended" for row in rows):
        console().print("ended batches have answers waiting: 'panelist batch collect'")


@batch_app.command("collect")
def batch_collect(
    batch_id: BatchIdArg = None,
    wait: Annotated[bool, typer.Option(
        "--wait", help="Wait for batches still processing instead of leaving them.")] = False,
    poll: Annotated[float, typer.Option(
        metavar="SECONDS", min=0.1, help="Seconds between checks with --wait.")]
        = 30.0,
    base_url: BaseUrlOpt = None,
    concurrency: ConcurrencyOpt = 5,
    timeout: TimeoutOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write a finished batch's answers as drafts, by the same rules as 'panelist draft'.

    Invalid answers get one interactive re-ask; edited drafts are never overwritten; expired
    or errored requests are listed per persona, and 'panelist draft' re-runs them.

    Example: panelist batch collect msgbatch_01AbC
    """
    from panelist.cli import running
    from panelist.cli.progress import LiveProgress
    from panelist.run import service

    ws = open_workspace(workspace)
    records = service.batch_records(ws, batch_id, pending_only=True)
    if not records:
        console().print("no batch has answers still to collect")
        return
    settings = service.run_settings(None, base_url, concurrency, timeout)
    started = time.perf_counter()
    results: list[Any] = []
    problems: list[str] = []
    for record in records:
        if not record.pending():
            console().print(f"{record.id}: already collected")
            continue
        status = service.batch_progress(record, settings)
        while not status.ended and wait:
            time.sleep(poll)
            status = service.batch_progress(record, settings)
        if not status.ended:
            processing = status.counts.get("processing", 0)
            console().print(f"{record.id}: still processing ({processing} of "
                          f"{len(record.entries)} answers due); run this again later, or "
                          f"add --wait", highlight=False, soft_wrap=False)
            continue
        with LiveProgress(console(), f"collecting {record.id}") as progress:
            collected = service.collect_batch(ws, record, settings, progress)
        results += collected.results
        problems += collected.problems
    for problem in problems:
        console().print(f"not collected {problem}", style="red", highlight=False,
                        soft_wrap=False, markup=False)
    running.finish_run(results, time.perf_counter() - started,
                        retry="Re-run them with 'panelist draft PRODUCT --persona ID' "
                              "(add --batch to batch them again)")


@app.command()
def estimate(
    products: ProductsArg = None,
    all_products: AllOpt = False,
    persona: PersonaOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Count personas that already have a draft too.")] = False,
    concurrency: ConcurrencyOpt = 5,
    effort: EffortOpt = None,
    as_json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Estimate the tokens and cost of a draft run before making it; no model is run.

    Input tokens come from Claude's token counting endpoint (or a local model's tokenizer);
    output tokens are expected from each persona's quote length.

    Example: panelist estimate --all
    """
    from panelist.run import service

    ws = open_workspace(workspace, products)
    settings = service.run_settings(model, base_url, concurrency, effort=effort)
    report = service.estimate(service.prepare_draft(ws, products, persona, settings,
                                                    all_products=all_products, force=force))
    show_estimate(report.rows, as_json, "nothing to draft: every persona has a draft (--force "
                                        "counts them too)")


def show_estimate(rows: list[dict[str, Any]], as_json: bool, nothing: str) -> None:
    """An estimate's rows (run/estimate.py's product_rows) as a table and its sums, or JSON."""
    from panelist.run import estimate as estimating

    summary = estimating.totals(rows)
    if as_json:
        print_json({"estimate": True, "products": rows, "totals": summary})
        return
    if not rows:
        console().print(nothing)
        return
    shown = [{**row, "input": row["input_tokens"], "output": row["output_tokens"],
              "prefix": f"{row['prefix_tokens']:,}" + (" cached" if row["cached"] else ""),
              "cost": _dollars(row["cost_usd"], "unpriced"),
              "batch": _dollars(row["batch_cost_usd"], "no batches" if row["priced"]
                                else "unpriced")} for row in rows]
    models = ", ".join(dict.fromkeys(row["model"] for row in rows))
    console().print(table(shown, ["product", "requests", "input", "prefix", "output", "cost",
                                  "batch"], optional=["requests", "prefix", "batch"],
                          title=f"estimate for {models} (no model was run)"))
    counted = ", ".join(sorted({row["counted_by"] for row in rows}))
    console().print(
        f"estimate: {summary['requests']} requests, {summary['input_tokens']:,} input tokens "
        f"(counted by {counted}), ~{summary['output_tokens']:,} output tokens (expected from "
        f"the personas' quote lengths); {_dollars(summary['cost_usd'], 'unpriced')} "
        f"interactive, {_dollars(summary['batch_cost_usd'], 'no batch price')} with --batch"
        f"{_as_of(summary['prices_as_of'])}. Actual spend: 'panelist usage'.",
        highlight=False, soft_wrap=False, markup=False)
    if summary["thinking_tokens_max"]:
        console().print(
            f"thinking: up to {summary['thinking_tokens_max']:,} more output tokens if every "
            f"call thinks to its limit ({_dollars(summary['thinking_cost_usd_max'], 'unpriced')}"
            f" at most); a lower --effort thinks less", highlight=False, soft_wrap=False)
    for note in _cache_notes(rows):
        console().print(note, highlight=False, soft_wrap=False, markup=False)


def _as_of(dates: str | None) -> str:
    return f" (prices as of {dates})" if dates else ""


def _dollars(value: float | None, missing: str) -> str:
    return missing if value is None else f"~${value:.4f}"


def _cache_notes(rows: list[dict[str, Any]]) -> list[str]:
    """Why a prefix is not cached: it is shorter than the model's minimum cacheable length."""
    short: dict[tuple[str, int], list[int]] = {}
    for row in rows:
        if row["min_cacheable_tokens"] is not None and not row["cached"]:
            short.setdefault((row["model"], row["min_cacheable_tokens"]), []).append(
                row["prefix_tokens"])
    return [f"prompt cache: the shared prefix ({min(sizes):,}-{max(sizes):,} tokens) is below "
            f"{model}'s {minimum:,}-token minimum, so nothing is cached; every persona pays "
            f"full input price" for (model, minimum), sizes in short.items()]
