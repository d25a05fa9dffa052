"""A new product file, written only if it reads back as the CLI reads it (the desk's form)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from panelist.errors import InputError
from panelist.models import Product, parse_file_model
from panelist.store import frontmatter
from panelist.store.text import check_fields, normalise_newlines
from panelist.store.workspace import Workspace, check_slug, write_atomic


def create_product(workspace: Workspace, slug: str, data: dict[str, Any], description: str
                   ) -> Product:
    """Write products/<slug>.md, new, from checked fields; the file is created only if
    ``load_product`` will read it back (text rule, model validation) and no file has that
    name yet."""
    path = workspace.products_dir / f"{check_slug(slug)}.md"
    shown = Path(workspace.relative(path))
    check_fields({**data, "description": description}, shown)
    description = normalise_newlines(description).strip()
    parse_file_model(Product, {**data, "slug": slug, "description": description}, shown)
    workspace.products_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise InputError(f"{shown} already exists: choose another slug, or edit that "
                         f"file") from None
    os.close(fd)  # the name is ours; the text goes in atomically, as every write does
    try:
        write_atomic(path, frontmatter.dump(data, description))
        return workspace.load_product(slug)  # read back as the CLI will, or not kept at all
    except BaseException:
        path.unlink(missing_ok=True)
        raise
