"""The browser tests' gate: a skip with the reason without Chromium, a failure in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.browser import REQUIRE_BROWSER, require_chromium


@pytest.fixture
def no_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no chromium on PATH


@pytest.mark.usefixtures("no_chromium")
def test_without_chromium_the_browser_tests_skip_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(REQUIRE_BROWSER, raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        require_chromium()


@pytest.mark.usefixtures("no_chromium")
def test_ci_turns_the_skip_into_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_BROWSER, "1")
    with pytest.raises(pytest.fail.Exception, match=REQUIRE_BROWSER):
        require_chromium()


def test_ci_requires_the_browser() -> None:
    ci = (Path(__file__).parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert f"export {REQUIRE_BROWSER}=1" in ci
