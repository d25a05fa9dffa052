"""The calls a quote makes in so many words: "I'd skip it", "ship it", "should not use", and
what the reviewer says they or the reader will do ("I'm moving our jobs over", "I'd steer
clients elsewhere", "every legal team should have it", "there is no path here I would bet on").

A call made on a condition ("I'd ship it once...", "For offline apps, skip") is one side of a
concession, not the take's call; an intent to use something *instead* ("I'd point them at
Spellbook instead") is a call against this product.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from panelist.quality.starts import Openings, Starts
from panelist.quality.words import folded_copy

Call = Literal["ship", "skip"]
_NOT = r"(?:should|would|could|will)(?: not|n['\u2019]t)|never|won['\u2019]t"
# "It doesn't run on Windows" states a fact; "I don't recommend it" makes a call
_DO_NOT = r"(?:do|does|can)(?: not|n['\u2019]t)|cannot"
_CALLS: dict[Call, re.Pattern[str]] = {
    "skip": re.compile(
        rf"\b(?:{_NOT}) (?:use|adopt|ship|buy|try|recommend|trust|pick|deploy|"
        r"spend|pay for|bet on|put (?:a|any|money|budget)|host|run)\b"
        # "I wouldn't bother", not "a moat a general app won't bother to dig"
        rf"|\b(?:(?<=\bI )|(?<=\bwe )|(?<=\byou )|(?<=\bI'd )|(?<=\bI\u2019d ))(?:{_NOT}) bother\b"
        # "I won't move", "we wouldn't migrate"; not the customers' lock-in ("once the archive
        # lives there they won't move", "a director who builds a curriculum in it won't move")
        rf"|\b(?:(?<=\bI )|(?<=\bwe ))(?:{_NOT}) (?:move|migrate)\b"
        rf"|\b(?:{_DO_NOT}) (?:recommend|trust|bother|buy|pay for|bet on|"
        r"put (?:a|any|money|budget))\b"
        r"|(?:^|[.!?]\s+)absolutely not\b|\bsend (?:it|this(?: one)?) back\b"
        r"|\b(?:watch|wait) rather than (?:commit|buy|adopt|sign)|\bwait and see\b"
        r"|\b(?:skip (?:it|this)|pass on (?:it|this)|(?<!reason to )stay away|avoid (?:it|this)|"
        r"hold off|"
        r"(?:is|isn['\u2019]t|are|not) (?:yet )?(?:not )?ready for (?:production|use)|"
        r"not worth (?:it|adopting|using|the)|I['\u2019](?:d|ll) skip|I (?:would|will) skip|"
        r"I skip|(?:it['\u2019]s|it is|that['\u2019]s|this is) a (?:hard |clear |firm )?"
        r"(?:skip|pass)\b(?! (?:on|if)\b)(?! for (?!me\b|us\b|now\b))|"
        # "My skip is about fit", "the skip is for anyone bigger"
        r"my skip\b|"
        r"(?<=\bthe )skip is\b|I lean skip|"
        # "as a learning tool, the free version is a skip"
        r"(?<=\bis )a (?:hard |clear |firm )?skip\b(?![-\w])(?! (?:on|if)\b)"
        r"(?! for (?!me\b|us\b|now\b))|"
        r"my call is skip|(?:call|verdict)(?: is| here is)?[:\s]+skip|I['\u2019]m skipping|"
        r"wait for (?:v2|version 2|a stable|the next|a real)|a hard pass|I['\u2019]d pass|"
        r"steer clear|look elsewhere|save your money|(?:can(?:no|')t|won't|would(?:n't| not)) "
        r"recommend|no reason to (?:switch|adopt|use)|not (?:yet )?ready|bad deal|"
        r"I['\u2019]m not convinced|not for me|non-starter|no-go|"
        r"more trouble than (?:it['\u2019]s|it is) worth|"
        r"better off (?:spending|putting|keeping|sticking|staying)|"
        r"(?:should|would|will) (?:hold off|pass on it)|"
        r"(?:wouldn['\u2019]t|would not|won['\u2019]t) (?:install|let it near|"
        r"put (?:it|this|them) (?:in|near)|"
        r"go near|sign|renew))\b"
        r"|\bI (?:wouldn['\u2019]t|would not|won['\u2019]t|will not) touch (?:it|this|them)\b",
        re.IGNORECASE),
    "ship": re.compile(
        # "the platforms I ship to" is where a developer ships their own work, not a call
        r"\b(?:ship it|I['\u2019]d ship|I would ship|I ship(?! (?:to|on|in|into|with|from)\b)|"
        r"must[- ]have|highly recommend|"
        r"I recommend (?:it|this|using|adopting)|go for it|(?<!not )worth adopting|"
        r"(?:call|verdict)(?: is| here is)?[:\s]+ship|no[- ]brainer|"
        r"(?:easy|confident|clear|firm|resounding) (?:yes|signature|sign-off)|the real deal|"
        r"prints money|(?:hard|difficult) to see (?:a|the|any) downside|"
        r"look(?:ed|ing)? for the catch and (?:didn['\u2019]t|did not|couldn['\u2019]t)|"
        r"I['\u2019]d (?:adopt|use|pick|buy) (?:it|this)|(?<!not )worth (?:a try|trying|it)|"
        r"clear winner|easy recommendation|ready for production|I['\u2019]m sold|"
        r"(?<!nobody )(?<!no one )should (?:pull|grab|download|try|adopt|pick up|use|buy) "
        r"(?:it|this)|(?<!nobody )(?<!no one )should pick (?:it|this) up|I lean ship|"
        r"I['\u2019]d back it|back it with my own|roll (?:it|this) out|"
        r"(?:it['\u2019]s|it is|that['\u2019]s) an? "
        r"(?:clear |easy )?ship\b|"
        r"can(?:no|['\u2019])t wait to (?:see|use|try|get|roll|start)|"
        # "Our CFO would sign this in a heartbeat", not "would sign it if..."
        r"(?<!nobody )(?<!no one )would (?:sign|buy|renew|approve) (?:it|this|that)"
        r"(?![^.!?;]*\b(?:if|once|when|unless|until|before)\b))\b",
        re.IGNORECASE),
}
# A call on a condition is a concession: "I'd ship it once...", "skip it if you need...".
# "Should not use it until..." is still a skip today.
_CONDITION: dict[Call, re.Pattern[str]] = {
    "ship": re.compile(r"^\W*(?:\w+\W+){0,4}?(?:if|once|when|unless|until|after|as soon as|"
                       r"the day|the moment|only if|for(?! (?:our|my|us|me|her|him|the whole)\b)|"
                       r"on (?:a|an) (?:side|hobby|personal|weekend|toy|test|pilot|demo|"
                       r"prototype|spare))\b",  # "I'd use it on a side project, but..."
                       re.IGNORECASE),  # "worth it for X", not "I'd sign it for our team"
    "skip": re.compile(r"^\W*(?:\w+\W+){0,4}?(?:if|unless|when|only if|for (?:anyone|anybody|"
                       r"those|people|teams?|users?|shops?|companies|developers|\w+ (?:teams?|"
                       r"users?|shops?|developers)))\b",
                       re.IGNORECASE),  # "I'd skip it for anyone on LibreOffice"
}


# A verdict said as a sentence of its own: "Skip.", "Easy ship.", "Ship; I'd try it on...",
# "Skip until there are per-language results." (a skip with its condition is still a skip).
_BARE_CALL = re.compile(r"(?:^|[.!?;:]\s+|,\s+)(?:(?:an? )?(?:easy|clear|hard|firm|quick|solid) )?"
                        r"(ship|skip|pass|wait(?=\s*(?:[.!;]|$)))(?:\s+(?:it|this(?: one)?|for now|"
                        r"today|now|from me|from my seat|from where I sit))?"
                        r"(?=\s*(?:[.!;:,]|$)|\s+(?:until|unless|for|on|as|if|when|and)\b)",
                        re.IGNORECASE)  # "Pass." is a skip; "Skip if you want..." a condition


# "Playwright teams, ship; everyone else, wait": a call to the readers it names
_ADDRESSED = re.compile(r"(?:^|[.!?;:]\s+)(?:[\w-]+ ){0,3}(?:teams|shops|users|developers|devs|"
                        r"studios|companies|firms|clinics|practices|groups|else|others|"
                        r"everyone|anyone),$", re.IGNORECASE)


_LEADING_CONDITION = re.compile(r"\W*(?:if|for(?! now\b| me\b| us\b)|unless|when|where|once|"
                                r"until|anyone|those)\b",
                                re.IGNORECASE)


def _conditioned(text: str, start: int, side: Call = "ship") -> bool:
    """The call's sentence opens on a condition: "For offline apps, skip", "If you need X,
    ship it", "Give me one documented failure prevented and I'll build the case": one side of a
    concession, not the take's call. "Until someone tests it, I wouldn't let it near
    production" is still a skip today."""
    opening = max(text.rfind(stop, 0, start) for stop in ".!?;") + 1
    if _ON_A_DEMAND.match(text, opening, start):
        return True
    leading = _LEADING_CONDITION.match(text, opening, start)
    return leading is not None and not (side == "skip" and _NOT_YET.match(leading.group(0)))


