"""What the gate knows about a take: the product it reviews, the catalogue's other products,
and the persona's brief; and what it derives from them once per context (``profile``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from itertools import chain, pairwise
from operator import attrgetter

from panelist.models import Persona, Product
from panelist.quality.described import GENERIC_NAME_WORDS, described, product_facts
from panelist.quality.words import COMMON_ZIPF, content_stems, normalize, words_of, zipf

ECHO_WORDS = 8  # this many words in a row from the prompt is copying, not quoting


@dataclass(frozen=True)
class GateContext:
    product_name: str
    product_text: str  # name + tagline + description (+ pricing etc.)
    other_products: tuple[str, ...] = ()  # names of the catalogue's other products
    brief: str = ""  # the persona's own brief (its prompt file's body)
    prompt: str = ""  # the full rendered prompt sent to the model, if any
    # the catalogue's products' facts, when the caller can read them (not part of the
    # context's identity: the profile it derives is the same without them)
    catalogue: CatalogueFacts | None = field(default=None, compare=False)


def product_text(product: Product) -> str:
    """What the gate reads of a product. The category ("Developer Tools") is left out: it
    names a shelf, not a fact."""
    return "\n".join(part for part in (
        product.name, product.tagline, product.pricing,
        product.license or "", product.description) if part)


def context_for(product: Product, persona: Persona | None, others: Sequence[str] = (),
                prompt: str = "", catalogue: CatalogueFacts | None = None) -> GateContext:
    """The gate's context for one job. The brief is every instruction the persona file gives
    (lens, ship and skip rules, voice, body): an echo of any of it is an echo."""
    text = product_text(product)
    brief = "" if persona is None else "\n".join([
        persona.lens, persona.ships_when, persona.skips_when, *persona.voice, persona.brief])
    # the catalogue's one tuple, shared by every product's context (its own name is set aside
    # where names are looked up), so no take builds a list of a thousand names
    names = others if isinstance(others, tuple) else tuple(others)
    return GateContext(product.name, text, names, brief, prompt, catalogue)


@dataclass(frozen=True)
class Profile:
    """The derived facts the checks ask for, computed once per context."""

    known: frozenset[str]  # every word of the product's text, as real words
    specific: frozenset[str]  # stems of the product text's uncommon words: its facts
    phrases: frozenset[tuple[str, str]]  # its adjacent content stems ("build minute")
    name_words: frozenset[str]  # lower-cased words that name this product or its maker
    title_words: frozenset[str]  # of those, the words of the product's own name
    # each other product: its name, and the words that name it as written ("Gridline", not
    # "Notes", an everyday word); those that name this product too are set aside where used
    other_names: Catalogue  # the other products' names, looked up by the words that name them
    brief_stems: frozenset[str]  # content stems of the brief that the product text lacks
    brief_pairs: frozenset[tuple[str, str]]  # adjacent content stems of the brief
    prompt_runs: Runs  # the runs of ECHO_WORDS words of the prompt and brief, less the product's
    # every form of a word that is this product's: its facts (``product_facts``), its words and
    # the words that name it (the rival check looks a take's words up in the three at once)
    this_products: frozenset[str]
    brief_grams: frozenset[tuple[str, ...]]  # every run of ECHO_WORDS words of the brief


@dataclass(frozen=True)
class Runs:
    """Runs of ``ECHO_WORDS`` words a take may not copy (the prompt's and the brief's), less
    those of the product's own text, which it may quote. The product's runs are built only when
    a take holds one of the others (few do), not for every product."""

    grams: frozenset[tuple[str, ...]]  # the prompt's and the brief's
    quotable: str = ""  # the product's text: its words' runs are read only when asked

    def copied(self, gram: tuple[str, ...]) -> bool:
        """Whether ``gram`` is one of the runs a take may not copy."""
        return gram in self.grams and gram not in self._quoted

    @cached_property
    def _quoted(self) -> frozenset[tuple[str, ...]]:
        return _grams([normalize(word) for word in words_of(self.quotable)])


def distinctive_name_words(name: str) -> frozenset[str]:
    words = {normalize(word) for word in words_of(name)}
    return frozenset(word for word in words - GENERIC_NAME_WORDS if len(word) > 1)


@cache
def _naming_words(name: str) -> frozenset[str]:
    """The words that name a product as written: distinctive and uncommon. Kept per name, so a
    catalogue of a thousand products is read once, not once per take (the words this product
    shares are set aside where a name is checked: ``elsewhere.wrong_product``)."""
    distinctive = distinctive_name_words(name)
    return frozenset(word for word in words_of(name) if normalize(word) in distinctive
                     and zipf(normalize(word)) < COMMON_ZIPF)


@dataclass(frozen=True)
class Catalogue:
    """The catalogue's product names and the words that name each, indexed by word: a take
    looks up the words it says, so a check costs the same with ten products or ten thousand."""

    order: dict[str, int]  # each name's place in the catalogue
    naming: dict[str, frozenset[str]]
    by_word: dict[str, tuple[str, ...]]
    plain: PlainNames  # names of everyday words only ("Claude Code"): found as written
    own: str = ""  # this product's name, set aside

    def without(self, name: str) -> Catalogue:
        return Catalogue(self.order, self.naming, self.by_word, self.plain, name)

    def named_in(self, said: Set[str], lowered: str) -> list[tuple[str, frozenset[str]]]:
        """The catalogue's names the text may mention, in catalogue order. ``said``: its words
        lower-cased (``Text.said``)."""
        return [(name, self.naming[name])
                for name in sorted(self.names_in(said, lowered), key=self.order.__getitem__)]

    def names_in(self, said: Set[str], lowered: str) -> set[str]:
        """``named_in``'s names, in no order (for a caller that asks only which)."""
        # (the text's words the catalogue's names hold: a look-up of each word, in C)
        found = {name for word in self.by_word.keys() & said for name in self.by_word[word]}
        found |= self.plain.in_text(lowered)
        found.discard(self.own)
        return found


