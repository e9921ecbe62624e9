"""Demo notices: the daily deadline run once over the demo data (idempotent by its due days); the
event notices come from the other demo loaders, which go through the services that publish them."""

from __future__ import annotations

from cax.notices import deadlines


def load_demo(*, province) -> None:
    deadlines.run()
