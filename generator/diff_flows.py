"""Part of ``specforge diff``: which way each model flows, and which were renamed.

Takes a :class:`~generator.surface_model.Surface` (or the old and the new one); gives, for
each model class, whether callers build it, read it, or both (:func:`model_directions`),
which decides whether its types may widen or narrow; and the removed classes that have the
shape of an added one, old name to new (:func:`model_renames`), so a renamed class is
compared with its new self rather than reported gone.
"""

from __future__ import annotations

from .subtyping import Direction, rename_type
from .surface_model import ModelClass, PyType, Surface


def model_directions(surface: Surface) -> dict[str, set[str]]:
    """For each model class, whether callers build it (``input``), read it (``output``), or both."""
    found: dict[str, set[str]] = {}

    def reach(kind: PyType | None, direction: str) -> None:
        todo = [kind] if kind is not None else []
        while todo:
            current = todo.pop()
            for part in current.walk():
                if part.kind not in ("name", "generic") or not part.name.startswith("models."):
                    continue
                name = part.name.removeprefix("models.")
                model = surface.models.get(name)
                if model is None or direction in found.setdefault(name, set()):
                    continue
                found[name].add(direction)
                todo.extend(f.type for f in model.fields.values())
                if model.root is not None:
                    todo.append(model.root)
                todo.extend(PyType("name", f"models.{b}") for b in model.bases)

    for client in surface.clients.values():
        for method in [client.init, *client.methods.values()]:
            if method is None:
                continue
            for param in method.params:
                reach(param.type, "input")
            reach(method.returns, "output")
        for returns in client.properties.values():
            reach(returns, "output")
    for error in surface.errors.values():
        reach(error.body, "output")
    # A model no signature reaches (an error body the client decodes without a class of
    # its own, say) still says which way it flows by its base: request models are sent,
    # response models are read.
    for name, model in surface.models.items():
        if not found.get(name) and model.kind == "model":
            if model.request:
                reach(PyType("name", f"models.{name}"), "input")
            elif "ResponseModel" in model.bases:
                reach(PyType("name", f"models.{name}"), "output")
    return found


def direction_of(uses: set[str]) -> Direction:
    if uses == {"input"}:
        return "input"
    if uses == {"output"}:
        return "output"
    return "both"  # used both ways, or by nothing we can see: judged strictly


# --- which models were renamed ---------------------------------------------------------------


def _model_shape(model: ModelClass, renames: dict[str, str]) -> object:
    return (
        model.kind,
        tuple(renames.get(f"models.{b}", f"models.{b}") for b in model.bases),
        tuple((f.name, f.wire_name, str(rename_type(f.type, renames)), f.required) for f in model.fields.values()),
        tuple(sorted(model.members.items())),
        str(rename_type(model.root, renames)) if model.root is not None else "",
    )


def model_renames(old: Surface, new: Surface) -> dict[str, str]:
    """Removed classes with the same shape as an added one, old name -> new name.

    Repeated until nothing new is found, so a class whose only difference is a field of
    a renamed class (``list[Pet]`` -> ``list[Animal]``) is found in a later round.
    """
    renames: dict[str, str] = {}
    gone = [n for n in old.models if n not in new.models]
    fresh = [n for n in new.models if n not in old.models]
    for _ in range(len(gone) + 1):
        added: dict[str, object] = {
            n: _model_shape(new.models[n], {}) for n in fresh if f"models.{n}" not in renames.values()
        }
        removed: dict[str, object] = {
            n: _model_shape(old.models[n], renames) for n in gone if f"models.{n}" not in renames
        }
        found = False
        for name, shape in removed.items():
            match = unique_match(shape, added)
            if match is not None and unique_match(added[match], removed) == name:
                renames[f"models.{name}"] = f"models.{match}"
                found = True
        if not found:
            break
    return renames


def unique_match(key: object, candidates: dict[str, object]) -> str | None:
    matches = [name for name, other in candidates.items() if other == key]
    return matches[0] if len(matches) == 1 else None