# "Take it out of beta or halve the price and I'd sign": an order, then the call it would earn
_ON_A_DEMAND = re.compile(r"\W*(?:give|take|show|halve|cut|drop|add|fix|publish|lower|prove|"
                          r"open|ship|make|get)\b[^.!?;]*\band\s+$", re.IGNORECASE)


_FOR_WHOM = re.compile(r",?\s+(?:for|on|unless|if|when)\b", re.IGNORECASE)
_NOT_YET = re.compile(r"\W*(?:until|once)\b", re.IGNORECASE)


# What the reviewer, or the reader they address, will do with the product. A subject, a few
# hedging adverbs at most, then the verb: a negation ("I wouldn't", "I'd not") never matches.
_WHO = (r"(?:I['\u2019]d|I (?=sign|buy|pay|recommend|use)|I would|I['\u2019]ll|I will|"
        r"I['\u2019]m|I am|we['\u2019]ll|we will|"
        r"we['\u2019]d|we would|we['\u2019]re|we are|you should|"
        r"every(?:one|body| \w+)?(?: \w+){0,4}? should)")
_HEDGE = r"(?:(?:happily|gladly|also|still|now|then|already|definitely|certainly|probably|" \
         r"readily|quickly|immediately|confidently) |" \
         r"be (?:comfortable|happy|glad|keen) (?:to )?)?"
