"""Stage 5: lay the intermediate representation out as files, through Jinja templates.

Takes an :class:`~generator.ir.Package` (and the fake's view of it); gives ``{path: text}``
for every file of the package, unformatted: one ``client.py`` and one ``models.py``, or, for
a large package, the split layout :mod:`~generator.layout` describes.

The views of :mod:`generator.render_views` (and the module-level ones here: which imports
a module uses, how operations are grouped) finish the decisions the templates need, so that
templates hold no logic beyond loops and simple conditions over prepared fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import jinja2

from . import layout, line_layout
from .blackshape import python_string
from .fake import TestingView, testing_readme_example
from .ir import Operation, Package
from .readme import missing_base_url, readme_view
from .render_views import (
    CONSTRUCTOR_DOC,
    PROSE,
    ErrorView,
    Flavour,
    credential_view,
    docstring_layout,
    docstring_text,
    operation_view,
    server_variable_view,
)
from .resources import TEMPLATE_DIR
from .runtime_facts import RUNTIME_DIR, runtime_facts

RUNTIME_MODULES = (
    "_exceptions.py",
    "_fake.py",
    "_http.py",
    "_model_base.py",
    "_responses.py",
    "_retries.py",
    "_servers.py",
)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["pystr"] = python_string
    env.filters["docstring"] = docstring_layout
    return env


_ENV = _environment()


def render_package(
    package: Package, header: str, testing: TestingView | None = None, models_text: str = ""
) -> dict[str, str]:
    """Every file of the package, by relative path, unformatted; ``models_text`` is
    datamodel-code-generator's models module."""
    split = layout.splits(len(package.operations), models_text)
    return {**render_client(package, header, testing, split), **render_model_modules(models_text, header, split)}


def render_client(package: Package, header: str, testing: TestingView | None, split: bool) -> dict[str, str]:
    """Every file but the models, in the one-module or the split layout: none of them reads
    the models' text, so they can be made before it is."""
    errors = _package_errors(package)
    error_exports = sorted({*runtime_facts().exception_classes, *(e.name for e in errors)})
    files = {
        **(_split_client(package, header) if split else {"client.py": _client_module(package, header)}),
        "errors.py": _errors_module(package, header, errors, error_exports),
        "__init__.py": _init_module(package, header, error_exports),
        "README.md": _readme(package, header, testing),
    }
    if testing is not None:
        files["testing.py"] = _ENV.get_template("testing.py.jinja").render(
            header=header, testing=testing, title_doc=docstring_text(testing.title)
        )
    files.update(_runtime_modules(header, (*RUNTIME_MODULES, "_lazy.py") if split else RUNTIME_MODULES))
    files["py.typed"] = ""
    return files


def render_model_modules(models_text: str, header: str, split: bool) -> dict[str, str]:
    """``models.py``, or the ``models/`` package of the split layout."""
    if split:
        return layout.model_modules(models_text, header)
    return {"models.py": models_text} if models_text else {}


def _title(package: Package) -> str:
    return f"{package.title} {package.api_version}".strip()


def _flavours(title: str) -> list[Flavour]:
    """The synchronous and the asynchronous client: the same methods, told apart by these."""
    return [
        Flavour(
            "Client",
            "ClientWithRawResponse",
            docstring_text(f"Synchronous client for {title}."),
            _raw_doc("Client"),
            "httpx.Client",
            "SyncTransport",
            "def",
            "",
            False,
            "SyncOperations",
            "SyncRawOperations",
            "raw",
        ),
        Flavour(
            "AsyncClient",
            "AsyncClientWithRawResponse",
            docstring_text(f"Asynchronous client for {title}."),
            _raw_doc("AsyncClient"),
            "httpx.AsyncClient",
            "AsyncTransport",
            "async def",
            "await ",
            True,
            "AsyncOperations",
            "AsyncRawOperations",
            "raw_async",
        ),
    ]


def _raw_doc(client: str) -> str:
    return docstring_text(
        f"The methods of ``{client}``, returning raw responses (``client.with_raw_response``).",
        f"Each method takes the same arguments and raises the same errors as the ``{client}`` method of"
        " its name, and returns a ``RawResponse`` (status, headers, ``retries_taken``) whose"
        " ``parse()`` gives what that method returns; ``help()`` shows the plain method's text.",
    )


def _client_module(package: Package, header: str, split: bool = False) -> str:
    """``client.py``; in the split layout without the operations, which it inherits."""
    typing_names = {name for op in package.operations for p in op.parameters for name in p.annotation.typing_names}
    title = _title(package)
    flavours = _flavours(title)
    if split:
        flavours = [replace(f, bases=f"({f.operations})", raw_bases=f"({f.raw_operations})") for f in flavours]
    return _ENV.get_template("client.py.jinja").render(
        header=header,
        package=package,
        operations=[] if split else [operation_view(op) for op in package.operations],
        operations_import=(
            line_layout.import_line(
                0, "._operations", sorted(n for f in flavours for n in (f.operations, f.raw_operations))
            )
            if split
            else ""
        ),
        flavours=flavours,
        servers=[server_variable_view(variable) for variable in package.server_variables],
        missing_base_url=missing_base_url(package),
        credentials=[credential_view(scheme) for scheme in package.auth],
        credential_keywords=[
            (keyword, "str" if scheme.required else "str | None = None")
            for scheme in package.auth
            for keyword in scheme.keywords
        ],
        client_doc=docstring_text(f"Clients for {title}.", package.description),
        constructor_doc=CONSTRUCTOR_DOC,
        typing_imports=", ".join(
            [
                "TYPE_CHECKING",
                *([] if split else ["Any"]),
                *(["Literal"] if "Literal" in typing_names and not split else []),
            ]
        ),
        uses_sequence="Sequence" in typing_names and not split,
        local_imports="_http" if split else _local_imports(package.operations),
    )


