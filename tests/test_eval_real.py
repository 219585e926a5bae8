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
    every labelled item it holds is scored in its labelled version. The public archive lacks some
    items (data/eval/README.md), so those are missing, but no item may be there with another text."""
    from devtools.eval_real import LABELS_FILE, corpus_path

    corpus = corpus_path()
    if not corpus.exists():
        pytest.skip("geen lokaal corpus met de echte nieuwsteksten (zie data/eval/README.md)")
    held = {json.loads(line)["id"] for line in corpus.open(encoding="utf-8") if line.strip()}
    labelled = [json.loads(line)["id"] for line in LABELS_FILE.open(encoding="utf-8")]
    result = evaluate_real(load_tagger(), corpus)
    assert result.missing == sum(1 for item_id in labelled if item_id not in held)
    assert sum(s.items for s in result.splits) == len(held & set(labelled))


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


def test_eval_temperature_replays_the_local_month_when_present(tmp_path, monkeypatch, capsys):
    """Without --background the month `onrust eval corpus` wrote is used, if this machine has it."""
    import devtools.eval_background

    path = tmp_path / "background.jsonl"
    path.write_text("".join(json.dumps({"id": str(day), "outlet": "Regio", "title": "Fietser gewond bij aanrijding",
                                        "summary": "", "published": f"2019-05-{day:02d}T09:00:00Z"}) + "\n"
                            for day in range(1, 6)))
    monkeypatch.setattr(devtools.eval_background, "DEFAULT_BACKGROUND", path)
    assert main(["eval", "temperature", "--seeds", "1", "--json"]) == 0
    background = json.loads(capsys.readouterr().out)[-1]["background"]
    assert background["items"] == 5 and background["highest_phase"] < 3
    assert main(["eval", "temperature", "--seeds", "1", "--no-background", "--json"]) == 0
    assert all("background" not in r for r in json.loads(capsys.readouterr().out))


def test_train_refuses_a_corpus_with_missing_items_unless_asked_and_never_trains_on_nothing(tmp_path, capsys):
    """The public archive lacks 125 labelled items, so a fresh machine could never retrain: with
    --missing-ok it trains on what the corpus holds; a corpus without any dev item is refused."""
    corpus = tmp_path / "other.jsonl"
    corpus.write_text(json.dumps({"id": "x", "title": "Brand in schuur", "summary": "Geblust."}) + "\n",
                      encoding="utf-8")
    out = tmp_path / "model.json.gz"
    assert main(["eval", "train", "--corpus", str(corpus), "--out", str(out)]) == 2
    assert "--missing-ok" in capsys.readouterr().err
    assert main(["eval", "train", "--corpus", str(corpus), "--out", str(out), "--missing-ok"]) == 2
    assert "Geen enkel dev-item" in capsys.readouterr().err
    assert not out.exists()
