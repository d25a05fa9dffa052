"""Checks that a take is about this product and says something a reader could check.

- ``wrong-product``: it never names this product (nor its maker or parts) but names another in
  the catalogue; or it is full of facts (names, jargon) the product's text never mentions and
  holds almost none of the product's own;
- ``unsupported-fact``: the quote dates something or names a person the product's text never
  does ("announced on January 25th, 2019", "led by Dr. John Smith"), or the reasons cite a
  number that neither the quote nor the product's text gives ("64% of users leave a negative
  review"): the brief forbids inventing them, and a small model invents them often;
- ``filler``: it names nothing concrete from the product's text (a feature, a fact, a name
  beyond the product's own) and nothing else a reader could check (a number, a competitor).
"""

from __future__ import annotations

import re
from itertools import pairwise

from panelist.quality.context import Profile, content_stems
from panelist.quality.findings import Finding
from panelist.quality.learned import reading
from panelist.quality.words import FUNCTION_WORDS, WORD, Text, normalize, stem, zipf

_DOTTED = re.compile(r"(?<!\w)\w++(?:[.-]\w+)+")  # "llama.cpp": no backtracking
_DIGIT = re.compile(r"\d")
_TERM = re.compile(r"[A-Za-z][\w.+#-]*")
_SEPARATOR = re.compile(r"[._/]")
_COMPOUND = re.compile(r"(?<![\w./-])[A-Za-z]\w*(?:[._/-]\w+)+")
MIN_DETAILS = 2  # facts from the product's text, numbers or names a reader could check
MIN_WORDS_FOR_A_FACT = 20  # a take this long names at least one thing from the description
MIN_FACTS_OF_A_COMPARISON = 3  # naming a rival beside this many of this product's facts
MIN_FOREIGN_FACTS = 3  # uncommon names and terms the product's text never uses
RARE_ZIPF = 3.5


def anchors(text: Text, profile: Profile) -> set[str]:
    """The product's facts the text names (its own name aside)."""
    found = {stem(word) for word in text.words} & profile.specific
    found |= {normalize(token) for token in _DOTTED.findall(text.head)} & profile.specific
    stems = content_stems(text.words)
    found |= {" ".join(pair) for pair in pairwise(stems) if pair in profile.phrases
              and not set(pair) & profile.name_words}
    return {word for word in found if word not in profile.name_words}


def _names_this(text: Text, profile: Profile) -> bool:
    return bool(set(text.lowered) & profile.name_words)


def _checkable(text: Text, profile: Profile) -> set[str]:
    """Numbers, and names (capitalized mid-sentence, or uncommon) not in the product's text."""
    found = {token for token in text.tokens if _DIGIT.search(token)}
    found |= {token for token in _COMPOUND.findall(text.head) if _is_technical(token, profile)}
    for sentence in text.sentences:
        for word in _TERM.findall(sentence)[1:]:
            if not word[0].isupper():
                continue
            lowered = normalize(word.rstrip(".-")).removesuffix("'s")
            if (lowered not in FUNCTION_WORDS
                    and lowered not in profile.name_words and lowered not in profile.known):
                found.add(word)
    return found


def _is_technical(token: str, profile: Profile) -> bool:
    """"llm.generate", "pytest-testmon": a name a reader could look up; "well-designed" is not."""
    if normalize(token) in profile.known or normalize(token) in profile.specific:
        return False
    if _SEPARATOR.search(token):
        return True
    return any(zipf(normalize(part)) == 0 for part in token.split("-") if part)


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
                subject = subject or index <= 1
            if flag and tokens and tokens[min(index, len(tokens) - 1)].endswith("'s"):
                subject = True
            if (flag and index + 1 < len(flags) and not flags[index + 1]
                    and tokens[index + 1].lower() in _ACTS):
                subject = True
    return subject, mentions


def _names_another(text: Text, profile: Profile, found: set[str]) -> str | None:
    """Another product of the catalogue the text is about, not only compared with."""
    said = {word.removesuffix("'s") for word in text.words}
    for name, naming in profile.other_names.named_in(said, text.head.lower()):
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
                or name in profile.name_words or zipf(name) >= RARE_ZIPF):
            continue
        before = [normalize(word) for word in tokens[:index]]
        if _COMPARED & set(before):
            return None
        if index <= 1 or token.endswith("'s") or before[-1:] in (["is"], ["for"]):
            return token.removesuffix("'s")
    return None


