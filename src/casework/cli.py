"""The ``casework`` command line.

Every command that prints a report takes ``--format`` (text, markdown, html,
json, csv) and ``--output FILE``; rendering is done by :mod:`casework.report`,
so the command line prints exactly what the library returns. Progress goes to
stderr, and only on a terminal (or with ``--progress``), never into the output.

No traceback reaches a user: every mistake is one line on stderr and a
documented exit status (``EXIT_*``); an unexpected error is one line too, with
``--debug`` (or ``CASEWORK_DEBUG=1``) to see its traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import fnmatch
import functools
import gc
import itertools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, NoReturn, TypeVar, cast

import attrs
import click

from casework import console
from casework._process import COMMAND_GC_THRESHOLDS, arrow_allocator
from casework._process import arrow_without_pandas as _arrow_without_pandas
from casework.intervals import IntervalOptions
from casework.report.output import FORMATS, Format, Report, format_for_path
from casework.report.output import SUFFIXES as REPORT_SUFFIXES
from casework.sampling import (
    DEFAULT_MANAGED_MONTHS,
    DEFAULT_MAX_SIZE,
    DEFAULT_MINIMUMS,
    DEFAULT_SIZE,
    ManagedFrom,
    SampleType,
)
from casework.text import one_line

if TYPE_CHECKING:  # each command imports the modules it uses when it runs (start-up)
    import numpy as np
    import numpy.typing as npt

    from casework.calendar import WorkingCalendar
    from casework.columnar import CaseColumns, FindingColumns
    from casework.columnar.core import FindingTable
    from casework.columnar.reader import StartedRead
    from casework.compare import Comparison, Scorer
    from casework.inspection_tally import SpilledTally
    from casework.io import CaseError, LoadResult
    from casework.model import Case
    from casework.model.inspection import Inspection
    from casework.parallel import WrittenFindings
    from casework.performance import Period, TargetTally
    from casework.report import Pseudonyms
    from casework.report.findings import FindingsJson
    from casework.rules import Finding, Findings, Rule, RuleError, RuleSet
    from casework.rules.targets import NearMiss, TargetSet
    from casework.scoring import ScoringOptions
    from casework.stream import FindingsWriter, StreamedRead, StreamFormat

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_BUG",
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROGRESS_THRESHOLD",
    "main",
]

EXIT_OK = 0
"""Every record was read and the command did its work."""
EXIT_INPUT = 1
"""The input has problems: some records were rejected (the output covers the rest), the
file cannot be read as a case file at all (no output), or a date of the cases is outside
the working-day calendar's years."""
EXIT_USAGE = 2
"""The command was given wrongly: an unknown option, a bad date, a missing file, a filter
that matches nothing, a missing optional extra (with the install hint)."""
EXIT_BUG = 3
"""An unexpected error: a bug in casework. One line on stderr; ``--debug`` shows the traceback."""
EXIT_INTERRUPTED = 130
"""Interrupted (Ctrl-C)."""
EXIT_BROKEN_PIPE = 141
"""The reader of standard output went away (``casework ... | head``), as a shell reports it."""

PROGRESS_THRESHOLD = console.PROGRESS_THRESHOLD
"""Records or cases from which a progress bar is shown on a terminal (``--progress``
forces it)."""

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

_EXIT_CODES = """\b
Exit status:
  0  every record read; the command did its work
  1  some records were rejected (the output covers the others), the
     file cannot be read as a case file, or its dates are outside the
     working-day calendar's years
  2  bad usage: unknown option or rule set, an overlay file that cannot
     be read or applied, bad date, missing file or folder, a --case,
     --rule or --area that matches nothing, a missing optional extra
  3  an unexpected error (a bug in casework: --debug shows the traceback)"""

DEBUG_ENV = "CASEWORK_DEBUG"
"""Environment variable: set to 1, an unexpected error shows its traceback (as ``--debug``)."""

_REPORT_BUG = (
    "this is a bug in casework; please report it with the command you ran (not the case file); "
    f"--debug or {DEBUG_ENV}=1 shows the traceback"
)


#: click 8.2+ raises this for a group called with no command (older versions show the help).
_NO_ARGUMENTS: tuple[type[click.UsageError], ...] = tuple(
    found
    for found in (getattr(click.exceptions, "NoArgsIsHelpError", None),)
    if isinstance(found, type) and issubclass(found, click.UsageError)
)


