"""The long fuzzing run (docs/fuzzing.md): ``python -m tests.fuzz.run --records 100000``.

Prints the figures as JSON and exits 1 if any record was unaccounted for, any
exception escaped or any canary was echoed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from tests.fuzz.engine import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000, help="records to mutate and read")
    parser.add_argument("--seed", type=int, default=20071015, help="random seed (reproducible)")
    parser.add_argument("--batch-size", type=int, default=20, help="records per file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        tally = run(
            random.Random(args.seed), args.records, Path(folder), batch_size=args.batch_size
        )
    figures = {
        "seed": args.seed,
        **tally.summary(),
        "seconds": round(time.perf_counter() - started, 1),
        "first_failures": tally.failures[:20],
    }
    print(json.dumps(figures, indent=2))
    bad = tally.uncaught + tally.unaccounted + tally.echoed + tally.unchecked + tally.unknown_codes
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
