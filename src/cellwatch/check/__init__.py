"""The check (DESIGN.md, "The check"): identify, recall status, certificate, energy,
supply-chain advisories, rules → a verdict with reasons, in English and Chinese.

The steps, each a pure function over a :class:`~cellwatch.domain.registry.Registry`:
:mod:`.identify`, :mod:`.recall` (with :mod:`.scopes`), :mod:`.certificate`,
:mod:`.energy`, :mod:`.supply`, then :mod:`cellwatch.rules`; :mod:`.run` chains them.
What does not depend on the unit's own facts is gathered once per model and date
(:mod:`.model`, bounded by :mod:`cellwatch.memo`); :mod:`.outputs` shows the findings.
"""

from cellwatch.check.inputs import Device, Trip
from cellwatch.check.result import CheckResult
from cellwatch.check.run import check

__all__ = ["CheckResult", "Device", "Trip", "check"]
