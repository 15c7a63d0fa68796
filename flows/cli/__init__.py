"""The `newswire` command line and what it shows: charts, the demo site, serving deployments."""

from flows.cli.commands import main

__all__ = ["main"]
