"""Shared fixtures and Hypothesis profiles.

Profiles (choose with HYPOTHESIS_PROFILE): ``dev`` (default, quick),
``ci`` (more examples, derandomised so CI runs are reproducible).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from casework import WorkingCalendar

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci",
    max_examples=250,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def console_script() -> list[str]:
    """The installed ``casework`` console script (beside this Python, else on PATH)."""
    script = Path(sys.executable).parent / "casework"
    if script.exists():
        return [str(script)]
    found = shutil.which("casework")
    assert found, "the casework console script is not installed"
    return [found]


@pytest.fixture(scope="session")
def calendar() -> WorkingCalendar:
    """England & Wales bank holidays, 1974-2051 (the default years)."""
    return WorkingCalendar.england_and_wales()


@pytest.fixture(scope="session")
def examples() -> Path:
    """The bundled examples folder."""
    return EXAMPLES


#: tests/downstream is a downstream project's folder, run through pytester by
#: tests/testing/test_plugin.py; it is not part of this suite.
collect_ignore = ["downstream"]
