"""Rules over whole columns: a chunk of cases as arrays, and kernels that answer for all of it.

The scalar engine (:mod:`casework.rules.engine`) asks each rule of each case in
turn and writes the sentence as it goes. Here a chunk of cases becomes columns
once (:class:`CaseColumns`: one row per case, one per OASys assessment, and entity
tables built on first use; dates as day numbers), and a rule with a *kernel*
answers for every case of the chunk in a few array operations, giving per case (or
unit) the outcome, the basis and the key dates (trigger, due, done, lateness) as
columns (:class:`RuleColumns`). :func:`evaluate_columns` does this for a whole rule
set (:class:`FindingColumns`). Nothing is written in words until asked:
:meth:`RuleColumns.finding` builds one answer's :class:`~casework.rules.Finding` by
running the scalar rule, so every sentence is word for word the scalar engine's.

:data:`KERNELS` lists the rules with a kernel. Each kernel is the scalar rule's
second form: tests/columnar/ proves, over generated cases and the stored witness
cases, that the two agree on outcome, basis and dates for every case. Rules
without a kernel are answered by the scalar engine, so any rule set can be
evaluated this way.
"""

from typing import TYPE_CHECKING

from casework._lazy import lazy_names

# The public names are imported when first used (casework._lazy): reading a case file
# into columns (casework.columnar.reader, `casework validate`) imports no rule and no
# kernel. The kernels are registered when first looked up (casework.columnar._kernels).
if TYPE_CHECKING:
    from casework.columnar._kernels import KERNELS
    from casework.columnar.columns import (
        NO_DAY,
        TABLES,
        CaseColumns,
        Days,
        Mask,
        Table,
        day_number,
        from_day_number,
        table,
    )
    from casework.columnar.core import (
        LATE_UNITS,
        FindingColumns,
        Kernel,
        RuleColumns,
        evaluate_columns,
        kernel_for,
        lateness,
        register,
        rule_columns,
    )
    from casework.columnar.oasys import OasysKernel
    from casework.columnar.reader import ColumnChunk, read_column_chunks

__all__ = [
    "KERNELS",
    "LATE_UNITS",
    "NO_DAY",
    "TABLES",
    "CaseColumns",
    "ColumnChunk",
    "Days",
    "FindingColumns",
    "Kernel",
    "Mask",
    "OasysKernel",
    "RuleColumns",
    "Table",
    "day_number",
    "evaluate_columns",
    "from_day_number",
    "kernel_for",
    "lateness",
    "oasys",
    "omi",
    "populations",
    "read_column_chunks",
    "register",
    "reviews",
    "rmp",
    "rule_columns",
    "supervision",
    "table",
    "targets",
]


lazy_names(
    __name__,
    {
        "casework.columnar._kernels": ("KERNELS",),
        "casework.columnar.columns": (
            "NO_DAY",
            "TABLES",
            "CaseColumns",
            "Days",
            "Mask",
            "Table",
            "day_number",
            "from_day_number",
            "table",
        ),
        "casework.columnar.core": (
            "LATE_UNITS",
            "FindingColumns",
            "Kernel",
            "RuleColumns",
            "evaluate_columns",
            "kernel_for",
            "lateness",
            "register",
            "rule_columns",
        ),
        "casework.columnar.oasys": ("OasysKernel",),
        "casework.columnar.reader": ("ColumnChunk", "read_column_chunks"),
    },
)
