"""Case files in and out: JSON, JSON Lines and YAML, with every record accounted for.

A case file is one of:

* a JSON array of case records, or a JSON object ``{"as_of": ..., "cases": [...]}``
  whose ``as_of`` applies to every record that does not give its own;
* JSON Lines: one case record per line (blank lines are skipped), read as a
  stream in constant memory by :func:`iter_cases`;
* YAML holding either of the JSON shapes.

Reading never stops at a bad record. Each record becomes a :class:`~casework.Case`
or a :class:`CaseError` saying where it went wrong; errors never echo names,
dates of birth or free text.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Literal, TypeAlias

import attrs
from pydantic import ValidationError

from casework import yaml
from casework._display import html_summary, short
from casework.model.case import Case, ContradictionError, Loc

__all__ = [
    "CaseError",
    "CaseFileError",
    "LoadResult",
    "Problem",
    "case_file_schema",
    "dump_cases",
    "dumps_cases",
    "iter_cases",
    "load_cases",
    "parse_record",
]

Format: TypeAlias = Literal["json", "jsonl", "yaml"]
Source: TypeAlias = str | os.PathLike[str] | Sequence[Mapping[str, Any]]

_SUFFIXES: dict[str, Format] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".yaml": "yaml",
    ".yml": "yaml",
}

#: Fields whose values are never shown in an error: identifying details and free text.
_WITHHELD_FIELDS = frozenset({"personal", "text", "description", "disabilities", "from_area"})
_MAX_FOUND = 60


class CaseFileError(ValueError):
    """The file as a whole cannot be read (not the format it claims, or not a list of records)."""


@attrs.frozen
class Problem:
    """One thing wrong with a record: where, what was expected, what was found."""

    field: str
    """Dotted path to the field, such as ``sentence.released_on`` or ``assessments[1].reviews``."""
    expected: str
    """What a valid record has there."""
    found: str
    """What the record has there, or a note that the value is withheld."""

    def __str__(self) -> str:
        return f"{self.field}: expected {self.expected}; found {self.found}"


@attrs.frozen
class CaseError:
    """A rejected record, located: record number, case reference, and each problem."""

    record: int
    """1-based position of the record in the file (the line number for JSON Lines)."""
    case_ref: str | None
    """The record's case reference, when it has a readable one."""
    problems: tuple[Problem, ...]
    """What is wrong, field by field."""

    def __str__(self) -> str:
        ref = f" ({self.case_ref})" if self.case_ref else ""
        body = "; ".join(str(problem) for problem in self.problems)
        return f"record {self.record}{ref}: {body}"


@attrs.frozen
class LoadResult:
    """Cases read from a file and the records rejected, in file order."""

    cases: tuple[Case, ...]
    errors: tuple[CaseError, ...]

    @property
    def records(self) -> int:
        """Number of records read: always ``len(cases) + len(errors)``."""
        return len(self.cases) + len(self.errors)

    @property
    def accepted(self) -> int:
        """Number of cases accepted: ``len(cases)``."""
        return len(self.cases)

    @property
    def ok(self) -> bool:
        """Whether every record was accepted."""
        return not self.errors

    def summary(self) -> str:
        """One line: records read, accepted and rejected."""
        return (
            f"{self.records} records read: {len(self.cases)} cases accepted, "
            f"{len(self.errors)} rejected"
        )

    def __repr__(self) -> str:
        return f"<LoadResult: {self.summary()}>"

    def _repr_html_(self) -> str:
        """A short summary for Jupyter: the first cases, then the first rejected records."""
        cases = html_summary(
            "Cases loaded",
            (("Records", self.summary()),),
            ("Reference", "Area", "Sentence", "Sentenced on", "As of"),
            [
                (
                    case.reference,
                    case.area,
                    case.sentence.kind.value,
                    case.sentence.sentenced_on.isoformat(),
                    case.as_of.isoformat(),
                )
                for case in self.cases
            ],
            noun="cases",
        )
        if not self.errors:
            return cases
        errors = html_summary(
            "Records rejected",
            (),
            ("Record", "Case", "Problem"),
            [
                (
                    error.record,
                    error.case_ref,
                    short("; ".join(str(p) for p in error.problems), 90),
                )
                for error in self.errors
            ],
            noun="records rejected",
            numeric=("Record",),
        )
        return cases + errors


# ---------------------------------------------------------------------- reading


