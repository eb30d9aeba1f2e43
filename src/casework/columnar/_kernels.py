"""The modules that hold kernels: importing this imports each, which registers its own.

:func:`casework.columnar.core.kernel_for` imports it on first use, and
``casework.columnar.KERNELS`` comes from here, so a kernel is found whichever module
was imported first; reading a case file into columns imports none of them.

``casework.columnar.omi`` gives the kernels of the OMI 2007 questions' checks, whose
types are those of ``casework.rules.omi2007``: it is imported once that package is
(:func:`providers`), not before, so that a run of other rule sets does not import them.
"""

from __future__ import annotations

import sys

from casework.columnar import oasys, populations, reviews, rmp, supervision, targets
from casework.columnar.core import KERNELS, PROVIDERS

__all__ = [
    "KERNELS",
    "PROVIDERS",
    "oasys",
    "populations",
    "providers",
    "reviews",
    "rmp",
    "supervision",
    "targets",
]


def providers() -> None:
    """Register the providers the rules imported so far may need (the OMI questions')."""
    if "casework.columnar.omi" not in sys.modules and "casework.rules.omi2007" in sys.modules:
        import casework.columnar.omi  # noqa: F401, PLC0415  (registers its provider)
