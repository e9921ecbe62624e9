"""Django's migrate, connected as the owner role when one is configured (issue 16.2).

The app role the site connects as may not create, alter or drop tables; the owner role
(CAX_DB_OWNER_USER) owns them. This command switches the connection of the database being
migrated to the owner for the whole run, data migrations and post_migrate included; after it,
core.dbroles.protect_after_migrate re-grants the app role its rights (docs/decisions/0008).
"""

from django.core.management.commands.migrate import Command as DjangoMigrate

from cax.core.dbroles import connected_as_owner


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        with connected_as_owner(options["database"]):
            return super().handle(*args, **options)
