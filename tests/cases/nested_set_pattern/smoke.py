"""The package imports under ``-W error``: the pattern that warns is left out, the others kept."""

import pydantic

from nested_set_pattern import models

assert models.Fare.model_validate({"code": "anything"}).code == "anything"
try:
    models.Fare.model_validate({"plain": "abcd"})
except pydantic.ValidationError:
    pass
else:
    raise AssertionError("the pattern both engines read must still be enforced")
