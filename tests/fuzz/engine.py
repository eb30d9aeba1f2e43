"""Mutation engine: valid records with planted canaries, mutated, read, and checked.

Each record starts as a valid case (the example file's six and a rich licence
case using every free-text and identifying field) with a unique canary planted
in every field that holds text a person typed. Mutations then change its
structure (fields dropped, added, swapped, nested, wrapped), its types and
sizes (a canary, a huge number, a long text, a date and time where a value
belongs), its encoding once written (invalid UTF-8, BOMs, UTF-16, NUL bytes,
truncation, flipped bytes) and, for YAML, YAML's features (aliases, alias
bombs, tags, unquoted impossible dates, keys written twice).

The checks, for every file read (:func:`check_batch`):

* no exception escapes (only :class:`~casework.CaseFileError` for a whole file,
  with a known code);
* cases + errors = records: for JSON Lines the non-blank lines, for a list of
  dicts its length, for JSON and YAML the records written;
* no canary appears in any error, exception message or log record.

The choices come from a ``random.Random``: Hypothesis supplies it in the test
suite (tests/fuzz/test_fuzz.py), a seed does for the long run (tests/fuzz/run.py).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import logging
import random
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from casework import CaseError, CaseFileError, load_cases, yaml
from casework.problems import CODES

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ("jsonl", "json", "yaml", "memory")
CANARY_WORD = "Qzcanary"
_IDENTIFIER = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}\s*$")


def _rich_record() -> dict[str, Any]:
    """A valid licence case using every free-text and identifying field."""
    return {
        "reference": "RICH-1",
        "as_of": "2007-10-15",
        "area": "Example Area",
        "offender": {
            "sex": "female",
            "disabilities": ["CANARY"],
            "ppo": [{"start": "2007-06-05", "end": "2007-09-01"}],
        },
        "personal": {
            "name": "CANARY",
            "date_of_birth": "1979-12-31",
            "crn": "CANARY",
            "pnc": "CANARY",
        },
        "sentence": {
            "kind": "licence",
            "sentenced_on": "2007-01-05",
            "released_on": "2007-06-04",
            "custodial_months": 12,
            "licence_conditions": [{"kind": "standard", "additional": True, "text": "CANARY"}],
            "reference": "S-1",
        },
        "tiers": [{"tier": 3, "on": "2007-06-04"}],
        "roh": [{"level": "high", "on": "2007-06-05", "risk_to": {"children": "high"}}],
        "mappa": {"category": 1, "levels": [{"level": 2, "on": "2007-06-05"}]},
        "events": [{"on": "2007-07-02", "kind": "significant_incident", "description": "CANARY"}],
        "victims": [{"id": "V1", "statutory": True, "contacted_on": "2007-06-20"}],
        "transfer_in": {"notified_on": "2007-06-10", "from_area": "CANARY"},
        "approved_premises": [{"arrived_on": "2007-06-04", "left_on": "2007-08-01"}],
        "interventions": [
            {"kind": "skills_for_life", "started_on": "2007-07-01", "completed_on": "2007-09-01"}
        ],
        "recalls": [{"on": "2007-09-10", "roh_related": True}],
        "om_assignments": [{"staff": "ST1", "role": "po", "start": "2007-06-04"}],
        "outcomes": {
            "employment": [{"kind": "employment", "started_on": "2007-08-01"}],
            "accommodation": {"at_start": "settled"},
        },
        "judgements": {"answers": {"1.1.d": "yes"}, "summaries": {"1.1": "no"}},
    }


def base_records() -> list[dict[str, Any]]:
    """The valid records mutations start from."""
    document = json.loads((ROOT / "examples" / "cases.json").read_text(encoding="utf-8"))
    records = [{"as_of": document["as_of"], **record} for record in document["cases"]]
    return [*records, _rich_record()]


_BASE = base_records()
# Fields where a person's words belong; every one gets the record's canary.
_TEXT_FIELDS = (("personal", "name"),)


def canary(number: int) -> str:
    """A canary that is no valid identifier (it has spaces), unique to a record."""
    return f"{CANARY_WORD} {number:07d} Person"


def _plant(value: Any, token: str) -> Any:
    if value == "CANARY":
        return token
    if isinstance(value, dict):
        return {key: _plant(item, token) for key, item in value.items()}
    if isinstance(value, list):
        return [_plant(item, token) for item in value]
    return value


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    parent = _get(value, path[:-1])
    parent[path[-1]] = new
    return value


def _delete(value: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return {}
    parent = _get(value, path[:-1])
    del parent[path[-1]]
    return value


# ---------------------------------------------------------------------- value mutations


@attrs.frozen
class Deep:
    """A value nested ``depth`` deep around a canary: built only when written or read."""

    depth: int
    inner: str

    def text(self) -> str:
        opens = "".join('{"k": ' if index % 2 == 0 else "[" for index in range(self.depth))
        closes = "".join("}" if index % 2 == 0 else "]" for index in reversed(range(self.depth)))
        return opens + json.dumps(self.inner) + closes

    def build(self) -> Any:
        value: Any = self.inner
        for index in reversed(range(self.depth)):
            value = {"k": value} if index % 2 == 0 else [value]
        return value


def _nested(depth: int, inner: Any) -> Any:
    if depth > 50 or not isinstance(inner, dict | list):
        return Deep(depth, inner if isinstance(inner, str) else "x")
    value = inner
    for index in range(depth):
        value = [value] if index % 2 else {"k": value}
    return value


def _wrong_value(rng: random.Random, token: str) -> Any:
    options: list[Callable[[], Any]] = [
        lambda: token,
        lambda: f"2007-06-01 {token}",
        lambda: f"no contact with {token}",
        lambda: token.replace(" ", ""),  # an identifier-shaped name
        lambda: [token, token],
        lambda: {token: token},
        lambda: {"name": token},
        lambda: rng.randint(-(10**12), 10**12),
        lambda: Big.of(rng.choice([31, 400, 4299, 4301, 6000])),
        lambda: rng.random() * 10.0 ** rng.randint(-5, 300),
        lambda: float("nan"),
        lambda: rng.choice([True, False, None]),
        lambda: [],
        lambda: {},
        lambda: "",
        lambda: token * rng.randint(50, 400),
        lambda: dt.date(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
        lambda: f"{rng.randint(0, 9999):04d}-{rng.randint(0, 99):02d}-{rng.randint(0, 99):02d}",
        lambda: "2007-06-01T12:30:00",
        lambda: _nested(rng.choice([5, 20, 100, 300, 1500]), token),
        lambda: [token] * rng.randint(0, 3000),
        lambda: "\x00\x1b[31m" + token + "\u202e\ud800"[: rng.randint(0, 2)],
        lambda: '=HYPERLINK("http://x","' + token + '")',
        lambda: rng.choice(["yes", "no", "on", "off", "null", "~", "1e999", "-0", "0x1F"]),
    ]
    return rng.choice(options)()


def mutate_record(rng: random.Random, record: dict[str, Any], token: str) -> tuple[Any, str]:
    """One to three structural or value mutations; returns the record and the mutation names."""
    names: list[str] = []
    value: Any = record
    for _ in range(rng.randint(1, 3)):
        paths = list(_paths(value)) if isinstance(value, dict | list) else [()]
        path = rng.choice(paths)
        kind = rng.choice(
            [
                "replace",
                "replace",
                "replace",
                "delete",
                "add",
                "swap",
                "wrap",
                "duplicate_list",
                "key",
                "nest",
                "keep",
            ]
        )
        names.append(kind)
        try:
            if kind == "replace":
                new = _wrong_value(rng, token)
                if path == ("reference",) and isinstance(new, str) and _IDENTIFIER.match(new):
                    # The case reference is the record's own label: errors show a valid one
                    # by design (reports can pseudonymise it). A name that is a valid
                    # reference is indistinguishable from one, so the canary planted there
                    # is one that is not (it has spaces); every other field gets both.
                    new = token
                value = _set(value, path, new)
            elif kind == "delete":
                value = _delete(value, path)
            elif kind == "add":
                target = _get(value, path)
                if isinstance(target, dict):
                    target[rng.choice([token, "nickname", "sentenced_om", "name"])] = _wrong_value(
                        rng, token
                    )
            elif kind == "swap":
                other = rng.choice(paths)
                a, b = _get(value, path), _get(value, other)
                if path != ("reference",) and not (
                    isinstance(a, dict | list) and isinstance(b, dict | list)
                ):
                    value = _set(value, path, copy.deepcopy(b))
            elif kind == "wrap":
                value = _set(value, path, [_get(value, path)])
            elif kind == "duplicate_list":
                target = _get(value, path)
                if isinstance(target, list) and target:
                    target.extend(copy.deepcopy(target) * rng.randint(1, 3))
            elif kind == "key":
                target = _get(value, path)
                if isinstance(target, dict) and target:
                    key = rng.choice(list(target))
                    target[f"{key} {token}"] = target.pop(key)
            elif kind == "nest":
                value = _set(value, path, _nested(rng.randint(2, 60), _get(value, path)))
        except (KeyError, IndexError, TypeError, RecursionError):
            names[-1] += "(skipped)"
    return value, "+".join(names)


def fresh_record(rng: random.Random, number: int) -> tuple[dict[str, Any], str]:
    """A valid base record with canary ``number`` planted in every person's-words field."""
    token = canary(number)
    record = _plant(copy.deepcopy(rng.choice(_BASE)), token)
    for path in _TEXT_FIELDS:
        if path[0] in record and (len(path) == 1 or isinstance(record[path[0]], dict)):
            _set(record, path, token)
    return record, token


