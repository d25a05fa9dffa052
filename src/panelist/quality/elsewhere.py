"""Checks that a take is about this product, not another: the ``wrong-product`` finding.

A take is about another product when it never names this one (nor its maker or parts) but
names another of the catalogue, or reviews a name the description never uses (its subject, said
again and again); when it is full of names and jargon the product's text never mentions and
holds almost none of the product's own; and when its reasons cite details of another product.
A take whose facts are another catalogue product's: ``borrowed``.
"""

from __future__ import annotations

import re

from panelist.quality.context import Profile
from panelist.quality.described import GENERIC_NAME_WORDS
from panelist.quality.findings import Finding
from panelist.quality.substance import anchors, checkable, names_this
from panelist.quality.words import FUNCTION_WORDS, WORD, Text, normalize, stem, zipf

MIN_FACTS_OF_A_COMPARISON = 3  # naming a rival beside this many of this product's facts
MIN_FOREIGN_FACTS = 3  # uncommon names and terms the product's text never uses
RARE_ZIPF = 3.5


# A name followed by one of these does something in its sentence: "..., Nitpick has pointed out"
_ACTS_TEXT = """has is was does did can will would makes made gives gave runs lets offers
ships charges costs supports handles needs keeps reads writes turns puts adds catches flags
points pointed suggests suggested opens opened sends sent answers routes drafts"""
_ACTS = frozenset(_ACTS_TEXT.split())


def _mentions(text: Text, name: str, words: frozenset[str]) -> tuple[bool, int]:
    """Whether ``name`` is a sentence's subject (its first words, "X's", or the name followed
    by what it does), and how often the text names it (a run of its words is one mention)."""
    subject, mentions = False, 0
    for sentence in text.sentences:
        tokens = WORD.findall(sentence)
        flags = [token.removesuffix("'s") in words for token in tokens]
        if not any(flags) and name.lower() in sentence.lower():
            flags = [True]  # a name of everyday words only ("Claude Code"), written out
        for index, flag in enumerate(flags):
            if flag and (index == 0 or not flags[index - 1]):
                mentions += 1
                subject = subject or index == 0 or (
                    index == 1 and tokens[0].lower() not in _COMPARED)
            # "CostCanopy's model predicts...": about it; "Against CostCanopy's minimum": not
            if (flag and tokens and tokens[min(index, len(tokens) - 1)].endswith("'s")
                    and (index == 0 or tokens[index - 1].lower() not in _COMPARED)):
                subject = True
            if (flag and index + 1 < len(flags) and not flags[index + 1]
                    and tokens[index + 1].lower() in _ACTS):
                subject = True
    return subject, mentions


def _names_another(text: Text, profile: Profile, found: set[str]) -> str | None:
    """Another product of the catalogue the text is about, not only compared with."""
    for name, naming in profile.other_names.named_in(text.said, text.lower):
        # not "Code" of "Claude Code" when this product is named by it too
        words = frozenset(word for word in naming if normalize(word) not in profile.name_words)
        subject, mentions = _mentions(text, name, words)
        # "Unlike X, this SDK runs offline...": a comparison; "X's model predicts...": about X
        if mentions and (subject or mentions > 1 or len(found) < MIN_FACTS_OF_A_COMPARISON):
            return name
    return None


MIN_RIVAL_MENTIONS = 2  # a name the description never uses, in this many sentences


def _subject_elsewhere(text: Text, profile: Profile) -> str | None:
    """A name the product's text never uses, said in two sentences or more and the subject of
    one ("Pinecone's serverless indexes are the whole pitch..."): the take reviews it."""
    mentions: dict[str, int] = {}
    subjects: set[str] = set()
    for sentence in text.sentences:
        tokens = WORD.findall(sentence)
        seen: dict[str, None] = {}  # in the text's order: the finding names the first said
        for index, token in enumerate(tokens):
            name = normalize(token).removesuffix("'s")
            if (token[0].isupper() and name not in FUNCTION_WORDS and name not in profile.known
                    and name not in profile.name_words and zipf(name) < RARE_ZIPF):
                seen[name] = None
                if index == 0 or token.endswith("'s"):
                    subjects.add(name)
        for name in seen:
            mentions[name] = mentions.get(name, 0) + 1
    return next((name for name, count in mentions.items()
                 if count >= MIN_RIVAL_MENTIONS and name in subjects), None)


