"""Target sets by name, read from ``casework/rules/data/targets-<name>.toml``.

A target set file has the set's name, title, year, version, reporting period,
sources and (for regional sets) areas, then one ``[[measures]]`` table per
target or measure::

    [[measures]]
    id = "N02"
    label = "Tier 4 OASys completed or updated within 5 days (excluding PPOs)"
    heading = "Protecting the Public"
    wording = "At least 90% of OASys assessments (...) (excluding PPOs)."
    source = "003:699"  # where the wording is printed
    published = "000:124"  # the row of the published results table
    aggregation = "proportion"  # proportion | mean | volume | change
    direction = "higher"  # higher | lower (is better)
    unit = "case"  # what one counted unit is
    threshold = "90%"  # or area_thresholds = { Essex = "85%", ... }
    rule = "NS07.oasys-tier4"  # the rule whose findings give the figure
    anchor = "start"  # the event that places a unit in a period

Thresholds are exact: percentages as ``"90%"``, other figures as integers or
decimal strings (``"12.1"``). Every file is checked when it is read; a
mistake is a :class:`TargetDataError` naming the file and the measure.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Mapping
from fractions import Fraction
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from casework.rules.targets.anchors import ANCHORS
from casework.rules.targets.measure import (
    Aggregation,
    Direction,
    Measure,
    NearMiss,
    NearMissReading,
    TargetSet,
    parse_figure,
)

__all__ = ["TargetDataError", "available_target_sets", "load_target_set", "target_set"]

_PREFIX = "targets-"
_SOURCE = re.compile(r"^\d{3}:\d+(-\d+)?$")
_SET_KEYS = {
    "name",
    "title",
    "year",
    "version",
    "period",
    "sources",
    "areas",
    "notes",
    "measures",
    "near_miss_readings",
}
_READING_KEYS = {"relative", "absolute", "source", "reproduces", "notes"}
_MEASURE_KEYS = {
    "id",
    "label",
    "wording",
    "source",
    "aggregation",
    "direction",
    "unit",
    "threshold",
    "area_thresholds",
    "area_sources",
    "rule",
    "anchor",
    "places",
    "heading",
    "block",
    "in_tally",
    "weighting",
    "published",
    "annex_wording",
    "annex_source",
    "counterpart",
    "notes",
    "version",
}
_REQUIRED = ("id", "label", "wording", "source", "aggregation", "direction", "unit")


class TargetDataError(ValueError):
    """A target set file that is malformed, located by file and measure."""


def _text(where: str, table: Mapping[str, Any], key: str, *, required: bool = True) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise TargetDataError(f"{where}: needs {key!r}")
        return None
    if not isinstance(value, str) or not value.strip():
        raise TargetDataError(f"{where}: {key!r} must be a non-empty string")
    return value


def _source(where: str, value: object, key: str) -> str:
    if not isinstance(value, str) or not _SOURCE.match(value):
        raise TargetDataError(f"{where}: {key} {value!r} is not 'NNN:line' (e.g. '003:699')")
    return value


def _figure(where: str, value: object, *, percent: bool) -> Fraction:
    if isinstance(value, float | bool) or not isinstance(value, int | str):
        raise TargetDataError(
            f"{where}: a threshold must be an integer or a string such as '90%' or '12.1' "
            f"(not {value!r})"
        )
    try:
        return parse_figure(value, percent=percent)
    except ValueError as exc:
        raise TargetDataError(f"{where}: {exc}") from None


def _measure(
    where: str, raw: Any, *, set_name: str, version: str, areas: tuple[str, ...]
) -> Measure:
    if not isinstance(raw, dict):
        raise TargetDataError(f"{where} must be a table")
    identifier = raw.get("id")
    where = f"{where} ({identifier})" if isinstance(identifier, str) else where
    unknown = set(raw) - _MEASURE_KEYS
    if unknown:
        raise TargetDataError(f"{where}: unknown keys {sorted(unknown)}")
    for key in _REQUIRED:
        _text(where, raw, key)
    try:
        aggregation = Aggregation(raw["aggregation"])
        direction = Direction(raw["direction"])
    except ValueError as exc:
        raise TargetDataError(f"{where}: {exc}") from None
    percent = aggregation in {Aggregation.PROPORTION, Aggregation.CHANGE}
    threshold = raw.get("threshold")
    area_thresholds = raw.get("area_thresholds", {})
    area_sources = raw.get("area_sources", {})
    for name, table in (("area_thresholds", area_thresholds), ("area_sources", area_sources)):
        if not isinstance(table, dict):
            raise TargetDataError(f"{where}: {name} must be a table of area = value")
        strangers = sorted(set(table) - set(areas))
        if strangers:
            raise TargetDataError(f"{where}: {name} names areas not in the set: {strangers}")
    rule_id, anchor = raw.get("rule"), raw.get("anchor")
    if (rule_id is None) != (anchor is None):
        raise TargetDataError(f"{where}: a rule and its anchor go together")
    if anchor is not None and anchor not in ANCHORS:
        raise TargetDataError(f"{where}: anchor {anchor!r} is not one of {sorted(ANCHORS)}")
    places = raw.get("places", 0)
    weighting = raw.get("weighting")
    if not isinstance(places, int) or isinstance(places, bool) or places < 0:
        raise TargetDataError(f"{where}: places must be a whole number")
    if weighting is not None and (not isinstance(weighting, int) or isinstance(weighting, bool)):
        raise TargetDataError(f"{where}: weighting must be a whole number")
    counterpart = raw.get("counterpart", [])
    if not isinstance(counterpart, list) or not all(isinstance(c, str) for c in counterpart):
        raise TargetDataError(f"{where}: counterpart must be a list of measure ids")
    return Measure(
        id=raw["id"],
        label=raw["label"],
        wording=raw["wording"],
        source=_source(where, raw["source"], "source"),
        aggregation=aggregation,
        direction=direction,
        unit=raw["unit"],
        version=_text(where, raw, "version", required=False) or version,
        target_set=set_name,
        threshold=(
            None if threshold is None else _figure(f"{where} threshold", threshold, percent=percent)
        ),
        area_thresholds={
            area: _figure(f"{where} area_thresholds.{area}", value, percent=percent)
            for area, value in area_thresholds.items()
        },
        area_sources={
            area: _source(where, value, f"area_sources.{area}")
            for area, value in area_sources.items()
        },
        rule_id=rule_id,
        anchor=anchor,
        places=places,
        heading=_text(where, raw, "heading", required=False),
        block=_text(where, raw, "block", required=False),
        in_tally=bool(raw.get("in_tally", True)),
        weighting=weighting,
        published=(
            None if raw.get("published") is None else _source(where, raw["published"], "published")
        ),
        annex_wording=_text(where, raw, "annex_wording", required=False),
        annex_source=(
            None
            if raw.get("annex_source") is None
            else _source(where, raw["annex_source"], "annex_source")
        ),
        counterpart=tuple(counterpart),
        notes=_text(where, raw, "notes", required=False) or "",
    )


def _readings(origin: str, raw: object) -> tuple[NearMissReading, ...]:
    """``[near_miss_readings.NAME]`` tables: one tolerance (relative or absolute) each."""
    if not isinstance(raw, dict):
        raise TargetDataError(f"{origin}: near_miss_readings must be a table of named readings")
    readings = []
    for name, table in raw.items():
        where = f"{origin}: near_miss_readings.{name}"
        if not isinstance(table, dict):
            raise TargetDataError(f"{where} must be a table")
        unknown = set(table) - _READING_KEYS
        if unknown:
            raise TargetDataError(f"{where}: unknown keys {sorted(unknown)}")
        given = [key for key in ("relative", "absolute") if key in table]
        if len(given) != 1:
            raise TargetDataError(f"{where}: give one of relative or absolute")
        try:
            tolerance = (
                NearMiss.relative(table["relative"])
                if given == ["relative"]
                else NearMiss.absolute(table["absolute"])
            )
        except (TypeError, ValueError) as exc:
            raise TargetDataError(f"{where}: {exc}") from None
        readings.append(
            NearMissReading(
                name=name,
                tolerance=tolerance,
                source=_source(where, table.get("source"), "source"),
                reproduces=_text(where, table, "reproduces") or "",
                notes=_text(where, table, "notes", required=False) or "",
            )
        )
    return tuple(readings)


def load_target_set(text: str, origin: str = "<target set>") -> TargetSet:
    """A target set from the text of a target set file (see module notes)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TargetDataError(f"{origin}: not valid TOML: {exc}") from None
    unknown = set(document) - _SET_KEYS
    if unknown:
        raise TargetDataError(f"{origin}: unknown keys {sorted(unknown)}")
    for key in ("name", "title", "year", "version"):
        _text(origin, document, key)
    period = document.get("period")
    if (
        not isinstance(period, list)
        or len(period) != 2
        or not all(isinstance(day, dt.date) for day in period)
        or period[1] < period[0]
    ):
        raise TargetDataError(f"{origin}: period must be [first day, last day]")
    sources = document.get("sources", [])
    areas = document.get("areas", [])
    if not isinstance(areas, list) or not all(isinstance(a, str) for a in areas):
        raise TargetDataError(f"{origin}: areas must be a list of names")
    raw_measures = document.get("measures", [])
    if not isinstance(raw_measures, list) or not raw_measures:
        raise TargetDataError(f"{origin}: needs at least one [[measures]] table")
    measures = tuple(
        _measure(
            f"{origin}: measures[{index}]",
            raw,
            set_name=document["name"],
            version=document["version"],
            areas=tuple(areas),
        )
        for index, raw in enumerate(raw_measures)
    )
    seen: set[str] = set()
    for measure in measures:
        if measure.id in seen:
            raise TargetDataError(f"{origin}: measure {measure.id!r} appears twice")
        seen.add(measure.id)
    return TargetSet(
        name=document["name"],
        title=document["title"],
        year=document["year"],
        version=document["version"],
        period_start=period[0],
        period_end=period[1],
        sources=tuple(_source(origin, s, "source") for s in sources),
        measures=measures,
        areas=tuple(areas),
        notes=str(document.get("notes", "")),
        near_miss_readings=_readings(origin, document.get("near_miss_readings", {})),
    )