_INTENTS: dict[Call, re.Pattern[str]] = {
    "ship": re.compile(
        rf"\b{_WHO} {_HEDGE}(?:point|send|tell|recommend|mov|switch|sign|start|roll|"
        r"put(?! (?:it|this|them) (?:up )?(?:against|next to|beside|alongside))|"
        r"adopt|buy|use|using|deploy|bring|add|pay(?:ing)? for|install|migrat|bet on|back|"
        r"mak(?!e (?:that|this|the|a) (?:point|case|argument))|"  # "I'd make that point to..."
        r"keep(?! walking| (?:my|our)\b| (?:it|this|them) (?:well )?away| (?:a |an )?(?:close )?"
        r"eye)|turn|hav(?!e to|ing to|e (?:\w+ed|kept|been|gone|done|made|left|put|built|spent|"
        r"chosen|stayed|held|had|taken|given|bought|sold)\b)|"
        r"get|copy|reach for|standardi[sz]|licen[cs]|choos|pick|order|"
        r"budget|"
        r"renew|subscrib|hand|be on (?=this|it|board)|"
        r"rebuild|build)(?:e|es|s|ed|ing)?\b"
        r"|\bgo(?:es|ing)? (?:straight )?in(?:to)? (?:the|our|my) (?:\w+['\u2019]s )?(?:\w+ )?"
        r"(?:toolkit|stack|workflow|pipeline|kit|rotation|CI|tooling)\b"
        r"|\b(?<!to )earns? (?:a|its) (?:place|spot|slot|seat)"
        r"|\b(?:become|becomes|make it|making it) the default"
        r"|\bswitch(?:ing)? to it\b|\bworth every (?:penny|cent|pound|dollar)"
        r"|\bthe (?:one|\w+(?: \w+)?) to (?:buy|pick|choose)\b|\bthe one to beat\b|\bages? well\b|"
        r"\bwithout hesitation\b|\bshould pick (?:it|this) up\b|"
        r"\bgo(?:es)? on (?:every|all|our|my)\b|\bno complaints\b|"
        r"\b(?:hard to find|can['\u2019]t find|no) (?:a |any )?reason not to\b|"
        r"\b(?:will|['\u2019]ll) be glad\b|\bsurprised if (?:it|this|they) (?:doesn['\u2019]t|does "
        r"not|didn['\u2019]t|won['\u2019]t|isn['\u2019]t)\b"
        r"|(?:^|[.!?;]\s+)(?:go and )?(?:pick|grab|get|try|install|download|adopt) (?:it|this)"
        r"(?: up)? "
        r"(?:now|today|tonight|this week)\b",
        re.IGNORECASE),
    "skip": re.compile(
        rf"\b{_WHO} {_HEDGE}(?:wait|hold(?! (?:\w+ )?against)|pass|refuse|decline|reject|"
        r"stick with|stay with|"
        r"stay on|keep using|keep (?:my|our)|keep (?:it|this|them) (?:well )?away|"
        r"keep paying|look elsewhere|revisit|come back|check back|go back|switch back|"
        r"be (?:cautious|wary|careful|sceptical|skeptical))\b"
        r"|\bsteer(?:ing)? (?:\w+ )?(?:elsewhere|away|clear)|\bkeep walking\b"
        r"|(?<!hard to )(?<!difficult to )(?<!impossible to )\bwalk away\b(?! with)"
        r"|\b(?:nobody|no one)(?: \w+){0,6} should (?:pay for|buy|use|adopt|bother)\b"
        r"|(?:^|[.!?]\s+)(?:a )?(?:hard |flat |firm )?no[.!]?\s*$"
        r"|(?:^|[.!?]\s+)(?:for (?:me|us|now),\s*)?not (?:this one|for me|for us|yet)[.!]?\s*$"
        r"|\bkeep (?:it|this|them) out of"
        r"|\b(?:cautious|wary) (?:about|of) (?:building|betting|adopting|using|buying|it|this)"
        r"|\bdrift(?:s|ed|ing)? back|\bcan['\u2019]t think of (?:a|an|any|anyone|one)"
        r"(?! (?:better|kinder|nicer|cheaper|simpler|easier|faster|safer|smarter|cleaner|"
        r"clearer|stronger|sharper|lighter|more|\w+est)\b)"  # praise
        r"|\bno (?:\w+ ){1,2}(?:here )?(?:I['\u2019]d|I would|I could|to) (?:bet on|defend|"
        r"back|recommend|build on)"
        r"|\b(?:struggle|hard|difficult) to (?:see|justify|recommend|get (?:it|this) signed)"
        r"|\bnot (?:yet )?convinced|\bpass for now|\bno deal\b|\bwould be mad to\b"
        r"|\bnot sure I could (?:put my name|recommend|back|sign|justify)"
        r"|\blet (?:it|this(?: one)?) (?:go by|pass|go)\b|\bwrong (?:shop|fit|tool|choice|bet)\b"
        r"|(?:^|[.!?]\s+)avoid\.?$"
        r"|\bleave (?:it|this(?: one)?) (?:on the shelf|alone)"
        r"|\bstays? out of (?:reach|our|my|the)\b"
        r"|\bnothing (?:here )?(?:to|I(?:['\u2019]d| would| could)) "
        r"(?:integrate|use|adopt|buy|recommend|build on|bet on|back)\b",
        re.IGNORECASE),
}
# "Sites on SAP EWM should try it", "Zendesk teams without that constraint should try it":
# a call for the readers the clause names, one side of a concession
_SOME_READERS = re.compile(r"\b(?:on|with|without|who|using|running|whose)\b", re.IGNORECASE)


