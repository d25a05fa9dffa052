"""Persona trials on disk: one folder per trial, nothing of it in drafts/.

    .panelist/trials/<id>/trial.json              the record: persona, variants, products, the
                                                  approved take of each product when the trial
                                                  started, and each take's outcome and time
    .panelist/trials/<id>/variants/<folder>.md    the persona file each variant ran with, byte
                                                  for byte (baseline: the persona file as it was)
    .panelist/trials/<id>/takes/<folder>/<product>.md   each take, as a draft file with its usage
    .panelist/trials/<id>/batch.json              the batch, when the trial went through one
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from panelist.errors import FileFormatError, InputError, UnknownTrialError
from panelist.models import Draft, DraftMeta, Persona, Verdict, parse_file_model
from panelist.store import frontmatter
from panelist.store.drafts import draft_text, with_site_fields
from panelist.store.workspace import Workspace, write_atomic

VariantKind = Literal["baseline", "file", "model", "effort"]
CellState = Literal["pending", "done", "failed"]
BASELINE = "baseline"
_TRIAL_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[a-z0-9][a-z0-9-]{0,79}$")


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class TrialVariant(_Record):
    label: str  # baseline, a file's stem, model:ID, effort:LEVEL
    kind: VariantKind
    folder: str  # variants/<folder>.md and takes/<folder>/
    model: str | None = None
    effort: Literal["low", "medium", "high"] | None = None
    source: str | None = None  # the --variant file as given


class TrialReference(_Record):
    """The approved take a trial's takes are held against, as it stood when the trial began."""

    verdict: Verdict
    quote: str
    take: int
    approved_at: datetime | None = None


class TrialCell(_Record):
    variant: str
    product: str
    state: CellState = "pending"
    detail: str = ""
    seconds: float | None = None


class TrialRecord(_Record):
    id: str
    persona: str
    created_at: datetime
    products: list[str]
    variants: list[TrialVariant]
    references: dict[str, TrialReference] = Field(default_factory=dict)
    cells: list[TrialCell] = Field(default_factory=list)
    concurrency: int = 1
    batch: str | None = None  # the batch id, when submitted with --batch
    batch_entries: dict[str, str] = Field(default_factory=dict)  # custom_id -> variant label

    def variant(self, label: str) -> TrialVariant:
        for variant in self.variants:
            if variant.label == label:
                return variant
        known = ", ".join(v.label for v in self.variants)
        raise InputError(f"Trial {self.id} has no variant '{label}' (variants: {known})")

    def cell(self, label: str, product: str) -> TrialCell:
        for cell in self.cells:
            if cell.variant == label and cell.product == product:
                return cell
        cell = TrialCell(variant=label, product=product)
        self.cells.append(cell)
        return cell


def variant_folder(index: int, label: str) -> str:
    """A file-safe folder name, unique by its index: 'model:claude-opus-5' -> 1-model-claude..."""
    return f"{index}-" + re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-")[:60]


class TrialStore:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def new_id(self, persona_id: str) -> str:
        base = f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{persona_id}"
        trial_id, n = base, 1
        while (self.workspace.trials_dir / trial_id).exists():
            n += 1
            trial_id = f"{base}-{n}"
        return trial_id

    def folder(self, trial_id: str) -> Path:
        if not _TRIAL_ID.match(trial_id):
            raise UnknownTrialError(f"'{trial_id}' is not a trial id (like "
                                    f"20261206T080000Z-skeptic); 'panelist trial list' shows them")
        return self.workspace.trials_dir / trial_id

    def save(self, record: TrialRecord) -> None:
        write_atomic(self.folder(record.id) / "trial.json", record.model_dump_json(indent=1) + "\n")

    def load(self, trial_id: str) -> TrialRecord:
        path = self.folder(trial_id) / "trial.json"
        if not path.is_file():
            known = ", ".join(record.id for record in self.all()[-5:]) or "none yet"
            where = self.workspace.relative(self.workspace.trials_dir)
            raise UnknownTrialError(f"No trial '{trial_id}' in {where}/ (latest: {known})")
        return self._read(path)

    def all(self) -> list[TrialRecord]:
        """Every trial, oldest first."""
        folder = self.workspace.trials_dir
        paths = sorted(folder.glob("*/trial.json")) if folder.is_dir() else []
        return sorted((self._read(path) for path in paths), key=lambda r: r.created_at)

    def _read(self, path: Path) -> TrialRecord:
        try:
            return TrialRecord.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise FileFormatError(self.workspace.relative(path), f"unreadable trial record "
                                  f"({exc.__class__.__name__})",
                                  fix="delete the trial's folder and run it again") from None

    # variant files ------------------------------------------------------------------------

    def variant_path(self, record: TrialRecord, variant: TrialVariant) -> Path:
        return self.folder(record.id) / "variants" / f"{variant.folder}.md"

    def keep_variant_file(self, record: TrialRecord, variant: TrialVariant, data: bytes) -> None:
        # byte for byte: the file was read as UTF-8 already, and write_atomic translates no
        # line ends, so adopting the baseline later restores exactly these bytes
        write_atomic(self.variant_path(record, variant), data.decode("utf-8"))

    def variant_bytes(self, record: TrialRecord, variant: TrialVariant) -> bytes:
        """The persona file the variant ran with (a model or effort variant: the baseline's)."""
        kept = variant if variant.kind in ("baseline", "file") else record.variant(BASELINE)
        return self.variant_path(record, kept).read_bytes()

    def variant_persona(self, record: TrialRecord, variant: TrialVariant) -> Persona:
        kept = variant if variant.kind in ("baseline", "file") else record.variant(BASELINE)
        return self.workspace.read_persona_file(self.variant_path(record, kept))

    # takes --------------------------------------------------------------------------------

    def take_path(self, record: TrialRecord, variant: TrialVariant, product: str) -> Path:
        return self.folder(record.id) / "takes" / variant.folder / f"{product}.md"

    def write_take(self, path: Path, meta: DraftMeta, quote: str) -> Draft:
        meta = with_site_fields(meta)
        write_atomic(path, draft_text(meta, quote))
        return Draft(meta=meta, quote=quote, path=path)

    def read_take(self, record: TrialRecord, variant: TrialVariant, product: str
                  ) -> Draft | None:
        path = self.take_path(record, variant, product)
        if not path.is_file():
            return None
        data, body = frontmatter.read(path)
        meta = parse_file_model(DraftMeta, data, Path(self.workspace.relative(path)))
        return Draft(meta=meta, quote=body.strip(), path=path)
