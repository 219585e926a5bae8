"""Persbericht tab: fields (000 Bijlage 6), rule findings, generated texts, review workflow, exports."""

from __future__ import annotations

from datetime import datetime
from functools import partial

import streamlit as st

from comms import press, press_export, rules, workflow
from comms.involved import add_incident_person
from comms.strategy import strategy_in_period
from dashboard import auth, data
from dashboard.components import tables
from dashboard.components.forms import keep_label_fresh, refused
from onrust.auth import User
from onrust.crypto import NameKeyMissing
from onrust.display import export_name
from onrust.errors import UserError
from onrust.models import Finding, Incident, InvolvedPerson, PressRelease, PressVersion
from onrust.store import Store
from onrust.text import md_escape
from onrust.timeutil import fmt_local, utcnow

_SHOW = {"blokkerend": st.error, "waarschuwing": st.warning, "hint": st.info}


# Workflow steps and the right each needs: submitting is the writer's, judging the reviewer's.
_STEP_RIGHT = {"indienen": "persbericht_schrijven", "afkeuren": "persbericht_goedkeuren",
               "goedkeuren": "persbericht_goedkeuren", "terugzetten": "persbericht_goedkeuren",
               "versturen": "persbericht_goedkeuren"}


def _choose(incident: Incident, as_of: datetime | None) -> PressRelease | None:
    releases = data.query(Store.press_releases, incident_id=incident.id)
    if as_of is not None:  # a past period: the releases that existed then, as they stood
        then = (workflow.release_as_of(r, data.query(Store.press_versions, release_id=r.id),
                                       data.query(Store.press_events, release_id=r.id), as_of) for r in releases)
        releases = [r for r in then if r is not None]
    by_id = {r.id: r for r in releases}
    key = f"press_release_{incident.id}"
    if f"{key}_new" in st.session_state:  # a release just created becomes the selection
        st.session_state[key] = st.session_state.pop(f"{key}_new")
    if st.session_state.get(key) not in (None, *by_id):
        st.session_state.pop(key)

    def label(rid: int | None) -> str:
        return "+ Nieuw bericht" if rid is None else (
            f"{by_id[rid].title} · {workflow.STATUS_LABELS[by_id[rid].status]} · versie {by_id[rid].latest.version}")

    keep_label_fresh(key, label)
    chosen = st.selectbox("Bericht", [None, *by_id], key=key, format_func=label)
    return None if chosen is None else by_id.get(chosen)


def _prompts(incident: Incident) -> list[press.Prompt]:
    saved = data.query(Store.press_omgevingsbeeld, incident_id=incident.id)
    questions, rumours = press.omgevingsbeeld_prompts(saved["content"] if saved else None)
    rumours += data.query(Store.press_rumours, incident_id=incident.id)
    return press.prompts(questions, rumours)


def _prompt_fields(rid: object, groups: list[press.PromptGroup], answered: dict[str, str]) -> dict[str, str]:
    """One answer per group of alike rumours or questions, rumours and questions apart."""
    answers: dict[str, str] = {}
    if not groups:
        return answers
    done = sum(any(p.ref in answered for p in g.prompts) for g in groups)
    st.markdown("**Vragen en geruchten uit het omgevingsbeeld** (leeg laten = niet behandeld)")
    st.caption(f"{done} van {len(groups)} behandeld in deze versie")
    for kind, title in (("gerucht", "Geruchten om te weerleggen"), ("vraag", "Vragen om te beantwoorden")):
        mine = [g for g in groups if g.lead.kind == kind]
        if not mine:
            continue
        with st.expander(f"{title} ({len(mine)})", expanded=kind == "gerucht"):
            for group in mine:
                lead = group.lead
                alike = f" (en {len(group.prompts) - 1} vergelijkbare)" if len(group.prompts) > 1 else ""
                before = next((answered[p.ref] for p in group.prompts if p.ref in answered), "")
                answers[lead.ref] = st.text_area(  # the label is Markdown; the prompt is feed or signal text
                    f"{lead.action.capitalize()}: {md_escape(lead.text)}{alike}", value=before,
                    key=f"press_prompt_{rid}_{lead.ref}",
                )
    return answers


