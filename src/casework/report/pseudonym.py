"""Pseudonymised case references for reports that leave the building.

A report never shows names or dates of birth: findings carry only the case
reference, never ``Case.personal``. Where even the reference must not be
shown, replace it with a pseudonym, consistently across the report:

* :class:`SequentialPseudonyms` numbers cases in the order first seen
  (``CASE-0001``, ``CASE-0002``, ...). Needs no key; the numbering depends
  only on the order of the findings, so the same input gives the same report.
* :class:`KeyedPseudonyms` derives each pseudonym from the reference with a
  secret key (HMAC-SHA256). The same key gives the same pseudonym in every
  report, so reports can be joined; without the key the mapping cannot be
  recomputed, even by someone who can guess the references.

Neither reads a clock or a random source.

    >>> names = KeyedPseudonyms(b"an example key, not a secret")
    >>> names("EX-0001") == names("EX-0001") != names("EX-0002")
    True
    >>> SequentialPseudonyms()("EX-0007")
    'CASE-0001'
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from casework._caserefs import PackedRefs
from casework.rules.engine import Evidence, Finding, Findings

if TYPE_CHECKING:  # (annotations: pseudonymising findings needs no comparison module)
    from casework.columnar.core import FindingTable
    from casework.compare import Comparison, OutcomeChange
    from casework.performance import Renaming

__all__ = [
    "MIN_KEY_BYTES",
    "KeyedPseudonyms",
    "PseudonymCollisionError",
    "Pseudonyms",
    "SequentialPseudonyms",
    "pseudonymise",
    "pseudonymise_comparison",
    "pseudonymise_table",
    "pseudonymiser",
]

Pseudonyms = Callable[[str], str]
"""Anything that maps a case reference to its pseudonym, the same one every time."""


class PseudonymCollisionError(ValueError):
    """Two different case references were given the same pseudonym."""


@attrs.define
class SequentialPseudonyms:
    """``CASE-0001``, ``CASE-0002``, ... in the order references are first seen."""

    prefix: str = "CASE-"
    width: int = 4
    _assigned: dict[str, str] = attrs.field(factory=dict, init=False, repr=False)
    _given: int = attrs.field(default=0, init=False, repr=False)

    def __call__(self, reference: str) -> str:
        found = self._assigned.get(reference)
        if found is None:
            self._given += 1
            found = f"{self.prefix}{self._given:0{self.width}d}"
            self._assigned[reference] = found
        return found

    def forget(self) -> None:
        """Forget the references seen so far and go on counting, for a caller that will not
        see them again: a case file read a chunk at a time, each case's findings in one
        chunk and each reference once, so that memory does not grow with the file."""
        self._assigned.clear()


#: The fewest bytes a pseudonym key may have: 128 bits. A shorter key can be found by
#: trying every key on a report whose references can be guessed (a one-byte key is one
#: of 256), and the mapping then recomputed for every case (decision: pseudonym-key).
MIN_KEY_BYTES = 16

#: How to make a key, as the errors about one say it.
MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_hex(32))' > pseudonym.key"


@attrs.frozen
class KeyedPseudonyms:
    """A keyed, one-way pseudonym: ``prefix`` + the first ``length`` hex digits of HMAC-SHA256.

    The key is at least :data:`MIN_KEY_BYTES` bytes, and random (:data:`MAKE_A_KEY`):
    what keeps the mapping from being recomputed is that the key cannot be guessed."""

    key: bytes = attrs.field(repr=False)
    prefix: str = "CASE-"
    length: int = 12

    @key.validator
    def _long_enough(self, _attribute: object, value: bytes) -> None:
        if not value:
            raise ValueError("a pseudonym key must not be empty")
        if len(value) < MIN_KEY_BYTES:
            raise ValueError(
                f"a pseudonym key needs at least {MIN_KEY_BYTES} bytes (128 bits), not "
                f"{len(value)}: make a random one ({MAKE_A_KEY})"
            )

    def __call__(self, reference: str) -> str:
        digest = hmac.new(self.key, reference.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{self.prefix}{digest[: self.length].upper()}"


def pseudonymise(findings: Iterable[Finding], pseudonyms: Pseudonyms) -> Findings:
    """The same findings with every case reference replaced, in the fields and in the text.

    Raises :class:`PseudonymCollisionError` if two references share a pseudonym
    (with :class:`KeyedPseudonyms`' 48 bits, even odds need some 16 million cases).
    """
    items = tuple(findings)
    scrubber = _Scrubber.of((finding.case_ref for finding in items), pseudonyms)
    if scrubber is None:
        return Findings(items)
    return Findings(tuple(scrubber.finding(finding) for finding in items))


def pseudonymise_table(table: FindingTable, pseudonyms: Pseudonyms) -> FindingTable:
    """:func:`pseudonymise` of a table of findings (:meth:`FindingColumns.explain
    <casework.columnar.FindingColumns.explain>`): the same references replaced in the same
    order, in the fields and in the words, no :class:`Finding` made. A table without words
    has only its references replaced."""
    scrubber = _Scrubber.of(table.case_ref, pseudonyms)
    if scrubber is None:
        return table
    mapping = scrubber.mapping
    case_ref = [mapping[ref] for ref in table.case_ref]
    if not table.worded:
        return attrs.evolve(table, case_ref=case_ref)
    if table.lines is not None:
        from casework.columnar.core import TEXT_ONLY  # noqa: PLC0415

        raise ValueError(TEXT_ONLY)
    # (findings share their evidence: a tuple scrubbed once, as many times as it is shared)
    scrubbed: dict[int, tuple[Evidence, ...]] = {}
    evidence: list[tuple[Evidence, ...]] = []
    for items in table.evidence:
        found = scrubbed.get(id(items))
        if found is None:
            found = scrubbed[id(items)] = tuple(
                _scrub_evidence(item, scrubber.text) for item in items
            )
        evidence.append(found)
    return attrs.evolve(
        table,
        case_ref=case_ref,
        reason=[scrubber.text(reason) for reason in table.reason],
        evidence=evidence,
    )


def pseudonymiser(references: Iterable[str], pseudonyms: Pseudonyms) -> Renaming | None:
    """The pseudonyms of these references, given in this order, as a renaming of what a
    tally keeps: ``TargetTally.add_columns(answered, renaming=...)`` with the references
    of the chunk's findings in order keeps the units :func:`pseudonymise` of the chunk's
    findings would give it (references replaced in the fields and in the words). ``None``
    when there is no reference."""
    return _Scrubber.of(references, pseudonyms)


def pseudonymise_comparison(comparison: Comparison, pseudonyms: Pseudonyms) -> Comparison:
    """The same comparison with every case reference replaced, as :func:`pseudonymise` does.

    References are given pseudonyms in the order the cases were compared, so
    :class:`SequentialPseudonyms` numbers them as the comparison lists them.
    """
    from casework.compare import SpilledChanges  # noqa: PLC0415 (a comparison's module)

    scrubber = _Scrubber.of(comparison.cases, pseudonyms)
    if scrubber is None:
        return comparison

    def scrub(finding: Finding | None) -> Finding | None:
        return None if finding is None else scrubber.finding(finding)

    def renamed(change: OutcomeChange) -> OutcomeChange:
        return attrs.evolve(
            change,
            case_ref=scrubber.mapping[change.case_ref],
            unit=None if change.unit is None else scrubber.text(change.unit),
            before=scrub(change.before),
            after=scrub(change.after),
        )

    changes = comparison.changes
    return attrs.evolve(
        comparison,
        cases=_renamed(comparison.cases, scrubber.mapping),
        # (changes kept in a temporary file are renamed as they are read)
        changes=changes.mapped(renamed)
        if isinstance(changes, SpilledChanges)
        else tuple(map(renamed, changes)),
        baseline_findings=Findings(tuple(map(scrubber.finding, comparison.baseline_findings))),
        variant_findings=Findings(tuple(map(scrubber.finding, comparison.variant_findings))),
    )


#: References above which a text is scanned for them rather than matched against one
#: pattern of them all (:attr:`_Scrubber.scans`).
SCAN_ABOVE = 10_000
#: A case reference as the model reads one (``casework.model.base.Identifier``).
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]*")
#: Where a reference may start in a text: a letter or digit with no word character or
#: hyphen before it.
_START = re.compile(r"(?<![\w-])[A-Za-z0-9]")
#: A word character or a hyphen (after a reference: it does not stand alone).
_JOINED = re.compile(r"[\w-]")
#: The characters of a reference that are neither word characters nor hyphens: where a
#: shorter reference inside a longer run of reference characters may end.
_BREAKS = frozenset(".:/")


def _renamed(references: Sequence[str], mapping: Mapping[str, str]) -> PackedRefs:
    """The pseudonyms of these references, packed (a caseload's are many)."""
    renamed = PackedRefs()
    each = iter(references)
    while block := [mapping[ref] for ref in itertools.islice(each, 4_096)]:
        renamed.extend(block)
    return renamed


@attrs.frozen
class _Scrubber:
    """Replaces case references, in fields and wherever they appear in text."""

    mapping: dict[str, str]

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """Every reference where it stands alone in a text, the longest first: compiled
        when a text is first scrubbed (a table without words has none). What :meth:`text`
        replaces, matching it or, for many references, scanning (:attr:`scans`)."""
        alternatives = "|".join(
            re.escape(ref) for ref in sorted(self.mapping, key=len, reverse=True)
        )
        return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")

    @functools.cached_property
    def scans(self) -> bool:
        """Whether texts are scanned for the references instead of matched against
        :attr:`pattern` (the same replacements): when they are more than
        :data:`SCAN_ABOVE` (a caseload's, whose pattern takes seconds and hundreds of MB
        to compile) and each has the model's form (:data:`_REFERENCE`). The pattern is
        faster on many texts (a chunk's findings), the scan in Python per word."""
        return len(self.mapping) > SCAN_ABOVE and all(
            _REFERENCE.fullmatch(ref) for ref in self.mapping
        )

    @classmethod
    def of(cls, references: Iterable[str], pseudonyms: Pseudonyms) -> _Scrubber | None:
        """A scrubber for these references (``None`` if there are none)."""
        mapping: dict[str, str] = {}
        for reference in references:
            if reference not in mapping:
                mapping[reference] = pseudonyms(reference)
        if len(set(mapping.values())) != len(mapping):
            owners: dict[str, str] = {}
            for reference, alias in mapping.items():
                if owners.setdefault(alias, reference) != reference:
                    raise PseudonymCollisionError(
                        f"two case references were given the pseudonym {alias}; "
                        "use a longer pseudonym"
                    )
        return cls(mapping) if mapping else None

    def reference(self, reference: str) -> str:
        return self.mapping.get(reference, reference)

    def text(self, text: str) -> str:
        """``text`` with each reference that stands alone in it replaced (:attr:`pattern`:
        no word character or hyphen either side; the longest reference where several
        start at one place)."""
        if not self.scans:
            return self.pattern.sub(lambda match: self.mapping[match.group(1)], text)
        mapping = self.mapping
        pieces: list[str] = []
        done = position = 0
        while found := _START.search(text, position):
            start = found.start()
            stop = _REFERENCE.match(text, start).end()  # type: ignore[union-attr]
            ends = [end for end in range(stop - 1, start, -1) if text[end] in _BREAKS]
            if not _JOINED.match(text, stop):
                ends.insert(0, stop)
            for end in ends:  # (the longest first)
                alias = mapping.get(text[start:end])
                if alias is not None:
                    pieces += (text[done:start], alias)
                    done = position = end
                    break
            else:
                position = start + 1
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)

    def finding(self, finding: Finding) -> Finding:
        return attrs.evolve(
            finding,
            case_ref=self.reference(finding.case_ref),
            reason=self.text(finding.reason),
            evidence=tuple(_scrub_evidence(item, self.text) for item in finding.evidence),
        )


def _scrub_evidence(item: Evidence, scrub: Callable[[str], str]) -> Evidence:
    if isinstance(item.value, str):
        return item._replace(value=scrub(item.value))
    return item
