"""The OMI 2007 catalogue on columns: judged, summary, descriptive and area items.

A judged question's answer is the inspector's, as recorded
(:class:`~casework.rules.omi2007.question.JudgedCheck`, 004 Appendix 3): one kernel
answers every judged question of a chunk from the answers table (``omi.answers``,
made once per chunk into one column of answer codes per question), after the
question's population. Populations are decided on columns
(:func:`~casework.columnar.core.population_codes`): every population the catalogue
uses has a columnar form here, read from the ``omi.facts``, ``omi.roh`` and answers
tables, each decided once per chunk and shared by every question that asks it; a
case whose population lacks a fact is answered "cannot assess" here, as the scalar
engine answers it. Summary questions read the summary judgements the same way (a
summary derived from the members' answers, under the option ``derive_summaries``,
is left to the scalar rule); descriptive items read the record's fact, else the
answer; area-level items are asked of no case; computed questions run the reused
rule's kernel with the inspection's own parameters. That is all 257 omi-2007 rules.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, cast

import attrs
import numpy as np
import numpy.typing as npt

from casework.columnar.columns import NO_DAY, CaseColumns, Mask, Table, ordinals, raw_table
from casework.columnar.core import (
    BASIS_CODE,
    MANY,
    NO,
    NO_FACT,
    NO_PARAMETER,
    OUTCOME_CODE,
    POPULATION_FORMS,
    POPULATION_TESTS,
    PROVIDERS,
    YES,
    Answers,
    Codes,
    Explained,
    Kernel,
    Wording,
    WordsFn,
    _missing_parameter,
    kernel_for,
    population_codes,
    register_many,
)
from casework.columnar.core import Answer as ColumnAnswer
from casework.columnar.group import any_per_owner
from casework.columnar.raw import code_of, codes_of, lookup
from casework.model import (
    Answer,
    Case,
    DiversityNeed,
    EventKind,
    InterventionKind,
    LicenceConditionKind,
    RequirementKind,
    RiskGroup,
    RohLevel,
    SentenceKind,
    Tier,
)
from casework.rules import population as base_population
from casework.rules.engine import (
    Basis,
    Context,
    Evidence,
    MissingFactError,
    Outcome,
    Population,
    Rule,
    Verdict,
    no_parameter,
)
from casework.rules.omi2007 import QUESTIONS
from casework.rules.omi2007 import population as omi_population
from casework.rules.omi2007 import section1 as omi_section1
from casework.rules.omi2007.computed import Computation, standards_rule
from casework.rules.omi2007.question import (
    COMPUTED_ANSWERS,
    ComputedCheck,
    DescriptiveCheck,
    JudgedCheck,
    area_check,
    descriptive_verdict,
    judged_verdict,
)
from casework.rules.omi2007.summary import SummaryCheck
from casework.rules.parameters import MissingParameterError
from casework.rules.standards import base as standards_base
from casework.rules.standards import supervision as standards_supervision

__all__ = [
    "AreaKernel",
    "ComputedKernel",
    "DescriptiveKernel",
    "JudgedKernel",
    "SummaryKernel",
    "answer_codes",
    "answers_table",
    "computation_context",
    "facts_table",
    "roh_table",
    "summaries_table",
]

#: (outcome, basis) of each recorded answer, as ``judged_verdict`` gives them.
_ANSWERED = {
    None: (Outcome.CANNOT_ASSESS, Basis.UNANSWERED),
    Answer.YES: (Outcome.MET, Basis.JUDGED),
    Answer.NO: (Outcome.NOT_MET, Basis.JUDGED),
    Answer.NOT_EVIDENCED: (Outcome.NOT_MET, Basis.JUDGED),
    Answer.NOT_APPLICABLE: (Outcome.NOT_APPLICABLE, Basis.OUT_OF_SCOPE),
}
_KEYS = tuple(_ANSWERED)
_CODE = {answer: code for code, answer in enumerate(_KEYS)}
_OUTCOME = np.asarray([OUTCOME_CODE[_ANSWERED[key][0]] for key in _KEYS], dtype=np.int8)
_BASIS = np.asarray([BASIS_CODE[_ANSWERED[key][1]] for key in _KEYS], dtype=np.int8)
_UNANSWERED = _CODE[None]

# ---------------------------------------------------------------- answers


#: The answers' codes here by their code in a raw table (``code_of``).
_FROM_RAW = lookup(Answer, _CODE.__getitem__)


def _answers(columns: CaseColumns, which: str) -> Table:
    recorded = columns.raw[f"judgements.{which}"]
    return {
        "owner": recorded["owner"].astype(np.intp),
        "question": recorded["key"],
        "answer": _FROM_RAW[recorded["value"]],
    }


@raw_table("omi.answers")
def answers_table(columns: CaseColumns) -> Table:
    """One row per recorded answer: ``owner``, ``question`` (the question id) and
    ``answer`` (a code of the answers: 1 yes, 2 no, 3 not evidenced, 4 not applicable).
    Reads the raw table ``judgements.answers``."""
    return _answers(columns, "answers")


@raw_table("omi.summaries")
def summaries_table(columns: CaseColumns) -> Table:
    """One row per recorded summary judgement: ``owner``, ``question`` (the criterion
    id) and ``answer``, as :func:`answers_table`. Reads the raw table
    ``judgements.summaries``."""
    return _answers(columns, "summaries")


def _answer_matrices(columns: CaseColumns, name: str) -> tuple[dict[str, int], Any, Any, Any]:
    """The table ``name`` as one row per question (its index by question id) of answer
    codes, and of the outcome and basis each answer gives (``judged_verdict``), with
    one more row, last, for a question never answered. Made once per chunk, read-only."""
    key = ("omi.answer_codes", name)
    found = columns.memo.get(key)
    if found is None:
        answers = columns.table(name)
        ids, where = np.unique(answers["question"].astype(str), return_inverse=True)
        matrix = np.zeros((len(ids) + 1, len(columns)), dtype=np.int8)
        matrix[where.reshape(-1), answers["owner"]] = answers["answer"]
        outcome, basis = _OUTCOME[matrix], _BASIS[matrix]
        for shared in (matrix, outcome, basis):
            shared.flags.writeable = False
        index = {str(qid): i for i, qid in enumerate(ids)}
        found = columns.memo[key] = (index, matrix, outcome, basis)
    made: tuple[dict[str, int], Any, Any, Any] = found
    return made


def answer_codes(columns: CaseColumns, name: str, question_id: str) -> Codes:
    """Per case, the code of the answer recorded for ``question_id`` in the table ``name``
    (``omi.answers`` or ``omi.summaries``): 0 where none is. The table is made once per
    chunk into one column per question."""
    index, matrix, _, _ = _answer_matrices(columns, name)
    result: Codes = matrix[index.get(question_id, -1)]
    return result


def not_evidenced(columns: CaseColumns, name: str, question_id: str) -> Mask:
    """Per case, whether the answer recorded for ``question_id`` in the table ``name``
    (``omi.answers`` or ``omi.summaries``) is "not evidenced"."""
    flags: Mask = answer_codes(columns, name, question_id) == _CODE[Answer.NOT_EVIDENCED]
    return flags


def _judged_answers(columns: CaseColumns, name: str, question_id: str) -> tuple[Codes, Any, Any]:
    """:func:`answer_codes`, and the outcome and basis of each answer (read-only)."""
    index, matrix, outcome, basis = _answer_matrices(columns, name)
    at = index.get(question_id, -1)
    return matrix[at], outcome[at], basis[at]


# ---------------------------------------------------------------- facts the populations read

_KINDS = tuple(SentenceKind)
_KIND_CODE = {kind: code for code, kind in enumerate(_KINDS)}
_COMMUNITY_KINDS = frozenset({SentenceKind.COMMUNITY_ORDER, SentenceKind.SUSPENDED_SENTENCE_ORDER})
_RESTRICTIVE = frozenset(
    {
        LicenceConditionKind.CURFEW,
        LicenceConditionKind.EXCLUSION_ZONE,
        LicenceConditionKind.ELECTRONIC_MONITORING,
    }
)
_CURFEW_OR_EXCLUSION = frozenset({RequirementKind.CURFEW, RequirementKind.EXCLUSION})
_DRR = frozenset({RequirementKind.DRUG_REHABILITATION, RequirementKind.DTTO})
_SIGNIFICANT = frozenset({EventKind.SIGNIFICANT_CHANGE, EventKind.SIGNIFICANT_INCIDENT})
_LITERACY = frozenset({DiversityNeed.LITERACY, DiversityNeed.DYSLEXIA})

_NONE: frozenset[Any] = frozenset()
_FLAGS = (
    "psr", "psr_community", "mappa", "breach", "transfer_in", "ap_resident",
    "child_safeguarding", "self_harm", "drug_misuse", "sfl_need", "literacy", "disability",
    "rescored", "unpaid_work", "upw_only", "drr", "accredited_programme",
    "curfew_or_exclusion", "additional_conditions", "restrictive_intervention",
    "activity_in_prison", "screened", "full_analysis", "rmp", "events", "significant_change",
    "event_since_sentence", "recalled", "roh_recall", "custody_moved", "victims",
    "statutory_victim", "victim_contacted", "psr_proposal", "rescored_recorded",
    "reconvicted_or_cautioned",
)  # fmt: skip


@raw_table("omi.facts")
def facts_table(columns: CaseColumns) -> Table:
    """One row per case: the facts the OMI populations are decided on.

    ``kind`` (sentence kind code), ``start`` and ``released`` (day numbers), ``om_count``
    and one flag per fact of :data:`_FLAGS`. Reads, from the raw tables, ``sentence.kind``,
    ``.sentenced_on``, ``.starts_on``, ``.released_on``, ``.requirements[].kind``,
    ``.licence_conditions[].kind`` and ``.additional``; ``psr`` and ``psr.proposal``;
    ``mappa``; ``breaches``; ``transfer_in``; ``approved_premises``;
    ``child_safeguarding_concern``; ``offender.self_harm_risk``, ``.drug_misuse``,
    ``.skills_for_life_need``, ``.diversity_needs``, ``.disabilities``;
    ``outcomes.oasys_rescored``, ``.reconvicted_on``, ``.cautioned_on``;
    ``interventions[].kind`` and ``.in_custody``;
    ``assessments[].screening.completed_on``, ``.full_analysis.completed_on``,
    ``.rmp.completed_on``; ``events[].kind`` and ``.on``; ``recalls[].roh_related``;
    ``custody_moves``; ``victims[].statutory``, ``.contacted_on``, ``.face_to_face_on``;
    ``om_assignments[].staff``.
    """
    raw = columns.raw
    n = len(columns)
    case = raw["case"]

    def any_of(name: str, where: Mask | None = None) -> Mask:
        return any_per_owner(raw[name]["owner"], n, where)

    def kind_in(name: str, column: str, *members: Any) -> Mask:
        return np.isin(raw[name][column], codes_of(*members))

    sentenced = case["sentence.sentenced_on"]
    starts = case["sentence.starts_on"]
    requirements = raw["sentence.requirements"]
    upw = requirements["kind"] == code_of(RequirementKind.UNPAID_WORK)
    has_upw = any_of("sentence.requirements", upw)
    conditions = raw["sentence.licence_conditions"]
    interventions = raw["interventions"]
    assessments = raw["assessments"]
    events = raw["events"]
    victims = raw["victims"]
    statutory = victims["statutory"]
    psr = case["psr"]
    proposal = case["psr.proposal"]
    staff = raw["om_assignments"]
    if len(staff["owner"]):
        _, staff_code = np.unique(staff["staff"].astype(str), return_inverse=True)
        pairs = np.unique(np.stack([staff["owner"], staff_code.reshape(-1)]), axis=1)
        om_count = np.bincount(pairs[0], minlength=n).astype(np.int64)
    else:
        om_count = np.zeros(n, dtype=np.int64)
    flags: dict[str, Mask] = {
        "psr": psr,
        "psr_community": psr & np.isin(proposal, codes_of(*_COMMUNITY_KINDS)),
        "mappa": case["mappa"],
        "breach": any_of("breaches"),
        "transfer_in": case["transfer_in"],
        "ap_resident": any_of("approved_premises"),
        "child_safeguarding": case["child_safeguarding_concern"],
        "self_harm": case["offender.self_harm_risk"],
        "drug_misuse": case["offender.drug_misuse"],
        "sfl_need": case["offender.skills_for_life_need"] == 1,
        "literacy": any_of(
            "offender.diversity_needs",
            kind_in("offender.diversity_needs", "value", *_LITERACY),
        ),
        "disability": any_of(
            "offender.diversity_needs",
            raw["offender.diversity_needs"]["value"] == code_of(DiversityNeed.DISABILITY),
        )
        | any_of("offender.disabilities"),
        "rescored": case["outcomes.oasys_rescored"] == 1,
        "unpaid_work": has_upw,
        "upw_only": has_upw & ~any_of("sentence.requirements", ~upw),
        "drr": any_of("sentence.requirements", kind_in("sentence.requirements", "kind", *_DRR)),
        "accredited_programme": any_of(
            "sentence.requirements",
            requirements["kind"] == code_of(RequirementKind.ACCREDITED_PROGRAMME),
        )
        | any_of(
            "interventions",
            interventions["kind"] == code_of(InterventionKind.ACCREDITED_PROGRAMME),
        ),
        "curfew_or_exclusion": any_of(
            "sentence.requirements",
            kind_in("sentence.requirements", "kind", *_CURFEW_OR_EXCLUSION),
        )
        | any_of(
            "sentence.licence_conditions",
            kind_in("sentence.licence_conditions", "kind", *_RESTRICTIVE),
        ),
        "additional_conditions": any_of("sentence.licence_conditions", conditions["additional"]),
        "restrictive_intervention": any_of(
            "interventions", interventions["kind"] == code_of(InterventionKind.RESTRICTIVE)
        ),
        "activity_in_prison": any_of("interventions", interventions["in_custody"]),
        "screened": any_of("assessments", assessments["screening.completed_on"] != NO_DAY),
        "full_analysis": any_of("assessments", assessments["full_analysis.completed_on"] != NO_DAY),
        "rmp": any_of("assessments", assessments["rmp.completed_on"] != NO_DAY),
        "events": any_of("events"),
        "significant_change": any_of("events", kind_in("events", "kind", *_SIGNIFICANT)),
        "event_since_sentence": any_of(
            "events", events["on"] >= sentenced[events["owner"].astype(np.intp)]
        ),
        "recalled": any_of("recalls"),
        "roh_recall": any_of("recalls", raw["recalls"]["roh_related"]),
        "custody_moved": any_of("custody_moves"),
        "victims": any_of("victims"),
        "statutory_victim": any_of("victims", statutory),
        "victim_contacted": any_of(
            "victims",
            statutory
            & ((victims["contacted_on"] != NO_DAY) | (victims["face_to_face_on"] != NO_DAY)),
        ),
        "psr_proposal": psr & (proposal != -1),
        "rescored_recorded": case["outcomes.oasys_rescored"] != -1,
        "reconvicted_or_cautioned": (case["outcomes.reconvicted_on"] != NO_DAY)
        | (case["outcomes.cautioned_on"] != NO_DAY),
    }
    return {
        "owner": np.arange(n, dtype=np.intp),
        "kind": case["sentence.kind"].astype(np.int8),
        "start": np.where(starts != NO_DAY, starts, sentenced),
        "released": case["sentence.released_on"].copy(),
        "om_count": om_count,
        **{name: np.asarray(flags[name], dtype=bool).copy() for name in _FLAGS},
    }


_GROUPS = tuple(RiskGroup)
_RANKS = {level: level.rank for level in RohLevel}
#: The rank of each RoH level by its code in a raw table.
_RANK_OF_CODE = lookup(RohLevel, lambda level: level.rank)


@raw_table("omi.roh")
def roh_table(columns: CaseColumns) -> Table:
    """One row per RoH record, in the case's order: ``owner``, ``on`` (day number),
    ``rank`` (0 low to 3 very high) and a flag ``risk_to.<group>`` per risk group
    assessed. Reads the raw tables ``roh`` (``on``, ``level``) and ``roh.risk_to``."""
    roh = columns.raw["roh"]
    risk_to = columns.raw["roh.risk_to"]
    records = len(roh["owner"])
    return {
        "owner": roh["owner"].astype(np.intp),
        "on": roh["on"].copy(),
        "rank": _RANK_OF_CODE[roh["level"]],
        **{
            f"risk_to.{group.value}": any_per_owner(
                risk_to["owner"], records, risk_to["key"] == code_of(group)
            )
            for group in _GROUPS
        },
    }


def _roh_record(columns: CaseColumns, day: Any) -> npt.NDArray[np.intp]:
    """Per case, the row in ``omi.roh`` of the record in force on ``day`` (one day, or one
    per case): the latest on or before it (the first of them listed), else the first
    after it; -1 where the case has none."""
    roh = columns.table("omi.roh")
    owner, on = roh["owner"], roh["on"]
    position = np.arange(len(owner), dtype=np.intp)
    chosen = np.full(len(columns), -1, dtype=np.intp)
    if not len(owner):
        return chosen
    # The first record of the earliest day, for cases with nothing on file by the day ...
    order = np.lexsort((position, on, owner))
    first = np.ones(len(order), dtype=bool)
    first[1:] = owner[order][1:] != owner[order][:-1]
    chosen[owner[order[first]]] = order[first]
    # ... else the first record listed of the latest day on or before it.
    order = np.lexsort((-position, on, owner))
    limit = day if np.ndim(day) == 0 else np.asarray(day)[owner[order]]
    order = order[on[order] <= limit]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = owner[order][:-1] != owner[order][1:]
    chosen[owner[order[last]]] = order[last]
    return chosen


def _roh_now(columns: CaseColumns, ctx: Context) -> npt.NDArray[np.intp]:
    """Per case, the row in ``omi.roh`` of the record on file at ``as_of``, as
    ``population.roh_now`` reads it; -1 where none."""
    key = ("omi.roh_now", ctx.as_of)
    found = columns.memo.get(key)
    if found is None:
        found = columns.memo[key] = _roh_record(columns, ordinals([ctx.as_of])[0])
    result: npt.NDArray[np.intp] = found
    return result


def _roh_at_start(columns: CaseColumns) -> npt.NDArray[np.intp]:
    """Per case, the row in ``omi.roh`` of the record the case started with, as
    ``population.roh_at_start`` reads it; -1 where none."""
    found = columns.memo.get("omi.roh_at_start")
    if found is None:
        found = columns.memo["omi.roh_at_start"] = _roh_record(columns, columns.start)
    result: npt.NDArray[np.intp] = found
    return result


# ---------------------------------------------------------------- populations on columns


def _codes(flag: Mask) -> Codes:
    return np.where(flag, YES, NO).astype(np.int8)


def _missing_unless(known: Mask, flag: Mask) -> Codes:
    return np.where(known, _codes(flag), NO_FACT).astype(np.int8)


def _fact(name: str) -> Callable[[CaseColumns, Context], Codes]:
    def codes(columns: CaseColumns, _ctx: Context) -> Codes:
        return _codes(columns.table("omi.facts")[name].astype(bool))

    return codes


def _kinds(*kinds: SentenceKind) -> Callable[[CaseColumns, Context], Codes]:
    wanted = [_KIND_CODE[kind] for kind in kinds]

    def codes(columns: CaseColumns, _ctx: Context) -> Codes:
        return _codes(np.isin(columns.table("omi.facts")["kind"], wanted))

    return codes


def _in_community(columns: CaseColumns, ctx: Context) -> Codes:
    facts = columns.table("omi.facts")
    as_of = ordinals([ctx.as_of])[0]
    kind, released = facts["kind"], facts["released"]
    licence = kind == _KIND_CODE[SentenceKind.LICENCE]
    custody = kind == _KIND_CODE[SentenceKind.CUSTODY]
    on_licence = (released != NO_DAY) & (released <= as_of)
    return _codes(np.where(licence, on_licence, ~custody & (facts["start"] <= as_of)))


def _om_count(columns: CaseColumns, _ctx: Context) -> Codes:
    counts: npt.NDArray[np.int64] = columns.table("omi.facts")["om_count"].astype(np.int64)
    return _codes(counts >= 3)


def _area_level(columns: CaseColumns, _ctx: Context) -> Codes:
    return np.full(len(columns), NO, dtype=np.int8)


def _ppo(columns: CaseColumns, _ctx: Context) -> Codes:
    return _codes(columns.ppo_at_start)


def _not_ppo(columns: CaseColumns, _ctx: Context) -> Codes:
    return _codes(~columns.ppo_at_start)


_F, _B = omi_population, base_population
_BY_TEST: tuple[tuple[Population, Callable[[CaseColumns, Context], Codes]], ...] = (
    (_B.COMMUNITY_SENTENCE, _kinds(*_COMMUNITY_KINDS)),
    (_B.LICENCE, _kinds(SentenceKind.LICENCE)),
    (_B.CUSTODY, _kinds(SentenceKind.CUSTODY)),
    (_B.IN_COMMUNITY, _in_community),
    (_B.PPO_AT_START, _ppo),
    (_B.NOT_PPO_AT_START, _not_ppo),
    (_B.HAS_MAPPA, _fact("mappa")),
    (_B.HAS_PSR, _fact("psr")),
    (_B.HAS_BREACH, _fact("breach")),
    (_B.TRANSFERRED_IN, _fact("transfer_in")),
    (_F.PSR_PROPOSING_COMMUNITY, _fact("psr_community")),
    (_F.CUSTODIAL, _kinds(SentenceKind.CUSTODY, SentenceKind.LICENCE)),
    (_F.UNPAID_WORK, _fact("unpaid_work")),
    (_F._UPW_ONLY, _fact("upw_only")),
    (_F.DRR, _fact("drr")),
    (_F.ACCREDITED_PROGRAMME, _fact("accredited_programme")),
    (_F.CURFEW_OR_EXCLUSION, _fact("curfew_or_exclusion")),
    (_F.ADDITIONAL_LICENCE_CONDITIONS, _fact("additional_conditions")),
    (_F._DRUG_MISUSE, _fact("drug_misuse")),
    (_F.AP_RESIDENT, _fact("ap_resident")),
    (_F.CHILD_SAFEGUARDING, _fact("child_safeguarding")),
    (_F.SELF_HARM, _fact("self_harm")),
    (_F.SCREENED, _fact("screened")),
    (_F.FULL_ANALYSIS, _fact("full_analysis")),
    (_F.RMP, _fact("rmp")),
    (_F.SIGNIFICANT_CHANGE, _fact("significant_change")),
    (_F.ROH_CHANGE, _fact("events")),
    (_F.ROH_RECALL, _fact("roh_recall")),
    (_F.RECALLED, _fact("recalled")),
    (_F.CUSTODY_MOVED, _fact("custody_moved")),
    (_F.ACTIVITY_IN_PRISON, _fact("activity_in_prison")),
    (_F.STATUTORY_VICTIM, _fact("statutory_victim")),
    (_F.VICTIM_CONTACTED, _fact("victim_contacted")),
    (_F.SFL_NEED, _fact("sfl_need")),
    (_F.LITERACY, _fact("literacy")),
    (_F.DISABILITY, _fact("disability")),
    (_F.RESCORED, _fact("rescored")),
    (_F.THREE_OR_MORE_OMS, _om_count),
    (_F.AREA_LEVEL, _area_level),
)
for _population, _columnar in _BY_TEST:
    POPULATION_TESTS[_population.test] = _columnar


def _delegated(to: Callable[[], Population]) -> Callable[[CaseColumns, Context], Codes]:
    """A population whose test asks another population's (looked up when asked)."""

    def codes(columns: CaseColumns, ctx: Context) -> Codes:
        return population_codes(columns, to(), ctx)

    return codes


