"""The person detector guards privacy on every text a feed can send: it must never raise."""

from __future__ import annotations

import random

import pytest

from analysis.persons import find_person_names


def names(text: str) -> list[str]:
    return [t.text for t in find_person_names(text) if t.key == "persoon"]


def test_question_opening_with_a_first_name_that_is_also_a_particle():
    # "Ben" is a first name and a particle ("Ben Ali"); a question's verb closes no surname.
    text = (
        "Ben je klant van Odido en is je wachtwoord gelekt? Na het datalek bij de provider "
        "liggen de gegevens van miljoenen klanten op straat."
    )
    assert names(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Ben je slachtoffer van het datalek bij KPN?", []),
    ("Wil je weten of jouw gegevens op straat liggen?", []),
    ("Ben Ali vertrok naar Saoedi-Arabië", ["Ben Ali"]),
    ("Ben de Groot zegt dat hij niets wist", ["Ben de Groot"]),
    ("Ben", ["Ben"]),
    ("Van", []),
    ("De Van der", []),
])
def test_particles_at_the_end_or_before_lower_case_words(text, expected):
    assert names(text) == expected


_ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ÀÉÖÜßçşğıİŠŽłØåæœ",
    "абвгдАБВГД",          # Cyrillic
    "αβγΔΣΩ",              # Greek
    "שלוםمرحبا",           # Hebrew, Arabic
    "漢字かなカナ한글",      # CJK, Hangul
    "𝔄𝔅ℭ𝕏😀👍🏽",          # astral plane, emoji with modifier
)
_PUNCTUATION = ".,;:!?'\"’‘“”„«»()[]{}-–—/\\|&*#@%$€+=<>~^`_…•·"
_CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\u0085\u200b\u200c\u200d\u2028\u2029\ufeff\ufffd"
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
_PIECES = (
    "Ben", "Van", "van der", "De", "de", "'t", "’s", "J.", "J.P.", "Th.", "Ds.", "Mark de V.",
    "burgemeester", "in", "uit", "en", "(23)", ", 23,", ": ", "zaak-", "-", "Jan-Willem", "Kok's",
    "je", "Femke Halsema", "Lindsay Davenport", "Davenport", "US Open", "Van der", "Van den Berg-de",
)


def _random_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 40)):
        roll = rng.random()
        if roll < 0.3:
            parts.append(rng.choice(_PIECES))
        elif roll < 0.6:
            alphabet = rng.choice(_ALPHABETS)
            parts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))))
        elif roll < 0.75:
            parts.append(rng.choice(_PUNCTUATION) * rng.randint(1, 3))
        elif roll < 0.85:
            parts.append(rng.choice(_CONTROL + _BIDI))
        elif roll < 0.95:
            parts.append(chr(rng.randint(0, 0x10FFFF)).encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
        else:
            parts.append(rng.choice([" ", "\u00a0", "\n", "\t", "  ", "\r\n"]))
        parts.append(rng.choice(["", " ", " ", "\u00a0", "\n"]))
    return "".join(parts)


def _check(text: str) -> None:
    tags = find_person_names(text, involved=["Mark de Vries", "Ben"])
    for tag in tags:
        assert 0 <= tag.start < tag.end <= len(text)
        assert text[tag.start:tag.end] == tag.text


def test_random_texts_never_raise():
    rng = random.Random(20260314)
    for _ in range(3000):
        _check(_random_text(rng))


@pytest.mark.parametrize("text", [
    "",
    " ",
    "\x00",
    "\x00" * 1000,
    "." * 5000,
    _PUNCTUATION * 50,
    "\u202eFemke Halsema\u202c zegt",
    "Femke\u200bHalsema",
    "Ben\x00je",
    "Van\nder\nLaan",
    "J." * 3000,
    "Van " * 3000,
    "Ben " * 3000,
    "A" * 100_000,
    ("Burgemeester Femke Halsema en Ben van der Meer (34) uit Zoutkamp. " * 1600)[:100_000],
    "".join(chr(c) for c in range(0x20, 0x3000)),
    "İstanbul Şenay Kaya ǅemal ǈubica ﬁnn",
])
def test_edge_case_texts_never_raise(text):
    _check(text)


def test_random_100k_texts_never_raise():
    rng = random.Random(7)
    for _ in range(3):
        text = ""
        while len(text) < 100_000:
            text += _random_text(rng)
        _check(text[:100_000])
