"""`onrust tag`, `onrust eval tagging`, `onrust bench tag` as users call them (in-process)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from app.cli import main


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_tag_prints_every_tag_with_offsets(capsys):
    text = "Rellen in Enschede: burgemeester Jan de Vries kondigt noodverordening af"
    data = run_json(capsys, "tag", text, "--involved", "Jan de Vries", "--place", "Deppenbroek")
    found = {(t["tag_set"], t["key"], t["text"], t["start"], t["end"]) for t in data["tags"]}
    assert {
        ("phase", "escalatie", "Rellen", 0, 6),
        ("place", "Enschede", "Enschede", 10, 18),
        ("actor", "burgemeester", "burgemeester", 20, 32),
        ("person", "betrokkene", "Jan de Vries", 33, 45),
        ("phase", "escalatie", "noodverordening", 54, 69),
    } <= found
    assert data["tagger_version"].startswith("tagger-")


def test_tag_reads_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Naar verluidt zou de verdachte zijn gevlucht"))
    assert main(["tag", "-"]) == 0
    out = capsys.readouterr().out
    assert "claim     gerucht" in out and "'Naar verluidt'" in out


def test_tag_without_text_is_a_user_error(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("  "))
    assert main(["tag", "-"]) == 2
    assert "Geef een tekst mee" in capsys.readouterr().err


def test_eval_tagging_on_a_small_set(capsys, tmp_path: Path):
    path = tmp_path / "set.tsv"
    path.write_text(
        "# test\n"
        "Rellen in Enschede\tphase:escalatie; place:Enschede; polarity:negatief\n"
        "Brandweer blust schoorsteenbrand\tactor:brandweer; phase:escalatie\n",
        encoding="utf-8",
    )
    data = run_json(capsys, "eval", "tagging", "--set", str(path))
    assert data["items"] == 2
    assert data["tag_sets"]["phase"] == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "tp": 1, "fp": 0, "fn": 1}
    assert data["tag_sets"]["place"]["tp"] == 1


def test_eval_tagging_shipped_set_meets_the_targets(capsys):
    data = run_json(capsys, "eval", "tagging")
    assert data["items"] >= 300
    assert data["macro"]["precision"] >= 0.85 and data["macro"]["recall"] >= 0.80


def test_eval_missing_set_is_a_user_error(capsys, tmp_path: Path):
    assert main(["eval", "tagging", "--set", str(tmp_path / "nope.tsv")]) == 2


def test_bench_tag_reports_rates(capsys):
    data = run_json(capsys, "bench", "tag", "--items", "40")
    assert data["items"] == 40 and data["items_per_second"] > 0 and data["words_per_second"] > data["items_per_second"]
