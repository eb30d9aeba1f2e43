"""JSON Schema of the outputs (casework schema --output NAME), checked against real output.

Every JSON-producing command is run on the bundled examples and what it writes is
validated with ``jsonschema``; a field added to an output and not to its schema fails
(every object is closed), and the four places a finding's fields appear are one list.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from pydantic import BaseModel, ConfigDict, Field

from casework.cli import main
from casework.model.base import Record
from casework.report.findings import FINDING_COLUMNS
from casework.rules import Finding
from casework.schemas import FINDING_FIELDS, available_output_schemas, output_schema
from casework.stream import FINDINGS_SCHEMA, evidence_text, finding_cells, findings_csv_header
from casework.testing import strategies as cs
from tests.conftest import console_script

OUTPUTS = ("finding", "findings", "inspection", "targets", "comparison")


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


@functools.cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(output_schema(name))


def errors(name: str, data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in validator(name).iter_errors(data)
    ]


#: Each run: what it is called here, the schema its output follows, the command line
#: (``{ex}`` is the examples folder).
RUNS: dict[str, tuple[str, str]] = {
    "findings json": ("findings", "findings {ex}/cases.json -f json"),
    "findings json, filtered": ("findings", "findings {ex}/cases.json -f json --outcome not_met"),
    "findings jsonl": ("finding", "findings {ex}/cases.json -f jsonl"),
    "findings omi json": ("findings", "findings {ex}/omi-sample.json -f json --case OMI-001"),
    "score json": (
        "inspection",
        "score {ex}/omi-sample.json -i {ex}/omi-inspection.json -f json --resamples 100",
    ),
    "score json, no intervals": ("inspection", "score {ex}/omi-sample.json -f json --no-intervals"),
    "targets json": ("targets", "targets {ex}/targets-cases.yaml -s 2007-08 -f json"),
    "targets json, quarter": (
        "targets",
        "targets {ex}/targets-cases.yaml -s 2007-08 -p 2007-08-Q3 -f json",
    ),
    "diff json": (
        "comparison",
        "diff {ex}/cases.json -b national-standards-2007 -v {ex}/tier4-ten-days.toml -f json",
    ),
    "diff json, scores": (
        "comparison",
        "diff {ex}/omi-sample.json -b omi-2007 -v {ex}/five-day-breach-action.toml --scores "
        "-f json --resamples 100",
    ),
    "diff json, targets": (
        "comparison",
        "diff {ex}/targets-cases.yaml -b nps-2007-08 -v {ex}/twenty-day-resolution.yaml "
        "--targets 2007-08 -f json",
    ),
}
CASES = (*RUNS, "findings jsonl file")


def _parsed(name: str, text: str) -> Any:
    if name == "finding":
        return [json.loads(line) for line in text.splitlines()]
    return json.loads(text)


@pytest.fixture(scope="module")
def outputs(examples: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What each JSON-producing command writes on the examples (run once for the module)."""
    found = {
        label: (name, _parsed(name, invoke(*command.format(ex=examples).split())))
        for label, (name, command) in RUNS.items()
    }
    jsonl = tmp_path_factory.mktemp("outputs") / "findings.jsonl"
    invoke("findings", str(examples / "cases.json"), "-o", str(jsonl))
    found["findings jsonl file"] = ("finding", _parsed("finding", jsonl.read_text("utf-8")))
    return found


@pytest.mark.parametrize("case", CASES)
def test_real_output_is_valid_against_its_schema(outputs: dict[str, Any], case: str) -> None:
    name, data = outputs[case]
    records = data if isinstance(data, list) else [data]
    assert records
    assert [problem for record in records for problem in errors(name, record)] == []


def test_the_outputs_cover_the_branches_worth_checking(outputs: dict[str, Any]) -> None:
    """The runs above hold what the schemas describe in more than one form."""
    assert outputs["score json"][1]["scorecard"]["intervals"] is not None
    assert outputs["score json, no intervals"][1]["scorecard"]["intervals"] is None
    assert any(f["noise"] for f in outputs["diff json, scores"][1]["figures"])
    assert outputs["diff json, targets"][1]["figures"]
    assert outputs["diff json"][1]["changes"]
    results = outputs["targets json"][1]["results"]
    assert {r["basis"] for r in results} >= {"computed"}
    assert any(r["failed"] for r in results)
    findings = outputs["findings json"][1]["findings"]
    assert any(f["due"] for f in findings)
    assert any(f["due"] is None for f in findings)


