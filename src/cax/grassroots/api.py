"""API endpoints of the grassroots app (#8): /api/v1/grassroots/teams, members, allowances, criteria."""

from ninja import Router

from cax.core.records.api import add_api_routes
from cax.grassroots.registers import ALLOWANCES, CRITERIA, MEMBERS, TEAMS

router = Router()
add_api_routes(router, TEAMS, "teams", "Tổ bảo vệ ANTT")
add_api_routes(router, MEMBERS, "members", "Tổ bảo vệ ANTT")
add_api_routes(router, ALLOWANCES, "allowances", "Tổ bảo vệ ANTT")
add_api_routes(router, CRITERIA, "criteria", "Tổ bảo vệ ANTT")