def load_cases(
    source: Source, *, format: Format | None = None, as_of: dt.date | None = None
) -> LoadResult:
    """Read every record of a case file (or a list of dicts).

    Args:
        source: a path to a ``.json``, ``.jsonl``/``.ndjson`` or ``.yaml``/``.yml``
            file, or a sequence of mappings already parsed.
        format: the file format, when the suffix does not say.
        as_of: the date records without their own ``as_of`` are read as at.

    Returns:
        a :class:`LoadResult` with the valid cases and one :class:`CaseError`
        per rejected record.

    Raises:
        CaseFileError: the file is not valid JSON / YAML as a whole, or does not
            hold a list of records. (A bad line in JSON Lines is a record error.)
    """
    cases: list[Case] = []
    errors: list[CaseError] = []
    for item in iter_cases(source, format=format, as_of=as_of):
        if isinstance(item, Case):
            cases.append(item)
        else:
            errors.append(item)
    return LoadResult(tuple(cases), tuple(errors))


def iter_cases(
    source: Source, *, format: Format | None = None, as_of: dt.date | None = None
) -> Iterator[Case | CaseError]:
    """Yield a :class:`~casework.Case` or a :class:`CaseError` per record, in order.

    JSON Lines files are read line by line, so memory stays flat however
    large the file. Case references must be unique within a source: a repeat
    is rejected, naming the record that used it first.
    """
    seen: dict[str, int] = {}
    for number, raw, parse_problem in _raw_records(source, format, as_of):
        if parse_problem is not None:
            yield CaseError(number, None, (parse_problem,))
            continue
        item = parse_record(raw, number, as_of=None)
        if isinstance(item, Case):
            first = seen.setdefault(item.reference, number)
            if first != number:
                problem = Problem(
                    "reference",
                    "a case reference not used by another record",
                    f"the reference of record {first}",
                )
                yield CaseError(number, item.reference, (problem,))
                continue
        yield item


def parse_record(raw: object, number: int = 1, *, as_of: dt.date | None = None) -> Case | CaseError:
    """Validate one record; return the case or a located error (never raises on bad data)."""
    case_ref = _case_ref(raw)
    if not isinstance(raw, Mapping):
        found = "a JSON array" if isinstance(raw, list) else type(raw).__name__
        return CaseError(number, None, (Problem("(record)", "an object (mapping)", found),))
    data = dict(raw)
    if as_of is not None and "as_of" not in data:
        data["as_of"] = as_of
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        return CaseError(number, case_ref, _problems(exc, data))


def _raw_records(
    source: Source, format: Format | None, as_of: dt.date | None
) -> Iterator[tuple[int, object, Problem | None]]:
    """Yield ``(record number, raw record, problem)``, filling in a file-level ``as_of``."""
    if not isinstance(source, str | os.PathLike):
        yield from _numbered(list(source), as_of)
        return
    path = Path(source)
    fmt = format or _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise CaseFileError(
            f"{path.name}: cannot tell the format from the suffix {path.suffix!r}; "
            "use .json, .jsonl, .ndjson, .yaml or .yml, or pass format="
        )
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as stream:
            yield from _jsonl_records(stream, as_of)
        return
    text = path.read_text(encoding="utf-8")
    try:
        document = json.loads(text) if fmt == "json" else yaml.load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise CaseFileError(f"{path.name}: not valid {fmt.upper()}: {_short(exc)}") from None
    records, file_as_of = _unwrap(document, path.name)
    yield from _numbered(records, file_as_of or as_of)


def _jsonl_records(
    stream: IO[str], as_of: dt.date | None
) -> Iterator[tuple[int, object, Problem | None]]:
    for line_number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problem = Problem(
                "(record)", "one JSON object per line", f"invalid JSON ({_short(exc)})"
            )
            yield line_number, None, problem
            continue
        yield line_number, _with_as_of(raw, as_of), None


def _numbered(
    records: Iterable[object], as_of: dt.date | str | None
) -> Iterator[tuple[int, object, Problem | None]]:
    for number, raw in enumerate(records, start=1):
        yield number, _with_as_of(raw, as_of), None


def _with_as_of(raw: object, as_of: dt.date | str | None) -> object:
    if as_of is not None and isinstance(raw, Mapping) and "as_of" not in raw:
        return {**raw, "as_of": as_of}
    return raw


def _unwrap(document: object, name: str) -> tuple[list[object], dt.date | str | None]:
    if isinstance(document, list):
        return document, None
    if isinstance(document, Mapping) and isinstance(document.get("cases"), list):
        extra = set(document) - {"as_of", "cases", "casework"}
        if extra:
            raise CaseFileError(
                f"{name}: unexpected top-level keys {sorted(extra)}; "
                "a case file is a list of records or {as_of, cases}"
            )
        file_as_of = document.get("as_of")
        if file_as_of is not None and not isinstance(file_as_of, str | dt.date):
            raise CaseFileError(f"{name}: top-level as_of must be a date (YYYY-MM-DD)")
        return list(document["cases"]), file_as_of
    raise CaseFileError(f"{name}: expected a list of case records or an object with 'cases'")


