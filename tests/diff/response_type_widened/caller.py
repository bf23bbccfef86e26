from PKG import Client

with Client() as client:
    pet = client.list_pets().root[0]
    number: int = pet.id
    tag: str | None = pet.tag
