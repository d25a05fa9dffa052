"""Writes the desk makes to files: a quote edit checked against the file's hash, approve and
unapprove (the review layer's own ``approve_takes``/``unapprove_takes``, behind the same hash
check), and a new product file. A save goes through the store's own functions (read,
``draft_text``, ``write_atomic``), so it is the same as an editor saving the file by hand.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from panelist.errors import InputError, PanelistError
from panelist.models import SLUG_PATTERN, Draft, Product, Verdict
from panelist.review.approval import Approval, Unapproval, approve_takes, unapprove_takes
from panelist.store import products
from panelist.store.drafts import DraftStore, draft_text
from panelist.store.text import DEFAULT_MAX_CHARS, MAX_CHARS, normalise_newlines, text_problem
from panelist.store.workspace import Workspace, check_slug, write_atomic

# Read-compare-write of one file must not interleave with another desk request's.
_WRITE_LOCK = threading.Lock()
PRODUCT_FIELDS = ("name", "tagline", "category", "pricing", "url", "license")


def file_hash(path: Path) -> str:
    """The hash a page holds for a draft: any change to the file (an edit in the CLI, another
    editor or tab, an approval) changes it."""
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()[:32]


class StaleDraftError(PanelistError):
    """The file changed since the editor loaded it; ``current`` is what is on disk now."""

    def __init__(self, where: str, current: Draft, current_hash: str,
                 action: str = "save") -> None:
        self.current = current
        self.current_hash = current_hash
        then = ("save again on top of the current file" if action == "save" else
                f"{action} the current file if it stands")
        super().__init__(f"{where} changed since you opened it; nothing was {action}d. "
                         f"Compare both versions, then {then}")


@dataclass(frozen=True)
class Saved:
    draft: Draft
    hash: str
    kept: Path | None = None  # the file's version, kept in history before a save over it


def desk_ids(slug: str, persona_id: str | None = None) -> tuple[str, str]:
    """A product slug and persona id from a URL, checked; ids ignore case as in the CLI."""
    slug = check_slug(slug.lower())
    return slug, check_slug(persona_id.lower(), "persona") if persona_id is not None else ""


def current_draft(workspace: Workspace, slug: str, persona_id: str) -> Draft:
    slug, persona_id = desk_ids(slug, persona_id)
    workspace.product_path(slug)
    workspace.select_personas([persona_id])
    draft = DraftStore(workspace).read(slug, persona_id)
    if draft is None:
        raise InputError(f"No draft for {slug} / {persona_id} yet: draft the panel first")
    return draft


def save_edit(workspace: Workspace, slug: str, persona_id: str, *, quote: str,
              verdict: Verdict, expected_hash: str, save_over: bool = False) -> Saved:
    """Write the editor's quote and verdict if the file is still the one the editor saw.

    ``save_over``: the editor saw this file's version in a conflict and chose to replace it;
    an edited or approved version is kept in history first (``take-NNN.edited-TIME.md``), as
    ``redo --force`` keeps it.
    """
    with _WRITE_LOCK:
        draft = current_draft(workspace, slug, persona_id)
        check_unchanged(workspace, draft, expected_hash)
        meta = draft.meta.model_copy(update={"verdict": verdict})
        text = draft_text(meta, quote)  # checked before anything is written or archived
        store = DraftStore(workspace)
        kept = store.archive_edited(draft) if save_over and store.protection(draft) else None
        write_atomic(draft.path, text)
        saved = store.read_file(draft.path)
        return Saved(saved, file_hash(saved.path), kept)


def check_unchanged(workspace: Workspace, draft: Draft, expected_hash: str | None,
                    action: str = "save") -> None:
    """Raise ``StaleDraftError`` when the file's hash is not the one the editor's page holds."""
    if expected_hash is None:
        return
    current_hash = file_hash(draft.path)
    if current_hash != expected_hash:
        raise StaleDraftError(workspace.relative(draft.path), draft, current_hash, action)


def approve(workspace: Workspace, slug: str, persona_id: str, expected_hash: str | None = None,
            *, approver: str, allow_quality: bool = False) -> Approval:
    """``approve_takes`` for one persona, if the file is still the one the editor saw."""
    with _WRITE_LOCK:
        draft = current_draft(workspace, slug, persona_id)
        check_unchanged(workspace, draft, expected_hash, "approve")
        return approve_takes(workspace, slug, [persona_id], approver=approver,
                             allow_quality=allow_quality)[0]


def unapprove(workspace: Workspace, slug: str, persona_id: str,
              expected_hash: str | None = None) -> Unapproval:
    """``unapprove_takes`` for one persona, if the file is still the one the editor saw."""
    with _WRITE_LOCK:
        draft = current_draft(workspace, slug, persona_id)
        check_unchanged(workspace, draft, expected_hash, "unapprove")
        return unapprove_takes(workspace, slug, [persona_id])[0]


class ProductFormError(InputError):
    """Every problem with a new product's fields at once, by field, for the form to show each at
    its field; ``str()`` is the first, naming its field, for the CLI and the API."""

    def __init__(self, where: str, problems: dict[str, str]) -> None:
        self.problems = problems
        field, problem = next(iter(problems.items()))
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{where}: field '{field}': {problem}{more}")


def product_form_problems(fields: dict[str, Any]) -> dict[str, str]:
    """What is wrong with each field of a new product, as ``load_product`` would say it."""
    problems: dict[str, str] = {}
    values = {name: str(fields.get(name) or "") for name in ("slug", *PRODUCT_FIELDS,
                                                             "description")}
    for name, value in values.items():
        if problem := text_problem(normalise_newlines(value),
                                   MAX_CHARS.get(name, DEFAULT_MAX_CHARS)):
            problems[name] = problem
    if "slug" not in problems and not SLUG_PATTERN.fullmatch(values["slug"].strip()):
        problems["slug"] = ("use lowercase letters, digits and '-' (for example "
                            "'tether-qvac-sdk')" if values["slug"].strip() else "is empty")
    data = product_data(values)
    try:
        Product.model_validate({**data, "slug": "x",
                                "description": values["description"].strip()})
    except ValidationError as error:
        for item in error.errors():
            name = str(item["loc"][0]) if item["loc"] else "description"
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.setdefault(name, "is empty" if item["type"] == "string_too_short"
                                and not values.get(name, "").strip() else message)
    return {name: problems[name] for name in values if name in problems}


def product_data(values: dict[str, str]) -> dict[str, Any]:
    """The front matter of a new product: the required fields, and the optional ones given."""
    data: dict[str, Any] = {}
    for name in PRODUCT_FIELDS:
        value = values.get(name, "").strip()
        if value or name in ("name", "tagline", "category", "pricing"):
            data[name] = value
    return data


def create_product(workspace: Workspace, fields: dict[str, Any]) -> Product:
    """Write products/<slug>.md from a form; every field's problem is reported at once, and
    the store writes only a file ``load_product`` reads back."""
    problems = product_form_problems(fields)
    if problems:
        slug = str(fields.get("slug") or "").strip()
        shown = f"products/{slug}.md" if "slug" not in problems else "products/"
        raise ProductFormError(shown, problems)
    values = {name: str(value) for name, value in fields.items() if value is not None}
    with _WRITE_LOCK:
        return products.create_product(workspace, values["slug"].strip(),
                                       product_data(values), values.get("description", ""))
