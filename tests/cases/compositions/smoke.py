"""oneOf with a discriminator picks the right class; allOf merges the properties."""

from compositions import models

pet = models.Pet.model_validate({"petType": "dog", "name": "Rex", "goodBoy": True})
assert type(pet.root).__name__ == "Dog", pet
owner = models.Owner.model_validate({"name": "Ann", "email": "a@b.c", "createdAt": "2024-01-01T00:00:00Z"})
assert owner.name == "Ann" and owner.email == "a@b.c"
shape = models.Shape.model_validate({"side": 2})
assert type(shape.root).__name__ == "Square"
