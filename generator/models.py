"""Stage 3b: Pydantic v2 models, made by datamodel-code-generator in-process.

Takes the schema plan; gives the text of ``models.py`` and the kind of each class in it.

The generator is given a document whose object and enum schemas all have names we chose
(:mod:`generator.schemas`), and is told which base class each gets. What it returns is
tidied in three small, checked ways: our header line, a relative import of the package's
own base classes, and imports it left unused (:mod:`generator.model_text` makes those
edits, and the few that Python, pydantic and mypy need). Anything else about the text is its own,
but for its layout: :mod:`generator.model_layout` writes it as black will, so that black has
less to do.
"""

from __future__ import annotations

import ast
import pickle
import re
import unicodedata
import warnings
from collections import defaultdict
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from datamodel_code_generator import PythonVersion, generate
from datamodel_code_generator.enums import DataModelType, InputFileType, OpenAPIScope

from .document import parse_pointer, pointer_ref
from .errors import Diagnostic, GeneratorError
from .model_layout import shape_class_bodies
from .model_text import (
    ClassKind,
    allow_narrowed_overrides,
    allow_validated_defaults,
    drop_unused_imports,
    enums_first,
    patterns_for_python_re,
    rebuild_forward_references,
    rename_shadowing_classes,
)
from .names import snake_case, unique
from .parse import SourceMap
from .processes import Helpers
from .resources import TEMPLATE_DIR as TEMPLATES
from .schemas import BUILTIN_CLASS_NAMES, NULLABLE_MARK, REQUIRED_MARK, SECRET_MARK, SchemaPlan, iter_schemas

__all__ = ["MODEL_BASE_MODULE", "ClassKind", "ModelModule", "ModelRun", "render_models", "start_models"]

TEMPLATE_DIR = TEMPLATES / "datamodel"
# datamodel-code-generator only takes absolute import paths for base classes; this
# placeholder module is rewritten into a relative import of the package's own module.
_PLACEHOLDER_MODULE = "specforge_model_base"
MODEL_BASE_MODULE = "_model_base"
# Formats whose pydantic types need packages a consumer may not have (email-validator),
# that rewrite the value on the way through (AnyUrl adds a trailing slash), or that cannot
# hold every value the format allows (timedelta has no months, and tops out at 10**9 days).
_PLAIN_STRING_FORMATS = (
    "duration",
    "email",
    "idn-email",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    # pydantic's SecretStr would be sent as "**********"; secrets are hidden by the models instead.
    "password",
)


@dataclass(frozen=True)
class ModelModule:
    text: str
    classes: dict[str, ClassKind]


@dataclass
class ModelRun:
    """The models of a plan: being made in a helper process (:func:`start_models`), or to be
    made here when :meth:`result` is asked for."""

    plan: SchemaPlan
    header: str
    display_path: str
    source_map: SourceMap | None
    _running: Future[ModelModule | None] | None = None
    _helpers: Helpers | None = None

    def result(self) -> ModelModule:
        """The models; or :class:`GeneratorError`, located in the spec, if they cannot be made."""
        if self._running is not None and self._helpers is not None:
            running, self._running = self._running, None
            try:
                made = self._helpers.wait(running)
            except Exception:  # the helper died (killed, out of memory): made here instead
                made = None
            if made is not None:
                return made
        return render_models(self.plan, self.header, self.display_path, self.source_map)