# ---------------------------------------------------------------------- writing


class Big(int):
    """A whole number of ``digits`` nines, written out digit by digit (past Python's 4,300)."""

    digits: int = 0

    @classmethod
    def of(cls, digits: int) -> Big:
        number = cls(10**digits - 1)  # arithmetic: no str() of a huge number
        number.digits = digits
        return number


def _placeholders(value: Any, deep: list[Deep] | None = None) -> Any:
    if isinstance(value, Deep) and deep is not None:
        deep.append(value)
        return f"@@DEEP{len(deep) - 1}@@"
    if isinstance(value, Deep):
        return value.build()
    if isinstance(value, Big):
        return f"@@BIG{value.digits}@@"
    if isinstance(value, dict):
        return {key: _placeholders(item, deep) for key, item in value.items()}
    if isinstance(value, list):
        return [_placeholders(item, deep) for item in value]
    return value


def _fill(text: str, deep: list[Deep]) -> str:
    for digits in (31, 400, 4299, 4301, 6000):
        for quote in ('"', "'", ""):
            text = text.replace(f"{quote}@@BIG{digits}@@{quote}", "9" * digits)
    for index, value in enumerate(deep):
        for quote in ('"', "'", ""):
            text = text.replace(f"{quote}@@DEEP{index}@@{quote}", value.text())
    return text


