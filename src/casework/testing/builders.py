"""Small builders so a test states only the facts that matter.

>>> case = make_case(sentence={"kind": "licence", "released_on": "2007-06-04"})
>>> case.sentence.kind.value
'licence'
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from casework.model import Case

__all__ = ["CASE_DEFAULTS", "make_case", "merge"]

#: The case every builder starts from: a Tier 2 community order sentenced on
#: Friday 1 June 2007, read on 15 October 2007, with nothing else recorded.
CASE_DEFAULTS: Mapping[str, Any] = {
    "reference": "T-0001",
    "as_of": "2007-10-15",
    "sentence": {"kind": "community_order", "sentenced_on": "2007-06-01"},
    "tiers": [{"tier": 2, "on": "2007-06-01"}],
}


def merge(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``overrides`` into a copy of ``base``: mappings merge, anything else replaces.

    A value of ``None`` for a key removes it (so an override can drop a default).
    """
    result: dict[str, Any] = copy.deepcopy(dict(base))
    for key, value in overrides.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def make_case(base: Mapping[str, Any] | None = None, /, **overrides: Any) -> Case:
    """A valid :class:`~casework.Case` from :data:`CASE_DEFAULTS` plus the facts given.

    Nested mappings are merged, so ``make_case(sentence={"kind": "licence",
    "released_on": "2007-06-04"})`` keeps the default ``sentenced_on``. A licence
    or custody case gets no release date unless one is given.
    """
    data = merge(base if base is not None else CASE_DEFAULTS, overrides)
    return Case.model_validate(data)
