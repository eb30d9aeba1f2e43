"""The reference of every rule and question, generated from the rule sets themselves.

The docs site's rule reference page and ``casework rules`` both come from
:func:`ruleset_reference`, so the reference cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from casework.report.document import Block, Column, Document, Facts, Paragraph, Section, Table
from casework.report.output import Report
from casework.rules.engine import Rule
from casework.rules.omi2007.criteria import criterion as omi_criterion
from casework.rules.parameters import MissingParameterError
from casework.rules.registry import available_rulesets, ruleset
from casework.rules.ruleset import RuleSet
from casework.text import long_date

__all__ = ["parameter_value_text", "rule_record", "ruleset_reference"]

_RULE_COLUMNS = (
    Column("id", "Id", nowrap=True),
    Column("question", "Question"),
    Column("applies_to", "Applies to"),
    Column("details", "Source, parameters, notes"),
)


def _in_force(start: Any, end: Any) -> str:
    return f"{long_date(start)} to {long_date(end)}" if end else f"from {long_date(start)}"


def _cell(value: Any) -> str | None:
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if value is None else str(value)


def rule_record(rule: Rule) -> dict[str, Any]:
    """A rule's declaration as plain data (no evaluation)."""
    return {
        "id": rule.id,
        "question": rule.question,
        "applies_to": rule.applies_to.description,
        "kind": rule.kind.value,
        "source": list(rule.source),
        "parameters": list(rule.parameters),
        "roh": rule.roh,
        "criterion": rule.criterion,
        "group": rule.group,
        "in_force_from": rule.in_force_from.isoformat(),
        "in_force_to": rule.in_force_to.isoformat() if rule.in_force_to else None,
        "notes": rule.notes,
    }


def parameter_value_text(rules: RuleSet, name: str) -> str:
    """``15 working days (003:701)``, or a note that the sources state no value."""
    try:
        return str(rules.parameters.get(name))
    except MissingParameterError:
        return "no value: the sources do not state one (supply it)"


def _parameter_record(rules: RuleSet, name: str) -> dict[str, Any]:
    definition = rules.parameters.definitions[name]
    try:
        parameter = rules.parameters.get(name)
    except MissingParameterError:
        return {
            "name": name,
            "description": definition.description,
            "unit": definition.unit,
            "value": None,
            "source": None,
        }
    value = parameter.value
    return {
        "name": name,
        "description": definition.description,
        "unit": parameter.unit,
        "value": list(value) if isinstance(value, tuple) else str(value),
        "source": parameter.source,
    }


def _rule_row(rule: Rule) -> tuple[str, str, str, str]:
    details = [f"Source {', '.join(rule.source)}."]
    if rule.parameters:
        details.append(f"Parameters: {', '.join(rule.parameters)}.")
    if rule.roh:
        details.append("RoH thread.")
    details.append(f"In force {_in_force(rule.in_force_from, rule.in_force_to)}.")
    if rule.notes:
        details.append(rule.notes)
    return (rule.id, rule.question, rule.applies_to.description, " ".join(details))


def _criterion_title(criterion_id: str) -> str:
    """``Criterion 1.2: Assessment of risk of harm`` (the OMI criteria have titles)."""
    try:
        return f"Criterion {criterion_id}: {omi_criterion(criterion_id).title}"
    except KeyError:
        return f"Criterion {criterion_id}"


def _ruleset_section(rules: RuleSet) -> Section:
    blocks: list[Block] = [
        Facts(
            (
                ("Name", rules.name),
                ("Version", rules.version),
                ("Family", rules.family),
                ("In force", _in_force(rules.in_force_from, rules.in_force_to)),
                ("Rules", str(len(rules))),
            )
        )
    ]
    if rules.description:
        blocks.append(Paragraph(rules.description))
    criteria = list(dict.fromkeys(rule.criterion for rule in rules))
    if criteria == [None]:
        blocks.append(Table(_RULE_COLUMNS, tuple(_rule_row(rule) for rule in rules)))
    else:
        for criterion in criteria:
            members = tuple(_rule_row(rule) for rule in rules if rule.criterion == criterion)
            title = _criterion_title(criterion) if criterion else "Other questions"
            blocks.append(Section(title, (Table(_RULE_COLUMNS, members),)))
    used = sorted({name for rule in rules for name in rule.parameters})
    if used:
        blocks.append(
            Section(
                "Parameters",
                (
                    Table(
                        (
                            Column("name", "Parameter"),
                            Column("value", "Value in force"),
                            Column("description", "Meaning"),
                        ),
                        tuple(
                            (
                                name,
                                parameter_value_text(rules, name),
                                rules.parameters.definitions[name].description,
                            )
                            for name in used
                        ),
                    ),
                ),
            )
        )
    return Section(f"{rules.name}: {rules.title}", tuple(blocks), id=rules.name)


def ruleset_reference(rulesets: Iterable[RuleSet | str] | None = None) -> Report:
    """Every rule and question of the given rule sets (default: every one casework ships).

    For each rule: id, question wording, who it applies to, source lines,
    parameters (with the value in force for the set), in-force dates, notes.
    """
    chosen = [
        ruleset(item) if isinstance(item, str) else item
        for item in (available_rulesets() if rulesets is None else rulesets)
    ]
    data: dict[str, Any] = {
        "kind": "rule-reference",
        "rulesets": [
            {
                "name": rules.name,
                "version": rules.version,
                "title": rules.title,
                "family": rules.family,
                "in_force_from": rules.in_force_from.isoformat(),
                "in_force_to": rules.in_force_to.isoformat() if rules.in_force_to else None,
                "description": rules.description,
                "rules": [rule_record(rule) for rule in rules],
                "parameters": [
                    _parameter_record(rules, name)
                    for name in sorted({n for rule in rules for n in rule.parameters})
                ],
            }
            for rules in chosen
        ],
    }
    keys = (
        *("id", "question", "applies_to", "kind", "source", "parameters", "roh", "criterion"),
        *("group", "in_force_from", "in_force_to", "notes"),
    )
    table = Table(
        tuple(Column(key, key) for key in ("ruleset", *keys)),
        tuple(
            (rules["name"], *(_cell(rule[key]) for key in keys))
            for rules in data["rulesets"]
            for rule in rules["rules"]
        ),
    )
    intro = Paragraph(
        "Every rule and question casework evaluates, generated from the rule sets "
        "themselves. Sources are lines of the five source documents (NNN:line); "
        "'decision:' sources are readings recorded in the decisions page."
    )
    document = Document(
        "Rule and question reference",
        (intro, *(_ruleset_section(rules) for rules in chosen)),
    )
    return Report(document, data, table)