_EVERY_READER = re.compile(r"\W*(?:every|all|any)\b", re.IGNORECASE)


def _for_some(text: str, start: int, words: str) -> bool:
    if not words.lower().startswith("should"):
        return False
    opening = max(text.rfind(stop, 0, start) for stop in ".!?;") + 1
    if _EVERY_READER.match(text, opening, start):
        return False  # "Every fleet on Samsara or Geotab should try it": the whole market
    return bool(_SOME_READERS.search(text, opening, start))


# "I'd want a monthly option before I'd sign": the call waits on what comes first
_AFTER_A_CONDITION = re.compile(r"\b(?:before|until|unless|once|if|when)\s+$", re.IGNORECASE)
# "I don't think the trade is worth it": the call doubted in its own clause
_DOUBTED = re.compile(r"\b(?:don['\u2019]t|do not|doesn['\u2019]t|does not|didn['\u2019]t) "
                      r"(?:think|believe|expect|see)\b|\bnot sure\b|\bdoubt\b|\bnobody\b|"
                      r"\bno one\b", re.IGNORECASE)
# "I'd pick the platform that covers...", "I'd bet on the scanner with more hands": a choice
_A_CHOICE = re.compile(r"\s*(?:the|a|an|whichever|another)\b[^.!?;,]*\b(?:that|which|with|who)\b",
                       re.IGNORECASE)
