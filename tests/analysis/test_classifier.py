"""The shipped tag classifier: it loads, names its features beside each judged tag, gives the same
tags every time, and retrains reproducibly without keeping any item's text."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from analysis.classifier import (
    LEMMA_,
    MODEL_FILE,
    OPENING,
    OPENING_LENGTH,
    PERSON,
    RULE,
    TERM,
    Item,
    ModelError,
    TagModel,
)
from analysis.tagging import Tagger, build_tagger, load_tagger
from devtools.eval_real import RealExample
from devtools.train_tags import MIN_DF, train, write_model

TEXTS = [
    "Fietser overleden na aanrijding met vrachtwagen in Enschede",
    "Rellen in de wijk na oproep op sociale media. De ME greep in.",
    "Minister Hugo de Jonge reageert op onrust om babyvoeding",
    "Gemeente opent nieuwe fietsenstalling bij het station",
]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return load_tagger()


@pytest.fixture(scope="module")
def rules_only() -> Tagger:
    return build_tagger(judged=False)


def test_the_shipped_model_is_loaded_and_named_in_the_tagger_version(tagger):
    assert tagger.judge is not None and MODEL_FILE.exists()
    assert tagger.version.endswith(f"-m{tagger.judge.digest}")
    assert {m.label.split(":")[0] for m in tagger.judge.labels} <= {"phase", "scenario", "dynamiek", "emotion",
                                                                      "claim"}


def test_a_missing_model_is_a_clear_dutch_error(tmp_path, tagger):
    with pytest.raises(ModelError, match="ontbreekt of is onleesbaar.*onrust eval train"):
        TagModel.load(tagger.nlp.vocab.strings, tmp_path / "absent.json.gz")


def test_a_judged_tag_names_the_features_that_carried_it(tagger):
    tags = tagger.tag(TEXTS[0])
    death = next(t for t in tags if t.label == "scenario:niet_natuurlijke_dood")
    assert death.text == "Fietser overleden"  # the rule's matched words stay
    assert death.ref.startswith("004 §1.2 · model 0.")  # the seed reference, then the model's reasons
    reasons = death.ref.split(": ", 1)[1].split(", ")
    assert 1 <= len(reasons) <= 3 and f"{RULE}scenario:niet_natuurlijke_dood" in reasons


def test_explain_returns_positive_contributions_strongest_first(tagger):
    model = tagger.judge
    doc = tagger.nlp(TEXTS[1])
    findings = tagger.rule_findings([TEXTS[1]])[0]

    item = Item(model.tokens(doc, []), frozenset(t.label for t in findings[2] if t.tag_set != "person"),
                findings[3])
    x = model.matrix([item])
    label = model.labels[0].label
    explained = model.explain(x, 0, label)
    weights = [w for _, w in explained]
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)
    assert all(name in model.names for name, _ in explained)


def test_same_texts_same_tags_in_batches_and_alone(tagger):
    batch = tagger.tag_many(TEXTS, batch_size=3)  # one full batch and a rest
    assert batch == tagger.tag_many(TEXTS)
    assert batch == [tagger.tag(t) for t in TEXTS]


def test_the_model_only_changes_the_judged_sets(tagger, rules_only):
    judged = {"phase", "scenario", "dynamiek", "emotion", "claim", "polarity"}
    for with_model, rules in zip(tagger.tag_many(TEXTS), rules_only.tag_many(TEXTS), strict=True):
        assert [t for t in with_model if t.tag_set not in judged] == [t for t in rules if t.tag_set not in judged]


def test_the_model_file_holds_words_word_pairs_lemmas_and_openings_only():
    data = json.loads(gzip.decompress(MODEL_FILE.read_bytes()))
    words = [f for f in data["features"] if not f.startswith((RULE, TERM, LEMMA_, OPENING))]
    assert words and all(len(f.split(" ")) <= 2 for f in words)
    lemmas = [f.removeprefix(LEMMA_) for f in data["features"] if f.startswith(LEMMA_)]
    openings = [f.removeprefix(OPENING) for f in data["features"] if f.startswith(OPENING)]
    assert lemmas and all(" " not in x and x == x.lower() for x in lemmas)
    assert openings and all(len(x) == OPENING_LENGTH and x.isalpha() for x in openings)
    assert data["settings"]["min_df"] == MIN_DF and "trained_on" in data


def test_a_word_form_the_model_never_saw_still_counts_by_its_opening(tagger):
    """Dutch compounds and inflections: "relschoppertjes" is in no labelled item, but its opening
    "begin:relsc" is, so the model reads it as a riot word instead of as nothing."""
    model = tagger.judge
    text = "relschoppertjes"
    assert text not in model.names
    doc = tagger.nlp(text)
    x = model.matrix([Item(model.tokens(doc, []), frozenset(), frozenset())])
    columns = [model.names[c] for c in x.indices]
    assert f"{OPENING}relsc" in columns


def _examples() -> list[RealExample]:
    riots = [f"Rellen in wijk {k} na oproep, ME grijpt in" for k in "ABCDEFGHIJKL"]
    calm = [f"Nieuwe bibliotheek in wijk {k} geopend" for k in "ABCDEFGHIJKL"]
    texts = [*riots, *calm, "Zwiebeltaartfestijn trekt Xandrovic Plumbeek naar het plein"]
    return [
        RealExample(f"id{k:02d}", "dev", "random", "regional", text,
                    frozenset({"phase:escalatie"}) if text in riots else frozenset())
        for k, text in enumerate(texts)
    ] + [RealExample("blind1", "blind", "random", "regional", "Rellen", frozenset({"phase:escalatie"}))]


def test_training_is_reproducible_and_keeps_no_rare_text(rules_only, tmp_path: Path):
    first, reports = train(rules_only, _examples())
    second, _ = train(rules_only, _examples())
    assert first == second
    a, b = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    write_model(first, a)
    write_model(second, b)
    assert a.read_bytes() == b.read_bytes()
    assert first["trained_on"].startswith("25 dev items")  # the blind item is never read
    features = set(first["features"])
    assert "rellen" in features and "wijk" in features
    assert not any("zwiebeltaartfestijn" in f or "xandrovic" in f for f in features)  # one item only
    assert [r.label for r in reports] == ["phase:escalatie"]


def test_person_names_are_counted_as_one_masked_word(tagger):
    model = tagger.judge
    text = "Burgemeester Jan de Vries spreekt bewoners toe"
    doc = tagger.nlp(text)
    persons = [(t.start, t.end) for t in tagger.tag(text) if t.tag_set == "person"]
    assert persons == [(13, 25)]
    tokens = model.tokens(doc, persons)
    words = [tagger.nlp.vocab.strings[int(k)] for k in tokens.keys]
    assert words == ["burgemeester", PERSON, "spreekt", "bewoners", "toe"]
    assert (int(tokens.starts[1]), int(tokens.ends[1])) == (13, 25)
    lemmas = [tagger.nlp.vocab.strings[int(k)].lower() for k in tokens.lemmas]
    assert len(lemmas) == 4 and not {"jan", "de", "vries"} & set(lemmas)  # no name in any feature family


def test_an_explicit_mo_term_is_never_dropped_by_the_model(tagger):
    """A firm phase marker stays even where the model gives it no chance at all; a marker that
    came through a context cue can still be overruled."""
    from analysis.classifier import firm_labels

    text = "Rellen in de wijk na oproep op sociale media. De ME greep in."
    doc, _, tags, terms = tagger.rule_findings([text])[0]
    firm = firm_labels(tags)
    assert "phase:escalatie" in firm
    model = tagger.judge
    rules = frozenset(t.label for t in tags if t.tag_set != "person")
    zero = [0.0] * len(model.labels)
    for firm_set, kept in ((firm, True), (frozenset(), False)):
        item = Item(model.tokens(doc, []), rules, terms, firm_set)
        x = model.matrix([item])
        judged = {t.label for t in model.judge(tags, item, x, 0, np.array(zero), text)}
        escalation_judged = any(m.label == "phase:escalatie" and m.keep > 0 for m in model.labels)
        assert ("phase:escalatie" in judged) is (kept or not escalation_judged)


def test_firm_labels_leave_out_context_gated_and_hedged_markers():
    from analysis.classifier import firm_labels
    from analysis.tags import Tag

    tags = [Tag("phase", "escalatie", "rellen", 0, 6),
            Tag("phase", "onrust", "vernielingen", 10, 22, 1.0, "context: groep"),
            Tag("phase", "dreigend", "rellen", 30, 36, 1.0, "gevreesd"),
            Tag("phase", "onrust", "onrustig", 40, 48, 0.8),
            Tag("scenario", "evenement", "demonstratie", 50, 62)]
    assert firm_labels(tags) == frozenset({"phase:escalatie"})
