"""The whole pipeline, timed side by side in one run, with each command's peak memory.

    python bench/pipeline.py --cases 10000            # every figure, one size
    python bench/pipeline.py --cases 10000 --reading  # json.loads and load_cases only
    python bench/pipeline.py --memory 10000,100000    # peak RSS of each command by size
    python bench/pipeline.py --cases 100000 --interleaved 3  # commands / json.loads, medians
    python bench/pipeline.py --cases 10000 --interleaved 5 --interventions  # + programmes, DRRs
    python bench/pipeline.py --memory 1000000 --only validate,targets  # some commands
    python bench/pipeline.py --memory 1000,10000 --chart docs/img/performance.png
    python bench/pipeline.py --dask 500000            # 2 Dask workers against 1 and one process

Generates a JSON Lines file of synthetic cases (``bench/generate.py``, seeded;
kept under ``bench/.data/``), then measures, on that file:

* bare ``json.loads`` of each line of the file, each result dropped as the next line
  is read (``for line in file: json.loads(line)``): the yardstick every other step is
  a multiple of. Until 2026-12-03 the bench kept every parsed line in one list, and
  the garbage collector's passes over that growing list made the yardstick 2.5-4x
  slower than the parsing itself (0.8-1.0 s against 0.2-0.33 s for 10,000 cases), so
  every ratio printed before then flattered casework by that much; the kept-list
  time is still printed, as ``json.loads, every line kept``, to compare with them;
* ``load_cases`` (validation into :class:`~casework.Case`), and the same with every
  record validated by pydantic (the fast path of ``casework._fastread`` turned off,
  as before it);
* the columnar reader: the generated raw-table writer alone (decode + raw tables,
  ``casework.columnar.rawread``), and ``read_column_chunks`` (writer, the model's
  remaining checks, ``CaseColumns.from_raw``; ``Case`` objects not built), on the
  calling thread (the library's default) and on Arrow's thread pool (the commands');
* ``evaluate`` of ``national-standards-2007`` (unstated timescales supplied as in
  ``bench/evaluate.py``) and of ``omi-2007``, on cases already loaded, and
  ``evaluate_columns`` of each on the chunks ``read_column_chunks`` gives (the whole
  file in chunks of 1,000; for ``omi-2007`` also its first ``--omi-cases`` as one chunk);
* N01-N03 by ``target_performance`` from the file (read into columns by
  ``read_column_chunks``), against the hand-written pandas
  script ``bench/oasys_targets_pandas.py`` on the same file (figures checked equal);
* the command line (``validate``, ``findings`` as CSV, as text (the short form: counts
  per rule, then the cases not met or that cannot be assessed) and as Parquet, in one
  process and with ``--jobs 2``, Parquet of the findings not met alone (``--outcome
  not_met``: only those put in words), ``targets``, ``score``, ``diff`` of
  ``national-standards-2007`` and the example overlay ``tier4-ten-days.toml``, and
  ``sample`` with ``--cases``), each in its own process:
  wall time and
  peak resident memory (from ``wait4``: with ``--jobs``, the largest of the processes,
  not their sum), so commands are measured as a user runs them. ``--interleaved``
  runs them in rounds with the yardstick in its own process, for medians, and prints
  each one's CPU seconds too (user and system, every thread and worker): a command
  whose threads overlap (Arrow parses the next lines, the Parquet writer encodes the
  last row group) uses more CPU than wall time, and the ratios are of wall time.

``--dask SIZE`` runs one job on a file (``casework.scale``: the target tally of
``nps-2007-08`` for 2007-08 and the ``omi-2007`` inspection counts, as ``targets`` and
``score`` count them; with ``--dask-findings`` also the ``national-standards-2007``
findings as a Parquet dataset) in one process (``run_file``), then on a Dask
``LocalCluster`` of one worker process and of two (one thread each), and checks the
three results are identical.

The machine is noisy: ``--repeat`` takes medians; compare ratios from one run.
Figures and how they were reached are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import holidays as holidays_package

from casework import LoadResult, WorkingCalendar, load_cases
from casework._fastread import FastReader
from casework.columnar import evaluate_columns
from casework.columnar.rawread import write_lines
from casework.columnar.reader import read_column_chunks
from casework.performance import Period, target_performance
from casework.rules import evaluate, ruleset
from evaluate import UNSTATED
from generate import case_records
from oasys_targets_pandas import figures as pandas_figures
from oasys_targets_pandas import tables

HERE = Path(__file__).resolve().parent

AS_OF = dt.date(2010, 6, 30)
#: The rule change ``diff`` measures: Tier 4 OASys in 10 working days, not 5 (an example).
TIER4_TEN_DAYS = HERE.parent / "examples" / "tier4-ten-days.toml"
DATA = HERE / ".data"


def case_file(cases: int, seed: int, *, interventions: bool = False) -> Path:
    """The synthetic case file for this size and seed, generated once. ``interventions``:
    the file whose orders also carry programme and drug rehabilitation requirements, and
    employment episodes."""
    DATA.mkdir(exist_ok=True)
    variant = "-interventions" if interventions else ""
    path = DATA / f"caseload-{cases}-seed{seed}{variant}.jsonl"
    if not path.exists():
        partial = path.with_suffix(".part")
        with partial.open("w", encoding="utf-8") as stream:
            for record in case_records(seed, cases, AS_OF, interventions=interventions):
                stream.write(json.dumps(record))
                stream.write("\n")
        partial.rename(path)
    return path


@contextlib.contextmanager
def pydantic_only() -> Iterator[None]:
    """Reading without the fast path (casework._fastread), as before it: every record
    validated by the pydantic ``Case`` model."""
    fits = FastReader.fits
    FastReader.fits = lambda self, limits: False  # type: ignore[method-assign]
    try:
        yield
    finally:
        FastReader.fits = fits  # type: ignore[method-assign]


def raw_tables(lines: list[str], size: int = 1_000) -> int:
    """Decode the lines and write the raw tables a chunk at a time (the writer alone:
    no model checks, no ``Case``); the records left to pydantic."""
    left = 0
    for start in range(0, len(lines), size):
        written = write_lines(lines[start : start + size], None)
        left += written.taken.count(False)
    return left


def evaluate_read(
    path: Path, rules: Any, calendar: WorkingCalendar, repeat: int, limit: int | None
) -> float:
    """Median time of ``evaluate_columns`` over the chunks ``read_column_chunks`` gives
    (raw tables at hand, entity tables and populations built inside the timing: each
    repeat reads the chunks afresh, untimed). ``limit``: the first cases only."""
    times = []
    for _ in range(repeat):
        if limit is None:
            chunks = [chunk.columns for chunk in read_column_chunks(path)]
        else:
            chunks = [next(iter(read_column_chunks(path, size=limit))).columns]
        began = time.perf_counter()
        for columns in chunks:
            evaluate_columns(columns, rules, as_of=AS_OF, calendar=calendar)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def timed(work: Callable[[], Any], repeat: int = 1) -> tuple[Any, float]:
    """The result of ``work`` and its median wall time over ``repeat`` runs."""
    times = []
    result = None
    for _ in range(repeat):
        began = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - began)
    return result, statistics.median(times)


#: Runs a command and prints its peak RSS and CPU seconds (user and system, of every
#: thread, and of its worker processes once it has waited for them). A child's peak RSS
#: counts the memory of the process it was forked from, so the command is forked from
#: this small helper, never from the benchmark process (which holds the loaded cases).
_MEASURE = """
import os, sys
pid = os.fork()
if pid == 0:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime)
"""


def run_command(args: list[str]) -> tuple[float, float, int]:
    """Run a command in its own process: (wall seconds, peak RSS in MB, exit code)."""
    took, peak, code, _cpu = run_measured(args)
    return took, peak, code


def run_measured(args: list[str]) -> tuple[float, float, int, float]:
    """:func:`run_command`, and the CPU seconds the command used (user and system, every
    thread: more than the wall time where threads overlap, as Arrow's parse and the
    Parquet writer's do)."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, check=True
    )
    took = time.perf_counter() - began
    peak, code, cpu = done.stdout.split()
    return took, int(peak) / 1024, int(code), float(cpu)


