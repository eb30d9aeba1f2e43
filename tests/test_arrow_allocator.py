"""The command line's Arrow allocator (``casework._process.arrow_allocator``): jemalloc
where the pyarrow build has it, chosen before pyarrow is imported, the user's choice kept,
nothing changed once pyarrow is imported."""

from __future__ import annotations

import importlib.machinery
import os
import subprocess
import sys
from pathlib import Path

import pytest

from casework import _process
from casework._process import ARROW_POOL_ENV, arrow_allocator

#: Prints the backend of Arrow's default pool after ``arrow_allocator`` ran (or after the
#: command line ran a command, with ``cli``), in a process of its own.
PROBE = """
import sys
from casework._process import arrow_allocator
if sys.argv[1] == "cli":
    import atexit
    atexit.register(lambda: print(sys.modules["pyarrow"].default_memory_pool().backend_name))
    sys.argv = ["casework", "findings", sys.argv[2], "-f", "parquet", "-o", sys.argv[3]]
    from casework.cli import main
    main()
if sys.argv[1] == "imported":
    import pyarrow
if sys.argv[1] != "plain":
    arrow_allocator()
import pyarrow as pa
print(pa.default_memory_pool().backend_name)
"""


def _backend(*args: str, pool: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != ARROW_POOL_ENV}
    if pool is not None:
        env[ARROW_POOL_ENV] = pool
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True, text=True, env=env, check=True, timeout=120,
    )  # fmt: skip
    # no warning of an allocator the build lacks (the command's own line aside)
    assert [line for line in done.stderr.splitlines() if not line.startswith("Wrote ")] == []
    return done.stdout.split()[-1]


def _expected() -> str:
    return "jemalloc" if _process._arrow_has_jemalloc() else "mimalloc"


def test_jemalloc_where_the_build_has_it() -> None:
    assert _backend("fresh") == _expected()


def test_the_users_choice_is_kept() -> None:
    assert _backend("fresh", pool="system") == "system"


def test_nothing_changes_once_pyarrow_is_imported() -> None:
    assert _backend("imported") == _backend("plain")


def test_the_command_line_chooses_it(tmp_path: Path) -> None:
    cases = Path(__file__).resolve().parents[1] / "examples" / "cases.json"
    assert _backend("cli", str(cases), str(tmp_path / "f.parquet")) == _expected()
    assert (tmp_path / "f.parquet").stat().st_size > 0


def test_a_call_from_python_leaves_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """pyarrow imported (as in this test process): nothing set."""
    import pyarrow  # noqa: F401

    monkeypatch.delenv(ARROW_POOL_ENV, raising=False)
    arrow_allocator()
    assert ARROW_POOL_ENV not in os.environ


@pytest.mark.parametrize(
    ("header", "built"),
    [
        ("#define ARROW_JEMALLOC\n#define ARROW_JEMALLOC_VENDORED\n", True),
        ("#define ARROW_MIMALLOC\n", False),
        ("/* #undef ARROW_JEMALLOC */\n#define ARROW_JEMALLOC_VENDORED\n", False),
        (None, False),
    ],
)
def test_the_build_is_read_from_its_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, header: str | None, built: bool
) -> None:
    folder = tmp_path / "pyarrow"
    if header is not None:
        (folder / "include" / "arrow" / "util").mkdir(parents=True)
        (folder / "include" / "arrow" / "util" / "config.h").write_text(header)
    spec = importlib.machinery.ModuleSpec("pyarrow", None, is_package=True)
    spec.submodule_search_locations = [str(folder)]
    monkeypatch.setattr(_process.importlib.util, "find_spec", lambda name: spec)
    assert _process._arrow_has_jemalloc() is built
