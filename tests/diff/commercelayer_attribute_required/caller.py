from PKG import models

attributes = models.OrderCreateAttributes(guest=True)
