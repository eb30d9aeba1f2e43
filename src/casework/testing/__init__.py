"""Helpers for test suites that check cases and rules.

* case builders (:func:`make_case`, :func:`oasys`, :func:`review`, ...), :func:`short_form`
  (a case as a short case file writes it) and
  :func:`work_done_earlier` for monotonicity properties;
* golden scenario files and the pytest plugin that runs them
  (:mod:`casework.testing.scenarios`, :mod:`casework.testing.plugin`);
* with the ``testing`` extra, Hypothesis strategies in
  :mod:`casework.testing.strategies` (imported on its own: this package
  does not need Hypothesis).
"""

from casework.testing.builders import (
    CASE_DEFAULTS,
    OASYS_PARTS,
    default_calendar,
    make_case,
    make_cases,
    merge,
    oasys,
    review,
    short_form,
)
from casework.testing.transforms import work_done_earlier

__all__ = [
    "CASE_DEFAULTS",
    "OASYS_PARTS",
    "default_calendar",
    "make_case",
    "make_cases",
    "merge",
    "oasys",
    "review",
    "short_form",
    "work_done_earlier",
]
