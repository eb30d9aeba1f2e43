"""Write a rule of your own, put it in a rule set, and test it at its boundaries.

    python examples/custom_rule.py

The rule is one the inspection report states (004:521): a home visit within ten
working days of sentence or release for high and very high Risk of Harm cases
(the report left out cases in approved premises). docs/howto/custom-rule.md
walks through it.
"""

from __future__ import annotations

import datetime as dt
import sys

# --8<-- [start:rule]
from casework.model import Case, RohLevel
from casework.rules import (
    Context,
    MissingFactError,
    ParameterTable,
    Population,
    Verdict,
    build_ruleset,
    rule,
)
from casework.rules.population import roh_at_least_at_start
from casework.rules.timing import deadline_check

PARAMETERS = ParameterTable.from_texts(
    [
        (
            "local.toml",
            """
            [home_visit_high_roh_limit]
            description = "Home visit to high RoH cases made within (of sentence or release)"
            unit = "working_days"

            [[home_visit_high_roh_limit.values]]
            from = 2006-05-01
            value = 10
            source = "004:521"
            quote = "no home visit was carried out within ten working days of sentence or release"
            """,
        )
    ]
)

NOT_IN_APPROVED_PREMISES = Population(
    "cases not resident in approved premises",
    lambda case, _ctx: not case.approved_premises,
)


def start_of_supervision(case: Case) -> tuple[str, dt.date]:
    if case.sentence.released_on is not None:
        return "release", case.sentence.released_on
    if case.sentence.sentenced_on is None:
        raise MissingFactError("no sentence date is recorded")
    return "sentence", case.sentence.sentenced_on


@rule(
    "LOCAL.home-visit-high-roh",
    question="High or very high RoH case: was a home visit made within 10 working days "
    "of sentence or release?",
    source="004:521",
    kind="timeliness",
    applies_to=(roh_at_least_at_start(RohLevel.HIGH) & NOT_IN_APPROVED_PREMISES).named(
        "high or very high RoH cases not in approved premises"
    ),
    roh=True,
    parameters=("home_visit_high_roh_limit",),
)
def home_visit_high_roh(case: Case, ctx: Context) -> Verdict:
    label, start = start_of_supervision(case)
    visits = sorted(visit.on for visit in case.home_visits if visit.on >= start)
    return deadline_check(
        ctx,
        done=visits[0] if visits else None,
        anchor=start,
        anchor_label=label,
        limit="home_visit_high_roh_limit",
        done_label="Home visit made",
        missing_label="No home visit made",
    )


LOCAL = build_ruleset(
    name="local-home-visits",
    version="1",
    title="Local home visit checks",
    family="local",
    rules=[home_visit_high_roh],
    in_force_from=dt.date(2007, 4, 1),
    table=PARAMETERS,
)
# --8<-- [end:rule]

# --8<-- [start:tests]
from casework import WorkingCalendar  # noqa: E402
from casework.rules import evaluate  # noqa: E402
from casework.testing import make_case  # noqa: E402

CALENDAR = WorkingCalendar.england_and_wales()


def high_roh(**facts: object) -> Case:
    """Sentenced on Friday 1 June 2007: ten working days later is Friday 15 June."""
    return make_case(roh=[{"level": "high", "on": "2007-06-01"}], **facts)


def outcome(case: Case, as_of: dt.date = dt.date(2007, 10, 15)) -> tuple[str, str]:
    (finding,) = evaluate(case, LOCAL, as_of=as_of, calendar=CALENDAR)
    return finding.outcome.value, finding.basis.value


def visit(day: str) -> list[dict[str, str]]:
    return [{"on": day, "purpose": "risk_of_harm"}]


def test_a_visit_on_the_tenth_working_day_is_on_time() -> None:
    assert outcome(high_roh(home_visits=visit("2007-06-15"))) == ("met", "computed")


def test_a_visit_the_next_working_day_is_late() -> None:
    assert outcome(high_roh(home_visits=visit("2007-06-18"))) == ("not_met", "computed")


def test_no_visit_before_the_deadline_is_not_yet_due() -> None:
    assert outcome(high_roh(), as_of=dt.date(2007, 6, 14)) == ("not_applicable", "not_yet_due")


def test_low_roh_and_approved_premises_cases_are_out_of_scope() -> None:
    low = make_case(roh=[{"level": "low", "on": "2007-06-01"}])
    assert outcome(low) == ("not_applicable", "out_of_scope")
    hostel = high_roh(approved_premises=[{"arrived_on": "2007-06-01"}])
    assert outcome(hostel) == ("not_applicable", "out_of_scope")


def test_no_roh_level_cannot_be_assessed() -> None:
    assert outcome(make_case()) == ("cannot_assess", "missing_data")


def test_a_bank_holiday_moves_the_deadline() -> None:
    # Sentenced Friday 18 May 2007; Monday 28 May is a bank holiday, so the tenth
    # working day is Monday 4 June, not Friday 1 June.
    case = make_case(
        sentence={"kind": "community_order", "sentenced_on": "2007-05-18"},
        roh=[{"level": "very_high", "on": "2007-05-18"}],
        home_visits=visit("2007-06-04"),
    )
    assert outcome(case) == ("met", "computed")


# --8<-- [end:tests]

TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]


def main() -> int:
    for test in TESTS:
        test()
        print(f"ok  {test.__name__}")
    print(f"{len(TESTS)} checks of {home_visit_high_roh.id} passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
