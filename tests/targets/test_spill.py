"""A tally that spills its listed units to disk reports, merges, pickles and renders exactly
as one holding them in memory; its files go where asked and are removed when it closes."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import pickle
import sys
import tempfile
from pathlib import Path

import cloudpickle
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import casework.performance
from casework import WorkingCalendar, load_cases
from casework._spill import SpillFile
from casework.cli import main
from casework.model import Case
from casework.performance import (
    Period,
    TargetReport,
    TargetTally,
    UnitList,
    UnitRef,
    target_performance,
)
from casework.report import target_report
from casework.report.document import _rstripped
from casework.report.output import FORMATS
from casework.rules import Finding, evaluate

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import case_records

AS_OF = dt.date(2008, 4, 11)
PERIOD = Period.financial_year(2007)
SETS = ("nps-2007-08", "nps-2005-06", "rom-east-of-england-2007-08")


@pytest.fixture(scope="module")
def cases(examples: Path) -> list[Case]:
    hand = load_cases(examples / "targets-cases.yaml").cases
    synthetic = [Case.model_validate(r) for r in case_records(11, 60, AS_OF)]
    return [*hand, *synthetic]


@pytest.fixture(scope="module")
def per_case(cases: list[Case], calendar: WorkingCalendar) -> dict[str, list[list[Finding]]]:
    from casework.rules.targets.catalogue import target_set

    return {
        name: [
            list(evaluate(case, target_set(name).ruleset, as_of=AS_OF, calendar=calendar).items)
            for case in cases
        ]
        for name in SETS
    }


def _spilled(
    name: str, cases: list[Case], calendar: WorkingCalendar, where: Path, size: int = 7
) -> TargetTally:
    tally = TargetTally.start(name, period=PERIOD, spill=True, spill_dir=where)
    for start in range(0, len(cases), size):
        tally.add_cases(cases[start : start + size], as_of=AS_OF, calendar=calendar)
    return tally


def _listed(report: TargetReport) -> list[tuple[str, str, object]]:
    return [
        (result.measure, field, getattr(result, field))
        for result in report
        for field in ("failed", "pending_units", "cannot_assess_units")
    ]


@pytest.mark.parametrize("name", SETS)
def test_a_spilled_tally_reports_as_one_in_memory(
    cases: list[Case], calendar: WorkingCalendar, tmp_path: Path, name: str
) -> None:
    whole = target_performance(cases, name, period=PERIOD, as_of=AS_OF, calendar=calendar)
    tally = _spilled(name, cases, calendar, tmp_path)
    report = tally.report(as_of=AS_OF)
    assert tally.spilled
    assert [path.suffix for path in tmp_path.iterdir()] == [".spill"]
    assert report == whole
    spilled = [(m, f, units) for m, f, units in _listed(report) if isinstance(units, UnitList)]
    assert spilled
    assert any(len(units) for _, _, units in spilled)
    for measure, field, units in spilled:
        assert tuple(units) == getattr(whole[measure], field)
    tally.close()
    assert not list(tmp_path.iterdir())
    listed = next(units for _, _, units in spilled if len(units))
    with pytest.raises(ValueError, match="closed"):
        list(listed)


@pytest.mark.parametrize("name", SETS)
def test_every_format_of_a_spilled_report_is_byte_identical(
    cases: list[Case], calendar: WorkingCalendar, tmp_path: Path, name: str
) -> None:
    whole = target_report(
        target_performance(cases, name, period=PERIOD, as_of=AS_OF, calendar=calendar),
        source="cases.yaml",
    )
    with _spilled(name, cases, calendar, tmp_path) as tally:
        report = target_report(tally.report(as_of=AS_OF), source="cases.yaml")
        for format_ in FORMATS:
            expected = whole.render(format_)
            assert report.render(format_) == expected, format_
            stream = io.StringIO()
            report.write(stream, format_)
            assert stream.getvalue() == expected, format_
        assert report.to_dict() == whole.to_dict()
    assert not list(tmp_path.iterdir())


def test_a_tally_spills_only_past_its_threshold(
    cases: list[Case], calendar: WorkingCalendar, tmp_path: Path
) -> None:
    whole = target_performance(cases, "nps-2007-08", period=PERIOD, as_of=AS_OF, calendar=calendar)
    units = sum(len(units) for _, _, units in _listed(whole))
    for after, spills in ((units * 10, False), (3, True)):
        tally = TargetTally.start("nps-2007-08", period=PERIOD, spill=after, spill_dir=tmp_path)
        tally.add_cases(cases, as_of=AS_OF, calendar=calendar)
        report = tally.report(as_of=AS_OF)
        assert report == whole
        assert tally.spilled is spills
        assert bool(list(tmp_path.iterdir())) is spills
        assert any(isinstance(u, UnitList) for _, _, u in _listed(report)) is spills
        tally.close()
    with pytest.raises(ValueError, match="spill is"):
        TargetTally.start("nps-2007-08", period=PERIOD, spill=-1)


def test_spill_files_go_to_the_temporary_directory_by_default(
    cases: list[Case], calendar: WorkingCalendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with TargetTally.start("nps-2007-08", period=PERIOD, spill=True) as tally:
        tally.add_cases(cases, as_of=AS_OF, calendar=calendar)
        assert [path.suffix for path in tmp_path.iterdir()] == [".spill"]
    assert not list(tmp_path.iterdir())


def _tally(name: str, parts: list[list[Finding]], partition: int, spill: object) -> TargetTally:
    tally = TargetTally.start(name, period=PERIOD, partition=partition, spill=spill)  # type: ignore[arg-type]
    for chunk in parts:
        tally.add(chunk)
    return tally


@given(data=st.data())
def test_a_merge_of_spilled_and_pickled_parts_equals_the_whole(
    per_case: dict[str, list[list[Finding]]], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(SETS), label="target set")
    findings = per_case[name]
    whole = target_performance([f for case in findings for f in case], name, period=PERIOD)
    cuts = sorted(data.draw(st.sets(st.integers(1, len(findings) - 1), max_size=5), label="cuts"))
    bounds = [0, *cuts, len(findings)]
    spills = st.sampled_from([False, True, 0, 5])
    tallies = [
        _tally(name, findings[a:b], index, data.draw(spills, label="spill"))
        for index, (a, b) in enumerate(itertools.pairwise(bounds))
    ]
    order = data.draw(st.permutations(range(len(tallies))), label="merge order")
    merged = tallies[order[0]]
    for index in order[1:]:
        other = tallies[index]
        if data.draw(st.booleans(), label="pickled"):  # as a Dask worker sends it
            other = pickle.loads(cloudpickle.dumps(other))
        merged = (
            merged.merge(other) if data.draw(st.booleans(), label="side") else other.merge(merged)
        )
    report = merged.report()
    assert report == whole
    assert _listed(report) == _listed(whole)
    for tally in tallies:
        tally.close()


def test_a_pickled_spilled_tally_reads_its_units_from_memory(
    cases: list[Case], calendar: WorkingCalendar, tmp_path: Path
) -> None:
    whole = target_performance(cases, "nps-2007-08", period=PERIOD, as_of=AS_OF, calendar=calendar)
    tally = _spilled("nps-2007-08", cases, calendar, tmp_path)
    copy = pickle.loads(cloudpickle.dumps(tally))
    pools = pickle.loads(pickle.dumps(tally.pools))  # plain pickle: the units' own parts
    tally.close()
    assert copy.report(as_of=AS_OF) == whole
    assert copy.pools == pools
    assert not copy.files()


def test_a_unit_list_is_a_read_only_sequence_equal_to_its_tuple(
    cases: list[Case], calendar: WorkingCalendar, tmp_path: Path
) -> None:
    with _spilled("nps-2007-08", cases, calendar, tmp_path) as tally:
        report = tally.report(as_of=AS_OF)
        units = max(
            (u for _, _, u in _listed(report) if isinstance(u, UnitList)), key=len, default=None
        )
        assert units is not None
        assert len(units) >= 3
        plain = tuple(units)
        assert units == plain
        assert plain == units
        assert units == list(plain)
        assert hash(units) == hash(plain)
        assert units != plain[:-1]
        assert units != "text"
        assert (units[0], units[1], units[-1]) == (plain[0], plain[1], plain[-1])
        assert units[1:3] == plain[1:3]
        assert units[::-1] == plain[::-1]
        assert plain[-1] in units
        assert UnitRef("nobody", None, "no reason") not in units
        with pytest.raises(IndexError):
            units[len(plain)]
        assert repr(units) == f"UnitList({len(plain)} units)"


@given(st.lists(st.sampled_from(["a", "b c", " ", "\n", "", "d \n", " \n ", "e\n\n"])))
def test_pieces_with_trailing_white_space_held_back_equal_the_whole_stripped(
    pieces: list[str],
) -> None:
    assert "".join(_rstripped(pieces)) == "".join(pieces).rstrip() + "\n"


@pytest.mark.parametrize("format_", FORMATS)
def test_the_command_writes_a_spilled_report_as_one_in_memory(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, format_: str
) -> None:
    args = ["targets", str(examples / "targets-cases.yaml"), "-s", "2007-08", "-f", format_]
    in_memory = CliRunner().invoke(main, args)
    monkeypatch.setattr(casework.performance, "SPILL_AFTER", 0)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    opened: list[SpillFile] = []

    class Recorded(SpillFile):
        def __init__(self, directory: str | None = None) -> None:
            super().__init__(directory)
            opened.append(self)

    monkeypatch.setattr(casework.performance, "SpillFile", Recorded)
    spilled = CliRunner().invoke(main, [*args, "-o", str(tmp_path / f"report.{format_}")])
    assert in_memory.exit_code == spilled.exit_code == 0
    written = (tmp_path / f"report.{format_}").read_text(encoding="utf-8")
    assert written == in_memory.stdout
    assert [path.name for path in tmp_path.iterdir()] == [f"report.{format_}"]
    assert len(opened) == 1
    assert opened[0].closed