def start_models(
    plan: SchemaPlan, header: str, display_path: str, source_map: SourceMap | None, helpers: Helpers | None
) -> ModelRun:
    """Start making the models of ``plan`` on one of ``helpers`` (none: they are made here,
    when asked for), so that this process can render and format the client meanwhile."""
    run = ModelRun(plan, header, display_path, source_map)
    if helpers is not None and helpers.parallel:
        try:
            # Pickled now: the plan as it is at this call is what the models are made from.
            payload = pickle.dumps((plan, header, display_path), pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return run  # a value YAML made that cannot cross, or nesting too deep to pickle
        run._helpers = helpers
        run._running = helpers.run(_models_pickled, payload)
    return run


def _models_pickled(payload: bytes) -> ModelModule | None:
    """The models, in a helper, of a pickled plan; None if they cannot be made, and then
    they are made again by the caller, which reports why with its place in the spec."""
    plan, header, display_path = pickle.loads(payload)
    try:
        return render_models(plan, header, display_path)
    except GeneratorError:
        return None


def render_models(plan: SchemaPlan, header: str, display_path: str, source_map: SourceMap | None = None) -> ModelModule:
    """The text of ``models.py`` for ``plan``, and the kind of each class it defines."""
    if not plan.document.get("components", {}).get("schemas"):
        # datamodel-code-generator refuses a document without schemas; a spec whose
        # operations take and return no structured bodies is still a fine client.
        return ModelModule(text=f"{header}\n\n__all__: list[str] = []\n", classes={})
    enum_bases = sorted(set(plan.enum_bases.values()))
    base_map: dict[str, str | list[str]] = {
        name: f"{_PLACEHOLDER_MODULE}.RequestModel" for name in sorted(plan.strict_models)
    }
    template_data: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    for name, base in sorted(plan.enum_bases.items()):
        template_data[name]["enum_base"] = base
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            text = generate(
                plan.document,
                input_file_type=InputFileType.OpenAPI,
                output_model_type=DataModelType.PydanticV2BaseModel,
                target_python_version=PythonVersion.PY_310,
                base_class=f"{_PLACEHOLDER_MODULE}.ResponseModel",
                base_class_map=base_map or None,
                additional_imports=[f"{_PLACEHOLDER_MODULE}.{name}" for name in enum_bases] or None,
                aliases={**_unstable_name_aliases(plan), **_protected_field_aliases(plan)} or None,
                custom_template_dir=TEMPLATE_DIR,
                extra_template_data=template_data,
                snake_case_field=True,
                use_standard_collections=True,
                use_union_operator=True,
                use_annotated=True,
                field_constraints=True,
                use_schema_description=True,
                # Descriptions go into Field(description=...), where pydantic, help() and
                # model_json_schema() see them, rather than into docstrings only the source shows.
                field_extra_keys_without_x_prefix={SECRET_MARK, NULLABLE_MARK},
                model_extra_keys_without_x_prefix={REQUIRED_MARK},
                apply_default_values_for_required_fields=True,
                use_subclass_enum=True,
                use_double_quotes=True,
                disable_timestamp=True,
                keep_model_order=True,
                capitalise_enum_members=True,
                set_default_enum_member=True,
                type_mappings=[f"{fmt}=string" for fmt in _PLAIN_STRING_FORMATS],
                openapi_scopes=[OpenAPIScope.Schemas],
                formatters=[],
                custom_file_header=header,
            )
    except GeneratorError:
        raise
    except RecursionError:
        raise GeneratorError(
            [Diagnostic(display_path, 1, 1, "error", "schemas are nested too deeply to generate models")]
        ) from None
    except Exception as exc:  # datamodel-code-generator reports unsupported input this way
        message = " ".join(str(exc).split())[:400] or type(exc).__name__
        message, line, column = _in_spec_terms(plan, message, source_map)
        raise GeneratorError(
            [Diagnostic(display_path, line, column, "error", f"cannot generate models: {message}")]
        ) from None
    if not isinstance(text, str):
        text = ""
    text = text.replace(f"from {_PLACEHOLDER_MODULE} import", f"from .{MODEL_BASE_MODULE} import")
    # A carriage return from a description ends a line for Python's tokenizer too.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = rename_shadowing_classes(text, BUILTIN_CLASS_NAMES)
    text, tree = patterns_for_python_re(text, ast.parse(text))
    classes = _class_kinds(tree, plan)
    text, tree = enums_first(text, tree, classes)
    # The edits from here on append comments to lines, or statements after the classes:
    # the line numbers in ``tree`` stay true for each of them.
    text = allow_narrowed_overrides(text, tree)
    text = allow_validated_defaults(text, tree)
    text = rebuild_forward_references(text, classes, tree)
    # Only class bodies change, below the imports, whose line numbers drop_unused_imports reads.
    text = shape_class_bodies(text, tree)
    text = drop_unused_imports(text, tree)
    names = sorted(classes)
    all_line = "\n\n__all__ = [\n" + "".join(f'    "{name}",\n' for name in names) + "]\n"
    return ModelModule(text=text.rstrip("\n") + "\n" + all_line, classes=classes)


def _in_spec_terms(plan: SchemaPlan, message: str, source_map: SourceMap | None) -> tuple[str, int, int]:
    """The model generator's error with the schema path it names put as the spec has it,
    and where in the spec that is: the plan may have renamed a component, or moved an
    inline schema into a class of its own, but never changed a schema's insides."""
    found = re.search(r"schema path '(#/[^']*)'", message)
    pointer = parse_pointer(found.group(1)) if found else None
    if not found or not pointer:
        return message, 1, 1
    if len(pointer) >= 3 and pointer[:2] == ("components", "schemas"):
        original = {str(new): old for old, new in plan.component_names.items()}.get(pointer[2])
        if original is not None:
            pointer = ("components", "schemas", original, *pointer[3:])
        elif pointer[2] in plan.origins:
            pointer = (*plan.origins[pointer[2]], *pointer[3:])
        else:
            return message, 1, 1
    message = message[: found.start(1)] + pointer_ref(pointer) + message[found.end(1) :]
    line, column = source_map.locate(pointer) if source_map is not None else (1, 1)
    return message, line, column


# pydantic warns, on import, about a field whose name starts with one of these.
_PROTECTED_PREFIXES = ("model_dump", "model_validate")


def _protected_field_aliases(plan: SchemaPlan) -> dict[str, str]:
    """Python names for properties such as ``model_dump``, which pydantic reserves."""
    aliases: dict[str, str] = {}
    for schema in iter_schemas(plan.document["components"]["schemas"]):
        properties = schema.get("properties")
        for wire in properties if isinstance(properties, dict) else ():
            name = snake_case(str(wire))
            if name.startswith(_PROTECTED_PREFIXES):
                aliases[str(wire)] = f"field_{name.rstrip('_')}"
    return dict(sorted(aliases.items()))


def _unstable_name_aliases(plan: SchemaPlan) -> dict[str, str]:
    """Property names that Python would silently change (identifiers are NFKC-normalised,
    so a field written ``µ`` is read as ``μ``) get a snake_case attribute and an alias."""
    aliases: dict[str, str] = {}
    schemas = list(iter_schemas(plan.document["components"]["schemas"]))
    # The attribute must not clash with another property's (``\U000e47f9`` and ``field``
    # both read as ``field``): datamodel-code-generator refuses two fields of one name.
    taken: set[str] = {
        snake_case(name)
        for schema in schemas
        if isinstance(schema.get("properties"), dict)
        for name in schema["properties"]
        if isinstance(name, str) and unicodedata.normalize("NFKC", name) == name
    }
    for schema in schemas:
        properties = schema.get("properties")
        for name in sorted(p for p in (properties if isinstance(properties, dict) else ()) if isinstance(p, str)):
            if unicodedata.normalize("NFKC", name) != name and name not in aliases:
                aliases[name] = unique(snake_case(name), taken)
    return dict(sorted(aliases.items()))


# The enum base classes a generated enum can have: ours, or the standard library's (for an
# enum of floats or mixed values, which gets no base of ours).
_ENUM_BASES = frozenset({"Enum", "IntEnum", "StrEnum", "OpenStrEnum", "OpenIntEnum", "StrictStrEnum", "StrictIntEnum"})


def _class_kinds(tree: ast.Module, plan: SchemaPlan) -> dict[str, ClassKind]:
    """Each class's kind, from the exact names of its bases, never from parts of names: a
    model called ``EnumOption``, or one deriving from it, is a model. A base is an enum base
    only when it is one the module imports, not a class of the spec's with the same name."""
    defined = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    enum_bases = (_ENUM_BASES | set(plan.enum_bases.values())) - defined
    kinds: dict[str, ClassKind] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [ast.unparse(base) for base in node.bases]
        if any(b == "RootModel" or b.startswith("RootModel[") for b in bases):
            kinds[node.name] = "root"
        elif any(b in enum_bases for b in bases):
            kinds[node.name] = "enum"
        elif any(b in ("RequestModel", "ResponseModel", "BaseModel") for b in bases):
            kinds[node.name] = "model"
        else:
            kinds[node.name] = "other"
    # A class deriving from another model is a model too (allOf hierarchies).
    changed = True
    while changed:
        changed = False
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and kinds.get(node.name) == "other":
                if any(kinds.get(ast.unparse(b)) == "model" for b in node.bases):
                    kinds[node.name] = "model"
                    changed = True
    return kinds