def _form(incident: Incident, release: PressRelease | None, value: press.PressFields, author: str,
          locked: bool) -> None:
    rid = release.id if release else "nieuw"
    groups = press.group_prompts(_prompts(incident))
    answered = {a.ref: a.answer for a in value.addressed}
    with st.form(f"press_form_{incident.id}_{rid}"):
        entered = {}
        for spec in press.load_config().fields:
            widget = st.text_area if spec.multiline else st.text_input
            mark = " *" if spec.missing == "blokkerend" else ""
            entered[spec.key] = widget(spec.label + mark, value=getattr(value, spec.key),
                                       help=f"{spec.help} ({spec.ref})")
        om = st.checkbox("Het OM leidt de communicatie over een strafrechtelijk onderzoek", value=value.strafrechtelijk)
        phases = press.load_config().strafzaak
        fase = st.selectbox("Fase van de strafzaak", list(phases), index=list(phases).index(value.strafzaak_fase)
                            if value.strafzaak_fase in phases else 0, format_func=phases.__getitem__,
                            help=f"In fase 1 staat geheimhouding voorop ({press.load_config().strafzaak_ref}).")
        answers = _prompt_fields(rid, groups, answered)
        note = st.text_input("Toelichting bij deze versie")
        submitted = st.form_submit_button("Opslaan als nieuwe versie", type="primary", disabled=locked)
    if not submitted:
        return
    new = press.PressFields(**entered, strafrechtelijk=om, strafzaak_fase=fase)
    for group in groups:
        for prompt in group.prompts:
            new = press.address(new, prompt, answers[group.lead.ref])
    stored = press.fields_to_dict(new)
    try:
        if release is None:
            created = data.store().create_press_release(incident.id, stored, author)
            st.session_state[f"press_release_{incident.id}_new"] = created
        else:
            workflow.save_press_version(data.store(), release.id, stored, author, note=note)
    except UserError as exc:
        refused(exc)
        return
    data.changed()
    st.rerun()


def _findings(found: list[Finding], title: str = "Toets") -> None:
    """Missing parts as one block per severity (a list to work through, not a wall of red);
    every finding in the text as its own block with why, source and suggestion."""
    tally = rules.counts(found)
    st.markdown(f"**{title}:** {tally['blokkerend']} blokkerend, {tally['waarschuwing']} waarschuwing, "
                f"{tally['hint']} hint")
    labels = {spec.key: spec.label for spec in press.load_config().fields}
    missing = [f for f in found if f.rule == "ontbrekend_veld"]
    for severity in ("blokkerend", "waarschuwing", "hint"):
        parts = [f for f in missing if f.severity == severity]
        if parts:
            head = parts[0].label.split(" (")[0] if len(parts) == 1 else (
                "Verplicht onderdeel ontbreekt" if severity == "blokkerend" else "Onderdeel ontbreekt")
            names = "; ".join(md_escape(f.label.split(" (", 1)[1].rstrip(")") if " (" in f.label
                                        else labels.get(f.where, f.where)) for f in parts)
            refs = "; ".join(dict.fromkeys(f.ref for f in parts))
            _SHOW[severity](f"{head} ({len(parts)}): {names}\n\n{md_escape(parts[0].why, one_line=False)} ({refs})")
    for f in found:
        if f.rule == "ontbrekend_veld":
            continue
        where = f" · {labels.get(f.where, f.where.split(':')[0])}" if f.where else ""
        passage = f" — “{md_escape(f.passage)}”" if f.passage else ""  # typed text, doelgroep names
        _SHOW[f.severity](f"{md_escape(f.label)}{where}{passage}\n\n{md_escape(f.why, one_line=False)} "
                          f"({f.ref})\n\nVoorstel: {md_escape(f.suggestion, one_line=False)}")


def _calm_start() -> None:
    """An empty form gets what to fill in, not a wall of findings: these appear as fields are filled."""
    required = [spec.label for spec in press.load_config().fields if spec.missing == "blokkerend"]
    st.info("Nog niets ingevuld. De toets verschijnt zodra u de velden invult en opslaat. "
            "Verplicht (*): " + "; ".join(required) + " (000 Bijlage 6).")


