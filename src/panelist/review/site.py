"""HTML pages (the published page and the compare pages): their own jinja2 environment.

Unlike the prompt environment, this one autoescapes: every product and model string is
untrusted and reaches the page as text, never as markup. Workspace templates in
``templates/site/`` override the packaged ones in ``panelist/defaults/site/``.
"""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from panelist.errors import TemplateError
from panelist.review.trials import TrialView
from panelist.review.views import CompareView, ComparisonView, PanelView
from panelist.store.workspace import Workspace, packaged_defaults


def html_environment(workspace: Workspace) -> SandboxedEnvironment:
    loaders: list[jinja2.BaseLoader] = []
    if workspace.site_templates_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(workspace.site_templates_dir))
    loaders.append(jinja2.FileSystemLoader(packaged_defaults() / "site"))
    env = SandboxedEnvironment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                               undefined=jinja2.StrictUndefined, trim_blocks=True,
                               lstrip_blocks=True)
    env.filters["percent"] = format_percent
    return env


def format_percent(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


def render_html(workspace: Workspace, template: str, **context: Any) -> str:
    try:
        return html_environment(workspace).get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or template}:{exc.lineno}: template syntax error: "
                            f"{exc.message} (fix it or delete the override)") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{template}: undefined variable: {exc.message} (available: "
                            f"{', '.join(sorted(context))})") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"site template {exc.name} not found (delete the override in "
                            f"templates/site/ to use the packaged one)") from None


def render_compare_html(workspace: Workspace, view: CompareView) -> str:
    """One self-contained page (inline CSS, no scripts) for any compare view."""
    if isinstance(view, PanelView):
        return render_html(workspace, "compare-panel.html.j2", panel=view)
    if isinstance(view, ComparisonView):
        return render_html(workspace, "compare-products.html.j2", view=view)
    return render_html(workspace, "compare-takes.html.j2", view=view)


def render_trial_html(workspace: Workspace, view: TrialView) -> str:
    """One self-contained page of a trial: products down, variants across, quotes escaped."""
    return render_html(workspace, "trial.html.j2", view=view)
