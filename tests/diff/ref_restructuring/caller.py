from PKG import Client, errors, models

with Client() as client:
    client.list_pets(limit=3)
    try:
        client.create_pet(body=models.NewPet(name="Rex", tag="indoor"))
    except errors.NotFoundError as exc:
        print(exc.body)
