"""Checks that a take says something a reader could check, and what the product's text
gives (``elsewhere`` checks that it is this product's; both read ``anchors``):

- ``unsupported-fact``: the quote dates something or names a person the product's text never
  does ("announced on January 25th, 2019", "led by Dr. John Smith"), or the reasons cite a
  number that neither the quote nor the product's text gives ("64% of users leave a negative
  review"): the brief forbids inventing them, and a small model invents them often;
- ``filler``: it names nothing concrete from the product's text (a feature, a fact, a name
  beyond the product's own) and nothing else a reader could check (a number, a competitor).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain, combinations, pairwise

from panelist.quality.context import Profile
from panelist.quality.described import dotted
from panelist.quality.findings import Finding
from panelist.quality.learned import reading
from panelist.quality.words import (
    FUNCTION_WORDS,
    SMALL_COUNT,
    Text,
    case_sensitive,
    figures,
    normalize,
    stem,
    zipf,
)

_DIGIT = re.compile(r"\d")
_TERM = re.compile(r"[A-Za-z][\w.+#-]*")
_SEPARATOR = re.compile(r"[._/]")
_COMPOUND = re.compile(r"(?<![\w./-])[A-Za-z]\w*(?:[._/-]\w+)+")
MIN_DETAILS = 2  # facts from the product's text, numbers or names a reader could check
MIN_WORDS_FOR_A_FACT = 20  # a take this long names at least one thing from the description


def anchors(text: Text, profile: Profile) -> set[str]:
    """The product's facts the text names (its own name aside)."""
    found = {stem(word) for word in text.words} & profile.specific
    found |= {normalize(token) for token in dotted(text.tokens)} & profile.specific
    stems = text.content_stems
    found |= {" ".join(pair) for pair in pairwise(stems) if pair in profile.phrases
              and not set(pair) & profile.name_words}
    return {word for word in found if word not in profile.name_words}


def names_this(text: Text, profile: Profile) -> bool:
    return not profile.name_words.isdisjoint(text.lowered)


def checkable(text: Text, profile: Profile) -> set[str]:
    """Numbers, and names (capitalized mid-sentence, or uncommon) not in the product's text."""
    found = ({token for token in text.tokens if _DIGIT.search(token)}
             if _DIGIT.search(text.head) else set())  # most texts have no digit
    found |= {token for token in compounds(text.tokens) if _is_technical(token, profile)}
    for sentence in text.sentences:
        for word in _TERM.findall(sentence)[1:]:
            if not word[0].isupper():
                continue
            lowered = normalize(word.rstrip(".-")).removesuffix("'s")
            if (lowered not in FUNCTION_WORDS
                    and lowered not in profile.name_words and lowered not in profile.known):
                found.add(word)
    return found


def compounds(tokens: list[str]) -> list[str]:
    """``_COMPOUND``'s matches in a text, from its ``tokens`` (the text split at whitespace, in
    order): a match is word characters and separators, so never crosses a space, and holds a
    separator, so only a token holding one is searched (most hold none)."""
    return [found for token in tokens
            if "." in token or "-" in token or "/" in token or "_" in token
            for found in _COMPOUND.findall(token)]


def _is_technical(token: str, profile: Profile) -> bool:
    """"llm.generate", "pytest-testmon": a name a reader could look up; "well-designed" is not."""
    if normalize(token) in profile.known or normalize(token) in profile.specific:
        return False
    if _SEPARATOR.search(token):
        return True
    return any(zipf(normalize(part)) == 0 for part in token.split("-") if part)


def reads_as_filler(text: Text) -> Finding | None:
    """Details a reader could check, in a quote whose words read as filler all the same
    ("makes vector search feel approachable", "an interesting entry into the category")."""
    learned = reading("filler")
    likely = learned.probability(text.head)
    if likely <= learned.threshold:
        return None
    return Finding("filler", f"it reads as praise and category words a reader could not check "
                             f"(the gate's learned reading: {likely:.0%})")


