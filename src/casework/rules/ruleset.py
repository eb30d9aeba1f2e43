"""Rule sets: named, versioned, dated collections of rules with their parameters.

A rule set can be *derived* from another without copying it: an
:class:`Overlay` replaces, adds or removes rules and changes parameter values,
and the variant it gives has its own name and version, so its findings say
which variant produced them::

    variant = ruleset("national-standards-2007").derive(
        "ns07-ten-day-oasys",
        version="pilot-1",
        parameters={"oasys_tier1to3_limit": 10},  # 15 working days becomes 10
    )

Overlays can also be written as small TOML or YAML files
(:meth:`Overlay.from_file`, :func:`resolve_ruleset`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

from casework.calendar import Duration, TimeUnit
from casework.rules.engine import IN_FORCE_READINGS, Rule, RuleDefinitionError
from casework.rules.parameters import (
    MissingParameterError,
    Parameter,
    ParameterError,
    ParameterSet,
    ParameterTable,
    Value,
)

__all__ = [
    "Overlay",
    "OverlayError",
    "ParameterChange",
    "RuleSet",
    "build_ruleset",
    "import_object",
    "parse_duration",
    "resolve_ruleset",
]

#: A new value for a parameter: a plain value in the parameter's own unit, or
#: for a time limit a :class:`~casework.calendar.Duration` or words such as
#: ``"10 working days"`` / ``"16 weeks"`` / ``"4 months"`` (the unit may change).
ParameterChange: TypeAlias = Value | Duration


@attrs.frozen
class RuleSet:
    """A named, versioned collection of rules and the parameters they read.

    ``parameters`` are resolved as at the rule set's own date, so that
    ``national-standards-2005`` always reads the 2005 thresholds and
    ``national-standards-2007`` the 2007 ones, whatever the evaluation date.
    """

    name: str
    version: str
    title: str
    family: str
    rules: tuple[Rule, ...]
    parameters: ParameterSet
    in_force_from: dt.date
    in_force_to: dt.date | None = None
    description: str = ""
    derived_from: RuleSet | None = attrs.field(default=None, repr=False)
    """The rule set this one was derived from by an :class:`Overlay`, if any."""
    changes: tuple[str, ...] = ()
    """What the overlay changed, in words ("oasys_tier1to3_limit: 15 working days -> 10 ...")."""
    by_clock: bool = True
    """Whether the rules' in-force dates are enforced (every shipped set;
    docs/decisions.md#standard-by-clock-start, #in-force-every-set): on the day each
    deadline's clock started, or by the set's own reading (:attr:`in_force_by`). ``False``
    asks every rule of every case whatever its dates."""
    in_force_by: str = attrs.field(default="trigger")
    """The set's own reading of which day decides whether a rule is in force (the option
    ``in_force_by`` overrides it): ``"trigger"``, the day the deadline's clock started (the
    National Standards and target sets); ``"due"``, the day it fell due; ``"as_of"``, the
    assessment date (``omi-2007``: the inspection judged every sampled case by the
    standards of its fieldwork; docs/decisions.md#in-force-every-set)."""

    @in_force_by.validator
    def _known_reading(self, _: object, value: str) -> None:
        if value not in IN_FORCE_READINGS:
            raise RuleDefinitionError(
                f"rule set {self.name!r}: in_force_by must be one of {', '.join(IN_FORCE_READINGS)}"
            )

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise RuleDefinitionError(f"rule set {self.name!r} has rule {rule.id!r} twice")
            seen.add(rule.id)
            unknown = [p for p in rule.parameters if p not in self.parameters.definitions]
            if unknown:
                raise RuleDefinitionError(
                    f"rule {rule.id!r} in {self.name!r} reads unknown parameters {unknown}"
                )
        if self.in_force_to is not None and self.in_force_to < self.in_force_from:
            raise RuleDefinitionError(f"rule set {self.name!r} ends before it starts")

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return any(rule.id == rule_id for rule in self.rules)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id; ``KeyError`` if the set has none."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"rule set {self.name!r} has no rule {rule_id!r}")

    def only(self, rule_ids: Iterable[str]) -> RuleSet:
        """The same rule set asking only these rules (in the set's order).

        Each rule answers on its own, so the findings are those of the whole set for
        these rules; evaluating fewer rules is faster. ``KeyError`` for an unknown id.
        """
        wanted = set(rule_ids)
        for rule_id in wanted:
            self.rule(rule_id)
        return attrs.evolve(self, rules=tuple(rule for rule in self.rules if rule.id in wanted))

    @property
    def label(self) -> str:
        """``name@version``."""
        return f"{self.name}@{self.version}"

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the rule set is the one in force on ``day``."""
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)

    def with_parameters(self, values: Mapping[str, Value], *, note: str = "") -> RuleSet:
        """The same rules reading some parameter values supplied by the caller."""
        return attrs.evolve(self, parameters=self.parameters.with_values(values, note=note))

    @property
    def lineage(self) -> tuple[str, ...]:
        """Labels from the original rule set to this one: ``("ns-2007@0.1", "pilot@1")``."""
        chain: list[str] = []
        current: RuleSet | None = self
        while current is not None:
            chain.append(current.label)
            current = current.derived_from
        return tuple(reversed(chain))

    def derive(
        self,
        name: str,
        *,
        version: str | None = None,
        title: str | None = None,
        description: str = "",
        replace: Iterable[Rule] = (),
        add: Iterable[Rule] = (),
        remove: Iterable[str] = (),
        parameters: Mapping[str, ParameterChange] | None = None,
        parameters_on: dt.date | None = None,
        table: ParameterTable | None = None,
        note: str = "",
    ) -> RuleSet:
        """A variant of this rule set under its own name (arguments as for :class:`Overlay`)."""
        overlay = Overlay(
            name=name,
            version=version,
            title=title,
            description=description,
            replace=tuple(replace),
            add=tuple(add),
            remove=tuple(remove),
            parameters=dict(parameters or {}),
            parameters_on=parameters_on,
            table=table,
            note=note,
        )
        return overlay.apply(self)


def build_ruleset(
    *,
    name: str,
    version: str,
    title: str,
    family: str,
    rules: Iterable[Rule],
    in_force_from: dt.date,
    in_force_to: dt.date | None = None,
    parameters_on: dt.date | None = None,
    table: ParameterTable | None = None,
    description: str = "",
    by_clock: bool = True,
    in_force_by: str = "trigger",
) -> RuleSet:
    """Assemble a rule set, resolving parameters as at ``parameters_on`` (default: its start)."""
    resolved = (table or ParameterTable.default()).resolve(parameters_on or in_force_from)
    return RuleSet(
        name=name,
        version=version,
        title=title,
        family=family,
        rules=tuple(rules),
        parameters=resolved,
        in_force_from=in_force_from,
        in_force_to=in_force_to,
        description=description,
        by_clock=by_clock,
        in_force_by=in_force_by,
    )


# ---------------------------------------------------------------------- overlays


class OverlayError(RuleDefinitionError):
    """An overlay that cannot be applied or read: says where (file, field) and why."""


def _rule_tuple(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(rules)


def _id_tuple(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(ids)


def _frozen_changes(values: Mapping[str, ParameterChange]) -> Mapping[str, ParameterChange]:
    return MappingProxyType(dict(values))


_TIME_UNITS = frozenset(unit.value for unit in TimeUnit)
_DURATION = re.compile(
    r"^\s*(?P<amount>\d+)\s+(?P<unit>working[ _]days?|calendar[ _]days?|days?|weeks?|months?)\s*$",
    re.IGNORECASE,
)
_UNIT_WORDS = {
    "working": TimeUnit.WORKING_DAYS,
    "calendar": TimeUnit.CALENDAR_DAYS,
    "day": TimeUnit.CALENDAR_DAYS,
    "week": TimeUnit.WEEKS,
    "month": TimeUnit.MONTHS,
}


def parse_duration(text: str) -> Duration:
    """``"10 working days"``, ``"16 weeks"``, ``"4 months"``, ``"56 days"`` as a Duration.

    Plain "days" are calendar days. Raises ``ValueError`` for anything else.
    """
    found = _DURATION.match(text)
    if found is None:
        raise ValueError(
            f"expected a duration such as '10 working days', '16 weeks' or '4 months'; "
            f"found {text!r}"
        )
    word = found["unit"].lower().replace("_", " ").split()[0].rstrip("s")
    return Duration(int(found["amount"]), _UNIT_WORDS[word])


@attrs.frozen
class Overlay:
    """Changes that turn a rule set into a named variant, without copying the set.

    Attributes:
        name: the variant's name; its findings carry it as ``ruleset``.
        version: the variant's version (default: the base's version).
        title: a title (default: the base's title and the variant's name).
        description: what the variant is for.
        base: the rule set applied to when :meth:`apply` is given none: a
            registered name, ``"package.module:attribute"``, or an overlay file.
        replace: rules that take the place of the base's rule with the same id.
        add: rules added after the base's rules.
        remove: ids of the base's rules to leave out.
        parameters: new values by parameter name (see :data:`ParameterChange`).
        parameters_on: read the base's parameter definitions as at this date
            instead of the base's own date (before ``parameters`` are applied).
        table: extra parameter definitions that added or replaced rules read.
        note: why the values changed; shown beside each changed parameter.
    """

    name: str
    version: str | None = None
    title: str | None = None
    description: str = ""
    base: str | None = None
    replace: tuple[Rule, ...] = attrs.field(default=(), converter=_rule_tuple)
    add: tuple[Rule, ...] = attrs.field(default=(), converter=_rule_tuple)
    remove: tuple[str, ...] = attrs.field(default=(), converter=_id_tuple)
    parameters: Mapping[str, ParameterChange] = attrs.field(factory=dict, converter=_frozen_changes)
    parameters_on: dt.date | None = None
    table: ParameterTable | None = None
    note: str = ""
    origin: str = attrs.field(default="", eq=False)
    """Where the overlay was read from, for error messages (a file name)."""

    def _where(self, field: str) -> str:
        place = self.origin or f"overlay {self.name!r}"
        return f"{place}: {field}" if field else place

    def apply(self, base: RuleSet | str | None = None) -> RuleSet:
        """The variant of ``base`` (or of the overlay's own ``base``) this overlay describes."""
        if base is None:
            if self.base is None:
                raise OverlayError(self._where("base") + ": no base rule set to apply to")
            base = self.base
        chosen = base if isinstance(base, RuleSet) else resolve_ruleset(base)
        ids = [rule.id for rule in chosen.rules]
        changes: list[str] = []
        for index, rule_id in enumerate(self.remove):
            if rule_id not in ids:
                raise OverlayError(
                    self._where(f"remove[{index}]")
                    + f": {chosen.name} has no rule {rule_id!r} to remove"
                )
            changes.append(f"removed {rule_id}")
        replacements: dict[str, Rule] = {}
        for index, rule in enumerate(self.replace):
            if rule.id not in ids:
                raise OverlayError(
                    self._where(f"replace[{index}]")
                    + f": {chosen.name} has no rule {rule.id!r} to replace (use add)"
                )
            if rule.id in self.remove:
                raise OverlayError(
                    self._where(f"replace[{index}]") + f": rule {rule.id!r} is also removed"
                )
            replacements[rule.id] = rule
            changes.append(f"replaced {rule.id}")
        for index, rule in enumerate(self.add):
            if rule.id in ids:
                raise OverlayError(
                    self._where(f"add[{index}]")
                    + f": {chosen.name} already has rule {rule.id!r} (use replace)"
                )
            changes.append(f"added {rule.id}")
        rules = [
            replacements.get(rule.id, rule) for rule in chosen.rules if rule.id not in self.remove
        ]
        parameters, parameter_changes = self._parameters(chosen)
        try:
            return RuleSet(
                name=self.name,
                version=self.version or chosen.version,
                title=self.title or f"{chosen.title} ({self.name})",
                family=chosen.family,
                rules=(*rules, *self.add),
                parameters=parameters,
                in_force_from=chosen.in_force_from,
                in_force_to=chosen.in_force_to,
                description=self.description or chosen.description,
                derived_from=chosen,
                changes=(*changes, *parameter_changes),
                by_clock=chosen.by_clock,
                in_force_by=chosen.in_force_by,
            )
        except RuleDefinitionError as exc:
            raise OverlayError(self._where("") + f": {exc}") from None

    def _parameters(self, base: RuleSet) -> tuple[ParameterSet, list[str]]:
        current = base.parameters
        changes: list[str] = []
        definitions = dict(current.definitions)
        if self.table is not None:
            for name, definition in self.table.definitions.items():
                if name in definitions:
                    raise OverlayError(
                        self._where("table") + f": parameter {name!r} is already defined"
                    )
                definitions[name] = definition
            changes.extend(f"defined parameter {name}" for name in sorted(self.table.definitions))
        on = self.parameters_on or current.on
        if on != current.on:
            changes.append(f"parameters read as at {on.isoformat()} (was {current.on.isoformat()})")
        resolved = ParameterSet(on, definitions, current.overrides)
        overrides = dict(resolved.overrides)
        for name, value in self.parameters.items():
            where = self._where(f"parameters.{name}")
            new = _override(
                resolved, name, value, where, source=f"overlay:{self.name}", note=self.note
            )
            changes.append(f"{name}: {_shown(resolved, name)} -> {_shown_parameter(new)}")
            overrides[name] = new
        return ParameterSet(on, definitions, overrides), changes

    # ------------------------------------------------------------ reading

    @classmethod
    def from_file(cls, path: str | Path, *, allow_code: bool = True) -> Overlay:
        """An overlay from a ``.toml``, ``.yaml`` or ``.yml`` file.

        ::

            name = "ns07-ten-day-oasys"
            version = "pilot-1"
            base = "national-standards-2007"
            remove = ["NS07.oasys-tier4"]
            add = ["mypackage.rules:oasys_tier4_pilot"]

            [parameters]
            oasys_tier1to3_limit = 10  # in the parameter's unit
            victim_contact_limit = "6 weeks"  # or a duration in words

        A ``base`` or ``parameter_files`` that is a path is read relative to the file.
        The ``base`` of a file is a registered rule set's name or another overlay
        file, never ``package.module:attribute``: reading data never calls code.
        With ``allow_code=False`` the rules of ``replace`` and ``add`` (which are
        imported) are refused too (the command line without ``--allow-code``).
        """
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise OverlayError(
                f"{file.name}: cannot read the overlay file ({exc.strerror})"
            ) from None
        suffix = file.suffix.lower()
        from casework import yaml  # noqa: PLC0415  (PyYAML: imported for an overlay file only)

        try:
            if suffix == ".toml":
                data: object = tomllib.loads(text)
            elif suffix in {".yaml", ".yml"}:
                data = yaml.load(text)
            else:
                raise OverlayError(f"{file.name}: an overlay file is .toml, .yaml or .yml")
        except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise OverlayError(f"{file.name}: not valid {suffix[1:].upper()}: {first}") from None
        if not isinstance(data, Mapping):
            raise OverlayError(f"{file.name}: expected a table of overlay fields")
        return cls.from_mapping(
            data, origin=file.name, relative_to=file.parent, allow_code=allow_code
        )

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any],
        *,
        origin: str = "overlay",
        relative_to: Path | None = None,
        allow_code: bool = True,
    ) -> Overlay:
        """An overlay from plain data (a parsed file, or an inline mapping in a scenario file).

        Rules in ``replace`` and ``add`` are ``"package.module:attribute"``
        references (refused with ``allow_code=False``); ``parameter_files`` are
        TOML parameter files. ``base`` is a registered rule set's name or an
        overlay file: data never names code to call.
        """
        unknown = sorted(set(data) - _OVERLAY_KEYS)
        if unknown:
            raise OverlayError(
                f"{origin}: {unknown[0]}: not an overlay field (expected one of "
                f"{', '.join(sorted(_OVERLAY_KEYS))})"
            )
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise OverlayError(f"{origin}: name: the variant needs a name")
        texts = {key: _optional_text(data, key, origin) for key in _TEXT_KEYS}
        base = texts["base"]
        if base is not None and not _is_path(base) and ":" in base:
            raise OverlayError(
                f"{origin}: base: {base!r} names Python code; an overlay's base is a shipped "
                "rule set's name or another overlay file (.toml, .yaml); a RuleSet from "
                "package.module:attribute is for the Python API (Overlay.apply)"
            )
        if base is not None and relative_to is not None and _is_path(base):
            base = str(relative_to / base)
        parameters = data.get("parameters", {})
        if not isinstance(parameters, Mapping):
            raise OverlayError(f"{origin}: parameters: expected a table of name = value")
        parameters_on = data.get("parameters_on")
        if parameters_on is not None:
            parameters_on = _as_date(parameters_on, f"{origin}: parameters_on")
        if not allow_code:
            for key in ("replace", "add"):
                for i, ref in enumerate(_string_list(data, key, origin)):
                    raise OverlayError(
                        f"{origin}: {key}[{i}]: {ref!r} is Python code, which is imported only "
                        "when code is allowed (the command line's --allow-code)"
                    )
        files = _string_list(data, "parameter_files", origin)
        table = None
        if files:
            paths = [(relative_to / f) if relative_to is not None else Path(f) for f in files]
            try:
                table = ParameterTable.from_files(paths)
            except (ParameterError, OSError) as exc:
                raise OverlayError(f"{origin}: parameter_files: {exc}") from None
        return cls(
            name=name.strip(),
            version=texts["version"],
            title=texts["title"],
            description=texts["description"] or "",
            base=base,
            replace=[
                _rule(ref, f"{origin}: replace[{i}]")
                for i, ref in enumerate(_string_list(data, "replace", origin))
            ],
            add=[
                _rule(ref, f"{origin}: add[{i}]")
                for i, ref in enumerate(_string_list(data, "add", origin))
            ],
            remove=_string_list(data, "remove", origin),
            parameters={str(key): _plain_change(value) for key, value in parameters.items()},
            parameters_on=parameters_on,
            table=table,
            note=texts["note"] or "",
            origin=origin,
        )


