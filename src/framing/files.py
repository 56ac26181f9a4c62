"""Writing output files so that an interrupted run never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write_text", "replace_directory"]


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


class OutputExistsError(Exception):
    pass


def replace_directory(target: str | Path, write, *, force: bool = False) -> Path:
    """Build a folder's content in a temporary sibling, then move it into place.

    ``write(tmp_dir)`` fills the temporary folder. An interrupted or failed run leaves
    ``target`` as it was. An existing non-empty ``target`` is replaced only with ``force``.
    """
    import shutil

    from .errors import ConfigurationError

    target = Path(target)
    if target.exists() and not target.is_dir():
        raise ConfigurationError("output path exists and is not a folder", path=str(target))
    if target.is_dir() and any(target.iterdir()) and not force:
        raise ConfigurationError("output folder is not empty", path=str(target),
                                 hint="pass --force to replace it", code="E-EXISTS")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        write(temporary)
        backup = None
        if target.exists():
            backup = target.with_name(f".{target.name}.old")
            if backup.exists():
                shutil.rmtree(backup)
            os.replace(target, backup)
        os.replace(temporary, target)
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return target