# A press release's words: one is a reviewer's ("the most exciting release this quarter"); two
# are the maker's copy ("promises to be as explosive as ever before... the world's most
# innovative way"). No good take of the held-out sets has two; 13 bad ones do.
_HYPE = re.compile(r"\b(?:innovat\w*|revolution\w*|game[- ]chang\w*|cutting[- ]edge|"
                   r"groundbreaking|explosive|unparalleled|unprecedented|world['\u2019]s (?:most|"
                   r"best|first)|best[- ]in[- ]class|next[- ]generation|exciting|amazing|"
                   r"incredible|empower\w*|on the horizon|promises? to|the future|limitless|"
                   r"endless possibilities|transformative|visionary|trusted|state[- ]of[- ]the[- ]"
                   r"art|most \w+ way possible|ever before|like never before)\b", re.IGNORECASE)
MIN_HYPE = 2


_HYPE_FOLDED = case_sensitive(_HYPE)


def press_release(text: Text) -> Finding | None:
    """A quote in the maker's marketing words: two of them, different. An ASCII text is read
    lower-cased, by the pattern made case-sensitive (the same matches, three times faster)."""
    folded = text.folded
    said = list(dict.fromkeys(
        [match.group(0) for match in _HYPE_FOLDED.finditer(folded)] if folded is not None
        else [match.group(0).lower() for match in _HYPE.finditer(text.head)]))
    if len(said) < MIN_HYPE:
        return None
    return Finding("filler", f"it reads as a press release ('{said[0]}', '{said[1]}'), not a "
                             f"review a reader could check")


def filler(text: Text, profile: Profile, found: set[str] | None = None) -> Finding | None:
    # the proper nouns of the product's text are its facts too ("Frankfurt", "Python"), but
    # not the words of its own name
    found = (anchors(text, profile) if found is None else found) | (
        (profile.name_words - profile.title_words).intersection(text.lowered))
    if not found and len(text.words) >= MIN_WORDS_FOR_A_FACT:
        return Finding("filler", "it names not one fact of the product's description (a feature, "
                                 "a term, a name beyond the product's own)")
    details = found | checkable(text, profile)
    if len(details) >= MIN_DETAILS:
        return reads_as_filler(text)
    what = f"only '{next(iter(details))}'" if details else "nothing"
    return Finding("filler", f"it names {what} from the product's description and nothing "
                             f"else a reader could check")


_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December)")
# Each finds the fact as ``fact``: it is invented when the product's text never gives it.
_INVENTED = re.compile(
    # a year, not a decade ("a scanned 1990s agreement" describes, it does not date)
    # not "the March 1.0 release": a month and a version
    rf"\b(?P<fact>{_MONTH} \d{{1,2}}(?!\.\d)(?:st|nd|rd|th)?(?:,? \d{{4}})?"
    rf"|(?:19|20)\d{{2}}(?!s))\b"
    rf"|\b(?:since|from|by|until) (?P<month>{_MONTH})\b"
    # "launched in March"; not a scene's season ("overage adds up in December")
    rf"|\b(?:launched|released|announced|founded|introduced|shipped|started|began|opened|"
    rf"unveiled|debuted|raised|acquired|updated)(?: \w+){{0,3}}? in (?P<launch>{_MONTH})\b"
    r"|\b(?P<person>(?:Dr|Mr|Mrs|Ms|Prof)\.? [A-Z][a-z]+(?: [A-Z][a-z]+)?|(?:CEO|CTO|COO|CFO|"
    r"founder|co-founder|chief executive),? [A-Z][a-z]+ [A-Z][a-z]+)\b"
    # a version the take dates something by, not one it predicts ("someone forks it before v1.0")
    r"|\b(?<!before )(?<!until )(?<!by )(?P<version>(?:[Vv]ersion|v) ?\d+(?:\.\d+)+)\b")
