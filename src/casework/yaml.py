"""YAML read and written one way wherever casework touches it: YAML 1.2 booleans.

PyYAML follows YAML 1.1, where ``on``, ``off``, ``yes``, ``no``, ``y`` and ``n``
are booleans. Read that way, the case model's ``on:`` keys (tiers, RoH levels,
events ...) become ``True`` and inspectors' ``yes``/``no`` answers become
booleans, so a hand-written case file is rejected. :class:`Loader` reads only
``true`` and ``false`` (in any of YAML 1.2's three spellings) as booleans;
everything else PyYAML's safe loader does is unchanged (dates such as
``2007-10-15`` are still read as dates).

The loader is also safe on hostile input (docs/case-files.md, "Limits"):

* nesting deeper than ``max_parse_depth`` and aliases that expand a document
  by more than ``max_alias_expansion`` values (a "billion laughs" file) or
  refer to themselves raise :class:`YAMLLimitError`, before anything is built;
* an unquoted date that is not a real day (``2007-02-30``) stays text, so the
  case model rejects that one field instead of the parser the whole file;
* a whole number longer than ``max_number_digits`` becomes an
  :class:`~casework._limits.OversizeNumber` marker, and a mapping with a key
  written twice a :class:`~casework._limits.KeyedDict` naming it, for the
  loader to reject the one record holding it.

:func:`dump` writes what :func:`load` reads back equal. It quotes every string
a YAML 1.1 reader would take for something else (``'on'``, ``'yes'``), so the
files it writes read the same in any YAML reader.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import IO, Any

import yaml
from yaml import YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from casework._limits import DEFAULT_LIMITS, KeyedDict, Limits, OversizeNumber

__all__ = ["Loader", "YAMLError", "YAMLLimitError", "dump", "load"]

_BOOL = "tag:yaml.org,2002:bool"
_MERGE = "tag:yaml.org,2002:merge"


class YAMLLimitError(YAMLError):
    """A YAML document over a limit: too deep, too many alias expansions, or a recursive alias."""

    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        self.code = code
        self.line = line
        super().__init__(message)


class Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 booleans and limits (see the module docstring)."""

    def __init__(self, stream: str | IO[str], limits: Limits = DEFAULT_LIMITS) -> None:
        super().__init__(stream)
        self.limits = limits
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self._depth += 1
        try:
            if self._depth > self.limits.max_parse_depth:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise YAMLLimitError(
                    "yaml.too_deep",
                    f"nested more than {self.limits.max_parse_depth} deep",
                    mark.line + 1 if mark else None,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: ScalarNode) -> Any:
        digits = sum(ch.isalnum() for ch in str(node.value))
        if digits > self.limits.max_number_digits:
            return OversizeNumber(digits)
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            # Not a real day (2007-02-30, month 13, year 0): keep the text, so the
            # case model rejects the one field, located, instead of the whole file.
            return self.construct_scalar(node)

    def construct_yaml_map(self, node: MappingNode) -> Generator[dict[Any, Any], None, None]:
        written: set[tuple[str, str]] = set()
        repeated: list[str] = []
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag != _MERGE:
                key = (key_node.tag, str(key_node.value))
                if key in written:
                    repeated.append(key[1])
                written.add(key)
        data: dict[Any, Any] = KeyedDict() if repeated else {}
        if repeated:
            data.duplicates = tuple(repeated)  # type: ignore[attr-defined]
        yield data
        data.update(self.construct_mapping(node))


Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)
Loader.add_constructor("tag:yaml.org,2002:map", Loader.construct_yaml_map)


def _check_expansion(root: Node, limits: Limits) -> None:
    """Refuse a node graph whose aliases expand it too far, or that contains itself.

    Counts, without building anything, how many values the document holds with
    every alias expanded: each node's size is computed once (post-order, memoised),
    and the count stops as soon as one part is over the limit.
    """
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in _children(node))
            # size - (distinct values seen) only grows towards the whole document's excess
            if size[key] > len(size) + limits.max_alias_expansion:
                raise YAMLLimitError(
                    "yaml.alias_expansion",
                    f"aliases expand the document by more than {limits.max_alias_expansion} "
                    "values beyond those written",
                    node.start_mark.line + 1,
                )
            continue
        if key in size:
            continue
        if key in on_path:
            raise YAMLLimitError(
                "yaml.recursive_alias",
                "an alias refers to a value that contains it",
                node.start_mark.line + 1,
            )
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load(text: str | IO[str], *, limits: Limits = DEFAULT_LIMITS) -> Any:
    """One YAML document, read with :class:`Loader`.

    Raises:
        YAMLError: it is not YAML (:class:`YAMLLimitError` when it is over a limit).
    """
    loader = Loader(text, limits)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expansion(node, limits)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def dump(data: Any, stream: IO[str] | None = None) -> str | None:
    """Write ``data`` as block YAML in the order given (to ``stream``, else returned)."""
    return yaml.safe_dump(data, stream, sort_keys=False, allow_unicode=True)
