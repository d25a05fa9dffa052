"""Checks of a take's form: what no edit of the wording fixes.

- ``control-chars``: control characters, ANSI escapes, bidirectional overrides, zero-widths;
- ``truncated``: no closing punctuation, a dangling word or clause, a bracket never closed;
- ``leak``: JSON or its fragments, code fences, Markdown headings, bold or labels ("Quote:",
  "Word count: 52"), escaped newlines, HTML tags;
- ``all-caps``: shouting, or runs of made-up acronyms; SQL keywords and the product's own
  acronyms are names, not shouting.

Number salad has its own module (``salad``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from panelist.quality.findings import Finding
from panelist.quality.words import (
    COMMON_ZIPF,
    CUT_ZIPF,
    TOKEN,
    Text,
    cut_short,
    folded_copy,
    longest_run,
    zipf,
)

# Every regex here is linear: no nested quantifiers over the same characters.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069"
                      r"\ufeff\ufff9-\ufffb]|\[\d{1,3}(?:;\d{1,3})*m")
_CLOSERS = ".!?\"'\u201d\u2019)]"
# "llama.cpp", "Next.js", "hugging.co": a name's extension, not a word cut off after a stop
_EXTENSION = re.compile(r"\w\.(?:cpp|js|ts|py|rs|go|io|ai|md|sh|rb|cs|db|so|co|net|com|org|app|"
                        r"dev|yml|csv|pdf|txt|log|sql|env|ini|lock|toml)$")
_DANGLING_TEXT = """a an the and or but nor its their your my our whose than because
although whereas if via versus vs per"""
_DANGLING = frozenset(_DANGLING_TEXT.split())
# A quote may end "...and nothing says it is." or "...worth paying for."; never on these. A
# reason, a note of a few words, ends on none of the longer list: "Citations make it easy to",
# "handoff when confidence is" were cut (no good reason of 2,077 in the tuning sets ended so).
_DANGLING_QUOTE = _DANGLING | {"which", "whom", "into", "whether"}
# A clause cut where a full stop was added after it: "...for labs that already.", "...and the
# first project is." (not "...because that's where the next budget is.")
_CUT_AFTER_A_STOP = re.compile(
    # not the ellipsis of "...find someone who is.", "...ask anyone who has."
    r"(?<!\bsomeone )(?<!\banyone )(?<!\bsomebody )(?<!\banybody )(?<!\bthose )"
    r"\b(?:that|which|who) (?:already|also|still|just|only|then|is|are|was|were|has|have)[.!]$"
    r"|(?:^|[.!?;,]\s+)(?:and |but )?the (?:first|next|only|main|real) \w+(?: \w+)? is[.!]$"
    r"|\b(?:e\.g|i\.e)\.?$"  # "...and I'd sign for e.g.": the example never came
    r"|,\s*(?:so|and|but|or|because|while|although)[.!]$"  # "...only CSV export, so."
    # "...I'd sign for a team that.", "Ship for teams that." (not "I'd pay for exactly that.")
    r"|\b(?:for|to|with) (?:(?!who |which |that )\w+ ){0,2}(?<!\bexactly )(?<!\ball )"
    r"(?<!\bjust )(?<!\bonly )(?<!\blike )(?<!\bof )(?<!\babout )(?<!\bprecisely )(?<!\bdo )"
    r"(?<!\bdoes )(?<!\bdid )(?<!\bis )(?<!\bwas )(?<!\band )(?<!\bor )(?<!\bbut )"
    r"(?:\w+s|team|company|shop|firm|buyer|user|group|anyone|someone|publishers?|clinics?|"
    r"caveat|exception|condition|proviso|warning) that[.!]$",
    re.IGNORECASE)
CLOSING_CHARS = 200  # a clause's end is read in the text's last characters, not its whole
# Every match of ``_CUT_AFTER_A_STOP`` ends on one of these words and a stop
_CUT_WORDS = ("already", "also", "still", "just", "only", "then", "is", "are", "was", "were",
              "has", "have", "e.g", "i.e", "so", "and", "but", "or", "because", "while",
              "although", "that")
_TRAILS_OFF = re.compile(r"(?:\.\.\.|\u2026|[-\u2013\u2014,;:])$")  # three characters at most
_BROKEN_WORD = re.compile(r"\w[.!?][A-Za-z]{1,3}$")  # five at most (an extension: six); not
# " .vtt", a file type after a space


def _may_cut(stripped: str) -> bool:
    """Whether ``_CUT_AFTER_A_STOP`` may match: the text ends on one of its words and a stop
    (read where the end is ASCII: a letter of another script may fold to one of theirs)."""
    tail = stripped[-13:]
    return not tail.isascii() or (tail[-1] in ".!" and tail[:-1].lower().endswith(_CUT_WORDS))


_NOTE_DANGLING_TEXT = """to for of from is are was were be been that who while will should
would can could must as means requires including"""
_DANGLING_NOTE = _DANGLING_QUOTE | frozenset(_NOTE_DANGLING_TEXT.split())
_RULES_OUT = re.compile(r"\brul(?:es|e|ed|ing) out$", re.IGNORECASE)
# Each leak: its pattern, what it is, and what every match of it holds (one of them), looked
# for before the pattern is: most takes hold none. Letters are looked for in the lower-cased
# text, and only in ASCII text (a case-insensitive match may fold another letter to one: a
# dotless i to "i"); () where no such string can be named.
class _Searches(Protocol):
    def search(self, string: str, /) -> re.Match[str] | None: ...


class _Either:
    """A pattern of two alternatives, the first anchored at the text's start (``^...|...``),
    searched apart: the first matched at the start alone, the second found by its first
    character (searched whole, the first alternative is tried at every place). The same match."""

    def __init__(self, first: re.Pattern[str], second: re.Pattern[str]) -> None:
        self.first, self.second = first, second

    def search(self, string: str, /) -> re.Match[str] | None:
        return self.first.match(string) or self.second.search(string)


_LEAK_PATTERNS: tuple[tuple[_Searches, str, tuple[str, ...]], ...] = (
    (re.compile(r"```|~~~"), "a code fence", ("```", "~~~")),
    (re.compile(r"\]\((?:https?://|/|#)"), "a Markdown link", ("](",)),
    # not "#REF!", "#N/A"
    (re.compile(r"(?:^|\s)#[A-Za-z]\w{2,}(?![!/\w])"), "a hashtag", ("#",)),
    (re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B06\u2705]"), "an emoji",
     ("\U0001F300",)),  # never in ASCII text (and text that is not is always read)
    (re.compile(r"\w\.(?:json|jsonl|md|txt|ya?ml|csv|html?|log)\b"), "a file name",
     (".json", ".md", ".txt", ".yml", ".yaml", ".csv", ".htm", ".log")),
    (re.compile(r"\\[nrt\"]|\\u[0-9a-fA-F]{4}"), "an escaped character", ("\\",)),
    (re.compile(r"[\"\u201c](?:verdict|quote|reasons?)[\"\u201d]\s*:|"
                r"\{\s*[\"\u201c]|[\"\u201d]\s*\}|\[\s*[\"\u201c][^\]]{0,200}[\"\u201d]\s*,",
                re.IGNORECASE), "JSON", ('"', "\u201c", "\u201d", "{", "[")),
    (_Either(re.compile(r"^\s*[\[{)\]};,]"), re.compile(r"[}\]]\s*$")), "a JSON bracket",
     ()),  # "); The primitive..."
    (re.compile(r"(?:^|\s)#{1,6} [A-Za-z]"), "a Markdown heading", ("#",)),
    (re.compile(r"\*\*[^*\s][^*]{0,80}\*\*|__[^_\s][^_]{0,80}__|(?:^|\s)\*[A-Za-z][^*]{0,60}\*"
                r"(?=[\s.,;:!?]|$)"), "Markdown bold or italics", ("*", "__")),
    (re.compile(r"(?:^|[.!?:]\s+|\(|\[)(?:Quote|Verdict|Reasons?|Word count|Words|Summary|"
                r"Rating|Score|Persona|Answer|Review|Take|Output|Response|Call|Note|Disclaimer|"
                r"Title|Lens|Brief|Task|Instructions?|Prompt|Role|"
                r"Final (?:verdict|answer))\s*[:=\-]\s|\bReason \d+\b",
                re.IGNORECASE),
     "a label", (":", "=", "-", "reason")),
    # a persona's label opening the text: "The Skeptic's take on Tether QVAC SDK: ..."
    (re.compile(r"^\W*(?i:the\s+)?[A-Za-z-]+['\u2019]s\s+(?i:take|view|verdict|review|"
                r"perspective|opinion|assessment|analysis|lens)"
                r"(?:\s+(?i:on|of|for)\s+[A-Z][\w.-]*(?:\s+[A-Z0-9][\w.-]*){0,4})?:\s"),
     "a persona's label", (":",)),
    # "Word count: 52", "(48 words)"; not "keeps word counts honest"
    (re.compile(r"\b(?:word count\b(?!s)|\d+ words?\))", re.IGNORECASE), "a word count", ("word",)),
    # a title of two words or more ("Tether QVAC SDK: ...", "Developer Experience Review:"); one
    # word ("Thesis: ...", "Competitors: ...") is a reviewer's own device
    (re.compile(r"^\W*(?:[A-Z][\w'-]*\s){1,2}[A-Z0-9][\w'-]*:\s"), "a title", (":",)),
    # the answer's verdict field run into the quote: "Ship, a real-world AI client..."; not a
    # call with its terms ("Ship, with one caution.", "Skip, unless...")
    (re.compile(r"^\W*(?:ship|skip)\s*[,:;\u2013\u2014-]\s*+(?!(?:it|this|that|with|but|though|if|"
                r"unless|until|once|because|since|provided)\b)",
                re.IGNORECASE), "the verdict", ()),
    (re.compile(r"(?:^|\s)[-*\u2022] [A-Z][^.!?]{0,200}\s[-*\u2022] [A-Z]"), "a bulleted list",
     ("- ", "* ", "\u2022 ")),
    (re.compile(r"</?(?:p|br|div|span|b|i|em|strong|ul|ol|li|h[1-6]|code|pre|reasons?|quote|"
                r"verdict|answer|output|response|take)\b[^<>]{0,80}>",
                re.IGNORECASE), "an HTML tag", ("<",)),
)


# the label and the word count: most texts hold what every match holds ("-", "word")
_FOLDED_LEAKS = {what: folded_copy(pattern) for pattern, what, _ in _LEAK_PATTERNS
                 if what in ("a label", "a word count") and isinstance(pattern, re.Pattern)}


def _leak_span(pattern: _Searches, what: str, text: Text) -> tuple[int, int] | None:
    folded = _FOLDED_LEAKS.get(what)
    match = (folded.search(text.folded) if folded is not None and text.folded is not None
             else pattern.search(text.head))
    return None if match is None else match.span()


# every string some pattern's matches hold: looked for once per text (not ASCII: letters may
# fold, and an emoji may be there, and every pattern is run)
_ALL_NEEDS = frozenset(need for _, _, needs in _LEAK_PATTERNS for need in needs)
_MARK_THEN_SPACE = re.compile(r"[:=\-]\s")


_SQL_TEXT = """select from where join left right inner outer group order by insert into
update delete set values having limit create table index not null and or as on union all
distinct count sum with"""
SQL = frozenset(_SQL_TEXT.split())
MAX_TOKEN_CHARS = 60  # no word of a review is longer
MAX_CAPS_RUN = 2  # "AI SDK" is fine; "QVAC FABRIC CORE SYSTEM" is not
MAX_SHOUTED_WORDS = 2  # "NOT ... a REAL bet": one word for emphasis is a style; two shout
_ACRONYM_WORDS_TEXT = "it us am pm ok id tv pc ai ui ux os hr qa vc pr ml rest http https url"
_ACRONYM_WORDS = frozenset(_ACRONYM_WORDS_TEXT.split())  # everyday words, also acronyms
def control_chars(text: Text) -> Finding | None:
    match = _CONTROL.search(text.raw)
    if match is None:
        return None
    return Finding("control-chars", f"it holds {match.group(0)!r}, a control or escape "
                                    f"sequence no reader sees as text")


def truncated(text: Text, *, needs_stop: bool = True,
              known: frozenset[str] = frozenset()) -> Finding | None:
    """``known``: the product's words ("Claude's hand-off" may end on a name of its own)."""
    stripped = text.raw.rstrip()
    if not stripped:
        return Finding("truncated", "it is empty")
    # each pattern ending in "$" is searched in the last characters its match can take
    if _TRAILS_OFF.search(stripped[-3:]):
        return Finding("truncated", f"it trails off at '{stripped[-20:]}'")
    if _BROKEN_WORD.search(stripped[-5:]) and not _EXTENSION.search(stripped[-6:]):
        return Finding("truncated", f"it ends in a broken word: '{stripped[-20:]}'")
    if text.words and text.head == text.raw and cut_short(text.words[-1], known):
        return Finding("truncated", f"it ends on '{text.words[-1]}', a word cut short")
    if needs_stop and stripped[-1] not in _CLOSERS:
        return Finding("truncated", f"it stops mid-sentence: '...{stripped[-30:]}'")
    last_raw = text.tokens[-1].strip(".!?\"'\u201d\u2019)]") if text.tokens else ""
    # an acronym ("older trucks lack CAN") is a name, not a word left hanging, in a text
    # that does not shout
    acronym = len(last_raw) > 1 and last_raw.isupper() and not text.head.isupper()
    last_token = "" if acronym else last_raw.lower()
    if needs_stop and _may_cut(stripped) and _CUT_AFTER_A_STOP.search(
            stripped[-CLOSING_CHARS:]):
        return Finding("truncated", f"it stops mid-clause: '...{stripped[-30:]}'")
    dangling = _DANGLING_QUOTE if needs_stop else _DANGLING_NOTE
    if last_token in dangling:  # the last token, not the last word: "...reproduces the 96%."
        return Finding("truncated", f"it ends on '{last_token}', a clause left hanging")
    if not needs_stop and _RULES_OUT.search(stripped[-12:]):  # a note: "the minimum rules out"
        return Finding("truncated", f"it ends on '{stripped[-9:].strip()}', with nothing ruled out")
    if text.head.count("(") > text.head.count(")"):
        return Finding("truncated", "a parenthesis opens and never closes")
    return None


