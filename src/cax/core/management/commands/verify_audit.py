from django.core.management.base import BaseCommand, CommandError

from cax.core.auditchain import protected_models, verify


class Command(BaseCommand):
    help = (
        "Kiểm tra chuỗi mã băm của mọi nhật ký chỉ ghi thêm (nhật ký thay đổi, nhật ký xem danh tính…): "
        "báo mắt xích đứt đầu tiên của mỗi chuỗi (bảng, id bản ghi, chỗ sai). Mã thoát 1 nếu có."
    )

    def handle(self, *args, **options):
        total, broken = 0, []
        for model in protected_models():
            report = verify(model)
            total += report.rows
            if report.broken:
                broken.append(report.broken)
                self.stderr.write(f"Chuỗi đứt: {report.broken}")
            elif options["verbosity"] > 1:
                self.stdout.write(f"{report.table}: {report.rows} bản ghi, mã băm cuối {report.last_hash}")
        if broken:
            raise CommandError(f"{len(broken)} chuỗi nhật ký bị đứt (xem từng dòng ở trên).")
        self.stdout.write(self.style.SUCCESS(f"Chuỗi nhật ký nguyên vẹn: {total} bản ghi"))
