"""Problems found in input, each with a stable code, described without showing the input.

Every rejection of a record, a field or a file carries a ``code`` (such as
``date.after_as_of``) from :data:`CODES` beside its message; docs/case-files.md
lists them all. Values are described by kind and size only ("text of 23
characters", "a list of 2 items"): an error never repeats what was written,
which may be a name, a date of birth or free text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
from pydantic import BaseModel, ValidationError

from casework._limits import KeyedDict, Limits, OversizeNumber

__all__ = ["CODES", "Problem", "describe", "field_path", "problems_from", "structure_problem"]

Loc = tuple[str | int, ...]

#: Every code a problem can carry, with what it means (docs/case-files.md lists them).
CODES: Mapping[str, str] = {
    # whole files
    "file.format_unknown": "the file's suffix is not a case-file format",
    "file.unreadable": "the file cannot be opened or read",
    "file.empty": "the file holds no records",
    "file.too_large": "the file is larger than the document size limit",
    "file.not_utf8": "the file is not UTF-8 text",
    "file.shape": "the file is not a list of records or an object with 'cases'",
    "file.unexpected_keys": "the top level has keys other than as_of, cases and casework",
    "file.duplicate_key": "a top-level key is written twice",
    "file.as_of": "the top-level as_of is not a date",
    "json.invalid": "not valid JSON (a whole file, or one line of JSON Lines)",
    "json.too_deep": "nested deeper than the depth limit",
    "json.duplicate_key": "a key is written twice in one object",
    "json.number_too_large": "a whole number longer than the digit limit",
    "json.too_large": "a line of JSON Lines longer than the record size limit",
    "json.not_utf8": "a line of JSON Lines that is not UTF-8 text",
    "yaml.invalid": "not valid YAML",
    "yaml.too_deep": "nested deeper than the depth limit",
    "yaml.duplicate_key": "a key is written twice in one mapping",
    "yaml.number_too_large": "a whole number longer than the digit limit",
    "yaml.alias_expansion": "aliases expand the document beyond the alias limit",
    "yaml.recursive_alias": "an alias refers to a value that contains it",
    # records
    "record.not_object": "the record is not an object (mapping)",
    "record.too_large": "the record holds more values than the record limit",
    "record.duplicate_reference": "the case reference is used by an earlier record",
    "record.unchecked": "the record could not be checked (a defect in casework: please report)",
    "record.more_problems": "more problems than the listing limit; the rest are counted",
    # fields
    "field.missing": "a required field is absent",
    "field.unknown": "a field the format does not have",
    "field.not_allowed": "a value that is not one of the allowed choices",
    "field.not_text": "a value that should be text",
    "field.not_integer": "a value that should be a whole number",
    "field.not_boolean": "a value that should be true or false",
    "field.not_object": "a value that should be an object",
    "field.not_list": "a value that should be a list",
    "field.too_long": "text or a list longer than the field allows",
    "field.too_short": "text or a list shorter than the field allows (empty)",
    "field.bad_format": "text not in the form the field needs (an identifier)",
    "field.out_of_range": "a number outside the range the field allows",
    "field.invalid": "a value the field does not accept",
    # dates
    "date.invalid": "not a date written YYYY-MM-DD",
    "date.impossible": "a YYYY-MM-DD that is not a real day (2007-02-30)",
    "date.with_time": "a date and time where a date is needed",
    "date.out_of_range": "a date outside the supported years",
    "date.after_as_of": "a date after the record's as_of",
    # contradictions inside one part
    "period.end_before_start": "a period (PPO, fieldwork) ending before it starts",
    "psr.due_before_request": "a PSR due before it was requested",
    "psr.delivered_before_request": "a PSR delivered before it was requested",
    "breach.action_before_failure": "breach action before the failure to comply",
    "breach.resolved_before_failure": "a breach resolved before the failure to comply",
    "premises.left_before_arrival": "approved premises left before arrival",
    "review.no_trigger": "a review without a trigger",
    "assessment.review_fields": "trigger or reviews given on an assessment that is not a review",
    "mappa.duplicate_date": "two MAPPA levels on one date",
    "requirement.completed_before_start": "a requirement completed before it commenced",
    "intervention.completed_before_start": "an intervention completed before it started",
    "om_assignment.end_before_start": "an offender manager assignment ending before it starts",
    "employment.end_before_start": "employment or training ending before it starts",
    # contradictions across the case
    "licence.no_release": "a licence case without a release date",
    "release.not_licence": "a release date on a case that is not a licence case",
    "release.before_sentence": "release before the date of sentence",
    "start.before_sentence": "commencement before the date of sentence",
    "end.before_sentence": "the order ending before the date of sentence",
    "termination.before_sentence": "termination before the date of sentence",
    "breach.before_sentence": "a failure to comply before the date of sentence",
    "recall.before_release": "a recall before release (or without one)",
    "assessment.duplicate_id": "two assessments with one id",
    "review.unknown_assessment": "a review of an assessment not in the case",
    "review.before_reviewed": "a review dated before the assessment it reviews",
    "victim.duplicate_id": "two victims with one id",
    "tier.duplicate_date": "two tier allocations on one date",
    "roh.duplicate_date": "two RoH classifications on one date",
    "transfer.before_notification": "transfer-in work dated before the notification",
    "custody_move.notified_before_move": "the offender manager told of a move before it",
    "birth.after_sentence": "a date of birth after the date of sentence",
    # inspections
    "inspection.duplicate_criterion": "two grades for one section 4 criterion",
    "inspection.fieldwork_open": "fieldwork without a last day",
    "inspection.published_before_fieldwork": "published before fieldwork ended",
}

_PYDANTIC_CODES: Mapping[str, str] = {
    "missing": "field.missing",
    "extra_forbidden": "field.unknown",
    "enum": "field.not_allowed",
    "literal_error": "field.not_allowed",
    "string_type": "field.not_text",
    "string_unicode": "field.not_text",
    "int_type": "field.not_integer",
    "int_parsing": "field.not_integer",
    "int_from_float": "field.not_integer",
    "int_parsing_size": "field.out_of_range",
    "bool_type": "field.not_boolean",
    "bool_parsing": "field.not_boolean",
    "model_type": "field.not_object",
    "model_attributes_type": "field.not_object",
    "dict_type": "field.not_object",
    "tuple_type": "field.not_list",
    "list_type": "field.not_list",
    "iterable_type": "field.not_list",
    "string_too_long": "field.too_long",
    "too_long": "field.too_long",
    "string_too_short": "field.too_short",
    "too_short": "field.too_short",
    "string_pattern_mismatch": "field.bad_format",
    "greater_than": "field.out_of_range",
    "greater_than_equal": "field.out_of_range",
    "less_than": "field.out_of_range",
    "less_than_equal": "field.out_of_range",
    "finite_number": "field.out_of_range",
}

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: A question or criterion id used as a key (``1.2.p``): shown in field paths.
_QUESTION_ID = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,2}(?:\.[a-z]{1,2})?$")


@attrs.frozen
class Problem:
    """One thing wrong with a record: where, what was expected, what was found, and its code."""

    field: str
    """Dotted path to the field, such as ``sentence.released_on`` or ``assessments[1].reviews``."""
    expected: str
    """What a valid record has there."""
    found: str
    """What the record has there, by kind and size only ("text of 12 characters")."""
    code: str = "field.invalid"
    """Stable code of the problem (docs/case-files.md lists them), such as ``date.after_as_of``."""

    def __str__(self) -> str:
        return f"{self.field}: expected {self.expected}; found {self.found}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def describe(value: object) -> str:
    """What a value is, by kind and size, never by content: ``"text of 23 characters"``."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, OversizeNumber):
        return f"a whole number of {value.digits} digits"
    if isinstance(value, int):
        if -(10**30) < value < 10**30:
            return f"a whole number of {_plural(len(str(abs(value))), 'digit')}"
        return "a whole number of more than 30 digits"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str) and _ISO_DAY.match(value):
        return "a date"
    if isinstance(value, str):
        return f"text of {_plural(len(value), 'character')}" if value else "empty text"
    if isinstance(value, bytes | bytearray):
        return f"binary data of {_plural(len(value), 'byte')}"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, Mapping | BaseModel):
        count = len(value) if isinstance(value, Mapping) else len(type(value).model_fields)
        return f"an object of {_plural(count, 'field')}"
    if isinstance(value, list | tuple | set | frozenset):
        return f"a list of {_plural(len(value), 'item')}"
    return "a value of another kind"