def _case_ref(raw: object) -> str | None:
    if isinstance(raw, Mapping):
        ref = raw.get("reference")
        if isinstance(ref, str) and 0 < len(ref) <= 64:
            return ref
    return None


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


# ---------------------------------------------------------------------- errors


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(record)"


def _problems(exc: ValidationError, data: Mapping[str, Any]) -> tuple[Problem, ...]:
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        context = error.get("ctx") or {}
        cause = context.get("error")
        if isinstance(cause, ContradictionError):
            for loc, expected in cause.problems:
                problems.append(Problem(_dotted(loc), expected, _found(loc, _lookup(data, loc))))
            continue
        loc = tuple(part for part in error["loc"] if not _is_validator_tag(part))
        found = (
            "a field of that name (value withheld)"
            if error["type"] == "extra_forbidden"
            else _found(loc, error.get("input"))
        )
        problems.append(Problem(_dotted(loc), _expected(error), found))
    return tuple(problems)


def _is_validator_tag(part: str | int) -> bool:
    # pydantic inserts function-validator names into locations of Annotated types
    return isinstance(part, str) and part.startswith("function-")


def _expected(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    message: str = error["msg"]
    if kind == "missing":
        return "a value (this field is required)"
    if kind == "extra_forbidden":
        return "no such field (unknown fields are rejected)"
    if kind == "enum":
        return f"one of {error['ctx']['expected']}"
    message = message.removeprefix("Value error, ").removeprefix("expected ")
    return message[0].lower() + message[1:] if message else kind


def _found(loc: Loc, value: object) -> str:
    if any(part in _WITHHELD_FIELDS for part in loc):
        return "(value withheld: personal details or free text)"
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)}"
    text = value.isoformat() if isinstance(value, dt.date) else repr(value)
    return text if len(text) <= _MAX_FOUND else text[: _MAX_FOUND - 3] + "..."


def _lookup(data: object, loc: Loc) -> object:
    for part in loc:
        if isinstance(part, int) and isinstance(data, list | tuple) and part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, Mapping):
            data = data.get(part)
        else:
            return None
    return data


# ---------------------------------------------------------------------- writing


def dump_cases(
    cases: Iterable[Case],
    destination: str | os.PathLike[str] | IO[str],
    *,
    format: Format | None = None,
) -> int:
    """Write cases to a file or text stream; reading it back gives equal cases.

    Fields left at their defaults are omitted. Returns the number written.
    """
    if isinstance(destination, str | os.PathLike):
        path = Path(destination)
        fmt = format or _SUFFIXES.get(path.suffix.lower())
        if fmt is None:
            raise CaseFileError(f"{path.name}: cannot tell the format from the suffix")
        with path.open("w", encoding="utf-8") as stream:
            return _write(cases, stream, fmt)
    return _write(cases, destination, format or "jsonl")


def dumps_cases(cases: Iterable[Case], *, format: Format = "jsonl") -> str:
    """The text :func:`dump_cases` would write."""
    buffer = io.StringIO()
    _write(cases, buffer, format)
    return buffer.getvalue()


def _record(case: Case) -> dict[str, Any]:
    return case.model_dump(mode="json", exclude_defaults=True)


def _write(cases: Iterable[Case], stream: IO[str], fmt: Format) -> int:
    count = 0
    if fmt == "jsonl":
        for case in cases:
            stream.write(json.dumps(_record(case), ensure_ascii=False) + "\n")
            count += 1
        return count
    records = [_record(case) for case in cases]
    if fmt == "json":
        json.dump(records, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    else:
        yaml.dump(records, stream)
    return len(records)


def case_file_schema() -> dict[str, Any]:
    """JSON Schema of a case file: a list of case records, or ``{as_of, cases}``."""
    case_schema = Case.model_json_schema(ref_template="#/$defs/{model}")
    defs = case_schema.pop("$defs", {})
    defs["Case"] = case_schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "casework case file",
        "description": (
            "A list of case records, or an object whose as_of applies to records without one. "
            "JSON Lines files hold one Case per line."
        ),
        "oneOf": [
            {"type": "array", "items": {"$ref": "#/$defs/Case"}},
            {
                "type": "object",
                "properties": {
                    "as_of": {"type": "string", "format": "date"},
                    "cases": {"type": "array", "items": {"$ref": "#/$defs/Case"}},
                },
                "required": ["cases"],
                "additionalProperties": False,
            },
        ],
        "$defs": defs,
    }
