"""The fast path for reading a case record from JSON text (decision: fast-reader).

Each JSON Lines record is first decoded with msgspec into typed Structs generated
*from the pydantic model* (so the two cannot drift): unknown fields, missing
fields, wrong types, enum values, string and number constraints and date syntax
are all checked in C. The Structs are then turned into the model's own objects
without validating again, the year ranges and the future-date rule are checked
on the way, and the model's own ``after`` validators (the contradiction checks)
run on the result.

The fast path is *strict*: it accepts only the plainest spelling of a valid
record (exact enum values, ``true``/``false``, whole numbers, dates written
``YYYY-MM-DD``, no whitespace to strip, each key once). Anything else, valid
or not, returns ``None`` and the record goes through :class:`~casework.Case`
validation as before, which accepts it or gives today's located error. So a
record the fast path accepts is one pydantic accepts, as an equal ``Case``
(``tests/test_fastread.py`` checks this property over valid and mutated
records), and every rejected record gets exactly the error it got before.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import typing
from collections.abc import Callable
from typing import Annotated, Any

import annotated_types
import msgspec
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from casework._limits import DEFAULT_LIMITS, Limits
from casework.model import base
from casework.model.case import Case
from casework.model.risk import OasysAssessment

__all__ = ["FastReader", "fast_reader"]

_UNSET = msgspec.UNSET
_new = object.__new__
_set = object.__setattr__

#: Functions of the model's ``BeforeValidator``\s the fast path knows the meaning of.
_DAY_VALIDATORS: dict[Callable[..., object], int] = {
    base._parse_day: base.FIRST_YEAR,
    base._parse_birth_day: base.FIRST_BIRTH_YEAR,
}
#: A key of JSON text ends with an unescaped quote, optional blanks and a colon. Counting
#: these over-counts only when a string holds ``\"`` followed by a colon; then the record
#: just takes the slow path.
_KEY_END = re.compile(r'"[ \t\r\n]*:')


class _FallbackError(Exception):
    """The record is not one the fast path can accept: validate it with pydantic."""


def _parts_not_dated_by_the_assessment(assessment: OasysAssessment) -> None:
    """An assessment whose undated parts take its date (``parts_with_assessment``) is
    dated by the model's own before-validator: the record goes to pydantic."""
    if assessment.parts_with_assessment:
        raise _FallbackError


class UnsupportedModelError(TypeError):
    """The model uses a type or validator the fast path does not know (a casework defect)."""


class _Context:
    __slots__ = ("as_of", "keys")

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.keys = 0


#: How a decoded value becomes the model's: ("plain",) as decoded; ("text",) checked for
#: blanks to strip; ("day", first year); ("model", class); ("optional" | "tuple", spec);
#: ("dict", key spec, value spec).
Spec = tuple[Any, ...]
_PLAIN: Spec = ("plain",)


class _Plan:
    """How one model class is read: its Struct and its field specs."""

    def __init__(self, model: type[BaseModel], depth: int) -> None:
        self.model = model
        self.depth = depth
        self.struct: type[msgspec.Struct] = msgspec.Struct
        #: (name, spec, required, default factory, default)
        self.fields: list[tuple[str, Spec, bool, Callable[[], Any] | None, Any]] = []
        self.after: list[Callable[[Any], Any]] = []


