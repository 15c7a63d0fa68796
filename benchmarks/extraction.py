"""Article-body quality and speed of newswire's generic extractor against trafilatura, side by side.

Runs both extractors on every page set in ../shared (each folder with a ground-truth.json:
extraction-dev, extraction-readability), scored by extraction-dev's score.py (imported from
there: page loading, metric and trafilatura's settings), in the same process, pinned to one
CPU core, one run each, interleaved page by page so that both meet the same machine load.
It prints F1, precision, recall and pages per second for each set's half A, half B and the
whole set, with the ratios newswire / trafilatura. No site profile is used.

Halves (how rules are tuned without memorising pages): a page is in half A when the first
byte of sha256(its id) is even, else in half B (half_of). Rules and constants are chosen
by looking at half A only; half B is the held-out check, and a change that helps one half
and hurts the other is not taken.

    uv run --group bench python benchmarks/extraction.py [--set NAME ...] [--dir OTHER_SET] [--per-page out.csv] [--runs N]

With --runs N it runs N times, each in a fresh process, and prints the median figures, with
the speed ratio's lowest and highest: one run's ratio moves by about 5% on a shared machine.
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from transforms.extract import ExtractionError, extract_article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV_SET = SHARED / "extraction-dev"
HALVES = ("A", "B")


def load_score_module(folder: Path = DEV_SET):
    """../shared/extraction-dev/score.py, imported by path (it is not a package)."""
    spec = importlib.util.spec_from_file_location("extraction_dev_score", folder / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def half_of(key: str) -> str:
    """The half a page belongs to, by a hash of its id: stable, and blind to what the page is."""
    return HALVES[hashlib.sha256(key.encode("utf-8")).digest()[0] % 2]


def page_sets() -> list[Path]:
    """Every page set in ../shared: a folder with ground-truth.json and html/."""
    return sorted(p.parent for p in SHARED.glob("*/ground-truth.json") if (p.parent / "html").is_dir())


def newswire_body(html: str, url: str | None) -> str:
    """The benchmark's view of an article: its body text, empty when there is none."""
    try:
        return extract_article(html, url).body_text()
    except ExtractionError:
        return ""


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity here)"


def run_interleaved(score, pages, extractors):
    """One run of every extractor over every page, alternating which goes first on each
    page so both see the same machine load; returns {name: [(key, (tp, fp, fn), seconds)]}."""
    results = {name: [] for name in extractors}
    names = list(extractors)
    for i, (key, url, html, truth) in enumerate(pages):
        for name in names if i % 2 == 0 else names[::-1]:
            start = time.perf_counter()
            try:
                pred = extractors[name](html, url) or ""
            except Exception as exc:  # a crash scores as an empty prediction, as in score.py
                print(f"{name} error on {key}: {exc!r}", file=sys.stderr)
                pred = ""
            spent = time.perf_counter() - start
            results[name].append((key, score.page_counts(truth, pred), spent))
    return results


def summary(score, rows) -> tuple[float, float, float, float]:
    """(F1, P, R, pages/s) of a list of (key, counts, seconds)."""
    f1, p, r = score.summarise([c for _, c, _ in rows])
    return f1, p, r, len(rows) / max(sum(s for _, _, s in rows), 1e-9)


def report(score, name: str, results) -> list[dict]:
    """One row per half and for the whole set: both extractors' F1, P, R and pages/s."""
    rows = []
    for part in (*HALVES, "all"):
        picked = {n: [row for row in rs if part == "all" or half_of(row[0]) == part] for n, rs in results.items()}
        ours, theirs = summary(score, picked["newswire"]), summary(score, picked["trafilatura"])
        rows.append({"set": name, "half": part, "pages": len(picked["newswire"]), "newswire": ours,
                     "trafilatura": theirs, "speed_ratio": ours[3] / theirs[3]})
    return rows


def format_row(row: dict, ratios: list[float] | None = None) -> str:
    (f1, p, r, speed), (tf1, tp, tr, tspeed) = row["newswire"], row["trafilatura"]
    line = (f"{row['set']:24}{row['half']:>4}{row['pages']:>6} |{f1:7.3f}{p:7.3f}{r:7.3f}{speed:9.1f} |"
            f"{tf1:7.3f}{tp:7.3f}{tr:7.3f}{tspeed:9.1f} |{f1 / tf1:7.3f}{p / tp:7.3f}{r / tr:7.3f}"
            f"{row['speed_ratio']:7.2f}")
    if ratios:
        line += f"  ({min(ratios):.2f}-{max(ratios):.2f})"
    return line


