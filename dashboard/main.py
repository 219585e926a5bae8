"""Dashboard entry point: navigation over the pages that work."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run dashboard/main.py` from a checkout
    sys.path.insert(0, str(ROOT))

from dashboard import auth, data, sidebar  # noqa: E402
from dashboard.components import notices, tables  # noqa: E402
from onrust.errors import UserError  # noqa: E402
from onrust.settings import SettingsError  # noqa: E402

# (file under dashboard/views, Dutch title, icon); one line per page, the first is the start page.
# The folder is deliberately not called `pages/`: Streamlit would auto-discover that folder and,
# for a deep link such as /temperatuur, run the page alone without this shell and its sidebar.
PAGES = [
    ("omgevingsbeeld.py", "Omgevingsbeeld", ":material/newspaper:"),  # the analist's live picture
    ("temperatuur.py", "Temperatuur", ":material/thermostat:"),  # the driehoek's meeting view
    ("signalen.py", "Signalen", ":material/campaign:"),
    ("communicatie.py", "Communicatie", ":material/forum:"),
    ("taken.py", "Taken", ":material/checklist:"),  # 003 Deel II fase 1-3, 000 §2.1; scenario guidance
    ("logboek.py", "Logboek", ":material/history_edu:"),  # 003 fase 1.5, besluitenlijst 000 §2.3
    ("overleg.py", "Overleg", ":material/groups:"),  # team, agenda 000 Bijlage 3-5, overdracht, evaluatie
    ("terugblik.py", "Terugblik", ":material/replay:"),  # the evaluator's replay and review
    ("bronnen.py", "Bronnen", ":material/rss_feed:"),
    ("beheer.py", "Beheer", ":material/admin_panel_settings:"),  # audit trail for the beheerder
    ("over.py", "Over", ":material/info:"),
]


def main(default_page: str | None = None) -> None:
    """`default_page` opens another page first (tests use it to open one page in the real shell)."""
    # An emoji favicon is drawn by the browser itself (a data: URL). A ":material/...:" one, and the
    # pages' own icons when no page icon is set, make every browser fetch it from fonts.gstatic.com:
    # a request to Google on each page view of a municipality's crisis dashboard.
    st.set_page_config(page_title="Onrustmonitor", page_icon="🌡️", layout="wide")
    start = default_page or PAGES[0][0]
    pages = []
    for f, t, i in PAGES:
        script = str(ROOT / "dashboard" / "views" / f)
        if f != start:
            pages.append(st.Page(script, title=t, icon=i))
            continue
        # Streamlit serves the start page at / and answers its own name (/omgevingsbeeld, a
        # bookmark or a link in a mail) with an English "Page not found". A hidden twin under that
        # name opens it there too; the start page itself takes a name nobody links to.
        pages.append(st.Page(script, title=t, icon=i, default=True, url_path="start"))
        pages.append(st.Page(script, title=t, icon=i, url_path=Path(f).stem, visibility="hidden"))
    try:
        data.settings()  # the login reads [auth] from them too
    except SettingsError as exc:  # every page needs them: say so once, in Dutch, instead of a traceback
        tables.error(exc)
        st.stop()
    user = auth.sign_in()  # stops at the login or a refusal: no page and no sidebar without a user
    nav = st.navigation(pages)
    live = st.sidebar.container()  # under the page links: "binnengekomen sinds ...", filled below
    sidebar.render(user)
    # Above every page: what needs attention now. In one container, so a notice that comes or goes
    # does not move the page's own elements: Streamlit would take the tabs below for new ones and
    # show their first tab again, away from the form someone was filling in.
    with st.container():
        watched = notices.render()
    try:
        nav.run()
    except UserError as exc:  # e.g. another installation's name key: its Dutch message, not a traceback
        tables.error(exc)
    finally:  # also after a page's st.stop() ("nog geen berichten" is where news is awaited most)
        # In the sidebar and started after the page: drawn above the page, its ticks made the
        # browser drop unsent choices of the page's forms (notices.render has the figures).
        if watched is not None:
            with live:
                notices.watch(watched)


if __name__ == "__main__":
    main()
