"""Helpers for test suites that check cases and rules: case builders (and, with the
``testing`` extra, Hypothesis strategies in :mod:`casework.testing.strategies`)."""

from casework.testing.builders import CASE_DEFAULTS, make_case, merge

__all__ = ["CASE_DEFAULTS", "make_case", "merge"]
