"""Each pattern is enforced by an engine that compiles it; the rest import and are left out."""

import pydantic
from unusual_patterns.models import Codes, P


def refused(**fields: str) -> bool:
    try:
        P(**fields)
    except pydantic.ValidationError:
        return True
    return False


P(letters="Ünïcode", ahead="bob", both="abc", plain="abc")
assert refused(letters="abc1")  # \p{L}: the Rust engine
assert refused(ahead="admin")  # a look-ahead: Python's re
assert refused(both="abc\n")  # \Z: Python's re
assert refused(plain="ABC")
P(surrogate="\U0001f600", broken="[", mixed="anything")  # left out, so not enforced
assert [member.value for member in Codes] == ["a", "b", "c"]
