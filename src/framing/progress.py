"""Progress bars for long runs (rich), silent when disabled or when there is little to do."""

from __future__ import annotations

from typing import Iterable, TypeVar

__all__ = ["progress_iter"]

T = TypeVar("T")

#: Fewer items than this never show a bar: it would only flicker.
MIN_ITEMS = 20


def progress_iter(items: Iterable[T], description: str, *, enabled: bool = True,
                  total: int | None = None) -> Iterable[T]:
    """Iterate over ``items`` with a rich progress bar on stderr when ``enabled``.

    ``total`` is needed when ``items`` has no length (a generator of parallel results).
    """
    total = len(items) if total is None else total
    if not enabled or total < MIN_ITEMS:
        yield from items
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(items, description=description, total=total,
                     console=Console(stderr=True), transient=True)


def bar(description: str, enabled: bool):
    """A ``progress`` argument for :func:`framing.parallel.parallel_map`."""
    return lambda iterator, total: progress_iter(iterator, description, enabled=enabled,
                                                 total=total)