class _Builder:
    """Generates the Structs and plans from the pydantic model, refusing what it does not know."""

    def __init__(self) -> None:
        self.plans: dict[type[BaseModel], _Plan] = {}
        self.max_depth = 1
        self.max_digits = 0

    def plan(self, model: type[BaseModel], depth: int) -> _Plan:
        self.max_depth = max(self.max_depth, depth)
        known = self.plans.get(model)
        if known is not None and known.depth >= depth:
            return known
        plan = _Plan(model, depth)  # (again, when met deeper: to find the deepest nesting)
        self.plans[model] = plan
        self._validators(model, plan)
        struct_fields: list[tuple[str, Any, Any]] = []
        for name, info in model.model_fields.items():
            if info.alias is not None or info.validation_alias is not None:
                raise UnsupportedModelError(f"{model.__name__}.{name}: aliases are not supported")
            kind, spec = self.field(info.annotation, list(info.metadata), depth)
            if info.is_required() and (model, name) != (Case, "as_of"):
                struct_fields.append((name, kind, msgspec.NODEFAULT))
                plan.fields.append((name, spec, True, None, None))
                continue
            struct_fields.append((name, kind | msgspec.UnsetType, _UNSET))
            factory = info.default_factory
            if factory is None and (model, name) != (Case, "as_of"):
                try:
                    hash(info.default)
                except TypeError:  # pydantic would copy a mutable default
                    raise UnsupportedModelError(
                        f"{model.__name__}.{name}: a mutable default"
                    ) from None
            plan.fields.append((name, spec, False, factory, info.default))  # type: ignore[arg-type]
        plan.struct = msgspec.defstruct(
            f"_Fast{model.__name__}",
            struct_fields,
            kw_only=True,
            forbid_unknown_fields=True,
            gc=False,  # no cycles: not tracked by the garbage collector
        )
        return plan

    def _validators(self, model: type[BaseModel], plan: _Plan) -> None:
        decorators = model.__pydantic_decorators__
        if decorators.field_validators or decorators.root_validators or decorators.validators:
            raise UnsupportedModelError(f"{model.__name__}: field validators are not supported")
        if model.__private_attributes__:
            raise UnsupportedModelError(f"{model.__name__}: private attributes are not supported")
        if model.model_post_init is not BaseModel.model_post_init:
            raise UnsupportedModelError(f"{model.__name__}: model_post_init is not supported")
        for name, decorator in decorators.model_validators.items():
            mode = decorator.info.mode
            if model is Case and name == "_within_limits":
                continue  # the limits: FastReader.fits and the Struct's shape
            if model is Case and name == "_consistent":
                plan.after.append(_contradictions)  # dates after as_of: checked while reading
                continue
            if model is OasysAssessment and name == "_parts_dated_by_the_assessment":
                # It changes only a record that asks for it: such a record takes pydantic.
                plan.after.append(_parts_not_dated_by_the_assessment)
                continue
            if mode != "after":
                raise UnsupportedModelError(f"{model.__name__}.{name}: {mode} validators")
            plan.after.append(decorator.func)

    def field(self, annotation: Any, metadata: list[Any], depth: int) -> tuple[Any, Spec]:
        """The Struct type of a field and how its decoded value becomes the model's."""
        if typing.get_origin(annotation) is Annotated:
            inner, *extra = typing.get_args(annotation)
            return self.field(inner, [*metadata, *extra], depth)
        flat: list[Any] = []
        for item in metadata:
            flat.extend(item.metadata if isinstance(item, FieldInfo) else [item])
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin in (typing.Union, _UnionType) and type(None) in args:
            rest = [arg for arg in args if arg is not type(None)]
            if len(rest) != 1:
                raise UnsupportedModelError(f"unions are not supported: {annotation}")
            kind, spec = self.field(rest[0], flat, depth)
            return kind | None, ("optional", spec)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            self._no_constraints(flat, annotation)
            self.max_depth = max(self.max_depth, depth + 1)
            kind, spec = self.field(args[0], [], depth + 1)
            return tuple[kind, ...], ("tuple", spec)  # type: ignore[valid-type]
        if origin is dict:
            self._no_constraints(flat, annotation)
            self.max_depth = max(self.max_depth, depth + 1)
            key_kind, key_spec = self.field(args[0], [], depth + 1)
            item_kind, item_spec = self.field(args[1], [], depth + 1)
            return dict[key_kind, item_kind], ("dict", key_spec, item_spec)  # type: ignore[valid-type]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            self._no_constraints(flat, annotation)
            plan = self.plan(annotation, depth + 1)
            return plan.struct, ("model", annotation)
        return self._scalar(annotation, flat)

    def _scalar(self, annotation: Any, metadata: list[Any]) -> tuple[Any, Spec]:
        validators = [item for item in metadata if hasattr(item, "func")]
        constraints = [item for item in metadata if not hasattr(item, "func")]
        if annotation is dt.date:
            if len(validators) != 1 or validators[0].func not in _DAY_VALIDATORS or constraints:
                raise UnsupportedModelError(f"a date without the Day validator: {metadata}")
            return dt.date, ("day", _DAY_VALIDATORS[validators[0].func])
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            self._no_constraints(constraints, annotation)
            for validator in validators:
                # a validator that maps other spellings: each value must map to its member
                if validator.func is not base._parse_roh or any(
                    base._parse_roh(member.value) is not member for member in annotation
                ):
                    raise UnsupportedModelError(f"{annotation.__name__}: unknown validator")
            for member in annotation:
                value = member.value
                if isinstance(value, int):
                    self.max_digits = max(self.max_digits, len(str(abs(value))))
                elif not isinstance(value, str):
                    raise UnsupportedModelError(
                        f"{annotation.__name__}: values not text or numbers"
                    )
            return annotation, _PLAIN
        if validators:
            raise UnsupportedModelError(f"validators on {annotation}")
        meta: dict[str, Any] = {}
        for item in constraints:
            if isinstance(item, annotated_types.MinLen):
                meta["min_length"] = item.min_length
            elif isinstance(item, annotated_types.MaxLen):
                meta["max_length"] = item.max_length
            elif isinstance(item, annotated_types.Ge):
                meta["ge"] = item.ge
            elif isinstance(item, annotated_types.Le):
                meta["le"] = item.le
            elif getattr(item, "pattern", None) is not None and annotation is str:
                meta["pattern"] = item.pattern
            else:
                raise UnsupportedModelError(f"unknown constraint {item!r} on {annotation}")
        if annotation is bool:
            self._no_constraints(constraints, annotation)
            return bool, _PLAIN
        if annotation is int:
            if "ge" not in meta or "le" not in meta:
                raise UnsupportedModelError("a whole number without bounds")
            bounds = (meta["ge"], meta["le"])
            self.max_digits = max(self.max_digits, *(len(str(abs(b))) for b in bounds))
            return Annotated[int, msgspec.Meta(**meta)], _PLAIN
        if annotation is str:
            return (Annotated[str, msgspec.Meta(**meta)] if meta else str), ("text",)
        raise UnsupportedModelError(f"unsupported type {annotation!r}")

    @staticmethod
    def _no_constraints(constraints: list[Any], annotation: Any) -> None:
        if constraints:
            raise UnsupportedModelError(f"constraints on {annotation}: {constraints}")

    # ---------------------------------------------------------- code generation

    def compile(self) -> dict[type[BaseModel], Callable[[Any, _Context], Any]]:
        """One function per model turning its Struct into the model's object, written out
        as Python source (a loop over field descriptions costs several times more)."""
        names = {model: f"build_{model.__name__}" for model in self.plans}
        namespace: dict[str, Any] = {
            "UNSET": _UNSET,
            "Fallback": _FallbackError,
            "new": _new,
            "setattr_": _set,
        }
        source: list[str] = []
        for model, plan in self.plans.items():
            source.extend(self._function(model, plan, names, namespace))
        exec("\n".join(source), namespace)  # (source generated from the model above)
        return {model: namespace[name] for model, name in names.items()}

    def _function(
        self,
        model: type[BaseModel],
        plan: _Plan,
        names: dict[type[BaseModel], str],
        namespace: dict[str, Any],
    ) -> list[str]:
        key = model.__name__
        namespace[f"M_{key}"] = model
        lines = [f"def {names[model]}(s, ctx):", "    as_of = ctx.as_of", "    d = {}"]
        required = [name for name, _, req, _, _ in plan.fields if req]
        lines.append(f"    given = {set(required)!r}" if required else "    given = set()")
        for name, spec, req, factory, default in plan.fields:
            lines.append(f"    v = s.{name}")
            body = self._emit(spec, "v", names, namespace, 0)
            if req:
                lines.extend(f"    {line}" for line in body)
                lines.append(f"    d[{name!r}] = v")
                continue
            lines.append("    if v is UNSET:")
            if factory in self.plans and not any(f[2] for f in self.plans[factory].fields):
                # default_factory=Model: Model() read from an empty Struct, not validated
                namespace[f"E_{key}_{name}"] = self.plans[factory].struct()
                lines.append(f"        d[{name!r}] = {names[factory]}(E_{key}_{name}, ctx)")
            elif factory is not None:
                namespace[f"F_{key}_{name}"] = factory
                lines.append(f"        d[{name!r}] = F_{key}_{name}()")
            else:
                namespace[f"D_{key}_{name}"] = default
                lines.append(f"        d[{name!r}] = D_{key}_{name}")
            lines.append("    else:")
            lines.extend(f"        {line}" for line in body)
            lines.append(f"        given.add({name!r})")
            lines.append(f"        d[{name!r}] = v")
        lines.append("    ctx.keys += len(given)")
        lines.append(f"    o = new(M_{key})")
        lines.append("    setattr_(o, '__dict__', d)")
        lines.append("    setattr_(o, '__pydantic_fields_set__', given)")
        lines.append("    setattr_(o, '__pydantic_extra__', None)")
        lines.append("    setattr_(o, '__pydantic_private__', None)")
        if plan.after:
            lines.append("    try:")
            for index, check in enumerate(plan.after):
                namespace[f"A_{key}_{index}"] = check
                lines.append(f"        A_{key}_{index}(o)")
            lines.append("    except Exception:")  # whatever it is, pydantic says it
            lines.append("        raise Fallback from None")
        lines.append("    return o")
        return lines

    def _emit(
        self,
        spec: Spec,
        var: str,
        names: dict[type[BaseModel], str],
        namespace: dict[str, Any],
        level: int,
    ) -> list[str]:
        """Statements that check ``var`` and replace it with the model's value."""
        kind = spec[0]
        if kind == "plain":
            return []
        if kind == "text":  # pydantic strips text: text with blanks at an end is left to it
            return [f"if {var}.strip() != {var}:", "    raise Fallback"]
        if kind == "day":  # the year range, and no date after as_of (Case._future_dates)
            namespace[f"FIRST_{spec[1]}"] = dt.date(spec[1], 1, 1)
            return [f"if {var} < FIRST_{spec[1]} or {var} > as_of:", "    raise Fallback"]
        if kind == "model":
            return [f"{var} = {names[spec[1]]}({var}, ctx)"]
        if kind == "optional":
            inner = self._emit(spec[1], var, names, namespace, level)
            return [f"if {var} is not None:", *(f"    {line}" for line in inner)] if inner else []
        item = f"x{level}"
        if kind == "tuple":
            inner = self._emit(spec[1], item, names, namespace, level + 1)
            if not inner:
                return []
            if spec[1][0] == "model":
                return [f"{var} = tuple([{names[spec[1][1]]}({item}, ctx) for {item} in {var}])"]
            out = f"t{level}"
            return [
                f"{out} = []",
                f"for {item} in {var}:",
                *(f"    {line}" for line in inner),
                f"    {out}.append({item})",
                f"{var} = tuple({out})",
            ]
        if kind == "dict":
            keys = self._emit(spec[1], f"k{level}", names, namespace, level + 1)
            values = self._emit(spec[2], item, names, namespace, level + 1)
            lines = [f"ctx.keys += len({var})"]
            if keys or values:
                out = f"t{level}"
                lines += [
                    f"{out} = {{}}",
                    f"for k{level}, {item} in {var}.items():",
                    *(f"    {line}" for line in keys),
                    *(f"    {line}" for line in values),
                    f"    {out}[k{level}] = {item}",
                    f"{var} = {out}",
                ]
            return lines
        raise UnsupportedModelError(f"unknown spec {spec!r}")


