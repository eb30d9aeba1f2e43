"""The offender and the small dated records about them: periods, personal details, tier,
risk of harm, MAPPA."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from casework.model import (
    DiversityNeed,
    Mappa,
    MappaCategory,
    MappaLevel,
    MappaLevelRecord,
    Offender,
    Period,
    PersonalDetails,
    RiskGroup,
    RohLevel,
    RohRecord,
    Sex,
    Tier,
    TierRecord,
)
from casework.testing.strategies._common import (
    EARLIEST,
    LATEST,
    _between,
    _days,
    _maybe,
    _optional,
    _strategy,
)


def _period(
    draw: st.DrawFn, earliest: dt.date, latest: dt.date, covering: dt.date | None = None
) -> dict[str, Any]:
    lo, hi = (earliest, covering) if covering else (earliest, latest)
    start = _between(draw, lo, hi)
    end = None
    if _maybe(draw, 0.4):
        end = _between(draw, max(start, covering or start), latest)
    return {"start": start, "end": end}


def periods(earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> st.SearchStrategy[Period]:
    """Periods within the range, open (no end) or closed."""
    return _strategy(_period, earliest, latest).map(Period.model_validate)


def _personal(draw: st.DrawFn) -> dict[str, Any]:
    number = draw(st.integers(1, 99999))
    return {
        "name": f"Synthetic Person {number}",
        "date_of_birth": draw(st.dates(dt.date(1940, 1, 1), dt.date(1991, 12, 31))),
        "crn": draw(st.none() | st.just(f"X{number:06d}")),
    }


def personal_details() -> st.SearchStrategy[PersonalDetails]:
    """Identifying details, all synthetic ("Synthetic Person 123")."""
    return _strategy(_personal).map(PersonalDetails.model_validate)


def _offender(
    draw: st.DrawFn,
    earliest: dt.date,
    latest: dt.date,
    ppo_on: dt.date | None = None,
    ppo: bool | None = None,
) -> dict[str, Any]:
    """An offender; with ``ppo_on``, a PPO on that day exactly when ``ppo`` says."""
    is_ppo = draw(st.booleans()) if ppo is None else ppo
    spans: list[dict[str, Any]] = []
    if ppo_on is not None and is_ppo:
        spans.append(_period(draw, min(earliest, ppo_on), latest, covering=ppo_on))
    elif ppo_on is not None and _maybe(draw, 0.25):
        # a PPO before the day, or only after it: never on it
        if ppo_on > earliest and draw(st.booleans()):
            start = _between(draw, earliest, ppo_on - _days(1))
            spans.append({"start": start, "end": _between(draw, start, ppo_on - _days(1))})
        elif ppo_on < latest:
            spans.append({"start": _between(draw, ppo_on + _days(1), latest), "end": None})
    elif ppo_on is None and is_ppo:
        spans.append(_period(draw, earliest, latest))
    recorded = None
    if _maybe(draw, 0.5):
        recorded = _between(draw, earliest, latest)
    return {
        "sex": _optional(draw, st.sampled_from(Sex)),
        "ethnicity_code": _optional(draw, st.sampled_from(("W1", "W2", "A1", "B1", "M1", "O9"))),
        "ethnicity_recorded_on": recorded,
        "diversity_needs": draw(st.lists(st.sampled_from(DiversityNeed), max_size=2, unique=True)),
        "self_harm_risk": draw(st.booleans()),
        "drug_misuse": draw(st.booleans()),
        "skills_for_life_need": _optional(draw, st.booleans()),
        "ppo": spans,
    }


def offenders(
    earliest: dt.date = EARLIEST,
    latest: dt.date = LATEST,
    *,
    ppo_on: dt.date | None = None,
    ppo: bool | None = None,
) -> st.SearchStrategy[Offender]:
    """Offenders; with ``ppo_on``, a PPO on that day exactly when ``ppo`` is true."""
    return _strategy(_offender, earliest, latest, ppo_on, ppo).map(Offender.model_validate)


def _history(
    draw: st.DrawFn,
    *,
    start: dt.date,
    as_of: dt.date,
    first: Any,
    later: st.SearchStrategy[Any],
    field: str,
) -> list[dict[str, Any]]:
    """Records of which the first is the one in force at ``start`` (population.py's reading)."""
    d0 = min(start + _days(draw(st.integers(-10, 15))), as_of)
    records = [{field: first, "on": d0}]
    after = max(start, d0)
    if after < as_of:
        extra = draw(st.lists(st.dates(after + _days(1), as_of), max_size=2, unique=True))
        records.extend({field: draw(later), "on": day} for day in sorted(extra))
    return records


def _tier_record(draw: st.DrawFn, earliest: dt.date, latest: dt.date) -> dict[str, Any]:
    return {"tier": draw(st.sampled_from(Tier)), "on": _between(draw, earliest, latest)}


def tier_records(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[TierRecord]:
    """Tier allocations."""
    return _strategy(_tier_record, earliest, latest).map(TierRecord.model_validate)


def _risk_to() -> st.SearchStrategy[dict[RiskGroup, RohLevel]]:
    return st.dictionaries(st.sampled_from(RiskGroup), st.sampled_from(RohLevel), max_size=3)


def _roh_record(draw: st.DrawFn, earliest: dt.date, latest: dt.date) -> dict[str, Any]:
    return {
        "level": draw(st.sampled_from(RohLevel)),
        "on": _between(draw, earliest, latest),
        "risk_to": draw(_risk_to()),
    }


def roh_records(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[RohRecord]:
    """Risk of harm classifications."""
    return _strategy(_roh_record, earliest, latest).map(RohRecord.model_validate)


def _mappa(draw: st.DrawFn, earliest: dt.date, latest: dt.date) -> dict[str, Any]:
    days = draw(st.lists(st.dates(earliest, latest), max_size=2, unique=True))
    return {
        "category": _optional(draw, st.sampled_from(MappaCategory)),
        "levels": [{"level": draw(st.sampled_from(MappaLevel)), "on": d} for d in sorted(days)],
    }


def mappa_level_records(
    earliest: dt.date = EARLIEST, latest: dt.date = LATEST
) -> st.SearchStrategy[MappaLevelRecord]:
    """MAPPA levels, dated."""
    return st.builds(
        MappaLevelRecord, level=st.sampled_from(MappaLevel), on=st.dates(earliest, latest)
    )


def mappas(earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> st.SearchStrategy[Mappa]:
    """MAPPA arrangements, sometimes with no level recorded."""
    return _strategy(_mappa, earliest, latest).map(Mappa.model_validate)
