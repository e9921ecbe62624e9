from django.urls import reverse

from cax.core.registry import registry


def navigation(request):
    """The menu entries the signed-in user may open, from what the apps registered (issue 15.2);
    pages re-check on their own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Buttons elsewhere ask Django's ``perms`` (auth context processor) or the app's policy.
    return {
        "menu": [
            (entry.label, reverse(entry.url_name, args=[user.unit_id] if entry.with_unit else []))
            for entry in registry.menu
            if not entry.perm or user.has_perm(entry.perm)
        ],
    }
