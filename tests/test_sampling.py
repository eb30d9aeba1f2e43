"""Drawing an inspection's case sample (004:951): eligibility, draw, top-ups, explanations."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from casework import Case, load_cases, sample_cases
from casework.cli import main
from casework.report import sample_report
from casework.sampling import (
    CaseSample,
    SampleFacts,
    SampleType,
    case_types,
    ineligibility,
    managed_since,
    offender_manager,
    sample_facts,
    sample_from_facts,
)
from casework.testing import make_case
from casework.testing.synthetic import generate_records
from casework.text import percent
from tests.conftest import console_script

AS_OF = dt.date(2007, 10, 15)
KINDS = ("community_order", "suspended_sentence_order", "licence", "custody")


def build(
    number: int,
    *,
    kind: str = "community_order",
    days: int = 180,
    roh: str | None = None,
    ppo: bool = False,
    ap: bool = False,
    victim: bool = False,
    ethnicity: str | None = None,
    manager: str | None = None,
    ended: bool = False,
) -> Case:
    """A case whose management started ``days`` before AS_OF, with the facts named."""
    start = AS_OF - dt.timedelta(days=days)
    sentence: dict[str, Any] = {"kind": kind, "sentenced_on": start.isoformat()}
    if kind == "licence":
        sentence = {
            "kind": kind,
            "sentenced_on": (start - dt.timedelta(days=200)).isoformat(),
            "released_on": start.isoformat(),
        }
    if ended:
        sentence["termination"] = {
            "on": (AS_OF - dt.timedelta(days=1)).isoformat(),
            "reason": "completed",
        }
    facts: dict[str, Any] = {
        "reference": f"S-{number:04d}",
        "sentence": sentence,
        "tiers": [{"tier": 2, "on": start.isoformat()}],
        "offender": {"ethnicity_code": ethnicity},
    }
    if roh:
        facts["roh"] = [{"level": roh, "on": start.isoformat()}]
    if ppo:
        facts["offender"]["ppo"] = [{"start": start.isoformat()}]
    if ap:
        facts["approved_premises"] = [{"arrived_on": start.isoformat()}]
    if victim:
        facts["victims"] = [{"id": "V1", "statutory": True}]
    if manager:
        facts["om_assignments"] = [{"staff": manager, "role": "po", "start": start.isoformat()}]
    return make_case(**facts)


def count(sample: CaseSample, kind: SampleType) -> int:
    return sum(kind in case_types(case, sample.as_of) for case in sample.cases)


# ---------------------------------------------------------------- eligibility


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (dt.date(2007, 5, 15), None),  # exactly five months
        (dt.date(2007, 5, 16), "too_recent"),  # a day short of five months
        (dt.date(2007, 3, 15), None),  # exactly seven months
        (dt.date(2007, 3, 14), "too_long"),  # a day over seven months
    ],
)
def test_the_window_counts_whole_calendar_months_inclusive(
    start: dt.date, expected: str | None
) -> None:
    case = build(1, days=(AS_OF - start).days)
    assert ineligibility(case, AS_OF) == expected


def test_a_wider_window_takes_more_cases() -> None:
    case = build(1, days=130)  # four months and a bit
    assert ineligibility(case, AS_OF) == "too_recent"
    assert ineligibility(case, AS_OF, managed_months=(4, 8)) is None


def test_an_ended_order_is_not_eligible() -> None:
    assert ineligibility(build(1, ended=True), AS_OF) == "ended"


def test_a_case_not_yet_started_is_not_eligible() -> None:
    assert ineligibility(build(1), dt.date(2007, 3, 1)) == "not_started"


def test_a_licence_is_counted_from_release_and_can_be_counted_from_allocation() -> None:
    case = build(1, kind="licence", days=180)
    assert managed_since(case) == AS_OF - dt.timedelta(days=180)
    allocated = case.model_copy(
        update={
            "om_assignments": make_case(
                om_assignments=[{"staff": "OM1", "role": "po", "start": "2007-01-02"}]
            ).om_assignments
        }
    )
    assert managed_since(allocated, managed_from="allocation") == dt.date(2007, 1, 2)
    assert ineligibility(allocated, AS_OF, managed_from="allocation") == "too_long"
    assert ineligibility(allocated, AS_OF) is None
    # no allocation recorded: the start counts
    assert managed_since(case, managed_from="allocation") == managed_since(case)


# ---------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("facts", "kind", "expected"),
    [
        ({"roh": "high"}, SampleType.HIGH_ROH, True),
        ({"roh": "very_high"}, SampleType.HIGH_ROH, True),
        ({"roh": "medium"}, SampleType.HIGH_ROH, False),
        ({"ppo": True}, SampleType.PPO, True),
        ({"ap": True}, SampleType.APPROVED_PREMISES, True),
        ({"victim": True}, SampleType.STATUTORY_VICTIM, True),
        ({"ethnicity": "B1"}, SampleType.BME, True),
        ({"ethnicity": "A2"}, SampleType.BME, True),
        ({"ethnicity": "M1"}, SampleType.BME, True),
        ({"ethnicity": "O9"}, SampleType.BME, True),
        ({"ethnicity": "W1"}, SampleType.BME, False),
        ({"ethnicity": "W2"}, SampleType.BME, False),
        ({"ethnicity": "Z1"}, SampleType.BME, False),
        ({}, SampleType.BME, False),
        ({"kind": "suspended_sentence_order"}, SampleType.COMMUNITY, True),
        ({"kind": "licence"}, SampleType.LICENCE, True),
        ({"kind": "custody"}, SampleType.CUSTODY, True),
        ({"kind": "custody"}, SampleType.COMMUNITY, False),
    ],
)
def test_what_counts_for_each_type(facts: dict[str, Any], kind: SampleType, expected: bool) -> None:
    assert (kind in case_types(build(1, **facts), AS_OF)) is expected


def test_types_are_read_as_at_the_sampling_date() -> None:
    case = build(1, roh="high", ppo=True, ap=True, days=30)
    earlier = AS_OF - dt.timedelta(days=60)
    assert case_types(case, earlier) == {SampleType.COMMUNITY}


def test_the_offender_manager_is_the_one_in_post_on_the_date() -> None:
    case = make_case(
        om_assignments=[
            {"staff": "OM1", "role": "po", "start": "2007-06-01", "end": "2007-08-31"},
            {"staff": "OM2", "role": "pso", "start": "2007-09-01"},
            {"staff": "VLO", "role": "vlo", "start": "2007-09-02"},
        ]
    )
    assert offender_manager(case, AS_OF) == "OM2"
    assert offender_manager(case, dt.date(2007, 7, 1)) == "OM1"
    assert offender_manager(case, dt.date(2007, 5, 1)) is None


# ---------------------------------------------------------------- the draw


def test_a_random_draw_of_the_size_asked_from_eligible_cases_only() -> None:
    cases = [build(n) for n in range(1, 31)] + [build(n, days=40) for n in range(31, 41)]
    drawn = sample_cases(cases, as_of=AS_OF, size=12, minimums={}, seed=1)
    assert len(drawn.cases) == 12
    assert drawn.eligible == 30
    assert drawn.ineligible == {"too_recent": 10}
    assert all(entry.origin == "random" for entry in drawn.entries)
    assert all(int(ref[2:]) <= 30 for ref in drawn.references)
    assert (
        drawn.references
        != sample_cases(cases, as_of=AS_OF, size=12, minimums={}, seed=2).references
    )


def test_top_ups_meet_a_minimum_the_draw_missed_and_say_so() -> None:
    cases = [build(n) for n in range(1, 41)] + [build(n, ppo=True) for n in range(41, 44)]
    drawn = sample_cases(cases, as_of=AS_OF, size=5, max_size=10, minimums={"ppo": 3}, seed=4)
    assert count(drawn, SampleType.PPO) == 3
    added = drawn.added
    assert len(drawn.cases) == 5 + len(added)
    assert all(e.added_for is SampleType.PPO and e.displaced is None for e in added)
    ppo = next(row for row in drawn.composition if row.type is SampleType.PPO)
    assert (ppo.drawn_at_random + ppo.added, ppo.in_sample, ppo.met) == (3, 3, True)
    assert ppo.eligible == 3


def test_at_the_maximum_size_a_top_up_displaces_a_random_case() -> None:
    cases = [build(n) for n in range(1, 41)] + [build(n, ap=True) for n in range(41, 45)]
    drawn = sample_cases(
        cases, as_of=AS_OF, size=6, max_size=6, minimums={"approved_premises": 4}, seed=3
    )
    assert len(drawn.cases) == 6
    assert count(drawn, SampleType.APPROVED_PREMISES) == 4
    assert len(drawn.displaced) == len(drawn.added) > 0
    for move in drawn.displaced:
        assert move.reference not in drawn.references
        assert move.by in drawn.references
        assert move.minimum is SampleType.APPROVED_PREMISES
    assert [e.displaced for e in drawn.added] == [d.reference for d in drawn.displaced]
    assert [e.step for e in drawn.added] == list(range(1, len(drawn.added) + 1))


def test_a_minimum_larger_than_the_population_takes_every_case_of_the_type() -> None:
    cases = [build(n) for n in range(1, 21)] + [build(21, kind="custody")]
    drawn = sample_cases(cases, as_of=AS_OF, size=5, minimums={"custody": 3}, seed=0)
    assert "S-0021" in drawn.references
    [unmet] = drawn.unmet
    assert (unmet.type, unmet.minimum, unmet.achieved, unmet.reason) == (
        SampleType.CUSTODY,
        3,
        1,
        "population",
    )


def test_minimums_that_cannot_all_fit_are_reported_as_a_size_problem() -> None:
    cases = [build(n, ppo=True) for n in range(1, 6)] + [build(n, ap=True) for n in range(6, 11)]
    drawn = sample_cases(
        cases,
        as_of=AS_OF,
        size=4,
        max_size=4,
        minimums={"ppo": 3, "approved_premises": 3},
        seed=5,
    )
    assert len(drawn.cases) == 4
    reasons = {u.type: u.reason for u in drawn.unmet}
    assert set(reasons.values()) == {"size_cap"}
    assert any("add up to 6" in note for note in drawn.notes)


def test_the_cap_per_offender_manager_holds() -> None:
    cases = [build(n, manager=f"OM{n % 3}") for n in range(1, 31)]
    drawn = sample_cases(cases, as_of=AS_OF, size=9, per_manager=3, minimums={}, seed=2)
    assert Counter(e.offender_manager for e in drawn.entries) == {"OM0": 3, "OM1": 3, "OM2": 3}
    smaller = sample_cases(cases, as_of=AS_OF, size=9, per_manager=2, minimums={}, seed=2)
    assert len(smaller.cases) == 6
    assert any("cap per offender manager" in note for note in smaller.notes)


def test_a_minimum_the_cap_blocks_is_explained() -> None:
    cases = [build(n, manager="OM0") for n in range(1, 11)]
    cases += [build(n, victim=True, manager="OM0") for n in range(11, 13)]
    drawn = sample_cases(
        cases, as_of=AS_OF, size=1, per_manager=1, minimums={"statutory_victim": 2}, seed=2
    )
    assert len(drawn.cases) == 1
    [unmet] = drawn.unmet
    assert (unmet.type, unmet.reason) == (SampleType.STATUTORY_VICTIM, "manager_cap")
    assert "already have 1 case in" in unmet.explanation


def test_a_top_up_at_the_cap_displaces_a_random_case_of_the_same_manager() -> None:
    cases = [build(n, manager="OM0") for n in range(1, 11)]
    cases.append(build(11, victim=True, manager="OM0"))
    moves = []
    for seed in range(6):
        drawn = sample_cases(
            cases, as_of=AS_OF, size=1, per_manager=1, minimums={"statutory_victim": 1}, seed=seed
        )
        assert drawn.references == ("S-0011",)
        assert drawn.unmet == ()
        moves += drawn.displaced
    assert moves
    assert {move.because for move in moves} == {"per_manager"}


def test_stratified_draw_keeps_the_mix_of_sentences() -> None:
    cases = [build(n) for n in range(1, 61)]
    cases += [build(n, kind="licence") for n in range(61, 91)]
    cases += [build(n, kind="custody") for n in range(91, 101)]
    drawn = sample_cases(cases, as_of=AS_OF, size=20, minimums={}, seed=8)
    groups = Counter(e.types[-1] for e in drawn.entries)
    assert groups == {SampleType.COMMUNITY: 12, SampleType.LICENCE: 6, SampleType.CUSTODY: 2}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"size": 0}, "at least 1"),
        ({"size": 10, "max_size": 9}, "max_size"),
        ({"managed_months": (7, 5)}, "managed_months"),
        ({"per_manager": 0}, "offender manager"),
        ({"minimums": {"tall": 3}}, "unknown sample type"),
        ({"minimums": {"ppo": -1}}, "0 or more"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sample_cases([build(1)], as_of=AS_OF, **options)


def test_two_cases_with_one_reference_are_refused() -> None:
    with pytest.raises(ValueError, match="more than one case"):
        sample_cases([build(1), build(1, ppo=True)], as_of=AS_OF)


def test_the_facts_of_a_case_are_what_the_draw_reads() -> None:
    eligible = build(1, roh="very_high", ppo=True, manager="OM-7", ethnicity=None)
    facts = sample_facts(eligible, AS_OF)
    assert facts == SampleFacts(
        "S-0001",
        None,
        case_types(eligible, AS_OF),
        frozenset({SampleType.BME}),  # (no REM code: unknown)
        "OM-7",
    )
    assert SampleType.HIGH_ROH in facts.types
    ended = build(2, ended=True, ppo=True)
    assert sample_facts(ended, AS_OF) == SampleFacts("S-0002", "ended")
    assert sample_facts(build(3, days=400), AS_OF, managed_months=(5, 20)).ineligible is None


def test_a_sample_drawn_from_the_facts_is_the_sample_of_the_cases() -> None:
    """:func:`sample_from_facts` of the cases' facts (in any order, read once) gives the
    sample :func:`sample_cases` gives, entry for entry, without the cases."""
    cases = [
        build(n, kind=KINDS[n % 4], roh="high" if n % 6 == 0 else "low", ppo=n % 7 == 0,
              manager=f"OM-{n % 5}", ended=n % 11 == 0, days=150 + n % 90)
        for n in range(1, 200)
    ]  # fmt: skip
    options: dict[str, Any] = {"as_of": AS_OF, "size": 20, "seed": 4, "per_manager": 5}
    kept = sample_cases((case for case in cases), **options)
    drawn = sample_from_facts((sample_facts(case, AS_OF) for case in reversed(cases)), **options)
    assert drawn.cases == ()
    assert kept.cases
    assert drawn.references == kept.references
    for field in ("entries", "displaced", "composition", "unmet", "notes", "ineligible"):
        assert getattr(drawn, field) == getattr(kept, field), field
    assert (drawn.population, drawn.eligible) == (kept.population, kept.eligible)
    with pytest.raises(ValueError, match="without the cases"):
        drawn.save_cases(io.StringIO(), format="json")
    twice = [sample_facts(build(1), AS_OF), sample_facts(build(1, ppo=True), AS_OF)]
    with pytest.raises(ValueError, match="more than one case"):
        sample_from_facts(twice, as_of=AS_OF)


# ---------------------------------------------------------------- properties


@st.composite
def caseloads(draw: st.DrawFn) -> list[Case]:
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(KINDS),
                st.integers(100, 260),
                st.sampled_from([None, "low", "high", "very_high"]),
                st.booleans(),
                st.booleans(),
                st.booleans(),
                st.sampled_from([None, "W1", "B1", "A1"]),
                st.sampled_from([None, "OM1", "OM2", "OM3"]),
            ),
            max_size=40,
        )
    )
    return [
        build(
            number,
            kind=kind,
            days=days,
            roh=roh,
            ppo=ppo,
            ap=ap,
            victim=victim,
            ethnicity=ethnicity,
            manager=manager,
        )
        for number, (kind, days, roh, ppo, ap, victim, ethnicity, manager) in enumerate(rows)
    ]


minimums_st = st.dictionaries(st.sampled_from(list(SampleType)), st.integers(0, 6))


@given(
    cases=caseloads(),
    minimums=minimums_st,
    size=st.integers(1, 15),
    spare=st.integers(0, 10),
    seed=st.integers(0, 2**32),
)
def test_sample_properties(
    cases: list[Case], minimums: dict[SampleType, int], size: int, spare: int, seed: int
) -> None:
    drawn = sample_cases(
        cases, as_of=AS_OF, size=size, max_size=size + spare, minimums=minimums, seed=seed
    )
    eligible = [case for case in cases if ineligibility(case, AS_OF) is None]
    refs = drawn.references
    # no case twice, eligible cases only, size within bounds
    assert len(set(refs)) == len(refs)
    assert set(refs) <= {case.reference for case in eligible}
    assert min(size, len(eligible)) <= len(refs) <= size + spare
    # every minimum the population can meet is met (when the minimums fit the size)
    population = Counter(t for case in eligible for t in case_types(case, AS_OF))
    targets = {t: min(n, population[t]) for t, n in minimums.items()}
    unmet = {u.type for u in drawn.unmet}
    for kind, minimum in minimums.items():
        achieved = count(drawn, kind)
        if sum(targets.values()) <= size + spare:
            assert achieved >= targets[kind]
        assert (achieved < minimum) == (kind in unmet)


@given(
    cases=caseloads(),
    minimums=minimums_st,
    seed=st.integers(0, 2**32),
    per_manager=st.none() | st.integers(1, 4),
    data=st.data(),
)
def test_shuffling_the_input_does_not_change_the_sample(
    cases: list[Case],
    minimums: dict[SampleType, int],
    seed: int,
    per_manager: int | None,
    data: st.DataObject,
) -> None:
    shuffled = data.draw(st.permutations(cases))
    options: dict[str, Any] = {
        "as_of": AS_OF,
        "size": 8,
        "max_size": 10,
        "minimums": minimums,
        "seed": seed,
        "per_manager": per_manager,
    }
    first = sample_cases(cases, **options)
    assert sample_cases(shuffled, **options).to_dict() == first.to_dict()
    if per_manager is not None:
        managers = Counter(e.offender_manager for e in first.entries if e.offender_manager)
        assert all(n <= per_manager for n in managers.values())


# ---------------------------------------------------------------- report


def test_the_report_explains_each_adjustment_in_every_format() -> None:
    cases = [build(n) for n in range(1, 41)] + [build(n, ap=True) for n in range(41, 45)]
    drawn = sample_cases(
        cases, as_of=AS_OF, size=6, max_size=6, minimums={"approved_premises": 4, "ppo": 1}, seed=3
    )
    report = sample_report(drawn, source="caseload.json")
    text = report.render("text")
    for move in drawn.displaced:
        assert move.reference in text
    assert "ppo: 0 of the 1 asked for" in text
    data = json.loads(report.render("json"))
    assert data["kind"] == "sample"
    assert data["displaced"] == [d.to_dict() for d in drawn.displaced]
    assert [row["reference"] for row in data["cases"]] == list(drawn.references)
    assert {row["type"]: row["in_sample"] for row in data["composition"]}["approved_premises"] == 4
    assert report.render("csv").count("\n") == len(drawn.cases) + 1
    assert "<table" in report.render("html")


def test_the_sampled_cases_are_written_as_a_case_file(tmp_path: Path) -> None:
    cases = [build(n, roh="high" if n % 5 == 0 else "low") for n in range(1, 31)]
    drawn = sample_cases(cases, as_of=AS_OF, size=10, seed=6)
    path = tmp_path / "sample.json"
    assert drawn.save_cases(path) == len(drawn.cases)
    assert tuple(load_cases(path).cases) == drawn.cases


# ---------------------------------------------------------------- command line


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*console_script(), *args], capture_output=True, text=True, check=False, cwd=cwd
    )


def test_casework_sample_draws_from_an_area_caseload_and_the_sample_scores(
    tmp_path: Path,
) -> None:
    """Done when (issue 14): 5,000 synthetic cases in, a sample meeting its minimums out,
    every adjustment explained, and the drawn file scored by ``casework score``."""
    records = generate_records("caseload", seed=14, size=5000)
    (tmp_path / "caseload.json").write_text(json.dumps(records), encoding="utf-8")
    drawn = run(
        "sample", "caseload.json", "--seed", "7", "--minimum", "custody=10",
        "--minimum", "approved_premises=12", "--cases", "drawn.json", "-f", "json",
        cwd=tmp_path,
    )  # fmt: skip
    assert drawn.returncode == 0, drawn.stderr
    report = json.loads(drawn.stdout)
    assert report["population"] == 5000
    assert 0 < report["eligible"] < 5000
    assert report["unmet"] == []
    assert all(row["met"] for row in report["composition"])
    added = [row for row in report["cases"] if row["origin"] == "minimum"]
    assert added, "the minimums asked for need top-ups from this caseload"
    assert all(row["added_for"] in report["minimums"] for row in added)
    assert {row["added_for"] for row in added} >= {"custody", "approved_premises"}
    assert 110 <= report["sampled"] <= 120
    written = load_cases(tmp_path / "drawn.json")
    assert [case.reference for case in written.cases] == [
        row["reference"] for row in report["cases"]
    ]

    scored = run("score", "drawn.json", "-f", "json", cwd=tmp_path)
    assert scored.returncode == 0, scored.stderr
    card = json.loads(scored.stdout)
    assert card["records"]["accepted"] == report["sampled"]


def test_casework_sample_streams_the_file_and_writes_the_cases_drawn(tmp_path: Path) -> None:
    """``casework sample`` reads the file a chunk at a time, keeping each case's facts, and
    reads it again for the cases drawn: the same sample and the same case file as
    :func:`sample_cases` of the whole file, rejected records counted (exit 1)."""
    records = generate_records("caseload", seed=5, size=2500)
    lines = [json.dumps(record) for record in records]
    lines.insert(700, '{"reference": "BROKEN"}')
    (tmp_path / "caseload.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "sample", str(tmp_path / "caseload.jsonl"), "--seed", "9", "--per-manager", "4",
            "--cases", str(tmp_path / "drawn.jsonl"), "-f", "json",
        ],
    )  # fmt: skip
    assert result.exit_code == 1, result.stderr
    assert "1 rejected" in result.stderr
    report = json.loads(result.stdout)
    assert report["records"] == {"read": 2501, "accepted": 2500, "rejected": 1}
    loaded = load_cases(tmp_path / "caseload.jsonl")
    whole = sample_cases(loaded.cases, as_of=loaded.cases[0].as_of, seed=9, per_manager=4)
    assert report["cases"] == [entry.to_dict() for entry in whole.entries]
    assert report["population"] == whole.population == 2500
    assert tuple(load_cases(tmp_path / "drawn.jsonl").cases) == whole.cases


def test_a_case_drawn_that_is_gone_on_the_second_read_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--cases`` reads the file again for the cases drawn: one no longer in it (the file
    changed in between) is said in one line, exit 1."""
    from casework import sampling

    records = generate_records("caseload", seed=5, size=300)
    path = tmp_path / "caseload.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records) + "\n", encoding="utf-8")
    real = sampling.sample_from_facts

    def with_a_ghost(*args: Any, **kwargs: Any) -> CaseSample:
        drawn = real(*args, **kwargs)
        ghost = attrs.evolve(drawn.entries[0], reference="ZZZ-GONE")
        return attrs.evolve(drawn, entries=(*drawn.entries, ghost))

    monkeypatch.setattr(sampling, "sample_from_facts", with_a_ghost)
    result = CliRunner().invoke(
        main, ["sample", str(path), "--cases", str(tmp_path / "drawn.json")]
    )
    assert result.exit_code == 1
    assert "changed while it was read: 1 of the cases drawn" in result.stderr
    assert not (tmp_path / "drawn.json").exists()