def _dumps(value: Any) -> str:
    deep: list[Deep] = []
    text = json.dumps(_placeholders(value, deep), default=str, ensure_ascii=False)
    return _fill(text, deep)


def _encode_line(rng: random.Random, text: str) -> bytes:
    """A JSON Lines line, sometimes broken as bytes."""
    data = text.encode("utf-8", "surrogatepass")
    choice = rng.randrange(14)
    if choice == 0:
        index = rng.randrange(len(data) + 1)
        data = data[:index] + bytes([rng.choice([0x80, 0xC3, 0xFF, 0xFE, 0xED])]) + data[index:]
    elif choice == 1:
        data = b"\xef\xbb\xbf" + data
    elif choice == 2:
        data = text.encode("utf-16", "surrogatepass")
    elif choice == 3:
        data = data[: rng.randrange(len(data) + 1)]
    elif choice == 4:
        raw = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            if raw:
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        data = bytes(raw)
    elif choice == 5:
        data = data.replace(b",", b",\x00", 1)
    elif choice == 6:
        data = data.replace(b'"reference"', b'"reference": "DUP", "reference"', 1)
    elif choice == 7:
        data = b"[" * rng.choice([100, 1100, 5000]) + data
    return data


@attrs.frozen
class Batch:
    """A file (or list) of mutated records, and how many records it holds."""

    fmt: str
    records: int
    canaries: tuple[str, ...]
    mutations: tuple[str, ...]
    payload: bytes | list[Any]
    exact: bool = True
    """Whether ``records`` is exact (text changed after writing may add or merge records)."""