_TEXT_KEYS = ("version", "title", "description", "base", "note")
_OVERLAY_KEYS = frozenset(
    {
        "name",
        *_TEXT_KEYS,
        "replace",
        "add",
        "remove",
        "parameters",
        "parameters_on",
        "parameter_files",
    }
)


def _optional_text(data: Mapping[str, Any], key: str, origin: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "version":
        return str(value)
    if not isinstance(value, str):
        raise OverlayError(f"{origin}: {key}: expected text")
    return value


def _string_list(data: Mapping[str, Any], key: str, origin: str) -> list[str]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise OverlayError(f"{origin}: {key}: expected a list of text")
    return list(value)


def _plain_change(value: object) -> ParameterChange:
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    if isinstance(value, float):
        return value  # type: ignore[return-value]  # checked and made exact by with_values
    if isinstance(value, Duration | int | str | bool | tuple):
        return value
    return str(value)


def _as_date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise OverlayError(f"{where}: expected a date (YYYY-MM-DD)")


def _is_path(reference: str) -> bool:
    return reference.lower().endswith((".toml", ".yaml", ".yml"))


def _rule(reference: str, where: str) -> Rule:
    found = _import(reference, where)
    if not isinstance(found, Rule):
        raise OverlayError(f"{where}: {reference!r} is not a rule (declare it with @rule)")
    return found


def _import(reference: str, where: str) -> object:
    try:
        return import_object(reference)
    except (ImportError, AttributeError, ValueError) as exc:
        raise OverlayError(f"{where}: {exc}") from None


def import_object(reference: str) -> object:
    """The object ``"package.module:attribute"`` names (``attribute`` may be dotted).

    Raises ``ValueError`` for a malformed reference, ``ImportError`` or
    ``AttributeError`` (with a plain message) when it names nothing.
    """
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"{reference!r} is not 'package.module:attribute'")
    try:
        found: object = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise ImportError(f"cannot import module {module_name!r} ({exc})") from None
    for part in attribute.split("."):
        try:
            found = getattr(found, part)
        except AttributeError:
            raise AttributeError(f"module {module_name!r} has no {attribute!r}") from None
    return found


