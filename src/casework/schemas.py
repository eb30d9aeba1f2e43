"""JSON Schema of casework's JSON outputs, and the one list of a finding's fields.

``casework schema --output NAME`` prints these; docs/json.md describes the shapes in
words. Every object is closed (``additionalProperties: false``) and every field it
always carries is ``required``, so a field added to an output and not here fails the
tests that validate real output against these schemas (tests/test_output_schemas.py).

:data:`FINDING_FIELDS` is the single definition of a finding's fields: the JSON record
(:meth:`casework.rules.Finding.to_dict`, JSON Lines), the CSV columns
(:data:`casework.report.findings.FINDING_COLUMNS`) and the Arrow / Parquet schema
(:data:`casework.stream.FINDINGS_SCHEMA`) are all made from it.

>>> sorted(output_schema("finding")["required"])[:4]
['as_of', 'basis', 'case_ref', 'criterion']
>>> available_output_schemas()
('case-file', 'finding', 'findings', 'inspection', 'targets', 'comparison')
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from casework.rules.engine import Basis, Outcome, RuleKind
from casework.rules.targets.measure import Aggregation, Direction, TargetStatus

__all__ = [
    "FINDING_FIELDS",
    "FindingField",
    "available_output_schemas",
    "output_schema",
]

Schema = dict[str, Any]

# ---------------------------------------------------------------------- building blocks

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_DATE: Schema = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_FRACTION: Schema = {
    "type": "string",
    "pattern": r"^-?\d+(/\d+)?$",
    "description": "an exact fraction, 'n/d' (or a whole number)",
}
_TEXT: Schema = {"type": "string"}
_INT: Schema = {"type": "integer"}
_COUNT: Schema = {"type": "integer", "minimum": 0}
_BOOL: Schema = {"type": "boolean"}
_NUMBER: Schema = {"type": "number"}


def _null(schema: Schema) -> Schema:
    """``schema`` or ``null``."""
    return {"anyOf": [schema, {"type": "null"}]}


def _list(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def _map(values: Schema) -> Schema:
    """An object keyed by ids (questions, criteria, sections), each value ``values``."""
    return {"type": "object", "additionalProperties": values}


def _enum(values: Iterable[str] | type[enum.Enum]) -> Schema:
    if isinstance(values, type):
        return {"type": "string", "enum": [member.value for member in values]}
    return {"type": "string", "enum": list(values)}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _object(
    properties: Mapping[str, Schema],
    *,
    optional: Iterable[str] = (),
    description: str | None = None,
) -> Schema:
    """A closed object: every property required except ``optional``, no others allowed."""
    left_out = set(optional)
    schema: Schema = {
        "type": "object",
        "properties": dict(properties),
        "required": [name for name in properties if name not in left_out],
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


# ---------------------------------------------------------------------- findings

ArrowKind = Literal["string", "category", "bool", "date", "int"]


@attrs.frozen
class FindingField:
    """One field of a finding: its key, its label in tables, its JSON Schema, its Arrow type."""

    name: str
    label: str
    json: Schema
    arrow: ArrowKind
    nullable: bool = False
    description: str = ""

    def json_schema(self) -> Schema:
        """The field's JSON Schema (``null`` allowed when it is nullable), described."""
        schema = _null(self.json) if self.nullable else dict(self.json)
        if self.description:
            schema["description"] = self.description
        return schema


_EVIDENCE: Schema = _object(
    {
        "label": _TEXT,
        "value": {"type": ["string", "number", "boolean", "null"]},
        "source": _null(_TEXT),
    },
    description="a fact the finding relies on; dates as ISO text, fractions as 'n/d'",
)

