"""The workspace on disk: the only module that knows the folders and how files are named.

    <root>/personas/<id>.md            persona files
    <root>/prompts/*.j2                prompt templates (override the packaged defaults)
    <root>/products/<slug>.md          product files
    <root>/drafts/<slug>/<persona>.md  current drafts, edited by hand
    <root>/drafts/<slug>/history/<persona>/take-NNN[.edited-TIME].md
    <root>/.panelist/                  panelist's own state: ledger, locks, batches, and the
                                       quality gate's findings on texts it judged (gate/)
    <root>/.panelist/trials/<id>/      persona trials: the variants' files and takes
    <root>/personas/history/<id>/<time>.md   persona files replaced by 'trial adopt'
    <root>/site/                       published pages (HTML, Markdown, JSON)
    <root>/templates/site/*.j2         page templates (override the packaged defaults)
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from panelist.errors import (
    FileFormatError,
    InputError,
    UnknownPersonaError,
    UnknownProductError,
    UnsafePathError,
)
from panelist.models import SLUG_PATTERN, Persona, Product, parse_file_model
from panelist.store import frontmatter, guards
from panelist.store.text import printable

WORKSPACE_ENV = "PANELIST_WORKSPACE"


def packaged_defaults() -> Path:
    """The personas, prompts and example products shipped inside the package."""
    return Path(str(resources.files("panelist") / "defaults"))


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_current_umask())  # mkstemp's 0600 would hide pages from servers
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@functools.cache
def _current_umask() -> int:
    """Read once: reading the umask briefly changes it, which no other thread should see."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_slug(slug: str, what: str = "product") -> str:
    if not SLUG_PATTERN.fullmatch(slug):
        raise UnsafePathError(
            f"'{printable(slug)}' is not a valid {what} name: use lowercase letters, digits "
            f"and '-' (for example 'tether-qvac-sdk')")
    return slug


