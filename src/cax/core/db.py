"""Database helpers shared by services."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from cax.core.exceptions import DomainError

logger = logging.getLogger(__name__)


def integrity_message(model: type[models.Model], exc: IntegrityError) -> str:
    """The constraint's own user message for a violation the database caught.

    PostgreSQL and SQLite CHECK errors name the constraint; SQLite UNIQUE errors name the columns.
    """
    text = str(exc)
    for constraint in model._meta.constraints:
        if constraint.name in text:
            return str(constraint.violation_error_message)
    if "UNIQUE" in text.upper():
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if fields and all(f"{model._meta.db_table}.{f}" in text for f in fields):
                return str(constraint.violation_error_message)
    logger.warning("Unmapped integrity error on %s: %s", model._meta.label, text)
    # Table and column names mean nothing to users and say too much about the schema.
    return _("Dữ liệu trùng hoặc mâu thuẫn với dữ liệu đã có.")


@contextlib.contextmanager
def constraint_errors(model: type[models.Model]) -> Iterator[None]:
    """Run a write in a savepoint and turn a constraint violation into a DomainError.

    The database is the judge (race-free, one round trip) instead of a SELECT per constraint.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise DomainError(integrity_message(model, exc)) from exc


def next_in_sequence(model: type[models.Model], **key) -> int:
    """The next number of a gap-free sequence (a register serial, a document number).

    Locks the counter row ``model(**key)`` until the caller's transaction commits, creating it on
    first use; two callers at once get consecutive numbers, never the same one. ``model`` has the
    key fields and an integer ``last``.
    """
    counter = model.objects.select_for_update().filter(**key).first()
    if counter is None:
        try:
            with transaction.atomic():
                model.objects.create(**key)
        except IntegrityError:
            pass  # created by another writer at the same moment; lock theirs
        counter = model.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


class InSubquery(models.Lookup):
    """``field__in_subquery=queryset``: ``IN (subquery)``, and on PostgreSQL ``= ANY(ARRAY(subquery))``.

    The subquery runs once (an InitPlan) and its array is an index condition, so an OR of two such
    conditions on two indexed columns is a BitmapOr of two index scans; ``IN (subquery)`` inside an
    OR is a filter tested on every row of a full scan instead (the officers' scope, issue 20).
    """

    lookup_name = "in_subquery"

    def _sides(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        return lhs, rhs, (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", params


models.ForeignKey.register_lookup(InSubquery)
