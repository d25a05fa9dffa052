"""Prompt rendering: one sandboxed jinja2 environment, workspace templates over packaged ones.

The panel prompt (instructions + product) is identical for every persona, so it forms a prefix
that Claude's prompt cache and llama.cpp's KV cache can reuse; the persona's brief comes after.
Vendor text is passed in as data and never rendered as a template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from panelist.errors import TemplateError
from panelist.models import Persona, Product
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
        loaders: list[jinja2.BaseLoader] = []
        if workspace.prompts_dir.is_dir():
            loaders.append(jinja2.FileSystemLoader(workspace.prompts_dir))
        loaders.append(jinja2.FileSystemLoader(packaged_defaults() / "prompts"))
        self.env = SandboxedEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
        )

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

    def template_path(self, name: str) -> str:
        local = self.workspace.prompts_dir / name
        return self.workspace.relative(local) if local.is_file() else f"(packaged) prompts/{name}"

    def _render(self, name: str, context: dict[str, Any]) -> str:
        where = self.template_path(name)
        try:
            return self.env.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{where}:{exc.lineno}: template syntax error: {exc.message} "
                                f"(fix the template or delete it to use the default)") from None
        except SecurityError as exc:
            raise TemplateError(f"{where}: unsafe template: {exc} (templates may only use "
                                f"the variables {', '.join(sorted(context))})") from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{where}: undefined variable: {exc.message} (available: "
                                f"{', '.join(sorted(context))})") from None
        except jinja2.TemplateNotFound:
            raise TemplateError(f"prompts/{name}: template not found (restore it with "
                                f"'panelist init' or delete the override)") from None


