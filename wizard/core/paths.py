"""Where the wizard keeps things: one place for the data, cache and tree folders and the settings that move them.

| what | default | setting |
|---|---|---|
| saved walks | `<user data>/sessions` | `WIZARD_DATA_DIR` |
| exports and saved commands | `<user data>/exports` | the export dialog |
| parsed-tree cache | `<user cache>` | `WIZARD_CACHE_DIR`, `WIZARD_NO_CACHE=1` |
| the site's own trees | none | `WIZARD_TREES`, `--trees` |
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

APP_NAME = "wizard"
APP_AUTHOR: Literal[False] = False
"""No vendor folder: `%LOCALAPPDATA%\\wizard` on Windows rather than `%LOCALAPPDATA%\\<author>\\wizard`."""
DATA_ENV = "WIZARD_DATA_DIR"
CACHE_ENV = "WIZARD_CACHE_DIR"
NO_CACHE_ENV = "WIZARD_NO_CACHE"
TREES_ENV = "WIZARD_TREES"


def data_dir() -> Path:
    """Saved walks and exports live below this folder."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=APP_AUTHOR))


def sessions_dir(base: Path | None = None) -> Path:
    return (base or data_dir()) / "sessions"


def exports_dir(base: Path | None = None) -> Path:
    return (base or data_dir()) / "exports"


def cache_dir() -> Path | None:
    """The parsed-tree cache folder, or None when the cache is switched off."""
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    base = os.environ.get(CACHE_ENV)
    if base:
        return Path(base)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=APP_AUTHOR))


def extra_tree_dirs(cli_dirs: Sequence[str | os.PathLike[str]] = ()) -> list[Path]:
    """The site's tree folders: `WIZARD_TREES` (os.pathsep between folders) first, then `--trees`."""
    env = os.environ.get(TREES_ENV, "")
    dirs = [Path(d) for d in env.split(os.pathsep) if d.strip()]
    return dirs + [Path(d) for d in cli_dirs]
