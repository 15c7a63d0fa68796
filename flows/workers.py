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
import threading
from concurrent.futures import ProcessPoolExecutor

from warehouse.batchframes import batch_from, frames_of
from transforms.article import Article
from transforms.dating import FetchContext
from transforms.entities import Lexicon
from transforms.extract import EXTRACTOR_VERSION, ExtractionError, extract_article
from transforms.normalise import NormalisedBatch, normalise
from transforms.sources import Source

# A fetched page as the pool takes it: (final url, body, content type, what the crawler knew).
Page = tuple[str, bytes, "str | None", FetchContext]

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def workers() -> int:
    """Extraction processes (Settings.extract_workers: one per core unless NEWSWIRE_EXTRACT_WORKERS
    says otherwise); 0 extracts in the calling thread."""
    from flows.settings import Settings

    return Settings.load().extract_workers


def _get_pool(n: int) -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["flows.worker_preload"])
            _pool = ProcessPoolExecutor(n, mp_context=context)
            atexit.register(_pool.shutdown, cancel_futures=True)
        return _pool


def extract_page(page: Page, source: Source) -> Article:
    """The one extraction entry point of the flows: a fetched (or archived) page of a source."""
    url, body, content_type, _context = page
    return extract_article(body, url, source_id=source.id, content_type=content_type,
                           body_selector=source.body_selector)


def _work(pages: list[Page], source: Source, lexicon: Lexicon) -> tuple[dict, int, list[tuple[str, str]]]:
    """In a worker: extract and normalise; frames travel back (Arrow-backed, cheap to pickle)."""
    articles, failures = [], []
    for page in pages:
        try:
            articles.append(extract_page(page, source))
        except ExtractionError as exc:
            failures.append((page[0], str(exc)))
    contexts = {url: context for url, _body, _ctype, context in pages}
    batch = normalise(articles, extractor_version=EXTRACTOR_VERSION, lexicon=lexicon, contexts=contexts)
    return frames_of(batch), len(articles), failures


def extract_and_normalise(pages: list[Page], source: Source, lexicon: Lexicon,
                          n: int | None = None) -> tuple[NormalisedBatch, int, list[tuple[str, str]]]:
    """Extract and normalise a batch of pages in a worker process (in this thread with 0 workers;
    n workers, else the setting's); returns (the batch, articles extracted, (url, reason) of the
    pages that hold no article)."""
    n = workers() if n is None else n
    if n <= 0 or not pages:
        frames, count, failures = _work(pages, source, lexicon)
    else:
        frames, count, failures = _get_pool(n).submit(_work, pages, source, lexicon).result()
    return batch_from(frames, lexicon), count, failures


def _ready() -> None:
    """Nothing: submitting it makes the pool start its workers."""


def _start(n: int) -> None:
    try:
        pool = _get_pool(n)
        for _ in range(n):
            pool.submit(_ready)
    except RuntimeError:
        # The run ended before the warm-up got going (a rerun with nothing to fetch takes well under the
        # fork server's second): the interpreter is shutting down and the pool is not needed.
        pass


def warm() -> None:
    """Start the workers in the background now.

    Launching a worker waits for the fork server's imports (~1 s); in a thread of its own
    that overlaps the warehouse reads and discovery instead of holding up the flow.
    """
    n = workers()
    if n > 0:
        threading.Thread(target=_start, args=(n,), name="extraction-warm-up", daemon=True).start()
