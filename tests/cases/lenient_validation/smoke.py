"""What the warnings say each keyword is read as is what the model enforces."""

import pydantic
from lenient_validation.models import T


def refused(**fields: object) -> bool:
    try:
        T.model_validate(fields)
    except pydantic.ValidationError:
        return True
    return False


assert T.model_validate({"tuple": ["a", "b"]}).tuple == ["a", "b"]
assert refused(tuple=[1])  # the one schema of the list applies to every item
assert refused(excl=5) and not refused(excl=5.5)  # exclusiveMinimum: 5 read as minimum 5, exclusive
assert T.model_validate({"multi": None}).multi is None and refused(multi=1)  # type [string, null]
assert refused(konst="y") and not refused(konst="x")  # const read as JSON Schema defines it
assert T.model_validate({}).req is None  # required: true on a property is ignored
from lenient_validation.models import Extended  # noqa: E402

# required names "elsewhere", which no schema defines: it is required, of any type.
base = {"excl": 6, "tuple": [], "elsewhere": None}

assert Extended.model_validate({**base, "either": 3}).either is not None  # type [string, integer]
assert Extended.model_validate({**base, "either": "x"}).either is not None
try:
    Extended.model_validate({**base, "either": 1.5})
except pydantic.ValidationError:
    pass
else:
    raise AssertionError("either is a string or an integer")
assert T.model_validate({"maybe": None}).maybe is None and T.model_validate({"maybe": "x"}).maybe is not None