# "staff who won't install another app": what someone else does, not the reviewer's call
_SOMEONE_ELSE = re.compile(r"\b(?:who|that|which|whose)\s+$", re.IGNORECASE)
# An intent to use something else: "I'd point them at Spellbook instead".
_ELSEWHERE = re.compile(r"\b(?:instead|rather|elsewhere|back to|somewhere else|an alternative|"
                        r"a different|out of|to wait|hold off|keep (?:writing|using|doing|running|"
                        r"paying for)|stick with|stay with|by hand)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.!?;]|\bbut\b", re.IGNORECASE)


# "I can't think of a maker I'd send here", "a feature I'd build on this and couldn't": the
# intent is denied in its own clause.
_DENIED = re.compile(r"\b(?:not|never|no|nobody|none|nothing|cannot|hardly)\b|n['\u2019]t\b",
                     re.IGNORECASE)


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The words of the match's clause (a sentence's part, at most ``CLAUSE_CHARS`` either
    side) before ``start`` and after ``end``."""
    window = max(0, start - CLAUSE_CHARS)
    opening = window
    for stop in _CLAUSE_END.finditer(text, window, start):
        opening = stop.end()
    closing = _CLAUSE_END.search(text, end, end + CLAUSE_CHARS)
    return text[opening:start], text[end:closing.start() if closing else end + CLAUSE_CHARS]


CLAUSE_CHARS = 240  # bounds each look around a call: the check stays linear in the text


def _unconditional(text: str, side: Call, start: int, end: int, words: str) -> bool:
    """Neither a condition after the call ("I'd ship it once...") nor before it: its sentence's
    opening, the readers it names, or a "before"/"if" just ahead ("before I'd sign")."""
    return not (_CONDITION[side].match(text[end:end + 40]) or _conditioned(text, start, side)
                or _for_some(text, start, words)
                or _AFTER_A_CONDITION.search(text, max(0, start - 12), start))


def explicit_calls(text: str) -> dict[Call, list[str]]:
    """The unconditional calls the text makes in so many words, by side."""
    return read_calls(text)[0]


# the whole-text patterns, searched lower-cased where their openings are (``_found``)
_FOLDED = {pattern: Starts(folded_copy(pattern))
           for pattern in [*_CALLS.values(), *_INTENTS.values()]}


_OPENINGS = Openings(list(_FOLDED.values()))  # looked for once for the four


def _found(pattern: re.Pattern[str], text: str, lowered: str | None,
           held: dict[Starts, list[int]]) -> list[re.Match[str]]:
    """``pattern.finditer(text)``: in ASCII text (``lowered``: lower-cased, None when not
    ASCII), found lower-cased by its folded copy where one of its alternatives opens
    (``Starts``; ``held``: where the openings are), each match then read in the text as
    written, at the place it was found."""
    if lowered is None:
        return list(pattern.finditer(text))
    found = []
    folded = _FOLDED[pattern]
    for place in folded.finditer(lowered, held[folded]):
        match = pattern.match(text, place.start())
        assert match is not None and match.end() == place.end(), pattern
        found.append(match)
    return found


@lru_cache(maxsize=64)
def read_calls(text: str) -> tuple[dict[Call, list[str]], set[Call]]:
    """The unconditional calls by side, and the sides also called on a condition ("for
    anything user-facing, I'd skip"). Read once per text: the stance checks ask twice.
    Callers read the answer and never change it."""
    calls: dict[Call, list[str]] = {"ship": [], "skip": []}
    conditioned: set[Call] = set()
    lowered = text.lower() if text.isascii() else None
    held = {} if lowered is None else _OPENINGS.held(lowered)

    def said(side: Call, start: int, end: int, words: str) -> None:
        if _unconditional(text, side, start, end, words):
            calls[side].append(words)
        else:
            conditioned.add(side)

    for side, pattern in _CALLS.items():
        for match in _found(pattern, text, lowered, held):
            if _SOMEONE_ELSE.search(text, max(0, match.start() - 8), match.start()):
                continue
            if side == "ship" and _DOUBTED.search(_clause(text, match.start(), match.end())[0]):
                continue  # "I don't think the trade is worth it", "Nobody on a team should use it"
            words = match.group(0).lstrip(".!? \t\n")  # a pattern may open on the last stop
            said(side, match.end() - len(words), match.end(), words)
    for side, pattern in _INTENTS.items():
        for match in _found(pattern, text, lowered, held):
            words = match.group(0).lstrip(".!? \t\n")
            start = match.end() - len(words)
            before, after = _clause(text, start, match.end())
            before = before[before.rfind(",") + 1:]  # "I don't see X, and I'd be surprised if..."
            if side == "ship" and _A_CHOICE.match(after):
                continue  # "I'd bet on the scanner with more hands": a choice among rivals
            if side == "ship" and (_ELSEWHERE.search(after) or _CALLS["skip"].search(after)):
                # "I'd point them at Ollama instead", "I'd tell my team to stay away"
                said("skip", start, match.end(), words)
            elif not (side == "ship" and _DENIED.search(before + after)):
                said(side, start, match.end(), words)
    for match in _BARE_CALL.finditer(text):
        bare: Call = "ship" if match.group(1).lower() == "ship" else "skip"
        if (_conditioned(text, match.start(1), bare) or _FOR_WHOM.match(text, match.end())
                or _ADDRESSED.search(text, max(0, match.start() - 60), match.start() + 1)):
            conditioned.add(bare)  # "Ship for Python teams now", "Skip on Windows"
        else:
            calls[bare].append(match.group(0).strip(" .!?,"))
    return calls, conditioned