def _local_imports(operations: Iterable[Operation], lazy: bool = False) -> str:
    errors = any(op.errors for op in operations)
    return ", ".join(["_http", *(["_lazy"] if lazy else []), *(["errors"] if errors else []), "models"])


@dataclass(frozen=True)
class OperationModule:
    name: str
    line: str  # its line of the index: the module's name, then its methods


def _split_client(package: Package, header: str) -> dict[str, str]:
    """``client.py`` and the ``_operations/`` package of the split layout."""
    flavours = _flavours(_title(package))
    exports = sorted(name for f in flavours for name in (f.operations, f.raw_operations))
    size = layout.OPERATIONS_PER_MODULE
    chunks = [package.operations[i : i + size] for i in range(0, len(package.operations), size)]
    width = len(str(len(chunks)))
    modules = [OperationModule(f"_{n:0{width}d}", "") for n in range(1, len(chunks) + 1)]
    files = {"client.py": _client_module(package, header, split=True)}
    for module, chunk in zip(modules, chunks, strict=True):
        typing_names = {name for op in chunk for p in op.parameters for name in p.annotation.typing_names}
        files[f"_operations/{module.name}.py"] = _ENV.get_template("operations.py.jinja").render(
            header=header,
            module_doc=docstring_text(
                f"The operations {chunk[0].method_name} to {chunk[-1].method_name}, loaded on first use.",
                "Each reads its responses with models loaded when first needed: loading this module"
                " loads no model, and a call only those of the response it gets.",
            ),
            operations=[operation_view(op, split=True) for op in chunk],
            flavours=flavours,
            exports=exports,
            uses_literal="Literal" in typing_names,
            uses_sequence="Sequence" in typing_names,
            local_imports=_local_imports(chunk, lazy=True),
        )
    indexed = [
        replace(m, line=" ".join([m.name, *(op.method_name for op in chunk)]) + "\n")
        for m, chunk in zip(modules, chunks, strict=True)
    ]
    files["_operations/__init__.py"] = _ENV.get_template("operations_index.py.jinja").render(
        header=header,
        modules=indexed,
        module_import=line_layout.import_line(line_layout.INDENT, ".", [m.name for m in indexed]),
        flavours=flavours,
        exports=exports,
    )
    return files


def _package_errors(package: Package) -> list[ErrorView]:
    """The status classes this package defines itself (the usual ones come from the runtime)."""
    return [
        ErrorView(
            error,
            docstring_text(f"{error.status} {error.reason}."),
            f"Literal[{error.status}]" if error.status.isdigit() else "int",
        )
        for error in package.error_classes
        if error.defined_here
    ]


def _errors_module(package: Package, header: str, errors: list[ErrorView], error_exports: list[str]) -> str:
    typing_names = {
        "Any": any("Any" in e.body_annotation.typing_names for e in errors),
        "Literal": any(e.error.status.isdigit() for e in errors),  # status_annotation is Literal[...]
    }
    return _ENV.get_template("errors.py.jinja").render(
        header=header,
        package=package,
        typing_imports=", ".join(name for name, used in typing_names.items() if used),
        uses_models=any(e.body_annotation.models for e in errors),
        title_doc=docstring_text(package.title),
        runtime_errors=list(runtime_facts().exception_classes),
        exports=sorted([*error_exports, "Mismatch", "response_mismatches"]),
        package_errors=errors,
    )


def _init_module(package: Package, header: str, error_exports: list[str]) -> str:
    return _ENV.get_template("__init__.py.jinja").render(
        header=header,
        package=package,
        package_doc=docstring_text(f"{_title(package)}: a typed client.", package.description),
        error_exports=error_exports,
        exports=sorted(["AsyncClient", "Client", "errors", "models", "API_VERSION", *error_exports]),
    )


def _readme(package: Package, header: str, testing: TestingView | None) -> str:
    return _ENV.get_template("README.md.jinja").render(
        header=header,
        package=package,
        header_text=header.lstrip("# "),
        readme=readme_view(package),
        runtime=PROSE,
        testing_example=testing_readme_example(package) if testing else "",
    )


def _runtime_modules(header: str, modules: Iterable[str]) -> dict[str, str]:
    """The plain runtime modules, copied into every package under its header (``_lazy``
    only into the split layout, which alone uses it)."""
    return {module: header + "\n" + (RUNTIME_DIR / module).read_text(encoding="utf-8") for module in modules}
