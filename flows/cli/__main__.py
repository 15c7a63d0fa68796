"""`python -m flows.cli`: the newswire command."""

import sys

from flows.cli.commands import main

sys.exit(main())
