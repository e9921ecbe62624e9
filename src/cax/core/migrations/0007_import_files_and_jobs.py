"""Import files move from a database column to storage (issue 16.1), and background jobs (16.6).

A batch uploaded before this migration keeps working: its bytes are written to a file first.
"""

import os

import django.db.models.deletion
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
import uuid
from django.conf import settings
from django.db import migrations, models


def content_to_files(apps, schema_editor):
    ImportBatch = apps.get_model("core", "ImportBatch")
    for batch in ImportBatch.objects.exclude(content=None).iterator(chunk_size=20):
        data = bytes(batch.content)
        extension = os.path.splitext(batch.filename)[1].lower()[:10]
        batch.file.save(f"{batch.uuid}{extension}", ContentFile(data), save=False)
        batch.size = len(data)
        batch.save(update_fields=["file", "size"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_chain_existing_changelog"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="file",
            field=models.FileField(default="", max_length=255, upload_to="imports/%Y/%m/"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="importbatch",
            name="size",
            field=models.PositiveBigIntegerField(default=0, verbose_name="kích thước"),
        ),
        migrations.RunPython(content_to_files, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="importbatch",
            name="content",
        ),
        migrations.CreateModel(
            name="Job",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("kind", models.CharField(max_length=64, verbose_name="loại công việc")),
                ("unit_path", models.CharField(blank=True, max_length=255, verbose_name="đơn vị")),
                ("params", models.JSONField(default=dict)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("queued", "Đang chờ"),
                            ("running", "Đang chạy"),
                            ("done", "Xong"),
                            ("failed", "Thất bại"),
                        ],
                        default="queued",
                        max_length=16,
                        verbose_name="trạng thái",
                    ),
                ),
                ("done", models.PositiveIntegerField(default=0)),
                ("total", models.PositiveIntegerField(default=0)),
                ("message", models.CharField(blank=True, max_length=255)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("max_attempts", models.PositiveSmallIntegerField(default=3)),
                ("task_id", models.CharField(blank=True, max_length=64)),
                ("schedule_key", models.CharField(blank=True, max_length=100, null=True, unique=True)),
                ("worker", models.CharField(blank=True, max_length=160)),
                ("heartbeat", models.DateTimeField(blank=True, null=True)),
                ("result", models.JSONField(blank=True, encoder=DjangoJSONEncoder, null=True)),
                ("error", models.TextField(blank=True, verbose_name="lý do")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc")),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "công việc nền",
                "verbose_name_plural": "công việc nền",
                "indexes": [models.Index(fields=["state", "heartbeat"], name="core_job_state_ebd9c4_idx")],
            },
        ),
    ]