def make_batch(rng: random.Random, fmt: str, size: int, first_number: int) -> Batch:
    """``size`` records, mutated (about one in six left valid), in format ``fmt``."""
    records: list[Any] = []
    canaries: list[str] = []
    mutations: list[str] = []
    for offset in range(size):
        record, token = fresh_record(rng, first_number + offset)
        if rng.random() < 5 / 6:
            mutated, names = mutate_record(rng, record, token)
        else:
            mutated, names = record, "none"
        records.append(mutated)
        canaries.append(token)
        mutations.append(names)
    if fmt == "memory":
        records = [_placeholders(record) for record in records]
        if rng.random() < 0.05 and records and isinstance(records[0], dict):
            records[0]["area"] = records[0]  # a record that holds itself
            mutations[0] += "+cycle"
        return Batch(fmt, size, tuple(canaries), tuple(mutations), records)
    if fmt == "jsonl":
        lines = [_encode_line(rng, _dumps(record)) for record in records]
        data = b"\n".join(lines) + b"\n"
        count = sum(1 for line in data.removeprefix(b"\xef\xbb\xbf").split(b"\n") if line.strip())
        return Batch(fmt, count, tuple(canaries), tuple(mutations), data)
    if fmt == "json":
        text = _dumps({"as_of": "2007-10-15", "cases": records} if rng.random() < 0.3 else records)
        return Batch(
            fmt, size, tuple(canaries), tuple(mutations), text.encode("utf-8", "surrogatepass")
        )
    data, extra, exact = _yaml_text(rng, records, canaries)
    return Batch(fmt, size + extra, tuple(canaries), tuple(mutations), data, exact)


def _yaml_text(
    rng: random.Random, records: list[Any], canaries: list[str]
) -> tuple[bytes, int, bool]:
    """The records as YAML, with YAML's features added; also records added and whether exact."""
    deep: list[Deep] = []
    try:
        text = str(yaml.dump(_placeholders(records, deep)))
    except (ValueError, RecursionError, yaml.YAMLError):
        text = json.dumps(_placeholders(records, deep), default=str, ensure_ascii=False)
    text = _fill(text, deep)
    if not text.startswith("- "):
        return text.encode("utf-8", "surrogatepass"), 0, False
    extra = 0
    choice = rng.randrange(10)
    token = canaries[0]
    if choice == 0:  # unquoted impossible dates
        text = text.replace("'2007-06-01'", rng.choice(["2007-02-30", "2007-13-01", "0000-01-01"]))
        text = text.replace("2007-06-01", rng.choice(["2007-02-30", "2007-13-01", "0000-01-01"]))
    elif choice == 1:  # anchors and a merge key
        text = "- &base " + text[2:] if text.startswith("- ") else text
        text += "- {<<: *base, reference: MERGED-1}\n"
        extra = 1
    elif choice == 2:  # an alias bomb beside the records
        bomb = ['- &l0 ["' + token + '"]'] + [
            f"- &l{n} [" + ",".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, rng.randint(2, 9))
        ]
        text += "\n".join(bomb) + "\n"
        extra = len(bomb)
    elif choice == 3:  # unsafe and unusual tags
        text += rng.choice(
            [
                "- !!python/object/apply:os.system ['" + token + "']\n",
                "- !!binary aGVsbG8=\n",
                "- !!set {a, b}\n",
                "- !custom " + token + "\n",
            ]
        )
        extra = 1
    elif choice == 4:  # a key written twice
        text = text.replace("reference:", "reference: DUP-1\n  reference:", 1)
    elif choice == 5:  # tabs and a second document
        text = text.replace("  ", "\t", 1) if rng.random() < 0.5 else text + "---\n- 1\n"
    elif choice == 6:  # an undefined alias named with the canary
        text += "- *" + token.replace(" ", "") + "\n"
        extra = 1
    data = text.encode("utf-8", "surrogatepass")
    if choice == 7:
        data = _encode_line(rng, text)
    return data, extra, choice not in (0, 1, 7)


# ---------------------------------------------------------------------- reading and checking


