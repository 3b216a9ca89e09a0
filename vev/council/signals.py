"""Signals of the council app (sent inside the transaction of the act)."""

from django.dispatch import Signal

demo_loaded = Signal()
"""Sent at the end of ``services.demo.load_demo``, inside its transaction.

Sender: ``Event`` (the class). kwargs: ``event`` (the demo session), ``people`` (dict of demo
users by e-mail local part), ``delta`` (the ``timedelta`` the dates were shifted by), ``data``
(the parsed council-2020.json). Apps add their demo data in a receiver (e.g. documents).
"""
