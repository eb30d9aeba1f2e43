"""Start-up: the command line and ``import casework`` import only what they use.

``casework --help`` and ``--version`` import no model, rule, columnar or report module
(nor numpy, pydantic, pyarrow); each command imports its own modules when it runs.
The packages' public names are imported on first use (casework._lazy), and every one
still resolves to the very object of its module. Run in fresh interpreters: the test
session has imported everything already.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import json
import pickle
import subprocess
import sys
import types
from pathlib import Path

import pytest

import casework

SRC = Path(casework.__file__).parent

#: Packages whose public names are imported on first use.
LAZY_PACKAGES = (
    "casework",
    "casework.columnar",
    "casework.model",
    "casework.report",
    "casework.rules",
)

#: Imported only by the commands (and library calls) that use them.
HEAVY = (
    "numpy",
    "pyarrow",
    "pydantic",
    "casework.calendar",
    "casework.columnar",
    "casework.compare",
    "casework.io",
    "casework.model.case",
    "casework.performance",
    "casework.report.comparison",
    "casework.report.findings",
    "casework.rules.engine",
    "casework.rules.registry",
    "casework.schemas",
    "casework.scoring",
    "casework.stream",
)


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded: list[str] = json.loads(run.stdout.splitlines()[-1])
    return set(loaded)


def _heavy(loaded: set[str]) -> list[str]:
    return [name for name in HEAVY if name in loaded]


def test_importing_the_command_line_imports_no_heavy_module() -> None:
    loaded = _modules_after("import casework.cli")
    assert "casework.cli" in loaded
    assert _heavy(loaded) == []


@pytest.mark.parametrize("argument", ["--help", "--version"])
def test_help_and_version_import_no_heavy_module(argument: str) -> None:
    code = (
        "import contextlib, io\n"
        "from casework.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):\n"
        f"    main([{argument!r}], prog_name='casework')\n"
        "assert out.getvalue().strip(), 'nothing printed'\n"
    )
    assert _heavy(_modules_after(code)) == []


def test_importing_casework_imports_none_of_its_public_modules() -> None:
    loaded = _modules_after("import casework")
    assert _heavy(loaded) == []
    assert not {name for name in loaded if name.startswith("casework.sampling")}


def test_a_command_imports_what_it_uses() -> None:
    """The lazy names are there when a command runs: `findings` reads and evaluates."""
    cases = Path(__file__).resolve().parents[1] / "examples" / "cases.json"
    code = (
        "import contextlib, io\n"
        "from casework.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main(['findings', {str(cases)!r}, '-f', 'json'], prog_name='casework')\n"
    )
    loaded = _modules_after(code)
    assert {"casework.rules.engine", "casework.report.findings", "numpy"} <= loaded
    assert "casework.compare" not in loaded  # only `diff` compares


@pytest.mark.parametrize(
    ("ruleset", "omi"), [("national-standards-2007", False), ("omi-2007", True)]
)
def test_the_omi_kernels_are_imported_only_with_the_omi_rules(
    ruleset: str, omi: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The OMI questions' kernels (casework.columnar.omi) come with their rules, not with
    every evaluation on columns."""
    monkeypatch.syspath_prepend(Path(__file__).resolve().parents[1] / "bench")
    from generate import case_records

    cases = tmp_path / "cases.jsonl"  # (benchmark cases in JSON Lines: read into columns)
    records = case_records(7, 20, dt.date(2008, 3, 31))
    cases.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    code = (
        "import contextlib, io\n"
        "from casework.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main(['findings', {str(cases)!r}, '-r', {ruleset!r}, '-f', 'csv', '--as-of',"
        " '2008-03-31'], prog_name='casework')\n"
    )
    loaded = _modules_after(code)
    assert "casework.columnar._kernels" in loaded  # (evaluated on columns)
    assert ("casework.columnar.omi" in loaded) is omi
    assert ("casework.rules.omi2007" in loaded) is omi


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_every_public_name_resolves_to_its_modules_object(package: str) -> None:
    module = importlib.import_module(package)
    names: dict[str, str] = module._lazy_names
    submodules = set(module.__all__) - set(names)
    assert set(names) <= set(module.__all__)
    for name in submodules:  # imported on first use, as a submodule is
        assert _is_submodule(package, name), name
        assert getattr(module, name) is importlib.import_module(f"{package}.{name}")
    for name, source in names.items():
        value = getattr(module, name)
        assert value is getattr(importlib.import_module(source), name), name
        assert name in dir(module)


