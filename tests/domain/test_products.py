"""A product model's key: its brand and folded code, folded once."""

from __future__ import annotations

from tests import factories as f


def test_the_key_is_folded_once_and_a_copy_folds_its_own() -> None:
    product = f.product(model="pac20 272")
    assert product.key == ("acme", "PAC20272")
    assert product.key is product.key  # remembered
    assert product == f.product(model="pac20 272")  # a remembered key is not a field
    assert "key" not in product.model_dump()
    copied = product.model_copy(update={"model": "A-1263"})
    assert copied.key == ("acme", "A1263") and product.key == ("acme", "PAC20272")