def wrong_product(text: Text, profile: Profile, product_name: str,
                  found: set[str] | None = None) -> Finding | None:
    """``found``: the text's ``anchors``, when the caller has them already."""
    found = anchors(text, profile) if found is None else found
    if set(text.lowered).isdisjoint(profile.title_words):  # its own name, not only "Python"
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
    if _names_this(text, profile):
        return None
    # names: capitalized mid-sentence, or capitalized and uncommon, or acronyms
    foreign = sorted({word for word in text.words
                      if word[0].isupper() and (len(word) > 3 or word.isupper())
                      and normalize(word).removesuffix("'s") not in profile.known
                      and word not in profile.known
                      and (zipf(normalize(word)) < RARE_ZIPF or word[1:].isupper())}
                     | {word for word in _checkable(text, profile) if word.isalpha()})
    if len(foreign) >= MIN_FOREIGN_FACTS and (len(found) <= 1 or len(foreign) > len(found)):
        return Finding("wrong-product", f"it reviews {', '.join(foreign[:4])}, which "
                                        f"{product_name}'s description never mentions")
    return None


MIN_FOREIGN_DETAILS = 3  # names, figures, terms the reasons give that neither text does


def reasons_elsewhere(text: Text, quote: str, profile: Profile,
                      product_name: str) -> Finding | None:
    """Reasons (``text``: as sentences) about another product: not one of this product's facts,
    and three details (names, figures, terms) that neither its description nor the quote gives
    ("Premiere Pro XML handoff", "720p watermark on free tier" under a keyboard app). No good
    take of the tuning sets' 786 had more than one."""
    if anchors(text, profile) or set(text.lowered) & profile.name_words:
        return None
    said = Text(quote)
    in_quote = {normalize(word) for word in said.words} | {stem(word) for word in said.words}
    details = sorted({detail for detail in _checkable(text, profile)
                      if normalize(detail) not in in_quote and detail not in quote})
    if len(details) < MIN_FOREIGN_DETAILS:
        return None
    return Finding("wrong-product", f"they cite {', '.join(details[:3])}, which neither "
                                    f"{product_name}'s description nor the quote gives")


def reads_as_filler(text: Text) -> Finding | None:
    """Details a reader could check, in a quote whose words read as filler all the same
    ("makes vector search feel approachable", "an interesting entry into the category")."""
    learned = reading("filler")
    likely = learned.probability(text.head)
    if likely <= learned.threshold:
        return None
    return Finding("filler", f"it reads as praise and category words a reader could not check "
                             f"(the gate's learned reading: {likely:.0%})")


def filler(text: Text, profile: Profile, found: set[str] | None = None) -> Finding | None:
    # the proper nouns of the product's text are its facts too ("Frankfurt", "Python"), but
    # not the words of its own name
    found = (anchors(text, profile) if found is None else found) | (
        set(text.lowered) & (profile.name_words - profile.title_words))
    if not found and len(text.words) >= MIN_WORDS_FOR_A_FACT:
        return Finding("filler", "it names not one fact of the product's description (a feature, "
                                 "a term, a name beyond the product's own)")
    details = found | _checkable(text, profile)
    if len(details) >= MIN_DETAILS:
        return reads_as_filler(text)
    what = f"only '{next(iter(details))}'" if details else "nothing"
    return Finding("filler", f"it names {what} from the product's description and nothing "
                             f"else a reader could check")


# A figure standing alone ("64%", "$3.99", "10.2", "10k", "128K-token", "1 million"), not part
# of a name ("P2P", "GPT-4o", "v2"): digits with separators and a magnitude.
_FIGURE = re.compile(r"(?=\d)(?<![\w.\-])(?P<digits>\d[\d,]*(?:\.\d+)?)"
                     r"(?:(?P<letter>[kKmMbB]n?)(?![\w])|"
                     r"\s(?P<word>thousand|million|billion)\b)?(?![\w]|\.\d)")
_WORD_FIGURE = re.compile(r"\b(?:a|one) (thousand|million|billion)\b", re.IGNORECASE)
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
           "billion": 1e9}
SMALL_COUNT = 10  # "two or three reasons", "3 platforms": small counts need no source


def figures(text: str) -> set[str]:
    """Every figure of the text, as a plain number ("10k" and "10,000" are both "10000")."""
    found: set[str] = set()
    for match in _FIGURE.finditer(text):
        scale = (match.group("letter") or match.group("word") or "").lower()
        found.add(f"{float(match.group('digits').replace(',', '')) * _SCALES.get(scale, 1):g}")
    found |= {f"{_SCALES[word.lower()]:g}" for word in _WORD_FIGURE.findall(text)}  # "a thousand"
    return found


