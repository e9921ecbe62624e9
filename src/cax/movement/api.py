"""API endpoints of the movement (issue 19): /api/v1/movement/models, replications, evaluations,
examples, registrations, assessments, ratings."""

from ninja import Router

from cax.core.records.api import add_api_routes
from cax.movement.registers import (
    ASSESSMENTS,
    EVALUATIONS,
    EXAMPLES,
    MODELS,
    RATINGS,
    REGISTRATIONS,
    REPLICATIONS,
)

TAG = "Phong trào toàn dân bảo vệ ANTQ"
router = Router()
add_api_routes(router, MODELS, "models", TAG)
add_api_routes(router, REPLICATIONS, "replications", TAG)
add_api_routes(router, EVALUATIONS, "evaluations", TAG)
add_api_routes(router, EXAMPLES, "examples", TAG)
add_api_routes(router, REGISTRATIONS, "registrations", TAG)
add_api_routes(router, ASSESSMENTS, "assessments", TAG)
add_api_routes(router, RATINGS, "ratings", TAG)
