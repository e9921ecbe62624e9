"""API endpoints of the petitions app (#8)."""

from ninja import Router

router = Router()
