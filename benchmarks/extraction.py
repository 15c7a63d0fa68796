"""Article-body quality and speed of newswire's generic extractor against trafilatura, side by side.

Runs both extractors on the development pages (../shared/extraction-dev, scored by
its own score.py, imported from there: pages, metric and trafilatura's settings),
in the same process, pinned to one CPU core, one run each, interleaved page by
page so that both meet the same machine load, and prints F1, precision, recall and
pages per second with the ratios newswire / trafilatura. No site profile is used.

    uv run --group bench python benchmarks/extraction.py [--dir OTHER_SET] [--per-page out.csv]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import sys
import time
from pathlib import Path

from transforms.extract import ExtractionError, extract_article

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "extraction-dev"


def load_score_module(folder: Path):
    """../shared/extraction-dev/score.py, imported by path (it is not a package)."""
    spec = importlib.util.spec_from_file_location("extraction_dev_score", folder / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    page so both see the same machine load; returns {name: (counts, rows, seconds)}."""
    results = {name: ([], [], 0.0) for name in extractors}
    names = list(extractors)
    for i, (key, url, html, truth) in enumerate(pages):
        for name in names if i % 2 == 0 else names[::-1]:
            counts, rows, spent = results[name]
            start = time.perf_counter()
            try:
                pred = extractors[name](html, url) or ""
            except Exception as exc:  # a crash scores as an empty prediction, as in score.py
                print(f"{name} error on {key}: {exc!r}", file=sys.stderr)
                pred = ""
            spent += time.perf_counter() - start
            c = score.page_counts(truth, pred)
            counts.append(c)
            rows.append((key, url, *c))
            results[name] = (counts, rows, spent)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", type=Path, default=DEV_SET, help="page set laid out like extraction-dev")
    ap.add_argument("--per-page", type=Path, help="write newswire's per-page tp/fp/fn to this CSV")
    args = ap.parse_args()
    score = load_score_module(DEV_SET)
    pages = score.load_pages(args.dir)
    where = pin_to_one_core()
    extractors = {"newswire": newswire_body, "trafilatura": score.trafilatura_reference}
    for func in extractors.values():
        func(pages[0][2], pages[0][1])  # imports and model loading outside the clock
    results = run_interleaved(score, pages, extractors)
    if args.per_page:
        with args.per_page.open("w", newline="") as f:
            csv.writer(f).writerows([("id", "url", "tp", "fp", "fn"), *results["newswire"][1]])
    table = {name: (*score.summarise(counts), len(pages) / spent) for name, (counts, _, spent) in results.items()}
    print(f"{len(pages)} pages from {args.dir}, one run each, interleaved page by page, {where}")
    print(f"{'':14}{'F1':>8}{'P':>8}{'R':>8}{'pages/s':>10}")
    for name, (f1, p, r, speed) in table.items():
        print(f"{name:14}{f1:8.3f}{p:8.3f}{r:8.3f}{speed:10.1f}")
    (f1, p, r, speed), (tf1, tp, tr, tspeed) = table["newswire"], table["trafilatura"]
    print(f"{'ratio':14}{f1 / tf1:8.3f}{p / tp:8.3f}{r / tr:8.3f}{speed / tspeed:10.2f}")


if __name__ == "__main__":
    main()
