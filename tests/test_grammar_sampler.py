"""Grammar-constrained decoding checks the grammar on the drawn token and still obeys it: the real
bundled model through llama-cpp-python, a few seconds each."""

from __future__ import annotations

import json
import re

import pytest

from panelist.backends.grammar_sampler import GrammarCheckedSampler
from panelist.backends.local import bundled_model, llama_cpp_installed, load_llama
from panelist.models import Persona, Take, take_strict_schema

pytestmark = [
    pytest.mark.local_model,
    pytest.mark.skipif(not llama_cpp_installed(),
                       reason="llama_cpp is not importable: pip install 'panelist[local]'"),
]


@pytest.fixture(scope="module")
def llm():
    model = load_llama(bundled_model(), 2048)
    yield model
    model.close()


def answer(llm, prompt: str, grammar_text: str, max_tokens: int, seed: int = 1) -> str:
    import llama_cpp

    out = llm.create_chat_completion(
        messages=[{"role": "user", "content": prompt}], max_tokens=max_tokens, seed=seed,
        temperature=0.7, grammar=llama_cpp.LlamaGrammar.from_string(grammar_text))
    return out["choices"][0]["message"]["content"]


def test_a_token_the_grammar_rejects_is_drawn_again_under_the_grammar(llm):
    text = answer(llm, "Say hello to the reader.", 'root ::= "zq" [0-9] [0-9] [0-9]', 8)

    assert re.fullmatch(r"zq[0-9]{3}", text), text
    sampler = llm._sampler
    assert isinstance(sampler, GrammarCheckedSampler)
    assert sampler.resampled >= 1, "the model's own first token was not 'zq'"


def test_the_strict_take_grammar_still_bounds_the_quote_in_words(llm):
    import llama_cpp

    persona = Persona(id="dx", name="DX", label="Developer", lens="developer experience",
                      ships_when="it saves time", skips_when="it wastes time",
                      quote_words=(12, 20), brief="Review it.")
    grammar = llama_cpp.LlamaGrammar.from_json_schema(json.dumps(take_strict_schema(persona)),
                                                      verbose=False)
    out = llm.create_chat_completion(
        messages=[{"role": "user", "content": "Review a note-taking app as JSON with verdict "
                                              "(ship or skip), quote and reasons."}],
        max_tokens=1000, seed=4, temperature=0.7, grammar=grammar)

    assert out["choices"][0]["finish_reason"] == "stop", "the grammar closed the object"
    take = Take.model_validate_json(out["choices"][0]["message"]["content"])
    assert 12 <= len(take.quote.split()) <= 20
    assert 2 <= len(take.reasons) <= 3


def test_an_answer_without_a_grammar_keeps_llama_cpps_own_sampler(llm):
    llm.create_chat_completion(messages=[{"role": "user", "content": "Hi"}], max_tokens=2,
                               seed=1)

    assert not isinstance(llm._sampler, GrammarCheckedSampler)
