from django.db import models


class ProbeEffect(models.Model):
    """One handler run's effect; deliberately not unique, so a doubled effect shows."""

    event_id = models.UUIDField()
    handler = models.CharField(max_length=20)
    pid = models.IntegerField()
    at = models.DateTimeField(auto_now_add=True)