MIN_FRAGMENT_CHARS = 4


def cut_from(text: Text, words: Iterable[str]) -> Finding | None:
    """A note ending on the start of a longer word the quote or the product's text says
    ("Lint that catches missing concurr" beside "`concurrency` groups"): cut mid-word where
    the word is too rare for ``cut_short``'s list."""
    last = text.words[-1] if text.words and text.head == text.raw else ""
    if (len(last) < MIN_FRAGMENT_CHARS or not last.isalpha() or not last.islower()
            or zipf(last) >= CUT_ZIPF or text.raw.rstrip()[-1:] in _CLOSERS):
        return None
    whole = next((word for word in words if len(word) > len(last) and word.startswith(last)
                  and word.isalpha()), None)
    if whole is None:
        return None
    return Finding("truncated", f"it ends on '{last}', '{whole}' cut short")


def _file_name(text: str, start: int, end: int) -> str:
    """The whole file name around a match of its extension (``.grainline.yml``)."""
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._-"):
        start -= 1
    return text[start:end]


def leak(text: Text, product_text: str = "", *, notes: bool = False) -> Finding | None:
    """``product_text``: a file the product's own description names (``.grainline.yml``) is
    a fact, not a leak. ``notes``: the reasons, where a note may open on a label of its own
    ("Tiny API: load and generate")."""
    if text.head.count('"') % 2:
        return Finding("leak", "an unmatched quotation mark, left from the answer's JSON")
    lowered = text.folded
    held = None if lowered is None else {need for need in _ALL_NEEDS if need in lowered}
    for pattern, what, needs in _LEAK_PATTERNS:
        if notes and what == "a title":
            continue
        if needs and held is not None and held.isdisjoint(needs):
            continue  # the pattern cannot match: none of what each match holds is there
        if what == "a label" and lowered is not None and not (
                "reason" in lowered or _MARK_THEN_SPACE.search(lowered)):
            continue  # every label's mark is followed by a space ("Quote: "), or "Reason 2"
        span = _leak_span(pattern, what, text)
        if span is not None and what == "a file name" and _file_name(
                text.head, *span).lower() in product_text.lower():
            span = None
        if span is not None:
            return Finding("leak", f"{what} ('{text.head[span[0]:span[1]].strip()[:30]}') "
                                   f"leaked from the answer's format into the text")
    return None


