"""The modules that hold kernels: importing this imports each, which registers its own.

:func:`casework.columnar.core.kernel_for` imports it on first use, and
``casework.columnar.KERNELS`` comes from here, so a kernel is found whichever module
was imported first; reading a case file into columns imports none of them.
"""

from __future__ import annotations

from casework.columnar import oasys, omi, populations, reviews, rmp, supervision, targets
from casework.columnar.core import KERNELS, PROVIDERS

__all__ = [
    "KERNELS",
    "PROVIDERS",
    "oasys",
    "omi",
    "populations",
    "reviews",
    "rmp",
    "supervision",
    "targets",
]
