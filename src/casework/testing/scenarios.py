"""Golden scenario files: readable cases and the outcome each question should have.

A scenario file is YAML. Each scenario names a rule set, an ``as_of`` date,
the facts of one case (merged onto :data:`~casework.testing.CASE_DEFAULTS`
as :func:`~casework.testing.make_case` does) and the expected outcome per
question (rule id), optionally with a fragment of the reason::

    ruleset: national-standards-2007      # for every scenario unless one says otherwise
    as_of: 2007-10-15
    scenarios:
      - name: Tier 2 OASys on the 15th working day is on time
        facts:
          sentence: {kind: community_order, sentenced_on: 2007-06-01}
          assessments:
            - id: A1
              purpose: start
              completed_on: 2007-06-22
              screening: {completed_on: 2007-06-22, full_analysis_required: false}
              sentence_plan: {completed_on: 2007-06-22}
        expect:
          NS07.oasys-tier1-3: met
          NS07.oasys-tier4: {outcome: not_applicable, reason: Tier 4}

A rule that answers once per unit (each breach, each victim) is expected per
unit, by the unit's label; every unit found must be listed::

        expect:
          TGT.breach-action:
            Breach of 18 June 2007: met
            Breach of 6 August 2007: {outcome: not_met, reason: 1 working day after}

Run them with :func:`load_scenarios` and :meth:`Scenario.run`, or let the
pytest plugin (:mod:`casework.testing.plugin`) collect files named
``scenarios_*.yaml``. Every problem in a file is reported with the file, the
line, the scenario and the field; a failing scenario reports the question,
what was expected and what came out, with the actual reason.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import yaml

from casework.calendar import WorkingCalendar
from casework.io import CaseError, parse_record
from casework.model import Case
from casework.rules.engine import Basis, Finding, Outcome, RuleDefinitionError, evaluate_case
from casework.rules.ruleset import Overlay, RuleSet, resolve_ruleset
from casework.testing.builders import CASE_DEFAULTS, default_calendar, merge
from casework.yaml import Loader

__all__ = [
    "Expectation",
    "Mismatch",
    "Scenario",
    "ScenarioError",
    "ScenarioFailedError",
    "ScenarioFile",
    "ScenarioResult",
    "load_scenarios",
]

_FILE_KEYS = frozenset(
    {"ruleset", "as_of", "parameters", "options", "defaults", "scenarios", "description"}
)
_SCENARIO_KEYS = frozenset(
    {"name", "description", "ruleset", "as_of", "parameters", "options", "facts", "expect"}
)
_EXPECT_KEYS = frozenset({"outcome", "basis", "reason"})

#: Bases that belong to one outcome only, so ``expect: {rule: not_yet_due}`` is enough.
_BASIS_OUTCOME = {
    Basis.OUT_OF_SCOPE: Outcome.NOT_APPLICABLE,
    Basis.NOT_YET_DUE: Outcome.NOT_APPLICABLE,
    Basis.MISSING_DATA: Outcome.CANNOT_ASSESS,
    Basis.CONTRADICTORY: Outcome.CANNOT_ASSESS,
    Basis.NO_PARAMETER: Outcome.CANNOT_ASSESS,
    Basis.UNANSWERED: Outcome.CANNOT_ASSESS,
}
_SHORTHANDS = [o.value for o in Outcome] + [b.value for b in _BASIS_OUTCOME]

Path_ = tuple[str | int, ...]


class ScenarioError(ValueError):
    """A scenario file (or one scenario in it) that cannot be read, located.

    ``str()`` gives ``file:line: scenario 'name': field: what is wrong``.
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        scenario: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.file = file
        self.message = message
        self.scenario = scenario
        self.field = field
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [where]
        if self.scenario is not None:
            parts.append(f"scenario {self.scenario!r}")
        if self.field:
            parts.append(self.field)
        return ": ".join(parts) + f": {self.message}"


