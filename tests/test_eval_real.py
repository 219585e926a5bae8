"""The real-news scorer and the background replay on small sets written here (the real texts
stay outside the repository, so these tests build their own corpus in the same format)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.tagging import load_tagger
from app.cli import main
from devtools.eval_background import evaluate_background, load_background
from devtools.eval_real import evaluate_real, load_real, name_hash, score, text_hash
from onrust.settings import load_settings

ITEMS = [
    ("a", "dev", "Rellen in de wijk na oproep op sociale media", "De ME greep in.",
     ["phase:escalatie", "dynamiek:mobilisatie"]),
    ("b", "dev", "Brand verwoest woning in Enschede", "Niemand raakte gewond.", []),
    ("c", "blind", "Burgemeester Jan de Vries spreekt bewoners toe", "", ["person:Jan de Vries"]),
]


def _write(tmp_path: Path, items=ITEMS, changed: str | None = None) -> tuple[Path, Path]:
    corpus, labels = tmp_path / "corpus.jsonl", tmp_path / "labels.jsonl"
    with corpus.open("w") as c, labels.open("w") as lab:
        for item_id, split, title, summary, wanted in items:
            shown = title + " (gewijzigd)" if item_id == changed else title
            c.write(json.dumps({"id": item_id, "title": shown, "summary": summary}) + "\n")
            stored = [f"person:#{name_hash(x[7:])}" if x.startswith("person:") else x for x in wanted]
            lab.write(json.dumps({"id": item_id, "split": split, "sampling": "random", "outlet_kind": "112",
                                  "text_sha256": text_hash(title, summary), "labels": stored}) + "\n")
    return corpus, labels


def test_scores_dev_and_blind_apart_with_hashed_names(tmp_path):
    corpus, labels = _write(tmp_path)
    loaded = load_real(corpus, labels)
    assert loaded.missing == 0 and [e.split for e in loaded.examples] == ["dev", "dev", "blind"]
    dev, blind = (score(load_tagger(), loaded.examples, split) for split in ("dev", "blind"))
    phase = next(s for s in dev.scores if s.tag_set == "phase")
    assert (phase.tp, phase.fp, phase.fn) == (1, 0, 0)
    person = next(s for s in blind.scores if s.tag_set == "person")
    assert (person.tp, person.fn) == (1, 0)
    assert blind.mistakes == ()  # blind items are never shown to fix them


def test_an_item_whose_text_changed_is_counted_missing_not_scored(tmp_path):
    corpus, labels = _write(tmp_path, changed="b")
    assert load_real(corpus, labels).missing == 1


def test_cli_says_where_the_corpus_should_be(tmp_path, capsys):
    assert main(["eval", "tagging", "--real", "--corpus", str(tmp_path / "absent.jsonl")]) == 2
    assert "niet gevonden" in capsys.readouterr().err


def test_the_real_corpus_scores_when_present():
    """On a developer machine with the local corpus (var/eval/real_news.jsonl or $ONRUST_EVAL_CORPUS):
    every labelled item is found."""
    from devtools.eval_real import LABELS_FILE, corpus_path

    corpus = corpus_path()
    if not corpus.exists():
        pytest.skip("geen lokaal corpus met de echte nieuwsteksten (zie data/eval/README.md)")
    result = evaluate_real(load_tagger(), corpus)
    assert result.missing == 0
    assert sum(s.items for s in result.splits) == sum(1 for _ in LABELS_FILE.open())


def test_background_news_without_unrest_stays_below_phase_3(tmp_path):
    rows = []
    for day in range(6):
        for hour in range(8, 20, 2):
            rows.append({"id": f"{day}-{hour}", "outlet": "Regio", "title": "Brand in schuur snel geblust",
                         "summary": "Niemand raakte gewond.", "published": f"2019-05-{day + 1:02d}T{hour:02d}:00:00Z"})
    path = tmp_path / "bg.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    report = evaluate_background(load_tagger(), load_background(path), load_settings().temperature)
    assert report.items == 36 and report.markers == 0
    assert report.highest_phase < 3 and report.false_episodes == 0
