from PKG import Client, models

with Client() as client:
    created = client.create_pet(body=models.PetInput(id=1, name="Rex"))
    number: int = created.id
