"""Regenerate the synthetic OMI sample: examples/omi-sample.json and examples/omi-inspection.json.

    .venv/bin/python examples/make_omi_sample.py

106 synthetic cases shaped like the sample of the OMI report on Devon & Cornwall
(January 2008): case types, RoH levels, MAPPA, PPO, approved premises and
statutory victim contact in the reported numbers, with inspector judgements
in the reported proportions. Nothing in it is a real person or case. The
test suite checks that the files are exactly what this script writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from casework.testing.synthetic import generate_cases, omi_sample_inspection, profile

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "omi-sample.json"
INSPECTION = HERE / "omi-inspection.json"
PROFILE = "omi-2007"
SEED = 2008


def sample_text() -> str:
    """The case file: one case per line, so a change shows as a readable diff."""
    as_of = profile(PROFILE).as_of.isoformat()
    lines = []
    for case in generate_cases(PROFILE, seed=SEED):
        record: dict[str, Any] = case.model_dump(mode="json", exclude_defaults=True)
        record.pop("as_of")
        lines.append("    " + json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    body = ",\n".join(lines)
    return (
        f'{{\n  "casework": "case-file/1",\n  "as_of": "{as_of}",\n  "cases": [\n{body}\n  ]\n}}\n'
    )


def inspection_text() -> str:
    """The inspection file: area, fieldwork week, as_of and section 4 grades."""
    return json.dumps(omi_sample_inspection(PROFILE), indent=2) + "\n"


def main() -> int:
    SAMPLE.write_text(sample_text(), encoding="utf-8")
    INSPECTION.write_text(inspection_text(), encoding="utf-8")
    print(f"wrote {SAMPLE.name} and {INSPECTION.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
