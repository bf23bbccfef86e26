"""Loading a large package piece by piece: its models and its operations, on first use.

A package generated from a large spec (thousands of models, hundreds of operations) would
take seconds and hundreds of megabytes to import in one go, most of it for classes a
program never touches. Such a package keeps its models in ``models/`` and its operations in
``_operations/``, in many small modules, and each of those two packages hands this module
an index: one line per module, the module's name followed by the names it defines. A name
is imported from its module the first time it is asked for, and kept, so every later
lookup is an ordinary attribute lookup. An operation's readers of responses are built on
first use too (``reader``), so a call loads the models of the status it gets, not those
of every error the spec documents. Type checkers never see this: they read the plain
imports each index makes under ``TYPE_CHECKING`` or in its stub (``__init__.pyi``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any, TypeVar, cast

__all__ = ["module_attributes", "operations", "reader"]


def _index(where: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in where.splitlines():
        module, *names = line.split()
        for name in names:
            found[name] = module
    return found


def module_attributes(
    package: str, where: str
) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for the package ``package`` (PEP 562),
    so that ``package.Name`` and ``from package import Name`` import only the module
    defining it."""
    index = _index(where)
    namespace = vars(sys.modules[package])

    def __getattr__(name: str) -> Any:
        module = index.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *index})

    return __getattr__, __dir__, list(index)


def operations(package: str, where: str, class_name: str) -> type:
    """A class whose methods are those of the class ``class_name`` in each module of
    ``package``, each loaded when it is first looked up, on an instance or on the class.
    """
    index = _index(where)

    def load(name: str) -> Any:
        module = index.get(name)
        if module is None:
            raise AttributeError(
                f"type object {class_name!r} has no attribute {name!r}"
            )
        function = vars(
            getattr(importlib.import_module(f"{package}.{module}"), class_name)
        )[name]
        setattr(lazy, name, function)  # from now on found without coming back here
        return function

    class LazyMethods(type):
        def __getattr__(cls, name: str) -> Any:
            return load(name)

        def __dir__(cls) -> list[str]:
            return sorted({*super().__dir__(), *index})

    def __getattr__(self: object, name: str) -> Any:
        try:
            function = load(name)
        except AttributeError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}"
            ) from None
        return function.__get__(self, type(self))

    lazy = LazyMethods(
        class_name, (), {"__getattr__": __getattr__, "__module__": package}
    )
    return lazy


F = TypeVar("F", bound=Callable[..., Any])


def reader(build: Callable[[], F]) -> F:
    """The reader ``build()`` returns, built the first time it reads a response: an
    operation names the models of every status it documents, and most are never needed.
    """
    built: list[F] = []

    def read(*args: Any) -> Any:
        if not built:
            built.append(build())
        return built[0](*args)

    return cast(F, read)
