"""Compute national target performance for a year from case records.

    python examples/compute_targets.py

For the ten synthetic cases of examples/targets-cases.yaml: each 2007-08
national target met, a near miss (with a 5% tolerance) or not met, the cases
that kept a figure down, and the same as pandas DataFrames (the ``dataframe``
extra: ``pip install "casework[dataframe]"``).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from casework import NearMiss, Period, WorkingCalendar, load_cases, target_performance
from casework.report import target_report
from casework.report.dataframe import target_frame, target_units_frame

HERE = Path(__file__).resolve().parent


def main() -> int:
    cases = load_cases(HERE / "targets-cases.yaml").cases
    report = target_performance(
        cases,
        "nps-2007-08",
        period=Period.financial_year("2007-08"),
        as_of=dt.date(2008, 4, 11),
        calendar=WorkingCalendar.england_and_wales(),
        near_miss=NearMiss.relative("5%"),
    )
    tally = report.tally()
    print(
        f"{report.target_set} {report.period.label}: {tally.met} met, "
        f"{tally.near_miss} near miss, {tally.not_met} not met"
    )
    for result in report:
        print(
            f"  {result.measure:4} {result.figure_display or '-':>6} "
            f"{result.status.value:10} {result.label}"
        )
    n02 = report["N02"]
    print(f"N02 kept down by: {[(ref.case_ref, ref.reason) for ref in n02.failed]}")

    print(target_report(report).render("markdown").splitlines()[0])
    frame = target_frame(report)
    print(frame[["measure", "figure", "target", "status"]].to_string(index=False))
    print(target_units_frame(report).groupby("measure").size().to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