# An amount of money: "$15", "£1,200", "€0.09"
_MONEY = r"(?P<currency>[$\u20ac\u00a3]) ?(?P<amount>\d[\d,]*(?:\.\d+)?)"
# A price with its unit: "$15 per month", "$499 a month", "$29 per seat", "$99 per clinician".
_PRICE = re.compile(_MONEY + r" ?(?:per|a|an|/|each) ?"
                    r"(?:\w+ )?(?:month|mo|year|yr|seat|user|developer|editor|member|minute|hour|"
                    r"image|page|request|call|GB|TB|agent|run|scan|label|task|clinician|"
                    r"licen[cs]e)s?\b")
# A price named as one without a unit: "a $20 fee", "the $45 Studio plan" (not "costs $9", which is
# often the take's own sum: "a 600,000-character book costs $9 to voice")
_FEE = re.compile(_MONEY + r"(?: (?:one-off|one-time|monthly|annual|yearly|flat|setup|set-up|"
                  r"entry|starter|base|[A-Z][a-z]+))? (?:fee|charge|subscription|plan|tier)s?\b")
_SPEND = re.compile(r"\b(?:spend|spends|spending|spent|budget|budgets|saves?|saving|burn|burns|"
                    r"burning|against|versus|vs|compared|instead of|writ(?:e|es|ing|ten) off|"
                    r"los(?:e|es|ing)|lost|wast(?:e|es|ing))\b[^.;]*$", re.IGNORECASE)
SPEND_CHARS = 40
_AMOUNT = re.compile(_MONEY)
_CODE = re.compile(r"`[^`]*`")
# "$120 a month" for three $40 seats, "about $350" for twelve $29 seats: within a tenth of one
# given price of a whole multiple of it. (A share of the total would let any price pass as a
# multiple of $0.40: $15 is 37.5 of them.)
DERIVED_TOLERANCE = 0.1


def invented_fact(text: Text, product_text: str) -> Finding | None:
    """A date, a month, a titled person, a version or a price the product's text never
    gives; a price that is a whole multiple of a given one in its currency ("three seats, $87
    a month") or its half, third or quarter ("half price, $4 a month") is arithmetic, not
    invention, and money the reader spends elsewhere ("spending $4,000 a month on API calls")
    is not a price."""
    code = [found.span() for found in _CODE.finditer(text.head)] if "`" in text.head else []
    for match in _INVENTED.finditer(text.head):
        if any(start <= match.start() < end for start, end in code):
            continue  # "`WHERE week >= '2026-10-01'`": the reviewer's own query, not a date
        fact = next(group for group in match.groups() if group)
        number = re.sub(r"^(?:[Vv]ersion|v) ?", "", fact) if match.group("version") else fact
        if number not in product_text:  # "Version 0.9" where the description says "0.9"
            return Finding("unsupported-fact", f"'{fact}' is not in the product's description")
    # most quotes give no price: nothing read
    for match in chain(_prices(_PRICE, text), _prices(_FEE, text)):
        price = float(match.group("amount").replace(",", ""))
        given, counts = _prices_given(product_text)
        # in the currency the description prices in: "$25 a month" is not "£12 a month" twice
        bases = [base for currency, base in given if currency == match.group("currency")]
        if not (any(_multiple(price, base) or _part(price, base)
                    or _share(price, base, counts) for base in bases)
                or _worked_out(price, bases, text) or _bound(price, bases, text, match)):
            return Finding("unsupported-fact", f"'{match.group(0)}' is not a price the "
                                               f"product's description gives")
    return _foreign_currency(text, product_text)


# Any price with a unit ("£89 per branch", "$180 per turbine"): its currency alone is read
_PRICED = re.compile(_MONEY + r" ?(?:per|a|an|/|each) (?:\w+ )?[a-z]+")
_CURRENCY_NAMES = {"$": "dollars", "\u00a3": "pounds", "\u20ac": "euros"}