def _override(
    parameters: ParameterSet,
    name: str,
    value: ParameterChange,
    where: str,
    *,
    source: str,
    note: str,
) -> Parameter:
    definition = parameters.definitions.get(name)
    if definition is None:
        raise OverlayError(f"{where}: no parameter of that name")
    why = note or "changed by an overlay"
    if definition.unit in _TIME_UNITS and not isinstance(value, bool):
        if isinstance(value, str):
            try:
                value = parse_duration(value)
            except ValueError as exc:
                raise OverlayError(f"{where}: {exc}") from None
        if isinstance(value, Duration):
            if value.amount < 0:
                raise OverlayError(f"{where}: a time limit cannot be negative")
            return Parameter(
                name=name,
                description=definition.description,
                value=value.amount,
                unit=value.unit.value,
                source=source,
                note=why,
                overridden=True,
            )
    if isinstance(value, Duration):
        raise OverlayError(f"{where}: the parameter is not a time limit ({definition.unit})")
    try:
        changed = parameters.with_values({name: value}, note=why).get(name)
    except ParameterError as exc:
        message = str(exc).split(": ", 1)[-1]
        raise OverlayError(f"{where}: {message}") from None
    return attrs.evolve(changed, source=source)


def _shown_parameter(parameter: Parameter) -> str:
    if parameter.unit in _TIME_UNITS and isinstance(parameter.value, int):
        return str(parameter.duration)
    return str(parameter.value)


