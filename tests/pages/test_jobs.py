"""The job status box on its own: nothing before a start, a failure shown in plain Dutch."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.apptest import finish_job


def _script() -> None:
    import streamlit as st

    from dashboard.components import jobs
    from onrust.errors import UserError

    def fail(progress) -> None:
        progress(0.4, "bijna")
        raise UserError("De bron bestaat niet meer.")

    if st.button("Start"):
        jobs.start("proef_job", "test", "Proefklus", fail)
    jobs.status("proef_job", st.write, failed_hint="Het kijkprofiel is wel bewaard.")


def test_a_failed_job_is_shown_as_mislukt_with_the_reason():
    at = AppTest.from_function(_script, default_timeout=30)
    at.run()
    assert not at.status
    at.button[0].click().run()
    status = finish_job(at, "proef_job")
    assert (status.state, status.fraction) == ("failed", 0.4)
    assert not at.exception
    assert [(s.label, s.state) for s in at.status] == [("Proefklus: mislukt", "error")]
    assert [e.value for e in at.error] == ["Mislukt: De bron bestaat niet meer."]
    assert [i.value for i in at.info] == ["Het kijkprofiel is wel bewaard."]
    # The exception text is behind an expander (issue 13: no technical text in the message itself).
    assert [x.label for x in at.expander] == ["Technische details"]
    assert [t.value for t in at.expander[0].text] == ["UserError: De bron bestaat niet meer."]
