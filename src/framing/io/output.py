"""Writing output so that nothing already written is lost or half-written, and nothing the user
owns is ever deleted.

- :func:`atomic_write_text` writes one file through a temporary file and a rename.
- :class:`OutputFolder` builds a command's output folder (rules in docs/reliability.md):

  * before any work it checks that the folder can be written, that it is not (and does not
    contain, and does not lie inside) an input, and that it is empty or, with ``force``, a
    folder framing wrote (it holds framing's ``provenance.json``);
  * the output is built in ``<out>/.framing-tmp-*`` and swapped in at the end, entry by entry,
    with a journal (``<out>/.framing-old-*``), so a failed run leaves the previous output as
    it was and a killed run is repaired by the next run, which says what it did;
  * only names framing writes (:data:`OUTPUT_NAMES`) are ever replaced or removed: any other
    file in the folder is left where it is, and the folder keeps its own mode and owner.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Callable, Iterable

from ..errors import OutputError

__all__ = ["OUTPUT_NAMES", "OutputFolder", "atomic_write_text", "check_output_file",
           "is_framing_folder", "replace_directory"]

#: Every name a framing command writes at the top of an output folder. ``--force`` replaces or
#: removes these and nothing else (tests check that analyze, measure and compare write no other).
OUTPUT_NAMES = frozenset(
    [f"{table}.{suffix}" for table in ("articles", "sentences", "matches", "quality", "problems",
                                       "comparison", "keyness", "rewrites", "time",
                                       "within_story")
     for suffix in ("csv", "parquet")]
    + ["articles", "sentences", "matches", "problems",  # Dask parts: <table>/part-*.parquet
       "figures", "report.html", "provenance.json",
       "worksheet.html", "teacher_key.html", "answers_template.csv", "key.csv",
       "agreement.csv", "group.csv", "disagreements.csv", "tasks.csv", "agreement.png"])

_TEMP, _OLD, _TRASH = ".framing-tmp-", ".framing-old-", ".framing-trash-"
_INCOMING, _INSTALLING = ".incoming.json", ".installing"
#: A hidden file in the output folder that a run holds a lock on while it writes.
_LOCK = ".framing-lock"


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def is_framing_folder(folder: str | Path) -> bool:
    """Whether ``folder`` holds a ``provenance.json`` that framing wrote."""
    try:
        record = json.loads((Path(folder) / "provenance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and "framing" in (record.get("packages") or {})


def _input_paths(inputs: Iterable) -> list[Path]:
    paths = []
    for item in inputs:
        if isinstance(item, (str, os.PathLike)) and str(item) and not str(item).startswith("<"):
            try:
                paths.append(Path(item).resolve())
            except (OSError, RuntimeError):  # a symlink loop: not a folder we could write into
                continue
    return paths


def _overlap(target: Path, inputs: Iterable) -> str | None:
    """Why writing ``target`` could destroy an input, or None."""
    for path in _input_paths(inputs):
        if path == target:
            return f"is the input {path}"
        if path.is_relative_to(target):
            return f"contains the input {path}"
        if path.is_dir() and target.is_relative_to(path):
            return f"lies inside the input folder {path}"
    return None


def check_output_file(path: str | Path, inputs: Iterable = ()) -> Path:
    """Refuse to write a single output file over an input or a folder (before any work)."""
    path = Path(path)
    resolved = path.resolve()
    for source in _input_paths(inputs):
        if source == resolved:
            raise OutputError(f"the output file is the input {source}", path=str(path),
                                     hint="write the output somewhere else", code="E-OUTPUT-INPUT")
    if path.is_dir():
        raise OutputError("the output file is a folder", path=str(path),
                                 hint="give a file name", code="E-OUTPUT")
    return path


class OutputFolder:
    """A command's output folder, written in full or not at all (see the module docstring).

    >>> with OutputFolder("out/", force=True, inputs=["seeds"]) as folder:  # doctest: +SKIP
    ...     write_tables(analysis, folder)

    Parameters
    ----------
    target : path
        The output folder (created when missing).
    force : bool
        Replace what framing wrote before in a non-empty folder.
    inputs : paths
        Files and folders the command reads; the output may not be, contain or lie in one.
    notify : callable, optional
        Receives a message for each thing done to repair an interrupted run or keep a user's
        file (default: :func:`warnings.warn`).
    """

    def __init__(self, target: str | Path, *, force: bool = False, inputs: Iterable = (),
                 notify: Callable[[str], None] | None = None):
        self.given = Path(target)
        self.target = Path(os.path.abspath(self.given))
        self.force = force
        self.inputs = list(inputs)
        self.notify = notify or (lambda message: warnings.warn(message, stacklevel=3))
        self.temporary: Path | None = None
        self._created: list[Path] = []
        self._lock_file = None

    # --- before any work -----------------------------------------------------------------
    def _error(self, message: str, hint: str, code: str = "E-OUTPUT") -> OutputError:
        return OutputError(message, path=str(self.given), hint=hint, code=code)

    def check(self) -> None:
        """Every check that can be made before the work (no file is touched)."""
        target = self.target
        if target.exists() and not target.is_dir():
            raise self._error("the output path exists and is not a folder",
                              "give a folder name for --out")
        try:
            resolved = target.resolve()
        except (OSError, RuntimeError) as exc:
            raise self._error(f"cannot use the output path: {exc}", "give another --out") from exc
        reason = _overlap(resolved, self.inputs)
        if reason:
            raise self._error(f"the output folder {reason}",
                              "write the output to a folder of its own, outside the input",
                              "E-OUTPUT-INPUT")
        if not target.is_dir():
            return
        entries = [e for e in self._entries() if not e.name.startswith(".framing-")]
        if not entries:
            return
        if not self.force:
            raise self._error("the output folder is not empty",
                              "pass --force to replace what framing wrote there", "E-EXISTS")
        if not is_framing_folder(target):
            shown = ", ".join(sorted(e.name for e in entries)[:5])
            raise self._error(f"--force replaces only a folder framing wrote (one with framing's "
                              f"provenance.json) or an empty one; this one holds {shown}",
                              "choose a new or empty output folder", "E-NOT-FRAMING")

    def _entries(self) -> list[Path]:
        try:
            return list(self.target.iterdir())
        except OSError as exc:
            raise self._error(f"cannot read the output folder: {exc.strerror}",
                              "check its permissions") from exc

    def __enter__(self) -> Path:
        self.check()
        try:
            missing = []
            for folder in [self.target, *self.target.parents]:
                if folder.exists():
                    break
                missing.append(folder)
            for folder in reversed(missing):
                folder.mkdir()
                self._created.append(folder)
            self._lock()
            self.recover()
            self.temporary = Path(tempfile.mkdtemp(prefix=_TEMP, dir=self.target))
        except BaseException as exc:
            self._unlock()
            self._remove_created()
            if isinstance(exc, OSError):
                raise self._error(f"cannot write the output folder: {exc.strerror or exc}",
                                  "choose a folder you can write to") from exc
            raise
        return self.temporary

    def _lock(self) -> None:
        """One run at a time per output folder (the lock ends with the process, even killed)."""
        import fcntl

        self._lock_file = open(self.target / _LOCK, "a")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self._lock_file.close()
            self._lock_file = None
            raise self._error("another framing run is writing this output folder",
                              "wait for it to finish, or choose another --out",
                              "E-BUSY") from exc

    def _unlock(self) -> None:
        lock = self._lock_file
        if lock is not None:
            # removed while still held: a run that opened it meanwhile fails to lock it and
            # stops (runs never wait for the lock); a later run makes a new one
            (self.target / _LOCK).unlink(missing_ok=True)
            lock.close()
            self._lock_file = None

    # --- after the work --------------------------------------------------------------------
    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            try:
                self.commit()
                return
            except BaseException:
                self.rollback()
                raise
        self.rollback()

    def rollback(self) -> None:
        if self.temporary is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)
            self.temporary = None
        self._unlock()
        self._remove_created()

    def _remove_created(self) -> None:
        for folder in reversed(self._created):
            try:
                folder.rmdir()  # only if still empty
            except OSError:
                break
        self._created = []

    def commit(self) -> None:
        """Swap the new entries in: old framing entries go to a journal folder first, then the
        new ones are moved in, then the journal is discarded."""
        from .provenance import run_provenance

        temporary, target = self.temporary, self.target
        if not (temporary / "provenance.json").exists():  # every framing folder is recognisable
            (temporary / "provenance.json").write_text(
                json.dumps(run_provenance(), indent=2) + "\n", encoding="utf-8")
        incoming = sorted(e.name for e in temporary.iterdir())
        old = Path(tempfile.mkdtemp(prefix=_OLD, dir=target))
        (old / _INCOMING).write_text(json.dumps(incoming), encoding="utf-8")
        kept = []
        for entry in sorted(self._entries()):
            if entry.name.startswith(".framing-"):
                continue
            if entry.name in OUTPUT_NAMES:
                os.replace(entry, old / entry.name)
            else:
                kept.append(entry.name)
        (old / _INSTALLING).touch()
        for name in incoming:
            os.replace(temporary / name, target / name)
        trash = old.with_name(_TRASH + old.name[len(_OLD):])
        os.replace(old, trash)  # the swap is complete from here on
        shutil.rmtree(trash, ignore_errors=True)
        temporary.rmdir()
        self.temporary = None
        self._unlock()
        if kept:
            self.notify(f"{self.given}: kept {len(kept)} file(s) framing did not write: "
                        f"{', '.join(kept[:5])}")

    # --- repairing what a killed run left --------------------------------------------------
    def recover(self) -> None:
        """Restore or clean up what an interrupted run left in the output folder, and say so."""
        if self.target.is_dir():
            for entry in sorted(self._entries()):
                if entry.name.startswith(_OLD) and entry.is_dir():
                    self._restore(entry)
            for entry in sorted(self._entries()):
                if entry.name.startswith((_TEMP, _TRASH)) and entry.is_dir():
                    size = _size(entry)
                    shutil.rmtree(entry, ignore_errors=True)
                    what = ("unfinished output" if entry.name.startswith(_TEMP)
                            else "replaced output")
                    self.notify(f"{self.given}: removed the {what} an interrupted run left "
                                f"({entry.name}, {size / 1e6:.1f} MB)")
        self._recover_legacy()

    def _restore(self, old: Path) -> None:
        try:
            incoming = json.loads((old / _INCOMING).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            incoming = []
        if (old / _INSTALLING).exists():  # new entries were being moved in: take them out
            for name in incoming:
                _remove(self.target / name)
        restored = []
        for entry in sorted(old.iterdir()):
            if entry.name in (_INCOMING, _INSTALLING):
                continue
            _remove(self.target / entry.name)
            os.replace(entry, self.target / entry.name)
            restored.append(entry.name)
        shutil.rmtree(old, ignore_errors=True)
        self.notify(f"{self.given}: a run was interrupted while replacing this folder; restored "
                    f"the previous output ({len(restored)} entries)")

    def _recover_legacy(self) -> None:
        """Framing before 0.2 built ``.<name>.XXXXXXXX`` beside the folder and kept the old one
        as ``.<name>.old`` during the swap."""
        parent, name = self.target.parent, self.target.name
        if not name or not parent.is_dir():
            return
        backup = parent / f".{name}.old"
        if backup.is_dir() and is_framing_folder(backup):
            if not self.target.exists():
                os.replace(backup, self.target)
                self.notify(f"{self.given}: restored the previous output an interrupted run "
                            f"left in {backup.name}")
            else:
                shutil.rmtree(backup, ignore_errors=True)
                self.notify(f"{self.given}: removed {backup.name}, left by an interrupted run")
        try:
            siblings = list(parent.glob(f".{name}.*"))
        except OSError:
            return
        for entry in siblings:
            suffix = entry.name[len(name) + 2:]
            if (entry.is_dir() and len(suffix) == 8 and suffix.replace("_", "a").isalnum()
                    and all(e.name in OUTPUT_NAMES for e in entry.iterdir())):
                shutil.rmtree(entry, ignore_errors=True)
                self.notify(f"{self.given}: removed {entry.name}, left by an interrupted run")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def replace_directory(target: str | Path, write, *, force: bool = False,
                      inputs: Iterable = ()) -> Path:
    """``write(folder)`` into an :class:`OutputFolder` at ``target`` (all or nothing)."""
    with OutputFolder(target, force=force, inputs=inputs) as folder:
        write(folder)
    return Path(target)
