from PKG import Client

with Client() as client:
    client.list_pets()