#: Objects keyed by ids (questions, criteria, sections, band shares): any key is allowed.
KEYED_BY_ID = {"criteria", "questions", "sections", "shares"}


def _objects(
    node: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every object in ``node`` with its path (the first two items of each list and of each
    object keyed by id: enough to reach every kind of object, few enough to stay quick)."""
    if isinstance(node, dict):
        keyed = bool(path) and path[-1] in KEYED_BY_ID
        if not keyed:
            yield path, node
        items = list(node.items())[:2] if keyed else node.items()
        for key, value in items:
            yield from _objects(value, (*path, key))
    elif isinstance(node, list):
        for number, value in enumerate(node[:2]):
            yield from _objects(value, (*path, number))


def _unknown_field_errors(error: jsonschema.ValidationError) -> Iterator[tuple[str | int, ...]]:
    """Where ``surprise_field`` was refused, also inside ``anyOf`` (nullable) branches."""
    if error.validator == "additionalProperties" and "surprise_field" in error.message:
        yield tuple(error.absolute_path)
    for inner in error.context or ():
        yield from _unknown_field_errors(inner)


@pytest.mark.parametrize("case", CASES)
def test_a_field_added_anywhere_in_the_output_fails(outputs: dict[str, Any], case: str) -> None:
    """An output that grows a field its schema does not name is invalid, at any depth."""
    name, data = outputs[case]
    record = max(data, key=lambda r: len(r["evidence"])) if isinstance(data, list) else data
    record = json.loads(json.dumps(record))  # a copy to grow
    grown = [path for path, node in _objects(record)]
    assert len(grown) >= 2
    for path in grown:
        _get(record, path)["surprise_field"] = 1
    refused = {
        path
        for error in validator(name).iter_errors(record)
        for path in _unknown_field_errors(error)
    }
    assert [path for path in grown if path not in refused] == []


def _get(root: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        root = root[part]
    return root


def test_a_field_taken_away_fails(outputs: dict[str, Any]) -> None:
    _, report = outputs["findings json"]
    for key in ("counts", "findings"):
        assert errors("findings", {k: v for k, v in report.items() if k != key})
    finding = dict(report["findings"][0])
    del finding["late_by"]
    assert errors("finding", finding)


@pytest.mark.parametrize("name", OUTPUTS)
def test_every_object_in_the_schemas_is_closed(name: str) -> None:
    schema = output_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path, node in _all_objects(schema):
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, path
            optional = set(node["properties"]) - set(node.get("required", ()))
            assert optional <= {"records"}, path


def _all_objects(node: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _all_objects(value, f"{path}.{key}")
    elif isinstance(node, list):
        for number, value in enumerate(node):
            yield from _all_objects(value, f"{path}[{number}]")


def test_one_list_of_finding_fields() -> None:
    names = [field.name for field in FINDING_FIELDS]
    assert FINDINGS_SCHEMA.names == names
    assert [column.key for column in FINDING_COLUMNS] == names
    assert findings_csv_header() == names
    assert sorted(output_schema("finding")["properties"]) == sorted(names)
    assert [f.name for f in FINDINGS_SCHEMA if f.nullable] == [
        field.name for field in FINDING_FIELDS if field.nullable
    ]


@settings(max_examples=40, deadline=None)
@given(cs.findings())
def test_any_finding_is_valid_against_the_finding_schema(finding: Finding) -> None:
    assert sorted(finding.to_dict()) == sorted(field.name for field in FINDING_FIELDS)
    assert errors("finding", finding.to_dict()) == []


def test_the_schema_command_prints_each_schema() -> None:
    """Through the installed console script, as a user runs it."""
    for name in ("findings", "case-file"):
        result = subprocess.run(
            [*console_script(), "schema", "--output", name],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == output_schema(name)
    for name in available_output_schemas():
        jsonschema.Draft202012Validator.check_schema(json.loads(invoke("schema", "--output", name)))
    assert json.loads(invoke("schema")) == output_schema("case-file")


def test_an_unknown_schema_name_is_one_line_and_exit_2() -> None:
    result = subprocess.run(
        [*console_script(), "schema", "--output", "scores"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "'scores' is not one of" in result.stderr
    with pytest.raises(ValueError, match="no output schema named 'scores'"):
        output_schema("scores")


def test_the_case_file_schema_accepts_the_example_files(examples: Path) -> None:
    """{casework, as_of, cases}: the file's as_of stands for records without one."""
    for name in ("cases.json", "omi-sample.json"):
        data = json.loads((examples / name).read_text(encoding="utf-8"))
        assert errors("case-file", data) == []
    assert "as_of" not in data["cases"][0]
    del data["as_of"]
    assert errors("case-file", data)


@settings(max_examples=30, deadline=None)
@given(cs.findings())
def test_table_cells_line_up_with_the_fields(finding: Finding) -> None:
    """finding_cells (CSV, Arrow) gives each field in FINDING_FIELDS order."""
    finding = attrs.evolve(
        finding,
        unit="breach 2",
        group="2.2.ongoing-planning",
        trigger=dt.date(2007, 5, 8),
        trigger_label="sentence",
        due=dt.date(2007, 5, 15),
        done=dt.date(2007, 5, 22),
        late_by=5,
        late_unit="working days",
        standard="2007",
    )
    record = finding.to_dict()
    cells = dict(zip((field.name for field in FINDING_FIELDS), finding_cells(finding), strict=True))
    for name, cell in cells.items():
        value = record[name]
        if name == "evidence":
            assert cell == evidence_text(finding)
        elif name == "source":
            assert cell == "; ".join(value)
        elif isinstance(value, bool):
            assert cell == str(value).lower()
        else:
            assert cell == (None if value is None else str(value)), name


#: Every schema as ``casework schema`` prints it, one JSON text per name.
_PRINT_SCHEMAS = (
    "import json\n"
    "from casework.schemas import available_output_schemas, output_schema\n"
    "from casework.model import Case\n"
    "schemas = {name: output_schema(name) for name in available_output_schemas()}\n"
    "schemas['Case serialization'] = Case.model_json_schema(mode='serialization')\n"
    "print(json.dumps(schemas, indent=2, ensure_ascii=False))\n"
)


def test_field_descriptions_are_what_pydantic_reads_from_the_docstrings() -> None:
    """The schemas equal, byte for byte, those made with ``use_attribute_docstrings``.

    casework reads a field's docstring when a schema is made (``Record``'s JSON Schema
    hook), not when the class is defined; the reference turns pydantic's own reading
    on for every model before casework is imported and takes the hook away.
    """
    reference = (
        "from pydantic._internal._config import config_defaults\n"
        "config_defaults['use_attribute_docstrings'] = True\n"
        "from casework.model.base import Record\n"
        "del Record.__get_pydantic_json_schema__\n"
    )
    printed = [
        subprocess.run(
            [sys.executable, "-c", prelude + _PRINT_SCHEMAS],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        for prelude in ("", reference)
    ]
    assert printed[0].count('"description"') > 200
    assert printed[0] == printed[1]


def test_a_field_takes_the_docstring_of_the_class_that_declares_it() -> None:
    """Inherited, re-declared, explicitly described and nested fields, as pydantic has them."""

    def models(base: type[BaseModel]) -> type[BaseModel]:
        class Parent(base):  # type: ignore[misc,valid-type]
            kept: int
            """Kept from the parent."""
            redeclared: int
            """The parent's word."""
            explicit: int = Field(description="Said in Field.")
            """Not this."""

        class Child(Parent):
            redeclared: int  # no docstring: none, as pydantic has it
            own: str
            """A docstring
               over two lines.
            """
            parent: Parent
            """A nested model."""

        return Child

    class Plain(BaseModel):
        model_config = ConfigDict(Record.model_config, use_attribute_docstrings=True)

    ours = models(Record).model_json_schema()
    assert ours == models(Plain).model_json_schema()
    assert ours["properties"]["kept"]["description"] == "Kept from the parent."
    assert "description" not in ours["properties"]["redeclared"]
    assert ours["properties"]["own"]["description"] == "A docstring\nover two lines."
