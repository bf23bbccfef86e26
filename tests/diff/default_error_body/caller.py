from PKG import Client, models


def describe(error: models.Error) -> str | None:
    return error.message


with Client() as client:
    client.get_x()
