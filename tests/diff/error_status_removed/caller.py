from PKG import Client, errors, models

with Client() as client:
    try:
        client.create_pet(body=models.NewPet(name="Rex"))
    except errors.Status418Error:
        pass