_UnionType = type(int | None)


def _contradictions(case: Case) -> None:
    if case._contradictions():
        raise ValueError("contradictions")


class FastReader:
    """Reads a case record from JSON text, or says it cannot (then pydantic must)."""

    def __init__(self) -> None:
        builder = _Builder()
        plan = builder.plan(Case, 1)
        self._decoder = msgspec.json.Decoder(plan.struct)
        self._build = builder.compile()[Case]
        #: Deepest nesting a record the fast path accepts can have (the record is 1).
        self.max_depth = builder.max_depth
        #: Most digits a whole number the fast path accepts can have.
        self.max_digits = builder.max_digits
        self._fits: dict[Limits, bool] = {}
        self._first_as_of = dt.date(base.FIRST_YEAR, 1, 1)
        self._last_as_of = dt.date(base.LAST_YEAR, 12, 31)

    def fits(self, limits: Limits) -> bool:
        """Whether every record the fast path accepts is within these limits (and the
        model's own), so that the limits need not be checked value by value."""
        known = self._fits.get(limits)
        if known is None:
            known = self._fits[limits] = self.max_depth <= min(
                limits.max_depth, DEFAULT_LIMITS.max_depth
            ) and self.max_digits <= min(limits.max_number_digits, DEFAULT_LIMITS.max_number_digits)
        return known

    def read(self, text: str, as_of: dt.date | None, limits: Limits) -> Case | None:
        """The case in one line of JSON text, or ``None`` when pydantic must decide.

        ``as_of`` is the date given for records without their own. Call only when
        :meth:`fits` holds for ``limits``.
        """
        # Each value starts at its own character, so a record has at most len(text)
        # values: within the limit (the Case validator counts an as_of added, +1).
        if len(text) + 1 > min(limits.max_record_values, DEFAULT_LIMITS.max_record_values):
            return None
        try:
            struct: Any = self._decoder.decode(text)
        except Exception:  # msgspec.DecodeError (or anything): pydantic will say what
            return None
        record_as_of = struct.as_of
        added = 0
        if record_as_of is _UNSET:  # (the Struct's one difference: as_of may be absent)
            if type(as_of) is not dt.date:
                return None
            record_as_of = as_of
            struct = msgspec.structs.replace(struct, as_of=as_of)
            added = 1
        if not self._first_as_of <= record_as_of <= self._last_as_of:
            return None
        ctx = _Context(record_as_of)
        try:
            case = self._build(struct, ctx)
        except Exception:  # _FallbackError (or anything): pydantic will say what
            return None
        if ctx.keys != len(_KEY_END.findall(text)) + added:
            return None  # a key written twice (msgspec keeps the last), or a \" before a colon
        return case if isinstance(case, Case) else None

    def built(self, struct: Any, record_as_of: dt.date) -> Case | None:
        """The case of a record already decoded into its Struct and read by the raw-table
        writer (``casework.columnar.rawread``), or ``None`` when a check made while
        building refuses it (the model's ``after`` validators: contradictions, each nested
        model's own). ``record_as_of`` is the record's date (its own, or the one given)."""
        if struct.as_of is _UNSET:
            struct = msgspec.structs.replace(struct, as_of=record_as_of)
        try:
            case = self._build(struct, _Context(record_as_of))
        except Exception:  # _FallbackError (or anything): pydantic will say what
            return None
        return case if isinstance(case, Case) else None


_READER: FastReader | None = None


def fast_reader() -> FastReader:
    """The reader for :class:`~casework.Case`, built on first use."""
    global _READER  # noqa: PLW0603  (built once, on first use)
    if _READER is None:
        _READER = FastReader()
    return _READER
