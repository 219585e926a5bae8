"""Settings: one source (data/onrust.toml), typed read-only sections, refused when out of range."""

from __future__ import annotations

import dataclasses
import inspect
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import get_type_hints

import pytest

from app.cli import main
from onrust import settings as settings_module
from onrust.paths import ROOT
from onrust.settings import RULES, Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONRUST_CONFIG", raising=False)
    monkeypatch.delenv("ONRUST_DB", raising=False)


def _user(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mijn.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _section_classes() -> list[type]:
    return [c for _, c in inspect.getmembers(settings_module, dataclasses.is_dataclass)
            if c.__module__ == settings_module.__name__]


def _leaf_paths(cls: type, prefix: str = "") -> dict[str, object]:
    """Dotted path -> type hint of every setting below `cls` (nested sections walked into)."""
    out: dict[str, object] = {}
    for name, hint in get_type_hints(cls).items():
        if name == "user_file":
            continue
        path = f"{prefix}{name}"
        if dataclasses.is_dataclass(hint):
            out |= _leaf_paths(hint, f"{path}.")
        else:
            out[path] = hint
    return out


def test_shipped_file_loads_into_typed_sections():
    s = load_settings()
    assert (s.server.host, s.server.port) == ("127.0.0.1", 8501)
    assert s.collect.min_interval_seconds == 300 and s.collect.allowed_networks == ()
    assert s.temperature.window_hours == 12 and s.temperature.enter == (25.0, 45.0, 70.0)
    assert s.temperature.phases.behaviour_min == 40.0 and s.temperature.noise.marker_noise_sigmas == 2.0
    assert s.temperature.weights["escalation"] == 0.25 and s.alerts.smtp_to == ()
    assert s.relevance.threshold == 0.4 and s.tagging.batch_size == 256
    assert s.db_path == ROOT / "var" / "onrust.duckdb" and s.user_file is None


def test_no_setting_has_a_python_default():
    classes = _section_classes()
    assert Settings in classes and len(classes) >= 12
    for cls in classes:
        for f in dataclasses.fields(cls):
            assert f.default is dataclasses.MISSING, f"{cls.__name__}.{f.name}"
            assert f.default_factory is dataclasses.MISSING, f"{cls.__name__}.{f.name}"


def test_sections_are_frozen_and_read_only():
    s = load_settings()
    for cls in _section_classes():
        assert cls.__dataclass_params__.frozen and hasattr(cls, "__slots__"), cls.__name__
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.temperature.window_hours = 6  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.temperature.weights["volume"] = 1.0  # type: ignore[index]


def test_every_number_list_and_table_has_a_range_rule():
    leaves = _leaf_paths(Settings)
    needs_rule = [p for p, hint in leaves.items() if hint not in (str, bool)]
    assert [p for p in needs_rule if p not in RULES] == []
    assert [p for p in RULES if p not in leaves] == []  # no rule for a setting that is gone


@pytest.mark.parametrize("text, message", [
    ("[server]\npoort = 1\n", "Onbekende instelling 'server.poort'"),
    ("[serverr]\nport = 1\n", "Onbekende instelling 'serverr'"),
    ("[temperature.weights]\nvolumen = 0.2\n", "Onbekende instelling 'temperature.weights.volumen'"),
    ('[server]\nport = "8501"\n', "Instelling 'server.port' heeft het verkeerde type: str"),
    ("[collect]\nmax_bytes = 1.5\n", "Instelling 'collect.max_bytes' heeft het verkeerde type: float"),
    ("[collect]\nallow_private_networks = 1\n",
     "'collect.allow_private_networks' heeft het verkeerde type: int"),
    ("[collect]\nmax_redirects = true\n", "'collect.max_redirects' heeft het verkeerde type: bool"),
    ('[collect]\nallowed_networks = "10.0.0.0/8"\n',
     "'collect.allowed_networks' heeft het verkeerde type: str"),
    ("[collect]\nallowed_networks = [10]\n", "'collect.allowed_networks[0]' heeft het verkeerde type: int"),
    ("[temperature]\nweights = 3\n", "Instelling 'temperature.weights' moet een tabel zijn"),
    ('[temperature.weights]\nvolume = "veel"\n',
     "'temperature.weights.volume' heeft het verkeerde type: str"),
    # entries of lists and tables
    ('[collect]\nallowed_networks = ["10.1.2.0/24", "not-a-cidr"]\n',
     "Instelling 'collect.allowed_networks' bevat 'not-a-cidr', dat is geen netwerk "
     "(CIDR zoals 10.1.2.0/24)"),
    ('[alerts]\nsmtp_to = ["kernteam"]\n',
     "Instelling 'alerts.smtp_to' bevat 'kernteam', dat is geen e-mailadres"),
    ("[temperature.weights]\nvolume = -0.1\n",
     "Instelling 'temperature.weights' bij 'volume' moet ten minste 0 zijn, niet -0.1"),
    ("[temperature]\nenter = [25.0, 145.0, 170.0]\n",
     "Instelling 'temperature.enter' bevat 145.0, dat moet tussen 0 en 100 liggen, niet 145.0"),
    ("[temperature]\nenter = [25.0, 45.0]\n",
     "Instelling 'temperature.enter' moet precies 3 waarden hebben, niet 2"),
    ("[temperature]\nseverity_phase = [1, 1, 1, 3, 6]\n",
     "'temperature.severity_phase' bevat 6, dat moet tussen 1 en 5"),
    # ranges
    ("[temperature]\nstep_minutes = 0\n",
     "Instelling 'temperature.step_minutes' moet een deler van 1440 (een dag) zijn, niet 0"),
    ("[temperature]\nstep_minutes = 7\n",
     "'temperature.step_minutes' moet een deler van 1440 (een dag) zijn, niet 7"),
    ("[collect]\nmax_bytes = -1\n", "Instelling 'collect.max_bytes' moet groter dan 0 zijn, niet -1"),
    ("[collect]\ntotal_timeout_seconds = 0\n",
     "'collect.total_timeout_seconds' moet groter dan 0 zijn, niet 0.0"),
    ("[server]\nport = 70000\n", "Instelling 'server.port' moet tussen 1 en 65535 liggen, niet 70000"),
    ("[alerts]\nsmtp_port = 0\n", "Instelling 'alerts.smtp_port' moet tussen 1 en 65535 liggen, niet 0"),
    ("[relevance]\nweight_terms = 1.5\n", "'relevance.weight_terms' moet tussen 0 en 1 liggen, niet 1.5"),
    ('[server]\nhost = " "\n', "Instelling 'server.host' mag niet leeg zijn"),
    ('[scale]\nmode = "cluster"\n', "Instelling 'scale.mode' moet een van single, publish, read zijn, niet 'cluster'"),
    ("[scale]\nkeep_seconds = 0\n", "Instelling 'scale.keep_seconds' moet ten minste 1 zijn, niet 0"),
    ('[alerts]\nwebhook_url = "teams"\n', "'alerts.webhook_url' moet met http:// of https:// beginnen"),
    ('[tasks]\nprotocol = "004"\n',
     "Instelling 'tasks.protocol' moet een van de takenlijsten 000, 003 zijn, niet '004'"),
    ("[temperature.weights]\nescalation = 0\nvolume = 0\nspread = 0\ntone = 0\nsignals = 0\n"
     "politicisation = 0\n",
     "Instelling 'temperature.weights' moet samen meer dan 0 zijn"),
    # orders between keys
    ("[collect]\nmin_interval_seconds = 7200\n",
     "Instelling 'collect.min_interval_seconds' (7200) mag niet boven "
     "'collect.max_interval_seconds' (3600) liggen"),
    ("[temperature]\nexit = [15.0, 50.0, 55.0]\n",
     "'temperature.exit' ((15.0, 50.0, 55.0)) mag niet boven 'temperature.enter'"),
])
def test_bad_values_are_refused_with_a_dutch_message(tmp_path: Path, text: str, message: str):
    with pytest.raises(SettingsError) as refused:
        load_settings(_user(tmp_path, text))
    assert message in str(refused.value)


def test_good_overrides_are_typed_and_merged(tmp_path: Path):
    s = load_settings(_user(tmp_path, """
[collect]
allowed_networks = ["10.1.2.0/24", "fd00::/8", "192.168.1.7"]
stale_factor = 4
[temperature.weights]
volume = 0.3
[alerts]
smtp_to = ["kernteam@gemeente.test"]
"""))
    assert s.collect.allowed_networks == ("10.1.2.0/24", "fd00::/8", "192.168.1.7")
    assert s.collect.stale_factor == 4.0 and isinstance(s.collect.stale_factor, float)
    assert s.temperature.weights["volume"] == 0.3 and s.temperature.weights["escalation"] == 0.25
    assert isinstance(s.temperature.weights, Mapping) and s.alerts.smtp_to == ("kernteam@gemeente.test",)


def test_old_temperature_table_names_still_work_with_a_warning(tmp_path: Path):
    old = _user(tmp_path, "[temperature_phases]\nbehaviour_min = 55.0\n\n[temperature_noise]\n"
                          "marker_noise_sigmas = 3.0\n\n[temperature]\nwindow_hours = 6\n")
    with pytest.warns(FutureWarning) as caught:
        s = load_settings(old)
    tables = sorted(str(w.message).split(" in ")[0] for w in caught)
    assert tables == ["[temperature_noise]", "[temperature_phases]"]
    assert "heet nu [temperature.phases]" in str(caught[0].message) + str(caught[1].message)
    assert s.temperature.phases.behaviour_min == 55.0 and s.temperature.noise.marker_noise_sigmas == 3.0
    assert s.temperature.noise.marker_noise_rate == 0.02 and s.temperature.window_hours == 6


def test_old_table_names_are_checked_like_the_new_ones(tmp_path: Path):
    with pytest.warns(FutureWarning), pytest.raises(SettingsError, match="'temperature.phases.behaviour'"):
        load_settings(_user(tmp_path, "[temperature_phases]\nbehaviour = 55.0\n"))
    with pytest.warns(FutureWarning), pytest.raises(SettingsError, match="moet tussen 0 en 100"):
        load_settings(_user(tmp_path, "[temperature_phases]\nbehaviour_min = 155.0\n"))
    both = "[temperature_phases]\nbehaviour_min = 50.0\n[temperature.phases]\nbehaviour_min = 60.0\n"
    with pytest.warns(FutureWarning), pytest.raises(SettingsError, match=r"zowel in \[temperature_phases\]"):
        load_settings(_user(tmp_path, both))


def test_new_table_names_load_without_a_warning(tmp_path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = load_settings(_user(tmp_path, "[temperature.phases]\nbehaviour_min = 50.0\n"))
    assert s.temperature.phases.behaviour_min == 50.0


@pytest.mark.parametrize("make, message", [
    (lambda tmp: tmp / "weg.toml", "Instellingenbestand niet gevonden"),
    (lambda tmp: tmp, "is een map, geen bestand"),
    (lambda tmp: _bytes(tmp, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"),
     "is geen tekstbestand (TOML in UTF-8)"),
    (lambda tmp: _bytes(tmp, b"\x00\x01\x02 binary"), "is geen geldige TOML"),
    (lambda tmp: _bytes(tmp, b"[server\nport = 1"), "is geen geldige TOML"),
])
def test_unreadable_config_is_a_settings_error(tmp_path: Path, make, message: str):
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings(make(tmp_path))


def _bytes(folder: Path, data: bytes) -> Path:
    path = folder / "instellingen.toml"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("binary", [False, True])
def test_cli_reports_a_directory_or_binary_config_without_traceback(tmp_path: Path, capsys, binary: bool):
    config = _bytes(tmp_path, bytes(range(128, 256))) if binary else tmp_path
    assert main(["init", "--db", str(tmp_path / "x.duckdb"), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("onrust: Instellingenbestand") and "Traceback" not in err
    assert ("geen tekstbestand" if binary else "is een map") in err


def test_environment_names_the_config_and_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config = _user(tmp_path, "[server]\nport = 8600\n")
    monkeypatch.setenv("ONRUST_CONFIG", str(config))
    monkeypatch.setenv("ONRUST_DB", str(tmp_path / "elders.duckdb"))
    s = load_settings()
    assert (s.server.port, s.user_file, s.db_path) == (8600, config, tmp_path / "elders.duckdb")
    monkeypatch.setenv("ONRUST_DB", "var/relatief.duckdb")
    assert load_settings().db_path == ROOT / "var" / "relatief.duckdb"
