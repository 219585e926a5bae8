"""Untrusted text: files of unstated encoding, and cells on their way into Excel and back."""

from __future__ import annotations

from datetime import datetime

import pytest

from onrust.text import decode_text, excel_original, excel_safe


@pytest.mark.parametrize("value, safe", [
    ('=HYPERLINK("https://evil.example","klik")', '\'=HYPERLINK("https://evil.example","klik")'),
    ("+31 6 12345678", "'+31 6 12345678"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("'=1+1", "''=1+1"),             # a typed quote before a formula keeps its own quote
    ("'s-Hertogenbosch", "'s-Hertogenbosch"),  # a leading quote of ordinary text stays as it is
    ("Gerucht = onzin", "Gerucht = onzin"),
    ("", ""),
    (-5, -5), (2.5, 2.5), (None, None), (datetime(2026, 11, 14, 21, 0), datetime(2026, 11, 14, 21, 0)),
])
def test_excel_safe_prefixes_only_text_that_would_start_a_formula(value, safe):
    assert excel_safe(value) == safe
    assert excel_original(safe) == value


TEXT = "Geïnformeerd: Jan de Vries, café ’t Hoekje."


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"), TEXT.encode("utf-8-sig"), TEXT.encode("cp1252"),
    TEXT.encode("utf-16"),                                  # with BOM, as Word's "Unicode-tekst"
    TEXT.encode("utf-16-le"), TEXT.encode("utf-16-be"),     # without BOM
], ids=["utf-8", "utf-8-bom", "cp1252", "utf-16-bom", "utf-16-le", "utf-16-be"])
def test_decode_text_reads_what_windows_and_office_write(data):
    assert decode_text(data) == TEXT


def test_decode_text_refuses_binary_data():
    with pytest.raises(ValueError):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_the_analists_markdown_keeps_its_formatting_but_no_link_or_image():
    from onrust.text import md_without_links

    written = "**Let op**\n- ![x](http://127.0.0.1:1/x.png)\n- [klik](javascript:alert(1)) www.example.com"
    out = md_without_links(written)
    assert out.startswith("**Let op**\n- ")
    assert "](" not in out.replace("\\](", "") and "![" not in out and "http://" not in out
    assert "www.example" not in out  # broken by a word joiner, so no autolink


def test_md_inert_keeps_headings_and_masks_but_no_link_image_or_tag_acts():
    from markdown_it import MarkdownIt

    from onrust.text import md_inert

    written = ("## Kop [naam] **vet**\n\n[x](javascript:alert(1)) ![p](http://127.0.0.1:1/p.png) "
               "<script>alert(2)</script> <http://e.example/>\n\n[r]: javascript:alert(3)\n\n[r]")
    html = MarkdownIt("commonmark").render(md_inert(written))
    assert "<h2>Kop [naam] <strong>vet</strong></h2>" in html
    assert "<a " not in html and "<img" not in html and "<script" not in html
    assert "[x](javascript:alert(1))" in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert md_inert("Brand in woning Thamerdal, 1 > 0") == "Brand in woning Thamerdal, 1 \\> 0"
