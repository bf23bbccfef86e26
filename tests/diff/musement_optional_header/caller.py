from uuid import UUID

from PKG import Client, models

with Client(token="t") as client:
    order = client.create_order(
        body=models.CreateOrderRequest(cart_uuid=UUID("ff111070-984a-4cff-87c7-2a32cd76de36")),
        x_musement_version="3.4.0",
    )
    print(order.identifier)
