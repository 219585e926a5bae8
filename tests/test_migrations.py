"""Landed migrations are never edited: a database that already ran one would silently differ
from a new one. A new migration is added here with its checksum in the same commit."""

from __future__ import annotations

import hashlib
from importlib import resources

LANDED = {
    "001_foundation.sql": "55f719a152b962fb1cfb19a05ded84ebb1b643c4220868cbc3f4e3729c95f4b3",
    "002_collectors.sql": "433866f5d0b48044d7a3434d25788df7288904ca370da1d490ed256933588f6b",
    "003_signals.sql": "11a97ccd29a97992d40c0077c655170c8400bba90ac4c56d4ccb64943a2460b9",
    "004_tagging.sql": "9ef0e51cf8f3ab38cdaf21babe07fdeb05e1b0ce6a7799280e3f71269ad2ed6e",
    "005_temperature.sql": "53938247f4ab3945daf0e27cf1832efff6ebebd6666e8eadac2dc594ef5d76e4",
    "006_comms.sql": "2ebb4c9f05f901ff8cbf5bd8a094fe9abd93b1466f6120f6baabe80a4b09eb2c",
    "007_press.sql": "d0cadca7d71c5b777646ffed26c1475b769385c6cf6327c87567cae8e333eb5b",
    "008_item_errors.sql": "5e226a1470f1e052a7aa605304443d911321a9d2a8a4001a4bf7a361b238b8d9",
    "009_logbook.sql": "15c7a285cdee5926e787befb9b88cfc1adfec904d2058fe483b39e3b34e8f570",
    "010_tasks.sql": "14b79a358d5377cc8f8ebe71538fca24f8509422705a24147543c666e9ef9420",
    "011_meetings.sql": "711327a23f02d623a9b4644eb4a3eddd353a451bd0714fca0fd3bb5014438c96",
    "012_rumours.sql": "829956be552c2e6b6284e284ba8ef4f855fe06b7b4bb874d17c1b9888082e722",
    "013_audit_privacy.sql": "f8bcb8eedd8bffabc3ad78fcbbb7b6a9f36bd3c3f095cd70305ca86209b589be",
    "014_auth.sql": "a879606fa2ffb15112c91b8983a3cb40694866fbe843d999a3d30e217da32ef0",
    "015_signal_routing.sql": "d0ab6dfa5050287322d1631e91eb78ae6211ff373ead98538d5287fba5d9db33",
    "016_notices.sql": "460ef825b37d27d565e8dba935be564d02656672c8f36e3e58f92bfa457602c3",
    "017_temperature_bins.sql": "1cce9c4d7afefee1d573c625c0e6cdf4d8c0bc9c7cf6b569c632ae3cbb98b14a",
}


def test_no_landed_migration_was_edited() -> None:
    folder = resources.files("onrust.store") / "migrations"
    found = {
        entry.name: hashlib.sha256(entry.read_bytes()).hexdigest()
        for entry in folder.iterdir() if entry.name.endswith(".sql")
    }
    assert found == LANDED