def test_casework_sample_asks_for_a_date_when_the_cases_differ(tmp_path: Path) -> None:
    records = generate_records("caseload", seed=5, size=3)
    records[2]["as_of"] = "2008-06-30"
    path = tmp_path / "caseload.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sample", str(path)])
    assert result.exit_code == 2
    assert "more than one date" in result.stderr
    assert "--as-of" in result.stderr


def test_casework_sample_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    records = generate_records("caseload", seed=3, size=300)
    (tmp_path / "caseload.json").write_text(json.dumps(records), encoding="utf-8")
    runner = CliRunner()
    args = ["sample", str(tmp_path / "caseload.json"), "--size", "40", "--seed"]
    first = runner.invoke(main, [*args, "5"])
    assert first.exit_code == 0, first.stderr
    assert "Composition against the eligible population" in first.stdout
    assert runner.invoke(main, [*args, "5"]).stdout == first.stdout
    assert runner.invoke(main, [*args, "6"]).stdout != first.stdout


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--minimum", "tall=3"], "--minimum"),
        (["--minimum", "ppo"], "--minimum"),
        (["--managed-months", "7-5"], "--managed-months"),
        (["--size", "130", "--max-size", "120"], "--max-size"),
        (["--cases", "drawn.txt"], "--cases"),
        (["--cases", "no-such-folder/drawn.jsonl"], "Invalid value for '--cases': cannot write"),
    ],
)
def test_casework_sample_misuse_is_one_clear_error(
    args: list[str], complaint: str, tmp_path: Path
) -> None:
    records = generate_records("caseload", seed=3, size=5)
    (tmp_path / "caseload.json").write_text(json.dumps(records), encoding="utf-8")
    result = CliRunner().invoke(main, ["sample", str(tmp_path / "caseload.json"), *args])
    assert result.exit_code == 2
    assert complaint in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".ndjson", ".yaml", ".yml"])
