"""API endpoints of the honours app (#8)."""

from ninja import Router

router = Router()
