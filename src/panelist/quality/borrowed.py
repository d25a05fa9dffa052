"""A take whose facts are another catalogue product's: a ``wrong-product`` finding that needs
the catalogue's facts (``CatalogueFacts``), not only its names.

Two ways a take borrows: it gives five of one other product's facts (uncommon terms, figures)
that this product's description never gives, beside at most two of this one's ("Lark-2 is a
180 KB C99 static library..." under a speech model, with the edge runtime's facts); or, naming
neither product, it gives four facts of one rival and at most one of this product's that the
rival's description lacks ("each $39 report bundles a TransUnion credit file" under a screening
product that neither prices per report nor uses TransUnion). A rival of the same shelf shares
many of this product's facts ("applicants", "reports"); what tells the takes apart is what only
one of the two descriptions gives.
"""

from __future__ import annotations

from functools import lru_cache

from panelist.quality.context import CatalogueFacts, GateContext, Profile
from panelist.quality.described import product_facts
from panelist.quality.findings import Finding
from panelist.quality.words import Text, normalize, stem

MAX_OWN_FACTS_OF_A_BORROWER = 2  # of this product's facts, in a take with another's
MIN_BORROWED_FACTS = 5  # of one other product's facts that this one's description never gives
MIN_RIVAL_FACTS = 4  # of an unnamed rival's, in a take that gives more of this one's
MAX_OWN_FACTS_BESIDE_A_RIVAL = 1  # of this product's facts the rival's description lacks


def borrowed_facts(text: Text, profile: Profile, found: set[str],
                   context: GateContext) -> Finding | None:
    """On the tuning sets' catalogues (149 products, alone and pooled), no good take had more
    than two of one other product's facts beside at most two of its own; on the 51 held-out
    sets' (9,311 labelled takes, 3,640 good), no good take had four of an unnamed rival's
    beside at most one of its own that the rival lacks, and 20 bad takes the other checks
    missed did."""
    catalogue = context.catalogue
    if catalogue is None:
        return None
    own = product_facts(context.product_text)
    this = profile.this_products  # ``own``, its words and its names
    said: dict[str, str] = {}  # each form of the take's words that is not this product's
    for word in text.words:
        for form in _forms(word):
            if form not in this:
                said.setdefault(form, word)
    said |= {figure: figure for figure in text.figures if figure not in this}
    if len(said) < MIN_RIVAL_FACTS:
        return None  # the catalogue is not read (a take that says only this product's words)
    owners = catalogue.owners_of()
    owned: dict[str, set[str]] = {}  # each other product: the take's words that are its facts
    for fact, word in said.items():
        for name in owners.get(fact, ()):
            if name != context.product_name:
                owned.setdefault(name, set()).add(word)
    if len(found) <= MAX_OWN_FACTS_OF_A_BORROWER:
        other = min(owned, key=lambda name: (-len(owned[name]), name), default="")  # a tie: by name
        if len(owned.get(other, ())) < MIN_BORROWED_FACTS:
            return None
    else:
        other = _unnamed_rival(text, profile, own, catalogue, owned)
        if not other:
            return None
    given = list(dict.fromkeys(word for word in said.values() if word in owned[other]))
    named = [word for word in given if len(word) > 1 and not word[0].isdigit()] or given
    named.sort(key=lambda word: word.islower() and word.isalpha())  # names first: "Holepunch"
    return Finding("wrong-product", f"it gives {len(owned[other])} facts of {other}'s "
                                    f"description that {context.product_name}'s never gives: "
                                    f"{', '.join(list(dict.fromkeys(named))[:3])}")


def _unnamed_rival(text: Text, profile: Profile, own: frozenset[str],
                   catalogue: CatalogueFacts, owned: dict[str, set[str]]) -> str:
    """The product whose facts the take gives (``MIN_RIVAL_FACTS`` or more): one it never
    names, with at most ``MAX_OWN_FACTS_BESIDE_A_RIVAL`` of this product's facts that the
    rival's description lacks; or, in a take that never names this product, one whose
    figures and names it gives (``MIN_RIVAL_NAMES``), named or not, beside fewer of this
    product's. The most such facts first, then the fewest of this product's."""
    mine = {form: word for word in text.words for form in _forms(word)
            if form in own and form not in profile.name_words}
    mine |= {figure: figure for figure in text.figures if figure in own}
    owners = catalogue.owners_of()
    mentioned = profile.other_names.names_in(text.said, text.lower)
    unnamed_here = profile.title_words.isdisjoint(text.lowered)
    best, score = "", (MIN_RIVAL_FACTS - 1, 0)
    for name, facts in sorted(owned.items()):  # a tie: the first by name, whatever the order
        if len(facts) < MIN_RIVAL_FACTS:
            continue
        lacked = [word for fact, word in mine.items() if name not in owners.get(fact, ())]
        if name in mentioned or len(lacked) > MAX_OWN_FACTS_BESIDE_A_RIVAL:
            names = sum(map(_a_name, facts))
            if not (unnamed_here and names >= MIN_RIVAL_NAMES
                    and 2 * sum(map(_a_name, lacked)) <= names and 2 * len(lacked) <= len(facts)):
                continue
        if (len(facts), -len(lacked)) > score:
            best, score = name, (len(facts), -len(lacked))
    return best


@lru_cache(maxsize=1 << 16)  # a catalogue's takes say the same words again
def _forms(word: str) -> tuple[str, str]:
    """The forms of a take's word a fact is looked up by: its stem, then itself normalized."""
    return stem(word), normalize(word)


MIN_RIVAL_NAMES = 3  # figures and capitalized names of a rival ("$39", "TransUnion", "FCRA")


def _a_name(word: str) -> bool:
    """A figure or a capitalized word as the take writes it: what tells one product's
    description from another's on the same shelf, where "inference" and "stacks" do not."""
    return word[:1].isdigit() or word[:1].isupper()
