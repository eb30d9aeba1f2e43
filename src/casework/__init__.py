"""casework: assess probation cases the way OASys and HM Inspectorate of Probation do.

The public API::

    from casework import load_cases, WorkingCalendar

    result = load_cases("examples/cases.json")
    calendar = WorkingCalendar.england_and_wales()
"""

from casework.calendar import (
    CalendarError,
    Duration,
    TimeUnit,
    WorkingCalendar,
    add_months,
    add_weeks,
)
from casework.io import (
    CaseError,
    CaseFileError,
    LoadResult,
    Problem,
    case_file_schema,
    dump_cases,
    dumps_cases,
    iter_cases,
    load_cases,
)
from casework.model import Case, ContradictionError
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

__all__ = [
    "CalendarError",
    "Case",
    "CaseError",
    "CaseFileError",
    "ContradictionError",
    "Duration",
    "LoadResult",
    "Problem",
    "TimeUnit",
    "WorkingCalendar",
    "add_months",
    "add_weeks",
    "case_file_schema",
    "dump_cases",
    "dumps_cases",
    "iter_cases",
    "load_cases",
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