def _is_submodule(package: str, name: str) -> bool:
    return (SRC.parent / package.replace(".", "/") / f"{name}.py").is_file()


def _type_checking_imports(package: str) -> dict[str, str]:
    """name -> module of the ``if TYPE_CHECKING:`` imports of ``package``'s __init__.py."""
    path = SRC.parent / package.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                assert statement.module is not None
                found.update((alias.name, statement.module) for alias in statement.names)
    return found


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_type_checkers_and_docs_see_the_same_names_as_the_runtime(package: str) -> None:
    """What mypy and mkdocstrings read (the TYPE_CHECKING imports) is what is imported."""
    module = importlib.import_module(package)
    assert _type_checking_imports(package) == dict(module._lazy_names)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        _ = casework.no_such_name  # type: ignore[attr-defined]
    assert not hasattr(casework.rules, "_private")


def test_a_submodule_not_listed_is_imported_on_first_use_as_before() -> None:
    loaded = _modules_after(
        "import casework\nassert casework.scoring.__name__ == 'casework.scoring'"
    )
    assert "casework.scoring" in loaded


COMPARE = "sys.modules['casework.compare'].compare"
RULESET = "sys.modules['casework.rules.registry'].ruleset"


@pytest.mark.parametrize(
    ("code", "value", "expected"),
    [
        # casework.compare is the function, also once the module of that name is imported
        ("import casework.compare\nimport casework", "casework.compare", COMPARE),
        ("import casework\nimport casework.compare", "casework.compare", COMPARE),
        ("from casework.compare import compare\nimport casework", "casework.compare", COMPARE),
        # casework.rules.ruleset is the registry's ruleset(), not the module ruleset.py
        ("import casework.rules.ruleset", "casework.rules.ruleset", RULESET),
        ("import casework.rules.registry", "casework.rules.ruleset", RULESET),
        (
            "from casework.rules import ruleset\nimport casework.rules.ruleset",
            "casework.rules.ruleset",
            RULESET,
        ),
    ],
)
def test_a_public_name_shared_with_a_submodule_stays_the_public_name(
    code: str, value: str, expected: str
) -> None:
    """As when the packages imported every name eagerly."""
    probe = f"import sys\n{code}\nimport casework.rules\nprint({value} is {expected})"
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert run.stdout.strip() == "True"


def test_the_public_name_is_the_function_in_this_process_too() -> None:
    assert isinstance(casework.compare, types.FunctionType)
    assert casework.compare is importlib.import_module("casework.compare").compare
    assert casework.rules.ruleset is importlib.import_module("casework.rules.registry").ruleset


def test_lazy_choices_are_read_for_help_and_checked_on_use() -> None:
    """`findings --outcome` and `schema --output` list their choices without importing
    them at start-up; a wrong one is still a usage error naming the choices."""
    from click.testing import CliRunner

    from casework.cli import main
    from casework.rules import Outcome
    from casework.schemas import available_output_schemas

    runner = CliRunner()
    shown = runner.invoke(main, ["findings", "--help"])
    assert shown.exit_code == 0
    assert all(outcome.value in shown.output for outcome in Outcome)
    wrong = runner.invoke(main, ["schema", "--output", "nothing"])
    assert wrong.exit_code == 2
    assert all(name in wrong.output for name in available_output_schemas())
    right = runner.invoke(main, ["schema", "--output", "finding"])
    assert right.exit_code == 0
    assert json.loads(right.output)


@pytest.mark.parametrize(
    "name", ["casework", "casework.columnar", "casework.model", "casework.rules", "casework.report"]
)
def test_a_lazy_package_pickles_by_name(name: str) -> None:
    """A Dask worker may be sent or return the package: it pickles as a plain module does,
    by name, and unpickles as the same module object."""
    package = importlib.import_module(name)
    assert pickle.loads(pickle.dumps(package)) is package


