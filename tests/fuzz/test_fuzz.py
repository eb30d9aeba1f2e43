"""The fixed-seed fuzzing corpus (the long run: ``python -m tests.fuzz.run``, docs/fuzzing.md).

Hypothesis drives the mutation engine (tests/fuzz/engine.py) derandomised, so
every run reads the same mutated files: no exception escapes, cases + errors =
records, and no canary planted in a record shows in any error, log or repr.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.engine import CANARY_WORD, FORMATS, Tally, check_batch, make_batch, run

CORPUS = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _assert_kept(tally: Tally) -> None:
    assert tally.failures == []
    assert (tally.uncaught, tally.unaccounted, tally.echoed) == (0, 0, 0)
    assert (tally.unchecked, tally.unknown_codes) == (0, 0)


@CORPUS
@given(rng=st.randoms(use_true_random=False), fmt=st.sampled_from(FORMATS))
def test_mutated_files_keep_the_three_promises(
    rng: random.Random, fmt: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    batch = make_batch(rng, fmt, 8, 0)
    _assert_kept(check_batch(batch, folder))


def test_a_fixed_seed_corpus_of_every_format(tmp_path: Path) -> None:
    tally = run(random.Random(20071015), 400, tmp_path)
    _assert_kept(tally)
    assert tally.records >= 400
    assert tally.cases > 0  # some records survive mutation or were left valid
    assert tally.errors > tally.cases  # most were broken
    assert tally.file_errors > 0  # some files were broken as a whole
    families = {code.split(".")[0] for code in tally.codes}
    assert {"json", "yaml", "field", "date", "record"} <= families


def test_canaries_are_planted_in_what_is_read() -> None:
    rng = random.Random(7)
    for fmt in ("jsonl", "json", "yaml"):
        batch = make_batch(rng, fmt, 5, 0)
        assert isinstance(batch.payload, bytes)
        assert CANARY_WORD.encode() in batch.payload
