"""Headless Chromium for tests: render a page to a PNG screenshot or to its DOM.

Debian's ``chromium`` (``apt-get install -y chromium``; ``.ci/run`` installs it
when missing). Flags as this machine needs them: no sandbox as root, and no
background networking, since nothing outside is reachable.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

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


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless tests need Debian's chromium: apt-get install -y chromium"
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