def _shown(parameters: ParameterSet, name: str) -> str:
    try:
        return _shown_parameter(parameters.get(name))
    except MissingParameterError:
        return "no value"


def resolve_ruleset(
    reference: RuleSet | str,
    *,
    relative_to: str | Path | None = None,
    allow_code: bool = True,
) -> RuleSet:
    """A rule set from a reference as scenario files and the command line write it.

    * a :class:`RuleSet`, returned as is;
    * a registered name (``"national-standards-2007"``);
    * ``"package.module:attribute"``: a RuleSet, or a function of no arguments returning one
      (refused with ``allow_code=False``);
    * a path to an overlay file (``.toml``, ``.yaml``, ``.yml``), applied to its ``base``
      (relative paths are read from ``relative_to`` when given). Its ``base`` is a
      registered name or another overlay file; with ``allow_code=False`` its
      ``replace`` and ``add`` rules (imported code) are refused too.
    """
    if isinstance(reference, RuleSet):
        return reference
    if not isinstance(reference, str | os.PathLike):
        raise TypeError(
            "a rule set is a RuleSet, a registered name, an overlay file or "
            f"'package.module:attribute', not {type(reference).__name__}"
        )
    from casework.rules.registry import available_rulesets, ruleset  # noqa: PLC0415

    if reference in available_rulesets():
        return ruleset(reference)
    if _is_path(reference):
        path = Path(reference)
        if relative_to is not None and not path.is_absolute():
            path = Path(relative_to) / path
        return _overlay_file(path, allow_code=allow_code, chain=())
    if ":" in reference and not allow_code:
        raise OverlayError(
            f"rule set {reference!r}: package.module:attribute is Python code, which is loaded "
            "only when code is allowed (the command line's --allow-code)"
        )
    if ":" in reference:
        found = _import(reference, f"rule set {reference!r}")
        if callable(found) and not isinstance(found, RuleSet):
            found = _call_factory(found, reference)
        if not isinstance(found, RuleSet):
            raise OverlayError(
                f"rule set {reference!r}: names a {type(found).__name__}, not a RuleSet"
            )
        return found
    known = ", ".join(available_rulesets())
    guess = difflib.get_close_matches(reference, available_rulesets(), n=1)
    hint = f"; did you mean {guess[0]!r}?" if guess else ""
    raise OverlayError(
        f"no rule set {reference!r}: give a registered name ({known}), "
        f"'package.module:attribute', or an overlay file (.toml, .yaml){hint}"
    )


