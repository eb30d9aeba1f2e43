"""Headless Chromium for tests: render a page to a PNG screenshot or to its DOM.

Debian's ``chromium`` (``apt-get install -y chromium``; ``.ci/run`` installs it
when missing). Flags as this machine needs them: no sandbox as root, and no
background networking, since nothing outside is reachable.

On a machine without Chromium the browser tests are skipped with the reason
(the README's test command needs only Python). ``.ci/run`` sets
``CASEWORK_REQUIRE_BROWSER=1``, which turns that skip into a failure, so CI
always runs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


REQUIRE_BROWSER = "CASEWORK_REQUIRE_BROWSER"
"""Environment variable: set to 1 (as ``.ci/run`` does), a missing Chromium fails the tests."""

MISSING = "headless tests need Debian's chromium: apt-get install -y chromium"


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium() -> None:
    """Skip the calling test when Chromium is missing, or fail it when CI requires it."""
    if find_chromium() is not None:
        return
    if os.environ.get(REQUIRE_BROWSER, "") not in {"", "0"}:
        pytest.fail(f"{MISSING} ({REQUIRE_BROWSER} is set)", pytrace=False)
    pytest.skip(f"{MISSING} (set {REQUIRE_BROWSER}=1 to make this a failure)")


def chromium() -> str:
    found = find_chromium()
    assert found, MISSING
    return found


def _run(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="casework-chromium-") as profile:
        return subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


def screenshot(page: Path, png: Path, *, width: int = 1200, height: int = 1600) -> Path:
    """Render ``page`` and save what a person would see to ``png``."""
    result = _run(page, f"--screenshot={png}", f"--window-size={width},{height}")
    assert png.exists(), f"chromium made no screenshot: {result.stderr[-2000:]}"
    return png


def dom(page: Path) -> str:
    """The page's DOM after rendering (scripts run, layout done)."""
    result = _run(page, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def render(
    page: Path,
    *,
    png: Path | None = None,
    pdf: Path | None = None,
    width: int = 1200,
    height: int = 1600,
) -> str:
    """One Chromium run: the page's DOM after rendering at ``width`` x ``height``, and its
    screenshot to ``png`` and/or its print to ``pdf`` (A4 by the page's ``@page`` rule)."""
    extra = ["--dump-dom", f"--window-size={width},{height}"]
    if png is not None:
        extra.append(f"--screenshot={png}")
    if pdf is not None:
        extra += [f"--print-to-pdf={pdf}", "--no-pdf-header-footer"]
    result = _run(page, *extra)
    assert result.returncode == 0, result.stderr[-2000:]
    for made in (png, pdf):
        assert made is None or made.exists(), f"chromium made no {made}: {result.stderr[-2000:]}"
    return result.stdout
