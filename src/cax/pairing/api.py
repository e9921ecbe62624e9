"""API endpoints of the pairing app (#8)."""

from ninja import Router

router = Router()
