from PKG import Client, models

scores: list[int] = [1, 2]
with Client() as client:
    client.create_pet(body=models.NewPet(name="Rex", scores=scores))
