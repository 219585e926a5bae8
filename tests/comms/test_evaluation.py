"""The evaluation form (data/evaluation.toml + the aanpak checklist's steps 6-7) counted against the
seeds; answers stored per incident, also after the close."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from comms.evaluation import evaluation_docx, evaluation_pdf, load_form, save_answers
from onrust.docx import read_docx_text
from onrust.errors import UserError
from tests.seeds import between, bullets, seed, squeezed

T0 = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)


def test_form_sections_are_the_seeds_lists():
    form = load_form()
    assert [(s.ref, len(s.questions)) for s in form] == [
        ("003 §3.3", 5), ("000 §2.4", 6), ("004 §3.4", 2), ("004 Bijlage 5, stap 6", 6),
        ("004 Bijlage 5, stap 7", 5)]
    parts = [
        between(seed("003"), "3.3  Directeur, Afdelingshoofd en actieteam evalueren de calamiteit", "3.4"),
        between(seed("000"), "De \n\nuitgangspunten zijn:", "Rijksinspectie"),
        between(seed("004"), "Het resultaat van het laatste kernteam (evaluatie) is tweeledig:", "3.5"),
        between(seed("004"), "Stap 6: Evaluatie", "Stap 7"),
        between(seed("004"), "Stap 7: Verankering", "Communicatie\n"),
    ]
    marks = ["•", "•", "-", "-", "-"]
    for section, part, mark in zip(form, parts, marks, strict=True):
        # Step 6 opens with a sentence that is no bullet but a question of its own ("Maak bij de evaluatie...").
        extra = 1 if section.ref.endswith("stap 6") else 0
        assert len(section.questions) == bullets(part, mark) + extra, section.ref
    for section, part in zip(form, parts, strict=True):
        assert [q.text for q in section.questions if squeezed(q.text) not in squeezed(part)] == [], section.ref
    assert [q.label for q in form[4].questions][:1] == [
        "Inhoud: Zorg ervoor dat de ingezette instrumenten die goed hebben gewerkt klaarliggen voor een "
        "eventuele volgende situatie van maatschappelijke onrust."]
    assert len({q.id for s in form for q in s.questions}) == 24


def _incident(store):
    return store.create_incident("Onrust Zuid", "Uithoorn", T0)


def test_answers_are_stored_changed_and_kept_after_the_close(store):
    incident = _incident(store)
    assert save_answers(store, incident, {"003_3_3.1": " Nee ", "003_3_3.2": ""}, "Afdelingshoofd") == 1
    store.close_incident(incident, T0, author="burgemeester")
    # Evaluation follows the close: a closed incident still takes its answers.
    assert save_answers(store, incident, {"003_3_3.1": "Nee", "aanpak.6.beeld": "Goed beeld"}, "Directeur",
                        at=T0) == 1
    answers = store.evaluation_answers(incident)
    assert {k: (a, by) for k, (a, by, _) in answers.items()} == {
        "003_3_3.1": ("Nee", "Afdelingshoofd"), "aanpak.6.beeld": ("Goed beeld", "Directeur")}
    text = read_docx_text(evaluation_docx("Onrust Zuid", "Uithoorn", T0, answers))
    assert "Was het een unieke en niet te voorkomen calamiteit?\nNee" in text
    assert text.count("Nog niet beantwoord.") == 22
    assert evaluation_pdf("Onrust Zuid", "Uithoorn", T0, answers).startswith(b"%PDF-")


@pytest.mark.parametrize("answers, author, message", [
    ({"003_3_3.1": "Ja"}, " ", "Vul in wie de evaluatie invult."),
    ({"vraag.9": "Ja", "003_3_3.1": "Ja"}, "A", "Onbekende evaluatievraag: vraag.9."),
    ({"003_3_3.1": "x" * 20_001}, "A", "Antwoord te lang (meer dan 20000 tekens): 003_3_3.1."),
])
def test_bad_answers_are_refused_and_nothing_is_stored(store, answers, author, message):
    incident = _incident(store)
    with pytest.raises(UserError) as err:
        save_answers(store, incident, answers, author)
    assert str(err.value) == message and store.evaluation_answers(incident) == {}


def test_answers_for_an_unknown_incident_are_refused(store):
    with pytest.raises(UserError, match="Incident 99 bestaat niet."):
        save_answers(store, 99, {"003_3_3.1": "Ja"}, "A")
