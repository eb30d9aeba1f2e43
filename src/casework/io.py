"""Case files in and out: JSON, JSON Lines and YAML, with every record accounted for.

A case file is one of:

* a JSON array of case records, or a JSON object ``{"as_of": ..., "cases": [...]}``
  whose ``as_of`` applies to every record that does not give its own;
* JSON Lines: one case record per line (blank lines are skipped), read as a
  stream in constant memory by :func:`iter_cases`;
* YAML holding either of the JSON shapes.

Reading never stops at a bad record, whatever the bytes. Each record becomes a
:class:`~casework.Case` or a :class:`CaseError` saying where it went wrong, with a
stable code per problem; errors describe values by kind and size and never echo
names, dates of birth or free text. Limits on nesting, number size, alias
expansion and size (:class:`~casework.Limits`) keep hostile files cheap to refuse.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Literal, TypeAlias

import attrs
from pydantic import ValidationError

from casework._checked import record_day
from casework._display import html_summary, short
from casework._fastread import fast_reader
from casework._limits import DEFAULT_LIMITS, KeyedDict, Limits, OversizeNumber
from casework.model.case import Case
from casework.problems import Problem, describe, problems_from, structure_problem

__all__ = [
    "CaseError",
    "CaseFileError",
    "Limits",
    "LoadResult",
    "Problem",
    "case_file_format",
    "case_file_schema",
    "case_from_request",
    "dump_cases",
    "dumps_cases",
    "iter_cases",
    "iter_jsonl_cases",
    "load_cases",
    "parse_record",
    "read_summary",
    "repeated_reference",
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
_BOM = b"\xef\xbb\xbf"

#: The buffer of a JSON Lines file read line by line (:func:`_jsonl_lines`). With the
#: default 8 KiB most lines of a few KiB are read by a system call and pieced together;
#: 64 KiB made reading the lines of 100,000 cases 0.45 s -> 0.19 s (4 December).
_LINE_BUFFER = 1 << 16
_TOP_LEVEL_KEYS = ("as_of", "cases", "casework")


class CaseFileError(ValueError):
    """The file as a whole cannot be read (not the format it claims, or not a list of records).

    ``code`` is the stable code of the problem (docs/case-files.md); ``line`` the
    line it was found on, when known. The message never quotes the file's content.
    """

    def __init__(self, message: str, code: str = "file.unreadable", line: int | None = None):
        super().__init__(message)
        self.code = code
        self.line = line


@attrs.frozen
class CaseError:
    """A rejected record, located: record number, case reference, and each problem."""

    record: int
    """1-based position of the record in the file (the line number for JSON Lines)."""
    case_ref: str | None
    """The record's case reference, when it has a readable one."""
    problems: tuple[Problem, ...]
    """What is wrong, field by field."""

    @property
    def code(self) -> str:
        """The code of the first problem (each problem has its own)."""
        return self.problems[0].code if self.problems else "field.invalid"

    @property
    def codes(self) -> tuple[str, ...]:
        """The code of every problem, in order."""
        return tuple(problem.code for problem in self.problems)

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
        return read_summary(len(self.cases), len(self.errors))

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
    source: Source,
    *,
    format: Format | None = None,
    as_of: dt.date | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> LoadResult:
    """Read every record of a case file (or a list of dicts).

    Args:
        source: a path to a ``.json``, ``.jsonl``/``.ndjson`` or ``.yaml``/``.yml``
            file, or a sequence of mappings already parsed.
        format: the file format, when the suffix does not say.
        as_of: the date records without their own ``as_of`` are read as at.
        limits: how deep, long and large input may be (:class:`~casework.Limits`).

    Returns:
        a :class:`LoadResult` with the valid cases and one :class:`CaseError`
        per rejected record.

    Raises:
        CaseFileError: the file cannot be opened, is not valid JSON / YAML / UTF-8
            as a whole, is over the size limit, holds no records or does not hold
            a list of records. (A bad line in JSON Lines is a record error.)
    """
    cases: list[Case] = []
    errors: list[CaseError] = []
    for item in iter_cases(source, format=format, as_of=as_of, limits=limits):
        if isinstance(item, Case):
            cases.append(item)
        else:
            errors.append(item)
    return LoadResult(tuple(cases), tuple(errors))


