"""Impact analysis over the supply graph: from a cell maker, a cell lot or a certificate to
the brands, models, batches and units it reaches, split into already recalled and not yet
recalled (the exposure gap).

- :mod:`~cellwatch.impact.graph`     per-snapshot indexes and the walk, with paths
- :mod:`~cellwatch.impact.exposure`  is a batch already recalled? (the check's scope judge)
- :mod:`~cellwatch.impact.analysis`  :func:`impact`: the walk, the judgement, the totals
- :mod:`~cellwatch.impact.report`    the result as plain values, and its JSON
- :mod:`~cellwatch.impact.texts`     every sentence a person reads, in English and Chinese
"""

from cellwatch.impact.analysis import impact
from cellwatch.impact.report import Exposure, ImpactReport

__all__ = ["Exposure", "ImpactReport", "impact"]