# ------------------------------------------------ what each command leaves out

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _command_modules(*args: str) -> set[str]:
    """The modules a fresh interpreter holds after running the command ``args``."""
    code = (
        "import contextlib, io\n"
        "from casework.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main({list(args)!r}, prog_name='casework')\n"
    )
    return _modules_after(code)


def test_score_written_as_json_draws_no_chart(tmp_path: Path) -> None:
    """JSON holds the scorecard's data, not the drawing: matplotlib is not imported."""
    out = tmp_path / "score.json"
    loaded = _command_modules("score", str(EXAMPLES / "omi-sample.json"), "-o", str(out))
    assert "casework.report.inspection" in loaded
    assert json.loads(out.read_text(encoding="utf-8"))["scorecard"]
    assert not {name for name in loaded if name.split(".")[0] == "matplotlib"}
    assert "yaml" not in loaded  # PyYAML: only for a YAML case or overlay file


def test_a_report_as_json_or_csv_is_the_same_with_or_without_chart1() -> None:
    """What lets `score -f json/csv` skip drawing Chart 1: the chart is in the document."""
    from casework import WorkingCalendar, load_cases, load_inspection, score_inspection
    from casework.report import inspection_report
    from casework.rules import evaluate

    inspection = load_inspection(EXAMPLES / "omi-inspection.json")
    cases = load_cases(EXAMPLES / "omi-sample.json").cases
    found = evaluate(
        cases, "omi-2007", as_of=inspection.as_of, calendar=WorkingCalendar.england_and_wales()
    )
    card = score_inspection(found, inspection=inspection)
    drawn, undrawn = inspection_report(card, chart=True), inspection_report(card, chart=False)
    for format_ in ("json", "csv"):
        assert drawn.render(format_) == undrawn.render(format_)
    assert drawn.render("html") != undrawn.render("html")  # the drawing is in the document


