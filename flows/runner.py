"""Where a run's per-batch tasks run: in the flow's process (threads that fetch, extraction in the
local pool of flows/workers.py), or on a Dask cluster through prefect-dask's DaskTaskRunner.

Politeness across machines: a task that fetches from a host (a source's discovery, a batch of article
pages, which fetch_in_batches groups by host) goes to one worker chosen from the host's name, the same
for every run that sees the same workers. That worker's Fetcher (flows/crawl/fetchers.py) is then the
only one that contacts the host, so the host's rate limit and in-flight cap are enforced in one place
however many workers there are. Each batch's extraction is a task of its own that may run anywhere:
the workers take turns (a loose pin, which Dask may move to an idle worker). The fetch pin is strict: Dask's work stealing moves loosely pinned tasks to
idle workers (allow_other_workers=True), which put two workers on one host in the tests. The list of
workers is read again when a pinned worker has left, so later batches go to live ones; a batch that was
waiting for the dead worker waits until the run is cancelled (docs/scaling.md, "When a part fails").

Loads stay in the flow process: tasks sent to the cluster return their batch and the flow stages it
(the staging folder is on the flow's machine), and the load task runs in the flow's own task runner.
"""

from __future__ import annotations

import hashlib

from prefect.futures import PrefectFuture
from prefect.tasks import Task
from prefect.utilities.callables import get_call_parameters

from flows.crawl.fetch import Fetcher
from flows.crawl.fetchers import FetcherSpec
from flows.tasks import extract_batch, fetch_and_extract, fetch_batch
from transforms.entities import Lexicon
from transforms.feeds import Discovered
from transforms.sources import Source
from transforms.urls import host_of
from warehouse.staging import Stage


class BatchRunner:
    """Submits the fetching tasks of a run, here or on the Dask cluster at `address`; a context manager."""

    def __init__(self, fetcher: Fetcher, spec: FetcherSpec, address: str | None = None) -> None:
        self.local_fetcher, self.spec, self.address = fetcher, spec, address or None
        self.workers: list[str] = []
        self._dask = None
        self._turn = 0

    @property
    def remote(self) -> bool:
        return self.address is not None

    @property
    def fetcher(self) -> Fetcher | FetcherSpec:
        """What tasks are given to fetch with: the flow's Fetcher here, its spec on the cluster."""
        return self.spec if self.remote else self.local_fetcher

    def submit_batch(self, urls: list[Discovered], source: Source, stage: Stage, lexicon: Lexicon,
                     run_id: str) -> PrefectFuture:
        """A batch of article pages fetched and extracted. Here, the task stages the batch itself; on
        the cluster, the fetch goes to the host's worker, the extraction to the next worker in turn,
        and the batch comes back for the flow to stage (the staging folder is on the flow's machine)."""
        if self._dask is None:
            return fetch_and_extract.submit(urls, source, self.local_fetcher, stage, lexicon, run_id)
        import dask

        fetched = self.submit(fetch_batch, host_of(urls[0].url), urls=urls, source=source, fetcher=self.spec)
        self._turn += 1
        with dask.annotate(workers=[self.workers[self._turn % len(self.workers)]], allow_other_workers=True):
            return self._dask.submit(extract_batch, parameters={"fetched": fetched, "source": source,
                                                                "lexicon": lexicon})

    def __enter__(self) -> "BatchRunner":
        if self.remote:
            from prefect_dask import DaskTaskRunner

            self._dask = DaskTaskRunner(address=self.address).__enter__()
            try:
                self.workers = sorted(self._dask.client.scheduler_info()["workers"])
            except (OSError, TimeoutError) as exc:
                self.__exit__(None, None, None)
                raise RuntimeError(f"cannot reach the Dask scheduler at {self.address} ({exc}); start it "
                                   f"(`dask scheduler`) or fix --dask, NEWSWIRE_DASK_ADDRESS or the sources "
                                   f"file's [runner] dask_address") from exc
            if not self.workers:
                self.__exit__(None, None, None)
                raise RuntimeError(f"the Dask scheduler at {self.address} has no workers; start some "
                                   f"(`dask worker {self.address}`) or run without --dask")
        return self

    def __exit__(self, *exc) -> None:
        if self._dask is not None:
            self._dask.__exit__(*exc)
            self._dask = None

    def worker_for(self, host: str) -> str:
        """The worker that fetches from host: the same for every run seeing the same workers."""
        digest = hashlib.sha1(host.lower().encode()).digest()
        return self.workers[int.from_bytes(digest[:8], "big") % len(self.workers)]

    def submit(self, task: Task, host: str, **kwargs) -> PrefectFuture:
        """The task with these arguments, on the worker of `host` when on the cluster."""
        if self._dask is None:
            return task.submit(**kwargs)
        import dask

        parameters = get_call_parameters(task.fn, (), kwargs)
        worker = self.worker_for(host)
        if worker not in self._dask.client.scheduler_info()["workers"]:  # it left: pin to the live ones
            self.workers = sorted(self._dask.client.scheduler_info()["workers"]) or self.workers
            worker = self.worker_for(host)
        with dask.annotate(workers=[worker], allow_other_workers=False):
            return self._dask.submit(task, parameters=parameters)
