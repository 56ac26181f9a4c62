"""The engine: running a per-article function over many articles in parallel processes, in
order, with a progress bar.

``parallel_map(function, items, shared, jobs=N)`` calls ``function(shared, item)`` for every
item and returns the results in the order of ``items``, whatever ``jobs`` is; so ``--jobs 4``
gives exactly what ``--jobs 1`` gives. ``shared`` (lexicons, rules) is sent to each worker once,
by the pool initializer, not with every item; items travel in chunks to keep the overhead low.
"""

from __future__ import annotations

from contextlib import contextmanager

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterable, TypeVar

__all__ = ["bar", "bounded_map", "counter", "default_jobs", "forks_workers", "one_blas_thread",
           "parallel_map", "progress_iter"]

_SHARED: Any = None
#: Fewer items than this run in this process.
MIN_PARALLEL = 16
#: Most items sent to a worker at once by :func:`parallel_map` (16 articles: a few tenths of a
#: second of work, so the workers finish within that of each other; 64 left one worker
#: waiting about a second at the end of a 1,200-article run, docs/scaling.md).
MAX_CHUNK = 16


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def one_blas_thread():
    """A context in which numpy's BLAS uses one thread (``threadpoolctl``). framing's per-article
    work multiplies small matrices (language identification, the line model): BLAS threads only
    spin there, taking a core from the other process or worker (docs/scaling.md)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _initialize(shared: Any) -> None:
    global _SHARED
    _SHARED = shared
    one_blas_thread()  # for the worker's life: the worker is framing's own process


def _call(job: tuple[Callable, Any]) -> Any:
    function, item = job
    return function(_SHARED, item)


def forks_workers(jobs: int, items: int) -> bool:
    """Whether :func:`parallel_map` of ``items`` items will start worker processes by forking
    this one: what the parent has loaded before (a model, a cache) the workers then share
    instead of each loading it again."""
    import multiprocessing

    return _uses_workers(jobs, items) and multiprocessing.get_start_method() == "fork"


def _uses_workers(jobs: int, items: int, min_parallel: int = MIN_PARALLEL) -> bool:
    """Whether :func:`parallel_map` starts worker processes for ``items`` items."""
    return jobs > 1 and items >= min_parallel


def parallel_map(function: Callable[[Any, Any], Any], items: Iterable[Any], shared: Any = None,
                 *, jobs: int = 1, progress=None, max_chunk: int | None = None,
                 meanwhile: Callable[[], Any] | None = None,
                 min_parallel: int = MIN_PARALLEL) -> list:
    """``[function(shared, item) for item in items]``, with ``jobs`` processes.

    ``progress`` is an optional callable wrapping the iterator of results (a progress bar).
    With ``jobs <= 1`` or fewer than ``min_parallel`` items (default :data:`MIN_PARALLEL`;
    fewer for items that each take long, such as figures), everything runs in this process
    (starting workers costs more than it saves). Items travel to the workers in runs of at most
    ``max_chunk`` (default :data:`MAX_CHUNK`): the last run decides how long the other
    workers wait at the end. ``meanwhile``, when given, is called once in this process: while
    the workers work (after they have started, so no thread of framing's is running when they
    are forked), or after the items in a run without workers.
    """
    items = list(items)
    wrap = progress or (lambda iterator, total: iterator)
    if not _uses_workers(jobs, len(items), min_parallel):
        with one_blas_thread():
            results = list(wrap((function(shared, item) for item in items), len(items)))
        if meanwhile is not None:
            meanwhile()
        return results
    chunksize = max(1, min(max_chunk or MAX_CHUNK, len(items) // (jobs * 4) or 1))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_initialize,
                             initargs=(shared,)) as pool:
        # map submits every run at once: the workers start here and work while ...
        results = pool.map(_call, [(function, item) for item in items], chunksize=chunksize)
        if meanwhile is not None:
            meanwhile()  # ... this process does something else
        return list(wrap(results, len(items)))


def bounded_map(function: Callable[[Any, Any], Any], items: Iterable[Any], shared: Any = None,
                *, jobs: int = 1, window: int | None = None, executor=None):
    """``function(shared, item)`` for each item of a (possibly endless) iterable, yielded in
    input order, with at most ``window`` items (default ``2 x jobs``) in flight: memory
    depends on the window, not on the input.

    Locally (``executor=None``) ``jobs`` processes of a ``ProcessPoolExecutor`` get ``shared``
    once, through the pool's initializer; ``jobs <= 1`` runs in this process. Any other
    ``concurrent.futures`` executor can run the items instead, such as a Dask cluster's
    (``Client.get_executor()``): ``shared`` is then passed with each call (scatter it first so
    that it travels once)."""
    from collections import deque

    if executor is None and jobs <= 1:
        for item in items:
            with one_blas_thread():  # not held across the yield: the caller's code runs there
                result = function(shared, item)
            yield result
        return
    window = window or 2 * max(1, jobs)
    pool = executor or ProcessPoolExecutor(max_workers=jobs, initializer=_initialize,
                                           initargs=(shared,))
    submit = (lambda item: pool.submit(_call, (function, item))) if executor is None else \
        (lambda item: pool.submit(function, shared, item))
    try:
        pending: deque = deque()
        for item in items:
            pending.append(submit(item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        if executor is None:
            pool.shutdown(cancel_futures=True)


# --- progress ---------------------------------------------------------------------------------


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
    """A ``progress`` argument for :func:`framing.engine.parallel_map`."""
    return lambda iterator, total: progress_iter(iterator, description, enabled=enabled,
                                                 total=total)


@contextmanager
def steps(description: str, total: int, enabled: bool):
    """A progress bar over named steps of known number: yields ``step(name)``, called as each
    step starts (the bar shows it and counts the one before as done); silent when disabled."""
    if not enabled:
        yield lambda name: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[now]}"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total, now="")
        started = [False]

        def step(name: str) -> None:
            if started[0]:
                bar.advance(task)
            started[0] = True
            bar.update(task, now=name)
        yield step


def counter(description: str, unit: str, enabled: bool):
    """A progress reporter for a stream of unknown length: ``report(done)`` rewrites one line
    on stderr ("Measured 4,000 articles"); silent when disabled."""
    if not enabled:
        return lambda done: None
    import sys

    def report(done: int) -> None:
        print(f"\r{description} {done:,} {unit}", end="", file=sys.stderr, flush=True)
    return report