def test_sample_writes_its_cases_as_every_case_file_format(suffix: str, tmp_path: Path) -> None:
    records = generate_records("caseload", seed=3, size=40)
    (tmp_path / "caseload.json").write_text(json.dumps(records), encoding="utf-8")
    drawn = tmp_path / f"drawn{suffix}"
    args = ["sample", str(tmp_path / "caseload.json"), "--size", "5", "--cases", str(drawn)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    written = load_cases(drawn).cases
    assert written
    assert f"Wrote {len(written)} cases to {drawn}" in result.stderr


def test_sample_cases_that_cannot_be_written_are_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = generate_records("caseload", seed=3, size=40)
    (tmp_path / "caseload.json").write_text(json.dumps(records), encoding="utf-8")

    def full(*_args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("casework.io.dump_cases", full)
    args = ["sample", str(tmp_path / "caseload.json"), "--size", "5"]
    result = CliRunner().invoke(main, [*args, "--cases", str(tmp_path / "drawn.jsonl")])
    assert result.exit_code == 2  # (the exit status of a file that cannot be written)
    assert (
        "Invalid value for '--cases': cannot write 'drawn.jsonl': No space left on device"
        in result.stderr
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_html_report_can_carry_a_composition_chart() -> None:
    cases = [build(n, ppo=n % 4 == 0) for n in range(1, 41)]
    drawn = sample_cases(cases, as_of=AS_OF, size=10, minimums={"ppo": 5}, seed=1)
    report = sample_report(drawn, chart=True)
    assert "<svg" in report.render("html")
    assert "<svg" not in sample_report(drawn).render("html")
    text = " ".join(report.render("text").split())
    assert "[Chart]" in text
    ppo = count(drawn, SampleType.PPO)
    share = percent(Fraction(ppo, len(drawn.cases)))
    assert ppo >= 5
    assert f"ppo 25% of eligible cases, {share} of the sample" in text
