"""Crisis diagnosis (004 §3.2): the full A/B/C table, scores, the advice rules, storage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analysis.diagnosis import diagnose, load_table, record_summary

TABLE = load_table()
T0 = datetime(2026, 10, 5, 12, tzinfo=UTC)


def all_(answer: str, section: str | None = None) -> dict[str, str]:
    return {q.id: answer for q in TABLE.questions if section is None or q.section == section}


def test_table_holds_every_question_of_the_handreiking():
    assert [len(TABLE.in_section(s)) for s in "ABC"] == [33, 11, 10]
    by_id = {q.id: q for q in TABLE.questions}
    assert (by_id["A01"].text, by_id["A01"].high, by_id["A01"].low) == (
        "Hoe uniek is de crisis?", "Niet eerder gebeurd", "Eerder gebeurd / gewenning")
    assert (by_id["A33"].high, by_id["A33"].low) == ("Onduidelijke oorzaak", "Duidelijke oorzaak")
    assert by_id["B11"].text == "Is er een internationale component?"
    assert (by_id["C09"].high, by_id["C09"].low) == ("Ja, ernstiger", "Ja, minder ernstig")
    assert len(TABLE.advice) == 6
    assert TABLE.advice["acuut"].startswith("De situatie is acuut, er is een directe dreiging")


def test_nothing_known_means_information_position_insufficient():
    d = diagnose({})
    assert d.advice == "informatie" and d.total.unknown == 54
    assert d.total.score is None
    assert d.advice_texts(TABLE) == [
        "Informatiepositie is onvoldoende om beslissing te kunnen nemen. Meer informatie inwinnen."]


def test_one_section_mostly_unknown_is_also_insufficient():
    answers = {**all_("laag", "A"), **all_("laag", "C")}  # B entirely unknown: 11 of 54 = 20%
    d = diagnose(answers)
    assert d.advice == "informatie"
    assert "deel B (Betrokkenen)" in d.reasons[0]


def test_scores_per_section_and_total():
    answers = {**all_("hoog", "A"), **all_("laag", "B"), **all_("laag", "C")}
    answers["C01"] = "onbekend"
    d = diagnose(answers)
    assert d.sections["A"].score == 100.0 and d.sections["B"].score == 0.0
    assert d.sections["C"].score == 0.0 and d.sections["C"].unknown == 1
    assert d.total.score == pytest.approx(100 * 33 / 53)
    assert d.advice == "acuut"  # 62% of the answered questions are high risk


@pytest.mark.parametrize("high_count, advice", [(10, "geen_aanleiding"), (17, "acties"), (33, "acuut")])
def test_share_of_high_answers_picks_the_advice(high_count, advice):
    ids = [q.id for q in TABLE.questions]
    answers = {i: ("hoog" if n < high_count else "laag") for n, i in enumerate(ids)}
    assert diagnose(answers).advice == advice


def test_key_questions_all_high_are_acute_on_their_own():
    answers = {**all_("laag"), "C01": "hoog", "A10": "hoog", "A13": "hoog"}
    d = diagnose(answers)
    assert d.advice == "acuut"
    assert d.extra_advice == ("ondersteuning",) and d.support_wanted is False
    assert d.advice_texts(TABLE)[1].endswith("Advies: niet nodig.")


def test_support_and_third_party_outcomes():
    answers = {**all_("laag"), **{i: "hoog" for i in ["A25", "B09", "A01", "A02", "A03", "A04",
                                                      "A05", "A06", "A07", "A08", "A09", "A10",
                                                      "A11", "A12", "A13", "A14", "A15"]}}
    d = diagnose(answers, via_third_party=True)
    assert d.advice == "acties"
    assert d.extra_advice == ("ondersteuning", "derde_partij") and d.support_wanted is True
    assert "A25, B09 hoog" in " ".join(d.reasons)


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        diagnose({"Z99": "hoog"})
    with pytest.raises(ValueError):
        diagnose({"A01": "misschien"})


def test_assessments_are_stored_and_comparable_over_time(store):
    incident = store.create_incident("Flits", "Veldwijk", T0)
    first = diagnose({})
    second = diagnose({**all_("laag"), "C01": "hoog", "A10": "hoog", "A13": "hoog"})
    store.save_diagnosis(incident, first.as_record(T0, "AOV-er"))
    store.save_diagnosis(incident, second.as_record(T0.replace(hour=18), "kernteam", "na overleg"))
    history = store.diagnoses(incident)
    assert history["advice"].tolist() == ["informatie", "acuut"]
    assert history["author"].tolist() == ["AOV-er", "kernteam"]
    assert history["answers"].iloc[1]["C01"] == "hoog"
    assert history["score_total"].iloc[1] == pytest.approx(100 * 3 / 54)
    lines = record_summary(history.iloc[1], TABLE)
    assert lines[0].startswith("Advies: De situatie is acuut")
    assert lines[1].startswith("Ook: Ondersteuning")
