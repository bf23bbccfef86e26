from PKG import Client, models

with Client() as client:
    client.create_pet(body=models.NewPet(name="Rex"))