#: A finding's fields in table order: CSV columns, Arrow / Parquet columns and JSON record
#: keys are made from this one list (documented in docs/json.md).
FINDING_FIELDS: tuple[FindingField, ...] = (
    FindingField("case_ref", "Case", _TEXT, "string", description="the case reference"),
    FindingField("rule_id", "Rule", _TEXT, "category", description="the rule asked"),
    FindingField(
        "unit", "Unit", _TEXT, "string", True, "which unit of the case, for per-unit rules"
    ),
    FindingField("criterion", "Criterion", _TEXT, "category", True, "inspection criterion"),
    FindingField("group", "Group", _TEXT, "category", True, "compound indicator"),
    FindingField("question", "Question", _TEXT, "category", description="the question"),
    FindingField("outcome", "Outcome", _enum(Outcome), "category"),
    FindingField("basis", "Basis", _enum(Basis), "category"),
    FindingField("reason", "Reason", _TEXT, "string", description="one plain sentence"),
    FindingField(
        "evidence",
        "Evidence",
        _list(_ref("evidence")),
        "string",
        description="JSON: a list of facts; CSV and Arrow: 'label: value (source)' joined by '; '",
    ),
    FindingField(
        "source",
        "Source",
        _list(_TEXT),
        "category",
        description="source lines NNN:line (CSV and Arrow: joined by '; ')",
    ),
    FindingField("kind", "Kind", _enum(RuleKind), "category"),
    FindingField("roh", "RoH", _BOOL, "bool", description="in the Risk of Harm thread"),
    FindingField("ruleset", "Rule set", _TEXT, "category"),
    FindingField("ruleset_version", "Version", _TEXT, "category"),
    FindingField("as_of", "As of", _DATE, "date", description="the assessment date"),
    FindingField("trigger", "Trigger", _DATE, "date", True, "the day the clock started"),
    FindingField("trigger_label", "Trigger is", _TEXT, "category", True, "the trigger in words"),
    FindingField("due", "Due", _DATE, "date", True, "the day it was due by"),
    FindingField("done", "Done", _DATE, "date", True, "the day it was done"),
    FindingField("late_by", "Late by", _COUNT, "int", True, "how late, in late_unit"),
    FindingField(
        "late_unit", "Late unit", _enum(("working days", "days")), "category", True, "unit"
    ),
    FindingField("standard", "Standard", _TEXT, "category", True, "the standard applied"),
)

_OUTCOME_COUNTS = _object({outcome.value: _COUNT for outcome in Outcome})
_RECORDS = _object(
    {"read": _COUNT, "accepted": _COUNT, "rejected": _COUNT},
    description="records in the case file: read = accepted + rejected",
)


def _finding() -> Schema:
    return _object(
        {field.name: field.json_schema() for field in FINDING_FIELDS},
        description="one finding: a case (or unit) and a question, its outcome and why",
    )


def _findings_report() -> Schema:
    return _object(
        {
            "kind": {"const": "findings"},
            "source": _null(_TEXT),
            "ruleset": _null(_TEXT),
            "ruleset_version": _null(_TEXT),
            "as_of": _null(_DATE),
            "records": _ref("records"),
            "cases": _COUNT,
            "counts": _ref("outcome_counts"),
            "rules": _list(
                _object({"rule_id": _TEXT, "question": _TEXT, "counts": _ref("outcome_counts")})
            ),
            "findings": _list(_ref("finding")),
        },
        optional=("records",),
    )


# ---------------------------------------------------------------------- inspection

_FIGURE = _object(
    {"exact": _null(_FRACTION), "display": _null(_TEXT)},
    description="a proportion: exact and as printed (a whole percentage, half-up)",
)
_INTERVAL = _object(
    {
        "low": _NUMBER,
        "high": _NUMBER,
        "level": _NUMBER,
        "method": _enum(("wilson", "bootstrap")),
        "display": _TEXT,
    },
    description="a confidence interval; ends as proportions, 0 to 1",
)
_CASE_LISTS = _object(
    {key: _list(_TEXT) for key in ("above", "below", "unanswered", "not_applicable")}
)