MAX_FACTS_UNDER_ANOTHER_NAME = 5  # of this product's facts, in a take about another name
OPENING_WORDS = 8
_COMPARED = frozenset({"against", "than", "unlike", "versus", "vs", "like", "over", "from",
                       "beside", "besides"})


def _opening_subject(text: Text, profile: Profile) -> str | None:
    """A name the description never uses, the first sentence's subject ("Benchling has
    become...", "DeepL's bet is...", "The incumbent is Turnitin, and its..."), not a rival it is
    set against ("Against LabArchives, the difference is...")."""
    if not text.sentences:
        return None
    tokens: list[str] = WORD.findall(text.sentences[0])[:OPENING_WORDS]
    for index, token in enumerate(tokens):
        name = normalize(token).removesuffix("'s")
        if (not token[0].isupper() or name in FUNCTION_WORDS or name in profile.known
                or name in profile.name_words or zipf(name) >= RARE_ZIPF or _gerund(name)):
            continue
        before = [normalize(word) for word in tokens[:index]]
        if _COMPARED & set(before):
            return None
        if index <= 1 or token.endswith("'s") or before[-1:] in (["is"], ["for"]):
            return token.removesuffix("'s")
    return None


COMMON_VERB_ZIPF = 3.0


def _gerund(word: str) -> bool:
    """"instrumenting", "rerunning": a common verb's -ing form, an act and not a name."""
    if not word.endswith("ing") or len(word) < 6:
        return False
    verb = word[:-3]
    forms = (verb, verb + "e", verb[:-1] if len(verb) > 2 and verb[-1] == verb[-2] else verb)
    return any(zipf(form) >= COMMON_VERB_ZIPF for form in forms)


_AS_SUBJECT = frozenset({"is", "has", "was", "remains", "does", "already", "still", "built",
                         "owns", "sets"})
# "this one", "this tool", "it doesn't": the take turns to the product under review
_TURNS_TO_THIS = re.compile(r"\b(?:this|these) (?:one|product|tool|app|sdk|service|platform|"
                            r"model|release|library|plugin|extension|api)\b|\bit (?:doesn't|"
                            r"does not|can't|cannot|isn't|is not)\b", re.IGNORECASE)


_COMPARISON = re.compile(r"\b(?:compar\w*|alternatives?|benchmark|incumbent|rivals?|"
                         r"competitors?|default|but|yes)\b", re.IGNORECASE)
# A name opening the take, with what follows it: "Pinecone is", "Sleep Cycle has",
# "Otter.ai is", "TurboTax's interview flow"
_OPENING_NAME = re.compile(r"^\W*(?P<name>[A-Z][\w-]*(?:\.[a-z]{2,3})?(?: [A-Z][\w-]*){0,2})"
                           r"(?P<possessive>['\u2019]s)?\s+(?P<next>\w+)")


def _reviewed_opener(text: Text, profile: Profile, product_text: str) -> str | None:
    """The name the take opens on, when it is the first sentence's subject ("Pinecone is the
    managed vector database most teams reach for first...", "Sleep Cycle has done this for
    years") and its only name, the description never says it, and the take never turns to the
    product under review: it reviews that name, however many of the domain's words it shares
    with this product ("Duolingo is free and Babbel is cheaper, but neither..." compares)."""
    match = _OPENING_NAME.match(text.sentences[0]) if text.sentences else None
    if match is None or (not match.group("possessive")
                         and match.group("next").lower() not in _AS_SUBJECT):
        return None
    name = match.group("name")
    words = [normalize(word) for word in WORD.findall(name)]
    if words[0] in FUNCTION_WORDS or name.isupper() or set(words) & profile.title_words:
        return None
    if " " not in name:  # one word ("Pinecone", "Otter.ai"): uncommon, and not the text's
        head = words[0]
        if (head in profile.known or head in profile.name_words or zipf(head) >= RARE_ZIPF
                or _gerund(head)):
            return None
    elif (name.lower() in product_text.lower() or words[-1] in GENERIC_NAME_WORDS
          or _COMPARISON.search(text.sentences[0])):
        return None  # "Day One", "Sleep Cycle": a name of words, not a shelf ("Legal AI") nor
        # a rival set against this one ("Apple Watch is the default comparison")
    rest = WORD.findall(text.sentences[0][match.end("name"):])
    others = [token for token in rest[1:] if token[0].isupper()
              and (low := normalize(token).removesuffix("'s")) not in profile.known
              and low not in FUNCTION_WORDS and zipf(low) < RARE_ZIPF]
    return None if others or _TURNS_TO_THIS.search(text.head) else name


