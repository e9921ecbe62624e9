"""The legal clock made whole (issue 14): extension caps counted from receipt, the receiving bodies.

CPC 2015 Art. 147(2): the resolution period "có thể kéo dài nhưng không quá 02 tháng" — the whole
period, counted from receipt — and the procuracy may extend once by no more than 2 months, 4 months
from receipt in all. Migration 0002 seeded `extend_investigation` as 2 months added to the current
deadline, which let an investigating body run 20 days past the law; that row had no basis in the text
and is removed (when it is still as seeded), the caps take its place. In force since the CPC 2015
itself (01/01/2018).
"""

import datetime as dt

from django.db import migrations

CPC_2015 = dt.date(2018, 1, 1)
CAPS = [
    ("cap_investigation", 2, "BLTTHS 2015 Điều 147(2): Cơ quan điều tra gia hạn, tổng thời hạn giải quyết không quá 2 tháng kể từ ngày tiếp nhận"),
    ("cap_procuracy", 4, "BLTTHS 2015 Điều 147(2): Viện kiểm sát gia hạn, tổng thời hạn giải quyết không quá 4 tháng kể từ ngày tiếp nhận"),
]
STACKED = {"code": "extend_investigation", "effective_from": dt.date(2018, 3, 1), "amount": 2, "unit": "months"}
STACKED_BASIS = "BLTTHS 2015 Điều 147(2): gia hạn không quá 2 tháng"
OLD_PROCURACY_BASIS = "BLTTHS 2015 Điều 148, TT 28/2020 Điều 16: gửi Viện kiểm sát trong 24 giờ"
PROCURACY_BASIS = (
    "BLTTHS 2015 Điều 148(2), 154, 158: gửi quyết định tạm đình chỉ, khởi tố, không khởi tố "
    "cho Viện kiểm sát trong 24 giờ"
)
BODIES = [
    ("vks", "Viện kiểm sát nhân dân"),
    ("toa_an", "Tòa án nhân dân"),
    ("cqdt_quan_doi", "Cơ quan điều tra trong Quân đội nhân dân"),
    ("cqdt_vks_toi_cao", "Cơ quan điều tra Viện kiểm sát nhân dân tối cao"),
    ("cqdt_tinh_khac", "Cơ quan điều tra Công an tỉnh, thành phố khác"),
    ("bien_phong", "Bộ đội Biên phòng"),
    ("canh_sat_bien", "Cảnh sát biển"),
    ("kiem_lam", "Kiểm lâm"),
    ("hai_quan", "Hải quan"),
    ("kiem_ngu", "Kiểm ngư"),
    ("khac", "Cơ quan khác (ghi rõ trong ghi chú)"),
]


def forward(apps, schema_editor):
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    for code, months, basis in CAPS:
        DeadlineRule.objects.get_or_create(
            code=code, effective_from=CPC_2015, defaults={"amount": months, "unit": "months", "legal_basis": basis}
        )
    DeadlineRule.objects.filter(**STACKED, effective_to__isnull=True).delete()
    DeadlineRule.objects.filter(code="decision_to_procuracy", legal_basis=OLD_PROCURACY_BASIS).update(
        legal_basis=PROCURACY_BASIS
    )
    ReceivingBody = apps.get_model("cases", "ReceivingBody")
    for order, (code, name) in enumerate(BODIES):
        ReceivingBody.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})


def backward(apps, schema_editor):
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    DeadlineRule.objects.filter(code__in=[code for code, _months, _basis in CAPS], effective_from=CPC_2015).delete()
    DeadlineRule.objects.get_or_create(**STACKED, defaults={"legal_basis": STACKED_BASIS})
    DeadlineRule.objects.filter(code="decision_to_procuracy", legal_basis=PROCURACY_BASIS).update(
        legal_basis=OLD_PROCURACY_BASIS
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_transfers_procuracy_duty")]
    operations = [migrations.RunPython(forward, backward)]