class Workspace:
    def __init__(self, root: Path, *, memo: bool = False,
                 products: dict[str, tuple[tuple[int, int, int], Product]] | None = None
                 ) -> None:
        self.root = root.resolve()
        # each product file parsed, keyed by its stat (shared with the workspace's requests)
        self._products = {} if products is None else products
        self._prefix = str(self.root).rstrip(os.sep) + os.sep
        self._texts: dict[Path, str] | None = {} if memo else None

    def for_one_request(self) -> Workspace:
        """The same workspace, reading each file at most once for as long as it is kept (one
        desk request): a page that needs the product five times parses it once. The products
        parsed for the catalogue's names are shared: a file is parsed again only when its stat
        changed, so a page of one product does not parse a thousand."""
        return Workspace(self.root, memo=True, products=self._products)

    def read_text(self, path: Path) -> str:
        """A workspace file's text (see ``frontmatter.read_text``), once per request."""
        if self._texts is None:
            return frontmatter.read_text(path, self.shown(path))
        if path not in self._texts:
            self._texts[path] = frontmatter.read_text(path, self.shown(path))
        return self._texts[path]

    @classmethod
    def discover(cls, explicit: Path | None = None, near: Sequence[Path] = ()) -> Workspace:
        """``--workspace``, else ``$PANELIST_WORKSPACE``, else the nearest folder holding
        personas/, from the current folder up (as git finds a repository), else from the
        folders of the product files named on the command line."""
        env = os.environ.get(WORKSPACE_ENV)
        if explicit is not None or env:
            root = explicit if explicit is not None else Path(str(env))
            workspace = cls(root)
            if not workspace.personas_dir.is_dir():
                raise InputError(
                    f"{workspace.root} is not a panelist workspace (no personas/ folder): "
                    f"run 'panelist init {root}' or pass --workspace DIR")
            return workspace
        for start in (Path.cwd(), *near):
            found = find_workspace_root(start)
            if found is not None:
                return cls(found)
        raise InputError(
            f"No panelist workspace in {Path.cwd()} or any folder above it (none has a "
            f"personas/ folder): cd into one, pass --workspace DIR, or run 'panelist init DIR'")

    @property
    def personas_dir(self) -> Path:
        return self.root / "personas"

    @property
    def prompts_dir(self) -> Path:
        return self.root / "prompts"

    @property
    def products_dir(self) -> Path:
        return self.root / "products"

    @property
    def drafts_dir(self) -> Path:
        return self.root / "drafts"

    @property
    def state_dir(self) -> Path:
        """panelist's own files: the ledger, locks, batches."""
        return self.root / ".panelist"

    @property
    def ledger_path(self) -> Path:
        return self.state_dir / "ledger.jsonl"

    @property
    def batches_dir(self) -> Path:
        """One record per submitted batch: <id>.json."""
        return self.state_dir / "batches"

    @property
    def trials_dir(self) -> Path:
        """One folder per persona trial: its record, variant files and takes."""
        return self.state_dir / "trials"

    def persona_path(self, persona_id: str) -> Path:
        return self.personas_dir / f"{check_slug(persona_id, 'persona')}.md"

    def persona_history_dir(self, persona_id: str) -> Path:
        """Persona files an adopted trial variant replaced, one per adoption."""
        return self.personas_dir / "history" / check_slug(persona_id, "persona")

    @property
    def site_dir(self) -> Path:
        """Published pages."""
        return self.root / "site"

    @property
    def site_templates_dir(self) -> Path:
        """Optional overrides of the packaged page templates."""
        return self.root / "templates" / "site"

    def shown(self, path: Path) -> Path:
        """``path`` as messages show it: relative to the workspace, links not followed."""
        try:
            return path.absolute().relative_to(self.root)
        except ValueError:
            return Path(self.relative(path))

    def relative(self, path: Path) -> str:
        text = str(path)
        if text.startswith(self._prefix) and ".." not in path.parts:
            return text[len(self._prefix):]  # no resolve(): a stat per folder level
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    # products ---------------------------------------------------------------------------

    def product_slugs(self) -> list[str]:
        """The products that can be named: files in products/ whose name is a slug."""
        return sorted(p.stem for p in self.products_dir.glob("*.md") if SLUG_PATTERN.match(p.stem))

    def check_product_names(self) -> None:
        """Every .md file in products/ can be named (``Foo.md`` cannot: ids are lowercase)."""
        for path in sorted(self.products_dir.glob("*.md")):
            if not SLUG_PATTERN.match(path.stem):
                raise self._misnamed(path)

    def _misnamed(self, path: Path) -> FileFormatError:
        suggested = "-".join(re.findall(r"[a-z0-9]+", path.stem.lower()))
        fix = (f"rename it to {suggested}.md" if SLUG_PATTERN.match(suggested)
               else "rename it with lowercase letters, digits and '-'")
        return FileFormatError(self.shown(path), "the file name is not a product name "
                               "(lowercase letters, digits and '-'), so it cannot be named",
                               fix=fix)

    def chosen_products(self, refs: Sequence[str] | None, all_products: bool, *,
                        command: str) -> list[str]:
        """The products named on a command line, or with ``--all`` every one in products/
        (``draft``, ``lint`` and ``status`` take the same)."""
        if all_products:
            self.check_product_names()  # --all must not skip a file it cannot name
        chosen = [*(refs or []), *(self.product_slugs() if all_products else [])]
        if not chosen:
            raise InputError(f"Name the products to {command} (panelist {command} "
                             f"products/NAME.md ...) or pass --all for every file in products/")
        return chosen

    def product_path(self, ref: str) -> Path:
        """Accept a slug ('tether-qvac-sdk') or a path to a file inside products/."""
        if "\x00" in ref:  # no path may hold one; Path() would raise ValueError
            raise UnsafePathError(f"'{printable(ref)}' is not a valid product name: it holds a "
                                  f"NUL character")
        if ref.endswith(".md") or "/" in ref or os.sep in ref:
            candidate = Path(ref)
            if not candidate.is_absolute():
                in_workspace = self.root / ref
                candidate = in_workspace if in_workspace.exists() else Path.cwd() / ref
            if candidate.resolve().parent != self.products_dir.resolve():
                raise UnsafePathError(
                    f"{ref}: product files must live in {self.relative(self.products_dir)}/ "
                    f"of the workspace {self.root} (copy it there, or pass --workspace)")
            stem = candidate.stem
        else:
            stem = ref
        as_typed = self.products_dir / f"{stem}.md"
        if not SLUG_PATTERN.match(stem) and _present(as_typed):
            raise self._misnamed(as_typed)
        slug = stem.lower()  # ids are case-insensitive: 'Tether-QVAC-SDK' is tether-qvac-sdk
        if not SLUG_PATTERN.fullmatch(slug):
            check_slug(ref)  # the error names what was typed
        path = self.products_dir / f"{slug}.md"
        if _present(path):  # a folder, a FIFO, a link to nothing: say so, not "not found"
            frontmatter.check_regular_file(path, self.shown(path))
            return path
        raise UnknownProductError(slug, self.product_slugs(), self.relative(self.products_dir))

    def load_product(self, ref: str) -> Product:
        path = self.product_path(ref)
        return self.parse_product(path, self.read_text(path))

    def parse_product(self, path: Path, text: str) -> Product:
        """A product file's text as a ``Product`` (the index parses stored text with it)."""
        shown = self.shown(path)
        data, body, _ = frontmatter.split(text, shown)
        if "slug" in data or "description" in data:
            field = "slug" if "slug" in data else "description"
            raise FileFormatError(shown, "is not a front-matter field", field=field,
                                  fix="the slug is the file name and the description is the body")
        return parse_file_model(Product, {**data, "slug": path.stem, "description": body}, shown)

    def products(self) -> dict[str, Product]:
        """Every readable product by slug. A file is parsed again only when it changed (mtime,
        size or inode), so a desk over 1,000 products pays stat calls, not parses."""
        products: dict[str, Product] = {}
        for path in sorted(self.products_dir.glob("*.md")):
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            key = (info.st_mtime_ns, info.st_size, info.st_ino)
            cached = self._products.get(path.stem)
            if cached is None or cached[0] != key:
                try:
                    cached = (key, self.load_product(path.stem))
                except (InputError, OSError):  # an unreadable product: its own command's error
                    continue
                self._products[path.stem] = cached
            products[path.stem] = cached[1]
        return products

    def product_names(self) -> dict[str, str]:
        """Every readable product's name by slug (see ``products``)."""
        return {slug: product.name for slug, product in self.products().items()}

    # personas ---------------------------------------------------------------------------

    def load_personas(self) -> dict[str, Persona]:
        personas: dict[str, Persona] = {}
        for path in sorted(self.personas_dir.glob("*.md")):
            shown = self.shown(path)
            persona = self.read_persona_file(path)
            if persona.id != path.stem:
                raise FileFormatError(shown, f"'{persona.id}' does not match the file name",
                                      field="id", fix=f"rename the file to {persona.id}.md or "
                                                      f"set id: {path.stem}")
            personas[persona.id] = persona
        if not personas:
            raise InputError(f"{self.relative(self.personas_dir)}/ has no persona files "
                             f"(run 'panelist init' for the default five)")
        return {p.id: p for p in sorted(personas.values(), key=panel_position)}

    def read_persona_file(self, path: Path) -> Persona:
        """A persona file anywhere (personas/, a trial's variant), checked field by field."""
        return self.parse_persona(self.read_text(path), path)

    def parse_persona(self, text: str, path: Path) -> Persona:
        """A persona file's text (``path`` names it in errors), checked field by field."""
        shown = Path(self.relative(path))
        data, body, _ = frontmatter.split(text, shown)
        if "brief" in data:
            raise FileFormatError(shown, "is not a front-matter field", field="brief",
                                  fix="the brief is the text after the closing '---'")
        return parse_file_model(Persona, {**data, "brief": body}, shown)

    def select_personas(self, ids: list[str] | None) -> list[Persona]:
        personas = self.load_personas()
        if not ids:
            return list(personas.values())
        ids = [i.lower() for i in ids]  # 'DX' is dx
        unknown = [i for i in ids if i not in personas]
        if unknown:
            raise UnknownPersonaError(unknown[0], sorted(personas),
                                      self.relative(self.personas_dir) + "/")
        return [personas[i] for i in dict.fromkeys(ids)]

    # drafts -----------------------------------------------------------------------------

    def product_drafts_dir(self, slug: str) -> Path:
        return self.drafts_dir / check_slug(slug)

    def draft_path(self, slug: str, persona_id: str) -> Path:
        return self.product_drafts_dir(slug) / f"{check_slug(persona_id, 'persona')}.md"

    def history_dir(self, slug: str, persona_id: str) -> Path:
        return self.product_drafts_dir(slug) / "history" / check_slug(persona_id, "persona")

    def check_writable(self, slug: str, persona_ids: Sequence[str]) -> None:
        """Every folder a run writes for these drafts is a folder it may write (before any
        paid call): ``store.guards``."""
        guards.check_writable(self, slug, persona_ids)

    def drafted_products(self) -> list[str]:
        if not self.drafts_dir.is_dir():
            return []
        return sorted(p.name for p in self.drafts_dir.iterdir()
                      if p.is_dir() and SLUG_PATTERN.match(p.name))

    def lock(self, slug: str) -> contextlib.AbstractContextManager[None]:
        """One panelist process per product at a time: ``store.guards``."""
        return guards.product_lock(self, slug)


def _present(path: Path) -> bool:
    """Something is there, a link to nothing included."""
    return path.exists() or path.is_symlink()


def find_workspace_root(start: Path) -> Path | None:
    """The nearest folder from ``start`` up that holds personas/."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "personas").is_dir():
            return folder
    return None


def panel_position(persona: Persona) -> tuple[bool, int, str]:
    """Panel order: by each persona's ``order``, then those without one, by id."""
    return (persona.order is None, persona.order or 0, persona.id)


def init_workspace(target: Path) -> list[Path]:
    """Create a workspace with the default personas, prompts and example products."""
    source = packaged_defaults()
    created: list[Path] = []
    for folder in ("personas", "prompts", "products"):
        for item in sorted((source / folder).iterdir()):
            if item.name.startswith((".", "_")):
                continue
            dest = target / folder / item.name
            if dest.exists():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item, dest)
            created.append(dest)
    (target / "drafts").mkdir(parents=True, exist_ok=True)
    return created
