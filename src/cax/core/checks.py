"""System checks of core's declarations (run by `manage check`, the test run and every migrate)."""

from __future__ import annotations

from django.core import checks
from django.db import models

from cax.core.auditchain import protected_models
from cax.core.models import AppendOnlyQuerySet


@checks.register(checks.Tags.models)
def append_only_logs(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """An AppendOnlyLog is hashed before its insert, by its own queryset: a value Django sets only
    during the insert (auto_now, auto_now_add) would be missing from the hash, and a plain manager
    would insert rows outside the chain."""
    errors = []
    for model in protected_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name}: an append-only log's time field takes "
                        "default=timezone.now, not auto_now/auto_now_add",
                        obj=field,
                        id="cax.E160",
                    )
                )
        queryset = getattr(model._default_manager, "_queryset_class", models.QuerySet)
        if not issubclass(queryset, AppendOnlyQuerySet):
            errors.append(
                checks.Error(
                    f"{model._meta.label}: the manager of an append-only log must use AppendOnlyQuerySet",
                    obj=model,
                    id="cax.E161",
                )
            )
    return errors