def test_findings_as_csv_import_no_parquet_writer_and_no_yaml(tmp_path: Path) -> None:
    out = tmp_path / "findings.csv"
    loaded = _command_modules("findings", str(EXAMPLES / "cases.json"), "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("case_ref,")
    assert "casework.stream" in loaded
    assert "pyarrow.parquet" not in loaded
    assert "yaml" not in loaded


def test_the_program_writes_parquet_without_importing_pandas(tmp_path: Path) -> None:
    """Run as the program (arguments from sys.argv), `findings -f parquet` keeps pyarrow
    from importing pandas; the file is the one written when pandas is imported."""
    from click.testing import CliRunner

    from casework.cli import main

    cases = str(EXAMPLES / "cases.json")
    program = tmp_path / "program.parquet"
    argv = ["casework", "findings", cases, "-o", str(program)]
    loaded = _modules_after(
        "import contextlib, sys\n"
        f"sys.argv = {argv!r}\n"
        "from casework.cli import main\n"
        "with contextlib.suppress(SystemExit):\n"
        "    main()\n"
    )
    assert "pyarrow" in loaded
    assert not {name for name in loaded if name.split(".")[0] == "pandas"}
    called = tmp_path / "called.parquet"  # called from Python: pyarrow left as it is
    assert CliRunner().invoke(main, ["findings", cases, "-o", str(called)]).exit_code == 0
    assert program.read_bytes() == called.read_bytes()


def test_shipped_tables_are_read_once() -> None:
    """Every rule set resolves the parameter table; a target set is read once whether it
    is asked for by its name or by its year."""
    from casework.rules.parameters import ParameterTable
    from casework.rules.targets import target_set

    assert ParameterTable.default() is ParameterTable.default()
    assert target_set("2007-08") is target_set("nps-2007-08")


def test_a_command_builds_the_calendar_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`targets` checks its dates against the calendar and then evaluates with it: the
    England and Wales bank holidays are worked out once."""
    from click.testing import CliRunner

    from casework import cli
    from casework.calendar import WorkingCalendar

    built: list[WorkingCalendar] = []
    original = WorkingCalendar.england_and_wales

    def counted() -> WorkingCalendar:
        built.append(original())
        return built[-1]

    monkeypatch.setattr(WorkingCalendar, "england_and_wales", counted)
    cli._calendar.cache_clear()
    try:
        result = CliRunner().invoke(
            cli.main,
            [
                "targets", str(EXAMPLES / "targets-cases.yaml"), "--set", "2007-08",
                "--period", "2007-04-01..2008-03-31", "--as-of", "2008-06-30", "-f", "json",
            ],
        )  # fmt: skip
    finally:
        cli._calendar.cache_clear()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)
    assert len(built) == 1


def test_validate_imports_no_rule_and_no_kernel() -> None:
    """Reading a case file into columns needs the model and the reader, not the rules."""
    loaded = _command_modules("validate", str(EXAMPLES / "cases.json"))
    assert {"casework.columnar.reader", "casework.report.findings"} <= loaded
    kernels = ("oasys", "omi", "populations", "reviews", "rmp", "supervision", "targets")
    assert not {f"casework.columnar.{name}" for name in kernels} & loaded
    assert not {"casework.rules.standards", "casework.rules.omi2007", "holidays"} & loaded


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "-o", "out.json"],
        ["targets", "--set", "2007-08", "--period", "2007-04-01..2008-03-31", "-o", "out.json"],
        ["findings", "-o", "out.csv"],
    ],
)
def test_reading_json_lines_does_not_import_pyarrow_compute(
    tmp_path: Path, command: list[str]
) -> None:
    """Arrow parses the lines and the reader calls Arrow's compute functions by name:
    ``pyarrow.compute``, which wraps every one of them when imported, is not imported."""
    document = json.loads((EXAMPLES / "cases.json").read_text(encoding="utf-8"))
    lines = tmp_path / "cases.jsonl"
    lines.write_text(
        "".join(
            json.dumps({**case, "as_of": document["as_of"]}) + "\n" for case in document["cases"]
        ),
        encoding="utf-8",
    )
    name, *options, output = command
    out = tmp_path / output
    loaded = _command_modules(name, str(lines), "--as-of", "2008-06-30", *options, str(out))
    assert "casework.columnar.arrowread" in loaded
    assert "pyarrow.json" in loaded
    assert "pyarrow.compute" not in loaded
    assert out.stat().st_size > 0


def test_a_kernel_is_found_whichever_module_was_imported_first() -> None:
    """The kernels register when first looked up: through ``kernel_for`` or ``KERNELS``."""
    probe = (
        "from casework.columnar.core import kernel_for\n"
        "from casework.rules import ruleset\n"
        "rules = ruleset('national-standards-2007').rules\n"
        "print(sum(kernel_for(rule) is not None for rule in rules))\n"
        "import casework.columnar\n"
        "print(len(casework.columnar.KERNELS))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    with_kernel, registered = map(int, run.stdout.split())
    from casework.columnar import KERNELS, kernel_for
    from casework.rules import ruleset

    assert with_kernel == sum(
        kernel_for(rule) is not None for rule in ruleset("national-standards-2007").rules
    )
    assert with_kernel > 20
    assert registered == len(KERNELS)


def test_a_worker_of_findings_jobs_is_set_up_as_the_program() -> None:
    """``casework.parallel``'s processes run as a command runs: the collector's passes
    rare and the objects made before left out of them, and no pandas imported by Arrow;
    Arrow's memory from the system's allocator."""
    code = (
        "import gc, json, os, sys\n"
        "from casework.parallel import _worker\n"
        "from casework._process import COMMAND_GC_THRESHOLDS\n"
        "before = gc.get_freeze_count()\n"
        "_worker(os.getppid())\n"
        "import numpy as np, pyarrow as pa\n"
        "pa.array(np.arange(3))  # asks for pandas when not set up\n"
        "assert gc.get_threshold() == COMMAND_GC_THRESHOLDS, gc.get_threshold()\n"
        "assert gc.get_freeze_count() > before\n"
        "assert pa.default_memory_pool().backend_name == 'system'\n"
    )
    loaded = _modules_after(code)
    assert "pyarrow" in loaded
    assert not {name for name in loaded if name.split(".")[0] == "pandas"}


def test_freed_memory_is_released_by_glibc_and_nothing_elsewhere() -> None:
    """``release_free_memory`` calls glibc's ``malloc_trim`` where the C library is glibc
    on Linux, and does nothing (no error) anywhere else."""
    import platform

    from casework import _process

    _process._malloc_trim.cache_clear()
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert (_process._malloc_trim() is not None) == glibc
    assert _process.release_free_memory() is None
