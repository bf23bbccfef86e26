from PKG import Client

with Client() as client:
    name: str = client.list_pets().root[0].name