_BY_TEST_STANDARDS: tuple[tuple[Population, Callable[[CaseColumns, Context], Codes]], ...] = (
    (standards_base.CUSTODIAL, _kinds(SentenceKind.CUSTODY, SentenceKind.LICENCE)),
    (standards_base.HAS_SIGNIFICANT_EVENT, _fact("event_since_sentence")),
    (standards_supervision.HAS_STATUTORY_VICTIM, _fact("statutory_victim")),
    (
        omi_section1._NEEDS_RELEASE_RMP,
        _delegated(lambda: standards_rule("NS07.rmp-before-release").applies_to),
    ),
)
for _population, _columnar in _BY_TEST_STANDARDS:
    POPULATION_TESTS[_population.test] = _columnar
_VICTIM_SAFETY = (
    _F.VICTIM_SAFETY,
    lambda columns, _ctx: _codes(
        columns.table("omi.facts")["victims"]
        | columns.table("omi.facts")["child_safeguarding"]
        | columns.table("omi.facts")["additional_conditions"]
        | columns.table("omi.facts")["restrictive_intervention"]
    ),
)
POPULATION_TESTS[_VICTIM_SAFETY[0].test] = _VICTIM_SAFETY[1]


def _answered(
    columns: CaseColumns, _ctx: Context, question_id: str, wanted: Any, **_: Any
) -> Codes:
    codes = answer_codes(columns, "omi.answers", question_id)
    chosen = [_CODE[answer] for answer in wanted]
    return _missing_unless(codes != _UNANSWERED, np.isin(codes, chosen))


