"""Every model class in models.py is complete on import, the parametrized RootModel bases
pydantic adds to the module's namespace included."""

import pydantic

from generic_root_bases import models

built = [value for value in vars(models).values() if isinstance(value, type) and issubclass(value, pydantic.BaseModel)]
assert any(cls.__name__.startswith("RootModel[") for cls in built), "the case no longer makes a parametrized base"
for cls in built:
    if cls.__module__ == models.__name__:
        assert cls.__pydantic_complete__, f"{cls.__name__} is left for pydantic to finish on first use"

images = models.ImageList.model_validate([{"id": "a", "disk": {"size": 3}}])
assert images.root[0].disk is not None and images.root[0].disk.size == 3
