"""The real services the scale-out tests run on start here and answer (tests/services.py)."""

from __future__ import annotations

import subprocess
import uuid



def test_postgres_accepts_a_database(postgres):
    name = postgres.create_database(f"t_{uuid.uuid4().hex[:8]}")
    out = subprocess.run(["psql", "-h", postgres.host, "-p", str(postgres.port), "-U", postgres.user, "-d", name,
                          "-Atc", "SELECT current_database()"], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == name


def test_s3_stores_an_object(s3):
    import boto3

    client = boto3.client("s3", endpoint_url=s3.url, aws_access_key_id=s3.key_id,
                          aws_secret_access_key=s3.secret, region_name=s3.region)
    client.put_object(Bucket=s3.bucket, Key="probe.txt", Body=b"hello")
    assert client.get_object(Bucket=s3.bucket, Key="probe.txt")["Body"].read() == b"hello"


def test_dask_cluster_runs_work_on_its_workers(dask_cluster):
    from distributed import Client

    with Client(dask_cluster.address, timeout=10) as client:
        pids = set(client.gather(client.map(lambda i: __import__("os").getpid(), range(20), pure=False)))
        assert len(client.scheduler_info()["workers"]) == dask_cluster.workers
    assert len(pids) >= 1