def _on_file(
    columns: CaseColumns, ctx: Context, name: str, *, at_start: bool = False
) -> tuple[Mask, Any]:
    """Per case: whether a RoH record is on file (at ``as_of``, or at the start), and the
    column ``name`` of it."""
    chosen = _roh_at_start(columns) if at_start else _roh_now(columns, ctx)
    values = columns.table("omi.roh")[name]
    known: Mask = chosen >= 0
    if not values.size:
        return known, np.zeros(len(columns), dtype=values.dtype)
    return known, values[np.maximum(chosen, 0)]


def _roh_at_least(columns: CaseColumns, ctx: Context, level: RohLevel, **_: Any) -> Codes:
    known, rank = _on_file(columns, ctx, "rank")
    return _missing_unless(known, rank >= level.rank)


def _roh_at_least_at_start(columns: CaseColumns, ctx: Context, level: RohLevel, **_: Any) -> Codes:
    known, rank = _on_file(columns, ctx, "rank", at_start=True)
    return _missing_unless(known, rank >= level.rank)


def _risk_to(columns: CaseColumns, ctx: Context, group: RiskGroup, **_: Any) -> Codes:
    known, risk = _on_file(columns, ctx, f"risk_to.{group.value}")
    return _missing_unless(known, risk)


def _tiers_at_start(
    columns: CaseColumns, _ctx: Context, wanted: frozenset[Tier], **_: Any
) -> Codes:
    tier = columns.tier_at_start
    return _missing_unless(tier != 0, np.isin(tier, [int(t) for t in wanted]))


