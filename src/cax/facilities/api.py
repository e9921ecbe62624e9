"""API endpoints of the facilities app (#8)."""

from ninja import Router

router = Router()