@attrs.frozen
class Expectation:
    """What one question should answer for a scenario's case.

    For a rule that answers per unit (each breach, each victim), ``unit``
    names the unit; an expectation with no unit holds for every finding of
    the rule.
    """

    rule_id: str
    outcome: Outcome
    basis: Basis | None = None
    reason: tuple[str, ...] = ()
    """Fragments the finding's reason must contain (compared ignoring case and spacing)."""
    line: int | None = None
    unit: str | None = None

    def describe(self) -> str:
        """``not_applicable (not_yet_due), reason containing 'due by'``."""
        text = self.outcome.value + (f" ({self.basis.value})" if self.basis else "")
        if self.reason:
            text += ", reason containing " + " and ".join(repr(f) for f in self.reason)
        return text

    def problems(self, finding: Finding) -> tuple[str, ...]:
        """What about ``finding`` differs from this expectation (empty when it matches)."""
        found: list[str] = []
        if finding.outcome is not self.outcome:
            found.append("outcome")
        if self.basis is not None and finding.basis is not self.basis:
            found.append("basis")
        reason = _squash(finding.reason)
        if any(_squash(fragment) not in reason for fragment in self.reason):
            found.append("reason")
        return tuple(found)


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


@attrs.frozen
class Mismatch:
    """A question whose finding is not what the scenario expects.

    ``finding`` is ``None`` when an expected unit has no finding; ``expectation``
    is ``None`` for a unit found that the scenario does not list.
    """

    expectation: Expectation | None
    finding: Finding | None
    problems: tuple[str, ...]
    """Which of ``outcome``, ``basis``, ``reason``, ``unit`` differ."""

    @property
    def rule_id(self) -> str:
        """The question."""
        if self.expectation is not None:
            return self.expectation.rule_id
        assert self.finding is not None
        return self.finding.rule_id

    @property
    def unit(self) -> str | None:
        """The unit, for rules that answer per unit."""
        return (
            self.finding.unit
            if self.finding is not None
            else (self.expectation.unit if self.expectation is not None else None)
        )


@attrs.frozen
class Scenario:
    """One golden scenario: a case, a rule set, a date, and the expected outcomes."""

    file: str
    name: str
    ruleset: RuleSet
    as_of: dt.date
    case: Case
    expect: tuple[Expectation, ...]
    options: Mapping[str, Any] = attrs.field(factory=dict)
    description: str = ""
    line: int | None = None

    def run(self, calendar: WorkingCalendar | None = None) -> ScenarioResult:
        """Evaluate the rule set on the case and hold the findings against the expectations."""
        findings = evaluate_case(
            self.case,
            self.ruleset,
            as_of=self.as_of,
            calendar=calendar or default_calendar(),
            options=dict(self.options),
        )
        by_rule: dict[str, list[Finding]] = {}
        for finding in findings:
            by_rule.setdefault(finding.rule_id, []).append(finding)
        mismatches: list[Mismatch] = []
        for rule_id in dict.fromkeys(e.rule_id for e in self.expect):
            expected = [e for e in self.expect if e.rule_id == rule_id]
            mismatches.extend(_held(expected, by_rule[rule_id]))
        return ScenarioResult(self, findings, tuple(mismatches))


def _held(expected: list[Expectation], found: list[Finding]) -> list[Mismatch]:
    """Expectations of one rule against its findings (one, or one per unit)."""
    out: list[Mismatch] = []
    if all(e.unit is None for e in expected):
        for expectation in expected:
            for finding in found:
                problems = expectation.problems(finding)
                if problems:
                    out.append(Mismatch(expectation, finding, problems))
        return out
    by_unit = {finding.unit: finding for finding in found}
    for expectation in expected:
        of_unit = by_unit.get(expectation.unit)
        if of_unit is None:
            out.append(Mismatch(expectation, None, ("unit",)))
            continue
        problems = expectation.problems(of_unit)
        if problems:
            out.append(Mismatch(expectation, of_unit, problems))
    listed = {e.unit for e in expected}
    out.extend(Mismatch(None, f, ("unit",)) for f in found if f.unit not in listed)
    return out


class ScenarioFailedError(AssertionError):
    """A scenario whose findings differ from what it expects; ``str()`` is the report."""

    def __init__(self, result: ScenarioResult) -> None:
        self.result = result
        super().__init__(result.report())