def computation_context(columns: CaseColumns, computation: Computation, ctx: Context) -> Context:
    """``computation.context(ctx)``, made once per chunk and context, so every question
    computed by the same rule shares its populations and lookups."""
    key = ("omi.computation", id(computation), id(ctx))
    found = columns.memo.get(key)
    if found is None:
        found = columns.memo[key] = (computation.context(ctx), computation, ctx)
    made: Context = found[0]
    return made


def _computed(
    columns: CaseColumns,
    ctx: Context,
    own: Population,
    computation: Computation,
    where: Mask | None = None,
) -> Codes:
    """A computed question's population: its own, then the reused rule's, where a case the
    rule cannot place (a fact missing) is left to the rule (``Question.population``)."""
    first = population_codes(columns, own, ctx, where)
    open_ = first == YES if where is None else (first == YES) & where
    reused = population_codes(
        columns,
        computation.rule.applies_to,
        computation_context(columns, computation, ctx),
        open_,
    )
    within = np.where(reused == NO_FACT, YES, reused)
    return np.where(first == YES, within, first).astype(np.int8)


POPULATION_FORMS.update(
    {
        "answered": _answered,
        "roh_at_least": _roh_at_least,
        "roh_at_least_at_start": _roh_at_least_at_start,
        "risk_to": _risk_to,
        "tiers_at_start": _tiers_at_start,
        "computed": _computed,
    }
)

