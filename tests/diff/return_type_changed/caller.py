from PKG import Client, models

with Client() as client:
    pet: models.Pet = client.create_pet(body=models.NewPet(name="Rex"))
