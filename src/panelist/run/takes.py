"""Turning a model's answer into a valid ``Take``, from strict JSON or from JSON buried in prose."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from panelist.models import Persona, Take

_FENCED = re.compile(r"```(?:json)?\s*(\{.*?\})\s*```", re.DOTALL)


class TakeProblem(ValueError):
    """Why an answer is not a usable take; the text goes back to the model in the re-ask."""


def extract_json(text: str) -> dict[str, Any]:
    """The take object from an answer: plain JSON, a fenced block, or the first {...} in prose."""
    stripped = text.strip()
    if not stripped:
        raise TakeProblem("the answer was empty")
    candidates = [stripped, *_FENCED.findall(stripped)]
    start = stripped.find("{")
    if start != -1:
        candidates.append(_balanced_object(stripped, start))
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except (json.JSONDecodeError, TypeError):
            continue
        if isinstance(value, dict):
            return value
    raise TakeProblem("the answer did not contain a JSON object")


def _balanced_object(text: str, start: int) -> str:
    depth, in_string, escaped = 0, False, False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start:index + 1]
    return text[start:]


def parse_take(text: str, persona: Persona, *, stop_reason: str | None = None,
               enforce_length: bool = True) -> Take:
    """A validated take, or ``TakeProblem`` saying what to fix."""
    if stop_reason == "max_tokens":
        raise TakeProblem("the answer was cut off by the token limit; write a shorter quote")
    if stop_reason == "timeout":
        raise TakeProblem("the answer was cut off by the time limit; write a shorter quote")
    data = extract_json(text)
    try:
        take = Take.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'answer'}: {err['msg']}"
            for err in exc.errors()[:3])
        raise TakeProblem(problems) from None
    if enforce_length and (problem := take.length_problem(persona)):
        raise TakeProblem(problem)
    return take
