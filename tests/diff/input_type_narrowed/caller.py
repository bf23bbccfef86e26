from PKG import Client, models

with Client() as client:
    client.list_pets(limit=3)
    client.create_pet(body=models.NewPet(name="Rex", tag="indoor"))