def _texts(incident: Incident, out: press_export.Outward) -> None:
    """Everything here can be copied or downloaded: built from the outward fields (names masked)."""
    when = utcnow()
    if out.draft:
        masked = f"; geregistreerde namen staan er als {press_export.MASK} in" if out.involved else ""
        st.caption(f"Concept: downloads zijn gemarkeerd als CONCEPT{masked}.")
    kern = press.kernboodschap(out.value)
    st.markdown("**Kernboodschap**")
    st.text(kern.text or "—")
    if kern.missing:
        st.caption("Nog niet gedekt: " + ", ".join(a.label for a in kern.missing))
    st.markdown("**Oneliners voor iedereen die de pers te woord staat**")
    st.code("\n".join(press.oneliners(out.value)) or "—", language=None, wrap_lines=True)
    briefing = press_export.briefing_docx(out, incident.name, incident.municipality, when)
    st.download_button("Woordvoeringslijn (Word)", briefing,
                       export_name("woordvoeringslijn", incident.name, when, "docx"), key=f"briefing_{incident.id}")
    variants = press_export.variants(out, incident.municipality, when)
    for tab, variant in zip(st.tabs([v.label for v in variants]), variants, strict=True):
        with tab:
            if variant.key == "social":
                st.caption(f"{len(variant.text)} tekens (max. 280): kopieer met de knop rechtsboven")
            st.code(press.variant_plaintext(variant), language=None, wrap_lines=True)
            name = partial(export_name, variant.key, incident.name, when)
            a, b, c = st.columns(3)
            a.download_button("Word", press_export.variant_docx(out, variant, incident.municipality, when),
                              name("docx"), key=f"docx_{variant.key}")
            b.download_button("Markdown", press_export.variant_markdown(out, variant), name("md"),
                              key=f"md_{variant.key}")
            c.download_button("Tekst", press_export.variant_plaintext(out, variant), name("txt"),
                              key=f"txt_{variant.key}")


def _status(release: PressRelease) -> None:
    st.markdown(f"**Status:** {workflow.STATUS_LABELS[release.status]} sinds {fmt_local(release.status_at)} "
                f"({md_escape(release.status_by)})")


def _workflow(incident: Incident, release: PressRelease, found: list[Finding], user: User) -> None:
    _status(release)
    blocking = sum(f.severity == "blokkerend" for f in found)
    warnings: list[Finding] = []
    accepted = True
    if "versturen" in workflow.actions(release.status):
        warnings = workflow.presend_warnings(data.query(Store.press_informed, incident_id=incident.id))
        if warnings:
            _findings(warnings, "Voor het versturen")
            accepted = st.checkbox("Ik heb deze waarschuwingen gezien en verstuur toch", key=f"press_ack_{release.id}")
    comment = st.text_input("Opmerking bij deze stap", key=f"press_comment_{release.id}")
    steps = workflow.actions(release.status)
    for right in sorted({_STEP_RIGHT[a] for a in steps}):
        if not incident.is_closed and not auth.may(user, right):
            st.info(auth.permissions().refusal(user, right))
    for action in steps:
        if st.button(workflow.ACTION_LABELS[action], key=f"press_{action}_{release.id}",
                     disabled=incident.is_closed or not auth.may(user, _STEP_RIGHT[action])):
            if action == "versturen" and not accepted:
                st.error("Vink eerst aan dat u de waarschuwingen hebt gezien (ze worden bij de stap vastgelegd).")
                continue
            try:
                workflow.press_step(data.store(), release.id, action, user.id, comment=comment,
                                    blocking=blocking, warnings=warnings if action == "versturen" else ())
            except UserError as exc:
                refused(exc)
                continue
            data.changed()
            st.rerun()


def _history(release: PressRelease) -> None:
    """The versions and steps up to the shown version (a past period ends the list there)."""
    versions = [v for v in data.query(Store.press_versions, release_id=release.id)
                if v.version <= release.latest.version]
    with st.expander(f"Versies ({len(versions)}) en controlestappen"):
        numbers = [v.version for v in versions]
        if len(numbers) > 1:
            old, new = st.select_slider("Vergelijk versies", numbers, value=(numbers[-2], numbers[-1]),
                                        key=f"press_diff_{release.id}")
            by = {v.version: v for v in versions}
            _comparison(by[old], by[new])
        events = data.query(Store.press_events, release_id=release.id)
        events = events[events["version"] <= release.latest.version]
        st.markdown("**Controlestappen**")
        tables.table(events.drop(columns=["warnings"]), key=f"press_events_{release.id}")


def _marked(pieces: tuple[workflow.Piece, ...], colour: str) -> str:
    """Escaped words, the changed ones on a coloured background (a directive the text cannot close:
    md_escape escapes its brackets)."""
    text = "".join(w if w.isspace() else f":{colour}-background[{md_escape(w)}]" if changed else md_escape(w)
                   for w, changed in pieces)
    return text or "—"


