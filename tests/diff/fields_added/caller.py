from PKG import Client, models

with Client() as client:
    pet = client.create_pet(body=models.NewPet(name="Rex"))
    print(pet.id, pet.name, pet.tag)
