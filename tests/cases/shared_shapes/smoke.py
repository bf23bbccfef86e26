"""A shared class keeps each side's rules, and each field its own description."""

import pydantic

from shared_shapes import models

fields = models.CreateIntentRequest.model_fields
assert fields["capture_method"].description == "When to capture the intent's funds.", fields
assert models.CreateChargeRequest.model_fields["capture_method"].description == "When to capture the charge."
assert fields["capture_method"].annotation == models.CreateChargeRequestCaptureMethod | None

# The request side refuses what the spec does not list, in the shared enum and in a branch object.
for bad in ({"capture_method": "later"}, {"shipping": {"city": "Rome", "planet": "Mars"}}, {"shipping": "x"}):
    try:
        models.CreateIntentRequest.model_validate(bad)
    except pydantic.ValidationError:
        pass
    else:
        raise AssertionError(f"accepted {bad}")
body = models.CreateIntentRequest.model_validate({"shipping": ""})
assert body.model_dump(by_alias=True, exclude_unset=True) == {"shipping": ""}, body

# The response side accepts a value or a field the spec does not know yet.
charge = models.Charge.model_validate({"capture_method": "later", "icon": {"id": "f_1", "size": 3}})
assert charge.capture_method == "later", charge
