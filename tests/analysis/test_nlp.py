"""The spaCy pipeline: blank Dutch with lookup lemmas equal to spaCy's own lookup lemmatizer."""

from __future__ import annotations

import spacy

from analysis.nlp import FAST_LEMMAS, blank_dutch, load_nlp

TEXT = "Bedreigde relschoppers werden gearresteerd; agenten bekogeld en ruiten ingegooid. Rellen!"


def test_fast_lemmas_equal_spacy_lookup_lemmatizer():
    reference = spacy.blank("nl")
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.initialize()
    assert [t.lemma_ for t in blank_dutch()(TEXT)] == [t.lemma_ for t in reference(TEXT)]


def test_blank_pipeline_when_no_pretrained_model_is_wanted():
    nlp, name = load_nlp(prefer_pretrained=False)
    assert nlp.pipe_names == [FAST_LEMMAS] and name.startswith("blank-nl-")
    assert [t.lemma_ for t in nlp("bedreigd bedreigingen Bedreigde")] == ["bedreigen", "bedreiging", "bedreigen"]
