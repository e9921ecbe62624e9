"""Database triggers that make the change log append-only for everyone, raw SQL included (#3)."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER core_changelog_no_update BEFORE UPDATE ON core_changelog
       BEGIN SELECT RAISE(ABORT, 'core_changelog is append-only'); END""",
    """CREATE TRIGGER core_changelog_no_delete BEFORE DELETE ON core_changelog
       BEGIN SELECT RAISE(ABORT, 'core_changelog is append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER core_changelog_no_update", "DROP TRIGGER core_changelog_no_delete"]

POSTGRES = [
    """CREATE FUNCTION core_changelog_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'core_changelog is append-only'; END $$""",
    """CREATE TRIGGER core_changelog_no_update_delete BEFORE UPDATE OR DELETE ON core_changelog
       FOR EACH ROW EXECUTE FUNCTION core_changelog_append_only()""",
    # TRUNCATE bypasses row triggers, so it needs its own statement-level trigger.
    """CREATE TRIGGER core_changelog_no_truncate BEFORE TRUNCATE ON core_changelog
       FOR EACH STATEMENT EXECUTE FUNCTION core_changelog_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER core_changelog_no_truncate ON core_changelog",
    "DROP TRIGGER core_changelog_no_update_delete ON core_changelog",
    "DROP FUNCTION core_changelog_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
