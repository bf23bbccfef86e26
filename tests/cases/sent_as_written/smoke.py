"""Request bodies go out exactly as written: defaults for single-value fields, None only
where null is allowed, enum values the spec lists, secrets on the wire and nowhere else."""

import json

import httpx
import pydantic

import sent_as_written
from sent_as_written import models

sent: list[bytes] = []


def handler(request: httpx.Request) -> httpx.Response:
    sent.append(request.content)
    return httpx.Response(
        201,
        json={"id": "a1", "status": "frozen", "address": {"city": "Rome", "zip": "00100"}, "api_secret": "s3cr3t-key"},
    )


client = sent_as_written.Client(
    base_url="https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(handler))
)


def fails(action, *secrets: str) -> str:
    try:
        action()
    except pydantic.ValidationError as exc:
        message = str(exc)
        for secret in secrets:
            assert secret not in message, message
        return message
    raise AssertionError("no validation error")


# Single-value fields default to their value, are sent, and the secret goes out as given.
account = models.AccountCreate(name="Ada", password="hunter2", pin="4321")
assert account.kind is models.Kind.ACCOUNTS and account.version == 2
client.create_account(body=account)
assert json.loads(sent[-1]) == {"kind": "accounts", "version": 2, "name": "Ada", "password": "hunter2", "pin": "4321"}

# Secrets stay out of repr(), str() and validation errors.
for text in (repr(account), str(account)):
    assert "hunter2" not in text and "4321" not in text and "Ada" in text, text
fails(lambda: models.AccountCreate(name="Ada", password="hunter2", pin=4321), "hunter2", "4321")
fails(lambda: client.create_account(body={"name": "Ada", "password": "hunter2", "pni": "4321"}), "hunter2", "4321")
fails(lambda: client.create_account(body={"name": "Ada", "password": ["hunter2"]}), "hunter2")

# None for a nullable field is null; for any other optional field it means "not set".
client.create_account(
    body=models.AccountCreate(name="Ada", password="pw", nickname=None, middle_name=None, manager=None, status=None)
)
wire = json.loads(sent[-1])
assert wire["nickname"] is None and wire["manager"] is None, wire
assert "middle_name" not in wire and "status" not in wire, wire
client.create_account(body={"name": "Ada", "password": "pw", "nickname": None, "middle_name": None})
wire = json.loads(sent[-1])
assert wire["nickname"] is None and "middle_name" not in wire, wire

# Assignment is validated at once, and follows the same rules.
account = models.AccountCreate(name="Ada", password="pw", middle_name="B")
account.middle_name = None
account.nickname = None
client.create_account(body=account)
wire = json.loads(sent[-1])
assert "middle_name" not in wire and wire["nickname"] is None, wire
fails(lambda: setattr(account, "status", "frozen"), "frozen")
fails(lambda: setattr(account, "name", 7))

# A request refuses enum values the spec does not list, also where responses accept them;
# the plain string value is fine.
account.status = "closed"
assert account.status is models.Status.CLOSED
fails(lambda: models.AccountCreate(name="Ada", password="pw", status="frozen"))
fails(lambda: models.AccountCreate(name="Ada", password="pw", tags=["active", "frozen"]))
fails(lambda: models.AccountCreate(name="Ada", password="pw", kind="users"))
fails(lambda: models.AccountCreate(name="Ada", password="pw", version=3))

# A model used by both sides refuses unknown fields in a request, keeps them in a response.
fails(lambda: models.AccountCreate(name="Ada", password="pw", address={"city": "Rome", "zip": "00100"}))
created = client.create_account(body=models.AccountCreate(name="Ada", password="pw", address={"city": "Rome"}))
assert json.loads(sent[-1])["address"] == {"city": "Rome"}
assert created.status is not None and created.status.value == "frozen"
assert created.address is not None and created.address.model_extra == {"zip": "00100"}
assert created.api_secret == "s3cr3t-key" and "s3cr3t-key" not in repr(created)

# Descriptions are there at run time, enum-typed fields included.
assert models.AccountCreate.model_fields["name"].description == "Display name."
assert models.AccountCreate.model_fields["status"].description == "Account status."
assert models.AccountCreate.model_json_schema()["properties"]["pin"]["description"] == "Sent once, never shown."
assert "name: Display name." in (models.AccountCreate.__doc__ or "")
