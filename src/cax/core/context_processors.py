from django.urls import reverse

from cax.core.registry import registry


def navigation(request):
    """The menu entries the signed-in user may open, from what the apps registered (issue 15.2);
    pages re-check on their own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "menu": [
            (entry.label, reverse(entry.url_name, args=[user.unit_id] if entry.with_unit else []))
            for entry in registry.menu
            if not entry.perm or user.has_perm(entry.perm)
        ],
        "nav": {
            "can_change_users": user.has_perm("accounts.change_user"),
            "can_change_officers": user.has_perm("personnel.change_officer"),
            "can_import_report_values": user.has_perm("reports.import_value"),
            "can_raise_petitions": user.has_perm("petitions.change_petition"),
        },
    }
