"""The seed page renders back to the seed text, byte for byte, through the real CLI."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, SEEDS

SEED = SEEDS / "000_47ab98f876fbbd8c.txt"


def test_cli_extract_seed_page_is_byte_identical_to_seed():
    out = subprocess.run(
        [sys.executable, "-m", "flows.cli", "extract", str(SEEDS / "seed_page.html"), "--format", "seed"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout
    assert out == SEED.read_bytes()


def test_seed_copy_matches_shared_seed():
    shared = ROOT.parent / "shared" / "seeds" / SEED.name
    if shared.exists():
        assert shared.read_bytes() == SEED.read_bytes()