@attrs.frozen
class ScenarioResult:
    """The findings of one scenario and the questions that did not come out as expected."""

    scenario: Scenario
    findings: tuple[Finding, ...]
    mismatches: tuple[Mismatch, ...]

    @property
    def ok(self) -> bool:
        """Whether every expected outcome came out."""
        return not self.mismatches

    def check(self) -> None:
        """Raise :class:`ScenarioFailedError` (an ``AssertionError``) unless all came out."""
        if not self.ok:
            raise ScenarioFailedError(self)

    def report(self) -> str:
        """File, scenario, and for each question that differs: expected, actual, actual reason."""
        scenario = self.scenario
        where = f"{scenario.file}:{scenario.line}" if scenario.line else scenario.file
        lines = [
            f"{where}: scenario {scenario.name!r}: "
            + (
                "every expected outcome came out"
                if self.ok
                else f"{len({m.rule_id for m in self.mismatches})} of "
                f"{len({e.rule_id for e in scenario.expect})} questions differ"
            ),
            f"  rule set {scenario.ruleset.label}, as_of {scenario.as_of.isoformat()}, "
            f"case {scenario.case.reference}",
        ]
        for mismatch in self.mismatches:
            lines += _mismatch_lines(mismatch, scenario.file, self.findings)
        return "\n".join(lines)


def _mismatch_lines(mismatch: Mismatch, file: str, findings: tuple[Finding, ...]) -> list[str]:
    expected, finding = mismatch.expectation, mismatch.finding
    at = f" ({file}:{expected.line})" if expected is not None and expected.line else ""
    unit = f", unit {mismatch.unit!r}" if mismatch.unit else ""
    question = finding.question if finding is not None else _question(findings, mismatch.rule_id)
    lines = [f"  question {mismatch.rule_id}{unit}{at}: {question}"]
    lines.append(
        f"    expected: {expected.describe() if expected else '(this unit is not listed)'}"
    )
    if finding is None:
        units = [f.unit for f in findings if f.rule_id == mismatch.rule_id]
        shown = ", ".join(repr(u) for u in units if u) or "none"
        return [*lines, f"    actual:   no finding for this unit (units found: {shown})"]
    return [
        *lines,
        f"    actual:   {finding.outcome.value} ({finding.basis.value})",
        f"    reason:   {finding.reason}",
    ]


def _question(findings: tuple[Finding, ...], rule_id: str) -> str:
    return next((f.question for f in findings if f.rule_id == rule_id), rule_id)


@attrs.frozen
class ScenarioFile:
    """The scenarios of one file, in order; a scenario that cannot be read is its error."""

    path: Path
    entries: tuple[Scenario | ScenarioError, ...]

    @property
    def scenarios(self) -> tuple[Scenario, ...]:
        """The scenarios that could be read."""
        return tuple(e for e in self.entries if isinstance(e, Scenario))

    @property
    def errors(self) -> tuple[ScenarioError, ...]:
        """The scenarios that could not be read."""
        return tuple(e for e in self.entries if isinstance(e, ScenarioError))

    def run(self, calendar: WorkingCalendar | None = None) -> tuple[ScenarioResult, ...]:
        """Run every scenario; raises the first :class:`ScenarioError` if any could not be read."""
        if self.errors:
            raise self.errors[0]
        return tuple(scenario.run(calendar) for scenario in self.scenarios)


# ---------------------------------------------------------------------- reading


def load_scenarios(path: str | Path, *, display: str | None = None) -> ScenarioFile:
    """Read a scenario file.

    Args:
        path: the YAML file.
        display: how to name the file in messages (default: the path as given).

    Returns:
        a :class:`ScenarioFile` whose entries are scenarios, or the located
        :class:`ScenarioError` of each scenario that cannot be read.

    Raises:
        ScenarioError: the file as a whole cannot be read (not YAML, no
            ``scenarios`` list, an unknown top-level key, a rule set or date
            that every scenario would use and that is wrong).
    """
    file = Path(path)
    return _FileReader(file, display or str(path)).read()


