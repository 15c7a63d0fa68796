"""The seed page renders back to the seed text, byte for byte, through the real CLI."""

from __future__ import annotations

import hashlib
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


# The project's copy of the seed, pinned: the golden test above reads it, whatever is beside the project.
SEED_SHA256 = "514c0bc434456e844340511983d68aa45bab9dc86e9097de6a070c17a111299d"


def test_seed_copy_is_the_seed():
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256
    shared = ROOT.parent / "shared" / "seeds" / SEED.name
    assert shared.is_file(), f"{shared} is missing: ../shared must be beside the project"
    assert shared.read_bytes() == SEED.read_bytes()