# ---------------------------------------------------------------- kernels


def _shared(columns: CaseColumns) -> tuple[Any, Any, Any]:
    """The columns every undated answer shares: no day, not late, no unit (read-only)."""
    found = columns.memo.get("omi.undated")
    if found is None:
        n = len(columns)
        none = np.full(n, NO_DAY, dtype=np.int64)
        late = np.full(n, -1, dtype=np.int64)
        unit = np.zeros(n, dtype=np.int8)
        for column in (none, late, unit):
            column.flags.writeable = False
        found = columns.memo["omi.undated"] = (none, late, unit)
    return found


def _undated(columns: CaseColumns, outcome: Any, basis: Any, special: Mask) -> dict[str, Any]:
    none, late, unit = _shared(columns)
    return {
        "outcome": np.asarray(outcome, dtype=np.int8),
        "basis": np.asarray(basis, dtype=np.int8),
        "trigger": none,
        "due": none,
        "done": none,
        "late_by": late,
        "late_unit": unit,
        "special": special,
    }


_NOT_APPLICABLE = OUTCOME_CODE[Outcome.NOT_APPLICABLE]
_OUT_OF_SCOPE = BASIS_CODE[Basis.OUT_OF_SCOPE]
_CANNOT = OUTCOME_CODE[Outcome.CANNOT_ASSESS]


#: Per population code (no, yes, no fact, no parameter, raised): the outcome and basis
#: of a case outside the population (yes: unused), as the engine gives them.
_OUTSIDE_OUTCOME = np.asarray(
    [_NOT_APPLICABLE, _NOT_APPLICABLE, _CANNOT, _CANNOT, _NOT_APPLICABLE], dtype=np.int8
)
_OUTSIDE_BASIS = np.asarray(
    [
        _OUT_OF_SCOPE,
        _OUT_OF_SCOPE,
        BASIS_CODE[Basis.MISSING_DATA],
        BASIS_CODE[Basis.NO_PARAMETER],
        _OUT_OF_SCOPE,
    ],
    dtype=np.int8,
)


