from PKG import Client, models

with Client() as client:
    pet = client.create_pet(body=models.NewPet(name="Rex"))
    weights: list[float] | None = pet.weights
