"""Signals other apps listen to (connected in their ``AppConfig.ready()``)."""

from django.dispatch import Signal

# Sent by the correction view once a suggested correction is stored, with ``correction`` and
# ``request``: freshness marks it as from the initiative's own people when it came through
# their signed link.
correction_suggested = Signal()
