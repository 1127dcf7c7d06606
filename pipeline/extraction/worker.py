"""What runs inside an extraction worker process, kept apart from the runner so that a worker
imports only the extractor: not pandas, the store or the input readers (a third of a second
each worker saves at start-up, which short runs feel)."""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable

from ..schema import Article, Event

ChunkResult = tuple[list[list[Event]], list[tuple[str, str]]]
ExtractorFactory = Callable[[str | None], object]


class RunError(Exception):
    """The run cannot go on at all (no model, the pool died); `str()` says why."""


_worker_extractor = None
_worker_failure: str | None = None


def worker_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: forked from a server process that has imported spaCy and the
    extractor (forkserver), or, where there is none, each a fresh interpreter (spawn)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # "__main__" as by default: an extractor factory defined in the caller's script unpickles in
    # the workers (`python -m pipeline` itself imports nothing outside its main guard).
    context.set_forkserver_preload(["__main__", "pipeline.extraction.extract"])
    return context


def start_worker_server() -> None:
    """Start the forkserver now, so that it imports spaCy while this process imports the rest
    (pandas, the store); a pool started later then forks workers that only load the model. It
    saves half a second of a run's start-up on two cores."""
    if worker_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def load_extractor(model_name: str | None, factory: ExtractorFactory | None = None, options: dict | None = None):
    from .nlp import ModelNotFound

    if factory is None:
        from .extract import Extractor  # imported here: the pool's parent never needs spaCy

        factory = Extractor.default
    try:
        return factory(model_name, **(options or {}))
    except ModelNotFound as exc:
        raise RunError(str(exc)) from None
    except Exception as exc:  # a data file the extractor cannot use, say: one line for the user
        raise RunError(f"cannot load the extractor: {type(exc).__name__}: {exc}") from exc


def extract_chunk(extractor, chunk: list[Article]) -> ChunkResult:
    """Extract a chunk as one batch; if that fails, article by article to find the bad one."""
    try:
        return extractor.extract(chunk), []
    except Exception:  # noqa: BLE001 - one bad article must not sink the batch
        pass
    events: list[list[Event]] = []
    failures: list[tuple[str, str]] = []
    for article in chunk:
        try:
            events.extend(extractor.extract([article]))
        except Exception as exc:  # noqa: BLE001
            events.append([])
            failures.append((article.doc_id, f"{type(exc).__name__}: {exc}"))
    return events, failures


def init_worker(model_name: str | None, factory: ExtractorFactory | None, options: dict) -> None:
    # A failing initializer would make the pool restart workers forever: keep the failure and
    # report it from the first task instead.
    global _worker_extractor, _worker_failure
    try:
        _worker_extractor = load_extractor(model_name, factory, options)
    except Exception as exc:  # noqa: BLE001
        _worker_failure = str(exc) if isinstance(exc, RunError) else f"{type(exc).__name__}: {exc}"


def worker_task(chunk: list[Article]) -> ChunkResult:
    if _worker_extractor is None:
        raise RunError(_worker_failure or "the worker could not load the extractor")
    return extract_chunk(_worker_extractor, chunk)
