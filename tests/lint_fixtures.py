"""Sentences about the two example products, each labelled with the claims in it that the
product file does not ground, to measure the claim finder's precision and recall.

Written by hand for this purpose: grounded sentences paraphrase the product files (numbers and
names included, in other spellings), ungrounded ones add invented figures, money in digits
and in words, versions and names, some where the finder is known to be weak (a name opening
a sentence, a small number in words with a unit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

HAIKU = "claude-haiku-open-weights"
QVAC = "tether-qvac-sdk"


@dataclass(frozen=True)
class Case:
    product: str
    sentence: str
    ungrounded: tuple[str, ...] = ()  # the claims an editor would need to check


CASES = [
    # QVAC, grounded
    Case(QVAC, "QVAC is an open-source SDK from Tether for agents that run on the device."),
    Case(QVAC, "With more than $27B in reserves, Tether can fund a long open-source effort."),
    Case(QVAC, "QVAC Fabric is a fork of llama.cpp, so the model formats will feel familiar."),
    Case(QVAC, "It runs on Linux, macOS, Windows, Android and iOS from one unified API."),
    Case(QVAC, "This is the toolkit for building private apps on the phone."),
    Case(QVAC, "One SDK covers OCR, translation and text-to-speech."),
    Case(QVAC, "The Holepunch stack lets inference be handed off between devices."),
    Case(QVAC, "Honestly, the grants program is the most concrete commitment here."),
    Case(QVAC, "\u201cOffline first\u201d is the pitch. This time it holds up."),
    Case(QVAC, "Tether's reserves, north of 27 billion dollars, buy it time."),
    Case(QVAC, "Decentralized swarms for training are roadmap, not product."),
    Case(QVAC, "It never needs a central server once a model is cached."),
    Case(QVAC, "Two things matter here: offline inference and peer-to-peer sharing."),
    Case(QVAC, "Ship it if you build for air-gapped systems or field work."),
    Case(QVAC, "Paid entry pricing sits oddly next to an Open Source license."),
    Case(QVAC, "Three platforms alone would justify a look; QVAC covers five."),
    Case(QVAC, "Verdict: Ship. The offline path is the reason."),
    Case(QVAC, "(Grants are the carrot.) Then again, payments are the real play."),
    Case(QVAC, "Once cached, a model needs no network at all."),
    Case(QVAC, "One unified API covers seven capabilities, all of them local."),
    # QVAC, ungrounded
    Case(QVAC, "Tether has one million pounds set aside for QVAC grants.",
         ("one million pounds",)),
    Case(QVAC, "The grants program hands out $5M a year.", ("$5M",)),
    Case(QVAC, "It is 40% faster than llama.cpp on phones.", ("40%",)),
    Case(QVAC, "Expect it to be abandoned within eighteen months.", ("eighteen months",)),
    Case(QVAC, "QVAC ships as version 2.1 on PyPI.", ("2.1", "PyPI")),
    Case(QVAC, "Unlike Ollama, it bundles speech-to-text.", ("Ollama",)),
    Case(QVAC, "Google and Apple already ship on-device models.", ("Google", "Apple")),
    Case(QVAC, "A Series B of fifty million dollars funds the team.",
         ("Series B", "fifty million dollars")),
    Case(QVAC, "Over 10,000 developers have signed up.", ("10,000",)),
    Case(QVAC, "It supports twenty languages for translation.", ("twenty languages",)),
    Case(QVAC, "Tether raised two billion dollars for AI.", ("two billion dollars",)),
    Case(QVAC, "Benchmarks show 3x the throughput of cloud APIs.", ("3x",)),
    Case(QVAC, "The SDK needs 8 GB of RAM on Android.", ("8 GB",)),
    Case(QVAC, "Its founder Paolo Ardoino calls it the future of AI.", ("Paolo Ardoino",)),
    Case(QVAC, "A free tier allows a thousand calls a day.", ("a thousand calls",)),
    Case(QVAC, "In 2024 Tether also bought a stake in Northern Data.",
         ("2024", "Northern Data")),
    Case(QVAC, "QVAC runs Llama 3 and Qwen models out of the box.", ("Llama 3", "Qwen")),
    Case(QVAC, "Setup takes three minutes on a fresh laptop.", ("three minutes",)),
    Case(QVAC, "Tether spent \u00a3300,000 on the launch.", ("\u00a3300,000",)),
    Case(QVAC, "It is built by the team behind Keet.", ("Keet",)),
    # Haiku, grounded
    Case(HAIKU, "Anthropic has released Claude Haiku as open weights for research."),
    Case(HAIKU, "Sonnet and Opus stay behind the API."),
    Case(HAIKU, "The license rules out commercial use, so this is for the lab bench."),
    Case(HAIKU, "It is the first time the company has shipped open weights."),
    Case(HAIKU, "Researchers can run it on their own hardware tonight."),
    Case(HAIKU, "This is openness with an asterisk."),
    Case(HAIKU, "Academic work is covered; selling a product built on it is not."),
    Case(HAIKU, "For students and hobbyists, a local Claude-family model is an invitation."),
    Case(HAIKU, "Non-commercial terms fence off revenue. That is the whole story."),
    Case(HAIKU, "If researchers adopt it, the pressure to widen the license grows."),
    Case(HAIKU, "Haiku goes out; Sonnet and Opus stay proprietary."),
    Case(HAIKU, "One download, no API key, no rate limits."),
    Case(HAIKU, "Nobody can yet say whether the local model matches the hosted one."),
    Case(HAIKU, "Bottom line: Anthropic's first open weights are for the lab, not the store."),
    Case(HAIKU, "\u201cResearch use only.\u201d Those are the terms."),
    Case(HAIKU, "It is free, and that is the Free tier in full."),
    # Haiku, ungrounded
    Case(HAIKU, "Llama 3.1 8B and Mistral 7B are fully open by comparison.",
         ("Llama 3.1 8B", "Mistral 7B")),
    Case(HAIKU, "The weights are 16 GB, small enough for a laptop.", ("16 GB",)),
    Case(HAIKU, "Expect Sonnet weights within twelve months.", ("twelve months",)),
    Case(HAIKU, "It scores 85% on MMLU.", ("85%", "MMLU")),
    Case(HAIKU, "Meta spent ten billion dollars on open models.",
         ("Meta", "ten billion dollars")),
    Case(HAIKU, "The license came out in March 2025.", ("March", "2025")),
    Case(HAIKU, "Anthropic charges $0.25 per million input tokens on the API.", ("$0.25",)),
    Case(HAIKU, "A hundred thousand researchers downloaded it in the first week.",
         ("A hundred thousand researchers",)),
    Case(HAIKU, "Hugging Face hosts the download.", ("Hugging Face",)),
    Case(HAIKU, "It was trained on two trillion tokens.", ("two trillion tokens",)),
    Case(HAIKU, "Three researchers at Stanford already fine-tuned it.",
         ("Three researchers", "Stanford")),
    Case(HAIKU, "The model has a context window of 200K tokens.", ("200K",)),
    Case(HAIKU, "Version v2 of the license may allow commercial use.", ("v2",)),
    Case(HAIKU, "It runs on a single RTX 4090.", ("RTX 4090",)),
    Case(HAIKU, "Anthropic will charge five dollars a month for updates.", ("five dollars",)),
]


@dataclass(frozen=True)
class Scores:
    true_positives: int  # flagged claims that overlap a labelled one
    false_positives: int  # flagged claims that overlap none
    false_negatives: int  # labelled claims no flagged claim overlaps
    sentences_flagged_right: int
    sentences_flagged_wrong: int
    sentences_missed: int
    misses: list[str]  # "sentence: claim" for the report

    @property
    def precision(self) -> float:
        return self.true_positives / max(1, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        found = sum(1 for case in CASES for _ in case.ungrounded) - self.false_negatives
        return found / max(1, found + self.false_negatives)

    @property
    def sentence_precision(self) -> float:
        right = self.sentences_flagged_right
        return right / max(1, right + self.sentences_flagged_wrong)

    @property
    def sentence_recall(self) -> float:
        right = self.sentences_flagged_right
        return right / max(1, right + self.sentences_missed)


def _overlaps(a: str, b: str) -> bool:
    return a.lower() in b.lower() or b.lower() in a.lower()


def score(find: Callable[[str, str], list[str]], sources: dict[str, str]) -> Scores:
    """Run ``find(sentence, product text)`` on every case and count against the labels."""
    tp = fp = fn = right = wrong = missed = 0
    misses = []
    for case in CASES:
        flagged = find(case.sentence, sources[case.product])
        for claim in flagged:
            if any(_overlaps(claim, label) for label in case.ungrounded):
                tp += 1
            else:
                fp += 1
                misses.append(f"false positive {claim!r} in {case.sentence!r}")
        for label in case.ungrounded:
            if not any(_overlaps(claim, label) for claim in flagged):
                fn += 1
                misses.append(f"missed {label!r} in {case.sentence!r}")
        if flagged and case.ungrounded:
            right += 1
        elif flagged:
            wrong += 1
        elif case.ungrounded:
            missed += 1
    return Scores(tp, fp, fn, right, wrong, missed, misses)