def _foreign_currency(text: Text, product_text: str) -> Finding | None:
    """A price in a currency the description never prices in, when it prices in another:
    "£89 per branch" for a product sold in dollars."""
    if not any(sign in text.head for sign in _CURRENCY_NAMES):
        return None  # no price at all (most quotes): the product's prices not read
    currencies = _currencies_given(product_text)
    if not currencies:
        return None
    for match in _prices(_PRICED, text):
        if match.group("currency") in currencies:
            continue
        named = " and ".join(sorted(_CURRENCY_NAMES[currency] for currency in currencies))
        return Finding("unsupported-fact", f"'{match.group(0)}' is in "
                                           f"{_CURRENCY_NAMES[match.group('currency')]}; the "
                                           f"product's description prices in {named}")
    return None


MAX_SHARED_BY = 10_000  # "$399 a month for up to 25 seats" is "about $16 a seat"
SHARE_TOLERANCE = 0.05


def _prices(pattern: re.Pattern[str], text: Text) -> Iterator[re.Match[str]]:
    """The prices ``pattern`` finds, but money the reader spends elsewhere ("a team spending
    $4,000 a month on API calls")."""
    for match in pattern.finditer(text.head):
        if not _SPEND.search(text.head, max(0, match.start() - SPEND_CHARS), match.start()):
            yield match


@lru_cache(maxsize=64)
def _prices_given(product_text: str
                  ) -> tuple[tuple[tuple[str, float], ...], frozenset[float]]:
    """The product text's prices with their currencies, and its counts a price may be shared
    by: read once per product, not once per take."""
    given = tuple((currency, float(amount.replace(",", "")))
                  for currency, amount in _AMOUNT.findall(product_text))
    counts = frozenset(float(figure) for figure in figures(product_text)
                       if float(figure).is_integer() and 1 < float(figure) <= MAX_SHARED_BY)
    return given, counts


@lru_cache(maxsize=64)
def _currencies_given(product_text: str) -> frozenset[str]:
    """The currencies of ``_prices_given``, without reading the text's figures."""
    return frozenset(currency for currency, _ in _AMOUNT.findall(product_text))


def _share(price: float, base: float, counts: frozenset[float]) -> bool:
    """A given price shared by a count the description gives: $399 for 25 seats, $16 a seat."""
    return price > 0 and any(abs(base / count - price) <= SHARE_TOLERANCE * price
                             for count in counts)


def _worked_out(price: float, bases: list[float], text: Text) -> bool:
    """One given price and a count the take gives of another: "five logins come with the £29
    plan; the other 25 cost £9 each, £254 a month" (29 + 25 x 9)."""
    counts = [float(figure) for figure in text.figures
              if float(figure).is_integer() and 1 < float(figure) <= MAX_SHARED_BY]
    return any(abs(first + count * each - price) < 0.01 * price
               for first in bases for each in bases for count in counts)


# "under $500 a month", "less than $40 a seat": a bound the take worked out, not a price
_UPPER_BOUND = re.compile(r"\b(?:under|below|less than|at most|no more than|up to)\s+$",
                          re.IGNORECASE)
BOUND_CHARS = 14


def _bound(price: float, bases: list[float], text: Text, match: re.Match[str]) -> bool:
    """An upper bound no lower than a price the description gives: what the take worked out
    a buyer pays at most ("a two-site group is under $500 a month" of $189 a site)."""
    return bool(bases) and price >= min(bases) and bool(_UPPER_BOUND.search(
        text.head, max(0, match.start() - BOUND_CHARS), match.start()))


def _part(price: float, base: float) -> bool:
    """Exactly a half, a third or a quarter of ``base``, or a twelfth: a yearly price by the
    month ("$59.99 a year, about $5 a month")."""
    return price > 0 and any(abs(base / parts - price) < 0.01 for parts in (2, 3, 4, 12))


def _multiple(price: float, base: float) -> bool:
    if base <= 0:
        return False
    times = price / base
    return times >= 1 and abs(times - round(times)) <= DERIVED_TOLERANCE


