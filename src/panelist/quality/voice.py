"""Checks of a take's voice: a reviewer speaking, not an assistant answering a prompt.

- ``chat-wrapper``: "Sure! Here's...", "as requested", "as an AI language model", "Let me know
  if...", talk about the quote, the prompt or the persona;
- ``maker-voice``: the product's maker talking ("We've created...", "we're happy to take the
  data you provide"), not a reviewer;
- ``reader-address``: telling the reader what to do ("you should", "Make sure you...", a
  sentence that opens on an order) instead of saying it in the reviewer's own voice;
- ``prompt-echo``: the persona's brief or the prompt given back: 8 words in a row copied, the
  brief's instructions restated ("You are the panel's...", "my job is to..."), or a paraphrase
  whose content words come from the brief rather than from the product.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from panelist.quality.context import ECHO_WORDS, Profile, Runs
from panelist.quality.findings import Finding
from panelist.quality.starts import Starts
from panelist.quality.words import Text, case_sensitive, folded_copy

_WRAPPER = re.compile(
    r"^\W*(?:(?:sure|certainly|of course|absolutely|okay|ok|alright|great)(?:!|[,.]? (?:here|"
    r"i can|i'd be|i will|i'll|let me|so\b|below))|great question|happy to help|below is)"
    # "Here is the failure: ..." opens a reviewer's scenario; "Here is my take" an answer
    r"|(?:^|[.!?]\s+)(?:below|here) (?:is|are) (?:the|my|a)\b(?! (?:failure|rub|catch|problem|"
    r"thing|trouble|risk|kicker|twist|scenario|test|question|case|math|arithmetic)\b"
    r"| \w+ (?:\w+ )?(?:who|that|where|whose)\b)"  # "Here is the filer who breaks it"
    r"|\bpersona['\u2019]s\b"
    # narration of the writing: "Okay, writing this in the Builder's voice now.", "(End of
    # quote.)"
    r"|^\W*(?:okay|ok|alright|right),? (?:now )?(?:writing|drafting|switching)\b"
    r"|\bin (?:the|my) (?:builder|skeptic|strategist|buyer|creative|dx|persona|reviewer|"
    r"panelist)['\u2019]s voice\b|\bend of (?:the )?(?:quote|take|response|answer|output)\b"
    r"|\b(?<!without )(?:thinking (?:about|through) (?:this|it)|let me think)\b"
    r"|\b(?:here(?:'s| is) (?:my|the|a|your|an)(?: [\w-]+){0,3}? (?:take|review|quote|verdict|"
    r"response|answer|"
    r"summary|assessment|json)|as requested|as you asked|you asked (?:for|me)|per your request|"
    r"as instructed|anything else i can (?:help|do)|would you like (?:me|a|the|another)\b|"
    # a rewrite's chatter: "Here's a revised version, per your feedback:"
    r"(?:here(?:'s| is)|below is) (?:a|an|the|my) (?:\w+ )?(?:revised|rewritten|updated|edited|"
    r"reworked|tightened|shortened|shorter|polished|improved|alternative) (?:version|draft|take|"
    r"quote)\b|(?:per|based on|taking in|incorporating) your (?:feedback|notes|comments|edits)\b|"
    r"^\W*here(?:'s| is) (?:a|my|your) (?:\w+ ){0,2}(?:draft|rewrite|version)\b|here you go\b|"
    r"^\W*here it is\b|i(?:'d| would) be (?:happy|glad) to (?:help|write|review|draft|"
    r"revise|adjust|provide|assist|share|expand|rewrite|tweak)\b|(?:do|would) you want me to\b|"
    r"if you(?:['\u2019]d| would)? (?:like|prefer|want),? i can\b|"
    r"note to (?:the )?editors?\b|to answer your question\b|"
    # a note to the editor: "Before publishing, please double-check the 31% figure..."
    r"\bplease (?:double-check|check|verify|confirm|trim|edit|adjust|fact-check|review) "
    r"(?:the|this|that|my|it)\b|"
    r"\bbrief (?:requires|asks|says|wants|told)\b|to (?:use|publish|share) this review\b|"
    r"the (?:paragraph|text|quote) above\b|to get started, click\b|click (?:the|on the) [\w ]{0,20}"
    r"button\b|"
    r"(?:if (?:useful|helpful|you(?:['\u2019]d)? like),? )?i can also (?:draft|write|add|give|"
    r"provide|expand|share|do)\b|"
    r"as an ai\b|(?:as|am|i'm) an? (?:ai )?language model|(?:as|am|i'm|i am) an ai\b|"
    r"let me know (?:if|what|how)|you['\u2019]re (?:absolutely |totally |quite )?right[!,.]|"
    r"i hope (?:this|that|it) (?:helps|was helpful|is helpful)|hope this helps|"
    r"(?:this|the) review (?:was|is) helpful|in conclusion|to sum (?:it )?up|feel free to|"
    r"happy to (?:help|revise|adjust)|"
    r"i can(?:not|'t) (?:help|provide|review)|i(?:'m| am) (?:unable|not able) to|"
    r"i don't have access|(?<!change )(?<!changes )(?<!changed )"
    r"(?:this|my|the following|the above|the below) (?:quote|take|response|answer|json|output)\b|"
    r"in this (?:review|quote|take),? i\b|"
    r"my (?:prompt|instructions|brief|persona)\b|the (?:instructions|brief|persona)\b|"
    r"the prompt (?:asks|says|wants|told|requires)\b|this persona|"
    r"(?:the|my|this|within a|under a) word (?:limit|count)\b(?!s)|"
    r"words? long\b|(?:under|within|between|in) \d+(?: (?:to|and) \d+)? words|"
    r"per the (?:guidelines|instructions|brief|rules)\b|writing as (?:the|a|an) (?:\w+ )?"
    r"(?:strategist|skeptic|buyer|creative|reviewer|persona|dx)\b|"
    r"in (?:the )?first person|one paragraph|no (?:lists|headings)|"
    r"(?:the|this) product description|as (?:the|a|an) (?:persona|panelist|reviewer on the panel|"
    r"ai))", re.IGNORECASE)
_WRAPPER_FOLDED = case_sensitive(_WRAPPER)
# What every match of ``_WRAPPER`` holds (one of them, lower-cased) but those that open the
# text (``^\W*...``: "Sure! Here's...", matched at the start alone): a text that opens on none
# and holds none is not searched (most quotes)
_WRAPPER_NEEDS = (
    "here is", "here are", "here's", "here you go", "below is", "below are", "persona's",
    "persona\u2019s", "my persona", "the persona", "this persona", "a persona", "an persona",
    "thinking", "let me", "request", "asked", "instruct", "anything else", "would you like",
    "your feedback", "your notes", "your comments", "your edits", "happy", "glad", "want me to",
    "i can", "note to", "brief", "this review", " above", "click", "as an ai", "m an ai", "as a ai",
    "as the ai", "language model", "ai assistant", "right", "hope", "helpful", "in conclusion",
    "to sum", "feel free", "able to", "have access", " quote", " take", " response", " answer",
    " json", " output", "in this", "prompt", "panelist", "word", "per the", "first person",
    "one paragraph", "no lists", "no headings", "product description", "reviewer on the panel",
    "writing as", "s voice", "\u2019s voice", "please ", "your question")

_ADDRESS = re.compile(
    # "Skip unless you only need to read": a condition, not an order
    r"(?<!\bif )(?<!\bunless )(?<!\bwhen )(?<!\bonce )(?<!\buntil )(?<!\bwhether )"
    r"\byou(?:'d| would|'ve)? (?:just |really |simply |also |still |only )?"
    r"(?:should|must|ought to|need to|have to|'ve got to|got to|'d better|better)\b"
    r"|\b(?:i (?:recommend|suggest|urge|advise)|i'd (?:recommend|suggest|urge|advise)) "
    r"(?:that )?you\b|\bmake sure (?:you|to)\b|\bbe sure to\b|\bdon't forget\b|\bremember to\b"
    r"|\b(?:before|when) (?:reading (?:on|this|further)|you read)\b|\bkeep reading\b"
    r"|(?:^|[.!?]\s+)before you (?:decide|buy|sign|commit|choose|pick|start)\b"
    r"|\bonce you['\u2019]ve done (?:that|this)\b"
    r"|(?:^|[.!?]\s+)(?:dear )?reader[:,]|(?:^|[.!?]\s+)remember(?::|,? readers?\b)"
    r"|(?:^|[.!?:]\s+)always (?:run|test|check|keep|read|use|start|try|pilot|back up)\b"
    r"|\b(?:do|complete|follow) (?:the following|these steps|the steps below)\b"
    , re.IGNORECASE)
# What the take names, then "you have to...": a relative clause, not an order ("some glue you
# have to write and maintain yourself", "everything you need to know")
_OBLIGED = re.compile(r"\b(?:have|need) to\b", re.IGNORECASE)
RELATIVE_CHARS = 40
_RELATIVE = re.compile(r"\b(?:(?:the|a|an|some|any|every|each|much|more|less|extra)(?: [\w-]+)?"
                       r" (?!(?:because|since|as|so|and|but|or|if|when|then|until|unless)\b)"
                       r"[\w-]+|everything|anything|something|nothing|all|what) $", re.IGNORECASE)
# What every match of ``_ADDRESS`` holds, one of them (lower-cased): a text holding none is not
# searched (most quotes)
_ADDRESS_NEEDS = ("should", "must", "ought to", "need to", "have to", "got to", "better",
                  "recommend", "suggest", "urge", "advise", "make sure", "be sure",
                  "don't forget", "remember", "reading", "you read", "reader", "following",
                  "steps", "before you", "you've done", "you\u2019ve done", "always ")
# A sentence that opens on an order to the reader, or on one of the brief's own instructions.
# The brief's own instructions, which no reviewer's sentence or note opens on ("Never invent
# features", "Open by naming what this competes with")
_BRIEF_INSTRUCTIONS = (
    r"never (?:invent|use|make|say|pad|add|name)|open by|close with|name (?:the|what|one)|"
    r"describe (?:the|a|what)|judge only|point at|write (?:a|the|in|one|your)|"
    r"keep (?:it|the quote)|focus on|mention (?:the|it|that)|include (?:the|a|one)|answer with|"
    r"use only|be (?:fair|dry|concrete|specific|honest)|say (?:what|so)")
_BRIEF_ORDER = re.compile(rf"^\W*(?:{_BRIEF_INSTRUCTIONS})\b", re.IGNORECASE)
_ORDER = re.compile(
    # "Consider a judge's standing order that..." sets a scene; "Consider it" is an order
    r"^\W*(?:make sure|be sure|remember (?:to|that)|try(?! (?:a|an|the)\b)|check (?:it|out|the)|"
    r"go (?:and|with|for)|consider(?! (?:a|an|the|what|how)\b)|"
    r"(?:download|install|sign up)(?= (?:it|now|today|\w+ now))|"
    r"choose|use (?:it|this|them)|"
    r"give it|grab|stick with|avoid (?:it|this)|stay away|don't (?!get me wrong)|"
    rf"do not|{_BRIEF_INSTRUCTIONS})\b",
    re.IGNORECASE)
_BRIEF_VOICE = re.compile(
    # "Skip unless you are a Magento store": a condition, not the brief
    r"(?<!\bif )(?<!\bunless )(?<!\bwhen )(?<!\bonce )(?<!\bwhether )"
    r"\byou are (?:a|an|the|not (?:just|only|merely|a|an|the)|now|\w+ the panel)\b"
    # "your job is to...", not the reader's own ("Wiring is your job", "it's your call")
    r"|\byour (?:lens|brief)\b|\byour (?:job|role|task|call) (?:is to|here|as)\b"
    r"|\bmy (?:job|role|task) (?:is to|here|as)\b|\bmy (?:lens|brief|instructions) (?:is|here|as)\b"
    r"|\bi should (?:state|open|close|name|keep|label|zoom|judge|write|end|start)\b"
    r"|\bi (?:was|am|'m) "
    r"(?:told|instructed|supposed) to\b|\bi (?:was|am|'m) asked to (?:write|give|judge|play|"
    r"act|be|draft|keep|produce|review|name|open|close)\b|\bthe panel's\b"
    # "As the skeptic, ...", not "what I like as a buyer is..."
    r"|(?:^|[.!?]\s+)as (?:the|a) (?:panel'?s? )?"
    r"(?:professional )?(?:doubter|skeptic|buyer|strategist|creative|reviewer)\b"
    r"|\bas (?:the|a|an|your) (?:[\w-]+ ){0,2}(?:reviewer|persona|panelist)\b",
    re.IGNORECASE)
_BRIEF_VOICE_NEEDS = ("you are", "your ", "my ", "i should", "told", "instructed", "supposed",
                      "asked to", "the panel's", "doubter", "skeptic", "buyer", "strategist",
                      "creative", "reviewer", "persona", "panelist")
# The maker's voice, not a reviewer's: "We've created a product...", "we're happy to take the
# data you provide", "We offer no refunds", "I'm not a product". A reviewer's "we" adopts
# ("we'd ship it", "our archive"); it does not build, offer or deliver the product.
_MAKER = re.compile(
    r"\bwe(?:['\u2019]ve| have| are|['\u2019]re| will|['\u2019]ll)? (?:just |also |now |already )?"
    r"(?:got everything|created|built|designed|developed|launched|offer(?:ed)?|provide[ds]?|"
    r"deliver(?:ed)?|bring you|ship orders|(?:proud|happy|excited|thrilled|here) to|"
    r"been doing this)\b|\bour (?:product|platform|customers|service|offering)\b"
    r"(?! (?:team|teams|engineers?|group|lead|org|budget))"
    r"|\bI['\u2019]m not a (?:product|person|human)\b|what we(?:['\u2019]re| are) here for"
    r"|\bto the best of our (?:abilit(?:y|ies)|knowledge)|\bwe (?:firmly )?believe\b",
    re.IGNORECASE)
# searched in a lower-cased ASCII text, only where one of its alternatives opens ("we", "our")
_MAKER_STARTS = Starts(folded_copy(_MAKER))
# (every "we" of it is followed by a space or an apostrophe: "between", "power" hold no match)
_MAKER_NEEDS = ("we ", "we'", "our ", "m not a ")
# "Install it on a public repo tonight": the reviewer's call, said as a recommendation
_RECOMMENDATION = re.compile(r"^\W*(?:try|install|download|sign up)\b[^.!?;]{0,60}\b(?:tonight|"
                             r"today|this week|now)\b", re.IGNORECASE)
# "Give it a maintainer with a paid tier and I'd look again": a condition, not an order
_THEN_I_WOULD = re.compile(r"\band I(?:['\u2019]d|['\u2019]ll| would| will)\b", re.IGNORECASE)
RECIPE_COMMAS = 2  # "Install it, drop a config in, open a PR, and...": steps told, not orders
MIN_BRIEF_SHARE = 0.38  # of the content words: this many from the brief and not the product,
MIN_SHARED_PAIRS = 3  # with this many adjacent content-word pairs straight out of the brief;
MIN_BRIEF_PAIRS = 6  # or this many pairs alone (honest takes share 0-4 with their brief)


# A few words in quotation marks inside the text: what somebody says ('can't say "this answer
# is wrong" in any way it records'), not the take's own voice
_QUOTED = re.compile(r"(?<=\w )[\"\u201c][^\"\u201c\u201d]{1,60}[\"\u201d]")


def chat_wrapper(text: Text) -> Finding | None:
    opening = None if text.folded is None else _WRAPPER_FOLDED.match(text.folded)
    span = (opening.span() if opening is not None
            else text.search(_WRAPPER, _WRAPPER_FOLDED) if text.may_hold(_WRAPPER_NEEDS)
            else None)
    if span is not None and opening is None and _in_quotation_marks(text.head, span):
        unquoted = _QUOTED.sub(lambda found: " " * len(found.group(0)), text.head)
        match = _WRAPPER.search(unquoted)
        span = None if match is None else match.span()
    if span is None:
        return None
    return Finding("chat-wrapper", f"'{text.head[span[0]:span[1]].strip()}' is an assistant "
                                   f"talking about its answer, not a reviewer")


def maker_voice(text: Text) -> Finding | None:
    maker = (None if not text.may_hold(_MAKER_NEEDS)
             else _MAKER_STARTS.search(text.folded) if text.folded is not None
             else _MAKER.search(text.head))
    if maker is not None:
        start, end = maker.span()
        return Finding("maker-voice", f"'{text.head[start:end]}' speaks as the product's "
                                      f"maker, not as a reviewer")
    match = (_TO_THE_MAKER.search(text.head) if text.may_hold(_TO_THE_MAKER_NEEDS)
             else None)
    if match is not None:
        return Finding("maker-voice", f"'{match.group(0).strip(' .!?')}' speaks to the "
                                      f"product's maker, not to the site's readers")
    return None


# "Your product is a lightweight SDK...": the take written to the maker (not "unless your app
# is already Rust", the reader's own product)
_TO_THE_MAKER = re.compile(r"(?:^|[.!?]\s+)your (?:product|sdk|tool|platform|api|app|service|"
                           r"release|launch) (?:is|has|offers|lets|allows|provides|gives)\b",
                           re.IGNORECASE)
_TO_THE_MAKER_NEEDS = ("your ",)


def reader_address(text: Text, *, orders: bool = True) -> Finding | None:
    """``orders=False`` for the reasons, whose notes may open on a verb ("Check the SLA"), but
    not on one of the brief's instructions."""
    match = next((found for found in _ADDRESS.finditer(text.head) if not (
        _OBLIGED.search(found.group(0))
        and _RELATIVE.search(text.head, max(0, found.start() - RELATIVE_CHARS), found.start()))),
        None) if text.may_hold(_ADDRESS_NEEDS) else None
    if match is None and not orders:
        match = next((found for sentence in text.sentences
                      if (found := _BRIEF_ORDER.match(sentence)) is not None), None)
    if match is None and orders:
        match = next((found for sentence in text.sentences  # not a walk-through of steps
                      if (found := _ORDER.match(sentence)) is not None
                      and sentence.count(",") < RECIPE_COMMAS
                      and not _RECOMMENDATION.match(sentence)
                      and not _THEN_I_WOULD.search(sentence)), None)
    if match is None:
        return None
    return Finding("reader-address", f"'{match.group(0).strip()}' tells the reader what to do; "
                                     f"say it in the reviewer's own voice")