def casework_command() -> list[str]:
    script = Path(sys.executable).parent / "casework"
    return [str(script)] if script.exists() else [sys.executable, "-m", "casework"]


def commands(path: Path, out: Path, as_of: dt.date = AS_OF) -> dict[str, list[str]]:
    """The command lines measured, by name, each evaluating as of ``as_of``."""
    cw = casework_command()
    day = as_of.isoformat()
    rules = ["--ruleset", "national-standards-2007", "--as-of", day]
    return {
        "validate": [*cw, "validate", str(path), "-f", "json", "-o", str(out / "v.json")],
        "findings csv": [*cw, "findings", str(path), *rules, "-f", "csv", "-o", str(out / "f.csv")],
        "findings text": [*cw, "findings", str(path), *rules, "-o", str(out / "f.txt")],
        "findings jsonl": [
            *cw, "findings", str(path), *rules, "-f", "jsonl", "-o", str(out / "f.jsonl"),
        ],
        "findings parquet": [
            *cw, "findings", str(path), *rules, "-f", "parquet", "-o", str(out / "f.parquet"),
        ],
        "findings csv -j2": [
            *cw, "findings", str(path), *rules, "-f", "csv", "-o", str(out / "f2.csv"), "-j", "2",
        ],
        "findings parquet -j2": [
            *cw, "findings", str(path), *rules, "-f", "parquet", "-o", str(out / "f2.parquet"),
            "-j", "2",
        ],
        "findings parquet --no-reasons": [
            *cw, "findings", str(path), *rules, "-f", "parquet", "-o", str(out / "fb.parquet"),
            "--no-reasons",
        ],
        "findings parquet --outcome not_met": [
            *cw, "findings", str(path), *rules, "-f", "parquet", "-o", str(out / "fn.parquet"),
            "--outcome", "not_met",
        ],
        "findings parquet --no-reasons -j2": [
            *cw, "findings", str(path), *rules, "-f", "parquet", "-o", str(out / "fb2.parquet"),
            "--no-reasons", "-j", "2",
        ],
        "targets": [
            *cw, "targets", str(path), "--set", "2007-08", "--period", "2007-04-01..2008-03-31",
            "--as-of", day, "-f", "json", "-o", str(out / "t.json"),
        ],
        "score": [
            *cw, "score", str(path), "--as-of", day, "-f", "json",
            "-o", str(out / "s.json"),
        ],
        "diff": [
            *cw, "diff", str(path), "-b", "national-standards-2007", "-v", str(TIER4_TEN_DAYS),
            "--as-of", day, "-f", "csv", "-o", str(out / "d.csv"),
        ],
        "sample": [
            *cw, "sample", str(path), "--as-of", day, "--cases", str(out / "drawn.jsonl"),
            "-f", "json", "-o", str(out / "sample.json"),
        ],
    }  # fmt: skip


