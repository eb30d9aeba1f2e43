"""casework.testing.strategies is a package split by domain area; its public names are those of
the single module it was before the split (issue 13)."""

from __future__ import annotations

import importlib
import pkgutil

from casework.testing import strategies as cs

#: ``__all__`` of ``casework.testing.strategies`` as one module, before the split.
PUBLIC_BEFORE_THE_SPLIT = [
    "AS_OF_EARLIEST",
    "CASE_PARTS",
    "EARLIEST",
    "LATEST",
    "OUTCOME_BASES",
    "Deadline",
    "accommodations",
    "approved_premises_residences",
    "bank_holidays",
    "breaches",
    "calendars",
    "case_lists",
    "cases",
    "contacts",
    "custody_moves",
    "dates",
    "durations",
    "edge_dates",
    "employment_episodes",
    "evidence",
    "findings",
    "findings_collections",
    "findings_of",
    "full_analyses",
    "holiday_deadlines",
    "home_visits",
    "inductions",
    "interventions",
    "judgements",
    "known_limits",
    "licence_conditions",
    "mappa_level_records",
    "mappas",
    "oasys_assessments",
    "offenders",
    "om_assignments",
    "outcome_records",
    "periods",
    "personal_details",
    "psrs",
    "questions_of",
    "recalls",
    "requirements",
    "risk_management_plans",
    "roh_records",
    "screenings",
    "sentence_plans",
    "sentences",
    "significant_events",
    "terminations",
    "tier_records",
    "transfers_in",
    "verdicts",
    "victims",
    "work_dates",
]


def test_the_public_names_are_unchanged() -> None:
    assert list(cs.__all__) == PUBLIC_BEFORE_THE_SPLIT
    assert [name for name in PUBLIC_BEFORE_THE_SPLIT if not hasattr(cs, name)] == []


def test_every_public_function_and_class_lives_in_a_domain_module() -> None:
    modules = {
        info.name: importlib.import_module(f"{cs.__name__}.{info.name}")
        for info in pkgutil.iter_modules(cs.__path__)
    }
    assert {"dates", "offender", "oasys", "sentence", "supervision", "inspection", "cases"} <= set(
        modules
    )
    for name in PUBLIC_BEFORE_THE_SPLIT:
        value = getattr(cs, name)
        if callable(value):
            home = value.__module__.removeprefix(f"{cs.__name__}.")
            assert getattr(modules[home], name) is value, name
