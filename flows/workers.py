"""Extraction in worker processes: the CPU-bound step gets both cores while threads fetch.

Fetch tasks run in threads (I/O); each hands its batch of bodies to this pool
and waits, releasing the GIL. Workers come from a fork server (never forked
from the parent, which has Prefect's threads): the server imports the extractor
and loads the language model once, and every worker is forked from it ready,
instead of paying those ~1.8 s of CPU per worker as spawned ones did.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor

from warehouse.batchframes import batch_from, frames_of
from transforms.article import Article
from transforms.dating import FetchContext
from transforms.extract import EXTRACTOR_VERSION, ExtractionError, extract_article
from transforms.normalise import NormalisedBatch, normalise

# A fetched page as the pool takes it: (final url, body, content type, what the crawler knew).
Page = tuple[str, bytes, "str | None", FetchContext]

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def workers() -> int:
    """NEWSWIRE_EXTRACT_WORKERS, default one per core; 0 extracts in the calling thread."""
    return int(os.environ.get("NEWSWIRE_EXTRACT_WORKERS", os.cpu_count() or 1))


def _get_pool(n: int) -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["flows.worker_preload"])
            _pool = ProcessPoolExecutor(n, mp_context=context)
            atexit.register(_pool.shutdown, cancel_futures=True)
        return _pool


def extract_pages(pages: list[Page], source_id: str,
                  body_selector: str | None) -> tuple[list[Article], list[tuple[str, str]]]:
    articles, failures = [], []
    for url, body, content_type, _context in pages:
        try:
            articles.append(extract_article(body, url, source_id=source_id, content_type=content_type,
                                            body_selector=body_selector))
        except ExtractionError as exc:
            failures.append((url, str(exc)))
    return articles, failures


def _work(pages, source_id, body_selector) -> tuple[dict, int, list[tuple[str, str]]]:
    """In a worker: extract and normalise; frames travel back (Arrow-backed, cheap to pickle)."""
    articles, failures = extract_pages(pages, source_id, body_selector)
    contexts = {url: context for url, _body, _ctype, context in pages}
    batch = normalise(articles, extractor_version=EXTRACTOR_VERSION, contexts=contexts)
    return frames_of(batch), len(articles), failures


def extract_and_normalise(pages: list[Page], source_id: str,
                          body_selector: str | None) -> tuple[NormalisedBatch, int, list[tuple[str, str]]]:
    n = workers()
    if n <= 0 or not pages:
        frames, count, failures = _work(pages, source_id, body_selector)
    else:
        frames, count, failures = _get_pool(n).submit(_work, pages, source_id, body_selector).result()
    return batch_from(frames), count, failures


def _ready() -> None:
    """Nothing: submitting it makes the pool start its workers."""


def _start(n: int) -> None:
    pool = _get_pool(n)
    for _ in range(n):
        pool.submit(_ready)


def warm() -> None:
    """Start the workers in the background now.

    Launching a worker waits for the fork server's imports (~1 s); in a thread of its own
    that overlaps the warehouse reads and discovery instead of holding up the flow.
    """
    n = workers()
    if n > 0:
        threading.Thread(target=_start, args=(n,), name="extraction-warm-up", daemon=True).start()