def repeated(argv: list[str], runs: int) -> tuple[list[dict], list[list[float]]]:
    """runs fresh processes of this benchmark, each one interleaved run with cold caches (a
    second run in one process would find the first's memos and imports warm); returns the rows
    with each speed figure the median over the runs, and each row's speed ratios, run by run."""
    per_run = []
    for i in range(runs):
        out = subprocess.run([sys.executable, __file__, *argv, "--runs", "1", "--emit-json"], check=True,
                             capture_output=True, text=True).stdout
        per_run.append(json.loads(out.splitlines()[-1]))
        print(f"run {i + 1} of {runs}: " + ", ".join(f"{r['set']} {r['half']} {r['speed_ratio']:.2f}"
                                                  for r in per_run[-1] if r["half"] == "all"), flush=True)
    rows, ratios = [], []
    for k, first in enumerate(per_run[0]):
        same = [run[k] for run in per_run]
        speed = statistics.median(r["newswire"][3] for r in same)
        tspeed = statistics.median(r["trafilatura"][3] for r in same)
        ratio = [r["speed_ratio"] for r in same]
        rows.append(dict(first, newswire=[*first["newswire"][:3], speed], trafilatura=[*first["trafilatura"][:3], tspeed],
                         speed_ratio=statistics.median(ratio)))
        ratios.append(ratio)
    return rows, ratios


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", action="append", help="only this page set of ../shared (repeatable)")
    ap.add_argument("--dir", type=Path, action="append", help="a page set laid out like extraction-dev, elsewhere")
    ap.add_argument("--per-page", type=Path, help="write both extractors' per-page tp/fp/fn and seconds to this CSV")
    ap.add_argument("--runs", type=int, default=1,
                    help="repeat in this many fresh processes and print medians, with the speed ratio's range "
                         "(one run's ratio moves by about 5%% on a shared machine)")
    ap.add_argument("--emit-json", action="store_true", help=argparse.SUPPRESS)  # a --runs child's rows, for its parent
    args = ap.parse_args()
    if args.runs > 1:
        passed = sys.argv[1:]
        for flag in ("--runs", "--per-page"):  # the parent's own; a child makes one run and no CSV
            while flag in passed:
                i = passed.index(flag)
                del passed[i:i + 2]
        rows, ratios = repeated(passed, args.runs)
        print_table(f"median of {args.runs} runs in fresh processes (speed ratio's range in brackets)",
                    [format_row(row, ratio) for row, ratio in zip(rows, ratios)])
        return
    score = load_score_module(DEV_SET)
    folders = [f for f in page_sets() if not args.set or f.name in args.set] + (args.dir or [])
    where = pin_to_one_core()
    extractors = {"newswire": newswire_body, "trafilatura": score.trafilatura_reference}
    rows, per_page, started = [], [], time.perf_counter()
    for folder in folders:
        pages = score.load_pages(folder)
        for func in extractors.values():
            func(pages[0][2], pages[0][1])  # imports and model loading outside the clock
        # As the extraction pool's fork server does after its warm-up (flows/worker_preload.py): what
        # the warm-up made is collected and frozen, so no extractor pays a full collection of it.
        gc.collect()
        gc.freeze()
        results = run_interleaved(score, pages, extractors)
        rows += report(score, folder.name, results)
        for name, found in results.items():
            per_page += [(folder.name, key, half_of(key), name, *counts, seconds) for key, counts, seconds in found]
    if args.per_page:
        with args.per_page.open("w", newline="") as f:
            csv.writer(f).writerows([("set", "id", "half", "extractor", "tp", "fp", "fn", "seconds"), *per_page])
    if args.emit_json:
        print(json.dumps(rows))
        return
    print_table(f"one run of each extractor per page, interleaved page by page, {where}; "
                f"{time.perf_counter() - started:.0f} s in all", [format_row(row) for row in rows])


def print_table(title: str, lines: list[str]) -> None:
    print(title)
    print(f"{'':24}{'half':>4}{'pages':>6} |{'newswire':^30} |{'trafilatura 2.3.1':^30} |{'ratio':^28}")
    print(f"{'set':24}{'':>4}{'':>6} |" + f"{'F1':>7}{'P':>7}{'R':>7}{'pages/s':>9} |" * 2
          + f"{'F1':>7}{'P':>7}{'R':>7}{'speed':>7}")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
