"""Bronnen: which sources are collected, whether they work, and adding or switching them."""

from datetime import timedelta

import streamlit as st

from collectors.catalog import install_defaults, plan_source
from collectors.fetch import FetchError, check_url
from collectors.health import collection_gaps, health_table
from collectors.kinds import KINDS
from collectors.probe import ProbeResult, probe
from dashboard import auth, data
from dashboard.components import collection, tables
from dashboard.components.forms import refused
from onrust.display import label
from onrust.errors import UserError
from onrust.models import REACHES
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import utcnow

user = auth.require_page("bronnen")
st.title("Bronnen")
st.caption("Wat er verzameld wordt en of het werkt. 'Verzamelt niet' betekent: geen gegevens, niet: rustig.")
manage = auth.allows(user, "bronnen_beheren")  # switching, fetching, re-tagging and adding sources
conf = data.settings().collect
table = health_table(data.query(Store.source_overview), utcnow(), conf)

if table.empty:
    st.info("Nog geen bronnen. Laad de standaardlijst met Nederlandse bronnen of voeg er zelf een toe.")
else:
    active = table[table["aan"]]
    cols = st.columns(4)
    cols[0].metric("Bronnen aan", len(active))
    cols[1].metric("Storing", int((active["status"] == "storing").sum()))
    cols[2].metric("Verzamelt niet", int((active["status"] == "verzamelt niet").sum()))
    cols[3].metric("Stil (verouderd)", int((active["status"] == "stil (verouderd)").sum()))
    dark = active[active["status"].isin(["storing", "verzamelt niet"])]
    if not dark.empty:
        st.error("Geen gegevens van: " + ", ".join(md_escape(b) for b in dark["bron"])
                 + ". Stilte van deze bronnen is geen rust.")
    tables.table(table)
    failed = data.query(Store.item_errors)
    if not failed.empty:  # a table shows titles as plain text: no markdown from a feed is rendered
        st.subheader("Items met een fout")
        st.caption("Taggen of koppelen lukte niet voor deze items. Ze zijn bewaard en de rest is verwerkt; "
                   "een nieuwe taggerversie of een correctie van het item probeert het opnieuw.")
        tables.table(failed)

    if manage:
        with st.form("aan_uit"):
            chosen = st.multiselect("Bronnen die verzameld worden", table["bron"].tolist(),
                                    default=active["bron"].tolist(), placeholder="Kies bronnen")
            if st.form_submit_button("Opslaan"):
                try:
                    for source in data.store().sources():
                        if source.enabled != (source.name in chosen):
                            data.store().set_source_enabled(source.id, source.name in chosen, actor=user.id)
                except UserError as exc:  # a read-only database file
                    refused(exc)
                else:
                    st.session_state["sources_flash"] = (f"{len(chosen)} bron staat aan." if len(chosen) == 1
                                                         else f"{len(chosen)} bronnen staan aan.")
                    st.rerun()
        if (flash := st.session_state.pop("sources_flash", None)) is not None:
            st.success(flash)

        collection.fetch_now()

with st.expander("Onderbrekingen in de collectie (laatste 7 dagen)"):
    now = utcnow()
    week_ago = (now - timedelta(days=7)).replace(minute=0, second=0, microsecond=0)  # cacheable key
    runs = data.query(Store.collection_runs, since=week_ago)
    gaps = collection_gaps(runs, max_gap=timedelta(seconds=3 * conf.max_interval_seconds), until=now)
    if runs.empty:  # no runs at all is the largest gap, never "no interruptions"
        st.warning("Deze week is niets opgehaald: geen enkele collectie gedraaid. Zet bronnen aan en "
                   "controleer dat `onrust serve` draait zonder `--no-collect`.")
    elif gaps.empty:
        st.write("Geen onderbrekingen: elke bron is steeds opgehaald.")
    else:
        tables.table(gaps.drop(columns="source_id"))



def _add_source_form() -> None:
    with st.form("toevoegen", clear_on_submit=False):
        st.subheader("Bron toevoegen")
        name = st.text_input("Naam")
        kind = st.selectbox("Soort", KINDS, format_func=lambda k: label("source_kind", k),
                            help="RSS/Atom-feed en Mastodon: het feedadres; zoekfeed en GDELT: zoektermen; "
                                 "JSON-API: politie.nl (andere API's: `onrust sources add --mapping`)")
        url = st.text_input("Adres (https://…)")
        terms = st.text_input("Zoektermen (zoekfeed, GDELT), gescheiden door komma's")
        reach = st.selectbox("Bereik", REACHES, index=1)
        publisher = st.text_input("Uitgever (optioneel)")
        if st.form_submit_button("Testen en toevoegen"):
            try:
                if not name.strip():
                    raise ValueError("Geef de bron een naam.")
                target, stored, config = plan_source(
                    kind, url, terms.split(","), allow_accounts=data.settings().privacy.show_account_handles)
                check_url(target, data.settings())
            except (FetchError, ValueError) as exc:
                tables.error(str(exc))
            else:
                result = probe(target, kind, data.settings(), config)
                if result.error:
                    tables.error(result.error, lead="Testophalen mislukt: ")
                elif data.store().source_by_name(name.strip()) is not None:
                    st.error(f"Er is al een bron met de naam {md_escape(repr(name.strip()))}.")
                else:
                    _add_source(name.strip(), kind, stored, reach, publisher.strip() or None, config, result)


def _add_source(name: str, kind: str, url: str | None, reach: str, publisher: str | None, config: dict | None,
                result: ProbeResult) -> None:
    try:
        data.store().add_source(name, kind=kind, url=url, reach=reach, publisher=publisher, config=config or None,
                                actor=user.id)
    except UserError as exc:  # a read-only database file
        refused(exc)
        return
    st.success(f"{md_escape(name)} toegevoegd: {result.items} items gevonden.")
    for title in result.sample:
        st.text(title)


if manage:
    with st.expander("Opnieuw taggen"):
        collection.retag_form()

    with st.expander("Standaardlijst Nederlandse bronnen"):
        st.write("Landelijke en regionale omroepen, politie en sociale bronnen; ze worden uitgeschakeld toegevoegd.")
        if st.button("Standaardlijst laden"):
            try:
                added = install_defaults(data.store())
            except UserError as exc:  # a read-only database file
                refused(exc)
            else:
                st.success(f"{len(added)} bronnen toegevoegd (uit).")
    _add_source_form()
