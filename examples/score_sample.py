"""Score an inspection's case sample and write the report, as an inspection lead would.

    python examples/score_sample.py [OUTPUT_FOLDER]

Evaluates the bundled 106-case synthetic sample under the OMI 2007 questions,
scores it (80/20 per criterion, sections, the RoH thread), prints the summary,
and writes the published-style HTML report, Chart 1 as PNG and SVG, and the
per-question table as CSV into OUTPUT_FOLDER (default: ./casework-output).
"""

from __future__ import annotations

import sys
from pathlib import Path

from casework import WorkingCalendar, load_cases, load_inspection, score_inspection
from casework.report import inspection_report
from casework.report.charts import save_chart
from casework.rules import evaluate
from casework.text import percent

HERE = Path(__file__).resolve().parent


def main(output: Path) -> int:
    inspection = load_inspection(HERE / "omi-inspection.json")
    loaded = load_cases(HERE / "omi-sample.json")
    print(loaded.summary())
    findings = evaluate(
        loaded.cases,
        inspection.ruleset,
        as_of=inspection.as_of,
        calendar=WorkingCalendar.england_and_wales(),
    )
    card = score_inspection(findings, inspection=inspection)

    for section in card.sections:
        print(f"Section {section.number}: {section.display}")
        for criterion in card.criteria:
            if criterion.section == section.number:
                print(f"  {criterion.id} {criterion.display:>4}  {criterion.conclusion}")
    if card.roh_thread.score is not None:
        print(f"RoH thread: {percent(card.roh_thread.score)}")

    # Which cases fell below the line on the weakest RoH question, and why?
    weakest = min(
        (q for q in card.roh_thread.questions if q.proportion is not None),
        key=lambda q: q.proportion or 0,
    )
    print(f"Weakest RoH question: {weakest.id} {weakest.question}")
    for case_ref in weakest.below[:3]:
        print(f"  {case_ref}: {findings.get(case_ref, weakest.id).reason}")

    output.mkdir(parents=True, exist_ok=True)
    report = inspection_report(card, source="omi-sample.json", load=loaded)
    for written in (
        report.save(output / "inspection.html"),
        report.save(output / "questions.csv"),
        save_chart(card, output / "chart1.png"),
        save_chart(card, output / "chart1.svg"),
    ):
        print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("casework-output")))