def prompt_echo(text: Text, profile: Profile, *, against_prompt: bool = True
                ) -> Finding | None:
    """``against_prompt=False`` for the reasons, which may copy the product's facts."""
    copied = _copied_run(text, profile.prompt_runs if against_prompt
                         else Runs(profile.brief_grams))
    if copied:
        return Finding("prompt-echo", f"'{copied}...' is copied from the prompt")
    match = _BRIEF_VOICE.search(text.head) if text.may_hold(_BRIEF_VOICE_NEEDS) else None
    if match is not None:
        return Finding("prompt-echo", f"'{match.group(0)}' restates the persona's brief")
    if not against_prompt:  # reasons are notes on the brief's own criteria
        return None
    stems = text.content_stems
    if len(stems) < 8 or not profile.brief_stems:
        return None
    from_brief = [s for s in stems if s in profile.brief_stems]
    pairs = {pair for pair in pairwise(stems) if pair in profile.brief_pairs}
    share = len(from_brief) / len(stems)
    if ((share >= MIN_BRIEF_SHARE and len(pairs) >= MIN_SHARED_PAIRS)
            or len(pairs) >= MIN_BRIEF_PAIRS):
        sample = ", ".join(sorted(set(from_brief))[:5])
        return Finding("prompt-echo", f"{share:.0%} of its content words ({sample}) come from "
                                      f"the persona's brief, not the product")
    return None


def _copied_run(text: Text, runs: Runs) -> str:
    words = text.lowered
    openings = _openings(runs.grams)
    starts = max(len(words) - ECHO_WORDS + 1, 0)
    for start, opening in enumerate(pairwise(words[:starts + 1])):
        if opening in openings and runs.copied(tuple(words[start:start + ECHO_WORDS])):
            return " ".join(text.words[start:start + ECHO_WORDS])
    return ""


@lru_cache(maxsize=64)
def _openings(grams: frozenset[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
    """The two words the runs open on: a run is looked for only where they are said (a run's
    first word alone is often "the" or "a")."""
    return frozenset(gram[:2] for gram in grams)


def _in_quotation_marks(head: str, span: tuple[int, int]) -> bool:
    return any(found.start() <= span[0] and span[1] <= found.end()
               for found in _QUOTED.finditer(head))
