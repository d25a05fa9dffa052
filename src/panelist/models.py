"""The domain as pydantic models: products, personas, takes and the drafts that hold them."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from panelist.errors import FileFormatError

Verdict = Literal["ship", "skip"]
DraftStatus = Literal["draft", "approved"]
Pricing = Literal["Free", "Freemium", "Paid", "Open source", "Enterprise"]
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MAX_DESCRIPTION_WORDS = 3000
MAX_BRIEF_CHARS = 20_000  # a brief is sent with every call of its persona
# a model id as providers spell them (claude-sonnet-5-5, org/model:tag), or a local GGUF path
MODEL_ID_PATTERN = re.compile(r"^(?:local:.+|[A-Za-z0-9][A-Za-z0-9._:/@+-]*)$")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class CommunityVotes(Frozen):
    ship: Annotated[int, Field(ge=0)]
    skip: Annotated[int, Field(ge=0)]

    @property
    def ship_percent(self) -> int | None:
        total = self.ship + self.skip
        return round(100 * self.ship / total) if total else None


class Product(Frozen):
    slug: str
    name: Annotated[str, Field(min_length=1, max_length=120)]
    tagline: Annotated[str, Field(min_length=1, max_length=200)]
    category: Annotated[str, Field(min_length=1, max_length=80)]
    pricing: Pricing
    url: str | None = None
    license: str | None = None
    community: CommunityVotes | None = None
    description: str

    @field_validator("description")
    @classmethod
    def _description_has_words(cls, value: str) -> str:
        words = len(value.split())
        if words == 0:
            raise ValueError("the description (the text after the front matter) is empty")
        if words > MAX_DESCRIPTION_WORDS:
            raise ValueError(f"the description has {words} words; keep it under "
                             f"{MAX_DESCRIPTION_WORDS}")
        return value.strip()

    @field_validator("url")
    @classmethod
    def _url_is_web(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://", value):
            raise ValueError("must start with http:// or https://")
        return value


class Persona(Frozen):
    id: str
    name: Annotated[str, Field(min_length=1)]
    label: Annotated[str, Field(min_length=1)]
    lens: Annotated[str, Field(min_length=1)]
    ships_when: Annotated[str, Field(min_length=1)]
    skips_when: Annotated[str, Field(min_length=1)]
    voice: list[str] = Field(default_factory=list)
    quote_words: tuple[Annotated[int, Field(ge=5)], Annotated[int, Field(le=400)]] = (40, 150)
    order: int | None = None  # place on the panel: lowest first; personas without one go last
    model: str | None = None
    temperature: Annotated[float, Field(ge=0.0, le=1.0)] | None = None  # local models only
    effort: Literal["low", "medium", "high"] | None = None  # Claude's thinking effort
    brief: Annotated[str, Field(min_length=1)]

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not SLUG_PATTERN.match(value):
            raise ValueError("use lowercase letters, digits and '-' only")
        return value

    @field_validator("model")
    @classmethod
    def _model_is_an_id(cls, value: str | None) -> str | None:
        if value is not None and not MODEL_ID_PATTERN.match(value):
            raise ValueError(f"'{value}' is not a model id: ids have no spaces (for example "
                             f"claude-sonnet-5-5, or local)")
        return value

    @field_validator("brief")
    @classmethod
    def _brief_is_sane(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the brief (the text after the front matter) is empty: write who "
                             "this persona is and how it judges")
        if len(value) > MAX_BRIEF_CHARS:
            raise ValueError(f"the brief has {len(value):,} characters and is sent with every "
                             f"call; keep it under {MAX_BRIEF_CHARS:,}")
        return value

    @field_validator("quote_words")
    @classmethod
    def _range_is_ordered(cls, value: tuple[int, int]) -> tuple[int, int]:
        if value[0] > value[1]:
            raise ValueError(f"[{value[0]}, {value[1]}] is inverted; write [min, max]")
        return value


class Take(Frozen):
    """What the model returns for one persona: the call, the quote, and notes for the editor."""

    verdict: Verdict
    quote: Annotated[str, Field(min_length=1)]
    reasons: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=2, max_length=3)]

    @field_validator("verdict", mode="before")
    @classmethod
    def _verdict_lowercase(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("quote")
    @classmethod
    def _quote_is_one_paragraph(cls, value: str) -> str:
        return " ".join(value.split())

    def length_problem(self, persona: Persona) -> str | None:
        low, high = persona.quote_words
        words = len(self.quote.split())
        if low <= words <= high:
            return None
        return f"quote has {words} words; the {persona.id} persona needs {low}-{high} words"


def take_json_schema() -> dict[str, Any]:
    """The schema sent to the model: plain JSON Schema, no titles or refs."""
    return {
        "type": "object",
        "properties": {
            "verdict": {"type": "string", "enum": ["ship", "skip"]},
            "quote": {"type": "string"},
            "reasons": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["verdict", "quote", "reasons"],
        "additionalProperties": False,
    }


# A word of plain prose as a grammar may write it: Latin letters, digits and punctuation, no
# markup (# * _ [ ] { } < >), emoji or straight double quote. Words are single-space separated,
# so the grammar counts them exactly as ``Take.length_problem`` does.
WORD_CHARS = 24  # the longest word a grammar may write
_WORD = ("[A-Za-z0-9\u00c0-\u024f.,;:!?()%$\u20ac\u00a3&/+"
         "\u2018\u2019\u201c\u201d\u2013\u2014'-]{1," + str(WORD_CHARS) + "}")


def take_strict_schema(persona: Persona) -> dict[str, Any]:
    """``take_json_schema`` plus the bounds a grammar can enforce while decoding: the persona's
    quote length in words and two or three reasons. Messages API structured outputs reject
    such bounds, so only grammar-constrained backends (llama.cpp) get this one."""
    low, high = persona.quote_words
    schema = take_json_schema()
    properties = schema["properties"]
    properties["quote"] = {"type": "string",
                           "pattern": f"^{_WORD}( {_WORD}){{{low - 1},{high - 1}}}$"}
    properties["reasons"] = {"type": "array", "minItems": 2, "maxItems": 3,
                             "items": {"type": "string", "pattern": f"^{_WORD}( {_WORD}){{2,29}}$"}}
    return schema


# Output tokens per word a take may spend: prose runs ~1.3 tokens a word by SmolLM2's and
# Claude's tokenizers; twice that leaves room for names and numbers, and stops a small model's
# runs of timestamps and digits (~10 tokens a "word") long before they take minutes.
TOKENS_PER_WORD = 2
REASON_WORDS = 30  # a reason's longest, as the strict schema allows
TAKE_JSON_TOKENS = 40  # braces, keys and quotes of the JSON object


def take_token_cap(persona: Persona) -> int:
    """The most output tokens one take may use: the persona's longest quote and three
    longest reasons at ``TOKENS_PER_WORD``, plus the JSON around them."""
    words = persona.quote_words[1] + 3 * REASON_WORDS
    return words * TOKENS_PER_WORD + TAKE_JSON_TOKENS


# JSON a grammar may put around the strings: keys, quotes, brackets, and the whitespace
# llama.cpp's schema grammar allows at each of the object's ~16 separators (up to ~22 chars)
TAKE_JSON_CHARS = len('{"verdict": "skip", "quote": "", "reasons": ["", "", ""]}') + 16 * 22


def take_strict_token_cap(persona: Persona) -> int:
    """``max_tokens`` for a server that enforces ``take_strict_schema`` by grammar: the longest
    answer that schema allows, in characters, so the grammar ends the answer, never the cap.
    One token per character holds for the ASCII letters, digits and punctuation the schema's
    words are made of in every BPE vocabulary (a typographic quote or dash may take two or
    three byte tokens; a take has few)."""
    word = WORD_CHARS + 1  # and the space after it
    return (persona.quote_words[1] * word + 3 * REASON_WORDS * word + TAKE_JSON_CHARS)


class TokenCounts(Frozen):
    """What one call (or several, added up) used: the one token-count type, from the backend's
    answer through the draft's usage to the ledger."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0  # both TTLs
    cache_write_1h_tokens: int = 0  # the 1-hour part of cache_write_tokens (batches)
    thinking_tokens: int = 0  # the part of output_tokens spent thinking

    def token_counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in TokenCounts.model_fields}


