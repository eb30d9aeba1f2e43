"""casework: assess probation cases the way OASys and HM Inspectorate of Probation do.

The public API::

    from casework import load_cases, WorkingCalendar

    result = load_cases("examples/cases.json")
    calendar = WorkingCalendar.england_and_wales()
"""

from typing import TYPE_CHECKING

from casework._lazy import lazy_names

# The public names are imported when first used (casework._lazy), so that `import casework`
# and the command line start quickly; type checkers and the API docs see them here.
if TYPE_CHECKING:
    from casework.calendar import (
        CalendarError,
        Duration,
        TimeUnit,
        WorkingCalendar,
        add_months,
        add_weeks,
    )
    from casework.compare import Comparison, compare
    from casework.intervals import IntervalOptions, ScoreIntervals
    from casework.io import (
        CaseError,
        CaseFileError,
        Limits,
        LoadResult,
        Problem,
        case_file_schema,
        case_from_request,
        dump_cases,
        dumps_cases,
        iter_cases,
        load_cases,
    )
    from casework.model import Case, ContradictionError
    from casework.model.inspection import (
        Inspection,
        InspectionFileError,
        Section4Grade,
        load_inspection,
    )
    from casework.performance import Period, TargetReport, TargetResult, target_performance
    from casework.rules.targets import (
        Assessment,
        Measure,
        NearMiss,
        TargetSet,
        TargetStatus,
        available_target_sets,
        target_set,
    )
    from casework.sampling import CaseSample, SampleType, sample_cases
    from casework.scoring import BandTable, Scorecard, ScoringOptions, score_inspection

__all__ = [
    "BandTable",
    "CalendarError",
    "Case",
    "CaseError",
    "CaseFileError",
    "Comparison",
    "ContradictionError",
    "Duration",
    "Inspection",
    "InspectionFileError",
    "Limits",
    "LoadResult",
    "Problem",
    "Scorecard",
    "ScoringOptions",
    "Section4Grade",
    "TimeUnit",
    "WorkingCalendar",
    "add_months",
    "add_weeks",
    "case_file_schema",
    "case_from_request",
    "compare",
    "dump_cases",
    "dumps_cases",
    "iter_cases",
    "load_cases",
    "load_inspection",
    "score_inspection",
]

# National and regional performance targets (docs/targets.md).
__all__ += [
    "Assessment",
    "Measure",
    "NearMiss",
    "Period",
    "TargetReport",
    "TargetResult",
    "TargetSet",
    "TargetStatus",
    "available_target_sets",
    "target_performance",
    "target_set",
]

# Drawing an inspection's case sample (docs/sampling.md).
__all__ += ["CaseSample", "SampleType", "sample_cases"]

# How sure each score is: confidence intervals and band chances (docs/scoring.md).
__all__ += ["IntervalOptions", "ScoreIntervals"]

lazy_names(
    __name__,
    {
        "casework.calendar": (
            "CalendarError",
            "Duration",
            "TimeUnit",
            "WorkingCalendar",
            "add_months",
            "add_weeks",
        ),
        "casework.compare": ("Comparison", "compare"),
        "casework.io": (
            "CaseError",
            "CaseFileError",
            "Limits",
            "LoadResult",
            "Problem",
            "case_file_schema",
            "case_from_request",
            "dump_cases",
            "dumps_cases",
            "iter_cases",
            "load_cases",
        ),
        "casework.model": ("Case", "ContradictionError"),
        "casework.model.inspection": (
            "Inspection",
            "InspectionFileError",
            "Section4Grade",
            "load_inspection",
        ),
        "casework.performance": ("Period", "TargetReport", "TargetResult", "target_performance"),
        "casework.rules.targets": (
            "Assessment",
            "Measure",
            "NearMiss",
            "TargetSet",
            "TargetStatus",
            "available_target_sets",
            "target_set",
        ),
        "casework.sampling": ("CaseSample", "SampleType", "sample_cases"),
        "casework.scoring": ("BandTable", "Scorecard", "ScoringOptions", "score_inspection"),
        "casework.intervals": ("IntervalOptions", "ScoreIntervals"),
    },
)
