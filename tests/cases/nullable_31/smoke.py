"""3.1 nullability: null is accepted where the spec allows it, and enums hold no 'None'."""

from nullable_31 import models

thing = models.Thing.model_validate({"id": "1", "note": None, "kind": None, "size": "big", "labels": None})
assert thing.note is None and thing.kind is None and thing.size == "big"
assert [k.value for k in models.ThingKind] == ["a", "b"]
assert models.Thing.model_validate({"id": "1", "note": "n", "kind": "a"}).kind is models.ThingKind.A