class _FileReader:
    def __init__(self, path: Path, display: str) -> None:
        self.path = path
        self.display = display
        self.lines: dict[Path_, int] = {}
        self.rulesets: dict[str, RuleSet] = {}

    # ------------------------------------------------------------ errors

    def error(
        self,
        message: str,
        at: Path_ = (),
        *,
        scenario: str | None = None,
        field: str | None = None,
    ) -> ScenarioError:
        return ScenarioError(
            self.display, message, scenario=scenario, field=field, line=self.line(at)
        )

    def line(self, at: Path_) -> int | None:
        for end in range(len(at), -1, -1):
            found = self.lines.get(at[:end])
            if found is not None:
                return found
        return None

    # ------------------------------------------------------------ file

    def read(self) -> ScenarioFile:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise self.error(f"cannot read the file ({exc.strerror})") from None
        document = self.parse(text)
        if not isinstance(document, Mapping) or "scenarios" not in document:
            raise self.error("expected a mapping with a 'scenarios' list")
        unknown = sorted(set(document) - _FILE_KEYS)
        if unknown:
            raise self.error(
                f"not a scenario-file key (expected one of {', '.join(sorted(_FILE_KEYS))})",
                (unknown[0],),
                field=str(unknown[0]),
            )
        scenarios = document["scenarios"]
        if not isinstance(scenarios, list) or not scenarios:
            raise self.error(
                "expected a non-empty list of scenarios", ("scenarios",), field="scenarios"
            )
        file_level = {key: document.get(key) for key in _FILE_KEYS - {"scenarios"}}
        for key in ("defaults", "parameters", "options"):
            if file_level[key] is not None and not isinstance(file_level[key], Mapping):
                raise self.error("expected a mapping", (key,), field=key)
        if file_level["ruleset"] is not None:
            self.ruleset(file_level["ruleset"], ("ruleset",), None)  # a bad one fails the file
        if file_level["as_of"] is not None:
            self.date(file_level["as_of"], ("as_of",), None, "as_of")
        entries: list[Scenario | ScenarioError] = []
        names: dict[str, int] = {}
        for index, raw in enumerate(scenarios):
            try:
                scenario = self.scenario(index, raw, file_level)
            except ScenarioError as exc:
                entries.append(exc)
                continue
            if scenario.name in names:
                entries.append(
                    self.error(
                        f"the name is already used by scenario #{names[scenario.name] + 1}; "
                        "names must be unique within a file",
                        ("scenarios", index, "name"),
                        scenario=scenario.name,
                        field="name",
                    )
                )
                continue
            names[scenario.name] = index
            entries.append(scenario)
        return ScenarioFile(self.path, tuple(entries))

    def parse(self, text: str) -> object:
        loader = Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise self.error("the file is empty")
            self.index(node, ())
            return loader.construct_document(node)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ScenarioError(
                self.display,
                f"not valid YAML: {problem}",
                line=mark.line + 1 if mark is not None else None,
            ) from None
        finally:
            loader.dispose()

    def index(self, node: yaml.Node, at: Path_) -> None:
        """Remember the line of every key and item; refuse duplicate keys."""
        self.lines[at] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in seen:
                    raise ScenarioError(
                        self.display,
                        f"the key {key!r} appears twice in one mapping",
                        line=key_node.start_mark.line + 1,
                    )
                seen.add(key)
                self.index(value_node, (*at, key))
                self.lines[(*at, key)] = key_node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                self.index(item, (*at, position))

    # ------------------------------------------------------------ one scenario

    def scenario(self, index: int, raw: object, file_level: Mapping[str, Any]) -> Scenario:
        at: Path_ = ("scenarios", index)
        label = f"#{index + 1}"
        if not isinstance(raw, Mapping):
            raise self.error("expected a mapping with name, facts and expect", at, scenario=label)
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.error(
                "every scenario needs a name", (*at, "name"), scenario=label, field="name"
            )
        name = " ".join(name.split())
        if "::" in name:
            raise self.error(
                "a name cannot contain '::'", (*at, "name"), scenario=name, field="name"
            )
        unknown = sorted(set(raw) - _SCENARIO_KEYS)
        if unknown:
            raise self.error(
                f"not a scenario key (expected one of {', '.join(sorted(_SCENARIO_KEYS))})",
                (*at, unknown[0]),
                scenario=name,
                field=str(unknown[0]),
            )
        reference = raw.get("ruleset", file_level["ruleset"])
        if reference is None:
            raise self.error(
                "no rule set: give 'ruleset' in the scenario or at the top of the file",
                at,
                scenario=name,
                field="ruleset",
            )
        where = (*at, "ruleset") if "ruleset" in raw else ("ruleset",)
        ruleset = self.ruleset(reference, where, name)
        parameters = self.mapping(file_level, raw, "parameters", at, name)
        if parameters:
            try:
                ruleset = ruleset.derive(
                    ruleset.name,
                    version=ruleset.version,
                    parameters=parameters,
                    note=f"set in {self.path.name}",
                )
            except RuleDefinitionError as exc:
                raise self.error(
                    _after_field(str(exc)), (*at, "parameters"), scenario=name, field="parameters"
                ) from None
        as_of_raw = raw.get("as_of", file_level["as_of"])
        if as_of_raw is None:
            raise self.error(
                "no as_of: give it in the scenario or at the top of the file",
                at,
                scenario=name,
                field="as_of",
            )
        as_of = self.date(
            as_of_raw, (*at, "as_of") if "as_of" in raw else ("as_of",), name, "as_of"
        )
        case = self.case(raw.get("facts", {}), file_level.get("defaults") or {}, as_of, at, name)
        expect = self.expectations(raw.get("expect"), ruleset, at, name)
        description = raw.get("description") or ""
        return Scenario(
            file=self.display,
            name=name,
            ruleset=ruleset,
            as_of=as_of,
            case=case,
            expect=expect,
            options=self.mapping(file_level, raw, "options", at, name),
            description=str(description),
            line=self.line(at),
        )

    def mapping(
        self, file_level: Mapping[str, Any], raw: Mapping[str, Any], key: str, at: Path_, name: str
    ) -> dict[str, Any]:
        value = raw.get(key) or {}
        if not isinstance(value, Mapping):
            raise self.error("expected a mapping", (*at, key), scenario=name, field=key)
        return {**(file_level.get(key) or {}), **value}

    def ruleset(self, reference: object, at: Path_, name: str | None) -> RuleSet:
        if isinstance(reference, Mapping):
            try:
                overlay = Overlay.from_mapping(
                    reference, origin="inline overlay", relative_to=self.path.parent
                )
                return overlay.apply()
            except RuleDefinitionError as exc:
                raise self.error(
                    _after_field(str(exc)), at, scenario=name, field="ruleset"
                ) from None
        if not isinstance(reference, str):
            raise self.error(
                "expected a rule set name, 'package.module:attribute', an overlay file, "
                "or an inline overlay",
                at,
                scenario=name,
                field="ruleset",
            )
        if reference not in self.rulesets:
            try:
                self.rulesets[reference] = resolve_ruleset(reference, relative_to=self.path.parent)
            except RuleDefinitionError as exc:
                raise self.error(str(exc), at, scenario=name, field="ruleset") from None
        return self.rulesets[reference]

    def date(self, value: object, at: Path_, name: str | None, field: str) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.error(
            f"expected a date (YYYY-MM-DD); found {value!r}", at, scenario=name, field=field
        )

    def case(
        self,
        facts: object,
        defaults: Mapping[str, Any],
        as_of: dt.date,
        at: Path_,
        name: str,
    ) -> Case:
        if not isinstance(facts, Mapping):
            raise self.error(
                "expected a mapping of case facts", (*at, "facts"), scenario=name, field="facts"
            )
        data = merge(merge(CASE_DEFAULTS, {"as_of": as_of}), defaults)
        data = merge(data, facts)
        parsed = parse_record(data)
        if isinstance(parsed, CaseError):
            problem = parsed.problems[0]
            extra = len(parsed.problems) - 1
            more = f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""
            field_path = (*at, "facts", *_field_path(problem.field))
            raise self.error(
                f"expected {problem.expected}; found {problem.found}{more}",
                field_path,
                scenario=name,
                field=f"facts.{problem.field}",
            )
        return parsed

    def expectations(
        self, raw: object, ruleset: RuleSet, at: Path_, name: str
    ) -> tuple[Expectation, ...]:
        here = (*at, "expect")
        if not isinstance(raw, Mapping) or not raw:
            raise self.error(
                "expected a mapping of question (rule id) to expected outcome",
                here,
                scenario=name,
                field="expect",
            )
        out = []
        for rule_id, value in raw.items():
            field = f"expect.{rule_id}"
            where = (*here, str(rule_id))
            if str(rule_id) not in ruleset:
                ids = [rule.id for rule in ruleset.rules]
                close = difflib.get_close_matches(str(rule_id), ids, n=1)
                hint = (
                    f"; did you mean {close[0]!r}?"
                    if close
                    else f"; its rules are {', '.join(ids)}"
                )
                raise self.error(
                    f"{ruleset.label} has no question {rule_id!r}{hint}",
                    where,
                    scenario=name,
                    field=field,
                )
            units = ruleset.rule(str(rule_id)).units is not None
            if units and isinstance(value, Mapping) and not set(value) & _EXPECT_KEYS:
                # a rule that answers per unit: {unit label: expectation}
                for unit, item in value.items():
                    out.append(
                        self.expectation(
                            str(rule_id),
                            item,
                            (*where, str(unit)),
                            name,
                            f"{field}.{unit}",
                            unit=str(unit),
                        )
                    )
                continue
            out.append(self.expectation(str(rule_id), value, where, name, field))
        return tuple(out)

    def expectation(
        self,
        rule_id: str,
        value: object,
        at: Path_,
        name: str,
        field: str,
        *,
        unit: str | None = None,
    ) -> Expectation:
        line = self.line(at)
        if isinstance(value, str):
            outcome, implied = self.outcome_words(value, at, name, field)
            return Expectation(rule_id, outcome, implied, (), line, unit)
        if not isinstance(value, Mapping):
            raise self.error(
                f"expected an outcome ({', '.join(_SHORTHANDS)}) or a mapping with "
                "outcome, basis and reason",
                at,
                scenario=name,
                field=field,
            )
        unknown = sorted(set(value) - _EXPECT_KEYS)
        if unknown:
            raise self.error(
                "not an expectation key (expected outcome, basis or reason)",
                (*at, unknown[0]),
                scenario=name,
                field=f"{field}.{unknown[0]}",
            )
        basis: Basis | None = None
        if value.get("basis") is not None:
            basis = self.basis_word(value["basis"], (*at, "basis"), name, f"{field}.basis")
        if value.get("outcome") is not None:
            outcome, implied = self.outcome_words(
                value["outcome"], (*at, "outcome"), name, f"{field}.outcome"
            )
            basis = basis or implied
        elif basis is not None and basis in _BASIS_OUTCOME:
            outcome = _BASIS_OUTCOME[basis]
        else:
            raise self.error("an expectation needs an outcome", at, scenario=name, field=field)
        if basis is not None and _BASIS_OUTCOME.get(basis, outcome) is not outcome:
            raise self.error(
                f"basis {basis.value} goes with outcome {_BASIS_OUTCOME[basis].value}, "
                f"not {outcome.value}",
                at,
                scenario=name,
                field=field,
            )
        reason = value.get("reason", ())
        fragments = (reason,) if isinstance(reason, str) else reason
        if not isinstance(fragments, list | tuple) or not all(
            isinstance(f, str) for f in fragments
        ):
            raise self.error(
                "expected a fragment of the reason, or a list of them",
                (*at, "reason"),
                scenario=name,
                field=f"{field}.reason",
            )
        return Expectation(rule_id, outcome, basis, tuple(fragments), line, unit)

    def outcome_words(
        self, value: object, at: Path_, name: str, field: str
    ) -> tuple[Outcome, Basis | None]:
        word = _word(value)
        if word in {o.value for o in Outcome}:
            return Outcome(word), None
        if word in {b.value for b in _BASIS_OUTCOME}:
            implied = Basis(word)
            return _BASIS_OUTCOME[implied], implied
        raise self.error(
            f"expected one of {', '.join(_SHORTHANDS)}; found {value!r}",
            at,
            scenario=name,
            field=field,
        )

    def basis_word(self, value: object, at: Path_, name: str, field: str) -> Basis:
        word = _word(value)
        if word in {b.value for b in Basis}:
            return Basis(word)
        raise self.error(
            f"expected one of {', '.join(b.value for b in Basis)}; found {value!r}",
            at,
            scenario=name,
            field=field,
        )


def _word(value: object) -> str:
    return re.sub(r"[\s-]+", "_", str(value).strip().lower())


def _after_field(message: str) -> str:
    """An overlay message without its own origin prefix ("overlay 'x': ")."""
    return (
        message.split(": ", 1)[1] if message.startswith(("overlay ", "inline overlay")) else message
    )


_FIELD_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _field_path(dotted: str) -> Iterator[str | int]:
    """``assessments[1].reviews`` -> ``assessments``, 1, ``reviews``."""
    for name, number in _FIELD_PART.findall(dotted):
        yield int(number) if number else name
