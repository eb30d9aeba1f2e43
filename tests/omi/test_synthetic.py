"""The synthetic sample generator: deterministic, valid, shaped by its profile."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from casework import load_cases
from casework.model import RohLevel
from casework.testing.synthetic import (
    PROFILES,
    generate_cases,
    generate_records,
    omi_sample_inspection,
    profile,
)


def test_the_same_seed_gives_the_same_records() -> None:
    assert generate_records("omi-2007", seed=5, size=20) == generate_records(
        "omi-2007", seed=5, size=20
    )
    assert generate_records("omi-2007", seed=5, size=20) != generate_records(
        "omi-2007", seed=6, size=20
    )


def test_the_omi_profile_has_the_reported_sample_shape() -> None:
    cases = generate_cases("omi-2007", seed=0)
    assert len(cases) == 106
    assert Counter(c.sentence.kind.value for c in cases) == {
        "community_order": 56,
        "licence": 45,
        "custody": 5,
    }
    levels = Counter(c.roh[0].level for c in cases)
    assert levels[RohLevel.HIGH] + levels[RohLevel.VERY_HIGH] == 15
    assert sum(c.mappa is not None for c in cases) == 18
    assert sum(bool(c.offender.ppo) for c in cases) == 21
    assert sum(bool(c.approved_premises) for c in cases) == 9
    assert sum(any(v.statutory for v in c.victims) for c in cases) == 20
    assert sum(c.psr is not None for c in cases) == 61
    assert all(c.judgements.answers and c.judgements.summaries for c in cases)
    assert len({c.reference for c in cases}) == 106


def test_counts_scale_with_the_sample_size() -> None:
    cases = generate_cases("omi-2007", seed=0, size=53)
    assert len(cases) == 53
    # 56, 45 and 5 of 106 scaled to 53 by largest remainder: 28, 22.5 and 2.5
    assert Counter(c.sentence.kind.value for c in cases) == {
        "community_order": 28,
        "licence": 23,
        "custody": 2,
    }
    assert sum(c.mappa is not None for c in cases) == 9


def test_the_caseload_profile_records_no_judgements() -> None:
    cases = generate_cases("caseload", seed=1, size=15)
    assert len(cases) == 15
    assert not any(c.judgements.answers or c.judgements.summaries for c in cases)


def test_unknown_profile_and_empty_sample_are_refused() -> None:
    with pytest.raises(KeyError, match="no sample profile 'nope'"):
        profile("nope")
    with pytest.raises(ValueError, match="at least one case"):
        generate_records("omi-2007", size=0)


def test_the_inspection_file_matches_the_profile() -> None:
    data = omi_sample_inspection("omi-2007")
    assert data["as_of"] == PROFILES["omi-2007"].as_of.isoformat()
    assert [a["criterion"] for a in data["section4"]] == ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6"]


@settings(max_examples=12)
@given(st.sampled_from(sorted(PROFILES)), st.integers(0, 10_000), st.integers(1, 30))
def test_any_seed_and_size_gives_valid_cases(name: str, seed: int, size: int) -> None:
    cases = generate_cases(name, seed=seed, size=size)
    assert len(cases) == size
    for case in cases:
        assert case.as_of == PROFILES[name].as_of


# Both profiles date the facts the same way (only their random streams differ), so the
# cheap one is searched widely; these once resolved a breach after as_of.
@example(seed=502, size=27)
@example(seed=64, size=53)
@example(seed=150, size=27)
@given(seed=st.integers(0, 10_000), size=st.integers(1, 120))
def test_every_generated_record_loads(seed: int, size: int) -> None:
    records = generate_records("caseload", seed=seed, size=size)
    loaded = load_cases(records)
    assert [str(error) for error in loaded.errors] == []
    assert len(loaded.cases) == size