PIECE = 4  # characters of a name a text must hold to hold the name
FEW_PLAIN_NAMES = 32  # up to this many, each is looked for in the text; more, by their pieces


@dataclass(frozen=True)
class PlainNames:
    """Names of everyday words only, found as written (lower-cased) anywhere in a text. Each
    is kept under one piece of ``PIECE`` characters of it, the piece the fewest names share: a
    text holds the name only where it holds that piece, so a text looks up the pieces it holds
    and a check costs the same with ten such names or ten thousand."""

    lowered: dict[str, str]  # each name, lower-cased
    by_piece: dict[str, tuple[str, ...]]
    short: tuple[str, ...]  # names shorter than a piece: each looked for

    @classmethod
    def of(cls, names: Sequence[str]) -> PlainNames:
        lowered = {name: name.lower() for name in names}
        shared = Counter(piece for low in set(lowered.values()) for piece in _pieces(low))
        by_piece: dict[str, list[str]] = {}
        for name, low in lowered.items():
            if pieces := _pieces(low):
                by_piece.setdefault(min(pieces, key=shared.__getitem__), []).append(name)
        return cls(lowered, {piece: tuple(found) for piece, found in by_piece.items()},
                   tuple(name for name, low in lowered.items() if len(low) < PIECE))

    def in_text(self, lowered: str) -> set[str]:
        if len(self.lowered) <= FEW_PLAIN_NAMES:
            return {name for name, low in self.lowered.items() if low in lowered}
        held = _pieces(lowered)
        candidates = [name for piece in held & self.by_piece.keys()
                      for name in self.by_piece[piece]]
        return {name for name in [*candidates, *self.short] if self.lowered[name] in lowered}


def _pieces(lowered: str) -> set[str]:
    return {lowered[at:at + PIECE] for at in range(len(lowered) - PIECE + 1)}


@lru_cache(maxsize=8)
def catalogue(names: tuple[str, ...]) -> Catalogue:
    naming = {name: _naming_words(name) for name in names}
    by_word: dict[str, list[str]] = {}
    for name, words in naming.items():
        for word in words:
            by_word.setdefault(word.lower(), []).append(name)  # "tracelight" names it too
    return Catalogue({name: place for place, name in enumerate(naming)}, naming,
                     {word: tuple(found) for word, found in by_word.items()},
                     PlainNames.of([name for name, words in naming.items() if not words]))


@dataclass(frozen=True)
class _BriefFacts:
    """What a profile asks of a persona's brief: the same for every product, so derived once
    per persona, not once per product."""

    stems: frozenset[str]  # its content stems
    pairs: frozenset[tuple[str, str]]  # its adjacent content stems
    grams: frozenset[tuple[str, ...]]  # its runs of ``ECHO_WORDS`` words


@lru_cache(maxsize=64)
def _brief_facts(brief: str) -> _BriefFacts:
    words = words_of(brief)
    content = content_stems(words)
    return _BriefFacts(frozenset(content), frozenset(pairwise(content)),
                       _grams([normalize(word) for word in words]))


_CATALOGUES: dict[int, tuple[tuple[str, ...], Catalogue]] = {}


