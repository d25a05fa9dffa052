"""Every failure panelist expects, as one tree.

The CLI turns any ``PanelistError`` into a one-line message and a non-zero exit;
anything else is a bug and keeps its traceback.

    PanelistError
    ├── InputError                 a file or argument the user can fix
    │   ├── FileFormatError        bad front matter, encoding, or field (names file + field)
    │   ├── UnknownPersonaError    lists the personas that exist
    │   ├── UnknownProductError    lists the products that exist
    │   ├── UnknownTrialError      a trial id that is not kept (lists the latest)
    │   ├── TemplateError          a prompt template that does not render
    │   ├── UnsafePathError        a slug or path that would leave the workspace
    │   └── QualityFlaggedError    approve was asked for takes the quality gate flags
    ├── ConfigError                no API key, unknown model, missing extra
    ├── EditProtectedError         an editor changed a draft; refuse to overwrite it
    ├── NotApprovedError           publish was asked for takes an editor has not approved
    ├── UnpublishableError         publish was asked for takes with lint errors, or takes
    │                              the quality gate flags that no approval took anyway
    ├── WorkspaceLockedError       another panelist process works on the same product
    ├── BackendError               the model call failed (after retries)
    │   ├── TransientError         429, 529, 5xx, a dropped connection, a timeout: retried
    │   └── TakeValidationError    the model's answer is not a valid take, even after a re-ask
    └── PanelFailedError           some personas failed; the others' drafts were written
"""

from __future__ import annotations

from pathlib import Path


class PanelistError(Exception):
    """Base of every expected failure: ``str(error)`` is the line shown to the user."""

    exit_code = 1


class InputError(PanelistError):
    exit_code = 2


class FileFormatError(InputError):
    def __init__(self, path: Path | str, problem: str, *, field: str | None = None,
                 line: int | None = None, fix: str | None = None) -> None:
        self.path = Path(path)
        self.field = field
        self.line = line
        where = f"{path}:{line}" if line else f"{path}"
        what = f"field '{field}': {problem}" if field else problem
        message = f"{where}: {what}"
        if fix:
            message += f" ({fix})"
        super().__init__(message)


def did_you_mean(name: str, known: list[str]) -> str:
    """' Did you mean 'skeptic'?' for a near miss, else nothing."""
    import difflib  # only on this error path: not on every command's start-up

    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


class UnknownPersonaError(InputError):
    def __init__(self, persona_id: str, known: list[str], folder: Path | str) -> None:
        self.persona_id = persona_id
        listed = ", ".join(known) if known else "none"
        super().__init__(f"Persona '{persona_id}' not found in {folder} (available: {listed})."
                         + did_you_mean(persona_id, known))


class UnknownProductError(InputError):
    def __init__(self, product: str, known: list[str], folder: Path | str) -> None:
        listed = ", ".join(known) if known else "none"
        if len(known) > 12:
            listed = ", ".join(known[:12]) + f" and {len(known) - 12} more"
        super().__init__(f"Product '{product}' not found in {folder} (available: {listed})."
                         + did_you_mean(product, known))


class UnknownTrialError(InputError):
    pass


class TemplateError(InputError):
    pass


class UnsafePathError(InputError):
    pass


class QualityFlaggedError(InputError):
    """``flagged``: each refused take's file and the gate's findings on it."""

    def __init__(self, message: str, flagged: dict[str, list[str]]) -> None:
        self.flagged = flagged
        super().__init__(message)


class ConfigError(PanelistError):
    exit_code = 2


class EditProtectedError(PanelistError):
    pass


class NotApprovedError(PanelistError):
    pass


class UnpublishableError(PanelistError):
    pass


class WorkspaceLockedError(PanelistError):
    pass


class BackendError(PanelistError):
    """A model call that failed for good; ``retryable`` says whether retries were spent on it."""

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False) -> None:
        self.status = status
        self.retryable = retryable
        super().__init__(message)


class TransientError(BackendError):
    """A failure worth retrying; raised again, "gave up after retries", once the retry
    policy's budget is spent."""

    def __init__(self, message: str, *, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message, status=status, retryable=True)
        self.retry_after = retry_after


class TakeValidationError(BackendError):
    pass


class PanelFailedError(PanelistError):
    pass