#: The yardstick (:func:`_parse_each`) in a process of its own, for :func:`interleaved`.
_YARDSTICK = """
import json, sys
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        json.loads(line)
"""


def interleaved(
    cases: int, seed: int, rounds: int, only: list[str] | None, *, interventions: bool = False
) -> None:
    """The yardstick and each command, each in its own process, one after another in
    ``rounds`` rounds (so the machine's load falls on all alike): the median of each and
    its ratio to the yardstick's median. ``only``: these commands. ``interventions``: on
    the file with programme and drug rehabilitation requirements (:func:`case_file`)."""
    path = case_file(cases, seed, interventions=interventions)
    out = DATA / "out"
    out.mkdir(parents=True, exist_ok=True)
    runs = {"json.loads (own process)": [sys.executable, "-c", _YARDSTICK, str(path)]}
    runs |= {name: args for name, args in commands(path, out).items() if not only or name in only}
    seen: dict[str, list[tuple[float, float, float]]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, args in runs.items():
            os.sync()  # the last run's output written out first, not during this one
            seconds, peak, _code, cpu = run_measured(args)
            seen[name].append((seconds, peak, cpu))
    with_them = ", with programmes, DRRs and jobs" if interventions else ""
    print(f"casework commands on {cases:,} cases (seed {seed}{with_them}), {os.cpu_count()} CPUs, "
          f"medians of {rounds} interleaved rounds")  # fmt: skip
    print(f"  {'run':<36} {'seconds':>8} {'range':>14} {'x json.loads':>13} {'peak MB':>8} "
          f"{'CPU s':>7}")  # fmt: skip
    yardstick = statistics.median(s for s, _, _ in seen["json.loads (own process)"])
    for name, timings in seen.items():
        times = [s for s, _, _ in timings]
        middle = statistics.median(times)
        span = f"{min(times):.2f}-{max(times):.2f}"
        peak = max(p for _, p, _ in timings)
        cpu = statistics.median(c for _, _, c in timings)
        print(f"  {name:<36} {middle:>8.2f} {span:>14} {middle / yardstick:>13.1f} {peak:>8,.0f} "
              f"{cpu:>7.2f}")  # fmt: skip


def _parse_each(path: Path) -> None:
    """The yardstick: read the file a line at a time and parse each line (the result is
    dropped, as a streaming reader drops a line once it is read)."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            json.loads(line)


def reading(
    path: Path, lines: list[str], repeat: int, rows: list[tuple[str, float, int]]
) -> tuple[float, LoadResult]:
    """The reading rows: json.loads, load_cases both ways, the columnar reader."""
    cases = len(lines)
    _, loads = timed(lambda: _parse_each(path), repeat)
    rows.append(("json.loads per line", loads, cases))
    _, kept = timed(lambda: [json.loads(line) for line in lines], repeat)
    rows.append(("json.loads, every line kept (old yardstick)", kept, cases))
    loaded, load = timed(lambda: load_cases(path), repeat)
    rows.append(("load_cases (validation)", load, cases))
    with pydantic_only():
        _, load_pydantic = timed(lambda: load_cases(path), repeat)
    rows.append(("load_cases, every record through pydantic", load_pydantic, cases))
    _, written = timed(lambda: raw_tables(lines), repeat)
    rows.append(("raw writer: decode + raw tables", written, cases))
    _, chunked = timed(lambda: list(read_column_chunks(path)), repeat)
    rows.append(("read_column_chunks (+ model checks, from_raw)", chunked, cases))
    _, threaded = timed(lambda: list(read_column_chunks(path, native="threads")), repeat)
    rows.append(("read_column_chunks, Arrow's thread pool (commands)", threaded, cases))
    return loads, loaded


def figures(cases: int, seed: int, repeat: int, omi_cases: int, reading_only: bool) -> None:
    path = case_file(cases, seed)
    calendar = WorkingCalendar.england_and_wales()
    lines = path.read_text(encoding="utf-8").splitlines()
    rows: list[tuple[str, float, int]] = []

    loads, loaded = reading(path, lines, repeat, rows)
    if reading_only:
        _print_rows(cases, seed, repeat, rows, loads)
        return
    ns07 = ruleset("national-standards-2007").with_parameters(UNSTATED, note="benchmark value")
    _, evaluate_ns = timed(lambda: evaluate(loaded.cases, ns07, as_of=AS_OF, calendar=calendar))
    rows.append(("evaluate national-standards-2007", evaluate_ns, cases))
    _, columns_ns = timed(
        lambda: evaluate_columns(loaded.cases, ns07, as_of=AS_OF, calendar=calendar), repeat
    )
    rows.append(("evaluate_columns national-standards-2007", columns_ns, cases))
    oasys_only = ns07.only(["NS07.oasys-ppo", "NS07.oasys-tier4", "NS07.oasys-tier1-3"])
    _, columns_oasys = timed(
        lambda: evaluate_columns(loaded.cases, oasys_only, as_of=AS_OF, calendar=calendar), repeat
    )
    rows.append(("evaluate_columns NS07 OASys rules (kernels)", columns_oasys, cases))
    read_ns = evaluate_read(path, ns07, calendar, repeat, None)
    rows.append(("evaluate_columns NS07, chunks as read (1,000)", read_ns, cases))
    sample = loaded.cases[:omi_cases]
    omi = ruleset("omi-2007")
    _, evaluate_omi = timed(lambda: evaluate(sample, omi, as_of=AS_OF, calendar=calendar))
    rows.append(("evaluate omi-2007", evaluate_omi, len(sample)))
    _, columns_omi = timed(
        lambda: evaluate_columns(sample, omi, as_of=AS_OF, calendar=calendar), repeat
    )
    rows.append(("evaluate_columns omi-2007", columns_omi, len(sample)))
    read_omi = evaluate_read(path, omi, calendar, repeat, omi_cases)
    rows.append(("evaluate_columns omi-2007, one chunk as read", read_omi, len(sample)))
    read_omi_all = evaluate_read(path, omi, calendar, repeat, None)
    rows.append(("evaluate_columns omi-2007, chunks as read (1,000)", read_omi_all, cases))

    period = Period.financial_year(2007)

    def ours() -> dict[str, Any]:
        report = target_performance(
            (chunk.columns for chunk in read_column_chunks(path)),
            "nps-2007-08",
            period=period,
            as_of=AS_OF,
            calendar=calendar,
            measures=["N01", "N02", "N03"],
        )
        return {result.measure: result.figure for result in report}

    bank_holidays = sorted(
        holidays_package.country_holidays("GB", subdiv="ENG", years=range(1995, 2036))
    )

    def theirs() -> dict[str, Any]:
        case_table, assessment_table = tables(path)
        return pandas_figures(
            case_table, assessment_table, as_of=AS_OF, year=2007, holidays=bank_holidays
        )

    mine, casework_time = timed(ours, repeat)
    script, script_time = timed(theirs, repeat)
    rows.append(("N01-N03: target_performance from the file", casework_time, cases))
    rows.append(("N01-N03: hand-written pandas script", script_time, cases))

    _print_rows(cases, seed, repeat, rows, loads)
    print(f"  N01-N03 casework / pandas script: {casework_time / script_time:.1f}x")
    same = mine == script
    print(f"  N01-N03 figures equal: {same} ({', '.join(f'{k} {v}' for k, v in mine.items())})")
    if not same:
        print(f"  pandas script gave: {script}")

    out = DATA / "out"
    out.mkdir(exist_ok=True)
    print(f"  {'command (own process)':<44} {'seconds':>9} {'peak MB':>10} {'x json.loads':>13}")
    for name, args in commands(path, out).items():
        seconds, peak, code = run_command(args)
        ratio = seconds / loads
        print(f"  {name:<44} {seconds:>9.2f} {peak:>10,.0f} {ratio:>13.1f}  (exit {code})")


def _print_rows(
    cases: int, seed: int, repeat: int, rows: list[tuple[str, float, int]], loads: float
) -> None:
    print(
        f"casework pipeline bench: {cases:,} synthetic cases (seed {seed}), as_of {AS_OF}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, medians of {repeat}"
    )
    print(f"  {'step':<44} {'seconds':>9} {'cases/s':>10} {'x json.loads':>13}")
    per_case_loads = loads / cases
    for name, seconds, count in rows:
        ratio = (seconds / count) / per_case_loads
        print(f"  {name:<44} {seconds:>9.2f} {count / seconds:>10,.0f} {ratio:>13.1f}")


def memory(
    sizes: list[int],
    seed: int,
    chart: Path | None,
    only: list[str] | None = None,
    as_of: dt.date = AS_OF,
) -> None:
    """Each command's wall time and peak RSS at each size, one command at a time (``only``:
    these commands, such as ``validate,targets``; at a million cases each takes minutes),
    each evaluating as of ``as_of`` (an earlier day prunes records and leaves cases not
    yet sentenced: other paths)."""
    out = DATA / "out"
    out.mkdir(parents=True, exist_ok=True)
    table: dict[str, list[tuple[int, float, float]]] = {}
    for size in sizes:
        path = case_file(size, seed)
        for name, args in commands(path, out, as_of).items():
            if only is not None and name not in only:
                continue
            seconds, peak, _ = run_command(args)
            table.setdefault(name, []).append((size, seconds, peak))
            print(f"  {name:<34} {size:>9,} cases {seconds:>8.1f} s {size / seconds:>8,.0f}/s "
                  f"{peak:>8,.0f} MB peak", flush=True)  # fmt: skip
    if chart is not None:
        import matplotlib  # noqa: PLC0415  (optional: only for --chart)

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415

        figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
        for name, points in table.items():
            xs = [p[0] for p in points]
            left.plot(xs, [p[0] / p[1] for p in points], marker="o", label=name)
            right.plot(xs, [p[2] for p in points], marker="o", label=name)
        for axis, label in ((left, "cases per second"), (right, "peak memory (MB)")):
            axis.set_xscale("log")
            axis.set_xlabel("cases in the file")
            axis.set_ylabel(label)
            axis.grid(True, alpha=0.3)
        right.legend(fontsize=8)
        figure.suptitle("casework commands: throughput and peak memory by file size")
        figure.tight_layout()
        figure.savefig(chart, dpi=110)
        print(f"  chart written to {chart}")


def _counts(tally: Any) -> tuple[Any, ...]:
    """What an inspection tally counts, in case order: the references, and per question
    its wording and one code per case (what a scorecard is made of)."""
    cases = len(tally.refs)
    questions = {
        rule_id: (question.wording, bytes(question.codes).ljust(cases, b"\0"))
        for rule_id, question in tally.questions.items()
    }
    return tuple(tally.refs), questions, tuple(tally.rulesets), tally.latest


def _outcome(result: Any, findings: Path | None) -> dict[str, Any]:
    """What a run of the jobs gives, to compare: records, the target report as JSON, the
    inspection counts, and the findings read back."""
    from casework.report.targets import target_report  # noqa: PLC0415

    targets, score, found = result
    out: dict[str, Any] = {
        "accepted": (targets.accepted, score.accepted),
        "rejected": (targets.errors, score.errors),
        "targets": target_report(targets.tally.report(), source="cases").render("json"),
        "inspection": _counts(score.inspection),
    }
    if findings is not None:
        import pyarrow.parquet as pq  # noqa: PLC0415

        out["findings"] = pq.read_table(list(found.parquet))
    return out


def _warm_up() -> None:
    """Import the modules a part needs (on a worker, before the timing)."""
    import casework.scale  # noqa: F401, PLC0415


def scale_out(cases: int, seed: int, parts: int, findings: bool) -> None:
    """One job on one file: in one process, on a LocalCluster of 1 worker, of 2 workers."""
    import shutil  # noqa: PLC0415

    from distributed import Client, LocalCluster  # noqa: PLC0415

    from casework.dask_runner import run_file_on_dask  # noqa: PLC0415
    from casework.scale import Job, run_file  # noqa: PLC0415

    path = case_file(cases, seed)
    calendar = WorkingCalendar.england_and_wales()
    period = Period.financial_year(2007)
    out = DATA / "out" / "dask"
    shutil.rmtree(out, ignore_errors=True)

    def jobs(name: str) -> list[Any]:
        chosen = [
            Job("nps-2007-08", AS_OF, calendar, targets="nps-2007-08", period=period),
            Job("omi-2007", AS_OF, calendar, score=True),
        ]
        if findings:
            where = out / name
            where.mkdir(parents=True)
            chosen.append(Job("national-standards-2007", AS_OF, calendar, findings_dir=str(where)))
        else:
            chosen.append(None)
        return chosen

    load = os.getloadavg()
    print(
        f"casework scale-out bench: {cases:,} synthetic cases (seed {seed}), as_of {AS_OF}, "
        f"{parts} parts, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        flush=True,
    )
    print(f"  {'run':<36} {'seconds':>9} {'cases/s':>10} {'speed-up':>9}", flush=True)
    results: dict[str, dict[str, Any]] = {}
    times: dict[str, float] = {}

    def record(name: str, work: Callable[[], Any]) -> None:
        began = time.perf_counter()
        done = work()
        took = time.perf_counter() - began
        times[name] = took
        base = times.get("LocalCluster, 1 worker", took)
        print(f"  {name:<36} {took:>9.1f} {cases / took:>10,.0f} {base / took:>8.2f}x", flush=True)
        results[name] = _outcome(done, out / name if findings else None)

    def local() -> Any:
        return [None if job is None else run_file(path, job) for job in jobs("one process")]

    for workers in (1, 2):
        name = f"LocalCluster, {workers} worker{'s' if workers > 1 else ''}"
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            Client(cluster) as client,
        ):
            client.run(_warm_up)  # workers start up before the timing

            def on_dask(client: Any = client, name: str = name) -> Any:
                return [
                    None if job is None else run_file_on_dask(path, job, client=client, parts=parts)
                    for job in jobs(name)
                ]

            record(name, on_dask)
    record("one process (run_file)", local)
    one, two, single = results.values()
    same = {key: one[key] == two[key] == single[key] for key in single}
    first, second, alone = times.values()
    print(
        f"  2 workers: {first / second:.2f}x as fast as 1 worker, {alone / second:.2f}x one process"
    )
    print(f"  identical in all three runs: {same}")
    targets = single["accepted"][0]
    print(f"  {targets:,} cases accepted, {len(single['rejected'][0]):,} rejected")
    load = os.getloadavg()
    print(f"  load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def _compiled() -> None:
    """Compile casework's modules once, before anything is timed. An installed wheel
    ships them compiled; an editable install under ``PYTHONDONTWRITEBYTECODE=1`` (as on
    the development machine) would otherwise compile every module in every command's
    process, 0.3-0.9 s a command, and time that instead of casework."""
    import casework  # noqa: PLC0415 (the package, not a name from it)

    compileall.compile_dir(Path(casework.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases in the file (10,000)")
    parser.add_argument("--seed", type=int, default=2007)
    parser.add_argument("--repeat", type=int, default=3, help="runs per in-process step (3)")
    parser.add_argument("--omi-cases", type=int, default=2_000, help="cases for omi-2007 (2,000)")
    parser.add_argument("--memory", metavar="SIZES", help="comma-separated file sizes")
    parser.add_argument("--chart", type=Path, help="with --memory: write a PNG chart here")
    parser.add_argument(
        "--only",
        metavar="COMMANDS",
        help="with --memory or --interleaved: only these commands, comma-separated "
        "(validate, findings csv, findings text, findings jsonl, findings parquet, "
        "findings csv -j2, findings parquet -j2, "
        "findings parquet --outcome not_met, findings parquet --no-reasons, "
        "findings parquet --no-reasons -j2, targets, score, diff)",
    )
    parser.add_argument(
        "--commands-as-of",
        metavar="YYYY-MM-DD",
        type=dt.date.fromisoformat,
        default=AS_OF,
        help=f"with --memory: the commands' --as-of ({AS_OF}; the files are made as of it)",
    )
    parser.add_argument(
        "--reading", action="store_true", help="only json.loads and load_cases (both ways)"
    )
    parser.add_argument(
        "--interleaved",
        metavar="ROUNDS",
        type=int,
        help="only the commands on --cases, each in its own process with json.loads, "
        "ROUNDS rounds interleaved: medians and ratios (--only to pick commands)",
    )
    parser.add_argument(
        "--interventions",
        action="store_true",
        help="with --interleaved: on a file whose orders also carry accredited programme "
        "and drug rehabilitation requirements, and employment episodes (the default file "
        "has none)",
    )
    parser.add_argument(
        "--dask",
        metavar="SIZE",
        type=int,
        help="scale-out: one job on SIZE cases, one process against 1 and 2 Dask workers",
    )
    parser.add_argument("--dask-parts", type=int, default=8, help="parts of the file (8)")
    parser.add_argument(
        "--dask-findings",
        action="store_true",
        help="with --dask: also write national-standards-2007 findings as a Parquet dataset",
    )
    args = parser.parse_args(argv)
    only = None if args.only is None else [name.strip() for name in args.only.split(",")]
    unknown = sorted(set(only or ()) - set(commands(Path("-"), Path("-"))))
    if unknown:
        parser.error(f"--only: no command named {', '.join(unknown)}")
    if args.interventions and not args.interleaved:
        parser.error("--interventions: only with --interleaved")
    _compiled()
    if args.dask:
        scale_out(args.dask, args.seed, args.dask_parts, args.dask_findings)
    elif args.interleaved:
        interleaved(args.cases, args.seed, args.interleaved, only, interventions=args.interventions)
    elif args.memory:
        sizes = [int(size) for size in args.memory.split(",")]
        memory(sizes, args.seed, args.chart, only, args.commands_as_of)
    else:
        figures(args.cases, args.seed, args.repeat, args.omi_cases, args.reading)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