def wrong_product(text: Text, profile: Profile, product_name: str,
                  found: set[str] | None = None, product_text: str = "") -> Finding | None:
    """``found``: the text's ``anchors``, when the caller has them already."""
    found = anchors(text, profile) if found is None else found
    if profile.title_words.isdisjoint(text.lowered):  # its own name, not only "Python"
        other = _names_another(text, profile, found)
        if other is not None:
            return Finding("wrong-product", f"it names {other} and never {product_name}")
        rival = _subject_elsewhere(text, profile)
        if rival is not None:
            return Finding("wrong-product", f"it is about {rival}, named again and again, and "
                                            f"never names {product_name}")
        opener = _opening_subject(text, profile)
        if opener is not None and len(found) <= MAX_FACTS_UNDER_ANOTHER_NAME:
            return Finding("wrong-product", f"it opens on {opener} as its subject, never names "
                                            f"{product_name} and gives few of its facts")
        reviewed = _reviewed_opener(text, profile, product_text)
        if reviewed is not None:
            return Finding("wrong-product", f"it reviews {reviewed}, its first sentence's only "
                                            f"name, and never names {product_name} or turns to "
                                            f"this product")
    if names_this(text, profile):
        return None
    # names: capitalized mid-sentence, or capitalized and uncommon, or acronyms
    foreign = sorted({word for word in text.words
                      if word[0].isupper() and (len(word) > 3 or word.isupper())
                      and normalize(word).removesuffix("'s") not in profile.known
                      and word not in profile.known
                      and (zipf(normalize(word)) < RARE_ZIPF or word[1:].isupper())}
                     | {word for word in checkable(text, profile) if word.isalpha()})
    if len(foreign) >= MIN_FOREIGN_FACTS and (len(found) <= 1 or len(foreign) > len(found)):
        return Finding("wrong-product", f"it reviews {', '.join(foreign[:4])}, which "
                                        f"{product_name}'s description never mentions")
    return None


MIN_FOREIGN_DETAILS = 3  # names, figures, terms the reasons give that neither text does


def reasons_name_another(text: Text, quote: Text, profile: Profile,
                         product_name: str) -> Finding | None:
    """Reasons (``text``: as sentences) about another catalogue product, its subject
    ("ShelfCast's free tier makes it easy" under a grant writer), which the quote never
    names: the reasons were written for that product."""
    for name, naming in profile.other_names.named_in(text.said, text.lower):
        words = frozenset(word for word in naming if normalize(word) not in profile.name_words)
        if not words or not {normalize(word) for word in words}.isdisjoint(quote.lowered):
            continue
        subject, _ = _mentions(text, name, words)
        if subject:
            return Finding("wrong-product", f"they are about {name}, which the quote never "
                                            f"names, not {product_name}")
    return None


def reasons_elsewhere(text: Text, quote: Text, profile: Profile, product_name: str,
                      found: set[str] | None = None) -> Finding | None:
    """Reasons (``text``: as sentences) about another product: not one of this product's facts,
    and three details (names, figures, terms) that neither its description nor the quote gives
    ("Premiere Pro XML handoff", "720p watermark on free tier" under a keyboard app). No good
    take of the tuning sets' 786 had more than one."""
    found = anchors(text, profile) if found is None else found  # ``anchors``, read already
    if found or not profile.name_words.isdisjoint(text.lowered):
        return None
    checked = checkable(text, profile)
    if len(checked) < MIN_FOREIGN_DETAILS:
        return None  # too few however many the quote gives (most reasons): the quote not read
    in_quote = {normalize(word) for word in quote.words} | {stem(word) for word in quote.words}
    details = sorted({detail for detail in checked
                      if normalize(detail) not in in_quote and detail not in quote.raw})
    if len(details) < MIN_FOREIGN_DETAILS:
        return None
    return Finding("wrong-product", f"they cite {', '.join(details[:3])}, which neither "
                                    f"{product_name}'s description nor the quote gives")