_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December)")
# Each finds the fact as ``fact``: it is invented when the product's text never gives it.
_INVENTED = re.compile(
    # a year, not a decade ("a scanned 1990s agreement" describes, it does not date)
    rf"\b(?P<fact>{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?|(?:19|20)\d{{2}}(?!s))\b"
    rf"|\b(?:since|from|by|until) (?P<month>{_MONTH})\b"
    # "launched in March"; not a scene's season ("overage adds up in December")
    rf"|\b(?:launched|released|announced|founded|introduced|shipped|started|began|opened|"
    rf"unveiled|debuted|raised|acquired|updated)(?: \w+){{0,3}}? in (?P<launch>{_MONTH})\b"
    r"|\b(?P<person>(?:Dr|Mr|Mrs|Ms|Prof)\.? [A-Z][a-z]+(?: [A-Z][a-z]+)?|(?:CEO|CTO|COO|CFO|"
    r"founder|co-founder|chief executive),? [A-Z][a-z]+ [A-Z][a-z]+)\b"
    r"|\b(?P<version>(?:[Vv]ersion|v) ?\d+(?:\.\d+)+)\b")
# A price with its unit: "$15 per month", "$499 a month", "$29 per seat", "$99 per clinician".
_PRICE = re.compile(r"[$\u20ac\u00a3] ?(?P<amount>\d[\d,]*(?:\.\d+)?) ?(?:per|a|an|/|each) ?"
                    r"(?:\w+ )?(?:month|mo|year|yr|seat|user|developer|editor|member|minute|hour|"
                    r"image|page|request|call|GB|TB|agent|run|scan|label|task|clinician|"
                    r"licen[cs]e)s?\b")
_SPEND = re.compile(r"\b(?:spend|spends|spending|spent|budget|budgets|saves?|saving|burn|burns|"
                    r"burning|against|versus|vs|compared|instead of)\b[^.;]*$", re.IGNORECASE)
SPEND_CHARS = 40
_AMOUNT = re.compile(r"[$\u20ac\u00a3] ?(\d[\d,]*(?:\.\d+)?)")
# "$120 a month" for three $40 seats, "about $350" for twelve $29 seats: within a tenth of one
# given price of a whole multiple of it. (A share of the total would let any price pass as a
# multiple of $0.40: $15 is 37.5 of them.)
DERIVED_TOLERANCE = 0.1


def invented_fact(text: Text, product_text: str) -> Finding | None:
    """A date, a month, a titled person, a version or a price the product's text never
    gives; a price that is a whole multiple of a given one ("three seats, $87 a month") or its
    half, third or quarter ("half price, $4 a month") is arithmetic, not invention, and money
    the reader spends elsewhere ("spending $4,000 a month on API calls") is not a price."""
    for match in _INVENTED.finditer(text.head):
        fact = next(group for group in match.groups() if group)
        number = re.sub(r"^(?:[Vv]ersion|v) ?", "", fact) if match.group("version") else fact
        if number not in product_text:  # "Version 0.9" where the description says "0.9"
            return Finding("unsupported-fact", f"'{fact}' is not in the product's description")
    given = [float(amount.replace(",", "")) for amount in _AMOUNT.findall(product_text)]
    counts = {float(figure) for figure in figures(product_text)
              if float(figure).is_integer() and 1 < float(figure) <= MAX_SHARED_BY}
    for match in _PRICE.finditer(text.head):
        price = float(match.group("amount").replace(",", ""))
        if _SPEND.search(text.head, max(0, match.start() - SPEND_CHARS), match.start()):
            continue  # "a team spending $4,000 a month on API calls": the reader's money
        if not any(_multiple(price, base) or _part(price, base)
                   or _share(price, base, counts) for base in given):
            return Finding("unsupported-fact", f"'{match.group(0)}' is not a price the "
                                               f"product's description gives")
    return None


MAX_SHARED_BY = 10_000  # "$399 a month for up to 25 seats" is "about $16 a seat"
SHARE_TOLERANCE = 0.05


def _share(price: float, base: float, counts: set[float]) -> bool:
    """A given price shared by a count the description gives: $399 for 25 seats, $16 a seat."""
    return price > 0 and any(abs(base / count - price) <= SHARE_TOLERANCE * price
                             for count in counts)


def _part(price: float, base: float) -> bool:
    """Exactly a half, a third or a quarter of ``base``."""
    return price > 0 and any(abs(base / parts - price) < 0.01 for parts in (2, 3, 4))


def _multiple(price: float, base: float) -> bool:
    if base <= 0:
        return False
    times = price / base
    return times >= 1 and abs(times - round(times)) <= DERIVED_TOLERANCE


def unsupported_number(reasons: str, quote: str, product_text: str) -> Finding | None:
    cited = figures(reasons)
    if not cited:
        return None  # nothing to look for (most reasons): the quote and product not read
    given = figures(quote) | figures(product_text)
    given |= {f"{100 - float(figure):g}" for figure in given if 0 < float(figure) < 100}
    invented = sorted(figure for figure in cited - given  # "82% within, 18% not"
                      if not (float(figure).is_integer() and float(figure) <= SMALL_COUNT))
    if not invented:
        return None
    return Finding("unsupported-fact", f"they cite {invented[0]}, which neither the quote nor "
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
feature job works well highly either way go
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
