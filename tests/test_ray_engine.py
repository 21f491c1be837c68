"""The Ray engine stores exactly what the local engine stores, on both back ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.pipeline import run_ingest
from storyline.serve.export import export_json
from storyline.settings import Settings
from storyline.store import Store

ray = pytest.importorskip("ray")


def _copy_corpus(examples: Path, folder: Path) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir()
    for f in examples.glob("*.txt"):
        (corpus / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "dup.txt").write_text((examples / "001_lantern_border.txt").read_text(encoding="utf-8"),
                                    encoding="utf-8")
    (corpus / "broken.jsonl").write_text('{"text": "ok"\nnot json\n', encoding="utf-8")
    return corpus


def test_ray_export_equals_local_export(store: Store, examples: Path, tmp_path: Path) -> None:
    from storyline.ray_engine import run_ingest_ray

    corpus = _copy_corpus(examples, tmp_path)
    settings = Settings(db="sqlite:///unused.db", processes=2, batch_size=4)
    local = Store(f"sqlite:///{tmp_path / 'local.db'}")
    expected = run_ingest([str(corpus)], local, settings)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        got = run_ingest_ray([str(corpus)], store, settings)
    finally:
        ray.shutdown()
    assert (got.new, got.duplicate, got.near_duplicate) == (expected.new, expected.duplicate,
                                                            expected.near_duplicate)
    assert sorted(got.failed) == sorted(expected.failed) and got.failed
    assert json.dumps(export_json(store), sort_keys=True) == json.dumps(export_json(local), sort_keys=True)
    local.close()