_WHOLE = re.compile(r"\b100 ?(?:%|per ?cent)")
GROUPED_FROM = 10_000  # a figure shown with thousands separators from here


def unsupported_number(reasons: str, quote: str, product_text: str) -> Finding | None:
    cited = figures(reasons)
    if not cited:
        return None  # nothing to look for (most reasons): the quote and product not read
    in_quote = figures(quote)
    given = in_quote | figures(product_text)
    given |= {f"{100 - float(figure):g}" for figure in given if 0 < float(figure) < 100}
    given |= {f"{float(one) + float(other):g}"  # "$441 plus the $99 setup": "about $540 all in"
              for one, other in combinations(sorted(in_quote), 2)}
    given |= {"100"} if _WHOLE.search(reasons) else set()  # "87% agreement, not 100%"
    invented = sorted(figure for figure in cited - given  # "82% within, 18% not"
                      if not (float(figure).is_integer() and float(figure) <= SMALL_COUNT))
    if not invented:
        return None
    # as a reader writes it: "3,000,000,000", not "3e+09"; a year as a year ("2014")
    shown = float(invented[0])
    cited_as = f"{shown:,.0f}" if shown.is_integer() and shown >= GROUPED_FROM else invented[0]
    return Finding("unsupported-fact", f"they cite {cited_as}, which neither the quote nor "
                                         f"the product's description gives")


MAX_REASON_WORDS = 25  # the prompt asks for "short notes for the editor"; honest ones run 2-12


def rambling_reason(reasons: list[str]) -> Finding | None:
    """A reason that asks a question or runs to a paragraph is not a note of a fact."""
    for reason in reasons:
        words = len(reason.split())
        if reason.rstrip().endswith("?") or words > MAX_REASON_WORDS:
            shown = reason.strip()[:40]
            return Finding("filler", f"'{shown}...' is a question or a ramble ({words} words), "
                                     f"not a short note of a fact")
    return None


# Words that judge without saying anything a reader could check: a reason made of these alone
# ("Worth a look", "Solid choice overall", "It has pros and cons") is a stock phrase.
_STOCK_TEXT = """
worth a an look looking watching watch considering consider keeping keep eye on it its it's is
solid overall choice good great value product interesting approach some concerns concern has
have pros and cons not for everyone strong nice tool option promising decent impressive fine ok
okay potential lots of very really quite the this one pick idea concept useful helpful cool neat
exciting mixed feelings bag could be better needs work room to grow improve improvement time will
tell wait see but yet still in all i like love recommend recommended something thing things stuff
experience anyone people definitely pretty well done made designed excellent amazing awesome
fantastic wonderful perfect lacking limited unclear unknown questions questionable risky risk risks
issues problems drawbacks downsides upsides benefits advantages disadvantages aspects features
feature job works well highly either way go strategy strategic future bright users customers
will market vision try trying shot with lot for many teams team people
"""
_STOCK = frozenset(_STOCK_TEXT.split())
_REASON_WORD = re.compile(r"[a-z'\u2019-]+")
MIN_STOCK_REASONS = 2  # one stock reason beside real ones is a shrug; two, and half, are filler


def stock_reasons(reasons: list[str]) -> Finding | None:
    """Reasons that are stock phrases, two or more and at least half of them: no good reason of
    2,077 in the tuning sets was more than one."""
    stock = [reason.strip() for reason in reasons if _is_stock(reason)]
    if len(stock) < MIN_STOCK_REASONS or 2 * len(stock) < len(reasons):
        return None
    return Finding("filler", f"'{stock[0][:30]}' and '{stock[1][:30]}' are stock phrases: "
                             f"nothing a reader could check")


def _is_stock(reason: str) -> bool:
    words = _REASON_WORD.findall(reason.lower().replace("\u2019", "'"))
    return len(words) >= 2 and all(word in _STOCK for word in words)
