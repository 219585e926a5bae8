"""The labeller-agreement figures on label files written here, and on the shipped second labeller."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from devtools.eval_agreement import cohen_kappa, compare
from devtools.eval_real import LABELS_FILE, name_hash
from onrust.errors import UserError

SECOND_FILE = LABELS_FILE.parent / "agreement_second.jsonl"


def _write(path: Path, rows: list[tuple[str, str, list[str]]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for item_id, sha, labels in rows:
            fh.write(json.dumps({"id": item_id, "text_sha256": sha, "labels": labels}) + "\n")
    return path


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    first = _write(tmp_path / "first.jsonl", [
        ("a", "1", ["phase:escalatie", "scenario:evenement", f"person:#{name_hash('Jan de Vries')}"]),
        ("b", "2", ["scenario:evenement", "dynamiek:mobilisatie=2019-05-26", "dynamiek:mobilisatie"]),
        ("c", "3", []),
        ("d", "4", ["scenario:evenement", "actor:politie"]),
    ])
    second = _write(tmp_path / "second.jsonl", [
        ("a", "1", ["phase:onrust", "scenario:evenement", f"person:#{name_hash('Jan de Vries')}"]),
        ("b", "2", ["scenario:evenement", "dynamiek:mobilisatie"]),
        ("c", "3", ["scenario:evenement"]),
        ("d", "other text", ["scenario:evenement"]),
        ("x", "9", ["phase:onrust"]),
    ])
    return first, second


def test_counts_the_second_against_the_first_and_skips_other_texts(tmp_path):
    first, second = _pair(tmp_path)
    result = compare(second, first, min_positives=2)
    assert (result.items, result.unmatched) == (3, 2)
    by_set = {s.tag_set: (s.tp, s.fp, s.fn) for s in result.scores}
    # the date of a mobilisation and the tag sets this round does not label are not scored
    assert by_set["dynamiek"] == (1, 0, 0) and "actor" not in by_set
    assert by_set["phase"] == (0, 1, 1) and by_set["scenario"] == (2, 1, 0) and by_set["person"] == (1, 0, 0)
    (evenement,) = result.labels  # only the label given twice or more; persons get no kappa
    assert (evenement.label, evenement.first, evenement.second, evenement.both) == ("scenario:evenement", 2, 3, 2)
    assert evenement.kappa == pytest.approx(0.0)


def test_kappa_is_chance_corrected():
    assert cohen_kappa([True, False, True, False], [True, False, True, False]) == 1.0
    assert cohen_kappa([True, True, False, False], [True, False, True, False]) == pytest.approx(0.0)
    assert cohen_kappa([False, False], [False, False]) == 1.0


def test_a_broken_second_file_is_a_dutch_user_error(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "labels": []}\n', encoding="utf-8")
    with pytest.raises(UserError, match="regel 1"):
        compare(bad)
    assert main(["eval", "agreement", "--second", str(tmp_path / "absent.jsonl")]) == 2
    assert "niet gevonden" in capsys.readouterr().err


def test_cli_prints_sets_and_kappas(tmp_path, capsys):
    first, second = _pair(tmp_path)
    assert main(["eval", "agreement", "--second", str(second), "--first", str(first), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["items"] == 3 and data["tag_sets"]["person"]["f1"] == 1.0


def test_the_shipped_second_labeller_covers_200_dev_items_without_text():
    rows = [json.loads(line) for line in SECOND_FILE.open(encoding="utf-8")]
    assert len(rows) == 200 and all(set(r) == {"id", "labels", "rumour", "text_sha256", "unsure"} for r in rows)
    assert all(label.startswith("person:#") for r in rows for label in r["labels"] if label.startswith("person:"))
    dev = {json.loads(line)["id"] for line in LABELS_FILE.open() if json.loads(line)["split"] == "dev"}
    assert {r["id"] for r in rows} <= dev
    assert compare(SECOND_FILE).unmatched == 0
