"""API endpoints of the grassroots app (#8)."""

from ninja import Router

router = Router()
