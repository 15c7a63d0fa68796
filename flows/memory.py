"""The flow process's allocator: large blocks go back to the system when they are freed.

Page bodies (10 KB to several MB), the pickled batches sent to the extraction processes and the
frames that come back are large bytes objects made and freed by many threads (fetch tasks, the pool's
feeder and result threads, the load task). glibc maps a block above its mmap threshold on its own and
unmaps it when freed, but it raises that threshold to the size of the largest such block freed so far
(up to 32 MB): after the first pickled batch, every body and pickle is carved from the threads'
heaps instead, and the holes they leave are kept. The heaps then grew through a whole run: on the real
pages of ../shared, 320 MB at 1,000 pages and 520 MB at 3,000, a third to a half of it free
(benchmarks/ingest.py --corpus real, glibc's mallinfo2). A fixed threshold keeps large blocks mapped on
their own, so that freeing one returns it; a map and an unmap per large body cost nothing next to its
fetch.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

# glibc's mallopt parameter, and the threshold: a fixed one also turns off its dynamic raising.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 256 * 1024


def return_large_blocks() -> bool:
    """Make blocks of MMAP_THRESHOLD and more be mapped on their own (glibc only; elsewhere nothing).
    True when set. Process-wide; idempotent."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
