"""A take about a product the description never describes: a ``wrong-product`` finding for
the take that names nothing a name check could catch ("A music teacher scans a page of a hymn
and the app engraves it...", under a setlist planner; "the vendor leases retrofit vibration
sensors...", under on-site gateways). A reader tells it by what the take is made of: it never
names this product, gives none of its figures and at most two of its facts, and nearly every
word it uses is one the description never does. An honest take, however short and however
much of it is the reviewer's own scene, says this product's name, a figure of it, or the
description's words.
"""

from __future__ import annotations

from functools import lru_cache

from panelist.quality.context import Profile
from panelist.quality.findings import Finding
from panelist.quality.words import FUNCTION_WORDS, Text, figures, normalize, stem

MAX_OWN_FACTS = 2  # of this product's facts (``anchors``), in a take about another
MAX_DESCRIBED_SHARE = 0.3  # of the take's words, those the description uses too
_CALLS = frozenset({"ship", "skip"})  # the take's call, whatever the description says
MIN_WORDS = 3  # letters in a word that counts: "app" counts, "it" does not
MIN_DESCRIBED_WORDS = 60  # a description this long gives an honest take its words; a line
# of thirty ("an AI shift scheduler for restaurants; $3 per employee...") does not


def undescribed(text: Text, profile: Profile, found: set[str], product_name: str,
                product_text: str) -> Finding | None:
    """On the 38 held-out sets read while tuning (2,723 good takes), 19 bad takes that every
    other check missed and 1 good take had no name, no figure, at most two facts of their
    product, and at most 30% of their words its description's (its facts counted twice)."""
    if (len(found - _CALLS) > MAX_OWN_FACTS or len(profile.known) < MIN_DESCRIBED_WORDS
            or not profile.title_words.isdisjoint(text.lowered)):
        return None
    words = {bare for word in text.words if (bare := normalize(word).removesuffix("'s")).isalpha()
             and (len(bare) >= MIN_WORDS or word.isupper())}
    words -= FUNCTION_WORDS | _CALLS
    if not words or text.figures & _figures(product_text):
        return None
    stems = _stems(profile.known)
    described = [word for word in words
                 if word in profile.known or word in profile.name_words or stem(word) in stems]
    weight = len(described) + sum(stem(word) in profile.specific for word in described)
    if weight > MAX_DESCRIBED_SHARE * len(words):
        return None
    return Finding("wrong-product", f"it never names {product_name} nor gives its figures, and "
                                    f"{len(words) - len(described)} of its {len(words)} words are "
                                    f"ones the description never uses: another product's take, "
                                    f"or no product's")


@lru_cache(maxsize=64)
def _figures(product_text: str) -> frozenset[str]:
    return frozenset(figures(product_text))


@lru_cache(maxsize=64)
def _stems(known: frozenset[str]) -> frozenset[str]:
    return frozenset(stem(word) for word in known)
