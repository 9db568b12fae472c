"""`python -m benchmarks.generate`: generate (or find in the cache) a synthetic library."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import benchmarks.generate
from benchmarks.generate import describe, generate
from benchmarks.generate.lexicon import SEED


def main(argv: Sequence[str] | None = None) -> int:
    summary = (benchmarks.generate.__doc__ or "").split("\n\n")[0]
    parser = argparse.ArgumentParser(description=summary)
    parser.add_argument("--size", type=int, default=10_000, help="documents (default 10000)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--force", action="store_true", help="regenerate even if cached")
    args = parser.parse_args(argv)
    folder = generate(args.size, seed=args.seed, force=args.force)
    print(folder)
    print(json.dumps(describe(folder), ensure_ascii=False, indent=1))
    return 0


sys.exit(main())