def iter_cases(
    source: Source,
    *,
    format: Format | None = None,
    as_of: dt.date | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Case | CaseError]:
    """Yield a :class:`~casework.Case` or a :class:`CaseError` per record, in order.

    JSON Lines files are read line by line, so memory stays flat however
    large the file. Case references must be unique within a source: a repeat
    is rejected, naming the record that used it first.
    """
    as_of = record_day(as_of)
    seen: dict[str, int] = {}
    syntax = "yaml" if case_file_format(source, format) == "yaml" else "json"
    for number, raw, parse_problem, record_as_of in _raw_records(source, format, as_of, limits):
        if parse_problem is not None:
            yield CaseError(number, None, (parse_problem,))
            continue
        if isinstance(raw, _Accepted):
            item: Case | CaseError = raw.case
        else:
            item = _checked_record(raw, number, record_as_of, limits, syntax)
        if isinstance(item, Case):
            first = seen.setdefault(item.reference, number)
            if first != number:
                yield repeated_reference(number, first, item.reference)
                continue
        yield item


def iter_jsonl_cases(
    stream: IO[bytes],
    *,
    first_line: int = 1,
    as_of: dt.date | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[tuple[int, Case | CaseError]]:
    """Each line of a JSON Lines byte stream, numbered from ``first_line``, with its case
    or located error, as :func:`iter_cases` reads a ``.jsonl`` file (for a part of a
    file: ``casework.scale``). References are not checked for repeats: the caller, who
    sees the whole file, does that."""
    as_of = record_day(as_of)
    for number, raw, problem in _jsonl_records(stream, limits, first_line, as_of):
        if problem is not None:
            yield number, CaseError(number, None, (problem,))
            continue
        if isinstance(raw, _Accepted):
            yield number, raw.case
            continue
        yield number, _checked_record(raw, number, as_of, limits, "json")


def read_summary(accepted: int, rejected: int) -> str:
    """One line: records read, accepted and rejected (``LoadResult.summary`` and reads that
    keep only counts say it the same way)."""
    return f"{accepted + rejected} records read: {accepted} cases accepted, {rejected} rejected"


def repeated_reference(number: int, first: int, reference: str) -> CaseError:
    """The rejection of record ``number``, whose case reference record ``first`` used."""
    problem = Problem(
        "reference",
        "a case reference not used by another record",
        f"the reference of record {first}",
        "record.duplicate_reference",
    )
    return CaseError(number, reference, (problem,))


def parse_record(
    raw: object,
    number: int = 1,
    *,
    as_of: dt.date | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Case | CaseError:
    """Validate one record; return the case or a located error (never raises on bad data)."""
    return _checked_record(raw, number, as_of, limits, "json")


def case_from_request(
    body: bytes | str | Mapping[str, Any],
    *,
    as_of: dt.date | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Case | CaseError:
    """A case from a web request's body (JSON bytes or text, or a parsed mapping), never raising.

    For services: returns the :class:`~casework.Case`, or a :class:`CaseError`
    whose problems (field, expected, found, code) are safe to send back to the
    caller, since they describe values by kind and size and never echo them. A body
    already parsed to something other than a mapping (a list, ``None``) is the
    ``record.not_object`` error its JSON text would be. Only an ``as_of`` that is
    not a date raises (:func:`load_cases`'s rule: it is the service's, not the
    caller's).
    Pydantic's own errors for a ``Case`` built directly (say, a FastAPI body
    parameter) include the input in ``errors()``; use this instead.

    >>> case_from_request(b'{"reference": "R-1"}').codes
    ('field.missing', 'field.missing')
    """
    as_of = record_day(as_of)
    if not isinstance(body, bytes | str):  # (a mapping, or a body parsed to something else)
        return _checked_record(body, 1, as_of, limits, "json")
    raw = body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")
    if len(raw) > limits.max_record_bytes:
        problem = Problem(
            "(record)",
            f"a record of at most {limits.max_record_bytes} bytes",
            f"{len(raw)} bytes",
            "json.too_large",
        )
        return CaseError(1, None, (problem,))
    number, record, parse_problem = _json_line(1, raw.removeprefix(_BOM), limits, as_of)
    if parse_problem is not None:
        return CaseError(number, None, (parse_problem,))
    if isinstance(record, _Accepted):
        return record.case
    return _checked_record(record, 1, as_of, limits, "json")


def _checked_record(
    raw: object, number: int, as_of: dt.date | str | None, limits: Limits, syntax: str
) -> Case | CaseError:
    if not isinstance(raw, Mapping):
        found = describe(raw)
        problem = Problem("(record)", "an object (mapping)", found, "record.not_object")
        return CaseError(number, None, (problem,))
    limit_problem = structure_problem(raw, limits, syntax)
    if limit_problem is not None:
        return CaseError(number, None, (limit_problem,))
    case_ref = _case_ref(raw)
    data = dict(raw)
    if as_of is not None and "as_of" not in data:
        data["as_of"] = as_of
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        return CaseError(number, case_ref, problems_from(exc, data, limits.max_problems))
    except Exception as exc:
        problem = Problem(
            "(record)",
            "a record casework can check",
            f"an internal error ({type(exc).__name__})",
            "record.unchecked",
        )
        return CaseError(number, case_ref, (problem,))


def case_file_format(source: Source, format: Format | None = None) -> Format | None:
    """The format a case source is read as: ``format`` when given, else the one its file
    name's suffix names (``.json``, ``.jsonl`` or ``.ndjson``, ``.yaml``); ``None`` for
    records given as a sequence, or a suffix that names none."""
    if format is not None:
        return format
    if isinstance(source, str | os.PathLike):
        return _SUFFIXES.get(Path(source).suffix.lower())
    return None


Raw: TypeAlias = tuple[int, object, Problem | None, dt.date | str | None]


def _records_given(source: object) -> None:
    """A source that is neither a path nor a sequence of records: a ``TypeError`` saying what
    to pass, not each of its lines, bytes or keys rejected as a record."""
    if isinstance(source, Mapping):
        raise TypeError(
            "source is one record (a mapping): pass a list of records, or a path; "
            "case_from_request reads one record"
        )
    if isinstance(source, bytes | bytearray | memoryview):
        raise TypeError("source is bytes: pass the file's path, or its records (json.loads)")
    if hasattr(source, "read"):
        raise TypeError(
            "source is an open file: pass its path (load_cases('cases.jsonl')); "
            "iter_jsonl_cases reads a JSON Lines byte stream"
        )


def _raw_records(
    source: Source, format: Format | None, as_of: dt.date | None, limits: Limits
) -> Iterator[Raw]:
    """Yield ``(record number, raw record, problem, as_of for the record)``."""
    if not isinstance(source, str | os.PathLike):
        _records_given(source)
        for number, given in enumerate(list(source), start=1):
            yield number, given, None, as_of
        return
    path = Path(source)
    fmt = case_file_format(source, format)
    if fmt is None:
        raise CaseFileError(
            f"{path.name}: cannot tell the format from the suffix; "
            "use .json, .jsonl, .ndjson, .yaml or .yml, or pass format=",
            "file.format_unknown",
        )
    if fmt == "jsonl":
        try:
            stream = path.open("rb", buffering=_LINE_BUFFER)
        except OSError as exc:
            raise CaseFileError(f"{path.name}: cannot be read ({_os_reason(exc)})") from None
        with stream:
            count = 0
            for item in _jsonl_records(stream, limits, 1, as_of):
                count += 1
                yield (*item, as_of)
        if count == 0:
            raise CaseFileError(f"{path.name}: holds no records (an empty file)", "file.empty")
        return
    text = _read_text(path, fmt, limits)
    document = _parse_document(text, fmt, path.name, limits)
    records, file_as_of = _unwrap(document, path.name, fmt)
    for number, raw in enumerate(records, start=1):
        yield number, raw, None, file_as_of or as_of


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _read_text(path: Path, fmt: Format, limits: Limits) -> str:
    try:
        with path.open("rb") as stream:
            data = _read_upto(stream, limits.max_document_bytes + 1)
    except OSError as exc:
        raise CaseFileError(f"{path.name}: cannot be read ({_os_reason(exc)})") from None
    if len(data) > limits.max_document_bytes:
        raise CaseFileError(
            f"{path.name}: larger than {limits.max_document_bytes} bytes, the limit for a "
            f"{fmt.upper()} file (JSON Lines files are streamed and have no size limit)",
            "file.too_large",
        )
    data = data.removeprefix(_BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CaseFileError(
            f"{path.name}: line {line} is not UTF-8 text; save the file as UTF-8",
            "file.not_utf8",
            line,
        ) from None


def _read_upto(stream: IO[bytes], size: int) -> bytes:
    """At most ``size`` bytes, read in chunks (``read(size)`` would allocate ``size`` at once)."""
    chunks: list[bytes] = []
    total = 0
    while total < size:
        chunk = stream.read(min(1 << 20, size - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _parse_document(text: str, fmt: Format, name: str, limits: Limits) -> object:
    if not text.strip():
        raise CaseFileError(f"{name}: holds no records (an empty file)", "file.empty")
    if fmt == "json":
        try:
            return _json_loads(text, limits)
        except json.JSONDecodeError as exc:
            raise CaseFileError(
                f"{name}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                "json.invalid",
                exc.lineno,
            ) from None
        except RecursionError:
            line = _deep_line(text, limits.max_parse_depth)
            raise CaseFileError(
                f"{name}: not readable: nested more than {limits.max_parse_depth} deep "
                f"(line {line})",
                "json.too_deep",
                line,
            ) from None
    from casework import yaml  # noqa: PLC0415  (PyYAML: imported for a YAML file only)

    try:
        return yaml.load(text, limits=limits)
    except yaml.YAMLLimitError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise CaseFileError(f"{name}: not readable: {exc}{where}", exc.code, exc.line) from None
    except yaml.YAMLError as exc:
        at = _yaml_line(exc)
        where = f" (line {at})" if at else ""
        raise CaseFileError(
            f"{name}: not valid YAML: {_yaml_reason(exc)}{where}", "yaml.invalid", at
        ) from None
    except RecursionError:
        raise CaseFileError(f"{name}: not readable: nested too deep", "yaml.too_deep") from None


def _yaml_line(exc: Exception) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    return int(mark.line) + 1 if mark is not None else None


def _yaml_reason(exc: Exception) -> str:
    # PyYAML quotes what it found (an alias's name, a tag); the quotes are not shown.
    reason = str(getattr(exc, "problem", None) or type(exc).__name__)
    return re.sub(r"'[^']*'|\"[^\"]*\"", "(...)", reason).splitlines()[0][:120]


def _deep_line(text: str, depth_limit: int) -> int:
    """The line on which JSON nesting first passes ``depth_limit`` (strings skipped)."""
    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > depth_limit:
                return text.count("\n", 0, match.start()) + 1
        elif token in "]}":
            depth -= 1
    return 1


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) == len(pairs):
        return data
    seen: set[str] = set()
    repeated: list[str] = []
    for key, _ in pairs:
        if key in seen:
            repeated.append(key)
        seen.add(key)
    marked = KeyedDict(data)
    marked.duplicates = tuple(repeated)
    return marked


def _json_loads(text: str | bytes, limits: Limits) -> object:
    def parse_int(digits: str) -> object:
        if len(digits.lstrip("-")) > limits.max_number_digits:
            return OversizeNumber(len(digits.lstrip("-")))
        return int(digits)

    return json.loads(text, object_pairs_hook=_pairs, parse_int=parse_int)


@attrs.frozen
class _Accepted:
    """A record the fast path read and checked (decision: fast-reader): no pydantic needed."""

    case: Case


def _json_line(
    number: int, line: bytes, limits: Limits, as_of: dt.date | None = None
) -> tuple[int, object, Problem | None]:
    """The record on one line (or, when the fast path accepts it, its case), or the problem."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        problem = Problem(
            "(record)", "a line of UTF-8 text", "bytes that are not UTF-8", "json.not_utf8"
        )
        return number, None, problem
    reader = fast_reader()
    if reader.fits(limits):
        case = reader.read(text, as_of, limits)
        if case is not None:
            return number, _Accepted(case), None
    try:
        return number, _json_loads(text, limits), None
    except json.JSONDecodeError as exc:
        found = f"invalid JSON ({exc.msg}, column {exc.colno})"
        return number, None, Problem("(record)", "one JSON object per line", found, "json.invalid")
    except RecursionError:
        problem = Problem(
            "(record)",
            f"nesting at most {limits.max_depth} deep",
            "deeper nesting",
            "json.too_deep",
        )
        return number, None, problem


def _jsonl_records(
    stream: IO[bytes], limits: Limits, first: int = 1, as_of: dt.date | None = None
) -> Iterator[tuple[int, object, Problem | None]]:
    """One item per non-blank line, numbered from ``first``; a bad line costs that line only."""
    for number, line, problem in _jsonl_lines(stream, limits, first):
        if problem is not None:
            yield number, None, problem
        else:
            yield _json_line(number, line, limits, as_of)


def _jsonl_lines(
    stream: IO[bytes], limits: Limits, first: int = 1
) -> Iterator[tuple[int, bytes, Problem | None]]:
    """Each non-blank line, numbered from ``first``, or the problem of a line too long."""
    number = first - 1
    while True:
        line = stream.readline(limits.max_record_bytes + 1)
        if not line:
            return
        number += 1
        if number == 1:
            line = line.removeprefix(_BOM)
        if len(line) > limits.max_record_bytes and not line.endswith(b"\n"):
            length = len(line)
            while line and not line.endswith(b"\n"):  # skip the rest of the line
                line = stream.readline(1 << 16)
                length += len(line)
            problem = Problem(
                "(record)",
                f"a line of at most {limits.max_record_bytes} bytes",
                f"a line of {length} bytes",
                "json.too_large",
            )
            yield number, b"", problem
            continue
        if not line.strip():
            continue
        yield number, line, None


def _line_result(
    number: int, line: bytes, limits: Limits, as_of: dt.date | None
) -> Case | CaseError:
    """One JSON Lines record read the per-record way: its case or located error, as
    :func:`iter_jsonl_cases` gives it (references not checked for repeats)."""
    number, raw, problem = _json_line(number, line, limits, as_of)
    if problem is not None:
        return CaseError(number, None, (problem,))
    if isinstance(raw, _Accepted):
        return raw.case
    return _checked_record(raw, number, as_of, limits, "json")


def _unwrap(document: object, name: str, fmt: Format) -> tuple[list[object], dt.date | str | None]:
    if isinstance(document, list):
        if not document:
            raise CaseFileError(f"{name}: holds no records (an empty list)", "file.empty")
        return document, None
    if isinstance(document, Mapping) and "cases" in document:
        if isinstance(document, KeyedDict) and document.duplicates:
            keys = sorted({key for key in document.duplicates if key in _TOP_LEVEL_KEYS})
            which = f" ({', '.join(keys)})" if keys else ""
            raise CaseFileError(
                f"{name}: a top-level key is written twice{which}; only one can be read",
                "file.duplicate_key",
            )
        if not isinstance(document["cases"], list):
            raise CaseFileError(
                f"{name}: expected a list of case records under 'cases'; "
                f"found {describe(document['cases'])}",
                "file.shape",
            )
        extra = [key for key in document if key not in _TOP_LEVEL_KEYS]
        if extra:
            raise CaseFileError(
                f"{name}: unexpected top-level keys ({len(extra)} besides as_of, cases and "
                "casework); a case file is a list of records or {as_of, cases}",
                "file.unexpected_keys",
            )
        file_as_of = document.get("as_of")
        if file_as_of is not None and not isinstance(file_as_of, str | dt.date):
            raise CaseFileError(
                f"{name}: top-level as_of must be a date (YYYY-MM-DD)", "file.as_of"
            )
        if not document["cases"]:
            raise CaseFileError(f"{name}: holds no records (an empty list)", "file.empty")
        return list(document["cases"]), file_as_of
    raise CaseFileError(
        f"{name}: expected a list of case records or an object with 'cases'; "
        f"found {describe(document)}",
        "file.shape",
    )


_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$")


def _case_ref(raw: Mapping[Any, Any]) -> str | None:
    ref = raw.get("reference")
    if isinstance(ref, str) and _REFERENCE.match(ref.strip()):
        return ref.strip()
    return None


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
        from casework import yaml  # noqa: PLC0415  (PyYAML: imported for a YAML file only)

        yaml.dump(records, stream)
    return len(records)


def case_file_schema() -> dict[str, Any]:
    """JSON Schema of a case file: a list of case records, or ``{as_of, cases}``."""
    case_schema = Case.model_json_schema(ref_template="#/$defs/{model}")
    defs = case_schema.pop("$defs", {})
    defs["Case"] = case_schema
    # Under {as_of, cases} a record may leave out its own as_of (the file's applies).
    defs["CaseInFile"] = {
        **case_schema,
        "required": [key for key in case_schema.get("required", ()) if key != "as_of"],
    }
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
                    "casework": {"type": "string", "description": "the file format, case-file/1"},
                    "as_of": {"type": "string", "format": "date"},
                    "cases": {"type": "array", "items": {"$ref": "#/$defs/CaseInFile"}},
                },
                "required": ["cases"],
                "additionalProperties": False,
                "if": {"required": ["as_of"]},
                "then": {},
                "else": {"properties": {"cases": {"items": {"required": ["as_of"]}}}},
            },
        ],
        "$defs": defs,
    }
