"""API endpoints of the training app (#8)."""

from ninja import Router

router = Router()
