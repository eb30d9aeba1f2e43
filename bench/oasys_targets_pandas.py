"""N01-N03 written by hand in pandas and numpy: the yardstick for ``target_performance``.

    python bench/oasys_targets_pandas.py CASES.jsonl --as-of 2010-06-30 --year 2007

What an analyst would write without casework: ``json.loads`` per line, flat tables
of cases and assessments, ``numpy.busday_offset`` with the same England & Wales
bank holidays, and the readings casework documents for "completed or updated"
(docs/decisions.md#oasys-completion). No validation: the file is assumed clean.
``bench/pipeline.py`` times it beside casework and checks the figures are equal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import holidays as holidays_package
import numpy as np
import pandas as pd

PARTS = ("assessment", "screening", "full_analysis", "sentence_plan")
#: (measure, population, full analysis rule, working days) (003:697-701).
MEASURES = (
    ("N01", "ppo", "if_screened_in", 5),
    ("N02", "tier4", "always", 5),
    ("N03", "tier1-3", "if_screened_in", 15),
)


def _tier_at(tiers: list[dict[str, Any]], start: str) -> int | None:
    before = [t for t in tiers if t["on"] <= start]
    if before:
        return int(max(before, key=lambda t: t["on"])["tier"])
    after = [t for t in tiers if t["on"] > start]
    return int(min(after, key=lambda t: t["on"])["tier"]) if after else None


def _ppo_at(periods: list[dict[str, Any]], start: str) -> bool:
    return any(p["start"] <= start and (p.get("end") is None or start <= p["end"]) for p in periods)


def tables(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per case and one per assessment, dates as timestamps."""
    cases, assessments = [], []
    with path.open(encoding="utf-8") as stream:
        for index, line in enumerate(stream):
            record = json.loads(line)
            sentence = record["sentence"]
            released = sentence.get("released_on")
            if sentence["kind"] == "licence" and released:
                kind, start = "release", released
            else:
                kind, start = "sentence", sentence.get("starts_on") or sentence["sentenced_on"]
            offender = record.get("offender") or {}
            cases.append(
                (
                    index,
                    kind,
                    start,
                    _ppo_at(offender.get("ppo", []), start),
                    _tier_at(record.get("tiers", []), start),
                )
            )
            for item in record.get("assessments", []):
                screening = item.get("screening") or {}
                analysis = item.get("full_analysis") or {}
                analysis_day = analysis.get("completed_on") or (
                    analysis.get("exemption_countersigned_on") if analysis.get("exempted") else None
                )
                assessments.append(
                    (
                        index,
                        item.get("purpose"),
                        item.get("trigger"),
                        item.get("completed_on"),
                        screening.get("completed_on"),
                        screening.get("full_analysis_required"),
                        analysis_day,
                        analysis.get("completed_on"),
                        (item.get("rmp") or {}).get("completed_on"),
                        (item.get("sentence_plan") or {}).get("completed_on"),
                    )
                )
    case_frame = pd.DataFrame(cases, columns=["case", "kind", "start", "ppo", "tier"])
    case_frame["start"] = pd.to_datetime(case_frame["start"])
    columns = [
        "case",
        "purpose",
        "trigger",
        "assessment",
        "screening",
        "fa_required",
        "full_analysis",
        "fa_completed",
        "rmp",
        "sentence_plan",
    ]
    frame = pd.DataFrame(assessments, columns=columns)
    for column in (
        "assessment",
        "screening",
        "full_analysis",
        "fa_completed",
        "rmp",
        "sentence_plan",
    ):
        frame[column] = pd.to_datetime(frame[column])
    return case_frame, frame


def figures(
    cases: pd.DataFrame,
    assessments: pd.DataFrame,
    *,
    as_of: dt.date,
    year: int,
    holidays: list[dt.date],
) -> dict[str, Fraction | None]:
    """N01-N03 for financial year ``year``: met / (met + not met) of cases starting in it."""
    joined = assessments.merge(cases[["case", "kind", "start"]], on="case")
    latest = joined[["assessment", "screening", "fa_completed", "rmp", "sentence_plan"]].max(axis=1)
    after_start = latest >= joined["start"]
    for_release = (joined["purpose"] == "release") | (
        (joined["purpose"] == "review") & joined["trigger"].isin(["release", "pre_release"])
    )
    for_sentence = joined["purpose"].isin(["psr", "start"]) | (
        after_start & (joined["purpose"] != "termination")
    )
    keep = np.where(joined["kind"] == "release", for_release | after_start, for_sentence)
    chosen = joined[keep]
    by_case = chosen.groupby("case")
    first = by_case[list(PARTS)].min().reindex(cases["case"])
    screened = chosen[chosen["screening"].notna()].groupby("case")["fa_required"].any()
    screened = screened.reindex(cases["case"])  # NaN: no screening among the candidates
    hol = np.array(holidays, dtype="datetime64[D]")
    starts = cases["start"].to_numpy().astype("datetime64[D]")
    year_start, year_end = np.datetime64(f"{year}-04-01"), np.datetime64(f"{year + 1}-03-31")
    in_year = (starts >= year_start) & (starts <= year_end)
    out: dict[str, Fraction | None] = {}
    for measure, population, analysis, days in MEASURES:
        if population == "ppo":
            member = cases["ppo"].to_numpy()
        else:
            wanted = [4] if population == "tier4" else [1, 2, 3]
            member = (~cases["ppo"] & cases["tier"].isin(wanted)).to_numpy()
        parts = ["assessment", "screening", "sentence_plan"]
        needs_analysis = (
            np.ones(len(cases), dtype=bool)
            if analysis == "always"
            else (screened == True).to_numpy()  # noqa: E712 (NaN is not True)
        )
        part_days = first[parts].to_numpy().astype("datetime64[D]")
        analysis_days = first["full_analysis"].to_numpy().astype("datetime64[D]")
        missing = np.isnat(part_days).any(axis=1) | (needs_analysis & np.isnat(analysis_days))
        done = np.where(
            needs_analysis,
            np.maximum(part_days.max(axis=1), analysis_days),
            part_days.max(axis=1),
        )
        due = np.busday_offset(starts, days, roll="backward", holidays=hol)
        met = ~missing & (done <= due)
        not_met = ~met & (missing & (np.datetime64(as_of) > due) | ~missing)
        counted = member & in_year
        n_met, n_not = int((met & counted).sum()), int((not_met & counted).sum())
        out[measure] = Fraction(n_met, n_met + n_not) if n_met + n_not else None
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2010, 6, 30))
    parser.add_argument("--year", type=int, default=2007)
    args = parser.parse_args(argv)
    holidays = sorted(
        holidays_package.country_holidays("GB", subdiv="ENG", years=range(1995, 2036))
    )
    cases, assessments = tables(args.file)
    for measure, figure in figures(
        cases, assessments, as_of=args.as_of, year=args.year, holidays=holidays
    ).items():
        print(measure, "no data" if figure is None else f"{float(figure):.4f} ({figure})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
