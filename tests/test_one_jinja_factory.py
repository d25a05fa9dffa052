"""One Jinja factory: workspace templates (prompts, pages) are built only in store/templates.py."""

from __future__ import annotations

from pathlib import Path

from test_layout import PACKAGE, imported_names, modules

# the desk's own pages are packaged code, not workspace templates (Starlette renders them)
OWN_PAGES = {"desk/app.py", "desk/context.py"}


def test_only_the_template_factory_builds_jinja_environments() -> None:
    importers = {str(path.relative_to(PACKAGE)) for path in modules()
                 if any(name.split(".")[0] == "jinja2" for name in imported_names(path))}

    assert importers - OWN_PAGES == {"store/templates.py"}


def test_prompts_and_pages_both_render_through_it() -> None:
    for module in ("run/prompts.py", "review/site.py"):
        assert "panelist.store.templates" in imported_names(Path(PACKAGE / module))