def _population_columns(columns: CaseColumns, codes: Codes) -> tuple[Mask, Any, Any, Mask]:
    """Of a population's codes: where it says yes, the outcome and basis of the cases
    outside it, and where it raised; made once per chunk for each distinct column of codes
    (many populations answer alike) and shared by the questions asking it (read-only)."""
    key = ("omi.outside", codes.dtype.str, codes.tobytes())
    found = columns.memo.get(key)
    if found is None:
        yes = codes == YES
        outcome, basis = _OUTSIDE_OUTCOME[codes], _OUTSIDE_BASIS[codes]
        raised = codes > NO_PARAMETER
        for made in (yes, outcome, basis, raised):
            made.flags.writeable = False
        found = columns.memo[key] = (yes, outcome, basis, raised)
    shared: tuple[Mask, Any, Any, Mask] = found
    return shared


def _outside(columns: CaseColumns, codes: Codes, outcome: Any, basis: Any) -> tuple[Any, Any]:
    """``outcome`` and ``basis`` where the population says yes; not applicable where it
    says no; cannot assess where it lacks a fact or a parameter, as the engine says."""
    yes, out_outcome, out_basis, _ = _population_columns(columns, codes)
    return np.where(yes, outcome, out_outcome), np.where(yes, basis, out_basis)


def _raised(codes: Codes) -> Mask:
    """Cases whose population raised something else: the scalar rule reports it."""
    raised: Mask = codes > NO_PARAMETER
    return raised


def _judged(
    columns: CaseColumns,
    rule: Rule,
    ctx: Context,
    answered: tuple[Codes, Any, Any],
    special: Mask | None = None,
    *,
    what: str = "question",
) -> dict[str, Any]:
    """Columns for answers (codes, their outcome and basis: :func:`_judged_answers`) as
    ``judged_verdict`` reads them, inside the rule's population; the answers inside it
    worded by ``judged_verdict`` itself (:func:`_judged_verdicts`), ``what`` the noun it
    names the question by."""
    codes = population_codes(columns, rule.applies_to, ctx)
    yes, out_outcome, out_basis, raised = _population_columns(columns, codes)
    outcome = np.where(yes, answered[1], out_outcome)
    basis = np.where(yes, answered[2], out_basis)
    left = raised if special is None else raised | special
    answer = _undated(columns, outcome, basis, left)
    at = np.flatnonzero(yes & ~left)
    answer["wording"] = _verdicts_wording(at, answered[0][at], _judged_verdicts(what))
    return answer


@functools.cache
def _judged_verdicts(what: str) -> tuple[Verdict, ...]:
    """Per answer code (:data:`_KEYS`: none recorded, yes, no, not evidenced, not
    applicable), the verdict ``judged_verdict`` gives it."""
    return tuple(judged_verdict(key, what=what) for key in _KEYS)


def _verdicts_wording(
    at: npt.NDArray[np.intp], keys: Codes, verdicts: tuple[Verdict, ...]
) -> Wording:
    """The answers ``at`` worded by ``verdicts[key]``, a key each (:func:`_verdict_said`)."""
    values = cast(dict[str, Sequence[Any]], {"key": keys})  # (a column: read by index)
    return Wording(_verdict_said, at, values, {"verdicts": verdicts})


def _verdict_said(
    answer: ColumnAnswer, *, key: int, verdicts: tuple[Verdict, ...]
) -> Explained | None:
    """An answer in the words of the verdict ``verdicts[key]``, made by the scalar rule's
    own verdict function (one per key, made once); ``None`` for an answer whose outcome
    or basis is not that verdict's (the scalar rule words it)."""
    verdict = verdicts[key]
    if verdict.outcome is not answer.outcome or verdict.basis is not answer.basis:
        return None
    return verdict.reason, verdict.evidence, verdict.trigger_label


def _verdict_said_many(
    answers: Answers, *, key: Sequence[int], verdicts: tuple[Verdict, ...]
) -> list[Explained | None]:
    """:func:`_verdict_said` of many answers."""
    said = [(v.reason, v.evidence, v.trigger_label) for v in verdicts]
    keys = np.asarray(key, dtype=np.intp)
    outcome = np.asarray([OUTCOME_CODE[v.outcome] for v in verdicts], dtype=np.int8)[keys]
    basis = np.asarray([BASIS_CODE[v.basis] for v in verdicts], dtype=np.int8)[keys]
    agrees = (outcome == answers.outcome) & (basis == answers.basis)
    return [said[k] if ok else None for k, ok in zip(keys.tolist(), agrees.tolist(), strict=True)]


register_many(_verdict_said, _verdict_said_many)


@attrs.frozen
class JudgedKernel:
    """One judged question on a chunk: its population, then the recorded answer."""

    question_id: str
    rule: Rule = attrs.field(eq=False, repr=False)

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        return _judged(
            columns, self.rule, ctx, _judged_answers(columns, "omi.answers", self.question_id)
        )


@attrs.frozen
class SummaryKernel:
    """A criterion's summary question: the recorded summary judgement. Where none is
    recorded and ``derive_summaries`` is set, the scalar rule derives one."""

    criterion_id: str
    rule: Rule = attrs.field(eq=False, repr=False)

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        answered = _judged_answers(columns, "omi.summaries", self.criterion_id)
        derive = None
        if ctx.option("derive_summaries") is not None:
            derive = answered[0] == _UNANSWERED
        return _judged(columns, self.rule, ctx, answered, derive, what="summary question")


#: What a descriptive question's fact says of a case (``Question.fact``).
_UNSAID, _FALSE, _TRUE, _FACT_MISSING, _FACT_RAISED = -1, 0, 1, 2, 3

FactColumns = Callable[[CaseColumns], npt.NDArray[np.int8]]


def _said(flag: npt.NDArray[Any], known: npt.NDArray[Any] | None = None) -> npt.NDArray[np.int8]:
    said = np.where(flag, _TRUE, _FALSE).astype(np.int8)
    return said if known is None else np.where(known, said, _UNSAID).astype(np.int8)


def _flag(name: str) -> FactColumns:
    return lambda columns: _said(columns.table("omi.facts")[name].astype(bool))


def _none_of_plan_criteria(columns: CaseColumns) -> npt.NDArray[np.int8]:
    """1.5.o from the answers to 1.5.l, 1.5.m and 1.5.n (``section1._none_of_plan_criteria``)."""
    answers = [answer_codes(columns, "omi.answers", qid) for qid in ("1.5.l", "1.5.m", "1.5.n")]
    below = (_CODE[Answer.NO], _CODE[Answer.NOT_EVIDENCED])
    any_yes = np.logical_or.reduce([codes == _CODE[Answer.YES] for codes in answers])
    all_below = np.logical_and.reduce([np.isin(codes, below) for codes in answers])
    return np.where(any_yes, _FALSE, np.where(all_below, _TRUE, _UNSAID)).astype(np.int8)


