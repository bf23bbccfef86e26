"""Import a generated package and make its first call, for bench/run.py (target 4).

    python bench/import_time.py FOLDER PACKAGE

Runs in a fresh process, so nothing is imported yet but what Python itself starts with.
Prints one JSON object: the seconds and the peak memory (max RSS) of ``import PACKAGE``
from FOLDER, and the seconds of the first call of one operation over httpx's MockTransport
(a 200 with ``{}``), which is where whatever was deferred at import gets paid. The operation
is the first method of ``Client``, by name, whose required arguments are all path, query or
header parameters of simple types, so that it can be called without knowing the API (failing
that, the first that also takes its body as a dict, given ``{}``).
"""

from __future__ import annotations

import collections.abc
import inspect
import itertools
import json
import resource
import sys
import time
import types
import typing
import warnings
from collections.abc import Iterator
from typing import Any

SIMPLE = {str: "x", int: 1, float: 1.0, bool: True}


def _value(annotation: Any, bodies: bool) -> Any:
    """A value for a parameter annotated ``annotation``, or ``inspect.Parameter.empty``; with
    ``bodies``, an empty dict for a body that may be given as one."""
    if annotation in SIMPLE:
        return SIMPLE[annotation]
    if bodies and (annotation is dict or typing.get_origin(annotation) in (dict, collections.abc.Mapping)):
        return {}
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)[0]
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return inspect.Parameter.empty
    for argument in typing.get_args(annotation):
        found = _value(argument, bodies)
        if found is not inspect.Parameter.empty:
            return found
    return inspect.Parameter.empty


def _required(function: Any, bodies: bool = False) -> dict[str, Any] | None:
    """Values for the required arguments of ``function``, or ``None`` when one is not simple."""
    try:
        hints = typing.get_type_hints(function)
    except Exception:
        return None
    values: dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name == "self" or parameter.default is not inspect.Parameter.empty:
            continue
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        value = _value(hints.get(name), bodies)
        if value is inspect.Parameter.empty:
            return None
        values[name] = value
    return values


def main() -> int:
    folder, package = sys.argv[1], sys.argv[2]
    sys.path.insert(0, folder)
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    module = __import__(package)
    import_seconds = time.perf_counter() - started
    import_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, Any] = {
        "import_seconds": import_seconds,
        "peak_mb": import_mb,
        "interpreter_mb": baseline_mb,
    }
    import httpx  # already imported by the package; the mock is the caller's, not the package's

    client_class = module.Client
    arguments = _required(client_class.__init__) or {}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={}))
    # base_url stands in for server variables a caller must give (Commerce Layer's organization).
    client = client_class(**arguments, base_url="http://api.test", http_client=httpx.Client(transport=transport))
    # Looked up one by one, in name order, until one can be called: a large package loads an
    # operation's module (and the models its signature names) only when it is looked up.
    names = [n for n in sorted(dir(client_class)) if not n.startswith("_") and n not in ("close", "with_raw_response")]

    def candidates(bodies: bool) -> Iterator[tuple[str, dict[str, Any] | None]]:
        for name in names:
            method = getattr(client_class, name)
            if inspect.isfunction(method):
                yield name, _required(method, bodies)

    # An operation without a body if there is one, else one whose body may be a dict.
    for name, values in itertools.chain(candidates(False), candidates(True)):
        if values is None:
            continue
        started = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # `{}` rarely matches the documented body
                getattr(client, name)(**values)
            outcome = "returned"
        except Exception as exc:  # an error response model or a refusal is still a first call
            outcome = type(exc).__name__
        result.update(
            first_call_seconds=time.perf_counter() - started,
            operation=name,
            outcome=outcome,
            peak_after_call_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        )
        break
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
