"""Domain errors: raised by services, turned into one error shape by the web and API layers."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the operation; ``message`` is shown to the user as is."""

    status_code = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = str(message)
        self.fields = fields or {}


class PermissionDenied(DomainError):
    """The actor may see the object but not do this to it."""

    status_code = 403


class NotVisible(DomainError):
    """The object is outside the actor's scope; answered as 404 so its existence does not leak."""

    status_code = 404


def refuse_if_any(fields: dict[str, list[str]]) -> None:
    """Raise one DomainError for every field a rule refused (the message names the first problem);
    nothing when ``fields`` is empty. Services collect all problems first so a form, an import row
    or an API body reports them together."""
    if fields:
        raise DomainError(next(iter(fields.values()))[0], fields=fields)


def from_validation_error(obj, exc) -> DomainError:
    """A model's ``full_clean`` refusal as one DomainError: ``fields`` keeps the keys (forms put each
    message under its field, the API returns them), the message names each field by its label
    ("Ngày sinh: Nhập một ngày hợp lệ."), never by its key."""
    from django.core.exceptions import NON_FIELD_ERRORS
    from django.utils.text import capfirst

    if not hasattr(exc, "error_dict"):
        return DomainError("; ".join(exc.messages))
    fields = {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
    labels = {f.name: capfirst(f.verbose_name) for f in obj._meta.fields}
    parts = [
        " ".join(messages) if key == NON_FIELD_ERRORS or key not in labels else f"{labels[key]}: {' '.join(messages)}"
        for key, messages in fields.items()
    ]
    return DomainError("; ".join(parts), fields=fields)
