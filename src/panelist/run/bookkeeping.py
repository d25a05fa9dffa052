"""What each model call used and cost: into the ledger, to the reporter, and per job."""

from __future__ import annotations

from panelist.backends import ModelChoice
from panelist.backends.base import LLMResponse
from panelist.backends.pricing import cost_usd
from panelist.models import Usage
from panelist.run.jobs import Job, Reporter
from panelist.store import ledger
from panelist.store.workspace import Workspace


def usage_of(choice: ModelChoice, response: LLMResponse) -> Usage:
    tokens = response.tokens
    cost = cost_usd(choice.price_key, tokens, batch=response.batch)
    return Usage(**tokens.token_counts(), cost_usd=cost or 0.0, unpriced_calls=int(cost is None))


class Books:
    """One run's accounts: every call once in the ledger, and what each job has spent so far
    (failed calls included, so a failed persona's summary counts what it cost)."""

    def __init__(self, workspace: Workspace, reporter: Reporter) -> None:
        self.workspace = workspace
        self.reporter = reporter
        self.spent: dict[str, Usage] = {}

    def record(self, job: Job, choice: ModelChoice, response: LLMResponse,
               outcome: ledger.Outcome) -> Usage:
        usage = usage_of(choice, response)
        self.spent[job.key] = self.spent.get(job.key, Usage()) + usage
        ledger.append(self.workspace.ledger_path, ledger.CallRecord(
            time=ledger.now(), product=job.product.slug, persona=job.persona.id,
            model=choice.model, backend=choice.backend, **usage.token_counts(),
            latency_s=round(response.latency_s, 3),
            attempts=response.attempts, outcome=outcome, batch=response.batch,
            cost_usd=usage.cost_usd, priced=usage.priced))
        self.reporter.spent(job, usage)
        return usage

    def record_failure(self, job: Job, choice: ModelChoice) -> None:
        """A call that never got an answer: no tokens, but the attempt is on the record."""
        ledger.append(self.workspace.ledger_path, ledger.CallRecord(
            time=ledger.now(), product=job.product.slug, persona=job.persona.id,
            model=choice.model, backend=choice.backend, outcome="failed"))
