from PKG import models

channel = models.OrderChannel.OTA
