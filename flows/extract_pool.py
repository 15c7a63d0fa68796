"""Extraction in worker processes: the CPU-bound step gets both cores while threads fetch.

Fetch tasks run in threads (I/O); each hands its batch of bodies to this pool
and waits, releasing the GIL. Workers are spawned (not forked: the parent has
Prefect's threads) once per process and reused.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor

from flows.batchframes import batch_from, frames_of
from transforms.article import Article
from transforms.extract import EXTRACTOR_VERSION, ExtractionError, extract_article
from transforms.normalise import NormalisedBatch, normalise

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def workers() -> int:
    """NEWSWIRE_EXTRACT_WORKERS, default one per core; 0 extracts in the calling thread."""
    return int(os.environ.get("NEWSWIRE_EXTRACT_WORKERS", os.cpu_count() or 1))


def _get_pool(n: int) -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"))
            atexit.register(_pool.shutdown, cancel_futures=True)
        return _pool


def extract_pages(pages: list[tuple[str, bytes, str | None]], source_id: str,
                  body_selector: str | None) -> tuple[list[Article], list[tuple[str, str]]]:
    articles, failures = [], []
    for url, body, content_type in pages:
        try:
            articles.append(extract_article(body, url, source_id=source_id, content_type=content_type,
                                            body_selector=body_selector))
        except ExtractionError as exc:
            failures.append((url, str(exc)))
    return articles, failures


def _work(pages, source_id, body_selector) -> tuple[dict, int, list[tuple[str, str]]]:
    """In a worker: extract and normalise; frames travel back (Arrow-backed, cheap to pickle)."""
    articles, failures = extract_pages(pages, source_id, body_selector)
    return frames_of(normalise(articles, extractor_version=EXTRACTOR_VERSION)), len(articles), failures


def extract_and_normalise(pages: list[tuple[str, bytes, str | None]], source_id: str,
                          body_selector: str | None) -> tuple[NormalisedBatch, int, list[tuple[str, str]]]:
    n = workers()
    if n <= 0 or not pages:
        frames, count, failures = _work(pages, source_id, body_selector)
    else:
        frames, count, failures = _get_pool(n).submit(_work, pages, source_id, body_selector).result()
    return batch_from(frames), count, failures


def _warm() -> None:
    """Import the extractor and load the language model (py3langid takes ~3 s) in a worker."""
    from transforms.language import identify_language

    identify_language("The warm-up sentence loads the language model once per worker.")


def warm() -> None:
    """Start the workers now, so their start-up overlaps discovery instead of the first batches."""
    n = workers()
    if n > 0:
        pool = _get_pool(n)
        for _ in range(n):
            pool.submit(_warm)