def _comparison(old: PressVersion, new: PressVersion) -> None:
    """Two versions side by side per changed field: removed words red on the left, new words green
    on the right."""
    changes = workflow.compare_versions(old.fields, new.fields)
    if not changes:
        st.caption("Geen verschil tussen deze versies.")
        return
    left, right = st.columns(2)
    left.markdown(f"**Versie {old.version}** · {md_escape(old.author)} · {fmt_local(old.created_at)}")
    right.markdown(f"**Versie {new.version}** · {md_escape(new.author)} · {fmt_local(new.created_at)}")
    st.caption("Rood: weggehaald of veranderd; groen: nieuw.")
    for change in changes:
        st.markdown(f"**{md_escape(change.label)}**")
        left, right = st.columns(2)
        left.markdown(_marked(change.old, "red"))
        right.markdown(_marked(change.new, "green"))


def _involved(incident: Incident, author: str, locked: bool) -> list[InvolvedPerson]:
    people = data.query(Store.press_names, incident_id=incident.id)
    with st.expander(f"Namen van betrokkenen ({len(people)}): komen nooit in een persbericht"):
        st.caption("Vertrouwelijk. De toets blokkeert deze namen en varianten (M. de Vries, Mark de V., De Vries).")
        for p in people:
            st.text(f"{p.role}: {p.name}" + ("" if p.id is not None else f" (uit het {p.added_by})"))
        removable = {p.id: p for p in people if p.id is not None}
        if removable:
            gone = st.selectbox("Naam verwijderen", [None, *removable], key=f"press_person_rm_{incident.id}",
                                format_func=lambda pid: "—" if pid is None else removable[pid].name)
            if gone is not None and st.button("Verwijderen", key=f"press_person_rm_btn_{incident.id}",
                                              disabled=locked):
                try:
                    data.store().remove_incident_person(gone, actor=author)
                except UserError as exc:
                    refused(exc)
                else:
                    data.changed()
                    st.rerun()
        with st.form(f"press_person_{incident.id}", clear_on_submit=True):
            name = st.text_input("Naam")
            role = st.selectbox("Rol", rules.ROLES)
            if st.form_submit_button("Naam registreren", disabled=locked):
                try:
                    add_incident_person(data.store(), incident.id, name, role, author)
                except UserError as exc:  # the message may quote the name
                    refused(exc)
                else:
                    data.changed()
                    st.rerun()
    return people


def render_press_tab(incident: Incident, user: User, as_of: datetime | None = None) -> None:
    """`as_of`: a moment in the past (the end of the sidebar's period) shows the releases then, read-only."""
    author = user.id
    locked = incident.is_closed or as_of is not None or not auth.allows(user, "persbericht_schrijven")
    release = _choose(incident, as_of)
    strategy = (data.query(Store.current_strategy, incident_id=incident.id) if as_of is None else
                strategy_in_period(data.query(Store.strategy_decisions, incident_id=incident.id), as_of).current)
    om = press.om_leads(strategy)
    value = press.fields_from_dict(release.latest.fields) if release else press.PressFields(strafrechtelijk=om)
    if om and not value.strafrechtelijk:
        st.info("Volgens het besluit over de woordvoering gaat het om een strafbaar feit: "
                "het OM voert daarover het woord.")
    try:  # the checks block registered names, so without their key no text can be checked
        involved = _involved(incident, author, locked)
    except NameKeyMissing as exc:
        st.error(str(exc))
        return
    found = rules.check_release(
        value, involved=involved, places=[incident.municipality],
        max_sentence_words=data.settings().press.max_sentence_words,
    )
    left, right = st.columns([1, 1])
    with left:
        if as_of is None:
            _form(incident, release, value, author, locked)
        else:
            st.caption(f"Stand op {fmt_local(as_of)} (einde van de periode in de zijbalk); alleen lezen. "
                       "Kies een periode tot nu om te bewerken.")
    with right:
        if release is None and not press.has_content(value):
            _calm_start()
        else:
            _findings(found)
        if release is not None:
            if as_of is None:
                _workflow(incident, release, found, user)
            else:
                _status(release)
            _history(release)
    _texts(incident, press_export.outward(value, involved, release.status if release else None))
