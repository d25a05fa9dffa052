"""Shared fixtures: a workspace built in tmp_path, a fake Messages API, a CLI runner."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

sys.path.insert(0, str(Path(__file__).parent))

from fake_messages_api import FakeMessagesAPI
from helpers import FAKE_KEY, invoke
from panelist.store.workspace import Workspace, init_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    root = tmp_path / "ws"
    init_workspace(root)
    return Workspace(root)


@pytest.fixture
def fake_api() -> Iterator[FakeMessagesAPI]:
    with FakeMessagesAPI() as server:
        yield server


@pytest.fixture
def claude_env(monkeypatch: pytest.MonkeyPatch, fake_api: FakeMessagesAPI) -> FakeMessagesAPI:
    """The real SDK pointed at the fake server, with a recognisable fake key."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake_api.base_url)
    monkeypatch.setenv("PANELIST_RETRY_SCALE", "0.01")
    return fake_api


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner: CliRunner, workspace: Workspace) -> Callable[..., Result]:
    """``cli("status", "tether-qvac-sdk")`` runs panelist on the test's workspace."""
    return lambda *args: invoke(runner, workspace, *args)


@pytest.fixture(autouse=True)
def _no_ambient_config(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "PANELIST_WORKSPACE",
                 "PANELIST_LOCAL_MODEL"):
        monkeypatch.delenv(name, raising=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Specs that need llama-cpp-python skip, saying why, where the [local] extra is absent."""
    from importlib.util import find_spec

    if find_spec("llama_cpp") is not None:
        return
    skip = pytest.mark.skip(reason="needs the [local] extra: pip install -e '.[local]'")
    for item in items:
        if "needs_llama_cpp" in item.keywords or "local_model" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def git_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A known git identity, "Ada Editor", from a global config file of the test's own
    (git-config(1)), so approvals are signed the same on every machine."""
    config = tmp_path / "gitconfig"
    config.write_text("[user]\n\tname = Ada Editor\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
