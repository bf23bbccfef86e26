"""Classes named like enums are models, and every class is complete once imported."""

import enum_named_models.models as models
from enum_named_models.models import EnumOption, EnumOptionDetail, Labelled, OptionList

for name in models.__all__:
    cls = getattr(models, name)
    if hasattr(cls, "__pydantic_complete__"):
        assert cls.__pydantic_complete__, f"{name} is left for pydantic to finish on first use"

detail = EnumOptionDetail.model_validate({"label": "a", "children": [{"label": "b"}]})
assert isinstance(detail, EnumOption)
assert detail.children is not None and detail.children[0].label == "b"
assert detail.state is not None and detail.state.value == "active"
listed = OptionList.model_validate([{"label": "x"}])
assert listed.root[0].label == "x"
assert Labelled.model_validate({"value": "v", "label": "l"}).value == "v"
assert models.Registry.model_validate({"a": [{"value": "v"}]}) is not None
