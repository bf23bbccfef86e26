from PKG import Client, models

with Client() as client:
    pets: list[models.Pet] = client.list_pets().root
