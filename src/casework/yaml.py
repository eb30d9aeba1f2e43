"""YAML read and written one way wherever casework touches it: YAML 1.2 booleans.

PyYAML follows YAML 1.1, where ``on``, ``off``, ``yes``, ``no``, ``y`` and ``n``
are booleans. Read that way, the case model's ``on:`` keys (tiers, RoH levels,
events ...) become ``True`` and inspectors' ``yes``/``no`` answers become
booleans, so a hand-written case file is rejected. :class:`Loader` reads only
``true`` and ``false`` (in any of YAML 1.2's three spellings) as booleans;
everything else PyYAML's safe loader does is unchanged (dates such as
``2007-10-15`` are still read as dates).

:func:`dump` writes what :func:`load` reads back equal. It quotes every string
a YAML 1.1 reader would take for something else (``'on'``, ``'yes'``), so the
files it writes read the same in any YAML reader.
"""

from __future__ import annotations

import re
from typing import IO, Any

import yaml
from yaml import YAMLError

__all__ = ["Loader", "YAMLError", "dump", "load"]

_BOOL = "tag:yaml.org,2002:bool"


class Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 booleans: only ``true`` and ``false``."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load(text: str | IO[str]) -> Any:
    """One YAML document, read with :class:`Loader`; raises :class:`YAMLError` if it is not YAML."""
    return yaml.load(text, Loader=Loader)


def dump(data: Any, stream: IO[str] | None = None) -> str | None:
    """Write ``data`` as block YAML in the order given (to ``stream``, else returned)."""
    return yaml.safe_dump(data, stream, sort_keys=False, allow_unicode=True)
