"""Alerts: watches matched against the change feed, delivered to signed webhooks.

- :mod:`~cellwatch.alerts.watches`: what a watch names and whether an event concerns it
  (pure, over a registry snapshot);
- :mod:`~cellwatch.alerts.signing`: HMAC-SHA256 signatures a receiver verifies;
- :mod:`~cellwatch.alerts.worker`: the worker that fans events out to watches and
  delivers them, with retries and backoff, at least once.
"""
