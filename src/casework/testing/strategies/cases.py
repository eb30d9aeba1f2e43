"""Whole, valid cases and lists of them, with what a test pins and the rest drawn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from casework.calendar import WorkingCalendar
from casework.model import (
    Case,
    ContactKind,
    HomeVisitPurpose,
    RequirementKind,
    RohLevel,
    SentenceKind,
    Tier,
)
from casework.model.enums import ROH_LEVEL_ALIASES
from casework.rules.ruleset import RuleSet
from casework.testing.strategies._common import (
    _AREAS,
    AS_OF_EARLIEST,
    CASE_PARTS,
    LATEST,
    _between,
    _calendar,
    _days,
    _maybe,
    _optional,
    _pin,
    _strategy,
)
from casework.testing.strategies.dates import _work_day, dates
from casework.testing.strategies.inspection import _judgements, questions_of
from casework.testing.strategies.oasys import _assessment_history
from casework.testing.strategies.offender import _history, _mappa, _offender, _personal, _risk_to
from casework.testing.strategies.sentence import _sentence
from casework.testing.strategies.supervision import (
    _approved_premises,
    _breach,
    _contact,
    _custody_move,
    _event,
    _intervention,
    _om_assignment,
    _outcomes,
    _psr,
    _transfer,
    _victim,
)


def _tier(value: int | Tier | None) -> Tier | None:
    if value is None:
        return None
    try:
        return Tier(value)
    except ValueError:
        raise InvalidArgument(f"tier must be 1, 2, 3 or 4, not {value!r}") from None


def _roh(value: RohLevel | str | None) -> RohLevel | None:
    if value is None or isinstance(value, RohLevel):
        return value
    level = ROH_LEVEL_ALIASES.get(str(value).strip().lower())
    if level is None:
        raise InvalidArgument(
            f"roh must be a RoH level (low, medium, high, very_high), not {value!r}"
        )
    return level


_COMMUNITY = (SentenceKind.COMMUNITY_ORDER, SentenceKind.SUSPENDED_SENTENCE_ORDER)
#: How long before as_of the clock started: days (deadlines pending), months or years.
_AGE = st.one_of(st.integers(0, 25), st.integers(0, 150), st.integers(0, 900))


@attrs.frozen
class _CaseSpec:
    """What :func:`cases` was asked for, checked."""

    kinds: tuple[SentenceKind, ...]
    reference: str | st.SearchStrategy[str] | None
    as_of: dt.date | st.SearchStrategy[dt.date] | None
    sentenced_on: dt.date | st.SearchStrategy[dt.date] | None
    released_on: dt.date | st.SearchStrategy[dt.date] | None
    tier: int | st.SearchStrategy[int] | None
    roh: RohLevel | st.SearchStrategy[RohLevel] | None
    ppo: bool | None
    mappa: bool | None
    oasys_on: dt.date | st.SearchStrategy[dt.date] | None
    missing: frozenset[str]
    on_due_day: bool
    questions: tuple[str, ...]
    criteria: tuple[str, ...]
    calendar: WorkingCalendar
    terminated: bool | None = None
    transferred: bool | None = None
    recalled: bool | None = None
    requirements: frozenset[RequirementKind] = frozenset()


@attrs.frozen
class _Timeline:
    kind: SentenceKind
    as_of: dt.date
    sentenced: dt.date
    released: dt.date | None
    start: dt.date
    """What starts the clock: release for licence cases, else commencement."""
    sentence: dict[str, Any]


def cases(
    *,
    reference: str | st.SearchStrategy[str] | None = None,
    as_of: dt.date | st.SearchStrategy[dt.date] | None = None,
    kind: SentenceKind | str | None = None,
    released: bool | None = None,
    sentenced_on: dt.date | st.SearchStrategy[dt.date] | None = None,
    released_on: dt.date | st.SearchStrategy[dt.date] | None = None,
    tier: int | Tier | st.SearchStrategy[int] | None = None,
    roh: RohLevel | str | st.SearchStrategy[RohLevel] | None = None,
    ppo: bool | None = None,
    mappa: bool | None = None,
    terminated: bool | None = None,
    transferred: bool | None = None,
    recalled: bool | None = None,
    requirements: Iterable[RequirementKind | str] = (),
    oasys_on: dt.date | st.SearchStrategy[dt.date] | None = None,
    missing: Iterable[str] = (),
    on_due_day: bool = False,
    questions: Iterable[str] = (),
    criteria: Iterable[str] = (),
    answers_for: RuleSet | str | None = None,
    calendar: WorkingCalendar | None = None,
) -> st.SearchStrategy[Case]:
    """Whole, valid cases; pin the parts a test is about and the rest is drawn.

    Args:
        reference: the case reference (default: drawn, ``C-123456``).
        as_of: the date the record is read (default: drawn between
            :data:`AS_OF_EARLIEST` and :data:`LATEST`, after any pinned dates).
        kind: the sentence kind (``community_order``, ``suspended_sentence_order``,
            ``custody``, ``licence``).
        released: ``True`` for licence cases, ``False`` for any other kind.
        sentenced_on: the date of sentence.
        released_on: the date of release (makes the case a licence case).
        tier: the tier the case started with (as the rules read it at sentence
            or release); pass ``missing=["tier"]`` for a case with none.
        roh: the RoH level it started with (``missing=["roh"]`` for none).
        ppo: whether the offender was a PPO at sentence or release.
        mappa: whether the case is subject to MAPPA.
        terminated: whether the order or licence has ended (a termination is recorded).
        transferred: whether the case was transferred in from another area.
        recalled: whether the offender was recalled (licence cases only).
        requirements: requirement kinds the order carries, among others drawn
            (community and suspended sentence orders only).
        oasys_on: the start (or release) assessment has every part completed on
            this day (a bank holiday, the due day ...).
        missing: parts to leave out: ``tier``, ``roh``, ``assessments`` (none at
            all), or an OASys part in every assessment (``assessment``,
            ``screening``, ``full_analysis``, ``rmp``, ``sentence_plan``).
        on_due_day: all work is done exactly on the due day of one of the time
            limits casework knows (:func:`known_limits`).
        questions: question ids inspector answers are drawn for (each answered
            or not); ``criteria``: criterion ids for summary judgements.
        answers_for: a rule set (``"omi-2007"``) whose questions and criteria are
            all answered or not (:func:`questions_of`), added to ``questions`` and ``criteria``.
        calendar: the calendar working days are counted on (default: England & Wales).
    """
    kind_pin = SentenceKind(kind) if kind is not None else None
    if released is True and kind_pin not in {None, SentenceKind.LICENCE}:
        raise InvalidArgument(f"released=True needs a licence case, not {kind_pin}")
    if released is False and (kind_pin is SentenceKind.LICENCE or released_on is not None):
        raise InvalidArgument("released=False excludes licence cases and released_on")
    if released_on is not None and kind_pin not in {None, SentenceKind.LICENCE}:
        raise InvalidArgument(f"released_on needs a licence case, not {kind_pin}")
    if released_on is not None or released is True:
        kind_pin = SentenceKind.LICENCE
    absent = frozenset(missing)
    if absent - CASE_PARTS:
        raise InvalidArgument(
            f"missing={sorted(absent - CASE_PARTS)}: parts are {sorted(CASE_PARTS)}"
        )
    for name, pinned in (("tier", tier), ("roh", roh)):
        if pinned is not None and name in absent:
            raise InvalidArgument(f"{name} is pinned and missing at once")
    wanted = frozenset(RequirementKind(k) for k in requirements)
    if recalled and kind_pin not in {None, SentenceKind.LICENCE}:
        raise InvalidArgument(f"recalled=True needs a licence case, not {kind_pin}")
    if recalled:
        kind_pin = SentenceKind.LICENCE
    if wanted and kind_pin not in {None, *_COMMUNITY}:
        raise InvalidArgument(
            f"requirements need a community or suspended sentence order, not {kind_pin}"
        )
    if wanted and released:
        raise InvalidArgument("requirements need a community or suspended sentence order")
    if kind_pin is not None:
        kinds: tuple[SentenceKind, ...] = (kind_pin,)
    elif wanted:
        kinds = _COMMUNITY
    elif released is False:
        kinds = (*_COMMUNITY, SentenceKind.COMMUNITY_ORDER, SentenceKind.CUSTODY)
    else:
        kinds = (*_COMMUNITY, SentenceKind.COMMUNITY_ORDER, SentenceKind.CUSTODY)
        kinds += (SentenceKind.LICENCE, SentenceKind.LICENCE)
    asked, judged = questions_of(answers_for) if answers_for is not None else ((), ())
    spec = _CaseSpec(
        kinds=kinds,
        reference=reference,
        as_of=as_of,
        sentenced_on=sentenced_on,
        released_on=released_on,
        tier=tier if isinstance(tier, st.SearchStrategy) else _tier(tier),
        roh=roh if isinstance(roh, st.SearchStrategy) else _roh(roh),
        ppo=ppo,
        mappa=mappa,
        oasys_on=oasys_on,
        missing=absent,
        on_due_day=on_due_day,
        questions=tuple(dict.fromkeys((*questions, *asked))),
        criteria=tuple(dict.fromkeys((*criteria, *judged))),
        calendar=_calendar(calendar),
        terminated=terminated,
        transferred=transferred,
        recalled=recalled,
        requirements=wanted,
    )
    return _strategy(_case, spec).map(Case.model_validate)


def _case(draw: st.DrawFn, spec: _CaseSpec) -> dict[str, Any]:
    """The facts of one case, as a case file would hold them."""
    when = _timeline(draw, spec)
    cal, day, start = spec.calendar, when.as_of, when.start
    facts: dict[str, Any] = {
        "reference": _pin(draw, spec.reference) or f"C-{draw(st.integers(1, 999999)):06d}",
        "as_of": day,
        "sentence": when.sentence,
        "area": _optional(draw, st.sampled_from(_AREAS)),
        "offender": _offender(draw, when.sentenced - _days(400), day, start, spec.ppo),
        "child_safeguarding_concern": _maybe(draw, 0.2),
    }
    if _maybe(draw, 0.15):
        facts["personal"] = _personal(draw)
    if "tier" not in spec.missing and (spec.tier is not None or not _maybe(draw, 0.08)):
        first = Tier(_pin(draw, spec.tier) or draw(st.sampled_from(Tier)))
        facts["tiers"] = _history(
            draw, start=start, as_of=day, first=first, later=st.sampled_from(Tier), field="tier"
        )
    if "roh" not in spec.missing and (spec.roh is not None or not _maybe(draw, 0.08)):
        level = _pin(draw, spec.roh) or draw(st.sampled_from(RohLevel))
        records = _history(
            draw,
            start=start,
            as_of=day,
            first=level,
            later=st.sampled_from(RohLevel),
            field="level",
        )
        facts["roh"] = [record | {"risk_to": draw(_risk_to())} for record in records]
    if spec.mappa is True or (spec.mappa is None and _maybe(draw, 0.25)):
        facts["mappa"] = _mappa(draw, when.sentenced, day)
    if spec.transferred or (spec.transferred is None and _maybe(draw, 0.25)):
        facts["transfer_in"] = _transfer(draw, when.sentenced, day, cal, exact=spec.on_due_day)
    facts["assessments"] = _assessment_history(
        draw,
        kind=when.kind,
        sentenced=when.sentenced,
        start=start,
        released=when.released,
        as_of=day,
        calendar=cal,
        missing=spec.missing,
        on_due_day=spec.on_due_day,
        oasys_on=_pin(draw, spec.oasys_on),
        transfer=facts.get("transfer_in"),
    )
    facts |= _supervision(draw, when, cal, exact=spec.on_due_day, recalled=spec.recalled)
    if spec.questions or spec.criteria:
        salt = repr((facts["reference"], day, when.sentence, facts.get("assessments")))
        facts["judgements"] = _judgements(draw, spec.questions, spec.criteria, salt)
    return facts


def _timeline(draw: st.DrawFn, spec: _CaseSpec) -> _Timeline:
    """Kind, as_of, sentence and release dates, in an order that makes sense."""
    kind = draw(st.sampled_from(spec.kinds))
    sentenced_pin = _pin(draw, spec.sentenced_on)
    released_pin = _pin(draw, spec.released_on)
    floor = max([AS_OF_EARLIEST, *(d for d in (sentenced_pin, released_pin) if d is not None)])
    day = _pin(draw, spec.as_of) or draw(dates(floor, max(floor, LATEST), calendar=spec.calendar))
    for label, pinned in (("sentenced_on", sentenced_pin), ("released_on", released_pin)):
        if pinned is not None and pinned > day:
            raise InvalidArgument(f"{label} {pinned} is after as_of {day}")
    if sentenced_pin and released_pin and released_pin < sentenced_pin:
        raise InvalidArgument(f"released_on {released_pin} is before sentenced_on {sentenced_pin}")
    released: dt.date | None = None
    if kind is SentenceKind.LICENCE:
        if released_pin is not None:
            released = released_pin
        elif sentenced_pin is not None:
            released = _between(draw, sentenced_pin, day)
        else:
            released = day - _days(draw(_AGE))
        sentenced = sentenced_pin or released - _days(draw(st.integers(0, 1200)))
    else:
        sentenced = sentenced_pin or day - _days(draw(_AGE))
    sentence = _sentence(
        draw,
        kind=kind,
        sentenced=sentenced,
        released=released,
        as_of=day,
        terminated=spec.terminated,
        requirements=spec.requirements,
    )
    start = released or sentence.get("starts_on") or sentenced
    return _Timeline(kind, day, sentenced, released, start, sentence)


def _upw_sessions(draw: st.DrawFn, when: _Timeline) -> list[dict[str, Any]]:
    """For an order with unpaid work, sometimes a run of work sessions every week or two
    (and now and then a longer gap) from its commencement to its completion or ``as_of``."""
    upw = next(
        (
            r
            for r in when.sentence.get("requirements", ())
            if r["kind"] is RequirementKind.UNPAID_WORK
        ),
        None,
    )
    if upw is None or not _maybe(draw, 0.5):
        return []
    on = upw.get("commenced_on") or when.start
    end = min(upw.get("completed_on") or when.as_of, when.as_of)
    sessions: list[dict[str, Any]] = []
    while len(sessions) < 20:
        on += _days(draw(st.integers(1, 16)))
        if on > end:
            break
        sessions.append({"on": on, "kind": ContactKind.UNPAID_WORK_SESSION})
    return sessions


def _supervision(
    draw: st.DrawFn,
    when: _Timeline,
    cal: WorkingCalendar,
    *,
    exact: bool = False,
    recalled: bool | None = None,
) -> dict[str, Any]:
    """Events, reports, contact, enforcement, victims and the rest, dated after the start."""
    day, start, sentenced, released = when.as_of, when.start, when.sentenced, when.released

    facts: dict[str, Any] = {
        "events": [_event(draw, sentenced, day) for _ in range(draw(st.integers(0, 2)))],
        "contacts": [
            *(_contact(draw, start, day) for _ in range(draw(st.integers(0, 3)))),
            *_upw_sessions(draw, when),
        ],
        "interventions": [
            _intervention(draw, sentenced, day) for _ in range(draw(st.integers(0, 2)))
        ],
        "outcomes": _outcomes(draw, sentenced, day),
    }
    if when.kind is not SentenceKind.LICENCE and _maybe(draw, 0.45):
        facts["psr"] = _psr(draw, sentenced, day, cal, exact=exact)
    drawn = [
        _work_day(draw, start, day, cal, on_due_day=exact) for _ in range(draw(st.integers(0, 2)))
    ]
    visits = {visit for visit in drawn if visit is not None}
    facts["home_visits"] = [
        {"on": visit, "purpose": draw(st.sampled_from(HomeVisitPurpose))}
        for visit in sorted(visits)
    ]
    induction = _work_day(draw, start, day, cal, on_due_day=exact) if _maybe(draw, 0.5) else None
    facts["inductions"] = [{"on": induction, "full": draw(st.booleans())}] if induction else []
    if when.kind is not SentenceKind.CUSTODY:
        facts["breaches"] = [
            _breach(draw, start, day, cal, exact=exact) for _ in range(draw(st.integers(0, 2)))
        ]
    facts["victims"] = [
        _victim(draw, f"V{n}", sentenced, day, cal, exact=exact)
        for n in range(1, 1 + draw(st.integers(0, 2)))
    ]
    if released is not None and _maybe(draw, 0.4):
        facts["approved_premises"] = [_approved_premises(draw, released, day)]
    if released is not None and (recalled or (recalled is None and _maybe(draw, 0.4))):
        facts["recalls"] = [
            {"on": _between(draw, released, day), "roh_related": draw(st.booleans())}
        ]
    if when.kind in {SentenceKind.CUSTODY, SentenceKind.LICENCE} and _maybe(draw, 0.3):
        facts["custody_moves"] = [_custody_move(draw, sentenced, released or day)]
    facts["om_assignments"] = [
        _om_assignment(draw, sentenced, day, n) for n in range(1, 1 + draw(st.integers(0, 4)))
    ]
    return facts


def case_lists(
    *, min_size: int = 0, max_size: int = 8, **pins: Any
) -> st.SearchStrategy[list[Case]]:
    """Lists of cases numbered ``C-0001``, ``C-0002`` ... (distinct, as a case file needs).

    Keyword arguments other than the sizes are passed to :func:`cases`.
    """
    if "reference" in pins:
        raise InvalidArgument("case_lists numbers the cases itself: do not pin reference")
    return st.lists(cases(**pins), min_size=min_size, max_size=max_size).map(
        lambda found: [
            case.model_copy(update={"reference": f"C-{number:04d}"})
            for number, case in enumerate(found, start=1)
        ]
    )
