"""Prompt rendering: workspace templates over packaged ones (``store.templates``).

The panel prompt (instructions + product) is identical for every persona, so it forms a prefix
that Claude's prompt cache and llama.cpp's KV cache can reuse; the persona's brief comes after.
Vendor text is passed in as data and never rendered as a template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from panelist.models import Persona, Product
from panelist.store.templates import Templates
from panelist.store.workspace import Workspace, packaged_defaults

PANEL_TEMPLATE = "panel.j2"
PERSONA_TEMPLATE = "persona.j2"
REASK_TEMPLATE = "reask.j2"
_FENCE_TAG = re.compile(r"<\s*/?\s*product_description\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Prompt:
    """``system``: the prefix shared by the whole panel; ``user``: the persona's part."""

    system: str
    user: str


def fence_untrusted(text: str) -> str:
    """Neutralise our own delimiter inside vendor text so it cannot close the data block."""
    return _FENCE_TAG.sub("[product_description tag removed]", text)


class PromptRenderer:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.templates = Templates(workspace.prompts_dir, packaged_defaults() / "prompts",
                                   shown=workspace.relative)

    def render_prompt(self, product: Product, persona: Persona, note: str | None = None) -> Prompt:
        shared = {"product": product, "description": fence_untrusted(product.description)}
        system = self._render(PANEL_TEMPLATE, shared)
        user = self._render(PERSONA_TEMPLATE, {**shared, "persona": persona, "note": note})
        return Prompt(system=system.strip(), user=user.strip())

    def render_reask(self, persona: Persona, problem: str) -> str:
        return self._render(REASK_TEMPLATE, {"persona": persona, "problem": problem}).strip()

    def check_reask(self, persona: Persona) -> None:
        """Render the re-ask once before any call: a broken template stops the run up front,
        not after tokens were spent on answers that then need it."""
        self.render_reask(persona, "the answer was not a valid take")

    def _render(self, name: str, context: dict[str, Any]) -> str:
        return self.templates.render(name, context)