class Usage(TokenCounts):
    cost_usd: float = 0.0  # of the priced calls only
    unpriced_calls: int = 0  # calls of a model the model table has no price for

    @property
    def priced(self) -> bool:
        """Every call had a price: ``cost_usd`` is the whole cost."""
        return self.unpriced_calls == 0

    def __add__(self, other: Usage) -> Usage:
        summed = {name: getattr(self, name) + getattr(other, name)
                  for name in TokenCounts.model_fields}
        return Usage(**summed, cost_usd=round(self.cost_usd + other.cost_usd, 6),
                     unpriced_calls=self.unpriced_calls + other.unpriced_calls)

    def __sub__(self, other: Usage) -> Usage:
        """What is left of this usage without ``other`` (a part of it)."""
        return Usage(**{name: (round(value - getattr(other, name), 6)
                               if isinstance(value, float) else value - getattr(other, name))
                        for name, value in self})


class QualityOverride(Frozen):
    """An editor's approval of a take the quality gate flagged, bound to the text it judged:
    a later edit of the verdict, quote or reasons leaves it behind (see ``review.signoff``)."""

    hash: str  # signoff.judged_hash of verdict, quote and reasons as approved
    findings: list[str]  # what the gate said then
    by: str
    at: datetime


class DraftMeta(BaseModel):
    """The front matter of a draft file. Editors may add their own fields; they are kept."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    title: str | None = None  # for static-site generators; written on every draft
    date: datetime | None = None  # likewise; the time the take was generated
    product: str
    persona: str
    verdict: Verdict
    status: DraftStatus = "draft"
    draft: bool = True
    take: Annotated[int, Field(ge=1)]
    model: str
    backend: str
    generated_at: datetime
    fingerprint: str
    generated_hash: str
    reasons: list[str] = Field(default_factory=list)
    note: str | None = None
    injection_flags: list[str] = Field(default_factory=list)  # reviewer-directed vendor text
    quality: list[str] | None = None  # the quality gate's findings, when the take failed it
    quality_gate: str | None = None  # the version of the gate that judged it (``quality``)
    usage: Usage = Field(default_factory=Usage)  # the call that wrote the kept take
    discarded_usage: Usage | None = None  # the draws and re-asks it beat (the ledger has each)
    approved_at: datetime | None = None
    approved_by: str | None = None  # git user.name or login name of the approving editor
    approved_hash: str | None = None  # content_hash of verdict and quote as approved
    approved_verdict: Verdict | None = None  # the verdict and quote as approved, so what
    approved_quote: str | None = None  # changed since can be shown word by word
    edit_ratio: Annotated[float, Field(ge=0.0, le=1.0)] | None = None  # share edited, on approve
    quality_override: QualityOverride | None = None  # approved although the gate flagged it

    @model_validator(mode="after")
    def _draft_flag_follows_status(self) -> DraftMeta:
        if self.status == "approved":
            self.draft = False
        return self


class Draft(BaseModel):
    """A draft as it stands on disk: its front matter and the (possibly edited) quote."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    meta: DraftMeta
    quote: str
    path: Path


M = TypeVar("M", bound=BaseModel)


def parse_file_model(cls: type[M], data: dict[str, Any], path: Path | str) -> M:
    """Validate ``data`` as ``cls``; the first problem becomes a message naming file and field."""
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise _file_error(exc, cls, path) from None


def _file_error(exc: ValidationError, cls: type[BaseModel], path: Path | str
                ) -> FileFormatError:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or None
    kind = first["type"]
    if kind == "extra_forbidden":
        known = ", ".join(name for name in cls.model_fields if name not in {"slug", "description",
                                                                           "brief"})
        return FileFormatError(path, "unknown field", field=field,
                               fix=f"remove it or fix the spelling; known fields: {known}")
    if kind == "missing":
        if field in {"description", "brief"}:
            return FileFormatError(path, "empty body", field=field,
                                   fix="write the text below the closing '---'")
        return FileFormatError(path, "missing", field=field, fix=f"add a line '{field}: ...'")
    message = str(first["msg"]).removeprefix("Value error, ")
    return FileFormatError(path, message, field=field)
