"""How a run's URLs are cut into batch tasks (flows.batches.cut and batch_size_for)."""

from __future__ import annotations

import pytest

from flows.batches import MAX_BATCH, MAX_BATCHES_IN_FLIGHT, MIN_BATCH, batch_size_for, cut


@pytest.mark.parametrize("pages", [0, 1, 9, 10, 47, 120, 1000, 3000, 50_000])
def test_cut_keeps_every_url_once_in_order_and_ramps_up(pages):
    urls = [f"u{i}" for i in range(pages)]
    size = batch_size_for(pages)
    batches = cut(urls, size)
    assert [u for batch in batches for u in batch] == urls
    sizes = [len(b) for b in batches]
    assert all(sizes), "no empty batch"
    assert max(sizes, default=0) <= size
    assert sizes[:-1] == sorted(sizes[:-1]), "sizes only grow (the last one takes the rest)"
    if pages:
        assert sizes[0] == min(MIN_BATCH, pages)


def test_large_runs_use_large_batches_and_small_runs_still_fill_the_slots():
    assert batch_size_for(3000) == MAX_BATCH
    assert batch_size_for(10**6) == MAX_BATCH
    assert batch_size_for(1) == MIN_BATCH
    # A 300-page run: enough batches for two rounds of every in-flight slot.
    assert len(cut(list(range(300)), batch_size_for(300))) >= 2 * MAX_BATCHES_IN_FLIGHT


def test_an_explicit_batch_size_below_the_ramp_start_is_kept():
    assert [len(b) for b in cut(list(range(7)), 3)] == [3, 3, 1]
