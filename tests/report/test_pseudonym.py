"""Pseudonymised reports: consistent, keyed, deterministic; never names or dates of birth."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework import LoadResult, WorkingCalendar, load_cases
from casework.columnar import evaluate_columns
from casework.columnar.core import FindingTable
from casework.report import (
    FORMATS,
    KeyedPseudonyms,
    PseudonymCollisionError,
    Pseudonyms,
    SequentialPseudonyms,
    findings_report,
    pseudonymise,
    pseudonymise_table,
)
from casework.report.pseudonym import MAKE_A_KEY, MIN_KEY_BYTES
from casework.rules import Evidence, Findings, ruleset
from casework.text import long_date

EXAMPLES = Path(__file__).parents[2] / "examples"
#: Keys of tests (not secrets: every key is at least MIN_KEY_BYTES long).
TEST_KEY = b"test key, sixteen bytes or more"
ONE_KEY, TWO_KEY = b"one key of at least 16 bytes", b"two keys of at least 16 bytes"

references = st.from_regex(r"[A-Z]{2,3}-[0-9]{1,6}", fullmatch=True)


@given(st.lists(references, min_size=1, max_size=30), st.binary(min_size=16, max_size=64))
def test_keyed_pseudonyms_are_deterministic_and_distinct(refs: list[str], key: bytes) -> None:
    first, second = KeyedPseudonyms(key), KeyedPseudonyms(key)
    assert [first(r) for r in refs] == [second(r) for r in refs]
    assert len({first(r) for r in set(refs)}) == len(set(refs))
    assert all(first(r) != r for r in refs)


def test_keyed_pseudonyms_depend_on_the_key() -> None:
    one, two = KeyedPseudonyms(ONE_KEY), KeyedPseudonyms(TWO_KEY)
    assert one("EX-0001") != two("EX-0001")
    with pytest.raises(ValueError, match="must not be empty"):
        KeyedPseudonyms(b"")


@pytest.mark.parametrize("size", [1, 8, MIN_KEY_BYTES - 1])
def test_a_key_that_could_be_guessed_by_trying_each_is_refused(size: int) -> None:
    # (a one-byte key is one of 256: tried on a report whose references can be guessed, it
    # gives the mapping of every case)
    with pytest.raises(ValueError, match=r"^a pseudonym key needs at least") as raised:
        KeyedPseudonyms(b"k" * size)
    assert str(raised.value) == (
        f"a pseudonym key needs at least 16 bytes (128 bits), not {size}: make a random one "
        f"({MAKE_A_KEY})"
    )
    assert KeyedPseudonyms(b"k" * MIN_KEY_BYTES)("EX-0001").startswith("CASE-")


def test_keyed_pseudonyms_hide_the_key_in_repr() -> None:
    assert "secret" not in repr(KeyedPseudonyms(b"a secret of sixteen bytes or more"))


@given(st.lists(references, min_size=1, max_size=30))
def test_sequential_pseudonyms_number_cases_in_order_first_seen(refs: list[str]) -> None:
    names = SequentialPseudonyms()
    assigned = [names(r) for r in refs]
    distinct = list(dict.fromkeys(refs))
    assert [names(r) for r in distinct] == [f"CASE-{i:04d}" for i in range(1, len(distinct) + 1)]
    assert assigned == [names(r) for r in refs]


def test_pseudonymise_replaces_every_reference_consistently(example_findings: Findings) -> None:
    names = KeyedPseudonyms(TEST_KEY)
    hidden = pseudonymise(example_findings, names)
    assert len(hidden) == len(example_findings)
    for before, after in zip(example_findings, hidden, strict=True):
        assert after.case_ref == names(before.case_ref)
        assert attrs.evolve(after, case_ref=before.case_ref) == before
    text = json.dumps(hidden.to_records())
    assert not any(f.case_ref in text for f in example_findings)


def test_references_inside_reasons_and_evidence_are_replaced(example_findings: Findings) -> None:
    ref = example_findings[0].case_ref
    finding = attrs.evolve(
        example_findings[0],
        reason=f"Transferred from {ref}; see {ref}0.",
        evidence=(Evidence("linked case", ref),),
    )
    (hidden,) = pseudonymise([finding], SequentialPseudonyms())
    assert hidden.reason == f"Transferred from CASE-0001; see {finding.case_ref}0."
    assert hidden.evidence[0].value == "CASE-0001"


def test_collisions_are_refused(example_findings: Findings) -> None:
    with pytest.raises(PseudonymCollisionError):
        pseudonymise(example_findings, lambda _ref: "CASE-X")


@pytest.mark.parametrize("format_", FORMATS)
def test_reports_never_show_names_or_dates_of_birth(
    example_load: LoadResult, example_findings: Findings, format_: str
) -> None:
    personal = [case.personal for case in example_load.cases if case.personal is not None]
    assert personal, "the example file should carry personal details to test this"
    hidden = pseudonymise(example_findings, SequentialPseudonyms())
    for findings in (example_findings, hidden):
        text = findings_report(findings, load=example_load).render(format_)
        for details in personal:
            assert details.name is None or details.name not in text
            if details.date_of_birth is not None:
                assert details.date_of_birth.isoformat() not in text
                assert long_date(details.date_of_birth) not in text
    rendered = findings_report(hidden).render(format_)
    assert not any(case.reference in rendered for case in example_load.cases)


@pytest.fixture
def example_table(calendar: WorkingCalendar) -> FindingTable:
    """The example cases' findings as a table (on columns), with a reference of another
    case in a reason and in an evidence tuple two findings share."""
    cases = load_cases(EXAMPLES / "cases.json").cases
    table = evaluate_columns(
        cases, ruleset("national-standards-2007"), as_of=cases[0].as_of, calendar=calendar
    ).explain()
    other = table.case_ref[-1]
    shared = (Evidence("linked case", other), Evidence("due", "not a reference"))
    reason = [*table.reason]
    reason[0] = f"Transferred from {other}; see {other}0."
    evidence = [*table.evidence]
    evidence[0] = evidence[1] = shared
    return attrs.evolve(table, reason=reason, evidence=evidence)


@pytest.mark.parametrize("names", [SequentialPseudonyms, lambda: KeyedPseudonyms(TEST_KEY)])
def test_a_table_is_pseudonymised_as_its_findings_are(
    example_table: FindingTable, names: Callable[[], Pseudonyms]
) -> None:
    hidden = pseudonymise_table(example_table, names())
    assert list(hidden.findings()) == list(pseudonymise(example_table.findings(), names()))
    assert hidden.reason[0].startswith("Transferred from CASE-")
    assert hidden.evidence[0] == hidden.evidence[1]
    assert hidden.evidence[0][0].value != example_table.case_ref[-1]
    bare = attrs.evolve(example_table, worded=False)
    hidden_bare = pseudonymise_table(bare, names())
    assert hidden_bare.case_ref == hidden.case_ref
    assert hidden_bare.reason == bare.reason  # (no words to scrub)
    assert np.array_equal(hidden_bare.outcome, bare.outcome)


def test_a_table_refuses_collisions_and_keeps_an_empty_one(example_table: FindingTable) -> None:
    with pytest.raises(PseudonymCollisionError):
        pseudonymise_table(example_table, lambda _ref: "CASE-X")
    empty = example_table.take(np.zeros(0, dtype=np.intp))
    assert pseudonymise_table(empty, SequentialPseudonyms()) is empty


def test_sequential_pseudonyms_forget_and_go_on_counting() -> None:
    names = SequentialPseudonyms()
    assert [names("A"), names("B"), names("A")] == ["CASE-0001", "CASE-0002", "CASE-0001"]
    names.forget()  # (a chunk read: its references are not seen again)
    assert [names("C"), names("C")] == ["CASE-0003", "CASE-0003"]
    assert names("A") == "CASE-0004"  # forgotten: a reference seen again is a new one


#: References of the model's form, often one the start of another (``A.1`` and
#: ``A.1.2``), and the other characters a text may hold around them.
_REFS = st.lists(
    st.from_regex(r"[AB1][AB1_.:/-]{0,4}", fullmatch=True), min_size=1, max_size=6, unique=True
)
_AROUND = st.sampled_from([" ", ".", ":", "/", "-", "_", "A", "1", "é", "٣", "(", ",", "\n", ""])


@given(refs=_REFS, data=st.data())
def test_a_text_is_scanned_for_references_as_the_pattern_finds_them(
    refs: list[str], data: st.DataObject
) -> None:
    """The scan that replaces many references in a text (no pattern of every reference
    compiled) replaces what the pattern replaces: each reference standing alone (no word
    character or hyphen either side), the longest where several start at one place."""
    from casework.report import pseudonym

    assert len(refs) <= pseudonym.SCAN_ABOVE
    pseudonym.SCAN_ABOVE, above = 0, pseudonym.SCAN_ABOVE  # (scanned whatever their number)
    try:
        _check_scan(refs, data)
    finally:
        pseudonym.SCAN_ABOVE = above


def _check_scan(refs: list[str], data: st.DataObject) -> None:
    from casework.report.pseudonym import _Scrubber

    pieces = data.draw(st.lists(st.one_of(st.sampled_from(refs), _AROUND), max_size=12))
    text = "".join(pieces)
    scrubber = _Scrubber.of(refs, SequentialPseudonyms())
    assert scrubber is not None
    assert scrubber.scans
    expected = scrubber.pattern.sub(lambda match: scrubber.mapping[match.group(1)], text)
    assert scrubber.text(text) == expected


def test_references_not_of_the_models_form_are_replaced_by_the_pattern() -> None:
    from casework.report.pseudonym import _Scrubber

    many = [f"X-{n}" for n in range(10_001)]
    scrubber = _Scrubber.of(["case one", *many], SequentialPseudonyms())
    assert scrubber is not None
    assert not scrubber.scans
    few = _Scrubber.of(many[:10_000], SequentialPseudonyms())
    assert few is not None
    assert not few.scans  # (not so many: matched against the pattern)
    scanned = _Scrubber.of(many, SequentialPseudonyms())
    assert scanned is not None
    assert scanned.scans
    assert scanned.text("X-1 and X-10000, not X-12a") == "CASE-0002 and CASE-10001, not X-12a"
    scrubber = _Scrubber.of(["case one", "X-1"], SequentialPseudonyms())
    assert scrubber is not None
    assert scrubber.text("case one and X-1, not X-12") == "CASE-0001 and CASE-0002, not X-12"
