"""`onrust tag --jsonl`: a file of texts tagged in one process, batch by batch, one JSON result
per line; a line that is not usable gets an error object and the rest goes on."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from analysis.batch import parse_line, result_line, tag_lines
from analysis.tagging import Tagger, load_tagger
from app.cli import main

TEXT = "Rellen in Enschede: burgemeester kondigt noodverordening af"
RELLEN = {"set": "phase", "key": "escalatie", "text": "Rellen", "start": 0, "end": 6}


class CountingTagger(Tagger):
    """The real tagger, recording the size of every batch it is handed."""

    def __init__(self, real: Tagger) -> None:
        self.__dict__.update(vars(real))  # shares the compiled matchers: no rebuild
        self.batches: list[int] = []

    def tag_many(self, texts, **kwargs):  # type: ignore[no-untyped-def, override]
        texts = list(texts)
        self.batches.append(len(texts))
        return super().tag_many(texts, **kwargs)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


def _results(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_a_file_of_a_thousand_lines_tags_in_one_run(tmp_path: Path, capsys):
    source = tmp_path / "teksten.jsonl"
    lines = [json.dumps(TEXT) if n % 2 else json.dumps({"id": f"bericht-{n}", "text": f"{TEXT} ({n})"})
             for n in range(1000)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "tags.jsonl"
    assert main(["tag", "--jsonl", str(source), "--out", str(out)]) == 0
    assert "1000 regels getagd, 0 met een fout" in capsys.readouterr().err
    results = _results(out.read_text(encoding="utf-8"))
    assert len(results) == 1000
    assert [r["id"] for r in results[:3]] == ["bericht-0", 2, "bericht-2"]  # given id, else the line number
    assert all(r["error"] is None for r in results)
    for result in (results[0], results[1]):
        assert set(result) == {"id", "tags", "error"}
        assert set(result["tags"][0]) == {"set", "key", "text", "start", "end", "score", "value", "ref"}
        assert {k: v for k, v in result["tags"][0].items() if k in RELLEN} == RELLEN


def test_tag_many_gets_whole_batches(tagger):
    counting = CountingTagger(tagger)
    results = list(tag_lines(counting, [json.dumps(TEXT)] * 600, batch_size=256))
    assert len(results) == 600 and counting.batches == [256, 256, 88]


def test_unusable_lines_get_an_error_object_and_the_rest_goes_on(tmp_path: Path, capsys):
    source = tmp_path / "teksten.jsonl"
    lines = [json.dumps(TEXT), '{"text": kapot', "", "42", '{"id": "x"}',
             '{"id": "y", "text": "Rustig in Zwolle"}']
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["tag", "--jsonl", str(source)]) == 0
    captured = capsys.readouterr()
    results = _results(captured.out)
    assert [(r["id"], r["error"] is None) for r in results] == [
        (1, True), (2, False), (4, False), ("x", False), ("y", True)]
    assert results[1]["error"].startswith("geen geldige JSON: ") and results[1]["tags"] == []
    assert results[2]["error"] == 'verwacht een JSON-tekst of een object met "text", niet int'
    assert results[3]["error"] == 'object zonder tekst: verwacht {"text": "..."}'
    assert "5 regels getagd, 3 met een fout" in captured.err


def test_stdin(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"id": 7, "text": TEXT}) + "\n"))
    assert main(["tag", "--jsonl", "-"]) == 0
    [result] = _results(capsys.readouterr().out)
    assert result["id"] == 7 and RELLEN.items() <= result["tags"][0].items()


def test_a_text_and_a_file_at_once_or_a_missing_file_is_a_user_error(tmp_path: Path, capsys):
    assert main(["tag", TEXT, "--jsonl", "-"]) == 2
    assert "niet allebei" in capsys.readouterr().err
    assert main(["tag", "--jsonl", str(tmp_path / "weg.jsonl")]) == 2
    assert "Bestand niet gevonden" in capsys.readouterr().err
    assert main(["tag", "--out", str(tmp_path / "x.jsonl"), TEXT]) == 2


def test_lines_and_results_that_utf8_cannot_carry():
    assert parse_line(3, '"\\ud800 Rellen"').text == "\ud800 Rellen"
    line = result_line({"id": 3, "tags": [{"text": "\ud800"}], "error": None})
    assert line == '{"id": 3, "tags": [{"text": "\\ud800"}], "error": null}'
    assert result_line({"id": 1, "tags": [], "error": "één"}) == '{"id": 1, "tags": [], "error": "één"}'
