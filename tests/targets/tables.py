"""Fixtures for the target tests: the published tables copied from the seeds."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a CSV in tests/targets/data, skipping its '#' comment lines."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))
