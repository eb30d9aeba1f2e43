"""Hypothesis strategies for casework's domain types and for whole, valid cases.

Needs the ``testing`` extra (``pip install "casework[testing]"``)::

    from hypothesis import given
    from casework.testing import strategies as cs


    @given(cs.cases(tier=4, ppo=False, released=True))
    def test_tier4_licence_cases(case): ...

Every case generated is one :func:`~casework.load_cases` accepts: its dates
make sense together (sentence before release before reviews, each review
after what it reviews, every date on or before ``as_of``). Work is dated
from the event that starts its clock, in working days and calendar units, and
lands exactly on the due day of every time limit casework knows
(:func:`known_limits`) often, a day either side of it often, and not at all
(missing parts, work not yet done by ``as_of``) often enough that every
outcome of every rule comes up.

Pin what a test is about (``tier``, ``ppo``, ``released``, ``kind``,
``roh``, ``mappa``, ``as_of``, ``sentenced_on``, ``released_on``,
``oasys_on``, ``missing`` ...) and the rest is drawn. A pin may be a value
or a strategy.

Importing this module registers a strategy for every case-model type and for
the engine's attrs types (:class:`~casework.rules.Evidence`,
:class:`~casework.rules.Finding`, :class:`~casework.Duration`, ...), so
``st.from_type(Breach)`` and ``st.builds(f)`` with annotated arguments give
valid values.
"""

from __future__ import annotations

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - checked by a subprocess test
    raise ImportError(
        "casework.testing.strategies needs Hypothesis, an optional dependency of casework: "
        "install it with  pip install 'casework[testing]'  (the rest of casework.testing "
        "works without it)"
    ) from exc

from collections.abc import Callable, Mapping
from typing import Any

from casework.calendar import Duration, WorkingCalendar
from casework.model import (
    Accommodation,
    ApprovedPremisesResidence,
    Breach,
    Case,
    Contact,
    CustodyMove,
    EmploymentEpisode,
    FullAnalysis,
    HomeVisit,
    Induction,
    Intervention,
    Judgements,
    LicenceCondition,
    Mappa,
    MappaLevelRecord,
    OasysAssessment,
    Offender,
    OmAssignment,
    Outcomes,
    Period,
    PersonalDetails,
    Psr,
    Recall,
    Requirement,
    RiskManagementPlan,
    RohRecord,
    Screening,
    Sentence,
    SentencePlan,
    SignificantEvent,
    Termination,
    TierRecord,
    TransferIn,
    Victim,
)
from casework.rules.engine import Evidence, Finding, Findings, Verdict
from casework.testing.strategies._common import (
    AS_OF_EARLIEST,
    CASE_PARTS,
    EARLIEST,
    LATEST,
    known_limits,
)
from casework.testing.strategies.cases import case_lists, cases
from casework.testing.strategies.dates import (
    Deadline,
    bank_holidays,
    dates,
    edge_dates,
    holiday_deadlines,
    work_dates,
)
from casework.testing.strategies.engine import (
    OUTCOME_BASES,
    calendars,
    durations,
    evidence,
    findings,
    findings_collections,
    findings_of,
    verdicts,
)
from casework.testing.strategies.inspection import judgements, questions_of
from casework.testing.strategies.oasys import (
    full_analyses,
    oasys_assessments,
    risk_management_plans,
    screenings,
    sentence_plans,
)
from casework.testing.strategies.offender import (
    mappa_level_records,
    mappas,
    offenders,
    periods,
    personal_details,
    roh_records,
    tier_records,
)
from casework.testing.strategies.sentence import (
    licence_conditions,
    requirements,
    sentences,
    terminations,
)
from casework.testing.strategies.supervision import (
    accommodations,
    approved_premises_residences,
    breaches,
    contacts,
    custody_moves,
    employment_episodes,
    home_visits,
    inductions,
    interventions,
    om_assignments,
    outcome_records,
    psrs,
    recalls,
    significant_events,
    transfers_in,
    victims,
)

__all__ = [
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

# ---------------------------------------------------------------------- registration

_REGISTERED: Mapping[type[Any], Callable[[], st.SearchStrategy[Any]]] = {
    Case: cases,
    Period: periods,
    PersonalDetails: personal_details,
    Offender: offenders,
    TierRecord: tier_records,
    RohRecord: roh_records,
    MappaLevelRecord: mappa_level_records,
    Mappa: mappas,
    Screening: screenings,
    FullAnalysis: full_analyses,
    RiskManagementPlan: risk_management_plans,
    SentencePlan: sentence_plans,
    OasysAssessment: oasys_assessments,
    SignificantEvent: significant_events,
    Requirement: requirements,
    LicenceCondition: licence_conditions,
    Termination: terminations,
    Sentence: sentences,
    Psr: psrs,
    Contact: contacts,
    Breach: breaches,
    Victim: victims,
    TransferIn: transfers_in,
    HomeVisit: home_visits,
    Induction: inductions,
    ApprovedPremisesResidence: approved_premises_residences,
    Intervention: interventions,
    Recall: recalls,
    CustodyMove: custody_moves,
    OmAssignment: om_assignments,
    EmploymentEpisode: employment_episodes,
    Accommodation: accommodations,
    Outcomes: outcome_records,
    Judgements: judgements,
    Duration: durations,
    Evidence: evidence,
    Verdict: verdicts,
    Finding: findings,
    Findings: findings_collections,
    WorkingCalendar: calendars,
}

for _type, _factory in _REGISTERED.items():
    st.register_type_strategy(_type, st.deferred(_factory))
