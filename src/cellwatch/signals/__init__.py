"""Signals from incidents: exposure-normalised rates, disproportionality, and the ranked
inspection list of cell makers and models (docs/signals.md).

Pure: a :class:`~cellwatch.domain.registry.Registry` snapshot in, plain values out.
:mod:`.exposure` attributes incidents and counts units, :mod:`.rates` divides,
:mod:`.disproportion` computes PRR, ROR and χ², :mod:`.inspection` ranks, and
:mod:`.report` puts them together.
"""

from cellwatch.signals.report import SignalReport, remembered_signals, signals

__all__ = ["SignalReport", "remembered_signals", "signals"]
