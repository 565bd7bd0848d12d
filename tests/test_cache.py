"""The parsed-tree cache is trusted only in a private folder, only for the exact file and wizard it was made by."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

import wizard.core.cache as cache
from wizard.core.loader import load_tree

GOOD = Path(__file__).parent / "fixtures" / "good"
posix_only = pytest.mark.posix_only


@pytest.fixture
def cache_base(tmp_path, monkeypatch) -> Path:
    base = tmp_path / "cache"
    monkeypatch.setenv("WIZARD_CACHE_DIR", str(base))
    monkeypatch.delenv("WIZARD_NO_CACHE", raising=False)
    return base


def entries(base: Path) -> list[Path]:
    return sorted(base.rglob("*.bin"))


def plant(base: Path, tmp_path: Path) -> Path:
    """An entry made from a changed copy of mini.yaml, put where the entry of the real file belongs."""
    real = GOOD / "mini.yaml"
    load_tree(real)
    [genuine] = entries(base)
    changed = tmp_path / "changed.yaml"
    changed.write_text(real.read_text(encoding="utf-8").replace(
        "Exchange the public keys between the sites by hand", "Delete the site database"), encoding="utf-8")
    load_tree(changed)
    [forged] = [p for p in entries(base) if p != genuine]
    # Rewrite the forged entry so it claims the genuine file's digest, the way someone who can write the folder
    # would: the checksums are not secret.
    import hashlib
    import marshal

    blob = forged.read_bytes()
    header = cache._HEADER.unpack(blob[: cache._HEADER.size])
    main_size = header[6]
    main = list(marshal.loads(blob[cache._HEADER.size : cache._HEADER.size + main_size]))
    main[0] = genuine.stem
    new_main = marshal.dumps(tuple(main))
    scalars = blob[cache._HEADER.size + main_size :]
    size = (GOOD / "mini.yaml").stat().st_size
    new_header = cache._HEADER.pack(*header[:4], size, header[5], len(new_main),
                                    hashlib.sha256(new_main).digest(), header[8])
    genuine.write_bytes(new_header + new_main + scalars)
    forged.unlink()
    return genuine


def runbook_title(tree) -> str:
    return tree.nodes["r-exchange-keys"].title


def test_the_cache_folder_is_private(cache_base):
    load_tree(GOOD / "mini.yaml")
    [entry] = entries(cache_base)
    if os.name == "posix":
        assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(entry.stat().st_mode) & 0o077 == 0


@posix_only
def test_a_folder_others_can_write_is_not_used(cache_base, tmp_path):
    planted = plant(cache_base, tmp_path)
    assert runbook_title(load_tree(GOOD / "mini.yaml").tree) == "Delete the site database"  # what a plant does
    os.chmod(cache_base, 0o777)
    assert runbook_title(load_tree(GOOD / "mini.yaml").tree).startswith("Exchange the public keys")
    os.chmod(cache_base, 0o755)
    planted = plant(cache_base, tmp_path)
    os.chmod(planted.parent, 0o770)  # the cache's own folder, left open to the group for a while
    assert runbook_title(load_tree(GOOD / "mini.yaml").tree).startswith("Exchange the public keys")
    assert stat.S_IMODE(planted.parent.stat().st_mode) == 0o700
    assert runbook_title(load_tree(GOOD / "mini.yaml").tree).startswith("Exchange the public keys")


@posix_only
def test_an_entry_others_can_write_or_a_link_is_not_used(cache_base, tmp_path):
    planted = plant(cache_base, tmp_path)
    os.chmod(planted, 0o666)
    assert runbook_title(load_tree(GOOD / "mini.yaml").tree).startswith("Exchange the public keys")
    planted = plant(cache_base, tmp_path)
    elsewhere = tmp_path / "elsewhere.bin"
    shutil.move(planted, elsewhere)
    planted.symlink_to(elsewhere)
    assert runbook_title(load_tree(GOOD / "mini.yaml").tree).startswith("Exchange the public keys")


def test_an_entry_for_another_size_is_a_miss(cache_base):
    load_tree(GOOD / "mini.yaml")
    [entry] = entries(cache_base)
    size = (GOOD / "mini.yaml").stat().st_size
    assert cache.read_entry(entry, entry.stem, size) is not None
    assert cache.read_entry(entry, entry.stem, size + 1) is None


def test_an_entry_from_another_version_of_the_wizard_is_a_miss(cache_base, monkeypatch):
    import wizard.core.loader as loader

    load_tree(GOOD / "mini.yaml")
    monkeypatch.setattr(cache, "_VERSION_TAG", b"\x00" * 16)
    parsed = []
    real = loader.parse_bytes
    monkeypatch.setattr(loader, "parse_bytes", lambda raw: parsed.append(1) or real(raw))
    load_tree(GOOD / "mini.yaml")
    assert parsed == [1]


def test_the_suite_never_writes_the_users_cache():
    """conftest points the cache at a temporary folder for every test and subprocess."""
    from platformdirs import user_cache_dir

    configured = os.environ.get("WIZARD_CACHE_DIR", "")
    assert configured and not Path(configured).resolve().is_relative_to(Path(user_cache_dir("wizard")).resolve())


@posix_only
def test_the_default_cache_folder_left_group_writable_is_made_private(tmp_path, monkeypatch):
    monkeypatch.delenv("WIZARD_CACHE_DIR", raising=False)
    monkeypatch.delenv("WIZARD_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr("sys.platform", "linux")
    base = Path(cache.paths.cache_dir() or "")
    assert base.is_relative_to(tmp_path)
    base.mkdir(parents=True)
    os.chmod(base, 0o775)  # what an older version under umask 002 left behind
    load_tree(GOOD / "mini.yaml")
    assert stat.S_IMODE(base.stat().st_mode) == 0o700
    assert entries(base)


@posix_only
def test_a_folder_named_by_the_operator_is_judged_not_changed(cache_base):
    cache_base.mkdir()
    os.chmod(cache_base, 0o775)
    load_tree(GOOD / "mini.yaml")
    assert stat.S_IMODE(cache_base.stat().st_mode) == 0o775
    assert entries(cache_base) == []
