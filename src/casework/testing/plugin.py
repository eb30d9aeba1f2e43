"""pytest plugin: golden scenario files run as tests.

Installed with casework (the ``pytest11`` entry point ``casework``), so a
project that depends on casework validates its rule changes with ``pytest``
alone: every file under the test paths named ``scenarios_*.yaml`` (or
``scenarios_*.yml``) is collected, and each scenario in it is one test.

Choose other names with the ``casework_scenarios`` ini option (glob
patterns matched against file names)::

    [tool.pytest.ini_options]
    casework_scenarios = ["scenarios_*.yaml", "*.golden.yaml"]

Turn the plugin off with ``-p no:casework``. The file format is described in
:mod:`casework.testing.scenarios`.
"""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from casework.testing.scenarios import Scenario, ScenarioError

__all__ = ["DEFAULT_PATTERNS", "ScenarioFileCollector", "ScenarioItem"]

#: File names collected when the ``casework_scenarios`` ini option is not set.
DEFAULT_PATTERNS = ("scenarios_*.yaml", "scenarios_*.yml")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``casework_scenarios`` ini option."""
    parser.addini(
        "casework_scenarios",
        type="linelist",
        default=list(DEFAULT_PATTERNS),
        help="glob patterns of casework golden scenario file names "
        f"(default: {' '.join(DEFAULT_PATTERNS)})",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect a file whose name matches one of the ``casework_scenarios`` patterns."""
    patterns: list[str] = parent.config.getini("casework_scenarios")
    if any(fnmatch(file_path.name, pattern) for pattern in patterns):
        collector: ScenarioFileCollector = ScenarioFileCollector.from_parent(parent, path=file_path)
        return collector
    return None


class ScenarioFileCollector(pytest.File):
    """One scenario file: one test item per scenario."""

    def collect(self) -> Iterator[ScenarioItem]:
        from casework.testing.scenarios import ScenarioError, load_scenarios  # noqa: PLC0415

        loaded = load_scenarios(self.path, display=self._display())
        used: set[str] = set()
        for position, entry in enumerate(loaded.entries, start=1):
            if isinstance(entry, ScenarioError):
                name = entry.scenario or f"#{position}"
            else:
                name = entry.name
            if name in used:  # a repeated name is reported as an error on its second use
                name = f"{name} [#{position}]"
            used.add(name)
            yield ScenarioItem.from_parent(self, name=name, entry=entry)

    def _display(self) -> str:
        try:
            return str(self.path.relative_to(self.config.rootpath))
        except ValueError:
            return str(self.path)

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | Any:
        from casework.testing.scenarios import ScenarioError  # noqa: PLC0415

        if isinstance(excinfo.value, ScenarioError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class ScenarioItem(pytest.Item):
    """One scenario: passes when every expected outcome comes out."""

    def __init__(self, *, entry: Scenario | ScenarioError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entry = entry

    def runtest(self) -> None:
        from casework.testing.scenarios import ScenarioError  # noqa: PLC0415

        if isinstance(self.entry, ScenarioError):
            raise self.entry
        self.entry.run().check()

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | Any:
        from casework.testing.scenarios import ScenarioError, ScenarioFailedError  # noqa: PLC0415

        if isinstance(excinfo.value, ScenarioError | ScenarioFailedError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.entry.line
        return self.path, (line - 1 if line else None), f"scenario: {self.name}"