MAX_OVERLAY_CHAIN = 32
"""How many overlay files may stand on one another (``base = "other.toml"``)."""


def _overlay_file(path: Path, *, allow_code: bool, chain: tuple[Path, ...]) -> RuleSet:
    """The variant an overlay file describes, reading its chain of overlay-file bases.

    A chain that comes back to a file it has read, or is longer than
    :data:`MAX_OVERLAY_CHAIN`, is an :class:`OverlayError`.
    """
    here = path.resolve()
    if here in chain:
        raise OverlayError(f"{path.name}: base: the overlay files name each other in a loop")
    if len(chain) >= MAX_OVERLAY_CHAIN:
        raise OverlayError(
            f"{path.name}: base: more than {MAX_OVERLAY_CHAIN} overlay files stand on one another"
        )
    overlay = Overlay.from_file(path, allow_code=allow_code)
    if overlay.base is not None and _is_path(overlay.base):
        base = _overlay_file(Path(overlay.base), allow_code=allow_code, chain=(*chain, here))
        return overlay.apply(base)
    return overlay.apply()


def _call_factory(factory: Callable[..., object], reference: str) -> object:
    try:
        return factory()
    except TypeError as exc:
        raise OverlayError(
            f"rule set {reference!r}: a factory must take no arguments ({exc})"
        ) from None
