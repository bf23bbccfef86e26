"""Compare two public surfaces (:mod:`generator.surface`) and say what breaks for callers.

Takes two :class:`~generator.surface_model.Surface` values; gives the list of
:class:`~generator.diff_report.Change` (:func:`diff_surfaces`), which
:mod:`generator.diff_report` lays out.

A change is **breaking** when code written against the old package can stop type-checking
under ``mypy --strict`` or fail at run time against the new one, and **compatible**
otherwise. Which way a type may move depends on which way the data flows:

- *inputs* (parameters, constructor keywords, fields of models the caller builds) may
  widen: the new type must accept every value the old one did (``old <: new``);
- *outputs* (return types, properties, fields of models the caller reads, error bodies)
  may narrow: every value the new one produces must be one the old one could (``new <: old``);
- a model reached from both (sent and returned) may not change type at all.

Which models are inputs and which outputs is read from the surface itself: what the
clients' parameters reach is an input, what their return types and the errors' bodies
reach is an output, following fields from model to model; a model nothing reaches goes by
its base class (:mod:`generator.diff_flows`). Types are compared as structures by
:mod:`generator.subtyping`.

A rename looks like a removal and an addition, and is reported so (the removal breaks
every caller that uses the old name); where an added symbol has the same shape as a removed
one, both entries say so.
"""

from __future__ import annotations

from .diff_flows import direction_of, model_directions, model_renames, unique_match
from .diff_report import Change
from .subtyping import Direction, Severity, Subtyping, has_none, judge_type, rename_type, without_none
from .surface_model import ClientClass, ErrorClass, Method, ModelClass, ModelField, Param, PyType, Surface

# --- comparing ----------------------------------------------------------------------------------


def _verdict(findings: list[tuple[Severity, str]]) -> tuple[Severity, str] | None:
    if not findings:
        return None
    breaking = [m for s, m in findings if s == "breaking"]
    if breaking:
        return "breaking", "; ".join(breaking + [m for s, m in findings if s != "breaking"])
    return "compatible", "; ".join(m for _, m in findings)