def _field_names() -> frozenset[str]:
    from casework.model.base import Record  # noqa: PLC0415  (the model imports this module)
    from casework.model.enums import RiskGroup  # noqa: PLC0415

    names: set[str] = {"(record)", "[key]", *(group.value for group in RiskGroup)}
    pending: list[type[Record]] = [Record]
    while pending:
        model = pending.pop()
        names.update(model.model_fields)
        pending.extend(model.__subclasses__())
    return frozenset(names)


_NAMES: frozenset[str] | None = None


def _known(part: str) -> bool:
    global _NAMES  # noqa: PLW0603  (computed once, when the model is fully imported)
    if _NAMES is None:
        _NAMES = _field_names()
    return part in _NAMES or bool(_QUESTION_ID.match(part))


def field_path(loc: Loc) -> str:
    """A location as ``assessments[1].reviews``; names the format does not have are not shown.

    A key that is not a field of the case format (an unknown field, a bad key of
    a mapping) may be anything a person typed, so it is described by length.
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = part if _known(part) else f"<name of {_plural(len(part), 'character')}>"
        out += f".{name}" if out else name
    return out or "(record)"


def _suggestion(name: object) -> str:
    if not isinstance(name, str) or len(name) > 64:
        return ""
    global _NAMES  # noqa: PLW0602
    _known("")
    assert _NAMES is not None
    close = difflib.get_close_matches(name, sorted(_NAMES), n=1, cutoff=0.8)
    return f" (did you mean {close[0]!r}?)" if close else ""


def problems_from(
    exc: ValidationError, data: object, limit: int | None = None
) -> tuple[Problem, ...]:
    """Each error of a pydantic validation as a located, coded, private :class:`Problem`.

    With ``limit``, at most that many are listed and one last problem
    (``record.more_problems``) counts the rest.
    """
    problems = _all_problems(exc, data)
    if limit is None or len(problems) <= limit:
        return problems
    rest = len(problems) - limit
    more = Problem(
        "(record)",
        "fewer problems",
        f"{_plural(rest, 'more problem')} not listed",
        "record.more_problems",
    )
    return (*problems[:limit], more)


def _all_problems(exc: ValidationError, data: object) -> tuple[Problem, ...]:
    problems: list[Problem] = []
    for error in exc.errors(include_url=False, include_input=True):
        context = error.get("ctx") or {}
        cause = context.get("error")
        coded = getattr(cause, "coded", None)
        if coded is not None:  # a ContradictionError: one problem per contradiction
            for loc, code, expected in coded:
                found = describe(_lookup(data, loc))
                problems.append(Problem(field_path(loc), expected, found, code))
            continue
        loc = tuple(part for part in error["loc"] if not _is_validator_tag(part))
        kind = error["type"]
        code = getattr(cause, "code", None) or _PYDANTIC_CODES.get(kind, "field.invalid")
        if kind == "missing":
            found = "nothing (the field is absent)"
        elif kind == "extra_forbidden":
            found = f"a field the format does not have{_suggestion(loc[-1] if loc else None)}"
        else:
            found = describe(error.get("input"))
        problems.append(Problem(field_path(loc), _expected(error), found, code))
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
    message = message.removeprefix("Input should be ").removeprefix("input should be ")
    return message[0].lower() + message[1:] if message else kind


def _lookup(data: object, loc: Loc) -> object:
    for part in loc:
        if isinstance(part, int) and isinstance(data, list | tuple) and 0 <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, Mapping):
            data = data.get(part)
        else:
            return None
    return data


def _items(value: object) -> Iterator[tuple[str | int, object]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield (key if isinstance(key, str) else "[key]"), item
            if not isinstance(key, str | int | float | bool | dt.date | None):
                yield "[key]", key
    elif isinstance(value, list | tuple | set | frozenset):
        yield from enumerate(value)


def structure_problem(record: object, limits: Limits, syntax: str) -> Problem | None:
    """The first limit a parsed record breaks, located, or ``None``.

    Checks, without recursion (a record may be nested thousands deep, or hold
    itself): nesting depth, the number of values, whole numbers over the digit
    limit, and keys written twice. ``syntax`` (``"json"`` or ``"yaml"``) prefixes
    the codes.
    """
    stack: list[tuple[object, int, Loc]] = [(record, 1, ())]
    count = 0
    while stack:
        value, depth, loc = stack.pop()
        count += 1
        if count > limits.max_record_values:
            return Problem(
                "(record)",
                f"at most {limits.max_record_values} values in one record",
                "more",
                "record.too_large",
            )
        if isinstance(value, OversizeNumber):
            return Problem(
                field_path(loc),
                f"a number of at most {limits.max_number_digits} digits",
                describe(value),
                f"{syntax}.number_too_large",
            )
        if isinstance(value, int) and not isinstance(value, bool) and _too_long(value, limits):
            return Problem(
                field_path(loc),
                f"a number of at most {limits.max_number_digits} digits",
                describe(value),
                f"{syntax}.number_too_large",
            )
        if not isinstance(value, Mapping | list | tuple | set | frozenset):
            continue
        if depth > limits.max_depth:
            return Problem(
                field_path(loc),
                f"nesting at most {limits.max_depth} deep",
                "deeper nesting",
                f"{syntax}.too_deep",
            )
        if isinstance(value, KeyedDict) and value.duplicates:
            return Problem(
                field_path(loc),
                "each key once in an object",
                f"{_plural(len(value.duplicates), 'key')} written twice",
                f"{syntax}.duplicate_key",
            )
        for part, item in _items(value):
            stack.append((item, depth + 1, (*loc, part)))
    return None


def _too_long(value: int, limits: Limits) -> bool:
    # bit_length avoids str() of a huge int (which Python refuses past 4,300 digits)
    return value.bit_length() > limits.max_number_digits * 3.33 and (
        len(str(abs(value))) > limits.max_number_digits if value.bit_length() < 10_000 else True
    )
