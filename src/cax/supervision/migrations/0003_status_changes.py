import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Files recorded before status history was kept: their present status from their last event's
    day (or the day the decision arrived), so a count as of a past day has a row to read."""
    SupervisionFile = apps.get_model("supervision", "SupervisionFile")
    Event = apps.get_model("supervision", "Event")
    StatusChange = apps.get_model("supervision", "StatusChange")
    last_event = {
        row["file_id"]: row["last"]
        for row in Event.objects.values("file_id").annotate(last=models.Max("on")).order_by()
    }
    rows = [
        StatusChange(file_id=f.pk, status=f.status, on=max(f.received_on, last_event.get(f.pk, f.received_on)))
        for f in SupervisionFile.objects.only("pk", "status", "received_on").iterator()
    ]
    StatusChange.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0002_categories_and_rules")]

    operations = [
        migrations.CreateModel(
            name="StatusChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("waiting", "Chờ tiếp nhận"),
                            ("active", "Đang quản lý"),
                            ("absent", "Vắng mặt có phép"),
                            ("moved", "Đã chuyển đi"),
                            ("violated", "Vi phạm"),
                            ("ended", "Kết thúc"),
                        ],
                        max_length=16,
                        verbose_name="trạng thái",
                    ),
                ),
                ("on", models.DateField(verbose_name="từ ngày")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="ghi lúc")),
                (
                    "file",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="status_changes",
                        to="supervision.supervisionfile",
                    ),
                ),
            ],
            options={
                "verbose_name": "trạng thái theo ngày",
                "verbose_name_plural": "trạng thái theo ngày",
                "ordering": ["file", "on", "pk"],
                "indexes": [models.Index(fields=["file", "on"], name="supervision_status_file_on")],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
