"""marshmallow pieces every service's API uses the same way."""
from datetime import timezone

from marshmallow import fields

from shared.thai import BANGKOK, to_bangkok


class BangkokDateTime(fields.AwareDateTime):
    """ISO 8601 in and out; stored as naive UTC. Input without an offset is read as Bangkok time."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=BANGKOK, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else to_bangkok(value).isoformat()

    def _deserialize(self, value, attr, data, **kwargs):
        aware = super()._deserialize(value, attr, data, **kwargs)
        return aware.astimezone(timezone.utc).replace(tzinfo=None)