def _question_score() -> Schema:
    return _object(
        {
            "id": _TEXT,
            "criterion": _null(_TEXT),
            "question": _TEXT,
            "source": _list(_TEXT),
            "kind": _enum(RuleKind),
            "roh": _BOOL,
            "group": _null(_TEXT),
            "summary": _BOOL,
            "scored": _BOOL,
            **dict.fromkeys(
                ("relevant", "above", "below", "unanswered", "not_applicable", "not_evidenced"),
                _COUNT,
            ),
            "proportion": _ref("figure"),
            "cases": _CASE_LISTS,
        }
    )


def _scorecard() -> Schema:
    ids = _list(_TEXT)
    group = _object(
        {
            "id": _TEXT,
            "mode": _enum(("all_of", "mean_of")),
            "members": ids,
            "proportion": _ref("figure"),
            "combined": _null(_ref("question_score")),
        }
    )
    criterion = _object(
        {
            "id": _TEXT,
            "title": _null(_TEXT),
            "statement": _null(_TEXT),
            "section": _INT,
            "score": _ref("figure"),
            "individual": _ref("figure"),
            "summary": _null(_ref("question_score")),
            "basis": _enum(
                ("weighted", "individual_only", "summary_only", "summary_as_question", "empty")
            ),
            "band": _null(_TEXT),
            "conclusion": _null(_TEXT),
            "questions": ids,
            "parts": ids,
            "groups": _list(group),
            "descriptive": ids,
        }
    )
    band_chances = _object(
        {
            "published": _null(_TEXT),
            "shares": _map(_NUMBER),
            "published_share": _null(_NUMBER),
            "threshold": _NUMBER,
            "unstable": _null(_BOOL),
            "text": _TEXT,
        }
    )
    intervals = _object(
        {
            "options": _object(
                {"level": _NUMBER, "resamples": _COUNT, "seed": _INT, "band_threshold": _NUMBER}
            ),
            "cases": _COUNT,
            "methods": _object(
                {
                    key: _enum(("wilson", "bootstrap"))
                    for key in ("questions", "criteria", "sections", "roh_thread")
                }
            ),
            "questions": _map(_ref("interval")),
            "criteria": _map(_object({"interval": _ref("interval"), "bands": _null(band_chances)})),
            "sections": _map(_ref("interval")),
            "roh_thread": _null(_ref("interval")),
        }
    )
    return _object(
        {
            "inspection": _null(_ref("Inspection")),
            "rulesets": ids,
            "cases": _COUNT,
            "options": _object(
                {
                    "individual_weight": _FRACTION,
                    "combine": _TEXT,
                    "weighting": _TEXT,
                    "groups": _TEXT,
                    "not_evidenced": _TEXT,
                    "roh_thread_summaries": _BOOL,
                    "band_on": _enum(("displayed", "exact")),
                    "reinspection_threshold": _null(_FRACTION),
                }
            ),
            "bands": _object(
                {
                    "bands": _list(_object({"from": _FRACTION, "band": _TEXT, "sentence": _TEXT})),
                    "source": _TEXT,
                    "on": _null(_DATE),
                }
            ),
            "sections": _list(
                _object(
                    {
                        "number": _INT,
                        "title": _null(_TEXT),
                        "criteria": ids,
                        "left_out": ids,
                        "score": _ref("figure"),
                    }
                )
            ),
            "criteria": _list(criterion),
            "roh_thread": _object(
                {
                    "score": _ref("figure"),
                    "questions": ids,
                    "threshold": _null(_FRACTION),
                    "below_threshold": _null(_BOOL),
                }
            ),
            "section4": _list(
                _object(
                    {
                        "id": _TEXT,
                        "title": _TEXT,
                        "statement": _TEXT,
                        "grade": _null(_TEXT),
                        "label": _null(_TEXT),
                    }
                )
            ),
            "questions": _list(_ref("question_score")),
            "warnings": _list(_TEXT),
            "intervals": _null(intervals),
        }
    )


