"""National and regional performance targets: the target sets, their measures and rules.

::

    from casework import target_set

    targets = target_set("nps-2007-08")
    targets["N06"].assess("68%")  # Assessment(status=not_met, ...): 68% is below 70%
    targets["N07"].assess(55771).pct_achieved  # Decimal('120')

Figures from case records: :func:`casework.performance.target_performance`.
"""

from casework.rules.targets.anchors import ANCHORS, Anchor
from casework.rules.targets.catalogue import (
    TargetDataError,
    available_target_sets,
    load_target_set,
    target_set,
)
from casework.rules.targets.measure import (
    Aggregation,
    Assessment,
    Direction,
    FigureLike,
    Measure,
    NearMiss,
    NearMissReading,
    NearMissSpec,
    Tally,
    TargetSet,
    TargetStatus,
    parse_figure,
)

__all__ = [
    "ANCHORS",
    "Aggregation",
    "Anchor",
    "Assessment",
    "Direction",
    "FigureLike",
    "Measure",
    "NearMiss",
    "NearMissReading",
    "NearMissSpec",
    "Tally",
    "TargetDataError",
    "TargetSet",
    "TargetStatus",
    "available_target_sets",
    "load_target_set",
    "parse_figure",
    "target_set",
]
