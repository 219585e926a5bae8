"""Generated press texts: variants, kernboodschap, oneliners, prompts and exports."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from comms.press import (
    PressFields,
    Prompt,
    address,
    briefing_blocks,
    fields_from_dict,
    fields_to_dict,
    first_sentence,
    kernboodschap,
    om_leads,
    omgevingsbeeld_prompts,
    oneliners,
    open_prompts,
    prompts,
    render_template,
    text_to_blocks,
    variant_docx,
    variant_plaintext,
    variants,
)
from comms.rules import check_text
from onrust.docx import Bullets, Heading, Paragraph, read_docx_text

WHEN = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)

FIELDS = PressFields(
    titel="Brand in woning Thamerdal",
    wat=(
        "Bij een brand in een woning is zaterdagavond een bewoner om het leven gekomen. "
        "Twee buren zijn met rookinhalatie naar het ziekenhuis gebracht."
    ),
    waar="in de wijk Thamerdal",
    wanneer="zaterdagavond 21 november rond 22.00 uur",
    maatregelen="De gemeente heeft samen met de woningcorporatie opvang geregeld voor de buren.",
    handelingsperspectief="Kijkt u even bij uw buren, zeker als zij alleen wonen.",
    empathie="Wij zijn diep geschokt door dit nieuws. Onze gedachten zijn bij de familie en vrienden.",
    boegbeeld="burgemeester Heiliegers",
    contact_pers="woordvoerder Annemiek Bos, 06 12345678",
    vervolginfo="Morgen om 12.00 uur volgt een update op deze pagina.",
    telefoon="14 0297",
    website="uithoorn.nl/calamiteit",
)


def _by_key(value: PressFields) -> dict[str, str]:
    return {v.key: v.text for v in variants(value, "Uithoorn", WHEN)}


def test_all_variants_are_generated():
    texts = _by_key(FIELDS)
    assert list(texts) == ["persbericht", "website", "social", "bewonersbrief", "raadsinformatie"]


def test_persbericht_reads_like_a_municipal_release():
    text = _by_key(FIELDS)["persbericht"]
    assert text.startswith("PERSBERICHT\n\n## Brand in woning Thamerdal\n\n")
    assert "Uithoorn, 22 november 2026 – Bij een brand in een woning" in text
    assert "Het gebeurde zaterdagavond 21 november rond 22.00 uur in de wijk Thamerdal." in text
    assert 'Burgemeester Heiliegers: "Wij zijn diep geschokt door dit nieuws.' in text
    assert "Heeft u vragen? Bel dan 14 0297." in text
    assert "contact opnemen met woordvoerder Annemiek Bos, 06 12345678." in text
    assert "Openbaar Ministerie" not in text  # only when the OM leads


def test_empty_optional_fields_leave_no_half_sentences():
    text = _by_key(replace(FIELDS, boegbeeld="", telefoon="", handelingsperspectief=""))["persbericht"]
    assert "Bel dan" not in text
    assert ': "' not in text
    assert "\nWij zijn diep geschokt door dit nieuws." in text
    assert "\n\n\n" not in text


def test_om_sentence_when_criminal_investigation():
    texts = _by_key(replace(FIELDS, strafrechtelijk=True))
    for key in ("persbericht", "website", "bewonersbrief", "raadsinformatie"):
        assert "het Openbaar Ministerie mededelingen" in texts[key], key


def test_social_post_fits_and_keeps_the_link():
    long = replace(FIELDS, wat="Bij een zeer grote brand " + "in een flatgebouw met veel woningen " * 12 + "is schade.")
    for value in (FIELDS, long):
        social = _by_key(value)["social"]
        assert len(social) <= 280
        assert social.endswith("Meer informatie: uithoorn.nl/calamiteit")
        assert social.startswith("Brand in woning Thamerdal")
    # The long sentence does not fit and is left out whole; the next one that fits stays.
    assert "…" not in _by_key(long)["social"]
    assert _by_key(long)["social"].split("\n")[1] == "Wij zijn diep geschokt door dit nieuws."


def test_social_post_carries_the_hashtag():
    social = _by_key(replace(FIELDS, hashtag="#brandthamerdal"))["social"]
    assert social.endswith("Meer informatie: uithoorn.nl/calamiteit #brandthamerdal")


def test_social_post_without_website_points_to_phone():
    social = _by_key(replace(FIELDS, website=""))["social"]
    assert social.endswith("Vragen? Bel 14 0297.")


def test_raadsinformatie_holds_process_information_only():
    text = _by_key(FIELDS)["raadsinformatie"]
    assert "rookinhalatie" not in text and "om het leven" not in text  # no case details
    assert "Zaterdagavond 21 november rond 22.00 uur heeft zich in de wijk Thamerdal een calamiteit voorgedaan." in text
    assert "voordat de media het persbericht ontvangen" in text
    assert "De gemeente heeft samen met de woningcorporatie opvang geregeld" in text
    assert "woordvoerder Annemiek Bos" in text


def test_bewonersbrief_is_a_letter():
    text = _by_key(FIELDS)["bewonersbrief"]
    assert "Beste bewoner," in text
    assert text.rstrip().endswith("Met vriendelijke groet,\n\nBurgemeester Heiliegers")
    no_figurehead = _by_key(replace(FIELDS, boegbeeld=""))["bewonersbrief"]
    assert no_figurehead.rstrip().endswith("Het college van burgemeester en wethouders van Uithoorn")


def test_generated_texts_pass_the_rules():
    """Our own templates must not trip our own warnings (e.g. no 'zou', no promise, short sentences)."""
    for key, text in _by_key(replace(FIELDS, strafrechtelijk=True)).items():
        found = check_text(text, strafrechtelijk=True, finder=lambda t, involved=(): [])
        assert [(f.rule, f.passage) for f in found if f.severity != "hint"] == [], key


def test_kernboodschap_uses_the_three_aims():
    kern = kernboodschap(FIELDS)
    assert [(aim.key, text) for aim, text in kern.parts] == [
        ("betekenisgeving", "Wij zijn diep geschokt door dit nieuws."),
        (
            "informatievoorziening",
            "Bij een brand in een woning is zaterdagavond een bewoner om het leven gekomen. "
            "De gemeente heeft samen met de woningcorporatie opvang geregeld voor de buren.",
        ),
        ("schadebeperking", "Kijkt u even bij uw buren, zeker als zij alleen wonen."),
    ]
    assert kern.missing == ()
    assert [a.key for a in kernboodschap(replace(FIELDS, handelingsperspectief="")).missing] == ["schadebeperking"]


def test_oneliners():
    lines = oneliners(replace(FIELDS, strafrechtelijk=True))
    assert lines[0] == "Wij zijn diep geschokt door dit nieuws."
    assert ("Over het strafrechtelijk onderzoek doet het Openbaar Ministerie mededelingen; "
            "daar lopen wij niet op vooruit.") in lines
    assert lines[-2:] == ["Heeft u vragen? Bel 14 0297.", "Kijk voor actuele informatie op uithoorn.nl/calamiteit."]
    assert all(len(line) < 140 for line in lines)


def test_template_rules():
    template = "%% uitleg\n?a Kop\n$a\n!a Geen a\n$b en $a\n${a}x"
    assert render_template(template, {"a": "A", "b": ""}) == "Kop\nA\nAx\n"
    assert render_template(template, {"a": "", "b": "B"}) == "Geen a\n"


def test_first_sentence_keeps_times_and_abbreviations():
    assert first_sentence("Om 22.00 uur brak brand uit. Niemand raakte gewond.") == "Om 22.00 uur brak brand uit."
    assert first_sentence("Hulp o.a. van de GGD. Meer volgt.") == "Hulp o.a. van de GGD."
    assert first_sentence("Zij zei: \"Wij leven mee.\" Daarna ging zij.") == "Zij zei: \"Wij leven mee.\""


def test_prompts_are_recorded_when_addressed():
    available = prompts(
        questions=[("vraag:1", "Is het drinkwater veilig?")],
        rumours=[("signal:7", "Er zou brand zijn gesticht (onbevestigd)")],
    )
    assert [(p.kind, p.action) for p in available] == [("gerucht", "weerleg"), ("vraag", "beantwoord")]
    value = address(FIELDS, available[0], "Over de oorzaak is nog niets bekend; de brandweer doet onderzoek.")
    assert [a.ref for a in value.addressed] == ["signal:7"]
    assert open_prompts(value, available) == [available[1]]
    assert "Over de oorzaak is nog niets bekend" in _by_key(value)["persbericht"]
    assert address(value, available[0], "  ").addressed == ()


def test_fields_round_trip_through_json_dict():
    value = address(FIELDS, Prompt("vraag", "vraag:1", "Is het water veilig?"), "Ja, het water is veilig.")
    assert fields_from_dict(fields_to_dict(value)) == value
    assert fields_from_dict({"titel": "Oud", "onbekend_veld": 1}) == PressFields(titel="Oud")


def test_text_to_blocks():
    assert text_to_blocks("## Kop\nTekst\n- een\n- twee\n-----\nEind") == [
        Heading("Kop", level=2), Paragraph("Tekst"), Bullets(("een", "twee")), Paragraph("Eind"),
    ]


def test_variant_docx_round_trip():
    persbericht = variants(FIELDS, "Uithoorn", WHEN)[0]
    text = read_docx_text(variant_docx(persbericht, FIELDS, "Uithoorn", WHEN))
    lines = text.split("\n")
    assert lines[0] == "Persbericht: Brand in woning Thamerdal"
    assert lines[1] == "Gemeente Uithoorn, 22 november 2026, 09:00"
    assert "Brand in woning Thamerdal" in lines[2:4]
    assert ('Burgemeester Heiliegers: "Wij zijn diep geschokt door dit nieuws. '
            'Onze gedachten zijn bij de familie en vrienden."') in lines
    assert "## " not in variant_plaintext(persbericht)


def test_prompts_from_a_saved_omgevingsbeeld():
    content = {
        "questions": [{"text": "Is het drinkwater nog veilig?", "count": 4, "sources": [], "first_at": None}],
        "rumours": [
            {"item_id": 12, "title": "Brand zou zijn aangestoken", "publisher": "Lokaal Nieuws"},
            {"item_id": None, "title": "Signaal zonder item", "publisher": ""},  # signals come from the store
        ],
    }
    questions, rumours = omgevingsbeeld_prompts(content)
    assert questions == [(questions[0][0], "Is het drinkwater nog veilig?")]
    assert questions[0][0].startswith("vraag:") and questions == omgevingsbeeld_prompts(content)[0]
    assert rumours == [("item:12", "Brand zou zijn aangestoken")]
    assert omgevingsbeeld_prompts(None) == ([], [])


def test_briefing_for_spokespeople():
    blocks = briefing_blocks(replace(FIELDS, handelingsperspectief=""))
    assert blocks[:4] == [
        Heading("Kernboodschap"),
        Paragraph("Betekenis geven / duiden: Wij zijn diep geschokt door dit nieuws."),
        Paragraph(
            "Informeren: Bij een brand in een woning is zaterdagavond een bewoner om het leven gekomen. "
            "De gemeente heeft samen met de woningcorporatie opvang geregeld voor de buren."
        ),
        Paragraph("Schade beperken: nog niet ingevuld"),
    ]
    assert blocks[4] == Heading("Oneliners")
    assert blocks[5].items[0] == "Wij zijn diep geschokt door dit nieuws."


def test_om_leads_follows_the_woordvoering_decision():
    decided = {"woordvoering": {"value": "...", "details": {"vraag": {"strafbaar_feit": True}}}}
    assert om_leads(decided) is True
    assert om_leads({"woordvoering": {"details": {"vraag": {"strafbaar_feit": False}}}}) is False
    assert om_leads({"accent": {"details": None}}) is False
    assert om_leads(None) is False


def test_alike_prompts_are_grouped_and_kinds_stay_apart():
    from comms.press import Prompt, group_prompts

    prompts = [
        Prompt("gerucht", "signal:1", "De verdachte is vrijgelaten en weer thuis (onbevestigd)"),
        Prompt("gerucht", "item:7", "Verdachte vrijgelaten en weer thuis"),
        Prompt("gerucht", "signal:2", "De school gaat morgen dicht (ontkracht)"),
        Prompt("vraag", "vraag:abc", "Is de verdachte vrijgelaten en weer thuis?"),
    ]
    groups = group_prompts(prompts)
    assert [[p.ref for p in g.prompts] for g in groups] == [["signal:1", "item:7"], ["signal:2"], ["vraag:abc"]]
    assert groups[0].lead.ref == "signal:1"