@attrs.define
class Tally:
    """What a run saw."""

    records: int = 0
    files: int = 0
    cases: int = 0
    errors: int = 0
    file_errors: int = 0
    records_in_rejected_files: int = 0
    uncaught: int = 0
    unaccounted: int = 0
    echoed: int = 0
    unchecked: int = 0
    unknown_codes: int = 0
    codes: Counter[str] = attrs.Factory(Counter)
    file_codes: Counter[str] = attrs.Factory(Counter)
    failures: list[str] = attrs.Factory(list)

    def add(self, other: Tally) -> None:
        for field in attrs.fields(Tally):
            mine, theirs = getattr(self, field.name), getattr(other, field.name)
            if field.name == "failures":
                mine.extend(theirs[: max(0, 20 - len(mine))])
            else:
                setattr(self, field.name, mine + theirs)

    def summary(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "files": self.files,
            "cases_accepted": self.cases,
            "record_errors": self.errors,
            "files_rejected_whole": self.file_errors,
            "records_in_files_rejected_whole": self.records_in_rejected_files,
            "uncaught_exceptions": self.uncaught,
            "unaccounted_records": self.unaccounted,
            "echoed_canaries": self.echoed,
            "unchecked_records": self.unchecked,
            "unknown_codes": self.unknown_codes,
            "files_rejected_whole_by_code": dict(self.file_codes.most_common()),
            "top_codes": dict(self.codes.most_common(12)),
        }


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def check_batch(batch: Batch, folder: Path) -> Tally:
    """Read one batch and check the three promises; returns what was seen."""
    tally = Tally(records=batch.records, files=1)
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    texts: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            source: Any = batch.payload
            if not isinstance(batch.payload, list):
                source = folder / f"batch.{batch.fmt}"
                source.write_bytes(batch.payload)
            try:
                result = load_cases(source)
            except CaseFileError as exc:
                tally.file_errors += 1
                tally.records_in_rejected_files += batch.records
                texts.append(str(exc))
                tally.codes[exc.code] += 1
                tally.file_codes[f"{batch.fmt}:{exc.code}"] += 1
                if exc.code not in CODES:
                    tally.unknown_codes += 1
                if batch.fmt in ("jsonl", "memory") and exc.code != "file.empty":
                    tally.unaccounted += batch.records
                    tally.failures.append(f"{batch.fmt}: file rejected whole ({exc.code})")
            except Exception as exc:
                tally.uncaught += 1
                tally.failures.append(f"{batch.fmt}: {type(exc).__name__}: {str(exc)[:200]}")
            else:
                tally.cases += len(result.cases)
                tally.errors += len(result.errors)
                if result.records != batch.records and batch.exact:
                    tally.unaccounted += abs(batch.records - result.records)
                    tally.failures.append(
                        f"{batch.fmt}: {batch.records} records written, {result.records} read"
                    )
                for error in result.errors:
                    _texts_of(error, texts)
                    for problem in error.problems:
                        tally.codes[problem.code] += 1
                        tally.unchecked += problem.code == "record.unchecked"
                        tally.unknown_codes += problem.code not in CODES
                for case in result.cases:
                    # The probation area and identifiers (references, ids) are not personal
                    # details and show in repr; names, dates of birth and free text must not.
                    shown = repr(case.model_copy(update={"area": None}))
                    if any(token in shown for token in batch.canaries):
                        texts.append(shown)
            texts.extend(str(warning.message) for warning in caught)
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)
    texts.extend(capture.messages)
    joined = "\n".join(texts)
    if CANARY_WORD.lower() in joined.lower():
        tally.echoed += sum(joined.count(token) for token in batch.canaries) or 1
        line = next(text for text in texts if CANARY_WORD.lower() in text.lower())
        tally.failures.append(f"{batch.fmt}: canary echoed: {line[:300]}")
    return tally


def _texts_of(error: CaseError, texts: list[str]) -> None:
    texts.append(str(error))
    if error.case_ref:
        texts.append(error.case_ref)
    for problem in error.problems:
        texts.extend((problem.field, problem.expected, problem.found, problem.code))


def run(rng: random.Random, records: int, folder: Path, *, batch_size: int = 20) -> Tally:
    """Mutate and read ``records`` records in batches, cycling through the formats."""
    total = Tally()
    number = 0
    index = 0
    while number < records:
        fmt = FORMATS[index % len(FORMATS)]
        size = min(batch_size, records - number)
        batch = make_batch(rng, fmt, size, number)
        number += size
        index += 1
        total.add(check_batch(batch, folder))
    return total
