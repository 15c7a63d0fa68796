"""An ingest over a misbehaving site completes, stores each good article once, and names each fault."""

from __future__ import annotations

import duckdb

from flows.ingest import ingest
from tests.faultsite import BAD, GOOD, serve_faults

MAX_BYTES = 200_000


def sources_file(tmp_path, origin):
    path = tmp_path / "faults.toml"
    path.write_text(f"""
[crawler]
read_timeout = 0.5
connect_timeout = 2
max_bytes = {MAX_BYTES}
max_redirects = 3
backoff_base = 0.05
backoff_cap = 2

[[sources]]
id = "faulty"
feeds = ["{origin}/feed.xml", "{origin}/bad-feed.xml"]
requests_per_second = 0
max_in_flight = 4
""")
    return str(path)


def latest_outcomes(db: str, origin: str, run_id: str) -> dict[str, tuple[str, str]]:
    con = duckdb.connect(db, read_only=True)
    rows = con.execute("SELECT url, outcome, reason FROM fetch_log WHERE run_id = ? ORDER BY fetched_at",
                       [run_id]).fetchall()
    con.close()
    return {url.removeprefix(origin): (outcome, reason) for url, outcome, reason in rows}


def test_ingest_survives_every_fault(prefect_harness, tmp_path):
    db = str(tmp_path / "wh.duckdb")
    with serve_faults(MAX_BYTES) as (origin, hits):
        first = ingest(sources_file(tmp_path, origin), db)
        outcomes = latest_outcomes(db, origin, first["run_id"])
        con = duckdb.connect(db, read_only=True)
        stored = con.execute("SELECT url, body_text FROM articles").fetchall()
        con.close()
        assert sorted(u.removeprefix(origin) for u, _ in stored) == sorted(GOOD)
        for path in GOOD:
            assert outcomes[path][0] == "ok", (path, outcomes[path])
        for path, (outcome, reason) in BAD.items():
            assert outcomes[path][0] == outcome and outcomes[path][1].startswith(reason), (path, outcomes[path])
        assert outcomes["/bad-feed.xml"][0] == "soft"
        assert outcomes["/sitemap-lol.xml"][0] == "soft" and "DTD" in outcomes["/sitemap-lol.xml"][1]
        # Retried as often as configured, no more; hard failures once; the refused ones never requested.
        assert hits["/retry-429"] == 2 and hits["/flap-503"] == 3 and hits["/hang"] == 3
        assert hits["/gone"] == 1 and hits["/report.pdf"] == 1
        assert hits["/private/secret"] == 0
        assert "Caf\u00e9 diplomacy" not in dict(stored)[f"{origin}/wrong-charset"]
        assert "caf\u00e9 in Lahore" in dict(stored)[f"{origin}/wrong-charset"]

        before = dict(hits)
        second = ingest(sources_file(tmp_path, origin), db)
        for path in GOOD:
            assert hits[path] == before[path], f"{path} fetched again"
        assert hits["/gone"] == before["/gone"]  # hard failures are not retried on the next run
        assert hits["/hang"] > before["/hang"]  # transient ones are
        assert second["inserted"] == 0
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT url) FROM articles").fetchone() == (len(GOOD), len(GOOD))
    con.close()
