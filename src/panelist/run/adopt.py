"""``panelist trial adopt ID VARIANT``: make a trial's variant the persona, reversibly.

A variant file replaces the persona file; a model or effort variant is written into the persona
file's front matter (the rest of the file, comments included, stays as it is). The file it
replaces is kept first as ``personas/history/<persona>/<time>.md``. Adopting ``baseline``
puts back the persona file the trial started from, byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from panelist.errors import FileFormatError
from panelist.models import Persona
from panelist.store import frontmatter
from panelist.store.trials import TrialStore, TrialVariant
from panelist.store.workspace import Workspace, write_atomic


@dataclass(frozen=True)
class Adoption:
    trial: str
    variant: str
    persona_file: str
    kept: str | None  # where the replaced file went; None when nothing changed

    @property
    def changed(self) -> bool:
        return self.kept is not None


def adopt_variant(workspace: Workspace, trial_id: str, label: str) -> Adoption:
    store = TrialStore(workspace)
    record = store.load(trial_id)
    variant = record.variant(label)
    path = workspace.persona_path(record.persona)
    current = path.read_bytes() if path.is_file() else b""
    new = _adopted_bytes(store.variant_bytes(record, variant) if variant.kind
                         in ("baseline", "file") else current, variant, path)
    _check_persona(workspace, new, path, record.persona)
    shown = workspace.relative(path)
    if new == current:
        return Adoption(record.id, label, shown, None)
    kept = _history_path(workspace, record.persona)
    if current:
        write_atomic(kept, current.decode("utf-8"))
    write_atomic(path, new.decode("utf-8"))  # no newline translation: the bytes as they were
    return Adoption(record.id, label, shown, workspace.relative(kept) if current else "")


def _adopted_bytes(base: bytes, variant: TrialVariant, path: Path) -> bytes:
    """A model or effort variant: that one front-matter line set, everything else kept."""
    if variant.kind == "model" and variant.model:
        return _set_field(base, "model", variant.model, path)
    if variant.kind == "effort" and variant.effort:
        return _set_field(base, "effort", variant.effort, path)
    return base


def _set_field(data: bytes, key: str, value: str, path: Path) -> bytes:
    text = data.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""  # kept as it was, like the line ends
    text = text.removeprefix(bom)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    fences = [index for index, line in enumerate(lines) if line.strip() == frontmatter.FENCE]
    if len(fences) < 2 or fences[0] != 0:
        raise FileFormatError(path, "no front matter to write the variant into", line=1,
                              fix="start the file with '---', the fields, and '---'")
    pattern = re.compile(rf"^{key}\s*:")
    line = f"{key}: {value}"
    for index in range(1, fences[1]):
        if pattern.match(lines[index]):
            lines[index] = line
            break
    else:
        lines.insert(fences[1], line)
    return (bom + newline.join(lines)).encode("utf-8")


def _check_persona(workspace: Workspace, data: bytes, path: Path, persona_id: str) -> Persona:
    """The file about to be written must load as this persona: nothing broken is adopted."""
    persona = workspace.parse_persona(frontmatter.decode(data, path), path)
    if persona.id != persona_id:
        raise FileFormatError(path, f"the variant's id '{persona.id}' is not '{persona_id}'",
                              field="id", fix=f"set id: {persona_id} in the variant file")
    return persona


def _history_path(workspace: Workspace, persona_id: str) -> Path:
    folder = workspace.persona_history_dir(persona_id)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path, n = folder / f"{stamp}.md", 1
    while path.exists():
        n += 1
        path = folder / f"{stamp}-{n}.md"
    return path
