"""Near-duplicate detection: datasketch against rensa, on edited copies of real articles.

Bases are the real article texts of ../shared (ground truth, at least MIN_WORDS words) and the
sample site's articles (same topics, different stories: hard negatives). Each base gets one
copy edited as wire copy is when outlets republish it: paragraphs deleted, a paragraph and a
credit line inserted, paragraphs reordered, 5% of words changed, a new headline; half the
copies get two edits. Each library signs every text with the same parameters
(transforms.neardup), the same LSH bands find candidates and the same threshold confirms them.
Printed side by side: cost per article (signature and band keys), recall (copies matched to
their own base) and precision (of every pair reported, base-base pairs included), per edit too.

    uv run --group bench python benchmarks/neardup.py
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from pathlib import Path

from transforms import neardup as nd

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EDITS = ("delete", "insert", "reorder", "words", "headline")


def real_texts() -> list[str]:
    texts = []
    for corpus in ("extraction-dev", "extraction-readability"):
        truth = json.loads((SHARED / corpus / "ground-truth.json").read_text("utf-8"))
        texts += [v["articleBody"] for _, v in sorted(truth.items()) if v.get("articleBody")]
    for path in sorted((ROOT / "seeds" / "sample_site_expected").glob("*.txt")):
        texts.append(path.read_text("utf-8"))
    # Some pages of the corpora carry the same text (one story on two sites): keep one, so that
    # a copy matching its base's twin does not count against precision.
    return list(dict.fromkeys(t for t in texts if len(nd.words(t)) >= nd.MIN_WORDS))


def edit(text: str, kind: str, rng: random.Random, others: list[str]) -> str:
    paras = [p for p in text.split("\n") if p.strip()]
    if kind == "delete":
        for _ in range(max(1, len(paras) // 5)):
            if len(paras) > 2:
                paras.pop(rng.randrange(len(paras)))
    elif kind == "insert":
        donor = [p for p in rng.choice(others).split("\n") if p.strip()]
        paras.insert(rng.randrange(len(paras) + 1), rng.choice(donor))
        paras.append("Reporting by our correspondents; editing by the desk. First published by a wire agency.")
    elif kind == "reorder":
        rng.shuffle(paras)
    elif kind == "words":
        swaps = ("said", "told", "the", "reported", "on", "new", "officials")
        paras = [" ".join(w if rng.random() >= 0.05 else rng.choice(swaps) for w in p.split()) for p in paras]
    elif kind == "headline":
        paras = ["UPDATED: " + " ".join(rng.sample(nd.words(text), 8))] + paras[1:]
    return "\n".join(paras)


def datasketch_signature(text: str) -> list[int] | None:
    from datasketch import MinHash

    grams = nd.shingles(text)
    if not grams:
        return None
    minhash = MinHash(num_perm=nd.NUM_PERM, seed=nd.SEED)
    minhash.update_batch([g.encode("utf-8") for g in grams])
    return [int(v) for v in minhash.hashvalues]


LIBRARIES = {"rensa": nd.signature, "datasketch": datasketch_signature}


def detect(sign, texts: list[str], sources: list[str],
           threshold: float = nd.DUPLICATE_THRESHOLD) -> tuple[set[tuple[int, int]], float]:
    """Pairs (i, j), i < j, of different sources found duplicates; seconds spent signing and banding.
    Only pairs across sources are compared, as in the warehouse (warehouse/identity.py)."""
    start = time.perf_counter()
    sigs = [sign(t) for t in texts]
    bands = [nd.band_keys(s) if s else [] for s in sigs]
    spent = time.perf_counter() - start
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, keys in enumerate(bands):
        for band, key in enumerate(keys):
            buckets[(band, key)].append(i)
    candidates = {(a, b) for members in buckets.values() for a in members for b in members
                  if a < b and sources[a] != sources[b]}
    found = {(a, b) for a, b in candidates if nd.similarity(sigs[a], sigs[b]) >= threshold}
    return found, spent


def main() -> None:
    rng = random.Random(7)
    bases = real_texts()
    copies, kinds = [], []
    for i, text in enumerate(bases):
        chosen = rng.sample(EDITS, 2 if rng.random() < 0.5 else 1)
        copy = text
        for kind in chosen:
            copy = edit(copy, kind, rng, bases[:i] + bases[i + 1 :])
        copies.append(copy)
        kinds.append("+".join(chosen))
    texts = bases + copies
    n = len(bases)
    # The originals are one outlet's, the copies another's: every copy can match every original.
    sources = ["original"] * n + ["copy"] * n
    truth = {(i, n + i) for i in range(n)}
    print(f"{n} real articles and {n} edited copies; {nd.SHINGLE_WORDS}-word shingles, {nd.NUM_PERM} permutations, "
          f"{nd.BANDS} bands x {nd.ROWS} rows, threshold {nd.DUPLICATE_THRESHOLD}\n")
    print(f"{'library':<12}{'ms/article':>12}{'recall':>9}{'precision':>11}{'pairs':>7}")
    results = {}
    for name, sign in LIBRARIES.items():
        detect(sign, texts[:20], sources[:20])  # warm-up: imports, first allocations
        found, spent = detect(sign, texts, sources)
        hits = found & truth
        results[name] = (found, spent)
        print(f"{name:<12}{1000 * spent / len(texts):>12.3f}{len(hits) / len(truth):>9.3f}"
              f"{len(hits) / max(1, len(found)):>11.3f}{len(found):>7}")
    ratio = results["datasketch"][1] / results["rensa"][1]
    print(f"\nrensa is {ratio:.1f}x cheaper per article than datasketch")
    print("\nthreshold sweep (rensa): threshold, recall, precision")
    for threshold in (0.4, 0.5, 0.6, 0.7, 0.8):
        found, _ = detect(nd.signature, texts, sources, threshold)
        hits = found & truth
        print(f"  {threshold:.1f}{len(hits) / len(truth):>9.3f}{len(hits) / max(1, len(found)):>11.3f}"
              + ("   <- DUPLICATE_THRESHOLD" if threshold == nd.DUPLICATE_THRESHOLD else ""))
    print("\nrecall per edit (rensa / datasketch):")
    per_kind = defaultdict(lambda: [0, 0, 0])
    for i, kind in enumerate(kinds):
        for j, name in enumerate(LIBRARIES):
            per_kind[kind][j] += (i, n + i) in results[name][0]
        per_kind[kind][2] += 1
    for kind, (a, b, total) in sorted(per_kind.items()):
        print(f"  {kind:<20}{a / total:>7.2f}{b / total:>7.2f}   ({total} copies)")


if __name__ == "__main__":
    main()
