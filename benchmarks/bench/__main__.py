"""`python -m benchmarks.bench`: the benchmark's command line (`benchmarks.bench.cli`)."""

import sys

from benchmarks.bench.cli import main

sys.exit(main())