def _files() -> dict[str, Traversable]:
    folder = resources.files("casework.rules") / "data"
    return {
        entry.name.removeprefix(_PREFIX).removesuffix(".toml"): entry
        for entry in folder.iterdir()
        if entry.name.startswith(_PREFIX) and entry.name.endswith(".toml")
    }


def available_target_sets() -> tuple[str, ...]:
    """Names of every target set casework ships."""
    return tuple(sorted(_files()))


@functools.cache
def target_set(name: str) -> TargetSet:
    """The target set called ``name``: ``"nps-2005-06"``, ``"nps-2007-08"`` or
    ``"rom-east-of-england-2007-08"``; a national set also by its year alone
    (``"2007-08"``), as the command line takes it."""
    files = _files()
    if name not in files and f"nps-{name}" in files:
        name = f"nps-{name}"
    if name not in files:
        known = ", ".join(sorted(files))
        raise KeyError(f"no target set named {name!r}; known: {known}")
    return _shipped_target_set(name)


@functools.cache
def _shipped_target_set(name: str) -> TargetSet:
    """The shipped set ``name``, read once whichever name it was asked for by."""
    entry = _files()[name]
    loaded = load_target_set(entry.read_text(encoding="utf-8"), entry.name)
    if loaded.name != name:
        raise TargetDataError(f"{entry.name}: the file names the set {loaded.name!r}")
    return loaded