class _Differ:
    def __init__(self, old: Surface, new: Surface) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self.renames = model_renames(old, new)
        supers: dict[str, set[str]] = {}
        for surface, renames in ((old, self.renames), (new, {})):
            for model in surface.models.values():
                name = renames.get(f"models.{model.name}", f"models.{model.name}")
                above = supers.setdefault(name, set())
                above.update(renames.get(f"models.{b}", f"models.{b}") for b in model.bases)
                if model.kind == "enum" and model.enum_value_type:
                    above.add(model.enum_value_type)
        self.types = Subtyping(supers)
        uses: dict[str, set[str]] = {}
        for name, directions in model_directions(old).items():
            uses.setdefault(self.renames.get(f"models.{name}", f"models.{name}").removeprefix("models."), set()).update(
                directions
            )
        for name, directions in model_directions(new).items():
            uses.setdefault(name, set()).update(directions)
        self.uses = uses

    def add(self, severity: Severity, path: str, message: str, hint: str | None = None) -> None:
        self.changes.append(Change(severity, path, message, hint))

    def old_type(self, kind: PyType) -> PyType:
        return rename_type(kind, self.renames)

    def judge(self, old: PyType, new: PyType, direction: Direction) -> tuple[Severity, str] | None:
        return judge_type(self.old_type(old), new, direction, self.types)

    # -- the whole package

    def run(self) -> list[Change]:
        self.clients()
        self.models()
        self.errors()
        self.exports()
        return self.changes

    def clients(self) -> None:
        for name, old in self.old.clients.items():
            new = self.new.clients.get(name)
            if new is None:
                self.add("breaking", name, "removed")
                continue
            self.client(old, new)
        for name in self.new.clients:
            if name not in self.old.clients:
                self.add("compatible", name, "added")

    def client(self, old: ClientClass, new: ClientClass) -> None:
        if old.init is not None and new.init is not None:
            self.signature(f"{old.name}", old.init, new.init, constructor=True)
        removed = {n: _method_shape(m, self.renames) for n, m in old.methods.items() if n not in new.methods}
        added: dict[str, object] = {n: _method_shape(m, {}) for n, m in new.methods.items() if n not in old.methods}
        for name, method in old.methods.items():
            path = f"{old.name}.{name}"
            if name not in new.methods:
                match = unique_match(removed[name], added)
                self.add("breaking", path, "removed", f"likely renamed to {new.name}.{match}" if match else None)
                continue
            self.method(path, method, new.methods[name])
        for name in new.methods:
            if name not in old.methods:
                match = unique_match(added[name], dict(removed))
                self.add(
                    "compatible",
                    f"{new.name}.{name}",
                    "added",
                    f"likely the new name of {old.name}.{match}" if match else None,
                )
        for name, returns in old.properties.items():
            path = f"{old.name}.{name}"
            if name not in new.properties:
                self.add("breaking", path, "removed")
            elif (judged := self.judge(returns, new.properties[name], "output")) is not None:
                self.add(judged[0], path, judged[1])
        for name in new.properties:
            if name not in old.properties:
                self.add("compatible", f"{new.name}.{name}", "added")

    def method(self, path: str, old: Method, new: Method) -> None:
        if old.is_async != new.is_async:
            self.add("breaking", path, f"is now {'async' if new.is_async else 'not async'}")
        self.signature(path, old, new, constructor=False)
        judged = self.judge(old.returns, new.returns, "output")
        if judged is not None:
            self.add(judged[0], f"{path}()", f"return {judged[1]}")
        old_raises, new_raises = dict(old.raises), dict(new.raises)
        # A status that stops (or starts) being documented changes nothing for callers when
        # the runtime's usual class for it is the one they already catch.
        for status, cls in old_raises.items():
            raised = self.new.raised_for(status, new_raises)
            if raised is None:
                self.add("breaking", path, f"status {status} no longer raises errors.{cls}")
            elif raised != cls:
                self.add("breaking", path, f"status {status} raises errors.{raised} instead of errors.{cls}")
        for status, cls in new_raises.items():
            if status not in old_raises and self.old.raised_for(status, old_raises) != cls:
                self.add("compatible", path, f"status {status} now raises errors.{cls}")

    def signature(self, path: str, old: Method, new: Method, *, constructor: bool) -> None:
        def where(param: str) -> str:
            return f"{path}({param}=)"

        olds = {p.name: p for p in old.params}
        news = {p.name: p for p in new.params}
        takes_any_keyword = any(p.kind == "var_keyword" for p in new.params)
        removed = {n: _param_shape(p, self.renames) for n, p in olds.items() if n not in news}
        added: dict[str, object] = {n: _param_shape(p) for n, p in news.items() if n not in olds}
        old_positional = [p.name for p in old.params if p.kind == "positional"]
        new_positional = [p.name for p in new.params if p.kind == "positional"]
        for name, param in olds.items():
            if param.kind in ("var_positional", "var_keyword"):
                if not any(p.kind == param.kind for p in new.params):
                    self.add(
                        "breaking", path, f"no longer takes {'*' if param.kind == 'var_positional' else '**'}{name}"
                    )
                continue
            if name not in news:
                if takes_any_keyword and param.kind == "keyword":
                    self.add("compatible", where(name), "no longer a named parameter; taken by **kwargs")
                    continue
                match = unique_match(removed[name], added)
                self.add("breaking", where(name), "removed", f"likely renamed to {match}=" if match else None)
                continue
            self.param(where(name), param, news[name])
            if param.kind == "positional" and news[name].kind == "positional":
                if old_positional.index(name) != new_positional.index(name):
                    self.add("breaking", where(name), "moved to another position")
        for name, param in news.items():
            if name in olds or param.kind in ("var_positional", "var_keyword"):
                continue
            match = unique_match(added[name], dict(removed))
            hint = f"likely the new name of {match}=" if match else None
            if param.required:
                self.add("breaking", where(name), f"added, required ({param.type})", hint)
            else:
                self.add("compatible", where(name), f"added, optional ({param.type} = {param.default})", hint)

    def param(self, path: str, old: Param, new: Param) -> None:
        findings: list[tuple[Severity, str]] = []
        if old.kind == "keyword" and new.kind == "positional":
            findings.append(("compatible", "may now also be passed by position"))
        elif old.kind == "positional" and new.kind == "keyword":
            findings.append(("breaking", "is now keyword-only"))
        old_type = self.old_type(old.type)
        if not old.required and new.required:
            findings.append(("breaking", "became required"))
            if old.default == "None" and not has_none(new.type):
                old_type = without_none(old_type)  # the None was the "not given" default
        elif old.required and not new.required:
            findings.append(("compatible", f"no longer required (default {new.default})"))
        elif old.default != new.default and old.default is not None:
            findings.append(("compatible", f"default changed from {old.default} to {new.default}"))
        judged = judge_type(old_type, new.type, "input", self.types)
        if judged is not None:
            findings.append(judged)
        verdict = _verdict(findings)
        if verdict is not None:
            self.add(verdict[0], path, verdict[1])

    # -- models

    def models(self) -> None:
        reverse = {new: old for old, new in self.renames.items()}
        for name, old in self.old.models.items():
            path = f"models.{name}"
            new = self.new.models.get(name)
            if new is None:
                renamed = self.renames.get(path)
                self.add(
                    "breaking",
                    path,
                    "removed",
                    f"likely renamed to {renamed}, which has the same shape" if renamed else None,
                )
                continue
            self.model(path, old, new, direction_of(self.uses.get(name, set())))
        for name in self.new.models:
            if name not in self.old.models:
                was = reverse.get(f"models.{name}")
                self.add("compatible", f"models.{name}", "added", f"likely the new name of {was}" if was else None)

    def model(self, path: str, old: ModelClass, new: ModelClass, direction: Direction) -> None:
        if old.kind != new.kind:
            self.add("breaking", path, f"was {_kind_words(old)}, is now {_kind_words(new)}")
            return
        if old.kind == "enum":
            self.enum(path, old, new, direction)
            return
        if old.kind == "root":
            if old.root is not None and new.root is not None:
                judged = self.judge(old.root, new.root, direction)
                if judged is not None:
                    self.add(judged[0], f"{path}.root", judged[1])
            return
        self.model_bases(path, old, new, direction)
        self.fields(path, old, new, direction)

    def model_bases(self, path: str, old: ModelClass, new: ModelClass, direction: Direction) -> None:
        old_bases = {self.renames.get(f"models.{b}", f"models.{b}").removeprefix("models.") for b in old.bases}
        for base in sorted(old_bases - set(new.bases)):
            if base in ("RequestModel", "ResponseModel"):
                continue
            self.add("breaking", path, f"no longer a subclass of {_qualified(base)}")
        for base in sorted(set(new.bases) - old_bases):
            if base in ("RequestModel", "ResponseModel"):
                continue
            self.add("compatible", path, f"now a subclass of {_qualified(base)}")
        if old.request == new.request:
            return
        if new.request:
            self.add("breaking", path, "now refuses fields it does not know (a request model)")
        else:
            self.add("compatible", path, "now keeps fields it does not know (a response model)")

    def fields(self, path: str, old: ModelClass, new: ModelClass, direction: Direction) -> None:
        removed = {n: _field_shape(f) for n, f in old.fields.items() if n not in new.fields}
        added: dict[str, object] = {n: _field_shape(f) for n, f in new.fields.items() if n not in old.fields}
        by_wire_old = {f.wire_name: n for n, f in old.fields.items() if n in removed}
        by_wire_new = {f.wire_name: n for n, f in new.fields.items() if n in added}
        hint: str | None
        for name, old_field in old.fields.items():
            where = f"{path}.{name}"
            if name not in new.fields:
                match = by_wire_new.get(old_field.wire_name)
                if match is not None:
                    hint = f"the wire name {old_field.wire_name!r} is now the attribute {path}.{match}"
                else:
                    shape_match = unique_match(removed[name], added)
                    hint = f"likely renamed to {path}.{shape_match}" if shape_match else None
                self.add("breaking", where, "removed", hint)
                continue
            self.field(where, old_field, new.fields[name], direction)
        for name, new_field in new.fields.items():
            if name in old.fields:
                continue
            was = by_wire_old.get(new_field.wire_name) or unique_match(added[name], dict(removed))
            hint = f"likely the new name of {path}.{was}" if was else None
            if new_field.required and direction != "output":
                self.add("breaking", f"{path}.{name}", f"added, required ({new_field.type})", hint)
            else:
                state = "required" if new_field.required else "optional"
                self.add("compatible", f"{path}.{name}", f"added, {state} ({new_field.type})", hint)

    def field(self, path: str, old: ModelField, new: ModelField, direction: Direction) -> None:
        findings: list[tuple[Severity, str]] = []
        if old.wire_name != new.wire_name:
            renamed = f"wire name changed from {old.wire_name!r} to {new.wire_name!r}"
            if direction == "output":
                # read by attribute, which is unchanged; the model serialises with the new name
                findings.append(("compatible", renamed))
            else:
                # a body given as a plain dict with the old wire name is now refused
                findings.append(("breaking", f"{renamed}; a dict body with the old name is refused"))
        old_type = self.old_type(old.type)
        if direction in ("input", "both"):
            if not old.required and new.required:
                findings.append(("breaking", "became required"))
                if old.default == "None" and not has_none(new.type):
                    old_type = without_none(old_type)  # the None was the "not given" default
            elif old.required and not new.required:
                findings.append(("compatible", "no longer required"))
        if direction == "output":
            gained_none = has_none(new.type) and not has_none(old_type)
            if (
                gained_none
                and old.required
                and not new.required
                and self.types.is_sub(without_none(new.type), old_type)
            ):
                findings.append(
                    ("breaking", f"became optional ({old_type} -> {new.type}); reading it now needs a None check")
                )
            else:
                judged = judge_type(old_type, new.type, "output", self.types)
                if judged is not None:
                    findings.append(judged)
                if old.required and not new.required and not gained_none:
                    findings.append(("compatible", f"no longer required (default {new.default})"))
        else:
            judged = judge_type(old_type, new.type, direction, self.types)
            if judged is not None:
                findings.append(judged)
        verdict = _verdict(findings)
        if verdict is not None:
            self.add(verdict[0], path, verdict[1])

    def enum(self, path: str, old: ModelClass, new: ModelClass, direction: Direction) -> None:
        if old.enum_value_type != new.enum_value_type:
            self.add(
                "breaking",
                path,
                f"values were {old.enum_value_type or 'mixed'}, are now {new.enum_value_type or 'mixed'}",
            )
        if old.open_enum and not new.open_enum and direction != "output":
            self.add("breaking", path, "now refuses values the spec does not list (a closed enum)")
        elif not old.open_enum and new.open_enum:
            self.add("compatible", path, "now also accepts values the spec does not list (an open enum)")
        elif old.open_enum and not new.open_enum:
            self.add("compatible", path, "now a closed enum")
        by_value_new = {v: n for n, v in new.members.items() if n not in old.members}
        by_value_old = {v: n for n, v in old.members.items() if n not in new.members}
        for name, value in old.members.items():
            where = f"{path}.{name}"
            if name not in new.members:
                match = by_value_new.get(value)
                hint = f"the value {value} is now {path}.{match}" if match else None
                self.add("breaking", where, f"removed (value {value})", hint)
            elif new.members[name] != value:
                self.add("breaking", where, f"value changed from {value} to {new.members[name]}")
        for name, value in new.members.items():
            if name not in old.members:
                was = by_value_old.get(value)
                self.add(
                    "compatible",
                    f"{path}.{name}",
                    f"added (value {value})",
                    f"likely the new name of {path}.{was}" if was else None,
                )

    # -- errors and exports

    def errors(self) -> None:
        removed = {n: e.statuses for n, e in self.old.errors.items() if n not in self.new.errors and e.statuses}
        added: dict[str, object] = {
            n: e.statuses for n, e in self.new.errors.items() if n not in self.old.errors and e.statuses
        }
        for name, old in self.old.errors.items():
            path = f"errors.{name}"
            new = self.new.errors.get(name)
            if new is None:
                match = unique_match(old.statuses, added) if old.statuses else None
                self.add("breaking", path, "removed", f"likely renamed to errors.{match}" if match else None)
                continue
            self.error(path, old, new)
        for name, error in self.new.errors.items():
            if name not in self.old.errors:
                was = unique_match(error.statuses, dict(removed)) if error.statuses else None
                statuses = f" (status {', '.join(error.statuses)})" if error.statuses else ""
                self.add(
                    "compatible",
                    f"errors.{name}",
                    f"added{statuses}",
                    f"likely the new name of errors.{was}" if was else None,
                )

    def error(self, path: str, old: ErrorClass, new: ErrorClass) -> None:
        for base in old.bases:
            if base not in new.bases:
                self.add("breaking", path, f"no longer a subclass of {base}; `except {base}` stops catching it")
        for base in new.bases:
            if base not in old.bases:
                self.add("compatible", path, f"now also a subclass of {base}")
        if old.statuses != new.statuses and old.statuses:
            lost = [s for s in old.statuses if s not in new.statuses]
            severity: Severity = "breaking" if lost else "compatible"
            self.add(
                severity,
                f"{path}.status_code",
                f"statuses changed from {', '.join(old.statuses)} to {', '.join(new.statuses) or 'any'}",
            )
        if old.body is not None and new.body is not None:
            judged = self.judge(old.body, new.body, "output")
            if judged is not None:
                self.add(judged[0], f"{path}.body", judged[1])

    def exports(self) -> None:
        reported = set(self.old.errors) | set(self.new.errors) | set(self.old.clients) | set(self.new.clients)
        new_exports = set(self.new.exports)
        for name in self.old.exports:
            if name not in new_exports and name not in reported:
                self.add("breaking", f"{self.new.package}.{name}", "no longer exported by the package")
        old_exports = set(self.old.exports)
        for name in self.new.exports:
            if name not in old_exports and name not in reported:
                self.add("compatible", f"{self.new.package}.{name}", "now exported by the package")


def _method_shape(method: Method, renames: dict[str, str]) -> object:
    return (
        tuple(_param_shape(p, renames) for p in method.params),
        str(rename_type(method.returns, renames)),
        method.is_async,
    )


def _param_shape(param: Param, renames: dict[str, str] | None = None) -> object:
    return (param.kind, str(rename_type(param.type, renames or {})), param.required, param.default)


def _field_shape(model_field: ModelField) -> object:
    return (str(model_field.type), model_field.required)


def _kind_words(model: ModelClass) -> str:
    return {"model": "a model", "enum": "an enum", "root": "a root model (a single value)"}[model.kind]


def _qualified(base: str) -> str:
    return base if base in ("BaseModel", "RootModel") else f"models.{base}"


def diff_surfaces(old: Surface, new: Surface) -> list[Change]:
    """Every change from ``old`` to ``new`` that a caller can notice, classified."""
    return _Differ(old, new).run()
