from django.contrib.auth.backends import ModelBackend


class UnitAwareBackend(ModelBackend):
    """Loads the user's unit with the user: every scoped query needs its path."""

    def get_user(self, user_id):
        from cax.accounts.models import User

        user = User.objects.select_related("unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
