"""One realistic, rule-clean persbericht (fictional) shared by the rule and page tests."""

from comms.press import PressFields

# No telefoon: the website alone answers "waar kunnen mensen terecht" (000 Bijlage 6).
EXAMPLE = PressFields(
    titel="Brand in woning Thamerdal",
    wat="Bij een brand in een woning is zaterdagavond een bewoner om het leven gekomen.",
    waar="in de wijk Thamerdal",
    wanneer="zaterdagavond 21 november rond 22.00 uur",
    duiding="Hoe de brand kon ontstaan, onderzoekt de brandweer nog.",
    maatregelen="De gemeente heeft opvang geregeld voor de buren.",
    empathie="Wij zijn diep geschokt. Onze gedachten zijn bij de familie.",
    boegbeeld="burgemeester Heiliegers",
    contact_pers="woordvoerder Annemiek Bos, 06 12345678",
    vervolginfo="Morgen om 12.00 uur volgt een update.",
    website="uithoorn.nl/calamiteit",
)
