"""HTML pages (the published page and the compare pages), from ``store.templates``.

Unlike the prompts, these templates autoescape: every product and model string is
untrusted and reaches the page as text, never as markup. Workspace templates in
``templates/site/`` override the packaged ones in ``panelist/defaults/site/``.
"""

from __future__ import annotations

from typing import Any

from panelist.review.trials import TrialView
from panelist.review.views import CompareView, ComparisonView, PanelView, format_percent
from panelist.store.templates import Templates
from panelist.store.workspace import Workspace, packaged_defaults


def html_templates(workspace: Workspace) -> Templates:
    return Templates(workspace.site_templates_dir, packaged_defaults() / "site",
                     shown=workspace.relative, html=True, filters={"percent": format_percent})


def render_html(workspace: Workspace, template: str, **context: Any) -> str:
    return html_templates(workspace).render(template, context)


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
