from cax.accounts.roles import CHANGE_OFFICERS, CHANGE_UNITS, CHANGE_USERS, VIEW_CHANGELOG, VIEW_USERS


def navigation(request):
    """Which menu entries the signed-in user may open; pages re-check on their own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "can_import_units": user.has_cax_perm(CHANGE_UNITS),
            "can_view_users": user.has_cax_perm(VIEW_USERS),
            "can_change_users": user.has_cax_perm(CHANGE_USERS),
            "can_view_changelog": user.has_cax_perm(VIEW_CHANGELOG),
            "can_change_officers": user.has_cax_perm(CHANGE_OFFICERS),
            "can_view_cases": user.has_cax_perm("cases.view_case"),
            "can_view_identity_log": user.has_cax_perm("cases.view_identityaccess"),
            "can_view_reports": user.has_cax_perm("reports.view_submission"),
            "can_import_report_values": user.has_cax_perm("reports.import_value"),
            "can_view_plans": user.has_cax_perm("deployment.view_planscenario"),
            "can_raise_petitions": user.has_cax_perm("petitions.change_petition"),
        }
    }
