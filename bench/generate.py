"""Synthetic, valid case records for benchmarks: seeded and deterministic.

``case_record(seed, index, as_of)`` depends only on its arguments, so a run
of N cases can be generated in chunks (or in parallel) and is the same every
time. The mix is chosen so that most National Standards rules do real work:
community orders, licences and custody; every tier and RoH level; PPOs;
start, release, pre-release and periodic reviews (some late); significant
events; breaches; statutory victims; PSRs; transfers in; home visits;
approved premises; MAPPA; inductions; allocations; appointments and unpaid
work sessions. Everything is invented: no record describes a real person.

This generator belongs to the benchmarks; test suites have
``casework.testing`` for theirs.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

__all__ = ["case_record", "case_records"]

FIRST_START = dt.date(2005, 4, 1)
DAY = dt.timedelta(days=1)


def _iso(day: dt.date) -> str:
    return day.isoformat()


class _Case:
    """Builds one record, dropping any date after ``as_of``."""

    def __init__(
        self, seed: int, index: int, as_of: dt.date, *, interventions: bool = False
    ) -> None:
        self.rng = random.Random(seed * 1_000_003 + index)
        self.index = index
        self.as_of = as_of
        self.interventions = interventions

    def days(self, low: int, high: int) -> dt.timedelta:
        return self.rng.randint(low, high) * DAY

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def between(self, span: tuple[dt.date, dt.date]) -> dt.date:
        return span[0] + self.days(0, max((span[1] - span[0]).days, 1))

    def pick(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def build(self) -> dict[str, Any]:
        rng, as_of = self.rng, self.as_of
        kind = self.pick(
            {"community_order": 45, "suspended_sentence_order": 10, "licence": 35, "custody": 10}
        )
        span = (as_of - FIRST_START).days
        start = FIRST_START + self.days(0, span - 30)
        custodial = kind in {"licence", "custody"}
        sentence: dict[str, Any] = {"kind": kind}
        if kind == "licence":
            sentence["sentenced_on"] = _iso(start - self.days(90, 1500))
            sentence["released_on"] = _iso(start)
        else:
            sentence["sentenced_on"] = _iso(start)
        if custodial:
            sentence["custodial_months"] = rng.randint(3, 72)
            sentence["offence_category"] = self.pick(
                {"serious_violent": 20, "serious_sexual": 10, "other": 70}
            )
        end = as_of
        if not custodial or kind == "licence":
            length = self.days(180, 900)
            if start + length < as_of and self.chance(0.5):
                end = start + length
                sentence["termination"] = {"on": _iso(end), "reason": "completed"}
            sentence["ends_on"] = _iso(min(start + length, as_of))
        requirements = self._requirements(kind, start, end)
        if requirements:
            sentence["requirements"] = requirements

        tier = rng.choices([1, 2, 3, 4], weights=[10, 30, 35, 25])[0]
        level = self.pick({"low": 30, "medium": 45, "high": 20, "very_high": 5})
        high = level in {"high", "very_high"}
        roh_on = start + self.days(0, 10)
        roh = [{"level": level, "on": _iso(roh_on)}]
        if self.chance(0.15) and roh_on + self.days(60, 60) < end:
            roh.append(
                {"level": "high" if level != "high" else "medium", "on": _iso(roh_on + 60 * DAY)}
            )
        record: dict[str, Any] = {
            "reference": f"B{self.index:07d}",
            "as_of": _iso(as_of),
            "area": rng.choice(["North", "South", "East", "West"]),
            "sentence": sentence,
            "tiers": [{"tier": tier, "on": _iso(start + self.days(0, 5))}],
            "roh": [r for r in roh if r["on"] <= _iso(as_of)],
            "assessments": self._assessments(kind, start, end, level),
        }
        if self.chance(0.08):
            record["offender"] = {"ppo": [{"start": _iso(start - self.days(0, 300))}]}
        if high and self.chance(0.6):
            levels = [{"level": rng.randint(1, 3), "on": _iso(start + self.days(0, 20))}]
            record["mappa"] = {"levels": levels if self.chance(0.9) else []}
        self._supervision(record, (start, end), high)
        if self.interventions and kind != "custody" and self.chance(0.2):
            record["outcomes"] = {"employment": self._employment((start, end))}
        return self._clip(record)

    def _employment(self, span: tuple[dt.date, dt.date]) -> list[dict[str, Any]]:
        """One or two jobs or courses started during supervision, some ended within weeks
        (only with ``interventions``)."""
        episodes: list[dict[str, Any]] = []
        for _ in range(self.rng.randint(1, 2)):
            first = self.between(span)
            episode: dict[str, Any] = {
                "kind": self.pick({"employment": 3, "vocational_training": 1}),
                "started_on": _iso(first),
            }
            if self.chance(0.5):
                episode["ended_on"] = _iso(first + self.days(5, 120))
            episodes.append(episode)
        return episodes

    def _requirements(self, kind: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
        if kind not in {"community_order", "suspended_sentence_order"}:
            return []
        requirements: list[dict[str, Any]] = []
        if self.chance(0.45):
            upw: dict[str, Any] = {"kind": "unpaid_work", "hours": self.rng.randint(40, 300)}
            upw["commenced_on"] = _iso(start + self.days(3, 20))
            if self.chance(0.4):
                upw["completed_on"] = _iso(start + self.days(60, 200))
            requirements.append(upw)
        if self.interventions:
            requirements += self._interventions(start)
        if not requirements or self.chance(0.7):
            requirements.append({"kind": "supervision"})
        return requirements

    def _interventions(self, start: dt.date) -> list[dict[str, Any]]:
        """Accredited programmes (about a quarter of orders, a tenth of them with no
        category the rules can tell) and drug rehabilitation requirements (about one in
        eight), commenced, completed or retained at times (only with ``interventions``:
        the default file draws none of this)."""
        made: list[dict[str, Any]] = []
        if self.chance(0.25):
            programme: dict[str, Any] = {"kind": "accredited_programme"}
            programme["programme"] = self.pick(
                {"think_first": 3, "enhanced_thinking_skills": 3, "idap": 2, "sotp": 1,
                 "other": 1}
            )  # fmt: skip
            if self.chance(0.7):
                programme["commenced_on"] = _iso(start + self.days(20, 90))
                if self.chance(0.5):
                    programme["completed_on"] = _iso(start + self.days(120, 300))
            made.append(programme)
        if self.chance(0.12):
            drr: dict[str, Any] = {"kind": "drug_rehabilitation"}
            if self.chance(0.8):
                drr["commenced_on"] = _iso(start + self.days(1, 30))
                if self.chance(0.3):
                    retained = start + self.days(40, 200)
                    if retained <= self.as_of:  # (the record cannot know the future)
                        drr["retained_until"] = _iso(retained)
                elif self.chance(0.4):
                    drr["completed_on"] = _iso(start + self.days(200, 400))
            made.append(drr)
        return made

    def _assessments(
        self, kind: str, start: dt.date, end: dt.date, level: str
    ) -> list[dict[str, Any]]:
        needs_rmp = level != "low"
        out: list[dict[str, Any]] = []
        if kind in {"community_order", "suspended_sentence_order"} and self.chance(0.6):
            psr_day = _iso(start - self.days(5, 20))
            out.append(
                {
                    "id": "PSR",
                    "purpose": "psr",
                    "screening": {"completed_on": psr_day, "full_analysis_required": False},
                }
            )
        if kind == "licence" and self.chance(0.5):
            day = start - self.days(1, 20)
            out.append(self._parts("PRE", "review", day, needs_rmp, trigger="pre_release"))
        first = start + self.days(0, 25)
        out.append(self._parts("A", "release" if kind == "licence" else "start", first, needs_rmp))
        day, number = first, 0
        while True:
            day = day + self.days(70, 150)
            if day > end or number >= 12:
                break
            number += 1
            out.append(self._parts(f"R{number}", "review", day, needs_rmp, trigger="scheduled"))
        return out

    def _parts(
        self, aid: str, purpose: str, day: dt.date, rmp: bool, trigger: str | None = None
    ) -> dict[str, Any]:
        required = self.chance(0.35)
        record: dict[str, Any] = {
            "id": aid,
            "purpose": purpose,
            "completed_on": _iso(day + self.days(0, 3)),
            "screening": {"completed_on": _iso(day), "full_analysis_required": required},
        }
        if trigger is not None:
            record["trigger"] = trigger
        if required:
            if self.chance(0.85):
                record["full_analysis"] = {"completed_on": _iso(day + self.days(0, 8))}
            else:
                exemption: dict[str, Any] = {"exempted": True}
                if self.chance(0.5):
                    exemption["exemption_countersigned_on"] = _iso(day + self.days(0, 5))
                record["full_analysis"] = exemption
        if rmp and self.chance(0.85):
            record["rmp"] = {"completed_on": _iso(day + self.days(0, 6))}
        if self.chance(0.95):
            record["sentence_plan"] = {"completed_on": _iso(day + self.days(0, 10))}
        return record

    def _supervision(
        self, record: dict[str, Any], span: tuple[dt.date, dt.date], high: bool
    ) -> None:
        kind = record["sentence"]["kind"]
        in_community = kind != "custody"
        self._events(record, span, high)
        if in_community and self.chance(0.3):
            self._breaches(record, span)
        self._victims(record)
        if kind in {"community_order", "suspended_sentence_order"} and self.chance(0.6):
            self._psr(record, span[0])
        if in_community and self.chance(0.06) and (span[1] - span[0]).days > 30:
            self._transfer(record, span, high)
        start = span[0]
        if in_community and high and self.chance(0.7):
            record["home_visits"] = [
                {"on": _iso(start + self.days(2, 18)), "purpose": "risk_of_harm"}
            ]
        if kind == "licence" and high and self.chance(0.3):
            record["approved_premises"] = [{"arrived_on": _iso(start)}]
        staff = {"staff": f"S{self.rng.randint(1, 400)}", "role": self.rng.choice(["po", "pso"])}
        record["om_assignments"] = [{**staff, "start": _iso(start + self.days(0, 8))}]
        record["inductions"] = [{"on": _iso(start + self.days(0, 9)), "full": self.chance(0.9)}]
        if in_community:
            record["contacts"] = self._contacts(record["sentence"], span)

    def _events(self, record: dict[str, Any], span: tuple[dt.date, dt.date], high: bool) -> None:
        if not self.chance(0.25):
            return
        events = []
        kinds = ["significant_incident", "significant_change", "acute_risk_factor"]
        for _ in range(self.rng.randint(1, 2)):
            on = self.between(span)
            events.append({"on": _iso(on), "kind": self.rng.choice(kinds)})
            if self.chance(0.6):
                aid = f"E{len(record['assessments'])}"
                day = on + self.days(1, 15)
                review = self._parts(aid, "review", day, high, trigger="significant_incident")
                record["assessments"].append(review)
        record["events"] = events

    def _breaches(self, record: dict[str, Any], span: tuple[dt.date, dt.date]) -> None:
        breaches = []
        for _ in range(self.rng.randint(1, 3)):
            failed = self.between(span)
            breach: dict[str, Any] = {"failed_on": _iso(failed)}
            if self.chance(0.9):
                breach["action_on"] = _iso(failed + self.days(1, 15))
            if self.chance(0.8):
                breach["resolved_on"] = _iso(failed + self.days(10, 45))
            breaches.append(breach)
        record["breaches"] = breaches

    def _victims(self, record: dict[str, Any]) -> None:
        sentence = record["sentence"]
        if not (
            sentence["kind"] in {"custody", "licence"}
            and sentence["custodial_months"] >= 12
            and sentence["offence_category"] != "other"
        ):
            return
        sentenced = dt.date.fromisoformat(sentence["sentenced_on"])
        victims = []
        for number in range(self.rng.randint(1, 2)):
            victim: dict[str, Any] = {"id": f"V{number + 1}", "statutory": True}
            if self.chance(0.9):
                victim["contact_offered_on"] = _iso(sentenced + self.days(10, 70))
            victims.append(victim)
        record["victims"] = victims

    def _psr(self, record: dict[str, Any], start: dt.date) -> None:
        requested = start - self.days(10, 25)
        due = start - self.days(0, 3)
        psr: dict[str, Any] = {
            "kind": self.rng.choice(["fast_delivery", "standard_delivery"]),
            "requested_on": _iso(requested),
        }
        if self.chance(0.95):
            psr["due_on"] = _iso(due)
        psr["delivered_on"] = _iso(max(requested, due + self.days(-2, 2)))
        record["psr"] = psr

    def _transfer(self, record: dict[str, Any], span: tuple[dt.date, dt.date], high: bool) -> None:
        notified = span[0] + self.days(10, (span[1] - span[0]).days - 10)
        transfer: dict[str, Any] = {"notified_on": _iso(notified)}
        if self.chance(0.9):
            appointment = notified + self.days(1, 9)
            transfer["first_appointment_on"] = _iso(appointment)
            transfer["first_contact_on"] = _iso(appointment)
            if high:
                aid = f"T{len(record['assessments'])}"
                day = appointment + self.days(0, 9)
                record["assessments"].append(
                    self._parts(aid, "review", day, True, trigger="transfer")
                )
        if self.chance(0.7):
            transfer["home_visit_on"] = _iso(notified + self.days(3, 20))
        record["transfer_in"] = transfer

    def _contacts(
        self, sentence: dict[str, Any], span: tuple[dt.date, dt.date]
    ) -> list[dict[str, Any]]:
        contacts: list[dict[str, Any]] = []
        day = span[0]
        outcomes = {"attended": 85, "acceptable_absence": 8, "unacceptable_absence": 7}
        while len(contacts) < 30:
            day = day + self.days(5, 21 if len(contacts) < 12 else 35)
            if day > span[1]:
                break
            contacts.append({"on": _iso(day), "outcome": self.pick(outcomes)})
        for requirement in sentence.get("requirements", []):
            if requirement["kind"] == "unpaid_work":
                day = dt.date.fromisoformat(requirement["commenced_on"])
                for _ in range(self.rng.randint(2, 12)):
                    contacts.append({"on": _iso(day), "kind": "unpaid_work_session"})
                    day = day + self.days(3, 16)
        return contacts

    def _clip(self, record: dict[str, Any]) -> dict[str, Any]:
        """Drop anything dated after ``as_of`` (the record cannot know the future)."""
        limit = _iso(self.as_of)
        record["assessments"] = [
            _clip_assessment(a, limit) for a in record["assessments"] if _first(a) <= limit
        ]
        for key in (
            "events",
            "breaches",
            "home_visits",
            "contacts",
            "inductions",
            "om_assignments",
        ):
            if key in record:
                record[key] = [_clip_dates(item, limit) for item in record[key]]
                record[key] = [item for item in record[key] if item is not None]
        for key in ("victims",):
            if key in record:
                record[key] = [_clip_fields(item, limit) for item in record[key]]
        for key in ("psr", "transfer_in"):
            if key in record:
                record[key] = _clip_fields(record[key], limit)
                if any(
                    str(v) > limit
                    for k, v in record[key].items()
                    if k in {"requested_on", "notified_on"}
                ):
                    del record[key]
        sentence = record["sentence"]
        for requirement in sentence.get("requirements", []):
            _clip_fields(requirement, limit)
        if "outcomes" in record:
            kept = [e for e in record["outcomes"]["employment"] if e["started_on"] <= limit]
            record["outcomes"]["employment"] = [_clip_fields(e, limit) for e in kept]
        return record


_DATE_KEYS = {"on", "failed_on", "start"}


def _first(assessment: dict[str, Any]) -> str:
    dates = [
        v["completed_on"]
        for v in assessment.values()
        if isinstance(v, dict) and "completed_on" in v
    ]
    return min([assessment.get("completed_on", "9999"), *dates])


def _clip_assessment(assessment: dict[str, Any], limit: str) -> dict[str, Any]:
    if assessment.get("completed_on", "") > limit:
        del assessment["completed_on"]
    for key in ("screening", "full_analysis", "rmp", "sentence_plan"):
        part = assessment.get(key)
        if isinstance(part, dict):
            for field in ("completed_on", "exemption_countersigned_on"):
                if part.get(field, "") > limit:
                    del part[field]
    return assessment


def _clip_dates(item: dict[str, Any], limit: str) -> dict[str, Any] | None:
    for key in _DATE_KEYS & item.keys():
        if item[key] > limit:
            return None
    return _clip_fields(item, limit)


def _clip_fields(item: dict[str, Any], limit: str) -> dict[str, Any]:
    for key in [
        k for k, v in item.items() if k.endswith("_on") and isinstance(v, str) and v > limit
    ]:
        if key not in {"requested_on", "notified_on", "failed_on"}:
            del item[key]
    return item


def case_record(
    seed: int, index: int, as_of: dt.date, *, interventions: bool = False
) -> dict[str, Any]:
    """Case number ``index`` of the run seeded ``seed``, as read on ``as_of`` (a plain dict).
    ``interventions``: its order may carry programme and drug rehabilitation
    requirements, and its offender jobs or courses (employment episodes)."""
    return _Case(seed, index, as_of, interventions=interventions).build()


def case_records(
    seed: int, count: int, as_of: dt.date, start: int = 0, *, interventions: bool = False
) -> Iterator[dict[str, Any]]:
    """Cases ``start`` to ``start + count - 1`` of the run seeded ``seed``."""
    for index in range(start, start + count):
        yield case_record(seed, index, as_of, interventions=interventions)