class _Casework(click.Group):
    """The command group, run so that no traceback reaches a user.

    Every error is one line on stderr (``Error: ...``) and an exit status: the
    exception's own for a usage or input mistake, :data:`EXIT_BUG` for anything
    unexpected (its message is not shown: it may quote a record).
    """

    debug = False
    program = False
    """Run as the program, in a process of its own (arguments from ``sys.argv``), not
    called with arguments from Python (a test, a notebook)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            # click turns an EPIPE into exit status 1; ours is EXIT_BROKEN_PIPE
            raise _ReaderGoneError from exc

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        self.debug = False
        self.program = args is None
        if self.program:
            arrow_allocator()
        try:
            with _few_collections(program=self.program):
                code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _NO_ARGUMENTS as exc:  # `casework` alone: the help, as --help shows it
            click.echo(exc.format_message())
            sys.exit(EXIT_OK)
        except click.UsageError as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            _fail(exc.format_message() + where, exc.exit_code)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            _fail("interrupted", EXIT_INTERRUPTED)
        except (BrokenPipeError, _ReaderGoneError):
            # The reader went away (`casework ... | head`): stop quietly, as a pipe expects.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except Exception as exc:
            if self.debug:
                raise
            _fail(f"unexpected {type(exc).__name__}: {_REPORT_BUG}", EXIT_BUG)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


@contextlib.contextmanager
def _few_collections(*, program: bool = False) -> Iterator[None]:
    """While a command runs: the objects made before it (modules, rule sets) are left out
    of the collector's passes (``gc.freeze``) and the passes come less often; both are put
    back afterwards (a command run in-process, as by a test, leaves the collector as it
    found it).

    ``program``: the command is the process's last work (:attr:`_Casework.program`), so
    every object is left frozen as it ends instead: the interpreter's shutdown then skips
    the final pass over every module, class and object, some 50 to 80 ms of each command
    (decision: fewer-collections, "At exit"). The ``atexit`` functions, the
    ``weakref.finalize`` callbacks (the scratch files' removal) and the flushing of the
    standard streams still run."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*COMMAND_GC_THRESHOLDS)
    try:
        yield
    finally:
        if program:
            gc.freeze()
        else:
            gc.set_threshold(*before)
            gc.unfreeze()


class _ReaderGoneError(Exception):
    """The reader of standard output went away (a broken pipe), raised past click."""


class _BugError(click.ClickException):
    """A bug found where it happened (a rule that raised): one line, exit :data:`EXIT_BUG`."""

    exit_code = EXIT_BUG


def _fail(message: str, code: int) -> None:
    """Print ``message`` as one line on stderr and exit with ``code``."""
    click.echo(f"Error: {one_line(message)}", err=True)
    sys.exit(code)


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and isinstance(ctx.command, _Casework):
        ctx.command.debug = True


# ---------------------------------------------------------------------- options


class _LazyChoice(click.Choice[str]):
    """A :class:`click.Choice` whose choices are read when first needed (for a command's
    help or its use), so that building the command line imports no rule or schema module."""

    def __init__(self, choices: Callable[[], Iterable[str]]) -> None:
        self._source = choices
        self._read: tuple[str, ...] | None = None
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        if self._read is None:
            self._read = tuple(self._source())
        return self._read

    @choices.setter
    def choices(self, _value: Sequence[str]) -> None:
        """(click sets the choices given; they are read from the source instead)"""


def _outcome_values() -> list[str]:
    from casework.rules import Outcome

    return [o.value for o in Outcome]


def _output_schema_names() -> tuple[str, ...]:
    from casework.schemas import available_output_schemas

    return available_output_schemas()


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from None


def _did_you_mean(value: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``known``, or nothing."""
    return _suggestion(_closest(value, known))


def _suggestion(closest: tuple[float, str] | None) -> str:
    return f" (did you mean {closest[1]!r}?)" if closest else ""


def _closest(value: str, known: Iterable[str]) -> tuple[float, str] | None:
    """The closest of ``known`` to ``value`` and its likeness, as
    ``difflib.get_close_matches(value, known, n=1)`` picks it (the greatest likeness, at
    least 0.6, then the greatest string): the greater of the closest in two parts of
    ``known`` is the closest in the whole."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(value)
    best: tuple[float, str] | None = None
    for candidate in known:
        matcher.set_seq1(candidate)
        if (
            matcher.real_quick_ratio() >= _LIKE
            and matcher.quick_ratio() >= _LIKE
            and (ratio := matcher.ratio()) >= _LIKE
            and (best is None or (ratio, candidate) > best)
        ):
            best = (ratio, candidate)
    return best


_LIKE = 0.6  # (difflib.get_close_matches's cutoff)


@functools.cache  # once a run: the options and the command ask for it (it cannot change)
def _calendar() -> WorkingCalendar:
    from casework.calendar import WorkingCalendar

    return WorkingCalendar.england_and_wales()


def _covered(day: dt.date, calendar: WorkingCalendar) -> bool:
    return calendar.covers(day)


def _parse_assessment_date(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> dt.date | None:
    """An assessment date, which must be in a year the working-day calendar covers."""
    day = _parse_date(ctx, param, value)
    if day is not None:
        calendar = _calendar()
        if not _covered(day, calendar):
            raise click.BadParameter(
                f"{value} is outside the years the working-day calendar covers "
                f"({calendar.first_year}-{calendar.last_year})"
            )
    return day


def _named_ruleset(name: str) -> RuleSet:
    from casework.rules.registry import available_rulesets, ruleset

    try:
        return ruleset(name)
    except KeyError:
        known = available_rulesets()
        raise click.BadParameter(
            f"no rule set named {name!r}{_did_you_mean(name, known)}; known: {', '.join(known)}"
        ) from None


def _parse_ruleset(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> RuleSet | None:
    return None if value is None else _named_ruleset(value)


def _any_ruleset(value: str, option: str, *, allow_code: bool) -> RuleSet:
    """A shipped rule set's name, an overlay file, or (with ``--allow-code``)
    ``package.module:attribute``."""
    from casework.rules import RuleDefinitionError
    from casework.rules.ruleset import resolve_ruleset

    try:
        return resolve_ruleset(value, allow_code=allow_code)
    except RuleDefinitionError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def _parse_period(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Period | None:
    """``2007-04-01..2008-03-31``, a financial year ``2007-08``, or a quarter ``2007-08-Q1``."""
    from casework.performance import Period

    if value is None:
        return None
    text = value.strip()
    try:
        if ".." in text:
            first, _, last = text.partition("..")
            return Period(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
        year, _, quarter = text.upper().partition("-Q")
        if quarter:
            return Period.quarter(year, int(quarter))
        return Period.financial_year(year)
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r} is not a period ({exc}); use START..END (2007-04-01..2008-03-31), "
            "a financial year (2007-08) or a quarter of one (2007-08-Q1)"
        ) from None


def _parse_target_set(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> TargetSet | None:
    from casework.rules.targets import available_target_sets, target_set

    if value is None:
        return None
    try:
        return target_set(value)
    except KeyError:
        names = available_target_sets()
        raise click.BadParameter(
            f"no target set named {value!r}{_did_you_mean(value, names)}; known: {', '.join(names)}"
        ) from None


def _supplied_figures(targets: TargetSet, pairs: Sequence[str]) -> dict[str, str]:
    """``--figure N15=9.5`` pairs, each checked against its measure."""
    out: dict[str, str] = {}
    for pair in pairs:
        measure_id, sep, value = pair.partition("=")
        measure_id, value = measure_id.strip(), value.strip()
        if not sep or not measure_id or not value:
            raise click.BadParameter(f"{pair!r} is not ID=VALUE (N15=9.5)", param_hint="'--figure'")
        if measure_id not in targets:
            known = ", ".join(m.id for m in targets)
            raise click.BadParameter(
                f"{targets.name} has no measure {measure_id!r}; it has {known}",
                param_hint="'--figure'",
            )
        try:
            targets.measure(measure_id).parse(value)
        except (ValueError, TypeError) as exc:
            raise click.BadParameter(f"{measure_id}: {exc}", param_hint="'--figure'") from None
        out[measure_id] = value
    return out


def _near_miss(
    targets: TargetSet, relative: str | None, absolute: str | None, reading: str | None
) -> NearMiss | None:
    from casework.rules.targets import NearMiss

    if sum(option is not None for option in (relative, absolute, reading)) > 1:
        raise click.UsageError("give one of --near-miss, --near-miss-points or --near-miss-reading")
    if reading is not None:
        try:
            return targets.near_miss_reading(reading)
        except KeyError as exc:
            raise click.BadParameter(exc.args[0], param_hint="'--near-miss-reading'") from None
    try:
        if relative is not None:
            return NearMiss.relative(relative if relative.endswith("%") else f"{relative}%")
        if absolute is not None:
            return NearMiss.absolute(absolute)
    except (ValueError, TypeError) as exc:
        raise click.BadParameter(str(exc), param_hint="'--near-miss'") from None
    return None


def _parse_share(_ctx: click.Context, param: click.Parameter, value: str | None) -> Fraction | None:
    """``75%``, ``0.75`` or ``3/4`` as an exact fraction between 0 and 1."""
    if value is None:
        return None
    try:
        share = _fraction_text(value)
    except (ValueError, ZeroDivisionError):
        raise click.BadParameter(f"{value!r} is not a share such as 75%, 0.75 or 3/4") from None
    if not 0 <= share <= 1:
        raise click.BadParameter(f"{value!r} is not between 0% and 100%")
    return share


def _fraction_text(text: str) -> Fraction:
    text = text.strip()
    if text.endswith("%"):
        return Fraction(text[:-1].strip()) / 100
    return Fraction(text)


def _scoring_options(pairs: Sequence[str]) -> ScoringOptions:
    """``NAME=VALUE`` pairs as :class:`ScoringOptions` (docs/scoring.md#options)."""
    from casework.scoring import ScoringOptions, exact_fraction

    defaults = ScoringOptions()
    fields = attrs.fields_dict(ScoringOptions)
    names = list(fields)
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in names:
            raise click.BadParameter(
                f"{pair!r}: expected NAME=VALUE with NAME one of {', '.join(names)}",
                param_hint="'--option'",
            )
        default = getattr(defaults, name)
        try:
            if isinstance(default, bool):
                if text.lower() not in {"true", "false", "yes", "no"}:
                    raise ValueError("expected true or false")
                values[name] = text.lower() in {"true", "yes"}
            elif name in {"individual_weight", "reinspection_threshold"}:
                values[name] = exact_fraction(text)
            else:
                choices = getattr(fields[name].validator, "options", None)
                if choices is not None and text not in choices:
                    raise ValueError(f"expected one of {', '.join(map(str, choices))}")
                values[name] = text
        except (ValueError, ZeroDivisionError) as exc:
            message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else "bad value"
            if name in {"individual_weight", "reinspection_threshold"} and "between" not in message:
                message = "expected a share such as 80%, 0.8 or 4/5"
            raise click.BadParameter(f"{pair!r}: {message}", param_hint="'--option'") from None
    try:
        return ScoringOptions(**values)
    except (ValueError, TypeError) as exc:
        message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else "bad value"
        raise click.BadParameter(message, param_hint="'--option'") from None


def _interval_choice(
    on: bool, level: str, resamples: int, seed: int, band_threshold: str
) -> IntervalOptions | bool:
    """The ``--level``, ``--resamples``, ``--seed`` and ``--band-threshold`` options as
    :class:`IntervalOptions` (``False`` with ``--no-intervals``)."""
    if not on:
        return False
    values: dict[str, Fraction] = {}
    for name, text in (("level", level), ("band_threshold", band_threshold)):
        try:
            values[name] = _fraction_text(text)
        except (ValueError, ZeroDivisionError):
            flag = f"'--{name.replace('_', '-')}'"
            raise click.BadParameter(
                f"{text!r} is not a share such as 95%, 0.95 or 19/20", param_hint=flag
            ) from None
    if not 0 < values["level"] < 1:
        raise click.BadParameter(f"{level!r} is not between 0% and 100%", param_hint="'--level'")
    if not 0 <= values["band_threshold"] <= 1:
        raise click.BadParameter(
            f"{band_threshold!r} is not between 0% and 100%", param_hint="'--band-threshold'"
        )
    return IntervalOptions(
        level=values["level"],
        resamples=resamples,
        seed=seed,
        band_threshold=values["band_threshold"],
    )


def interval_options(intervals_help: str, *, band: bool = True) -> Callable[[F], F]:
    """``--intervals/--no-intervals``, ``--level``, ``--resamples``, ``--seed`` and (with
    ``band``) ``--band-threshold`` (docs/scoring.md#how-sure-each-score-is)."""
    options = [
        click.option(
            "--intervals/--no-intervals", default=True, show_default=True, help=intervals_help
        ),
        click.option(
            "--level",
            default="95%",
            show_default=True,
            metavar="SHARE",
            help="Confidence level of the intervals.",
        ),
        click.option(
            "--resamples",
            type=click.IntRange(min=1),
            default=IntervalOptions().resamples,
            show_default=True,
            metavar="N",
            help="Bootstrap resamples of the cases.",
        ),
        click.option(
            "--seed",
            type=int,
            default=IntervalOptions().seed,
            show_default=True,
            metavar="N",
            help="Seed of the bootstrap draws (the same seed gives the same intervals).",
        ),
    ]
    if band:
        options.append(
            click.option(
                "--band-threshold",
                default="80%",
                show_default=True,
                metavar="SHARE",
                help="Flag a criterion whose conclusion holds in fewer than this share of "
                "resamples.",
            )
        )

    def decorate(function: F) -> F:
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


def case_file_argument(function: F) -> F:
    return click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))(
        function
    )


def read_case_file_argument(
    *, read_size: int | None = None, chunk: int | None = None
) -> Callable[[F], F]:
    """FILE, for a command that reads it a chunk of columns at a time (``read_size`` as
    its :class:`~casework.stream.StreamedRead`'s, ``chunk`` the cases of its chunks:
    :data:`casework.stream.DEFAULT_CHUNK` when ``None``): a JSON Lines file is opened and
    its first batches parsed on a worker thread as soon as FILE is read, while the
    command reads its other options and imports what it needs (decision:
    read-while-importing). The command takes the read (:func:`_started_read`) when it
    reads in the same batches; one not taken is closed when the command ends."""

    def start(ctx: click.Context, _param: click.Parameter, value: Path) -> Path:
        from casework.columnar.reader import StartedRead
        from casework.io import case_file_format
        from casework.stream import DEFAULT_CHUNK

        if case_file_format(value) == "jsonl":
            size = DEFAULT_CHUNK if chunk is None else chunk
            started = StartedRead(value, size=size, read_size=read_size)
            if started.started:
                ctx.find_root().call_on_close(started.close)
                ctx.meta[_STARTED] = started
        return value

    return click.argument(
        "file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        callback=start,
        is_eager=True,  # (before the options, whose callbacks import the rules)
    )


_STARTED: Final = "casework.started_read"


def _started_read(file: Path) -> StartedRead | None:
    """The read of ``file`` its FILE argument started (:func:`read_case_file_argument`),
    once: the command's one streamed read takes it (a second read starts afresh)."""
    ctx = click.get_current_context(silent=True)
    started = None if ctx is None else ctx.meta.pop(_STARTED, None)
    if started is not None and started.path != file:  # pragma: no cover - one FILE a command
        started.close()
        return None
    return cast("StartedRead | None", started)


def _close_started(file: Path) -> None:
    """Stop the read of ``file`` its FILE argument started: the command reads it otherwise."""
    started = _started_read(file)
    if started is not None:
        started.close()


def ruleset_option(help: str) -> Callable[[F], F]:
    return click.option(
        "--ruleset", "-r", "rules", callback=_parse_ruleset, metavar="NAME", help=help
    )


def as_of_option(help: str, *, assessment: bool = True) -> Callable[[F], F]:
    """``--as-of``; an assessment date must be in the working-day calendar's years."""
    callback = _parse_assessment_date if assessment else _parse_date
    return click.option("--as-of", callback=callback, metavar="YYYY-MM-DD", help=help)


def _writable_file(_ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """A file to write: its folder must exist (checked before any work is done)."""
    if value is not None:
        folder = value.parent
        if not folder.is_dir():
            raise click.BadParameter(
                f"cannot write {value.name!r}: the folder {str(folder)!r} does not exist",
                param_hint=f"'{param.opts[0]}'" if param.opts else None,
            )
    return value


def _output_suffix_checked(format_: str | None, output: Path | None, *, streamed: bool) -> None:
    """Without --format, --output's suffix must name a format the command writes: refused
    here, before the file is read (a large file read to the end, and a sample's cases
    written, before the error would be a waste)."""
    if format_ is not None or output is None:
        return
    suffix = output.suffix.lower()
    if streamed and suffix in _STREAM_SUFFIXES:
        return
    try:
        format_for_path(output)
    except ValueError as exc:
        message = str(exc)
        if streamed:
            known = ", ".join(sorted({*REPORT_SUFFIXES, *_STREAM_SUFFIXES}))
            message = f"cannot tell the format of {output.name!r}; use one of {known}"
        raise click.BadParameter(message, param_hint="'--output'") from None


def output_options(function: F) -> F:
    """``--format`` and ``--output``: how and where a report is written."""
    return _output_options(FORMATS)(function)


#: Formats ``casework findings`` writes a chunk at a time, to a file (docs/performance.md).
STREAM_FORMATS: tuple[StreamFormat, ...] = ("jsonl", "parquet")
_STREAM_SUFFIXES: dict[str, StreamFormat] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}


def _output_options(formats: Sequence[str]) -> Callable[[F], F]:
    def decorate(function: F) -> F:
        return _with_output_options(function, formats)

    return decorate


def _with_output_options(function: F, formats: Sequence[str]) -> F:
    streamed = any(f in STREAM_FORMATS for f in formats)
    command = function

    @functools.wraps(command)
    def checked(*args: Any, **kwargs: Any) -> Any:
        _output_suffix_checked(kwargs.get("format_"), kwargs.get("output"), streamed=streamed)
        return command(*args, **kwargs)

    function = console.width_option(cast("F", checked))
    suffixes = ".txt .md .html .json .csv" + (" .jsonl .parquet" if streamed else "")
    function = click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        callback=_writable_file,
        help="Write the report to this file instead of standard output. "
        f"Its suffix ({suffixes}) sets the format unless --format is given.",
    )(function)
    return click.option(
        "--format",
        "-f",
        "format_",
        type=click.Choice(formats),
        help="Output format. [default: text, or from the --output suffix]"
        + (
            " json, jsonl, parquet and csv are written a chunk of cases at a time."
            if streamed
            else ""
        ),
    )(function)


def pseudonym_options(function: F) -> F:
    function = click.option(
        "--pseudonym-key-file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Derive pseudonyms from the secret key in this file (HMAC-SHA256), so the same "
        "case gets the same pseudonym in every report made with the key. Implies --pseudonymise.",
    )(function)
    return click.option(
        "--pseudonymise",
        "--pseudonymize",
        "pseudonymise_",
        is_flag=True,
        help="Replace case references with pseudonyms (CASE-0001, ... in order first seen).",
    )(function)


def progress_option(function: F) -> F:
    return click.option(
        "--progress/--no-progress",
        " /--quiet",
        default=None,
        callback=console.remember_progress,
        help="Show progress of reading and evaluating on stderr: a bar on a terminal; off one, "
        "a line every few seconds and a last line. --quiet is --no-progress. "
        f"[default: on a terminal, for {PROGRESS_THRESHOLD} records or cases or more]",
    )(function)


# ---------------------------------------------------------------------- helpers


def _report_format(format_: Format | None, output: Path | None) -> Format:
    """The format a report is written in: ``--format``, else the ``--output`` suffix's
    (known: the command's output options checked it before it began), else text."""
    if format_ is not None:
        return format_
    if output is None:
        return "text"
    try:
        return format_for_path(output)
    except ValueError as exc:  # pragma: no cover - refused before the command began
        raise click.BadParameter(str(exc), param_hint="'--output'") from None


def _emit(report: Report, format_: Format | None, output: Path | None) -> None:
    """Render ``report`` once, in the format asked for, to stdout or ``output``."""
    format_ = _report_format(format_, output)
    if (
        output is None
        and format_ == "text"
        and report.text is None
        and console.is_terminal(sys.stdout)
    ):  # drawn with rich on a terminal; plain text in a pipe or a file
        console.print_document(report.document, sys.stdout, console.text_width(sys.stdout))
        return
    try:
        text = report.render(format_, width=console.text_width(sys.stdout, to_file=bool(output)))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if output is None:
        click.echo(text, nl=False)
    else:
        _write(output, lambda: output.write_text(text, encoding="utf-8"), "'--output'")
        click.echo(f"Wrote {output}", err=True)


def _emit_streamed(report: Report, format_: Format | None, output: Path | None) -> None:
    """:func:`_emit`, but every format is written a piece at a time
    (:meth:`~casework.report.Report.write`): a long list, made when read, is never whole
    in memory (a target report of a caseload lists every unit not met)."""
    format_ = _report_format(format_, output)
    if format_ == "csv" and report.table is None:
        raise click.UsageError(f"{report.document.title!r} has no table to write as CSV")
    if (
        output is None
        and format_ == "text"
        and report.text is None
        and console.is_terminal(sys.stdout)
    ):
        _emit(report, format_, output)  # drawn with rich on a terminal
        return
    width = console.text_width(sys.stdout, to_file=bool(output))
    if output is None:
        report.write(sys.stdout, format_, width=width)
        return
    chosen = format_

    def save() -> None:
        with output.open("w", encoding="utf-8") as stream:
            report.write(stream, chosen, width=width)

    _write(output, save, "'--output'")
    click.echo(f"Wrote {output}", err=True)


#: The suffixes of a case file ``sample --cases`` writes (those :func:`casework.dump_cases`
#: knows).
_CASE_FILE_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson", ".yaml", ".yml"})


def _write(path: Path, write: Callable[[], object], option: str) -> None:
    """``write()`` to ``path``; an operating-system error is a usage error naming the file."""
    try:
        write()
    except OSError as exc:
        raise click.BadParameter(
            f"cannot write {path.name!r}: {exc.strerror or type(exc).__name__}", param_hint=option
        ) from None


def _load(file: Path, as_of: dt.date | None) -> LoadResult:
    """Read every record of FILE (as :func:`~casework.load_cases` does), showing progress."""
    from casework.io import CaseFileError, LoadResult, iter_cases
    from casework.model import Case

    cases: list[Case] = []
    errors: list[CaseError] = []
    try:
        with _reading_progress(file) as progress:
            for item in iter_cases(file, as_of=as_of):
                if isinstance(item, Case):
                    cases.append(item)
                else:
                    errors.append(item)
                progress.advance()
    except (CaseFileError, OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from None
    return LoadResult(tuple(cases), tuple(errors))


@contextlib.contextmanager
def _told_read_errors() -> Iterator[None]:
    """A case file read a chunk at a time that cannot be read told in one line (exit 1), and
    cases recorded as at different dates with no date given (exit 2): the streamed commands
    and ``findings --jobs`` tell them alike. (Imports :mod:`casework.stream`, and so
    pyarrow: not for the whole-file read of ``_read_cases``.)"""
    from casework.io import CaseFileError
    from casework.stream import MixedDatesError

    try:
        yield
    except (CaseFileError, OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from None
    except MixedDatesError as exc:
        raise click.UsageError(str(exc)) from None


def _reading_progress(file: Path) -> console.Progress:
    """Progress of reading FILE's records (``loaded 5,000 of ~20,000 records``)."""
    choice = console.progress_choice()
    shown = choice if choice is not None else console.is_terminal(sys.stderr)
    total = console.estimate_records(file) if shown else None
    return console.Progress(
        f"Reading {file.name}", "loaded", "records", total=total, approximate=True, choice=choice
    )


def _check_cases(case_refs: Sequence[str], result: LoadResult, file: Path) -> None:
    """Every ``--case`` names an accepted case of the file (a filter that matches nothing
    is a mistake, exit 2)."""
    looked_for = _Named(case_refs)
    looked_for.read_references([case.reference for case in result.cases])
    looked_for.check(file)


class _Named:
    """The cases ``--case`` names, looked for as a file is read a chunk at a time: those
    found, and for each name not found (yet) the closest reference read, as
    :func:`_did_you_mean` picks it from every reference at once (no reference kept)."""

    def __init__(self, case_refs: Sequence[str]) -> None:
        self.names = tuple(case_refs)
        self.wanted = frozenset(case_refs)
        self.found: set[str] = set()
        self.closest: dict[str, tuple[float, str]] = {}

    def read(self, chunk: CaseColumns) -> list[Case]:
        """The cases of a chunk named, in order (only they made
        :class:`~casework.model.Case` objects); the chunk's references noted."""
        self.read_references(chunk.references)
        cases = chunk.cases
        return [cases[i] for i, ref in enumerate(chunk.references) if ref in self.wanted]

    def read_references(self, references: Sequence[str]) -> None:
        missing = [name for name in self.names if name not in self.found]
        self.found.update(ref for ref in references if ref in self.wanted)
        for name in missing:
            if name in self.found:
                continue
            closest = _closest(name, references)
            if closest is not None and closest > self.closest.get(name, (0.0, "")):
                self.closest[name] = closest

    def check(self, file: Path) -> None:
        """Every name is an accepted case's (exit 2, with the closest reference, if not)."""
        for name in self.names:
            if name not in self.found:
                raise click.BadParameter(
                    f"{name!r}: no accepted case of {file.name} has this reference"
                    f"{_suggestion(self.closest.get(name))}",
                    param_hint="'--case'",
                )


def _check_patterns(patterns: Sequence[str], names: Iterable[str], what: str) -> None:
    """Every ``--rule`` pattern matches something (exit 2 when one matches nothing)."""
    known = sorted(set(names))
    for pattern in patterns:
        if not any(fnmatch.fnmatchcase(name, pattern) for name in known):
            raise click.BadParameter(
                f"{pattern!r} matches no {what}{_did_you_mean(pattern, known)}",
                param_hint="'--rule'",
            )


def _note_empty(count: int, filtered: bool, what: str) -> None:
    """Say on stderr when filters left nothing (the report itself shows none)."""
    if filtered and not count:
        click.echo(f"note: no {what} matches the filters given", err=True)


def _warn_rejected(file: Path, result: LoadResult | StreamedRead | WrittenFindings) -> None:
    if result.errors:
        click.echo(
            f"warning: {file.name}: {result.summary()}; the output covers the accepted cases. "
            f"Run `casework validate {file}` to see why.",
            err=True,
        )


def _assessment_date(as_of: dt.date | None, cases: Sequence[Case]) -> dt.date:
    if as_of is not None:
        return as_of
    dates = {case.as_of for case in cases}
    if len(dates) == 1:
        day = dates.pop()
        _check_covered(day)
        return day
    if not dates:
        raise click.UsageError("no case was accepted; give --as-of to name the assessment date")
    raise click.UsageError(
        f"the cases are recorded as at {len(dates)} different dates; "
        "give --as-of YYYY-MM-DD for the assessment date"
    )


def _check_covered(day: dt.date) -> None:
    """The cases' own assessment date is in the working-day calendar's years (exit 1)."""
    calendar = _calendar()
    if not _covered(day, calendar):
        raise click.ClickException(
            f"the cases are recorded as at {day.isoformat()}, outside the years the "
            f"working-day calendar covers ({calendar.first_year}-{calendar.last_year}); "
            "give --as-of YYYY-MM-DD"
        )


def _chosen_ruleset(rules: RuleSet | None, as_of: dt.date) -> RuleSet:
    from casework.rules.registry import ruleset_in_force

    if rules is not None:
        return rules
    try:
        return ruleset_in_force(as_of)
    except LookupError as exc:
        raise click.UsageError(f"{exc}; name one with --ruleset") from None


def _read_cases(file: Path, as_of: dt.date | None) -> tuple[LoadResult, dt.date]:
    """Read FILE (warning about rejected records) and settle the assessment date."""
    result = _load(file, as_of)
    _warn_rejected(file, result)
    return result, _assessment_date(as_of, result.cases)


def _with_progress(
    cases: Sequence[Case], progress: bool | None, verb: str, work: Callable[[Iterable[Case]], T]
) -> T:
    """``work(cases)``, iterating under a progress bar on stderr when one is wanted: on a
    terminal for large files, or when asked."""
    done = {"Evaluating": "evaluated", "Comparing": "compared"}.get(verb, verb.lower())
    with console.Progress(
        f"{verb} {len(cases)} cases", done, "cases", total=len(cases), choice=progress
    ) as bar:
        return work(console.track(cases, bar))


def _evaluate_file(
    file: Path,
    as_of: dt.date | None,
    choose: Callable[[dt.date], RuleSet],
    progress: bool | None,
) -> tuple[LoadResult, Findings]:
    """Read FILE (warning about rejected records) and evaluate its cases.

    ``choose`` picks the rule set once the assessment date is known.
    """
    result, assessed_on = _read_cases(file, as_of)
    rules = choose(assessed_on)
    return result, _evaluate_cases(result.cases, rules, assessed_on, progress)


def _evaluate_cases(
    cases: Sequence[Case], rules: RuleSet, assessed_on: dt.date, progress: bool | None
) -> Findings:
    from casework.rules import Findings, RuleError, evaluate_case

    calendar = _calendar()

    def evaluate_all(chosen: Iterable[Case]) -> Findings:
        found: list[Finding] = []
        for case in chosen:
            try:
                found.extend(evaluate_case(case, rules, as_of=assessed_on, calendar=calendar))
            except RuleError as exc:
                raise _rule_failure(exc, calendar) from None
        return Findings(tuple(found))

    return _with_progress(cases, progress, "Evaluating", evaluate_all)


def _evaluate_columns(cases: Sequence[Case] | CaseColumns, rules: RuleSet,
                      assessed_on: dt.date) -> FindingColumns:  # fmt: skip
    """A chunk evaluated on columns (kernels where a rule has one, else case by case)."""
    from casework.columnar import evaluate_columns
    from casework.rules import RuleError

    calendar = _calendar()
    try:
        return evaluate_columns(cases, rules, as_of=assessed_on, calendar=calendar)
    except RuleError as exc:
        raise _rule_failure(exc, calendar) from None


def _explained_columns(
    cases: Sequence[Case] | CaseColumns,
    rules: RuleSet,
    assessed_on: dt.date,
    words: bool = True,
    where: Callable[[FindingTable], npt.NDArray[np.intp]] | None = None,
    *,
    text: bool = False,
) -> FindingTable:
    """A chunk evaluated on columns and explained (:meth:`FindingColumns.explain`; without
    words, ``words=False``; only the findings ``where`` keeps; ``text``: for a writer of
    text, the evidence written as lines where a wording makes them so)."""
    from casework.columnar import evaluate_columns
    from casework.rules import RuleError

    calendar = _calendar()
    try:
        answered = evaluate_columns(cases, rules, as_of=assessed_on, calendar=calendar)
        return answered.explain(words=words, where=where, text=text)
    except RuleError as exc:
        raise _rule_failure(exc, calendar) from None


def _rule_failure(exc: RuleError, calendar: WorkingCalendar) -> click.ClickException:
    """The one-line error for a rule that raised: a date outside the calendar is the input's
    problem (exit 1); anything else is a bug (exit 3). Only the rule, the exception's kind and
    the case reference are named: the exception's message could quote the record."""
    from casework.calendar import CalendarError

    where = str(exc).split(": ", 1)[0]  # "rule NS07.x raised KeyError on case EX-0001"
    return _rule_failed(where, isinstance(exc.__cause__, CalendarError), calendar)


def _rule_failed(
    where: str, outside_calendar: bool, calendar: WorkingCalendar
) -> click.ClickException:
    """:func:`_rule_failure` from its parts: where, and whether a date was outside the
    calendar."""
    if outside_calendar:
        return click.ClickException(
            f"{where}: a date of the case is outside the years the working-day calendar "
            f"covers ({calendar.first_year}-{calendar.last_year})"
        )
    return _BugError(f"{where}: {_REPORT_BUG}")


def _pseudonymised_findings(
    reading: StreamedRead, rules: RuleSet, names: Pseudonyms, size: int
) -> Iterator[Iterator[Finding]]:
    """The findings of each chunk of a streamed read, evaluated on columns and
    pseudonymised as a table (:func:`~casework.report.pseudonymise_table`), as
    :func:`~casework.report.pseudonymise` of the chunk's findings gives them; each
    chunk's references forgotten once it is used."""
    from casework.report import pseudonymise_table

    for columns in _streamed_columns(reading, size):
        table = _explained_columns(columns, rules, _assessed(reading))
        yield pseudonymise_table(table, names).findings()
        _forget(names)


def _forget(names: Pseudonyms | None) -> None:
    """After a chunk of a file read a chunk at a time: sequential pseudonyms forget the
    chunk's references (each case is in one chunk; the count goes on)."""
    from casework.report import SequentialPseudonyms

    if isinstance(names, SequentialPseudonyms):
        names.forget()


def _pseudonyms(pseudonymise_: bool, key_file: Path | None) -> Pseudonyms | None:
    """The pseudonyms asked for, if any."""
    from casework.report import KeyedPseudonyms, SequentialPseudonyms

    if key_file is not None:
        try:
            key = key_file.read_bytes().strip()
        except OSError as exc:
            raise click.BadParameter(
                f"cannot read {key_file.name!r}: {exc.strerror or type(exc).__name__}",
                param_hint="'--pseudonym-key-file'",
            ) from None
        if not key:
            raise click.BadParameter("the key file is empty", param_hint="'--pseudonym-key-file'")
        try:
            return KeyedPseudonyms(key)
        except ValueError as exc:
            raise click.BadParameter(
                f"{key_file.name!r}: {exc}", param_hint="'--pseudonym-key-file'"
            ) from None
    return SequentialPseudonyms() if pseudonymise_ else None


def _pseudonymised(findings: Findings, pseudonymise_: bool, key_file: Path | None) -> Findings:
    """The findings with pseudonyms for case references, if asked for."""
    from casework.report import pseudonymise

    names = _pseudonyms(pseudonymise_, key_file)
    return findings if names is None else pseudonymise(findings, names)


# ---------------------------------------------------------------------- commands


@click.group(
    cls=_Casework,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=_EXIT_CODES,
)
@click.version_option(package_name="casework")
@click.option(
    "--debug",
    is_flag=True,
    expose_value=False,
    envvar=DEBUG_ENV,
    callback=_set_debug,
    help=f"Show the traceback of an unexpected error (also {DEBUG_ENV}=1).",
)
def main() -> None:
    """Assess probation cases against National Standards, national targets and
    HMI Probation Offender Management Inspection criteria.

    \b
    Start here (the files are in the project's examples/ folder):
      casework validate bad-cases.jsonl
          which records are usable, and why not
      casework findings cases.json
          one row per case and question
      casework score omi-sample.json -i omi-inspection.json
          an inspection's scores, as its report
      casework targets targets-cases.yaml -s 2007-08
          targets met, nearly met or missed
      casework diff cases.json -b national-standards-2007 -v tier4-ten-days.toml
          what a rule change does to the cases
      casework rulesets
          the rule sets casework ships
      casework rules omi-2007
          every question, its source, who it applies to
      casework schema
          the JSON Schema of a case file

    Every report command takes --format text|markdown|html|json|csv and
    --output FILE. Run `casework COMMAND --help` for examples.
    """


@main.command(epilog=_EXIT_CODES)
@read_case_file_argument()
@as_of_option(
    "Date to read records as at, for records that do not give their own as_of.", assessment=False
)
@progress_option
@output_options
def validate(
    file: Path,
    as_of: dt.date | None,
    progress: bool | None,
    format_: Format | None,
    output: Path | None,
) -> None:
    """Check every record of FILE: each is accepted or rejected with a located reason.

    FILE is JSON, JSON Lines (.jsonl, read as a stream) or YAML. Reasons name
    the record, the case reference and the field, and never echo names,
    dates of birth or free text.

    \b
    Examples:
      casework validate cases.json
      casework validate targets-cases.yaml --format csv -o problems.csv
      casework validate bad-cases.jsonl --format json | jq '.errors[].problems'
    """
    from casework.report import validation_report
    from casework.stream import DEFAULT_CHUNK, StreamedRead

    reading = StreamedRead(
        file, as_of, one_date=False, native=READ_NATIVE, started=_started_read(file)
    )
    for _columns in _streamed_columns(reading, DEFAULT_CHUNK):
        pass  # read a chunk at a time into columns: only the rejected records are kept
    _emit(validation_report(reading, source=file.name), format_, output)
    sys.exit(EXIT_OK if reading.ok else EXIT_INPUT)


@main.command(epilog=_EXIT_CODES)
@read_case_file_argument()
@ruleset_option(
    "Rule set to evaluate (see `casework rulesets`). "
    "[default: the National Standards in force on the assessment date]"
)
@as_of_option(
    "Assessment date: deadlines after it with the work undone are 'not yet due', not failures. "
    "[default: the cases' own as_of, when they all share one]"
)
@click.option(
    "--outcome",
    "outcomes",
    multiple=True,
    type=_LazyChoice(_outcome_values),
    help="Only findings with this outcome (repeat for several).",
)
@click.option(
    "--rule",
    "rule_patterns",
    multiple=True,
    metavar="PATTERN",
    help="Only these rules; shell patterns such as 'NS07.*' (repeatable).",
)
@click.option(
    "--criterion",
    "criteria",
    multiple=True,
    metavar="ID",
    help="Only questions of this criterion or under it, such as 1.2 (repeatable).",
)
@click.option(
    "--case",
    "case_refs",
    multiple=True,
    metavar="REF",
    help="Only this case reference (repeatable).",
)
@click.option("--roh", "roh_only", is_flag=True, help="Only questions in the Risk of Harm thread.")
@click.option(
    "--detail",
    "--all",
    "detail",
    is_flag=True,
    help="Text: every finding with its outcome, dates and reason. [default: counts per rule, "
    "then per case the rules not met or that cannot be assessed] Other formats always hold "
    "every finding.",
)
@click.option(
    "--no-reasons",
    "no_reasons",
    is_flag=True,
    help="csv, jsonl and parquet: every finding without the fields in words (reason, "
    "evidence, trigger_label, standard), its outcome, basis and dates only: written several "
    "times faster. Ask for the words of the findings you want to read.",
)
@pseudonym_options
@progress_option
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="N",
    help="Processes to use for a JSON Lines file written to --output as csv, jsonl or "
    "parquet: the file is cut into parts, run on N processes side by side and put together "
    "in order (the same findings; about N times the memory).",
)
@_output_options((*FORMATS, *STREAM_FORMATS))
def findings(
    *,
    file: Path,
    rules: RuleSet | None,
    as_of: dt.date | None,
    outcomes: tuple[str, ...],
    rule_patterns: tuple[str, ...],
    criteria: tuple[str, ...],
    case_refs: tuple[str, ...],
    roh_only: bool,
    detail: bool,
    no_reasons: bool,
    pseudonymise_: bool,
    pseudonym_key_file: Path | None,
    progress: bool | None,
    jobs: int,
    format_: str | None,
    output: Path | None,
) -> None:
    """Evaluate a rule set on every case in FILE: one row per case and question.

    Each finding has an outcome (met, not_met, not_applicable, cannot_assess),
    one plain sentence about the case, and the facts and source lines relied on.
    As text, the counts per rule and the rules each case does not meet are shown;
    --detail shows every finding.
    Records that cannot be read are left out with a warning on stderr (exit 1).

    \b
    Examples:
      casework findings cases.json --ruleset national-standards-2007 --as-of 2007-10-15
      casework findings cases.json --detail
      casework findings cases.json --outcome not_met --outcome cannot_assess
      casework findings cases.json --rule 'NS07.oasys-*' --case EX-0003
      casework findings cases.json --format csv -o findings.csv
      casework findings cases.json --pseudonymise -o findings.html
      casework findings cases.json --as-of 2007-10-15 -o findings.parquet
      casework findings bad-cases.jsonl --jobs 2 --as-of 2007-10-15 -o findings.csv
      casework findings bad-cases.jsonl --no-reasons --as-of 2007-10-15 -o findings.parquet

    Large files: json, jsonl, parquet and csv (to a file or standard output) are
    written a chunk of cases at a time, so memory grows only by a few bytes a case
    (json's findings wait in a temporary file until the totals before them are known).
    So are text, Markdown and HTML (the rows they list wait in a temporary file),
    and --case reads a chunk at a time, keeping the cases named. A JSON Lines file
    written to a file as csv, jsonl or parquet can be run by several processes (--jobs).
    """
    from casework.report import findings_report, select_findings

    streamed = _stream_format(format_, output)
    shown = format_ or (format_for_path_or_none(output) if output is not None else "text")
    if no_reasons:
        streamed = _without_words(streamed, shown)
    if jobs > 1:
        _close_started(file)  # (the processes read their own parts of the file)
        _check_jobs(file, streamed, output, case_refs, pseudonymise_ or pseudonym_key_file)
        assert streamed is not None
        assert output is not None
        _parallel_findings(
            file,
            output,
            streamed,
            jobs,
            rules=rules,
            as_of=as_of,
            outcomes=outcomes,
            rule_patterns=rule_patterns,
            criteria=criteria,
            roh_only=roh_only,
            words=not no_reasons,
        )
    if streamed is not None or shown == "json":
        _stream_findings(
            file,
            output,
            streamed or "json",
            rules=rules,
            as_of=as_of,
            outcomes=outcomes,
            rule_patterns=rule_patterns,
            criteria=criteria,
            case_refs=case_refs,
            roh_only=roh_only,
            names=_pseudonyms(pseudonymise_, pseudonym_key_file),
            words=not no_reasons,
        )
    if shown in ("text", "markdown", "html") and not case_refs:
        _findings_document(
            file,
            output,
            format_,
            rules=rules,
            as_of=as_of,
            filters={
                "outcomes": outcomes,
                "rules": rule_patterns,
                "criteria": criteria,
                "roh": True if roh_only else None,
            },
            detail=detail or shown != "text",
            names=_pseudonyms(pseudonymise_, pseudonym_key_file),
        )
    load: LoadResult | StreamedRead
    looked_for = None
    if case_refs:  # read a chunk at a time, only the cases named kept
        load, cases, looked_for = _read_named(file, as_of, case_refs)
        assessed_on = _assessed(load)
    else:
        load, assessed_on = _read_cases(file, as_of)
        cases = list(load.cases)
    chosen = _chosen_ruleset(rules, assessed_on)
    if looked_for is not None:
        looked_for.check(file)
    _check_rule_filters(chosen, rule_patterns, criteria)
    found = _evaluate_cases(cases, chosen, assessed_on, progress)
    found = select_findings(
        found,
        outcomes=outcomes,
        rules=rule_patterns,
        criteria=criteria,
        cases=case_refs,
        roh=True if roh_only else None,
    )
    filtered = bool(outcomes or rule_patterns or criteria or case_refs or roh_only)
    _note_empty(len(found), filtered, "finding")
    found = _pseudonymised(found, pseudonymise_, pseudonym_key_file)
    report = findings_report(found, source=file.name, load=load, detail=detail or shown != "text")
    _emit(report, cast(Format | None, format_), output)
    sys.exit(EXIT_OK if load.ok else EXIT_INPUT)


def _findings_document(
    file: Path,
    output: Path | None,
    format_: str | None,
    *,
    rules: RuleSet | None,
    as_of: dt.date | None,
    filters: dict[str, Any],
    detail: bool,
    names: Pseudonyms | None,
) -> NoReturn:
    """``casework findings`` as text, Markdown or HTML (but ``--case``): the file read a
    chunk at a time on columns and each chunk's findings counted, and with ``detail``
    (``--detail``; always for Markdown and HTML) put in words
    (:class:`~casework.report.findings.FindingsDetail`), else not
    (:class:`~casework.report.findings.FindingsSummary`, the short form); what the
    document lists waits in a temporary file and the document is written a piece at a
    time: memory does not grow with the file."""
    from casework.report import pseudonymise_table, selector
    from casework.report.findings import FindingsDetail, FindingsSummary
    from casework.stream import DEFAULT_CHUNK, StreamedRead

    reading = StreamedRead(file, as_of, native=READ_NATIVE, started=_started_read(file))
    chosen: RuleSet | None = None
    where = selector(**filters)
    form = FindingsDetail if detail else FindingsSummary
    with form(None if output is None else output.parent) as document:
        for chunk in _streamed_columns(reading, DEFAULT_CHUNK):
            assessed_on = _assessed(reading)
            if chosen is None:
                if as_of is None:
                    _check_covered(assessed_on)
                chosen = _chosen_ruleset(rules, assessed_on)
                _check_rule_filters(chosen, filters["rules"], filters["criteria"])
            table = _explained_columns(chunk, chosen, assessed_on, words=detail, where=where)
            if names is not None:
                table = pseudonymise_table(table, names)
                _forget(names)
            document.add(table)
        _warn_rejected(file, reading)
        if chosen is None and as_of is None:
            _assessed(reading)  # (no case accepted and no date: a usage error)
        _note_empty(document.count, any(filters.values()), "finding")
        report = document.report(source=file.name, load=reading)
        _emit_streamed(report, cast(Format | None, format_), output)
    sys.exit(EXIT_OK if reading.ok else EXIT_INPUT)


def _read_named(
    file: Path, as_of: dt.date | None, case_refs: Sequence[str]
) -> tuple[StreamedRead, list[Case], _Named]:
    """The cases ``--case`` names, read a chunk at a time as columns (only they made
    :class:`~casework.model.Case` objects, so memory does not grow with the file), with
    the reading (rejected records warned about) and what was found of the names."""
    from casework.stream import DEFAULT_CHUNK, StreamedRead

    reading = StreamedRead(file, as_of, native=READ_NATIVE, started=_started_read(file))
    looked_for = _Named(case_refs)
    named: list[Case] = []
    for chunk in _streamed_columns(reading, DEFAULT_CHUNK):
        named.extend(looked_for.read(chunk))
    _warn_rejected(file, reading)
    return reading, named, looked_for


def _without_words(streamed: StreamFormat | None, shown: str | None) -> StreamFormat:
    """The format ``--no-reasons`` writes in: csv, jsonl or parquet (exit 2 for a report,
    whose findings are read in words)."""
    if streamed is None:
        raise click.UsageError(
            f"--no-reasons writes findings as csv, jsonl or parquet, not {shown or 'this'}: "
            "give --format csv, jsonl or parquet, or leave --no-reasons out"
        )
    return streamed


def _check_jobs(
    file: Path,
    streamed: str | None,
    output: Path | None,
    case_refs: Sequence[str],
    pseudonymised: object,
) -> None:
    """``--jobs`` above 1 is for a JSON Lines file written to a file as csv, jsonl or
    parquet, every case in it (exit 2 otherwise)."""
    from casework.parallel import splittable

    why = None
    if not splittable(file):
        why = f"{file.name} is not JSON Lines (.jsonl)"
    elif output is None or streamed not in ("csv", "jsonl", "parquet"):
        why = "the findings are not written to --output as csv, jsonl or parquet"
    elif case_refs or pseudonymised:
        why = "--case and --pseudonymise run in one process (pseudonyms are given in file order)"
    if why is not None:
        raise click.UsageError(f"--jobs runs a JSON Lines file written to --output as csv, "
                               f"jsonl or parquet in parts: {why}; leave --jobs out")  # fmt: skip


def _parallel_findings(
    file: Path,
    output: Path,
    streamed: StreamFormat,
    jobs: int,
    *,
    rules: RuleSet | None,
    as_of: dt.date | None,
    outcomes: Sequence[str],
    rule_patterns: Sequence[str],
    criteria: Sequence[str],
    roh_only: bool,
    words: bool,
) -> NoReturn:
    """``casework findings --jobs N``: the file in N parts on N processes
    (:func:`casework.parallel.write_findings`), told as one process tells it."""
    from concurrent.futures.process import BrokenProcessPool

    from casework.parallel import FindingsJob, PartRuleError, write_findings

    if rules is not None:
        _check_rule_filters(rules, rule_patterns, criteria)
    calendar = _calendar()
    job = FindingsJob(
        format=streamed,
        calendar=calendar,
        ruleset=None if rules is None else rules.name,
        as_of=as_of,
        outcomes=tuple(outcomes),
        rules=tuple(rule_patterns),
        criteria=tuple(criteria),
        roh=True if roh_only else None,
        words=words,
    )
    partial = output.with_name(output.name + ".part")
    try:
        try:
            with _told_read_errors(), _reading_progress(file) as progress:
                written = write_findings(file, partial, job, jobs=jobs, done=progress.update)
        except PartRuleError as exc:
            raise _rule_failed(exc.where, exc.outside_calendar, calendar) from None
        except LookupError as exc:
            raise click.UsageError(f"{exc}; name one with --ruleset") from None
        except BrokenProcessPool:
            raise click.ClickException(
                "a process of --jobs ended before its part was done (out of memory?); "
                "run again with fewer --jobs"
            ) from None
        if written.assessed_on is None:
            raise click.UsageError("no case was accepted; give --as-of to name the assessment date")
        if rules is None:
            _check_rule_filters(_chosen_ruleset(None, written.assessed_on), rule_patterns, criteria)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _write(output, lambda: partial.replace(output), "'--output'")
    click.echo(f"Wrote {output} ({written.findings} findings)", err=True)
    filtered = bool(outcomes or rule_patterns or criteria or roh_only)
    _note_empty(written.findings, filtered, "finding")
    _warn_rejected(file, written)
    sys.exit(EXIT_OK if written.ok else EXIT_INPUT)


def _check_rule_filters(
    chosen: RuleSet, rule_patterns: Sequence[str], criteria: Sequence[str]
) -> None:
    """Every ``--rule`` pattern and ``--criterion`` names something in the rule set (exit 2)."""
    _check_patterns(rule_patterns, (rule.id for rule in chosen), f"rule of {chosen.label}")
    known_criteria = {rule.criterion for rule in chosen if rule.criterion}
    for wanted in criteria:
        if not any(c == wanted or c.startswith(f"{wanted}.") for c in known_criteria):
            raise click.BadParameter(
                f"{wanted!r}: {chosen.label} has no question of this criterion",
                param_hint="'--criterion'",
            )


def _stream_format(format_: str | None, output: Path | None) -> StreamFormat | None:
    """The format to write a chunk at a time, if the one asked for streams: csv, jsonl
    and parquet (to a file or, but for parquet, to standard output)."""

    chosen = format_
    if chosen is None and output is not None:
        chosen = _STREAM_SUFFIXES.get(output.suffix.lower(), format_for_path_or_none(output))
    if chosen == "parquet" and output is None:
        raise click.BadParameter(
            "Parquet is written to a file: give --output FILE.parquet", param_hint="'--format'"
        )
    if chosen in STREAM_FORMATS or chosen == "csv":
        return cast("StreamFormat", chosen)
    return None


def format_for_path_or_none(path: Path) -> str | None:
    """The report format a suffix names, or ``None``."""
    try:
        return format_for_path(path)
    except ValueError:
        return None


#: How the commands parse JSON Lines (:data:`casework.columnar.reader.Native`): on
#: Arrow's thread pool, the next batch parsed ahead on a worker thread, the chunks the
#: same as on one thread (decisions: read-in-batches, parse-ahead). A command has its
#: process to itself; the library's default stays one thread.
READ_NATIVE: Final = "threads"
#: Lines ``targets`` parses at once (in whole chunks: one of 1,500 cases since chunks
#: are of 1,500). With chunks of 1,000, 2,000 read it about 13% faster than 1,000 at
#: 100,000 cases (5.2 s and 5.9 s, medians of three in one run), and it holds no
#: findings, so its peak stays low (199 MB against 167 MB; decision: read-in-batches).
#: Two chunks of 1,500 at once (3,000) took the same time as one and peaked about 50 MB
#: higher (five rounds, stop 39).
READ_TARGETS: Final = 2_000


def _streamed_cases(reading: StreamedRead) -> Iterator[Case]:
    """The accepted records of a streamed read, case by case."""
    return _streamed(reading, reading.cases)


def _streamed_columns(reading: StreamedRead, size: int) -> Iterator[CaseColumns]:
    """The accepted records of a streamed read a chunk at a time as columns."""
    return _streamed(reading, lambda: reading.column_chunks(size))


def _streamed(reading: StreamedRead, items: Callable[[], Iterator[T]]) -> Iterator[T]:
    """The ``items`` a streamed read gives, with the reading's progress shown and a file
    that cannot be read told in one line (:func:`_told_read_errors`)."""
    if main.program:  # every command that reads a file makes Arrow arrays
        _arrow_without_pandas()
    with _told_read_errors(), _reading_progress(Path(reading.source)) as progress:
        for item in items():
            progress.update(reading.records)
            yield item
        progress.update(reading.records)


def _assessed(reading: StreamedRead) -> dt.date:
    """The assessment date a streamed read settled on (a usage error if none could be)."""
    if reading.assessed_on is None:
        raise click.UsageError("no case was accepted; give --as-of to name the assessment date")
    return reading.assessed_on


def _stream_findings(
    file: Path,
    output: Path | None,
    streamed: StreamFormat | Literal["json"],
    *,
    rules: RuleSet | None,
    as_of: dt.date | None,
    outcomes: Sequence[str],
    rule_patterns: Sequence[str],
    criteria: Sequence[str],
    case_refs: Sequence[str],
    roh_only: bool,
    names: Pseudonyms | None,
    words: bool = True,
) -> NoReturn:
    """``casework findings`` a chunk of cases at a time, written as it goes (JSON: each
    chunk's findings to a temporary file, the document written at the end, as
    :class:`~casework.report.findings.FindingsJson` writes it).

    Output goes to ``FILE.part`` and is renamed when complete: a run stopped by an error
    leaves no partial file behind.
    """
    from casework.report import pseudonymise_table, selector
    from casework.report.findings import FindingsJson
    from casework.stream import DEFAULT_CHUNK, StreamedRead

    reading = StreamedRead(file, as_of, native=READ_NATIVE, started=_started_read(file))
    wanted = _Named(case_refs) if case_refs else None
    chosen: RuleSet | None = None
    count = 0
    partial = None if output is None else output.with_name(output.name + ".part")
    try:
        with _findings_writer(streamed, output, partial, words) as writer:
            # On columns read straight from the records (cases picked by reference made
            # Case objects, those alone); pseudonymised as tables, chunk by chunk.
            for chunk in _streamed_columns(reading, DEFAULT_CHUNK):
                if chosen is None:
                    chosen = _chosen_ruleset(rules, _assessed(reading))
                    _check_rule_filters(chosen, rule_patterns, criteria)
                asked: Sequence[Case] | CaseColumns = chunk
                if wanted is not None:
                    asked = wanted.read(chunk)
                chosen_filters: dict[str, Any] = {
                    "outcomes": outcomes,
                    "rules": rule_patterns,
                    "criteria": criteria,
                    "cases": case_refs,
                    "roh": True if roh_only else None,
                }
                # on columns, only the findings kept put in words
                found = _explained_columns(
                    asked,
                    chosen,
                    _assessed(reading),
                    words,
                    where=selector(**chosen_filters),
                    # CSV and Parquet write the evidence as lines (pseudonyms scrub its items)
                    text=streamed in ("csv", "parquet") and names is None,
                )
                if names is not None:
                    found = pseudonymise_table(found, names)
                    _forget(names)
                if isinstance(writer, FindingsJson):
                    writer.add(found)
                else:
                    writer.write(found)
                count += len(found)
            if chosen is None and as_of is None:
                _assessed(reading)
            if wanted is not None:
                wanted.check(file)
            if isinstance(writer, FindingsJson):
                _write_findings_json(writer, partial, source=file.name, reading=reading)
    except BaseException:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise
    if partial is not None and output is not None:
        _write(output, lambda: partial.replace(output), "'--output'")
        click.echo(f"Wrote {output} ({count} findings)", err=True)
    filtered = bool(outcomes or rule_patterns or criteria or case_refs or roh_only)
    _note_empty(count, filtered, "finding")
    _warn_rejected(file, reading)
    sys.exit(EXIT_OK if reading.ok else EXIT_INPUT)


def _findings_writer(
    streamed: StreamFormat | Literal["json"],
    output: Path | None,
    partial: Path | None,
    words: bool = True,
) -> FindingsWriter | FindingsJson:
    """Where ``findings`` writes its chunks: a chunk at a time to ``partial`` (or stdout),
    or, for JSON, to a temporary file beside the output (the document written at the
    end)."""
    from casework.report.findings import FindingsJson
    from casework.stream import FindingsWriter

    if streamed == "json":
        return FindingsJson(None if output is None else output.parent)
    return FindingsWriter(partial, streamed, stream=None if partial else sys.stdout, words=words)


def _write_findings_json(
    writer: FindingsJson, partial: Path | None, *, source: str, reading: StreamedRead
) -> None:
    """The findings' JSON document, to ``partial`` (renamed by the caller) or stdout."""
    if partial is None:
        writer.write(sys.stdout, source=source, load=reading)
        return
    with partial.open("w", encoding="utf-8") as stream:
        writer.write(stream, source=source, load=reading)


#: Cases evaluated at a time by ``score``: omi-2007 gives about 260 findings a case, so a
#: chunk of 200 cases holds about 50,000 findings.
SCORE_CHUNK = 200


@main.command(epilog=_EXIT_CODES)
@read_case_file_argument(chunk=SCORE_CHUNK)
@ruleset_option(
    "Rule set the sample is evaluated under. [default: the inspection file's, or omi-2007]"
)
@as_of_option(
    "Date timeliness is judged as at. [default: the inspection file's as_of, "
    "else the cases' own, when they all share one]"
)
@click.option(
    "--inspection",
    "-i",
    "inspection_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Inspection file (JSON or YAML): area, fieldwork dates, as_of, section 4 grades.",
)
@click.option(
    "--option",
    "options",
    multiple=True,
    metavar="NAME=VALUE",
    help="A scoring reading (docs: scoring options), e.g. roh_thread_summaries=false, "
    "combine=summary_as_question, reinspection_threshold=60%. Repeatable.",
)
@click.option(
    "--chart",
    "chart_file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    callback=_writable_file,
    help="Also save Chart 1 (criterion and section scores) to this .png or .svg file "
    '(needs matplotlib: pip install "casework[report]").',
)
@click.option(
    "--strengths-from",
    callback=_parse_share,
    default="75%",
    show_default=True,
    metavar="SHARE",
    help="List a question as a strength when at least this share of relevant cases was "
    "above the line.",
)
@click.option(
    "--improvements-below",
    callback=_parse_share,
    default="2/3",
    show_default=True,
    metavar="SHARE",
    help="List a question as an area for improvement when less than this share was.",
)
@interval_options(
    "Show how sure each score is: confidence intervals and, per criterion, how often "
    "resampling the cases gives the same conclusion."
)
@pseudonym_options
@progress_option
@output_options
def score(
    *,
    file: Path,
    rules: RuleSet | None,
    as_of: dt.date | None,
    inspection_file: Path | None,
    options: tuple[str, ...],
    chart_file: Path | None,
    strengths_from: Fraction,
    improvements_below: Fraction,
    intervals: bool,
    level: str,
    resamples: int,
    seed: int,
    band_threshold: str,
    pseudonymise_: bool,
    pseudonym_key_file: Path | None,
    progress: bool | None,
    format_: Format | None,
    output: Path | None,
) -> None:
    """Score an inspection's case sample in FILE: the scorecard of an Offender Management
    Inspection, laid out like the published report.

    Per question, the share of relevant cases above the line; per criterion,
    80/20 of its questions and its summary question, with the conclusion
    sentence; per section, the mean of its criteria; the Risk of Harm thread;
    Chart 1; section 4 grades from the inspection file; and per criterion the
    question table, strengths and areas for improvement. Every score has a 95%
    interval and every criterion the share of resamples giving its conclusion
    (docs: scoring, How sure each score is); --no-intervals leaves them out.

    \b
    Examples:
      casework score omi-sample.json --ruleset omi-2007 --as-of 2007-10-15
      casework score omi-sample.json -i omi-inspection.json -o report.html
      casework score omi-sample.json -i omi-inspection.json --chart chart1.png
      casework score omi-sample.json -i omi-inspection.json --format csv
      casework score omi-sample.json --option roh_thread_summaries=false -f json
      casework score omi-sample.json --resamples 5000 --seed 7 --level 90%
    """
    from casework.inspection_tally import SpilledTally
    from casework.report import inspection_report
    from casework.report.charts import require_matplotlib, save_chart
    from casework.stream import StreamedRead

    scoring = _scoring_options(options)
    chosen_intervals = _interval_choice(intervals, level, resamples, seed, band_threshold)
    if chart_file is not None:
        if chart_file.suffix.lower() not in {".png", ".svg"}:
            raise click.BadParameter("a chart is saved as .png or .svg", param_hint="'--chart'")
        try:  # before any work: a missing extra is a usage error with the install hint
            require_matplotlib()
        except ImportError as exc:
            raise click.UsageError(f"--chart: {exc}") from None
    inspection = _load_inspection(inspection_file)
    chosen_as_of = as_of or (inspection.as_of if inspection else None)
    chosen = rules or _named_ruleset(inspection.ruleset if inspection else "omi-2007")
    # A chunk of cases at a time: the tally keeps a byte per case and question, never the
    # findings, and writes them to temporary files as it goes (TMPDIR; removed when done):
    # memory does not grow with the cases (docs/decisions.md#score-spilled-cases).
    names = _pseudonyms(pseudonymise_, pseudonym_key_file)
    reading = StreamedRead(file, chosen_as_of, native=READ_NATIVE, started=_started_read(file))
    try:
        tally = SpilledTally(unique=True)  # the read refuses a repeated reference
    except OSError as exc:
        raise click.ClickException(f"cannot make temporary files for the scores: {exc}") from None
    with tally:
        try:
            _tally_scores(tally, reading, chosen, names)
            if chosen_as_of is None:
                _assessed(reading)
            _warn_rejected(file, reading)
            card = tally.scorecard(
                inspection=inspection, options=scoring, intervals=chosen_intervals
            )
        except OSError as exc:
            raise click.ClickException(f"cannot write the temporary score files: {exc}") from None
        if not card.criteria:
            raise click.UsageError(
                f"rule set {chosen.name!r} has no inspection questions to score; use omi-2007"
            )
        warning = card.evidence_warning()
        if warning:
            click.echo(f"warning: {file.name}: {warning}", err=True)
        if chart_file is not None:
            _write(chart_file, lambda: save_chart(card, chart_file), "'--chart'")
            click.echo(f"Wrote {chart_file}", err=True)
        report = inspection_report(
            card,
            source=file.name,
            load=reading,
            strengths_from=strengths_from,
            improvements_below=improvements_below,
            chart=_renders_document(format_, output),
        )
        _emit_streamed(report, format_, output)
    sys.exit(EXIT_OK if reading.ok else EXIT_INPUT)


def _renders_document(format_: Format | None, output: Path | None) -> bool:
    """Whether the report's document is written: JSON and CSV hold only its data and
    table, so for them the inspection report does not draw Chart 1 (matplotlib is
    neither imported nor run; the file is the same)."""
    return _report_format(format_, output) not in ("json", "csv")


def _load_inspection(path: Path | None) -> Inspection | None:
    from casework.model.inspection import InspectionFileError, load_inspection

    if path is None:
        return None
    try:
        return load_inspection(path)
    except (InspectionFileError, OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from None


# ---------------------------------------------------------------------- sample


def _parse_minimums(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[SampleType, int]:
    chosen = dict(DEFAULT_MINIMUMS)
    names = ", ".join(kind.value for kind in SampleType)
    for pair in values:
        name, sep, number = pair.partition("=")
        try:
            kind = SampleType(name.strip().lower().replace("-", "_"))
            count = int(number)
        except ValueError:
            raise click.BadParameter(
                f"expected TYPE=N with TYPE one of {names}, got {pair!r}", param_hint="'--minimum'"
            ) from None
        if not sep or count < 0:
            raise click.BadParameter(
                f"expected TYPE=N with N 0 or more, got {pair!r}", param_hint="'--minimum'"
            )
        chosen[kind] = count
    return chosen


def _parse_months(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[int, int]:
    low, sep, high = value.partition("-")
    try:
        window = (int(low), int(high)) if sep else (int(low), int(low))
    except ValueError:
        raise click.BadParameter(
            f"expected MONTHS or SHORTEST-LONGEST in whole months, got {value!r}"
        ) from None
    if not 0 <= window[0] <= window[1]:
        raise click.BadParameter(f"expected 0 <= shortest <= longest, got {value!r}")
    return window


@main.command(epilog=_EXIT_CODES)
@case_file_argument
@as_of_option("Date the sample is drawn on. [default: the cases' own, when they all share one]")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random draw.")
@click.option(
    "--size",
    type=click.IntRange(min=1),
    default=DEFAULT_SIZE,
    show_default=True,
    help="Cases drawn at random (the source asks for 110-120, 004:951).",
)
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    help=f"Largest size top-ups may grow the sample to; past it each top-up displaces a random "
    f"case. [default: {DEFAULT_MAX_SIZE}, or --size when larger]",
)
@click.option(
    "--minimum",
    "minimums",
    multiple=True,
    callback=_parse_minimums,
    metavar="TYPE=N",
    help="Minimum cases of a type (high_roh, ppo, approved_premises, statutory_victim, bme, "
    "community, licence, custody); N=0 drops it. Repeatable. [default: casework's minimums, "
    "docs/sampling.md]",
)
@click.option(
    "--managed-months",
    default=f"{DEFAULT_MANAGED_MONTHS[0]}-{DEFAULT_MANAGED_MONTHS[1]}",
    show_default=True,
    callback=_parse_months,
    metavar="SHORTEST-LONGEST",
    help='Eligible: managed this many whole months by the sampling date ("approximately six '
    'months", 004:951).',
)
@click.option(
    "--managed-from",
    type=click.Choice(["start", "allocation"]),
    default="start",
    show_default=True,
    help="Count management from the case's start (sentence; release for a licence) or from its "
    "first allocation to an offender manager.",
)
@click.option(
    "--per-manager",
    type=click.IntRange(min=1),
    help="At most this many cases per offender manager. [default: no cap]",
)
@click.option(
    "--stratify/--no-stratify",
    default=True,
    show_default=True,
    help="Draw in proportion to the eligible community orders, licences and custody cases.",
)
@click.option(
    "--cases",
    "cases_file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    callback=_writable_file,
    help="Write the drawn cases to this case file (.json, .jsonl, .ndjson, .yaml, .yml), "
    "ready for `casework score`.",
)
@output_options
def sample(
    *,
    file: Path,
    as_of: dt.date | None,
    seed: int,
    size: int,
    max_size: int | None,
    minimums: dict[SampleType, int],
    managed_months: tuple[int, int],
    managed_from: ManagedFrom,
    per_manager: int | None,
    stratify: bool,
    cases_file: Path | None,
    format_: Format | None,
    output: Path | None,
) -> None:
    """Draw an inspection's case sample from the area caseload in FILE (004:951).

    Eligible cases (managed about six months, not ended) are drawn at random
    with the seed, then cases are added to meet the minimum of each type:
    high/very high RoH, PPOs, approved premises residents, statutory victim
    contact, black and minority ethnic offenders, and community orders,
    licences and custody cases. The report explains every case added, every
    case displaced, the sample against the eligible population per type and
    any minimum not met. The same file, options and seed give the same
    sample; minimums not met are reported, not an error.

    \b
    Examples:
      casework sample omi-sample.json --seed 7 --cases drawn.json
      casework sample omi-sample.json --as-of 2007-10-15 --minimum ppo=15 -o sample.html
      casework sample omi-sample.json --per-manager 3 --managed-months 4-8 --format json
    """
    from casework.report.sample import sample_report

    if max_size is not None and max_size < size:
        raise click.BadParameter(
            f"must be at least --size ({size}), got {max_size}", param_hint="'--max-size'"
        )
    if cases_file is not None and cases_file.suffix.lower() not in _CASE_FILE_SUFFIXES:
        raise click.BadParameter(
            "a case file is written as .json, .jsonl, .ndjson, .yaml or .yml",
            param_hint="'--cases'",
        )
    from casework.columnar.sampling import chunk_sample_facts
    from casework.io import dump_cases
    from casework.sampling import sample_from_facts
    from casework.stream import DEFAULT_CHUNK, StreamedRead

    # Read a chunk at a time: each case's facts worked out on columns (SampleFacts), no
    # case made; the cases drawn read again from the file for --cases.
    reading = StreamedRead(file, as_of, native=READ_NATIVE)
    chunks = _streamed_columns(reading, DEFAULT_CHUNK)
    first = next(chunks, None)  # (the cases' own date, when --as-of is not given)
    if first is None:  # every record rejected: said before the date is asked for
        _warn_rejected(file, reading)
    day = as_of if as_of is not None else _assessed(reading)
    if as_of is None:
        _check_covered(day)
    facts = (
        found
        for columns in itertools.chain([] if first is None else [first], chunks)
        for found in chunk_sample_facts(
            columns, day, managed_months=managed_months, managed_from=managed_from
        )
    )
    drawn = sample_from_facts(
        facts,
        as_of=day,
        size=size,
        max_size=max_size,
        minimums=dict(minimums),
        seed=seed,
        managed_months=managed_months,
        managed_from=managed_from,
        per_manager=per_manager,
        stratify=stratify,
    )
    if first is not None:
        _warn_rejected(file, reading)
    if cases_file is not None:
        drawn_cases = _cases_named(file, as_of, drawn.references)
        written: list[int] = []
        _write(cases_file, lambda: written.append(dump_cases(drawn_cases, cases_file)), "'--cases'")
        click.echo(f"Wrote {written[0]} cases to {cases_file}", err=True)
    html = _report_format(format_, output) == "html"
    _emit(sample_report(drawn, source=file.name, load=reading, chart=html), format_, output)
    sys.exit(EXIT_OK if reading.ok else EXIT_INPUT)


def _cases_named(file: Path, as_of: dt.date | None, references: Sequence[str]) -> list[Case]:
    """The accepted cases of FILE with these references, in their order: FILE read again
    a chunk at a time, as it was read first (only the cases named made objects)."""
    from casework.stream import DEFAULT_CHUNK, StreamedRead

    wanted = set(references)
    found: dict[str, Case] = {}
    reading = StreamedRead(file, as_of, native=READ_NATIVE)
    for columns in _streamed_columns(reading, DEFAULT_CHUNK):
        cases = columns.cases
        for index, reference in enumerate(columns.references):
            if reference in wanted:
                found[reference] = cases[index]
    if len(found) < len(references):  # (the file changed between the two reads)
        raise click.ClickException(
            f"{file.name} changed while it was read: {len(references) - len(found)} of the "
            "cases drawn are no longer in it"
        )
    return [found[reference] for reference in references]


@main.command(epilog=_EXIT_CODES)
@read_case_file_argument(read_size=READ_TARGETS)
@click.option(
    "--set",
    "-s",
    "targets",
    required=True,
    callback=_parse_target_set,
    metavar="NAME",
    help="Target set: nps-2007-08 (or just 2007-08), nps-2005-06, rom-east-of-england-2007-08.",
)
@click.option(
    "--period",
    "-p",
    callback=_parse_period,
    metavar="PERIOD",
    help="Reporting period: START..END, a financial year (2007-08) or a quarter (2007-08-Q3). "
    "[default: the target set's year]",
)
@as_of_option(
    "Evaluation date: work due after it and not yet done is pending, not a failure. "
    "[default: the cases' own as_of, when they all share one]"
)
@click.option("--area", metavar="NAME", help="Only cases of this area, judged against its targets.")
@click.option(
    "--near-miss",
    "near_miss_share",
    metavar="PERCENT",
    help="Count a figure short of its target by at most this share of the target as a near "
    "miss (5% = within 5% of the target). The sources never define a near miss: off by default.",
)
@click.option(
    "--near-miss-points",
    metavar="N",
    help="Count a figure short by at most N percentage points (or N of the measure's own "
    "units) as a near miss.",
)
@click.option(
    "--near-miss-reading",
    metavar="NAME",
    help="Use the target set's named near-miss reading: 'published' (nps-2007-08) is the "
    "tolerance that reproduces the published table. The report names the reading used.",
)
@click.option(
    "--national-share",
    callback=_parse_share,
    metavar="SHARE",
    help="The cases' share of the national volume targets (0.5%, 0.005 or 1/200): a national "
    "count such as 46,300 unpaid work completions is then judged at that share. Without it "
    "such targets are shown as national, not judged against the file's cases.",
)
@click.option(
    "--figure",
    "figures",
    multiple=True,
    metavar="ID=VALUE",
    help="A figure the case file cannot hold, as published (repeatable): --figure N15=9.5 "
    "--figure N16=95%. It replaces a computed figure of the same measure.",
)
@pseudonym_options
@progress_option
@output_options
def targets(
    *,
    file: Path,
    targets: TargetSet,
    period: Period | None,
    as_of: dt.date | None,
    area: str | None,
    near_miss_share: str | None,
    near_miss_points: str | None,
    near_miss_reading: str | None,
    national_share: Fraction | None,
    figures: tuple[str, ...],
    pseudonymise_: bool,
    pseudonym_key_file: Path | None,
    progress: bool | None,
    format_: Format | None,
    output: Path | None,
) -> None:
    """Compute target performance from the cases in FILE: each target met, a near miss or
    not met, with the figure, the target and the cases behind it.

    Figures are formed as the published tables form them: proportions of the
    cases in scope, means, volumes; a unit is placed in the period by its
    anchor event (sentence, release, breach resolution, completion...).

    \b
    Examples:
      casework targets targets-cases.yaml --set 2007-08 --period 2007-04-01..2008-03-31
      casework targets targets-cases.yaml --set nps-2007-08 --near-miss 5% --format markdown
      casework targets targets-cases.yaml --set 2007-08 --near-miss-reading published
      casework targets targets-cases.yaml --set rom-east-of-england-2007-08 --area Essex
      casework targets targets-cases.yaml --set 2007-08 --format csv -o targets.csv
      casework targets targets-cases.yaml --set 2007-08 --national-share 0.5% --figure N15=9.5
    """
    from casework.performance import SPILL_AFTER, Period, TargetTally
    from casework.report import target_report
    from casework.stream import StreamedRead

    tolerance = _near_miss(targets, near_miss_share, near_miss_points, near_miss_reading)
    supplied = _supplied_figures(targets, figures)
    if national_share == 0:
        raise click.BadParameter(
            "a national share must be more than 0%", param_hint="'--national-share'"
        )
    if area is not None and targets.areas and area not in targets.areas:
        raise click.BadParameter(
            f"{area!r} is not an area of {targets.name}: {', '.join(targets.areas)}",
            param_hint="'--area'",
        )
    chosen_period = period or Period(targets.period_start, targets.period_end, targets.year)
    names = _pseudonyms(pseudonymise_, pseudonym_key_file)
    reading = StreamedRead(
        file, as_of, native=READ_NATIVE, read_size=READ_TARGETS, started=_started_read(file)
    )
    tally = TargetTally.start(targets, period=chosen_period, area=area, spill=SPILL_AFTER)
    with tally:  # the units listed go to a temporary file past SPILL_AFTER; removed at the end
        areas = _tally_targets(tally, reading, names)
        if as_of is None:
            _assessed(reading)
        _warn_rejected(file, reading)  # (first: an area may be a rejected record's)
        if area is not None and reading.accepted and area not in areas:
            raise click.BadParameter(
                f"{area!r}: no accepted case of {file.name} is in this area"
                f"{_did_you_mean(area, areas)}",
                param_hint="'--area'",
            )
        performance = tally.report(
            near_miss=tolerance, figures=supplied, national_share=national_share
        )
        report = target_report(performance, source=file.name, load=reading)
        _emit_streamed(report, format_, output)
    sys.exit(EXIT_OK if reading.ok else EXIT_INPUT)


def _tally_scores(
    tally: SpilledTally, reading: StreamedRead, chosen: RuleSet, names: Pseudonyms | None
) -> None:
    """Count every chunk of the file: on columns where the questions are the OMI families
    (pseudonymised: each chunk's references given their pseudonyms in the order of its
    findings, as :func:`~casework.report.pseudonymise` of them gives them), else the
    chunk's findings."""
    from casework.inspection_tally import countable_on_columns
    from casework.stream import chunked

    if countable_on_columns(chosen):
        for columns in _streamed_columns(reading, SCORE_CHUNK):
            _count_columns(tally, _evaluate_columns(columns, chosen, _assessed(reading)), names)
    elif names is not None:
        for found in _pseudonymised_findings(reading, chosen, names, SCORE_CHUNK):
            tally.add(found)
    else:
        for chunk in chunked(_streamed_cases(reading), SCORE_CHUNK):
            tally.add(_evaluate_cases(chunk, chosen, _assessed(reading), progress=False))


def _tally_targets(tally: TargetTally, reading: StreamedRead, names: Pseudonyms | None) -> set[str]:
    """Count every chunk of the file on columns read straight from the records; a sentence
    only for the units the report lists, written while counting. Pseudonymised, each
    chunk's references are given their pseudonyms in the order of its findings (as
    :func:`~casework.report.pseudonymise` of them gives them), and the units kept renamed.
    The areas the cases record (for ``--area``: one that matches no case is a mistake)."""
    from casework.columnar import evaluate_columns
    from casework.rules import RuleError
    from casework.stream import DEFAULT_CHUNK

    calendar = _calendar()
    areas: set[str] = set()
    for columns in _streamed_columns(reading, DEFAULT_CHUNK):
        areas.update(area for area in set(columns.raw["case"]["area"].tolist()) if area)
        day = _assessed(reading)
        try:
            answered = evaluate_columns(columns, tally.ruleset, as_of=day, calendar=calendar)
            _count_columns(tally, answered, names)
        except RuleError as exc:
            raise _rule_failure(exc, calendar) from None
    return areas


def _count_columns(
    tally: TargetTally | SpilledTally, answered: FindingColumns, names: Pseudonyms | None
) -> None:
    """Count a chunk evaluated on columns. Pseudonymised, its references are given their
    pseudonyms in the order of its findings (as :func:`~casework.report.pseudonymise` of
    them gives them), renamed in what the tally keeps, then forgotten."""
    if names is None:
        tally.add_columns(answered)
        return
    from casework.report import pseudonymiser

    references = answered.explain(words=False).case_ref
    tally.add_columns(answered, renaming=pseudonymiser(references, names))
    _forget(names)


def _rule_id(rule: Rule) -> str:
    return rule.id


def _shared_keys(baseline: RuleSet, variant: RuleSet, key: Callable[[Rule], str]) -> int:
    """How many questions ``key`` pairs across the sets (-1 if it gives two rules of a set
    the same key)."""
    from casework.compare import QuestionClashError, question_keys

    try:
        return len(question_keys(baseline, key).keys() & question_keys(variant, key).keys())
    except QuestionClashError:
        return -1


def _pairing(
    baseline: RuleSet, variant: RuleSet, how: str, pairs: Sequence[str]
) -> tuple[Callable[[Rule], str], str]:
    """How findings are paired across the sets (for ``compare(match=)``), and that in words."""
    from casework.compare import QuestionClashError, match_after_prefix, question_keys

    explicit: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = (part.strip() for part in pair.partition("="))
        problem = None
        if not (sep and old and new):
            problem = "expected BASELINE_RULE=VARIANT_RULE"
        elif old not in baseline or old in variant:
            problem = f"{old!r} must be a rule of {baseline.label} and not of {variant.label}"
        elif new not in variant or new in baseline:
            problem = f"{new!r} must be a rule of {variant.label} and not of {baseline.label}"
        if problem:
            raise click.BadParameter(f"{pair!r}: {problem}", param_hint="'--pair'")
        explicit[old] = new
    if how == "auto":
        prefixed = _shared_keys(baseline, variant, match_after_prefix)
        how = "prefix" if prefixed > _shared_keys(baseline, variant, _rule_id) else "id"
    key = match_after_prefix if how == "prefix" else _rule_id
    words = "the rule id after its prefix (NS05.x with NS07.x)" if how == "prefix" else "rule id"
    words += "".join(f"; {old} with {new}" for old, new in explicit.items())

    def match(rule: Rule) -> str:
        """The question a rule answers: a rule paired by hand answers its partner's."""
        return key(variant.rule(explicit[rule.id]) if rule.id in explicit else rule)

    for rules in (baseline, variant):
        try:
            question_keys(rules, match)
        except QuestionClashError as clash:
            raise click.BadParameter(
                f"rules {clash.first.id!r} and {clash.second.id!r} of {rules.label} would both "
                f"answer question {clash.key!r}; pair them another way (--match id, --pair)",
                param_hint="'--match' / '--pair'",
            ) from None
    return match, words


def _figure_scorers(
    baseline: RuleSet,
    variant: RuleSet,
    scores: bool,
    targets: TargetSet | None,
    period: Period | None,
    *,
    noise: IntervalOptions | bool,
) -> dict[str, Scorer]:
    from casework.compare import inspection_figures, target_figures
    from casework.performance import Period

    scorers: dict[str, Scorer] = {}
    if period is not None and targets is None:
        raise click.UsageError("--period is the reporting period of --targets; give --targets too")
    if scores:
        if not any(rule.criterion for rs in (baseline, variant) for rule in rs):
            raise click.UsageError(
                "--scores: neither rule set has inspection questions to score "
                "(omi-2007 and its variants have)"
            )
        scorers["scores"] = inspection_figures(intervals=noise)
    if targets is not None:
        measured = {measure.rule_id for measure in targets if measure.rule_id}
        if not any(rule.id in measured for rs in (baseline, variant) for rule in rs):
            raise click.UsageError(
                f"--targets: neither rule set asks a question the measures of {targets.name} "
                f"count (its own rule set is {targets.ruleset.name})"
            )
        chosen = period or Period(targets.period_start, targets.period_end, targets.year)
        scorers["targets"] = target_figures(targets, period=chosen)
    return scorers


@main.command(epilog=_EXIT_CODES)
@case_file_argument
@click.option(
    "--baseline",
    "-b",
    "baseline_ref",
    required=True,
    metavar="RULESET",
    help="The rule set as it is: a shipped name (see `casework rulesets`), an overlay file "
    "(.toml, .yaml), or package.module:attribute with --allow-code.",
)
@click.option(
    "--variant",
    "-v",
    "variant_ref",
    required=True,
    metavar="RULESET",
    help="The rule set as it would be, given the same way.",
)
@click.option(
    "--allow-code",
    is_flag=True,
    help="Let -b/-v name Python code (package.module:attribute) and overlay files add or "
    "replace rules by reference: this imports and runs that code. Off by default, so a "
    "rule set named on the command line is data only.",
)
@as_of_option("Assessment date for both. [default: the cases' own as_of, when they all share one]")
@click.option(
    "--match",
    "how",
    type=click.Choice(["auto", "id", "prefix"]),
    default="auto",
    show_default=True,
    help="How questions are paired across the sets: by rule id, or by the id after its "
    "prefix (NS05.roh-review-interval with NS07.roh-review-interval); auto takes the one "
    "that pairs more.",
)
@click.option(
    "--pair",
    "pairs",
    multiple=True,
    metavar="OLD=NEW",
    help="Also pair the baseline's rule OLD with the variant's rule NEW (repeatable).",
)
@click.option(
    "--rule",
    "rule_patterns",
    multiple=True,
    metavar="PATTERN",
    help="Only questions whose key or rule id matches, such as 'NS07.roh-*' (repeatable).",
)
@click.option(
    "--case",
    "case_refs",
    multiple=True,
    metavar="REF",
    help="Only this case reference (repeatable); figures are then of these cases.",
)
@click.option(
    "--unchanged",
    is_flag=True,
    help="Also list the questions and figures that did not move.",
)
@click.option(
    "--scores",
    is_flag=True,
    help="Also compare every inspection score: questions, criteria, conclusions, sections, "
    "the RoH thread (rule sets with inspection questions: omi-2007 and its variants).",
)
@click.option(
    "--targets",
    "target_set_",
    callback=_parse_target_set,
    metavar="SET",
    help="Also compare every figure and verdict of this target set (nps-2007-08 or 2007-08, ...).",
)
@click.option(
    "--period",
    "-p",
    callback=_parse_period,
    metavar="PERIOD",
    help="Reporting period for --targets: START..END, 2007-08 or 2007-08-Q3. "
    "[default: the target set's year]",
)
@interval_options(
    "With --scores, say whether each score's change is beyond sampling noise (a paired "
    "bootstrap interval of the change).",
    band=False,
)
@pseudonym_options
@progress_option
@output_options
def diff(
    *,
    file: Path,
    baseline_ref: str,
    variant_ref: str,
    allow_code: bool,
    as_of: dt.date | None,
    how: str,
    pairs: tuple[str, ...],
    rule_patterns: tuple[str, ...],
    case_refs: tuple[str, ...],
    unchanged: bool,
    scores: bool,
    target_set_: TargetSet | None,
    period: Period | None,
    intervals: bool,
    level: str,
    resamples: int,
    seed: int,
    pseudonymise_: bool,
    pseudonym_key_file: Path | None,
    progress: bool | None,
    format_: Format | None,
    output: Path | None,
) -> None:
    """Compare two rule sets on the cases in FILE: which cases change outcome on which
    questions, with both reasons side by side, and how scores and target figures move.

    Each rule set is a shipped name, an overlay file that derives a variant
    (rules replaced, added or removed, parameter values changed: docs "Validating
    rule changes"), or package.module:attribute. Questions only one set asks are
    listed with their counts. CSV has one row per case and question that changed.

    \b
    Examples:
      casework diff cases.json -b national-standards-2005 -v national-standards-2007
      casework diff cases.json -b national-standards-2007 -v tier4-ten-days.toml
      casework diff cases.json -b national-standards-2007 -v tier4-ten-days.toml -o diff.html
      casework diff cases.json -b ... -v ... --rule '*roh-review*' --case EX-0004 -f csv
      casework diff omi-sample.json -b omi-2007 -v five-day-breach-action.toml --scores
      casework diff targets-cases.yaml -b nps-2007-08 -v twenty-day-resolution.yaml \\
        --targets 2007-08
      casework diff omi-sample.json -b omi-2007 -v five-day-breach-action.toml --scores \\
        --no-intervals
      casework diff cases.json -b national-standards-2007 -v mypackage.rules:pilot --allow-code
    """
    from casework.report import comparison_report, pseudonymise_comparison, select_questions
    from casework.report.comparison import proportion_figures

    baseline = _any_ruleset(baseline_ref, "'--baseline'", allow_code=allow_code)
    variant = _any_ruleset(variant_ref, "'--variant'", allow_code=allow_code)
    match, paired_by = _pairing(baseline, variant, how, pairs)
    noise = _interval_choice(intervals, level, resamples, seed, "80%")
    figures = _figure_scorers(baseline, variant, scores, target_set_, period, noise=noise)
    names = _pseudonyms(pseudonymise_, pseudonym_key_file)
    _check_patterns(
        rule_patterns,
        (name for rs in (baseline, variant) for rule in rs for name in (rule.id, match(rule))),
        "question of either rule set",
    )
    compared = (baseline, variant, match)
    load: LoadResult | StreamedRead
    if "scores" in figures:  # the scores (and their intervals) need every finding
        comparison, load = _compare_loaded(
            file, as_of, case_refs, compared, figures=figures, progress=progress
        )
    else:
        comparison, load = _compare_streamed(file, as_of, case_refs, compared, figures)
    comparison = select_questions(comparison, rule_patterns)
    if names is not None:
        comparison = pseudonymise_comparison(comparison, names)
    report = comparison_report(
        comparison,
        source=file.name,
        load=load,
        unchanged=unchanged,
        paired_by=paired_by,
        percentages=proportion_figures(
            scores="scores", targets=None if target_set_ is None else ("targets", target_set_)
        ),
    )
    _emit_streamed(report, format_, output)  # (the changes read back as they are written)
    sys.exit(EXIT_OK if load.ok else EXIT_INPUT)


def _compare_streamed(
    file: Path,
    as_of: dt.date | None,
    case_refs: Sequence[str],
    compared: tuple[RuleSet, RuleSet, Callable[[Rule], str]],
    figures: Mapping[str, Scorer],
) -> tuple[Comparison, StreamedRead]:
    """``casework diff`` without ``--scores``, a chunk at a time: every case on columns
    (:func:`~casework.compare.compare_columns`, target figures counted as the chunks
    come), or the cases ``--case`` names (only they read as
    :class:`~casework.model.Case` objects), so memory grows with the changes found, not
    with the file."""
    from casework.compare import compare, compare_columns
    from casework.rules import RuleError
    from casework.stream import DEFAULT_CHUNK, StreamedRead

    baseline, variant, match = compared
    calendar = _calendar()
    try:
        if case_refs:
            reading, named, looked_for = _read_named(file, as_of, case_refs)
            looked_for.check(file)
            day = _assessed(reading)
            if as_of is None:
                _check_covered(day)
            return compare(
                named, baseline, variant, as_of=day, calendar=calendar, match=match,
                figures=figures,
            ), reading  # fmt: skip
        reading = StreamedRead(file, as_of, native=READ_NATIVE)
        chunks = _streamed_columns(reading, DEFAULT_CHUNK)
        first = next(chunks, None)  # (the assessment date is the first chunk's)
        if first is None:  # every record rejected: said before the date is asked for
            _warn_rejected(file, reading)
        day = as_of or _assessed(reading)
        if as_of is None:
            _check_covered(day)
        comparison = compare_columns(
            () if first is None else itertools.chain((first,), chunks),
            baseline,
            variant,
            as_of=day,
            calendar=calendar,
            match=match,
            figures=figures,
        )
    except RuleError as exc:
        raise _rule_failure(exc, calendar) from None
    if first is not None:
        _warn_rejected(file, reading)
    return comparison, reading


def _compare_loaded(
    file: Path,
    as_of: dt.date | None,
    case_refs: Sequence[str],
    compared: tuple[RuleSet, RuleSet, Callable[[Rule], str]],
    *,
    figures: Mapping[str, Scorer],
    progress: bool | None,
) -> tuple[Comparison, LoadResult]:
    """``casework diff --scores``: the whole file read, its cases compared one by one
    (:func:`~casework.compare.compare`), every finding kept for the scorers."""
    from casework.compare import compare
    from casework.rules import RuleError

    baseline, variant, match = compared
    result, assessed_on = _read_cases(file, as_of)
    _check_cases(case_refs, result, file)
    cases = [case for case in result.cases if not case_refs or case.reference in case_refs]
    calendar = _calendar()
    try:
        comparison = _with_progress(
            cases,
            progress,
            "Comparing",
            lambda chosen: compare(
                chosen,
                baseline,
                variant,
                as_of=assessed_on,
                calendar=calendar,
                match=match,
                figures=figures,
            ),
        )
    except RuleError as exc:
        raise _rule_failure(exc, calendar) from None
    return comparison, result


@main.command()
@output_options
def rulesets(format_: Format | None, output: Path | None) -> None:
    """List the rule sets casework ships: name, version, dates in force, number of rules.

    \b
    Examples:
      casework rulesets
      casework rulesets --format json
    """
    from casework.report import Column, Document, Table
    from casework.rules.registry import available_rulesets, ruleset

    chosen = [ruleset(name) for name in available_rulesets()]
    rows = tuple(
        (
            rs.name,
            rs.version,
            rs.title,
            rs.in_force_from.isoformat(),
            rs.in_force_to.isoformat() if rs.in_force_to else None,
            len(rs),
        )
        for rs in chosen
    )
    table = Table(
        (
            Column("name", "Name", nowrap=True),
            Column("version", "Version", nowrap=True),
            Column("title", "Title"),
            Column("in_force_from", "In force from"),
            Column("in_force_to", "In force to"),
            Column("rules", "Rules", "right"),
        ),
        rows,
    )
    keys = [column.key for column in table.columns]
    data = {"kind": "rulesets", "rulesets": [dict(zip(keys, row, strict=True)) for row in rows]}
    _emit(Report(Document("Rule sets", (table,)), data, table), format_, output)


@main.command()
@click.argument("names", nargs=-1, metavar="[RULESET]...")
@output_options
def rules(names: tuple[str, ...], format_: Format | None, output: Path | None) -> None:
    """Every rule and question of the named rule sets (default: all): id, question,
    who it applies to, source lines, parameters and the values in force.

    \b
    Examples:
      casework rules national-standards-2007
      casework rules --format markdown -o rules.md
      casework rules --format csv
    """
    from casework.report import ruleset_reference

    _emit(ruleset_reference([_named_ruleset(name) for name in names] or None), format_, output)


@main.command()
@click.option(
    "--output",
    "what",
    type=_LazyChoice(_output_schema_names),
    default="case-file",
    show_default=True,
    help="Whose schema: the case file read, or a JSON output (finding: one line of "
    "findings --format jsonl; findings, inspection, targets, comparison: the --format json "
    "of findings, score, targets and diff).",
)
def schema(what: str) -> None:
    """Print the JSON Schema of a case file, or of one of casework's JSON outputs.

    \b
    Examples:
      casework schema > case-file.schema.json
      casework schema --output findings > findings.schema.json
      casework schema --output inspection
    """
    from casework.schemas import output_schema

    click.echo(json.dumps(output_schema(what), indent=2, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    main()