def _catalogue_of(names: tuple[str, ...]) -> Catalogue:
    """``catalogue(names)``, kept by the tuple itself: every product's context of a read holds
    the one tuple of the catalogue's names, which is not hashed again (a thousand names) for
    each product."""
    kept = _CATALOGUES.get(id(names))
    if kept is None or kept[0] is not names:
        if len(_CATALOGUES) >= 8:
            _CATALOGUES.clear()
        kept = _CATALOGUES[id(names)] = (names, catalogue(names))
    return kept[1]


_KNOWN = attrgetter("known")
_PROFILES: dict[tuple[str, str, str, str, int], tuple[tuple[str, ...], Profile]] = {}
PROFILES_KEPT = 64


def profile(context: GateContext) -> Profile:
    """The context's profile, kept for the contexts asked last. Kept by the tuple of the
    catalogue's names itself, as ``_catalogue_of`` keeps its catalogue: a context is not hashed
    whole, which reads each of a thousand names (most of them out of the processor's cache),
    for every take."""
    names = context.other_products
    key = (context.product_name, context.product_text, context.brief, context.prompt, id(names))
    kept = _PROFILES.get(key)
    if kept is None or kept[0] is not names:
        if len(_PROFILES) >= PROFILES_KEPT:
            del _PROFILES[next(iter(_PROFILES))]  # the first kept
        kept = _PROFILES[key] = (names, _profile(context))
    return kept[1]


def _profile(context: GateContext) -> Profile:
    # what the product's text alone gives, once per text (``product_facts`` reads it too)
    text_facts = described(context.product_text)
    # A product is named by its distinctive name words, or by the proper nouns of its own text
    # (its maker, its parts: "Anthropic", "Holepunch").
    title_words = distinctive_name_words(context.product_name)
    others = _catalogue_of(context.other_products).without(context.product_name)
    brief = _brief_facts(context.brief)
    prompt = (_grams([normalize(word) for word in words_of(context.prompt)])
              if context.prompt else frozenset())
    facts = text_facts.distinct
    content = [stemmed for fact in text_facts.in_order if (stemmed := fact.content) is not None]
    known = frozenset(chain.from_iterable(map(_KNOWN, facts)))
    name_words = title_words | {fact.low for fact in facts if fact.proper}
    return Profile(
        known=known,
        specific=text_facts.specific,
        phrases=frozenset(pairwise(content)),
        name_words=name_words,
        title_words=title_words,
        other_names=others,
        brief_stems=brief.stems.difference(content),
        brief_pairs=brief.pairs,
        # the product's own words may be quoted; the rest of the prompt may not (without a
        # prompt, the persona's one set of the brief's runs, whose openings ``voice`` keeps)
        prompt_runs=Runs(prompt | brief.grams if prompt else brief.grams,
                         context.product_text),
        brief_grams=brief.grams,
        this_products=text_facts.facts | known | name_words)


class CatalogueFacts:
    """The catalogue's products' facts, looked up by fact: which products' descriptions give
    what a take says. ``load`` gives each product's name and facts; it is read on the first
    look-up, and a take that says only this product's words never looks."""

    def __init__(self, load: Callable[[], Iterable[tuple[str, Iterable[str]]]]) -> None:
        self._load = load
        self._owners: dict[str, tuple[str, ...]] | None = None

    @classmethod
    def of_texts(cls, texts: Callable[[], Iterable[tuple[str, str]]]) -> CatalogueFacts:
        """From each product's name and text (``product_text``): its facts derived when read."""
        return cls(lambda: ((name, product_facts(text)) for name, text in texts()))

    @classmethod
    def of_products(cls, products: Callable[[], Iterable[Product]]) -> CatalogueFacts:
        """The facts of the products ``products`` gives, read on the first look-up."""
        return cls.of_texts(lambda: [(product.name, product_text(product))
                                     for product in products()])

    def owners_of(self) -> Mapping[str, tuple[str, ...]]:
        """Each fact's products, by fact: read on the first look-up."""
        return self._read()

    def _read(self) -> dict[str, tuple[str, ...]]:
        if self._owners is None:
            owners: dict[str, list[str]] = {}
            for name, facts in self._load():
                for found in facts:
                    owners.setdefault(found, []).append(name)
            self._owners = {found: tuple(names) for found, names in owners.items()}
        return self._owners


def _grams(words: list[str]) -> frozenset[tuple[str, ...]]:
    """Every run of ``ECHO_WORDS`` words in a row."""
    return frozenset(zip(*(words[i:] for i in range(ECHO_WORDS)), strict=False))
