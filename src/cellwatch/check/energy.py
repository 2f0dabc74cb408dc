"""Step 4: the unit's energy in watt-hours, and how it was found.

Wh = mAh × V / 1000 with the cell's nominal voltage (3.6–3.85 V), never the 5 V USB output
(49 CFR 171.8; IATA). Order: the marked Wh; else mAh and cell voltage; else mAh at an
assumed 3.7 V; else the registry's figure for the model (its mAh at 3.7 V when that is
all it has); else unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from cellwatch.domain.products import ProductModel
from cellwatch.rules.facts import EnergyMethod

ASSUMED_VOLTAGE = 3.7
USB_VOLTAGE_ABOVE = 4.5  # no lithium-ion cell has a nominal voltage above this


@dataclass(frozen=True, slots=True)
class EnergyFinding:
    wh: float | None
    method: EnergyMethod
    voltage_v: float | None = None
    usb_voltage_given: bool = False


def _wh(capacity_mah: int, voltage_v: float) -> float:
    return round(capacity_mah * voltage_v / 1000, 2)


def energy(
    capacity_mah: int | None,
    voltage_v: float | None,
    energy_wh: float | None,
    product: ProductModel | None,
) -> EnergyFinding:
    usb = voltage_v is not None and voltage_v > USB_VOLTAGE_ABOVE
    if energy_wh is not None:
        return EnergyFinding(round(energy_wh, 2), EnergyMethod.MARKED, usb_voltage_given=usb)
    if capacity_mah is not None:
        if voltage_v is not None and not usb:
            return EnergyFinding(_wh(capacity_mah, voltage_v), EnergyMethod.COMPUTED, voltage_v)
        return EnergyFinding(
            _wh(capacity_mah, ASSUMED_VOLTAGE), EnergyMethod.ASSUMED_VOLTAGE,
            ASSUMED_VOLTAGE, usb,
        )
    if product is not None:
        if product.energy_wh is not None:
            return EnergyFinding(product.energy_wh, EnergyMethod.REGISTRY, usb_voltage_given=usb)
        if product.capacity_mah is not None and product.voltage_v is not None:
            return EnergyFinding(
                _wh(product.capacity_mah, product.voltage_v), EnergyMethod.REGISTRY,
                product.voltage_v, usb,
            )
        if product.capacity_mah is not None:
            return EnergyFinding(
                _wh(product.capacity_mah, ASSUMED_VOLTAGE), EnergyMethod.ASSUMED_VOLTAGE,
                ASSUMED_VOLTAGE, usb,
            )
    return EnergyFinding(None, EnergyMethod.UNKNOWN, usb_voltage_given=usb)