def _inspection_report() -> Schema:
    return _object(
        {
            "kind": {"const": "inspection"},
            "source": _null(_TEXT),
            "evidence_warning": _null(_TEXT),
            "records": _ref("records"),
            "highlights": _object(
                {
                    "strengths_from": _FRACTION,
                    "improvements_below": _FRACTION,
                    "criteria": _map(
                        _object({"strengths": _list(_TEXT), "improvements": _list(_TEXT)})
                    ),
                }
            ),
            "scorecard": _scorecard(),
        },
        optional=("records",),
    )


# ---------------------------------------------------------------------- targets

_PERIOD = _object({"start": _DATE, "end": _DATE, "label": _TEXT})


def _target_report() -> Schema:
    unit = _object(
        {"case_ref": _TEXT, "unit": _null(_TEXT), "reason": _TEXT, "value": _null(_INT)},
        description="a case (or a unit in it) behind a figure, and why",
    )
    counts = _object(
        dict.fromkeys(
            (
                "met",
                "not_met",
                "pending",
                "cannot_assess",
                "excluded",
                "outside_period",
                "unplaced",
                "in_scope",
            ),
            _COUNT,
        )
    )
    result = _object(
        {
            "measure": _TEXT,
            "label": _TEXT,
            "period": _ref("period"),
            "area": _null(_TEXT),
            "aggregation": _enum(Aggregation),
            "direction": _enum(Direction),
            "unit": _TEXT,
            "status": _enum(TargetStatus),
            "reason": _TEXT,
            "rule": _null(_TEXT),
            "figure": _null(_FRACTION),
            "figure_display": _null(_TEXT),
            "target": _null(_FRACTION),
            "target_display": _null(_TEXT),
            "pct_achieved": _null(_INT),
            "numerator": _null(_FRACTION),
            "denominator": _null(_COUNT),
            "counts": _null(counts),
            "failed": _list(unit),
            "pending": _list(unit),
            "cannot_assess": _list(unit),
            "basis": _enum(("computed", "supplied", "none")),
            "anchor": _null(_TEXT),
            "rule_id": _null(_TEXT),
            "source": _TEXT,
            "in_tally": _BOOL,
            "weighting": _null(_INT),
        }
    )
    return _object(
        {
            "kind": {"const": "targets"},
            "source": _null(_TEXT),
            "records": _ref("records"),
            "target_set": _TEXT,
            "version": _TEXT,
            "title": _TEXT,
            "period": _ref("period"),
            "area": _null(_TEXT),
            "as_of": _null(_DATE),
            "near_miss": _TEXT,
            "national_share": _null(_FRACTION),
            "tally": _object(
                dict.fromkeys(
                    ("met", "near_miss", "not_met", "no_target", "no_data", "national"), _COUNT
                )
            ),
            "results": _list(result),
        },
        optional=("records",),
    )


# ---------------------------------------------------------------------- comparison


def _comparison_report() -> Schema:
    outcome_or_none = _null(_enum(Outcome))
    side = _null(
        _object(
            {"rule_id": _TEXT, "outcome": _enum(Outcome), "basis": _enum(Basis), "reason": _TEXT}
        )
    )
    figure_value = {"type": ["string", "integer", "null"]}
    return _object(
        {
            "kind": {"const": "comparison"},
            "source": _null(_TEXT),
            "paired_by": _null(_TEXT),
            "records": _ref("records"),
            "baseline": _TEXT,
            "variant": _TEXT,
            "variant_changes": _list(_TEXT),
            "as_of": _DATE,
            "cases": _COUNT,
            "changed_cases": _list(_TEXT),
            "questions": _list(
                _object(
                    {
                        "question": _TEXT,
                        "text": _TEXT,
                        "baseline_rule": _null(_TEXT),
                        "variant_rule": _null(_TEXT),
                        "changed": _COUNT,
                        "baseline": _ref("outcome_counts"),
                        "variant": _ref("outcome_counts"),
                        "transitions": _list(
                            _object(
                                {"from": outcome_or_none, "to": outcome_or_none, "cases": _COUNT}
                            )
                        ),
                    }
                )
            ),
            "changes": _list(
                _object(
                    {
                        "case_ref": _TEXT,
                        "question": _TEXT,
                        "unit": _null(_TEXT),
                        "baseline": side,
                        "variant": side,
                    }
                )
            ),
            "figures": _list(
                _object(
                    {
                        "group": _TEXT,
                        "name": _TEXT,
                        "baseline": figure_value,
                        "variant": figure_value,
                        "delta": figure_value,
                        "changed": _BOOL,
                        "noise": _null(_ref("interval")),
                        "beyond_noise": _null(_BOOL),
                    }
                )
            ),
        },
        optional=("records",),
    )


