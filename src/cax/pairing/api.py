"""API endpoints of the pairing app (#8)."""

from ninja import Router

from cax.core.records.api import add_api_routes
from cax.pairing.registers import PAIRINGS

router = Router()
add_api_routes(router, PAIRINGS, "pairings", "Phòng phụ trách xã")
