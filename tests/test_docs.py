"""The documentation's examples run, and the site builds.

Every page of docs/ and the README is checked:

* ```` ```python ```` blocks run in order, in one namespace per page;
* ```` ```pycon ```` blocks run as doctests (their output is checked);
* ```` --8<-- "examples/file.py:section" ```` lines are replaced by that
  part of the file, as the site's snippets extension does;
* ```` ```console ```` blocks run each ``$ casework ...`` line and check its output
  (``...`` matches anything; ``# exit status N`` names an expected non-zero status).

They run in a fresh folder holding the example data files (``cases.json``,
``bad-cases.jsonl``, ``omi-sample.json``... and ``examples/``; ``cases.jsonl`` and
``cases.yaml`` hold the cases of ``cases.json``), with ``date``, ``dt``,
``calendar`` (England and Wales), ``cases`` (the cases of ``cases.json``) and
``as_of`` (15 October 2007, their date) already defined.

Every block of every page is accounted for (``test_every_block_is_run_or_says_why_not``):
run as above, or a JSON shape checked against the command's output, or output shown
(``text``, no language), or marked on the line before it with ``<!-- docs-test: skip:
REASON -->`` (a sketch that cannot run here, and why) or ``<!-- docs-test: checked by
tests/FILE.py -->`` (run by that test).
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml

from casework import dumps_cases, load_cases
from casework.rules import available_rulesets, ruleset
from tests.conftest import EXAMPLES, ROOT

DOCS = ROOT / "docs"
PAGES = [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]
FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
ANY_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
MARKER = re.compile(r"<!-- docs-test: (skip|checked by|shape of)(?::? (.*?))? -->$")
"""The comment on the line before a block that says how it is checked, when it is not run
as its language says: ``skip: REASON`` (not run here, and why), ``checked by PATH`` (a
test file that runs it), ``shape of: COMMAND`` (a JSON shape that COMMAND's output has)."""
PRELUDE = """
import datetime as dt
from datetime import date
from casework import WorkingCalendar, load_cases
calendar = WorkingCalendar.england_and_wales()
cases = load_cases("cases.json").cases
as_of = date(2007, 10, 15)
"""
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


SNIPPET = re.compile(r'^--8<-- "([^":]+)(?::(\w+))?"$', re.MULTILINE)


def _snippet(match: re.Match[str]) -> str:
    """What pymdownx.snippets puts in place of ``--8<-- "file:section"``."""
    lines = (ROOT / match.group(1)).read_text(encoding="utf-8").splitlines()
    section = match.group(2)
    if section:
        start = lines.index(f"# --8<-- [start:{section}]")
        lines = lines[start + 1 : lines.index(f"# --8<-- [end:{section}]")]
    return "\n".join(line for line in lines if not line.startswith("# --8<-- ["))


def _marker(text: str, start: int) -> re.Match[str] | None:
    """The docs-test comment on the line just before the block starting at ``start``."""
    before = text[:start].rstrip().rsplit("\n", 1)[-1]
    return MARKER.fullmatch(before.strip())


def _blocks(page: Path, languages: set[str]) -> list[tuple[str, str, int]]:
    """The blocks in these languages that are run as their language says (no marker)."""
    text = page.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        if match.group(1) in languages and _marker(text, match.start()) is None:
            line = text.count("\n", 0, match.start()) + 2
            found.append((match.group(1), SNIPPET.sub(_snippet, match.group(2)), line))
    return found


def _pages_with(languages: set[str]) -> list[Any]:
    return [
        pytest.param(page, id=str(page.relative_to(ROOT)))
        for page in PAGES
        if _blocks(page, languages)
    ]


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with the example files, as the docs assume."""
    shutil.copytree(EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns("*.ipynb"))
    for data in EXAMPLES.iterdir():
        if data.suffix in {".json", ".jsonl", ".yaml"}:
            shutil.copy(data, tmp_path / data.name)
    cases = load_cases(EXAMPLES / "cases.json").cases
    (tmp_path / "cases.jsonl").write_text(dumps_cases(cases, format="jsonl"), encoding="utf-8")
    (tmp_path / "cases.yaml").write_text(dumps_cases(cases, format="yaml"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("page", _pages_with({"python", "pycon"}))
def test_python_examples_run(page: Path, sandbox: Path) -> None:
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    exec(PRELUDE, namespace)
    parser = doctest.DocTestParser()
    for language, code, line in _blocks(page, {"python", "pycon"}):
        where = f"{page.relative_to(ROOT)}:{line}"
        if language == "python":
            with redirect_stdout(io.StringIO()):
                exec(compile(code, where, "exec"), namespace)
            continue
        test = parser.get_doctest(code, namespace, where, str(page), line - 1)
        report = io.StringIO()
        runner = doctest.DocTestRunner(optionflags=FLAGS)
        runner.run(test, out=report.write, clear_globs=False)
        assert runner.failures == 0, report.getvalue()
        namespace.update(test.globs)  # a doctest works on a copy of the namespace


def _console_steps(code: str) -> list[tuple[str, str]]:
    steps: list[tuple[str, str]] = []
    for line in code.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], ""))
        elif steps:
            command, expected = steps[-1]
            steps[-1] = (command, expected + line + "\n")
    return steps


@pytest.mark.parametrize("page", _pages_with({"console"}))
def test_console_examples_run(page: Path, sandbox: Path) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    checker = doctest.OutputChecker()
    for _, code, line in _blocks(page, {"console"}):
        for command, expected in _console_steps(code):
            status = re.search(r"#\s*exit status (\d+)", command)
            result = subprocess.run(
                shlex.split(command, comments=True),
                capture_output=True,
                text=True,
                check=False,
                env=env,
                cwd=sandbox,
            )
            where = f"{page.relative_to(ROOT)}:{line}: $ {command}"
            assert result.returncode == (int(status.group(1)) if status else 0), (
                f"{where}\n{result.stderr}"
            )
            if expected:
                assert checker.check_output(expected, result.stdout, FLAGS), (
                    f"{where}\nexpected:\n{expected}\ngot:\n{result.stdout}"
                )


def _nav_pages(items: Any) -> list[str]:
    if isinstance(items, str):
        return [items]
    if isinstance(items, list):
        return [page for item in items for page in _nav_pages(item)]
    if isinstance(items, dict):
        return [page for value in items.values() for page in _nav_pages(value)]
    return []


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may hold tags for plugins; this test only reads the nav."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def test_every_page_is_in_the_site_navigation() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    in_nav = set(_nav_pages(config["nav"]))
    pages = {str(page.relative_to(DOCS)) for page in DOCS.rglob("*.md")}
    assert pages - in_nav == set(), "add these pages to the nav in mkdocs.yml"
    assert in_nav - pages == set(), "the nav names pages that do not exist"


def test_the_site_builds_strictly_with_every_rule_and_public_name(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    reference = (site / "reference" / "rules" / "index.html").read_text(encoding="utf-8")
    for name in available_rulesets():
        rules = ruleset(name)
        assert f'id="{name}' in reference or name in reference
        for rule in rules:
            assert rule.id in reference, f"{rule.id} of {name} is missing from the reference"
            assert rule.applies_to.description.split(" (")[0][:40] in reference.replace(
                "&#39;", "'"
            )
    glossary = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "Offender Assessment System" in glossary
    _check_api_reference(site)


API_PAGES = {
    "casework": "casework",
    "casework.rules": "rules",
    "casework.model": "model",
    "casework.report": "report",
    "casework.testing": "testing",
}


def _check_api_reference(site: Path) -> None:
    """Every public class and function of each package has its own entry in the API pages."""
    for package, page in API_PAGES.items():
        module = importlib.import_module(package)
        html = (site / "reference" / "api" / page / "index.html").read_text(encoding="utf-8")
        for name in module.__all__:
            value = getattr(module, name)
            if not (inspect.isclass(value) or inspect.isfunction(value)):
                continue  # constants and type aliases are documented where they are used
            anchors = {f'id="{package}.{name}"', f'id="{value.__module__}.{name}"'}
            assert any(anchor in html for anchor in anchors), f"{package}.{name} not in the API"


def test_the_compare_example_of_the_testing_page_defines_every_name_it_uses(
    sandbox: Path,
) -> None:
    """Copied on its own into a script, the example runs: no name comes from the prelude."""
    text = (DOCS / "testing.md").read_text(encoding="utf-8")
    section = text[text.index("\n## compare\n") :]
    (match,) = [m for m in FENCE.finditer(section) if m.group(1) == "python"][:1]
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    exec(compile(match.group(2), "docs/testing.md#compare", "exec"), namespace)
    assert namespace["diff"].changed_cases() == ("B-03",)


def test_the_rules_reference_prints_no_internal_working_notes() -> None:
    """Notes are for readers of the reference: sources, readings and how to change them,
    not the project's working notes (issue numbers, proposals, Python calls)."""
    from casework.report import render_markdown, ruleset_reference

    text = render_markdown(ruleset_reference().document)
    for working in ("proposal for", "'?' tag", "The issue", "with_parameters(", "TODO", "FIXME"):
        assert working not in text, working
    assert "RoH thread: yes. Restrictive requirements (omi-2007-criteria.md §2: not stated" in text


def _pages_with_commands() -> list[Any]:
    """Docs pages (the README has its own test) with ``casework`` lines in ```sh blocks."""
    return [
        pytest.param(page, id=str(page.relative_to(ROOT)))
        for page in PAGES
        if page.name != "README.md"
        and any("\ncasework " in f"\n{code}" for _, code, _ in _blocks(page, {"sh"}))
    ]


@pytest.mark.parametrize("page", _pages_with_commands())
def test_shell_examples_run(page: Path, sandbox: Path) -> None:
    """Every ``casework ...`` line of a page's ```sh blocks runs (exit 0 unless it says
    ``# exit status N``) and prints or writes something. In-process, for speed: the
    console examples above already run the installed script."""
    from click.testing import CliRunner

    from casework.cli import main

    for _, code, line in _blocks(page, {"sh"}):
        for command in code.splitlines():
            if not command.startswith("casework "):
                continue
            status = re.search(r"#\s*exit status (\d+)", command)
            words = shlex.split(command, comments=True)
            result = CliRunner().invoke(main, words[1:], catch_exceptions=False)
            where = f"{page.relative_to(ROOT)}:{line}: $ {command}"
            assert result.exit_code == (int(status.group(1)) if status else 0), (
                f"{where}\n{result.stderr}"
            )
            written = [words[i + 1] for i, word in enumerate(words) if word in {"-o", "--output"}]
            assert result.stdout.strip() or all(
                (sandbox / name).stat().st_size > 0 for name in written
            ), where


RUN = {"python", "pycon", "console"}
"""Languages whose blocks run as they are (the tests above)."""
OUTPUT = {"", "text"}
"""Output shown on a page: nothing to run, so it must hold no command or prompt."""


def _why_not_run(page: Path, text: str, match: re.Match[str], run_files: str) -> str | None:
    """None when the block is run or checked; else what is wrong with it."""
    language, code = match.group(1), match.group(2)
    marker = _marker(text, match.start())
    if marker is not None:
        kind, detail = marker.group(1), (marker.group(2) or "").strip()
        if kind == "skip":
            return None if detail else "a skipped block must give its reason (skip: REASON)"
        if kind == "checked by":
            test = ROOT / detail
            if not (detail.startswith("tests/") and test.is_file()):
                return f"{detail!r} is not a test file"
            mentions = test.read_text(encoding="utf-8")
            return None if page.name in mentions else f"{detail} does not read {page.name}"
        return None if language == "json" and detail.startswith("casework ") else "shape of?"
    if language in RUN:
        return None
    if language == "sh":
        lines = [line for line in code.splitlines() if line.strip()]
        if all(line.startswith("casework ") for line in lines):
            return None  # test_shell_examples_run, and tests/test_project.py for the README
        return "a shell line that is not a casework command: run it or mark it"
    if language in OUTPUT:
        prompts = [line for line in code.splitlines() if line.startswith(("$ ", ">>> "))]
        return (
            f"output holding commands {prompts}: make it a console or pycon block"
            if (prompts)
            else None
        )
    included = SNIPPET.fullmatch(code.strip())
    if included and included.group(1) in run_files:
        return None  # a file shown whole, which a run block of the page uses
    return f"a {language} block neither run nor marked"


def test_every_block_is_run_or_says_why_not() -> None:
    """Nothing is left out silently: every fenced block of README.md and docs/ is run,
    checked by a named test, output, or marked as a sketch with the reason."""
    problems = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        matches = list(ANY_FENCE.finditer(text))
        run_files = "\n".join(m.group(2) for m in matches if m.group(1) in RUN | {"sh"})
        for match in matches:
            why = _why_not_run(page, text, match, run_files)
            if why is not None:
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{page.relative_to(ROOT)}:{line}: {why}")
        stale = re.findall(r"<!-- docs-test: (?!skip: \S|checked by |shape of: )[^>]*-->", text)
        problems += [f"{page.relative_to(ROOT)}: unknown or incomplete marker {m}" for m in stale]
    assert problems == []


def _shapes() -> list[Any]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in ANY_FENCE.finditer(text):
            marker = _marker(text, match.start())
            if marker is not None and marker.group(1) == "shape of":
                line = text.count("\n", 0, match.start()) + 2
                where = f"{page.relative_to(ROOT)}:{line}"
                found.append(pytest.param(marker.group(2), match.group(2), id=where))
    return found


def _missing_keys(shown: Any, actual: Any, path: str = "$") -> list[str]:
    """Keys the page shows that the real output lacks, at any depth (the page may leave
    some out and shorten lists; it may not invent)."""
    if isinstance(shown, dict):
        if not isinstance(actual, dict):
            return [f"{path}: an object on the page, {type(actual).__name__} in the output"]
        missing = [f"{path}.{key}" for key in shown if key not in actual]
        for key in shown.keys() & actual.keys():
            missing += _missing_keys(shown[key], actual[key], f"{path}.{key}")
        return missing
    if isinstance(shown, list) and shown and isinstance(shown[0], dict):
        if not (isinstance(actual, list) and actual):
            return [f"{path}: a list of objects on the page, not in the output"]
        union: dict[str, Any] = {}
        for item in actual:
            if isinstance(item, dict):
                union = {**item, **union}
        return [m for item in shown for m in _missing_keys(item, union, f"{path}[]")]
    return []


@pytest.mark.parametrize(("command", "shown"), _shapes())
def test_json_shapes_are_what_the_command_prints(command: str, shown: str, sandbox: Path) -> None:
    from click.testing import CliRunner

    from casework.cli import main

    words = shlex.split(command, comments=True)
    status = re.search(r"#\s*exit status (\d+)", command)
    result = CliRunner().invoke(main, words[1:], catch_exceptions=False)
    assert result.exit_code == (int(status.group(1)) if status else 0), result.stderr
    import json

    page, actual = json.loads(shown), json.loads(result.stdout)
    assert _missing_keys(page, actual) == []
    assert page.get("kind", actual.get("kind")) == actual.get("kind")
