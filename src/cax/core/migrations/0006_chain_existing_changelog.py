"""The change-log rows written before the hash chain existed get their place in it (issue 16.2).

Their triggers are off for this transaction only (an owner may: the migration runs as the owner).
"""

from django.db import migrations


def chain(apps, schema_editor):
    from cax.core.auditchain import chain_existing_rows
    from cax.core.dbroles import triggers_lifted

    with triggers_lifted(schema_editor.connection, "core_changelog"):
        chain_existing_rows(apps.get_model("core", "ChangeLog"), apps.get_model("core", "AuditChain"))


class Migration(migrations.Migration):
    dependencies = [("core", "0005_audit_chain")]
    # Going back drops the chain's columns (0005); there is nothing to undo here.
    operations = [migrations.RunPython(chain, migrations.RunPython.noop)]
