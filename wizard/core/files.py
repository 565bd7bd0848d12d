"""Writing files so that a kill at any instant leaves the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class FileExists(FileExistsError):
    """The target exists and the caller did not ask to replace it."""


def _set_mode(fd: int, tmp: str, mode: int) -> None:
    """chmod the open temporary file; os.fchmod is missing on Windows before Python 3.13."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, mode)
    else:
        os.chmod(tmp, mode)


def _ordinary_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, text: str, *, private: bool = True, replace: bool = True) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over the target.

    `private` files (saved walks name servers and sites) stay readable by the user alone; an export meant for a
    ticket gets the permissions the umask allows, or keeps those of the file it replaces. With `replace` False an
    existing file is left alone and FileExists is raised. Text is written as UTF-8; a character UTF-8 cannot hold
    (a lone surrogate) raises UnicodeEncodeError before anything is renamed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not replace and os.path.lexists(path):
        raise FileExists(f"{path} exists")
    data = text.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if not private:
            try:
                mode = stat.S_IMODE(os.stat(path).st_mode)
            except OSError:
                mode = _ordinary_mode()
            _set_mode(fd, tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            _rename_unless_there(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(path.parent)


def _rename_unless_there(tmp: str, path: Path) -> None:
    """Rename without replacing: a hard link fails if the name was taken meanwhile (where links exist)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise FileExists(f"{path} exists") from None
    except (OSError, NotImplementedError, AttributeError):
        if os.path.lexists(path):
            raise FileExists(f"{path} exists") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _sync_folder(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; NTFS renames are durable enough
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
