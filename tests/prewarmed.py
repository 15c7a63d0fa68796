"""`newswire` commands in processes forked from one that has imported Prefect already.

Starting `python -m flows.cli` costs ~2 s of imports (~1.6 s of it Prefect's; twice that where the
bytecode is not compiled) before the command does anything. A test that runs the command twenty times
(the SIGKILL loop of test_crash_safety) pays that twenty times. Here one process imports Prefect once
and forks a child per command: each child is a real, separate process that runs
`flows.cli.commands.main(argv)` as `python -m flows.cli ARGS` does (its own Prefect client and flow run, its own
DuckDB connection, a normal interpreter exit with atexit handlers), and a SIGKILL kills it like any other.

Run as `python -m tests.prewarmed`; it reads one JSON request per line on stdin,
{"args": [...], "log": "path", "env": {...}}, forks, answers {"pid": N} at once and {"exit": status}
when that child has ended (a negative status is the signal that ended it). One command at a time.
"env" may set newswire's own variables (read when used); Prefect's settings are the environment's when
this process started, since Prefect reads them on import.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

# Imported once, before any fork: Prefect and pure-Python libraries, ~1.6 s of the ~2 s. Not polars,
# DuckDB, pyarrow or numpy: importing them starts native threads (thread pools, OpenBLAS), and a child
# forked without those threads can hang on a lock one of them held (a child forked after `import duckdb`
# hangs at exit here) or abort at exit. Each child imports them itself (with the flow modules that need
# them), as any new process does.
PRELOAD = ("prefect", "prefect.flows", "prefect.tasks", "prefect.futures", "prefect.runtime",
           "prefect.cache_policies", "prefect.artifacts", "prefect.client.orchestration", "httpx",
           "flows.crawl.fetch", "transforms.extract", "transforms.feeds", "transforms.sources")


def _threads() -> int:
    """Threads of this process, native ones included (threading.active_count sees Python's only)."""
    return len(os.listdir("/proc/self/task"))


def _serve() -> None:
    import importlib

    import flows.cli.commands

    # Prefect reads its settings when it is imported; the command sets its defaults before that.
    flows.cli.commands._quiet_prefect_defaults()
    for name in PRELOAD:
        importlib.import_module(name)
    for line in sys.stdin:
        request = json.loads(line)
        # A forked child gets only the forking thread: with another thread alive, a lock it held would
        # stay locked forever in the child.
        assert _threads() == 1, f"{_threads()} threads before fork: a PRELOAD module started one"
        pid = os.fork()
        if pid == 0:
            os.setsid()  # its own process group, like start_new_session: killpg reaches what it starts
            null = os.open(os.devnull, os.O_RDONLY)
            log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(null, 0)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.close(null)
            os.close(log)
            os.environ.update(request.get("env") or {})
            sys.argv = ["newswire", *request["args"]]
            sys.exit(flows.cli.commands.main(request["args"]))  # a normal interpreter exit: atexit handlers run
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"exit": os.waitstatus_to_exitcode(status)}), flush=True)


class Prewarmed:
    """The test's handle on the forking process: start a command, get its pid, wait for its exit status."""

    def __init__(self, env: dict, cwd: Path, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.count = 0
        # Unbuffered, so select() on the pipe tells the truth about a pending reply.
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.prewarmed"], cwd=cwd, env=env, bufsize=0,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def start(self, args: list[str], env: dict | None = None, timeout: float = 120) -> Child:
        self.count += 1
        log = self.log_dir / f"run-{self.count:03d}-{args[0]}.log"
        self.proc.stdin.write((json.dumps({"args": args, "log": str(log), "env": env}) + "\n").encode())
        started = time.monotonic()
        return Child(self, self._reply(timeout)["pid"], log, started)

    def _reply(self, timeout: float) -> dict | None:
        """The next reply, or None if none came within timeout."""
        line = b""
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            left = max(0.0, deadline - time.monotonic())
            if not select.select([self.proc.stdout], [], [], left)[0]:
                if not line:
                    return None
                continue  # a reply is never split for long: finish it
            byte = self.proc.stdout.read(1)
            assert byte, f"the prewarmed process died (status {self.proc.wait()})"
            line += byte
        return json.loads(line)

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Child:
    def __init__(self, parent: Prewarmed, pid: int, log: Path, started: float) -> None:
        self.parent, self.pid, self.log, self.started = parent, pid, log, started
        self.returncode: int | None = None

    def poll(self, timeout: float = 0.0) -> int | None:
        """The exit status if the command has ended (waiting up to timeout for it), else None."""
        if self.returncode is None:
            reply = self.parent._reply(timeout)
            if reply is not None:
                self.returncode = reply["exit"]
        return self.returncode

    def wait(self, timeout: float = 300) -> int:
        status = self.poll(timeout)
        assert status is not None, f"{self.log.name} still running after {timeout} s: {self.output()[-3000:]}"
        return status

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace") if self.log.exists() else ""


if __name__ == "__main__":
    _serve()
