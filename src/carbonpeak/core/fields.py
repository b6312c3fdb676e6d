"""A JSON field that keeps the platform's sentences as sentences (see ``core.text.Message``)."""

from __future__ import annotations

from django.db import models

from carbonpeak.core.text import MessageDecoder, encode


class SentencesField(models.JSONField):
    """JSON data whose Messages are kept with their wording and values however the row is written — by a
    service, an ``update()``, a restore or ``dumpdata`` — and read back as Messages, so that a page can say
    them in any reader's language. (A Message is a str: plain JSON would keep only its Chinese text.)"""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("decoder", MessageDecoder)
        super().__init__(*args, **kwargs)

    def get_prep_value(self, value):
        return super().get_prep_value(encode(value))

    def value_to_string(self, obj):
        return encode(self.value_from_object(obj))
