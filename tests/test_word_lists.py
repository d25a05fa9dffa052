"""The gate's word lists: wordfreq's own files, read without importing wordfreq (its tokenizers
and language tags cost a tenth of a second of every cold read), give wordfreq's own figures."""

from __future__ import annotations

import pytest
import wordfreq

from panelist.quality import words


@pytest.mark.parametrize(("language", "wordlist"),
                         [("en", "large"), *((lang, "small") for lang in words.OTHER_LANGUAGES)])
def test_each_list_is_wordfreqs_own_word_for_word_and_figure_for_figure(language, wordlist):
    read = words._read_pack(language, wordlist)

    assert read is not None  # read from the file, not through wordfreq
    assert words._frequencies(language, wordlist) == wordfreq.get_frequency_dict(
        language, wordlist=wordlist)


def test_a_list_that_is_not_there_is_asked_of_wordfreq_itself():
    assert words._read_pack("xx", "small") is None
    with pytest.raises(LookupError):  # wordfreq's own answer for a language it lacks
        words._frequencies.__wrapped__("xx", "small")