def _facts(columns: CaseColumns) -> Table:
    return columns.table("omi.facts")


def _om_counts(columns: CaseColumns) -> npt.NDArray[np.int64]:
    return np.asarray(_facts(columns)["om_count"], dtype=np.int64)


#: The record's fact of descriptive questions on columns, by question id: -1 where the
#: fact cannot say, else 0 or 1. Used only for the very fact each was written for.
_FACT_COLUMNS: dict[str, FactColumns] = {
    "1.1.b": lambda c: _said(_facts(c)["psr_community"], _facts(c)["psr_proposal"]),
    "1.1.c": lambda c: _said(np.isin(_facts(c)["kind"], [_KIND_CODE[k] for k in _COMMUNITY_KINDS])),
    "1.2.a": _flag("screened"),
    "1.2.z": _flag("rmp"),
    "1.5.o": _none_of_plan_criteria,
    "2.1.z": _flag("custody_moved"),
    "2.1.ab": _flag("transfer_in"),
    "2.3.i": _flag("victim_contacted"),
    "2.6.k": _flag("additional_conditions"),
    "3.1.d": _flag("reconvicted_or_cautioned"),
    "3.1.v": lambda c: _said(_facts(c)["rescored"], _facts(c)["rescored_recorded"]),
    "3.2.d": lambda c: _said(_om_counts(c) >= 3, _om_counts(c) > 0),
}
_BY_FACT: dict[Callable[[Case], bool | None], FactColumns] = {}
_BY_ID = {asked.id: asked for asked in QUESTIONS}
for _question_id, _columns_of in _FACT_COLUMNS.items():
    _fact_fn = _BY_ID[_question_id].fact
    if _fact_fn is None:
        raise RuntimeError(f"question {_question_id} has no fact to answer on columns")
    _BY_FACT[_fact_fn] = _columns_of


@attrs.frozen
class DescriptiveKernel:
    """A descriptive count: the record's fact where it can say, else the answer."""

    check: DescriptiveCheck
    rule: Rule = attrs.field(eq=False, repr=False)

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        question = self.check.question
        codes = population_codes(columns, self.rule.applies_to, ctx)
        answers = answer_codes(columns, "omi.answers", question.id)
        said = np.full(len(columns), _UNSAID, dtype=np.int8)
        on_columns = _BY_FACT.get(question.fact) if question.fact is not None else None
        if on_columns is not None:
            said = on_columns(columns)
        elif question.fact is not None:  # asked of the cases in the population only
            for row in np.flatnonzero(codes == YES):
                try:
                    value = question.fact(columns.cases[int(row)])
                except MissingFactError:
                    said[row] = _FACT_MISSING
                except Exception:  # the scalar rule reports it, named
                    said[row] = _FACT_RAISED
                else:
                    if value is not None:
                        said[row] = _TRUE if value else _FALSE
        unsaid = said == _UNSAID
        judged = unsaid & ((answers == _UNANSWERED) | (answers == _CODE[Answer.NOT_APPLICABLE]))
        counted = np.where(unsaid, answers == _CODE[Answer.YES], said == _TRUE)
        outcome = np.where(
            counted, OUTCOME_CODE[Outcome.MET], OUTCOME_CODE[Outcome.NOT_MET]
        ).astype(np.int8)
        outcome = np.where(judged, _OUTCOME[answers], outcome)
        basis = np.where(judged, _BASIS[answers], BASIS_CODE[Basis.DESCRIPTIVE])
        missing = said == _FACT_MISSING
        outcome = np.where(missing, _CANNOT, outcome)
        basis = np.where(missing, BASIS_CODE[Basis.MISSING_DATA], basis)
        outcome, basis = _outside(columns, codes, outcome, basis)
        left = _raised(codes) | (said == _FACT_RAISED)
        answer = _undated(columns, outcome, basis, left)
        # worded by the scalar rule's descriptive_verdict of (the fact, the answer)
        at = np.flatnonzero((codes == YES) & ~left & (said != _FACT_MISSING))
        keys = (said[at].astype(np.intp) + 1) * len(_KEYS) + answers[at]
        answer["wording"] = _verdicts_wording(at, keys, _descriptive_verdicts())
        return answer


@functools.cache
def _descriptive_verdicts() -> tuple[Verdict, ...]:
    """``descriptive_verdict`` of each fact (none, no, yes: :data:`_UNSAID`, :data:`_FALSE`,
    :data:`_TRUE`) and answer code (:data:`_KEYS`), at ``(fact + 1) * len(_KEYS) + code``."""
    return tuple(descriptive_verdict(fact, key) for fact in (None, False, True) for key in _KEYS)


@attrs.frozen
class AreaKernel:
    """An area-level item: not asked of cases, whatever the population."""

    rule: Rule = attrs.field(eq=False, repr=False)

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        codes = population_codes(columns, self.rule.applies_to, ctx)
        outcome, basis = _outside(columns, codes, _NOT_APPLICABLE, _OUT_OF_SCOPE)
        return _undated(columns, outcome, basis, _raised(codes))


