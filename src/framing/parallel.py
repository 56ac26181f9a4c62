"""Running a per-article function over many articles in parallel processes, in order.

``parallel_map(function, items, shared, jobs=N)`` calls ``function(shared, item)`` for every
item and returns the results in the order of ``items``, whatever ``jobs`` is; so ``--jobs 4``
gives exactly what ``--jobs 1`` gives. ``shared`` (lexicons, rules) is sent to each worker once,
by the pool initializer, not with every item; items travel in chunks to keep the overhead low.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterable

__all__ = ["default_jobs", "parallel_map"]

_SHARED: Any = None
#: Fewer items than this run in this process.
MIN_PARALLEL = 16


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _initialize(shared: Any) -> None:
    global _SHARED
    _SHARED = shared


def _call(job: tuple[Callable, Any]) -> Any:
    function, item = job
    return function(_SHARED, item)


def parallel_map(function: Callable[[Any, Any], Any], items: Iterable[Any], shared: Any = None,
                 *, jobs: int = 1, progress=None) -> list:
    """``[function(shared, item) for item in items]``, with ``jobs`` processes.

    ``progress`` is an optional callable wrapping the iterator of results (a progress bar).
    With ``jobs <= 1`` or fewer than ``MIN_PARALLEL`` items, everything runs in this process
    (starting workers costs more than it saves).
    """
    items = list(items)
    wrap = progress or (lambda iterator, total: iterator)
    if jobs <= 1 or len(items) < MIN_PARALLEL:
        return list(wrap((function(shared, item) for item in items), len(items)))
    chunksize = max(1, min(64, len(items) // (jobs * 4) or 1))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_initialize,
                             initargs=(shared,)) as pool:
        results = pool.map(_call, [(function, item) for item in items], chunksize=chunksize)
        return list(wrap(results, len(items)))
