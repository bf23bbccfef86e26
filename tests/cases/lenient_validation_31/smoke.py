"""3.0's boolean exclusive bounds are read as exclusive; defaults that break a bound are gone."""

import pydantic
from lenient_validation_31.models import T


def refused(**fields: object) -> bool:
    try:
        T.model_validate(fields)
    except pydantic.ValidationError:
        return True
    return False


assert refused(a=12) and not refused(a=11)
assert refused(b=1) and not refused(b=1.5)
empty = T()
assert empty.a is None and empty.c is None and empty.d is None and empty.e == 5
assert refused(g=0) and not refused(g=1) and empty.f is None
# A field typed by aliases defined below its class: the class is still complete on import.
assert T.__pydantic_complete__
assert T(union="ab").union == "ab" and refused(union="a") and refused(union=[])
# A patternProperties pattern no engine compiles is left out; the Rust-only one is kept.
assert T.model_validate({"bag": {"é": 1}}).bag is not None and refused(bag={"é": "x"})
