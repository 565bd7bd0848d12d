"""The cache of parsed tree files, so large trees load fast.

An entry holds the located plain form of one file. It is trusted only when everything about it checks out:

- it sits in a folder of the user's own that nobody else can write (a folder others can write is not used at
  all: whoever can plant a file there could change what a shipped tree says while lint passes);
- the entry file itself is the user's own, a plain file (not a link), not writable by others;
- its header names the cache format, this version of the wizard and this Python, and the sha256 and the size
  of the source file's bytes; its payload matches the checksum in the header.

Anything else is a miss, and a miss only costs a parse. Entries are written atomically and pruned to the most
recent CACHE_KEEP.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import struct
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from wizard import __version__
from wizard.core import paths
from wizard.core.yamlsafe import Located, Locations

# Bump when the located form or the way yamlsafe produces it changes, so old cache files are ignored.
CACHE_FORMAT = 4
CACHE_KEEP = 256
_MAGIC = b"WZLOC"
# magic, format, python major, minor, source size, version tag, payload size, payload sum, scalars sum
_HEADER = struct.Struct("<5sHBBQ16sQ32s32s")
_VERSION_TAG = hashlib.sha256(f"wizard {__version__} cache {CACHE_FORMAT}".encode()).digest()[:16]

Parse = Callable[[bytes], Located]


def cache_folder() -> Path | None:
    """This format's folder under the user cache folder, or None when caching is off."""
    base = paths.cache_dir()
    return None if base is None else base / f"located-v{CACHE_FORMAT}"


def _posix_owner_checks() -> bool:
    return os.name == "posix" and hasattr(os, "getuid")


def is_private(path: Path, *, folder: bool) -> bool:
    """Whether `path` is the user's own, not a link, and writable by nobody else.

    On Windows the folder lives in the user's profile, whose access list already keeps others out; only the link
    check applies there.
    """
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode):
        return False
    if folder != stat.S_ISDIR(info.st_mode) or (not folder and not stat.S_ISREG(info.st_mode)):
        return False
    if _posix_owner_checks():
        if info.st_uid != os.getuid():
            return False
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    return True


def _purge(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.name.endswith(".bin"):
            with contextlib.suppress(OSError):
                entry.unlink()


def _is_own_folder(path: Path) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()


def ready_folder(folder: Path) -> bool:
    """Create the cache folder private to the user if needed; whether it may be used."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder.mkdir(exist_ok=True, mode=0o700)
        if _posix_owner_checks():
            # The default folder is the wizard's own and is tightened if an older version (or a umask of 002)
            # left it group-writable; a folder named in WIZARD_CACHE_DIR is the operator's, judged, never changed.
            base = folder.parent
            if not os.environ.get(paths.CACHE_ENV) and _is_own_folder(base) and not is_private(base, folder=True):
                os.chmod(base, 0o700)
            # This format's folder is the cache's alone. If others could write into it, whatever they wrote is
            # thrown away with the rest of the entries before it is closed again.
            if _is_own_folder(folder) and not is_private(folder, folder=True):
                _purge(folder)
                os.chmod(folder, 0o700)
    except OSError:
        return False
    return is_private(folder.parent, folder=True) and is_private(folder, folder=True)


def cached_parse(raw: bytes, digest: str, parse: Parse) -> tuple[Located, Locations | Callable[[], Locations]]:
    """The located form of `raw` and its scalar locations (a loader function when they come from the cache)."""
    folder = cache_folder()
    if folder is None or not ready_folder(folder):
        located = parse(raw)
        return located, located.scalar_locs
    entry = folder / f"{digest}.bin"
    found = read_entry(entry, digest, len(raw))
    if found is not None:
        return found
    located = parse(raw)
    write_entry(folder, entry, digest, len(raw), located)
    return located, located.scalar_locs


def read_entry(entry: Path, digest: str, size: int) -> tuple[Located, Callable[[], Locations]] | None:
    if not is_private(entry, folder=False):
        return None
    try:
        with open(entry, "rb") as handle:
            header = handle.read(_HEADER.size)
            magic, version, major, minor, source_size, tag, main_size, main_sum, scalar_sum = _HEADER.unpack(header)
            if (magic, version, major, minor) != (_MAGIC, CACHE_FORMAT, *sys.version_info[:2]):
                return None
            if source_size != size or tag != _VERSION_TAG:
                return None
            main = handle.read(main_size)
        if len(main) != main_size or hashlib.sha256(main).digest() != main_sum:
            return None
        stored_digest, data, locs, problems, suppressed, fatal = marshal.loads(main)
        if stored_digest != digest or not isinstance(locs, dict) or not isinstance(problems, list):
            return None
        located = Located(data=data, locs=locs, problems=[tuple(p) for p in problems],
                          suppressed=set(suppressed), fatal=bool(fatal))
    except Exception:  # a missing or damaged cache file is only a miss
        return None
    offset = _HEADER.size + main_size

    def load_scalars() -> Locations:
        """Read the single-value locations only when a problem has to be pointed at."""
        try:
            with open(entry, "rb") as handle:
                handle.seek(offset)
                blob = handle.read()
            if hashlib.sha256(blob).digest() == scalar_sum:
                found = marshal.loads(blob)
                if isinstance(found, dict):
                    return found
        except Exception:
            pass
        return {}

    return located, load_scalars


def write_entry(folder: Path, entry: Path, digest: str, size: int, located: Located) -> None:
    try:
        main = marshal.dumps((digest, located.data, located.locs, located.problems,
                              sorted(located.suppressed), located.fatal))
        scalars = marshal.dumps(located.scalar_locs)
    except ValueError:  # too deep for marshal; the depth limit should prevent it, but it is only a cache
        return
    header = _HEADER.pack(_MAGIC, CACHE_FORMAT, *sys.version_info[:2], size, _VERSION_TAG, len(main),
                          hashlib.sha256(main).digest(), hashlib.sha256(scalars).digest())
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".bin")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(header)
                handle.write(main)
                handle.write(scalars)
            os.replace(tmp_name, entry)
            prune(folder, keep=entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise
    except OSError:
        return


def prune(folder: Path, keep: Path) -> None:
    """Keep the cache to the CACHE_KEEP most recently written files; every edit of a tree adds one."""
    try:
        entries = [(entry.stat().st_mtime, entry.path) for entry in os.scandir(folder) if entry.name.endswith(".bin")]
    except OSError:
        return
    if len(entries) <= CACHE_KEEP:
        return
    entries.sort()
    for _mtime, name in entries[: len(entries) - CACHE_KEEP]:
        if name != str(keep):
            with contextlib.suppress(OSError):
                os.unlink(name)
