"""The index keys the gate's findings by the gate's code and data: new weights, new findings."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import get_args

import panelist
from panelist.quality import version
from panelist.quality.learned import Name
from panelist.quality.version import READINGS


def test_the_gates_hash_covers_its_code_and_its_learned_weights(monkeypatch, tmp_path):
    package = Path(panelist.__file__).parent
    copy = tmp_path / "panelist"
    (copy / "quality").mkdir(parents=True)
    (copy / "data").mkdir()
    for source in (package / "quality").glob("*.py"):
        (copy / "quality" / source.name).write_bytes(source.read_bytes())
    for data in ("leaning.json", "filler.json", "models.json"):
        (copy / "data" / data).write_bytes((package / "data" / data).read_bytes())
    weights = copy / "data" / "leaning.json"

    found = SimpleNamespace(origin=str(copy / "quality" / "__init__.py"))

    def hash_of_copy() -> str:
        monkeypatch.setattr(version, "find_spec", lambda name: found)
        version.gate_source_hash.cache_clear()
        return version.gate_source_hash()

    before = hash_of_copy()
    weights.write_text(weights.read_text(encoding="utf-8").replace('"threshold": 0.85',
                                                                   '"threshold": 0.9'),
                       encoding="utf-8")
    after_weights = hash_of_copy()
    (copy / "quality" / "stance.py").write_text("# changed\n", encoding="utf-8")
    after_code = hash_of_copy()
    models = copy / "data" / "models.json"
    models.write_text(models.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    after_models = hash_of_copy()  # a model's price is no part of the gate
    version.gate_source_hash.cache_clear()
    assert len({before, after_weights, after_code}) == 3
    assert after_models == after_code


def test_the_gates_data_are_its_learned_readings():
    assert get_args(Name) == READINGS