# ---------------------------------------------------------------------- the schemas

_TITLES = {
    "finding": (
        "casework finding",
        "One finding: Finding.to_dict(), one line of `casework findings --format jsonl`.",
    ),
    "findings": (
        "casework findings report",
        "`casework findings --format json`; findings_report(...).to_dict().",
    ),
    "inspection": (
        "casework inspection report",
        "`casework score --format json`; inspection_report(card).to_dict().",
    ),
    "targets": (
        "casework target report",
        "`casework targets --format json`; target_report(report).to_dict().",
    ),
    "comparison": (
        "casework comparison report",
        "`casework diff --format json`; comparison_report(compare(...)).to_dict().",
    ),
}


def available_output_schemas() -> tuple[str, ...]:
    """The names :func:`output_schema` knows: the case file (input) and each JSON output."""
    return ("case-file", *_TITLES)


def _defs() -> dict[str, Schema]:
    from casework.model.inspection import Inspection  # noqa: PLC0415 (pydantic, on demand)

    inspection = Inspection.model_json_schema(mode="serialization", ref_template="#/$defs/{model}")
    defs: dict[str, Schema] = dict(inspection.pop("$defs", {}))
    defs["Inspection"] = inspection
    for model in defs.values():  # model_dump(mode="json") writes every field, defaults too
        if "properties" in model:
            model["required"] = list(model["properties"])
    defs |= {
        "evidence": _EVIDENCE,
        "finding": _finding(),
        "outcome_counts": _OUTCOME_COUNTS,
        "records": _RECORDS,
        "figure": _FIGURE,
        "interval": _INTERVAL,
        "question_score": _question_score(),
        "period": _PERIOD,
    }
    return defs


def output_schema(name: str) -> Schema:
    """The JSON Schema (draft 2020-12) of one of casework's JSON files.

    ``name``: ``case-file`` (the input, :func:`casework.case_file_schema`), ``finding``
    (one finding, a line of JSON Lines), ``findings``, ``inspection``, ``targets`` or
    ``comparison`` (the ``--format json`` reports).
    """
    if name == "case-file":
        from casework.io import case_file_schema  # noqa: PLC0415 (no cycle at import)

        return case_file_schema()
    if name not in _TITLES:
        known = ", ".join(available_output_schemas())
        raise ValueError(f"no output schema named {name!r}; use one of {known}")
    builders = {
        "finding": _finding,
        "findings": _findings_report,
        "inspection": _inspection_report,
        "targets": _target_report,
        "comparison": _comparison_report,
    }
    title, description = _TITLES[name]
    schema: Schema = {"$schema": _DIALECT, "title": title, "description": description}
    schema |= builders[name]()
    schema["$defs"] = _defs()
    return copy.deepcopy(_used_defs_only(schema))


def _used_defs_only(schema: Schema) -> Schema:
    """The schema with only the ``$defs`` it refers to (directly or through other defs)."""
    defs = schema["$defs"]
    used: set[str] = set()
    stack: list[Any] = [{k: v for k, v in schema.items() if k != "$defs"}]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref.removeprefix("#/$defs/")
                if name not in used:
                    used.add(name)
                    stack.append(defs[name])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    schema["$defs"] = {name: defs[name] for name in sorted(used)}
    if not schema["$defs"]:
        del schema["$defs"]
    return schema
