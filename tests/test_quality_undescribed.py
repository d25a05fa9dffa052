"""A take about a product the description never describes, naming nothing a name check
could catch, is ``wrong-product``; an honest take says the description's words."""

from __future__ import annotations

import pytest

from panelist.quality import GateContext, assess_take

SYNCSUB_TEXT = (
    "SyncSub\nSubtitle timing for streamers.\nFreemium\n"
    "SyncSub re-times subtitle files against a video's audio track. Upload an .srt or .vtt file "
    "with the video or a Twitch VOD link, and SyncSub shifts every cue so it starts within 80 "
    "milliseconds of the spoken line, splits cues longer than 42 characters, and flags lines it "
    "cannot place. It reads English, Spanish, German and Japanese audio. The free plan re-times "
    "3 hours of video a month; Pro is $12 a month for 40 hours and batch uploads. Files are "
    "deleted after 7 days. A desktop app runs on Windows and macOS; there is no mobile app and "
    "no live captioning: it works on recordings only, after the stream has ended.")
ANIMATED_CAPTIONS = (
    "A solo creator records a talking-head clip, drops it into the app, and within minutes has "
    "word-by-word animated captions in bold colours for short vertical videos. The templates "
    "are the fun part, and the auto-zoom on emphasised words makes a flat clip feel edited. "
    "I'd ship it for short-form creators.")


def flags(quote: str, product_text: str = SYNCSUB_TEXT) -> list[str]:
    return assess_take(quote, ["Timing"], "ship", GateContext("SyncSub", product_text)).flags


def test_a_take_about_a_product_the_description_never_describes_is_wrong_product():
    found = flags(ANIMATED_CAPTIONS)
    assert len(found) == 1 and found[0].startswith("wrong-product: it never names SyncSub"), found
    assert "words are ones the description never uses" in found[0]


@pytest.mark.parametrize("quote", [
    "A streamer finishes a four-hour session, uploads the VOD link with last night's .srt, and "
    "gets every cue back within 80 milliseconds of the line, long ones split. That is an "
    "evening of dragging cues saved. I'd ship it, and try it first on a Spanish stream.",
    ANIMATED_CAPTIONS.replace("drops it into the app", "drops it into SyncSub"),
    ANIMATED_CAPTIONS.replace("within minutes", "for $12 a month"),
], ids=["the-descriptions-words", "this-products-name", "this-products-figure"])
def test_a_take_with_the_products_name_figure_or_words_is_not_undescribed(quote):
    assert not any(flag.startswith("wrong-product") for flag in flags(quote))


def test_a_description_of_a_line_or_two_is_too_short_to_judge_a_take_by():
    """Thirty words give an honest take few of its words: the check needs sixty."""
    short = "SyncSub\nSubtitle timing.\nFreemium\nRe-times subtitle files to a video's audio."
    assert not any(flag.startswith("wrong-product") for flag in flags(ANIMATED_CAPTIONS, short))
