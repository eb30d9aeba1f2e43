"""Reports: findings and scores as text, Markdown, HTML, JSON, CSV and DataFrames.

::

    from casework.report import findings_report, pseudonymise, KeyedPseudonyms

    key = Path("pseudonym.key").read_bytes().strip()  # 16 bytes or more, random
    report = findings_report(pseudonymise(findings, KeyedPseudonyms(key)))
    report.save("findings.html")  # self-contained page
    print(report)  # text
    report.to_dict()  # plain JSON-ready data

``comparison_report(compare(...))`` shows what a rule change does to a set of cases.

DataFrames (``pip install "casework[dataframe]"``) are in
:mod:`casework.report.dataframe`.
"""

from typing import TYPE_CHECKING

from casework._lazy import lazy_names

# The public names are imported when first used (casework._lazy), so that importing one
# module of the package does not import them all; type checkers and the API docs see them here.
if TYPE_CHECKING:
    from casework.report.comparison import comparison_report, select_questions
    from casework.report.document import (
        BulletList,
        Column,
        Document,
        Facts,
        Figure,
        Paragraph,
        Section,
        Table,
        render_html,
        render_markdown,
        render_text,
        table_csv,
    )
    from casework.report.findings import (
        findings_report,
        outcome_label,
        select_findings,
        select_table,
        selector,
        validation_report,
    )
    from casework.report.inspection import highlights, inspection_report
    from casework.report.output import FORMATS, Format, Report, format_for_path
    from casework.report.pseudonym import (
        KeyedPseudonyms,
        PseudonymCollisionError,
        Pseudonyms,
        SequentialPseudonyms,
        pseudonymise,
        pseudonymise_comparison,
        pseudonymise_table,
        pseudonymiser,
    )
    from casework.report.reference import ruleset_reference
    from casework.report.sample import sample_report
    from casework.report.targets import target_report

__all__ = [
    "FORMATS",
    "BulletList",
    "Column",
    "Document",
    "Facts",
    "Figure",
    "Format",
    "KeyedPseudonyms",
    "Paragraph",
    "PseudonymCollisionError",
    "Pseudonyms",
    "Report",
    "Section",
    "SequentialPseudonyms",
    "Table",
    "comparison_report",
    "findings_report",
    "format_for_path",
    "highlights",
    "inspection_report",
    "outcome_label",
    "pseudonymise",
    "pseudonymise_comparison",
    "pseudonymise_table",
    "pseudonymiser",
    "render_html",
    "render_markdown",
    "render_text",
    "ruleset_reference",
    "sample_report",
    "select_findings",
    "select_questions",
    "select_table",
    "selector",
    "table_csv",
    "target_report",
    "validation_report",
]

lazy_names(
    __name__,
    {
        "casework.report.comparison": (
            "comparison_report",
            "select_questions",
        ),
        "casework.report.document": (
            "BulletList",
            "Column",
            "Document",
            "Facts",
            "Figure",
            "Paragraph",
            "Section",
            "Table",
            "render_html",
            "render_markdown",
            "render_text",
            "table_csv",
        ),
        "casework.report.findings": (
            "findings_report",
            "outcome_label",
            "select_findings",
            "select_table",
            "selector",
            "validation_report",
        ),
        "casework.report.inspection": (
            "highlights",
            "inspection_report",
        ),
        "casework.report.output": (
            "FORMATS",
            "Format",
            "Report",
            "format_for_path",
        ),
        "casework.report.pseudonym": (
            "KeyedPseudonyms",
            "PseudonymCollisionError",
            "Pseudonyms",
            "SequentialPseudonyms",
            "pseudonymise",
            "pseudonymise_comparison",
            "pseudonymise_table",
            "pseudonymiser",
        ),
        "casework.report.reference": ("ruleset_reference",),
        "casework.report.sample": ("sample_report",),
        "casework.report.targets": ("target_report",),
    },
)
