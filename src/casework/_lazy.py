"""Public names of a package imported when first used, so ``import casework`` (and the
command line, which imports ``casework.cli``) does not import every module (PEP 562).

A package lists its names in its ``__all__`` as before, imports them under
``if TYPE_CHECKING:`` for type checkers and the API docs, and ends with::

    lazy_names(__name__, {"casework.io": ("load_cases", ...), ...})

``package.name`` then imports its module the first time and keeps the value (later
look-ups are plain attributes); ``dir(package)`` lists every public name; a submodule
not listed (``casework.scoring``) is imported on first use as the eager package did.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Iterable, Mapping


class _LazyPackage(types.ModuleType):
    """A package whose public names come from their modules on first use."""

    _lazy_names: Mapping[str, str]

    def __getattr__(self, name: str) -> object:
        module = self._lazy_names.get(name)
        if module is None:
            submodule = f"{self.__name__}.{name}"
            if name.startswith("_") or importlib.util.find_spec(submodule) is None:
                raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
            return importlib.import_module(submodule)
        value = getattr(importlib.import_module(module), name)
        types.ModuleType.__setattr__(self, name, value)  # later look-ups: a plain attribute
        return value

    def __setattr__(self, name: str, value: object) -> None:
        # Importing a submodule binds it to the package under its own name. Where a public
        # name is also a submodule's (the function casework.compare and the module
        # casework.compare; casework.rules.ruleset, the function from casework.rules.registry,
        # and the module), the package keeps the public name, as the eager package did.
        source = self._lazy_names.get(name)
        if (
            source is not None
            and isinstance(value, types.ModuleType)
            and value.__name__ == f"{self.__name__}.{name}"
        ):
            if source != value.__name__:
                return  # looked up on first use (the module named may still be importing)
            value = getattr(value, name)
        types.ModuleType.__setattr__(self, name, value)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self._lazy_names})

    def __reduce__(self) -> tuple[object, tuple[str]]:
        # Pickled by name, as pickle and cloudpickle treat a plain module (a Dask worker
        # that returns or is sent the package imports it again).
        return importlib.import_module, (self.__name__,)


def lazy_names(package: str, names: Mapping[str, Iterable[str]]) -> None:
    """Make ``package`` import each of ``names`` (module -> its names) on first use."""
    module = sys.modules[package]
    where = {name: source for source, listed in names.items() for name in listed}
    types.ModuleType.__setattr__(module, "_lazy_names", where)
    module.__class__ = _LazyPackage
