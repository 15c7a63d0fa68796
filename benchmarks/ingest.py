"""End-to-end ingest throughput against single-process extraction, side by side, plus memory.

    uv run python benchmarks/ingest.py                 # N = 3,000, then N = 1,000 for memory
    uv run python benchmarks/ingest.py --corpus real   # the real pages of ../shared, cycled to N
    uv run python benchmarks/ingest.py --pages 500     # quicker
    uv run python benchmarks/ingest.py --corpus real --memory   # only the two 2-process runs: peak RSS

For each run a fresh child process serves N pages (benchmarks/benchsite.py: the sample
site's varied synthetic pages, or with --corpus real the 216 real pages of ../shared
cycled) on 127.0.0.1 with politeness relaxed, and another
fresh child runs the real ingest flow on them under a temporary Prefect server
into a fresh DuckDB file, so each peak RSS is that run's alone. The reference,
extraction only (extract_article + normalise, one process, no Prefect), runs on
the same pages in this process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# No network here: Prefect's temporary servers must not try to send telemetry.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def serve(pages: int, corpus: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "benchsite.py"), "--pages", str(pages),
                             "--corpus", corpus], stdout=subprocess.PIPE, text=True)
    return proc, proc.stdout.readline().strip()


# The fork server and the workers forked from it (and the resource tracker) are extraction.
ROLES = (("uvicorn", "Prefect server"), ("from multiprocessing", "extraction workers"), ("benchsite", "page server"))


def cpu_by_role() -> dict[int, tuple[str, float]]:
    """CPU seconds so far of this process and every descendant, with the role each plays."""
    ticks, out, todo = os.sysconf("SC_CLK_TCK"), {}, [os.getpid()]
    while todo:
        pid = todo.pop()
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cmd = Path(f"/proc/{pid}/cmdline").read_text()
            for tid in os.listdir(f"/proc/{pid}/task"):
                todo += [int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        role = "flow process" if pid == os.getpid() else next((r for key, r in ROLES if key in cmd), "other")
        out[pid] = (role, (int(stat[11]) + int(stat[12])) / ticks)
    return out


def task_runs_of(run_id: str) -> int:
    """Task runs the server recorded for the flow run (recorded from events: wait until it settles)."""
    from prefect.client.orchestration import get_client

    counts: list[int] = []
    with get_client(sync_client=True) as client:
        while len(counts) < 3 or counts[-1] != counts[-3]:
            time.sleep(0.5)
            response = client.request("POST", "/task_runs/count",
                                      json={"flow_runs": {"id": {"any_": [run_id]}}})
            counts.append(int(response.json()))
    return counts[-1]


def child(pages: int, workers: int, corpus: str) -> None:
    """Run one ingest in this (fresh) process and print its figures as JSON."""
    os.environ["NEWSWIRE_EXTRACT_WORKERS"] = str(workers)
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newswire-bench-"))
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from prefect.testing.utilities import prefect_test_harness

    from flows.ingest import ingest

    site, origin = serve(pages, corpus)
    try:
        with tempfile.TemporaryDirectory() as tmp, prefect_test_harness(server_startup_timeout=120):
            sources = Path(tmp) / "sources.toml"
            sources.write_text(f'[crawler]\nobey_robots = true\n\n[[sources]]\nid = "bench"\n'
                               f'sitemaps = ["{origin}/sitemap.xml"]\nrequests_per_second = 0\nmax_in_flight = 8\n')
            before = cpu_by_role()
            started = time.perf_counter()
            summary = ingest(str(sources), str(Path(tmp) / "bench.duckdb"), archive_dir=str(Path(tmp) / "warc"))
            elapsed = time.perf_counter() - started
            after = cpu_by_role()
            tasks = task_runs_of(summary["run_id"])
    finally:
        site.kill()
    cpu: dict[str, float] = {}
    for pid, (role, seconds) in after.items():
        cpu[role] = cpu.get(role, 0.0) + seconds - before.get(pid, (role, 0.0))[1]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"pages": pages, "workers": workers, "elapsed": elapsed, "inserted": summary["inserted"],
                      "failures": summary["failures"], "rss_mb": rss, "child_rss_mb": workers_rss, "tasks": tasks,
                      "cpu": cpu}))


def run_child(pages: int, workers: int, corpus: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(pages), "--workers", str(workers),
                          "--corpus", corpus],
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-4000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def extraction_only(pages: int, corpus: str) -> float:
    """Pages/s of extract_article + normalise in this one process on the same pages (the first
    600, or every real page once)."""
    from benchmarks.benchsite import page_path, render, real_pages
    from transforms.extract import EXTRACTOR_VERSION, ExtractionError, extract_article
    from flows.settings import Settings
    from transforms.normalise import normalise

    origin = "http://127.0.0.1:1"
    count = min(pages, len(real_pages()) if corpus == "real" else 600)
    bodies = [render(i, origin, corpus) for i in range(count)]
    lexicon = Settings().lexicon()
    started = time.perf_counter()
    articles = []
    for i, body in enumerate(bodies):
        try:
            articles.append(extract_article(body, f"{origin}{page_path(i, corpus)}", content_type="text/html"))
        except ExtractionError:
            pass
    for i in range(0, len(articles), 25):
        normalise(articles[i : i + 25], extractor_version=EXTRACTOR_VERSION, lexicon=lexicon)
    return len(bodies) / (time.perf_counter() - started)


def task_overhead_ms(runs: int = 100) -> float:
    """What one Prefect task run costs here, from a flow of empty tasks."""
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newswire-bench-"))
    from prefect import flow, task
    from prefect.testing.utilities import prefect_test_harness

    @task
    def nothing(i: int) -> int:
        return i

    @flow
    def many() -> float:
        nothing(0)
        started = time.perf_counter()
        for i in range(runs):
            nothing(i)
        return (time.perf_counter() - started) / runs * 1000

    with prefect_test_harness(server_startup_timeout=120):
        state = many(return_state=True)
        # Leave the server only once it has recorded the task runs: stopping it with their events
        # still queued made its recorder print a page of CancelledError tracebacks.
        task_runs_of(str(state.state_details.flow_run_id))
        return state.result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--small", type=int, default=1000, help="the smaller N for the memory comparison")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--corpus", choices=("sample", "real"), default="sample",
                        help="sample: synthetic pages like the sample site's; real: ../shared's real pages, cycled")
    parser.add_argument("--memory", action="store_true",
                        help="only the memory comparison: the 2-process ingest at --small and at --pages pages "
                             "(no reference, no 1-process run, no Prefect overhead)")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.workers, args.corpus)

    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    if args.memory:
        small, two = run_child(args.small, 2, args.corpus), run_child(args.pages, 2, args.corpus)
        print(f"pages: {args.pages} of the {args.corpus} corpus (inserted {two['inserted']}, "
              f"failures {sum(two['failures'].values())}); {args.small}: {small['pages'] / small['elapsed']:.1f} "
              f"pages/s, {args.pages}: {two['pages'] / two['elapsed']:.1f} pages/s")
        return print_memory(args, small, two)
    reference = extraction_only(args.pages, args.corpus)
    two = run_child(args.pages, 2, args.corpus)
    one = run_child(args.pages, 1, args.corpus)
    small = run_child(args.small, 2, args.corpus)
    overhead = task_overhead_ms()
    e2e = two["pages"] / two["elapsed"]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {os.uname().machine}")
    print(f"pages: {args.pages} of the {args.corpus} corpus (inserted {two['inserted']}, "
          f"failures {sum(two['failures'].values())})")
    print(f"{'':44}{'pages/s':>10}{'ratio':>9}")
    print(f"{'extraction only, one process (reference)':44}{reference:>10.1f}{1.0:>9.2f}")
    print(f"{'end-to-end ingest, 2 extraction processes':44}{e2e:>10.1f}{e2e / reference:>9.2f}  (target >= 0.80)")
    print(f"{'end-to-end ingest, 1 extraction process':44}{one['pages'] / one['elapsed']:>10.1f}"
          f"{one['pages'] / one['elapsed'] / reference:>9.2f}")
    print(f"2-process / 1-process speed-up: {one['elapsed'] / two['elapsed']:.2f}x")
    print("CPU per page while the 2-process ingest ran: " + ", ".join(
        f"{role} {seconds / args.pages * 1000:.1f} ms" for role, seconds in sorted(two["cpu"].items(), key=lambda x: -x[1])
        if seconds > 0.05) + f" (extraction alone: {1000 / reference:.1f} ms)")
    print(f"Prefect overhead: {overhead:.1f} ms per task run x {two['tasks']} task runs = "
          f"{overhead * two['tasks'] / args.pages:.2f} ms per page "
          f"({overhead * two['tasks'] / 1000 / two['elapsed']:.1%} of the run)")
    print_memory(args, small, two)


def print_memory(args, small: dict, two: dict) -> None:
    growth = two["rss_mb"] / small["rss_mb"] - 1
    print(f"peak RSS of the flow process: N={args.small}: {small['rss_mb']:.0f} MB, N={args.pages}: "
          f"{two['rss_mb']:.0f} MB ({growth:+.0%}; target <= +20% and < 1024 MB); "
          f"largest child (extraction worker, Prefect server): {two['child_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
