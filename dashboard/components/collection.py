"""Bronnen actions that take long: collecting now and re-tagging, both on the background worker."""

from __future__ import annotations

from typing import Any

import streamlit as st

from analysis.jobs import retag
from collectors.ingest import FeedReport
from collectors.run import NETWORK_KINDS, collect_sources
from dashboard import data
from dashboard.components import jobs, tables
from onrust import hooks
from onrust.store import Store
from onrust.worker import Progress

COLLECT_KEY = "bronnen_collect_job"
RETAG_KEY = "bronnen_retag_job"


def fetch_now() -> None:
    """The "Nu ophalen" button and the status of the collection it queued."""
    if st.button("Nu ophalen", help="alle bronnen die aan staan, ook als ze nog niet aan de beurt zijn"):
        if not [s for s in data.query(Store.sources, enabled_only=True) if s.kind in NETWORK_KINDS]:
            st.info("Er staat geen bron aan om op te halen. Zet hierboven bronnen aan en sla op.")
        else:
            store, settings, pipeline = data.store(), data.settings(), hooks.after_ingest()

            def collect(progress: Progress) -> list[FeedReport]:
                # Which sources are on is read when the job runs: a switch saved meanwhile counts.
                return collect_sources(store, settings, store.sources(enabled_only=True),
                                       after_ingest=pipeline, force=True, progress=progress)

            jobs.start(COLLECT_KEY, "collect", "Bronnen ophalen", collect)
    jobs.status(COLLECT_KEY, _show_reports)


def _show_reports(reports: list[FeedReport]) -> None:
    if not reports:
        st.info("Geen bron opgehaald: er staat geen bron aan die via het netwerk wordt opgehaald.")
    for r in reports:
        line = ("ongewijzigd" if r.not_modified
                else f"{r.new} nieuw, {r.updated} bijgewerkt, {r.duplicates} dubbel")
        if r.error:  # a source's name and a server's error text: escaped by tables.error
            tables.error(r.error, lead=f"{r.source}: ")
        else:
            st.text(f"{r.source}: {line}")


def retag_form() -> None:
    """Tag again after a lexicon change (what `onrust retag` does), then link to open incidents."""
    st.write("Na een wijziging van de lexicons of de extra lexicons van een incident: items opnieuw taggen "
             "en daarna opnieuw koppelen aan de open incidenten. Normaal doet de collectie dit vanzelf "
             "voor nieuwe items en voor de kijkperiode van open incidenten.")
    everything = st.checkbox("Ook items die met deze taggerversie al getagd zijn", key="bronnen_retag_all",
                             help="alle items opnieuw; bij een grote database duurt dat enkele minuten")
    if st.button("Opnieuw taggen", key="bronnen_retag"):
        store, settings = data.store(), data.settings()

        def run(progress: Progress) -> dict[str, Any]:
            return retag(store, settings, everything=everything, progress=progress)

        jobs.start(RETAG_KEY, "retag", "Opnieuw taggen (alle items)" if everything else "Opnieuw taggen", run)
    jobs.status(RETAG_KEY, _show_retag)


def _show_retag(report: dict[str, Any]) -> None:
    linked = ", ".join(f"incident {k}: {v}" for k, v in report["gekoppeld"].items()) or "geen open incidenten"
    st.success(f"{report['getagd']} items getagd met {report['tagger']}; gekoppeld: {linked}.")
