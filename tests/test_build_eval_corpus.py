"""`onrust eval corpus` on a small Jekyll archive built here with real git: posts found in the
whole history (also deleted ones), matched to label rows by their text hash only."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

from app.cli import main
from devtools.build_eval_corpus import build, parse_post
from devtools.eval_real import load_real, text_hash

ESCAPED = 'Burgemeester: \\"geen rellen\\" na wedstrijd'
HTML_BODY = "<p>De brandweer blust een <b>brand</b> in een schuur.</p>\n<p>Niemand raakte gewond.</p>"


def _post(title: str, body: str, link: str, date: str, categories: tuple[str, ...] = ()) -> str:
    cats = "".join(f"- {c} \n" for c in categories)
    return (f'---\nlayout: post\ntitle: "{title}"\ndate: {date}\ncategories: \n{cats}'
            f'externe_link: "{link}"\n---\n\n{body}\n')


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


def _archive(tmp_path: Path) -> Path:
    repo = tmp_path / "archive"
    posts = repo / "_posts"
    posts.mkdir(parents=True)
    _git(repo, "init", "-q")
    (posts / "2019-5-2-rellen.md").write_text(_post(
        ESCAPED, "Het bleef rustig in de stad.", "https://www.omroepwest.nl/nieuws/1/rustig",
        "Thu, 02 May 2019 21:15:00 +0200"))
    (posts / "2019-5-3-brand.md").write_text(_post(
        "Brand in schuur", HTML_BODY, "https://www.ad.nl/den-haag/brand~a1/", "Fri, 03 May 2019 08:00:00 GMT"))
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "first")
    regional = repo / "regio" / "zuid-holland" / "_posts"
    regional.mkdir(parents=True)
    (regional / "2019-5-4-politie.md").write_text(_post(
        "Den Haag - Man aangehouden", "Agenten hielden een man aan.", "https://www.politie.nl/nieuws/2019/mei/4/a.html",
        "Sat, 04 May 2019 10:00:00 GMT", ("zuid-holland", "den_haag")))
    (regional / "2019-5-4-rotterdam.md").write_text(_post(
        "Rotterdam - Inbraak", "Inbrekers sloegen toe.", "https://www.politie.nl/nieuws/2019/mei/4/b.html",
        "Sat, 04 May 2019 11:00:00 GMT", ("zuid-holland", "rotterdam")))
    (posts / "2019-6-1-later.md").write_text(_post(
        "Juni-nieuws", "Buiten de maand.", "https://www.omroepwest.nl/nieuws/2/juni", "Sat, 01 Jun 2019 10:00:00 GMT"))
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "second")
    _git(repo, "rm", "-rq", "_posts", "regio")  # as the real archive did: the texts live on in history only
    _git(repo, "commit", "-qm", "delete posts")
    return repo / ".git"


def _labels(tmp_path: Path) -> Path:
    rows = [
        {"id": "a1", "split": "dev", "text_sha256": text_hash('Burgemeester: "geen rellen" na wedstrijd',
                                                              "Het bleef rustig in de stad.")},
        {"id": "b2", "split": "blind", "text_sha256": text_hash(
            "Brand in schuur", "De brandweer blust een brand in een schuur. Niemand raakte gewond.")},
        {"id": "c3", "split": "dev",
         "text_sha256": text_hash("Den Haag - Man aangehouden", "Agenten hielden een man aan.")},
        {"id": "d4", "split": "dev",
         "text_sha256": text_hash("Brand in schuur", "De brandweer blust een brand in een schuur.")},
        {"id": "e5", "split": "blind", "text_sha256": text_hash("Niet in het archief", "")},
    ]
    path = tmp_path / "labels.jsonl"
    path.write_text("".join(json.dumps({**r, "sampling": "random", "outlet_kind": "regional", "labels": []}) + "\n"
                            for r in rows))
    return path


def test_posts_in_the_whole_history_are_matched_by_their_text_hash(tmp_path):
    labels = [json.loads(line) for line in _labels(tmp_path).open()]
    result = build(_archive(tmp_path), labels)
    assert result.posts == 5
    texts = {row["id"]: (row["title"], row["summary"]) for row in result.corpus}
    assert list(texts) == ["a1", "b2", "c3", "d4"]  # sorted by the label row's id
    assert texts["a1"] == ('Burgemeester: "geen rellen" na wedstrijd', "Het bleef rustig in de stad.")
    assert texts["b2"][1] == "De brandweer blust een brand in een schuur. Niemand raakte gewond."  # HTML as text
    assert texts["d4"][1] == "De brandweer blust een brand in een schuur."  # the lead: first paragraph
    assert result.matched == {"dev": 3, "blind": 1} and result.missing == {"dev": 0, "blind": 1}
    assert result.missing_ids == ("e5",)


def test_background_is_the_regions_month_in_stored_form(tmp_path):
    labels = [json.loads(line) for line in _labels(tmp_path).open()]
    stream = build(_archive(tmp_path), labels).background
    assert [(r["outlet"], r["published"]) for r in stream] == [
        ("Omroep West", "2019-05-02T19:15:00+00:00"),  # UTC, sorted by time
        ("AD Den Haag", "2019-05-03T08:00:00+00:00"),
        ("Politie (Haaglanden)", "2019-05-04T10:00:00+00:00"),  # Rotterdam's release is another region
    ]
    assert stream[1]["summary"] == "De brandweer blust een brand in een schuur. Niemand raakte gewond."
    unrest = frozenset({hashlib.sha256(b"omroepwest.nl/nieuws/1/rustig").hexdigest()[:12]})  # the link, no scheme
    kept = build(_archive(tmp_path / "again"), labels, unrest)
    assert [r["outlet"] for r in kept.background] == ["AD Den Haag", "Politie (Haaglanden)"]
    assert kept.background_unrest == 1


def test_cli_writes_both_files_the_scorer_reads_and_the_same_bytes_twice(tmp_path, capsys):
    git_dir, labels = _archive(tmp_path), _labels(tmp_path)
    out, background = tmp_path / "var" / "real.jsonl", tmp_path / "var" / "bg.jsonl"
    args = ["eval", "corpus", str(git_dir), "--labels", str(labels), "--out", str(out),
            "--background-out", str(background)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "dev: 3 gevonden, 0 ontbreken" in printed and "blind: 1 gevonden, 1 ontbreken" in printed
    first = out.read_bytes(), background.read_bytes()
    assert main(args) == 0
    assert (out.read_bytes(), background.read_bytes()) == first
    loaded = load_real(out, labels)
    assert loaded.missing == 1 and sorted(e.id for e in loaded.examples) == ["a1", "b2", "c3", "d4"]


def test_cli_refuses_a_folder_that_is_not_a_git_archive(tmp_path, capsys):
    assert main(["eval", "corpus", str(tmp_path)]) == 2
    assert "geen leesbare git-map" in capsys.readouterr().err


def test_a_multi_line_quoted_title_folds_as_yaml_does():
    text = '---\ntitle: "De halve brommer werd \r\nnooit een succes"\r\n---\r\n\r\nTekst.\r\n'
    post = parse_post("_posts/x.md", text)
    assert post is not None and post.title == "De halve brommer werd nooit een succes" and post.body == "Tekst."