@attrs.frozen
class ComputedKernel:
    """A computed question: the reused rule's kernel, run with the inspection's own
    parameters, weighed against the recorded answer as ``computed_answers`` says
    (:class:`~casework.rules.omi2007.question.ComputedCheck`)."""

    check: ComputedCheck
    reused: Kernel = attrs.field(eq=False, repr=False)
    rule: Rule = attrs.field(eq=False, repr=False)

    def __call__(self, columns: CaseColumns, ctx: Context) -> dict[str, Any]:
        question = self.check.question
        computation = question.computation
        assert computation is not None
        n = len(columns)
        mode = ctx.option("computed_answers", COMPUTED_ANSWERS[0])
        if mode not in COMPUTED_ANSWERS:
            raise ValueError(f"option computed_answers={mode!r} is not one of {COMPUTED_ANSWERS}")
        everyone = np.ones(n, dtype=bool)  # left to the scalar rule
        codes = population_codes(columns, self.rule.applies_to, ctx)
        try:
            computed = self.reused(columns, computation_context(columns, computation, ctx))
        except (MissingFactError, MissingParameterError):
            return _undated(columns, np.zeros(n), np.zeros(n), everyone)
        if "row" in computed:  # a rule answering per unit is not reused by any question
            return _undated(columns, np.zeros(n), np.zeros(n), everyone)
        answers = answer_codes(columns, "omi.answers", question.id)
        answered = answers != _UNANSWERED
        if mode == "compute":
            judged = np.zeros(n, dtype=bool)
        elif mode == "judgement_first":
            judged = answered
        else:
            cannot = computed["outcome"] == _CANNOT
            judged = answered & cannot
        judged_or_out = judged | (codes != YES)
        outcome = np.where(judged, _OUTCOME[answers], computed["outcome"])
        basis = np.where(judged, _BASIS[answers], computed["basis"])
        outcome, basis = _outside(columns, codes, outcome, basis)
        answer = _undated(columns, outcome, basis, _raised(codes) | computed.get("special", False))
        for name in ("trigger", "due", "done"):
            answer[name] = np.where(judged_or_out, NO_DAY, computed[name])
        answer["late_by"] = np.where(judged_or_out, -1, computed["late_by"])
        answer["late_unit"] = np.where(judged_or_out, 0, computed["late_unit"]).astype(np.int8)
        wording = computed.get("wording")
        if wording is None:
            answer["wording"] = _no_parameter_wording(
                columns, ctx, computation, (codes == YES) & ~judged & (basis == _NO_PARAMETER)
            )
        else:
            # The answers that are the reused rule's verdict with "computed by" before its
            # evidence (ComputedCheck): no answer recorded, or one that agrees with it, or
            # one not weighed ("compute"); the others' words are the scalar rule's.
            met = computed["outcome"] == OUTCOME_CODE[Outcome.MET]
            scored = met | (computed["outcome"] == OUTCOME_CODE[Outcome.NOT_MET])
            weighed = answered & (answers != _CODE[Answer.NOT_APPLICABLE])
            disagrees = scored & weighed & (met != (answers == _CODE[Answer.YES]))
            if mode == "compute":
                disagrees[:] = False
            plain = (codes == YES) & ~judged & ~disagrees
            answer["wording"] = _computed_wording(wording, plain, computation.rule.id)
        return answer


_NO_PARAMETER = BASIS_CODE[Basis.NO_PARAMETER]


def _no_parameter_wording(
    columns: CaseColumns, ctx: Context, computation: Computation, lacking: Mask
) -> Wording | None:
    """The answers ``lacking`` (the reused rule's "no value is set" for a parameter),
    worded as ``ComputedCheck`` words them: ``no_parameter`` of the one parameter the
    reused rule lacks, "computed by" first in its evidence; ``None`` where it lacks
    none, or more than one (the scalar rule says which)."""
    at = np.flatnonzero(lacking)
    if not at.size:
        return None
    unset = _missing_parameter(computation.rule, computation_context(columns, computation, ctx))
    if unset is None:
        return None
    verdict = no_parameter(unset)
    computed_by = Evidence("computed by", computation.rule.id)
    worded = attrs.evolve(verdict, evidence=(computed_by, *verdict.evidence))
    return _verdicts_wording(at, np.zeros(at.size, dtype=np.intp), (worded,))


def _computed_wording(wording: Wording, plain: Mask, rule_id: str) -> Wording:
    """The reused rule's ``wording`` of the answers ``plain`` says (cases), each with the
    evidence ``computed by`` ``rule_id`` first (:func:`_computed_said`)."""
    keep = np.flatnonzero(plain[wording.at])
    taken = set(wording.values) | set(wording.constants)
    assert not taken & {"computed_words", "computed_by", "computed_values"}
    return Wording(
        _computed_said,
        wording.at[keep],
        {name: [values[k] for k in keep.tolist()] for name, values in wording.values.items()},
        {
            **wording.constants,
            "computed_words": wording.words,
            "computed_by": Evidence("computed by", rule_id),
            "computed_values": tuple(wording.values),
        },
    )


def _computed_said(
    answer: ColumnAnswer,
    *,
    computed_words: WordsFn,
    computed_by: Evidence,
    computed_values: tuple[str, ...],
    **reused: Any,
) -> Explained | None:
    """A computed question's answer in the words of the rule it reuses (``computed_words``
    of its values), its evidence after ``computed_by``, as ``ComputedCheck`` puts them."""
    said = computed_words(answer, **reused)
    if said is None:
        return None
    reason, evidence, label = said
    return reason, (computed_by, *evidence), label


def _computed_said_many(
    answers: Answers,
    *,
    computed_words: WordsFn,
    computed_by: Evidence,
    computed_values: tuple[str, ...],
    **reused: Any,
) -> list[Explained | None]:
    """:func:`_computed_said` of many answers: the reused wording's bulk form where it has
    one (:data:`~casework.columnar.core.MANY`), else answer by answer."""
    many = MANY.get(computed_words)
    if many is not None:
        every = many(answers, **reused)
    else:
        constants = {name: value for name, value in reused.items() if name not in computed_values}
        every = [
            computed_words(
                answers.answer(k),
                **constants,
                **{name: reused[name][k] for name in computed_values},
            )
            for k in range(len(answers))
        ]
    return [None if said is None else (said[0], (computed_by, *said[1]), said[2]) for said in every]


register_many(_computed_said, _computed_said_many)


def _omi(rule: Rule) -> Kernel | None:
    check = rule.check
    if isinstance(check, ComputedCheck):
        computation = check.question.computation
        reused = kernel_for(computation.rule) if computation is not None else None
        return None if reused is None else ComputedKernel(check, reused, rule)
    if isinstance(check, JudgedCheck):
        return JudgedKernel(check.question_id, rule)
    if isinstance(check, SummaryCheck):
        return SummaryKernel(check.criterion_id, rule)
    if isinstance(check, DescriptiveCheck):
        return DescriptiveKernel(check, rule)
    if check is area_check:
        return AreaKernel(rule)
    return None


PROVIDERS.append(_omi)
