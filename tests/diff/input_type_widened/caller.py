from PKG import Client

with Client() as client:
    client.list_pets(limit=3, kind="cat")
