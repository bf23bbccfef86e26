"""Defaults that fit are kept; the ones left out leave their fields optional, not broken."""

from mismatched_defaults.models import Colour, Thing

thing = Thing()
assert thing.ratio == 0.5 and thing.count == 3 and thing.tags == ["x"]
assert thing.active is None and thing.limit is None and thing.name is None and thing.code is None
assert thing.shade is None and thing.day is None and thing.mode is None
assert Thing.model_validate({"colour": "red"}).colour is Colour.RED
assert thing.choice is not None and thing.choice.root == 3  # validated into its root model
assert thing.colours == [Colour.RED]
assert thing.pick is None
