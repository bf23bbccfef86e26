from PKG import Client, models

with Client() as client:
    pet = client.create_pet(body=models.NewPet(name="Rex", tag="indoor"))
    print(pet.name)
