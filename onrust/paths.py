"""Where the shipped data lives: the checkout's data/ folder (the project installs editable)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_SETTINGS = DATA_DIR / "onrust.toml"
