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

    uv run --group bench python benchmarks/extraction.py [--set NAME ...] [--dir OTHER_SET] [--per-page out.csv]
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import importlib.util
import os
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


def report(score, name: str, results) -> list[str]:
    lines = []
    for part in (*HALVES, "all"):
        rows = {n: [row for row in rs if part == "all" or half_of(row[0]) == part] for n, rs in results.items()}
        (f1, p, r, speed), (tf1, tp, tr, tspeed) = summary(score, rows["newswire"]), summary(score, rows["trafilatura"])
        lines.append(f"{name:24}{part:>4}{len(rows['newswire']):>6} |{f1:7.3f}{p:7.3f}{r:7.3f}{speed:9.1f} |"
                     f"{tf1:7.3f}{tp:7.3f}{tr:7.3f}{tspeed:9.1f} |{f1 / tf1:7.3f}{p / tp:7.3f}{r / tr:7.3f}"
                     f"{speed / tspeed:7.2f}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", action="append", help="only this page set of ../shared (repeatable)")
    ap.add_argument("--dir", type=Path, action="append", help="a page set laid out like extraction-dev, elsewhere")
    ap.add_argument("--per-page", type=Path, help="write both extractors' per-page tp/fp/fn and seconds to this CSV")
    args = ap.parse_args()
    score = load_score_module(DEV_SET)
    folders = [f for f in page_sets() if not args.set or f.name in args.set] + (args.dir or [])
    where = pin_to_one_core()
    extractors = {"newswire": newswire_body, "trafilatura": score.trafilatura_reference}
    lines, per_page, started = [], [], time.perf_counter()
    for folder in folders:
        pages = score.load_pages(folder)
        for func in extractors.values():
            func(pages[0][2], pages[0][1])  # imports and model loading outside the clock
        # As the extraction pool's fork server does after its warm-up (flows/worker_preload.py): what
        # the warm-up made is collected and frozen, so no extractor pays a full collection of it.
        gc.collect()
        gc.freeze()
        results = run_interleaved(score, pages, extractors)
        lines += report(score, folder.name, results)
        for name, rows in results.items():
            per_page += [(folder.name, key, half_of(key), name, *counts, seconds) for key, counts, seconds in rows]
    if args.per_page:
        with args.per_page.open("w", newline="") as f:
            csv.writer(f).writerows([("set", "id", "half", "extractor", "tp", "fp", "fn", "seconds"), *per_page])
    print(f"one run of each extractor per page, interleaved page by page, {where}; "
          f"{time.perf_counter() - started:.0f} s in all")
    print(f"{'':24}{'half':>4}{'pages':>6} |{'newswire':^30} |{'trafilatura 2.3.1':^30} |{'ratio':^28}")
    print(f"{'set':24}{'':>4}{'':>6} |" + f"{'F1':>7}{'P':>7}{'R':>7}{'pages/s':>9} |" * 2
          + f"{'F1':>7}{'P':>7}{'R':>7}{'speed':>7}")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