_CODE = re.compile(r"`[^`]*`")


def all_caps(text: Text, known: frozenset[str]) -> Finding | None:
    long_token = next((token for token in text.tokens if len(token) > MAX_TOKEN_CHARS), None)
    if long_token is not None:
        return Finding("all-caps" if long_token.isupper() else "babble",
                       f"'{long_token[:24]}...' is {len(long_token)} characters, not a word")
    tokens = text.tokens
    if "`" in text.head:  # code in backticks ("`SELECT COUNT(*)`") is not shouting
        tokens = TOKEN.findall(_CODE.sub(" ", text.head))
    caps = [_caps_token(token, known) for token in tokens]
    if not any(caps):
        return None  # no capitals shouted or made up (most texts)
    run = longest_run(flag == "made-up" for flag in caps)
    shouting = sum(flag == "shouting" for flag in caps)
    shout_run = longest_run(flag == "shouting" for flag in caps)
    if run > MAX_CAPS_RUN:
        return Finding("all-caps", f"a run of {run} ALL-CAPS words")
    if shout_run > MAX_CAPS_RUN or shouting >= MAX_SHOUTED_WORDS:
        return Finding("all-caps", f"{shouting} ordinary words written in ALL CAPS")
    return None


def _caps_token(token: str, known: frozenset[str]) -> str:
    """"shouting" (an everyday word in capitals), "made-up" (an acronym nobody uses), or ""."""
    if token.islower():
        return ""  # no capital at all (most words)
    if token.isascii() and not token.isupper():
        return ""  # a small letter, or no letter at all ("Gridline", "42"): nothing in capitals
    letters = re.sub(r"[^A-Za-z]", "", token)
    if len(letters) < 2 or not letters.isupper() or letters in known:
        return ""
    lowered = letters.lower()
    if lowered in SQL:
        return ""
    if zipf(lowered) >= COMMON_ZIPF - 1.0 and lowered not in _ACRONYM_WORDS and (
            len(letters) > 3 or zipf(lowered) >= COMMON_ZIPF + 1.0):
        return "shouting"  # "REAL", and short everyday words ("NOT", "AN"), not "IT" or "AI"
    breaks_run = token[-1] in ",;:." or len(letters) <= 4  # "OCR, TTS" is a list of acronyms
    return "" if breaks_run else "made-up"
