"""Near-duplicate detection of articles: MinHash signatures of word shingles, banded for LSH.

Wire copy republished by several outlets, lightly edited (a paragraph cut or added, paragraphs
reordered, a new headline), shares most of its three-word shingles with the original; unrelated
articles share almost none. A signature estimates that Jaccard similarity; its bands are the
LSH buckets the warehouse joins on to find candidates (warehouse/identity.py), and candidates
are confirmed on the full signature. The MinHash itself comes from rensa (chosen over datasketch
by benchmarks/neardup.py: same recall and precision, several times cheaper per article).

Calibrated with benchmarks/neardup.py on edited copies of the 197 real article texts of
../shared (over 150 words): 3-word shingles separate copies (median similarity 0.83) from
other articles (at most 0.02) better than 5-word ones; 128 permutations in 32 bands of 4 rows
make a pair at similarity 0.6 a candidate with probability 0.985 and at 0.7 with 0.9995, while
a pair at 0.02 almost never is. A candidate is a duplicate at an estimated similarity of at
least DUPLICATE_THRESHOLD = 0.6, which favours precision: at 0.5 distinct sample-site stories
written from shared template sentences begin to pair up (recall 0.98, precision 0.98), at 0.7
copies with two edits are missed (recall 0.75); 0.6 gave recall 0.93 at precision 0.996.
"""

from __future__ import annotations

import hashlib
import re
import struct

from rensa import RMinHash

SHINGLE_WORDS = 3
NUM_PERM = 128
BANDS, ROWS = 32, 4  # BANDS * ROWS == NUM_PERM
DUPLICATE_THRESHOLD = 0.6
# Shorter texts (briefs, captions) share stock phrases too easily to call them copies.
MIN_WORDS = 80
SEED = 1  # fixed forever: signatures stored in the warehouse must stay comparable
METHOD = f"minhash-lsh:rensa-rminhash:{SHINGLE_WORDS}w:{NUM_PERM}p:{BANDS}x{ROWS}"

_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def shingles(text: str) -> list[str]:
    """The distinct word 3-grams of a text (casefolded), or [] for a text too short to compare."""
    w = words(text)
    if len(w) < MIN_WORDS:
        return []
    return list(dict.fromkeys(" ".join(w[i : i + SHINGLE_WORDS]) for i in range(len(w) - SHINGLE_WORDS + 1)))


def signature(text: str) -> list[int] | None:
    """NUM_PERM unsigned 32-bit MinHash values, or None for a text too short to compare."""
    grams = shingles(text)
    if not grams:
        return None
    minhash = RMinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update(grams)
    return list(minhash.digest())


def band_keys(sig: list[int]) -> list[int]:
    """One signed 64-bit key per band: equal keys make two articles candidates."""
    keys = []
    for band in range(BANDS):
        chunk = struct.pack(f"<{ROWS}I", *sig[band * ROWS : (band + 1) * ROWS])
        digest = hashlib.blake2b(chunk, digest_size=8, person=band.to_bytes(2, "little") * 8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def similarity(a: list[int], b: list[int]) -> float:
    """The estimated Jaccard similarity of two signatures: the share of equal positions."""
    return sum(x == y for x, y in zip(a, b)) / NUM_PERM
