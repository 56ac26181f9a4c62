"""Progress bars for long runs (rich), silent when disabled or when there is little to do."""

from __future__ import annotations

from typing import Iterable, Sequence, TypeVar

__all__ = ["progress_iter"]

T = TypeVar("T")

#: Fewer items than this never show a bar: it would only flicker.
MIN_ITEMS = 20


def progress_iter(items: Sequence[T], description: str, *, enabled: bool = True) -> Iterable[T]:
    """Iterate over ``items`` with a rich progress bar on stderr when ``enabled``."""
    if not enabled or len(items) < MIN_ITEMS:
        yield from items
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(items, description=description, console=Console(stderr=True),
                     transient=True)
