"""Demo casualties, commendations and one emulation campaign for a province (the demo uses "51").

Saved through the services (actor None: the system), so every rule and the change log apply; each
record is looked up first, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from cax.honours import services
from cax.honours.models import Casualty, CasualtyKind, Cause, Commendation, CommendationForm, EmulationCampaign

CAMPAIGN_NAME = "Vì an ninh Tổ quốc"

# (commune index, kind, date, cause, severity, place, circumstances)
CASUALTIES = [
    (0, "injured", dt.date(2019, 4, 12), "crime", "serious", "Thôn 3", "Bị đối tượng dùng dao chống trả khi bắt giữ."),
    (1, "injured", dt.date(2020, 10, 28), "rescue", "light", "Bờ sông Trà Khúc", "Cứu người dân mắc kẹt trong lũ."),
    (2, "killed", dt.date(2021, 8, 3), "traffic", "", "Quốc lộ 1A", "Bị xe tải tông khi làm nhiệm vụ kiểm soát."),
    (3, "injured", dt.date(2022, 2, 14), "crime", "light", "Chợ trung tâm xã", "Truy bắt đối tượng cướp giật."),
    (0, "injured", dt.date(2023, 9, 19), "rescue", "critical", "Đèo Violắc", "Sạt lở đất khi sơ tán người dân."),
    (4, "injured", dt.date(2024, 9, 7), "rescue", "serious", "Thôn Làng Mới", "Ứng cứu bão số 3."),
    (
        5,
        "injured",
        dt.date(2025, 3, 22),
        "other",
        "light",
        "Trụ sở Công an xã",
        "Bảo vệ trụ sở khi có tụ tập đông người.",
    ),
]
NAMES = ["Nguyễn Văn Hùng", "Trần Minh Tuấn", "Lê Văn Dũng", "Phạm Quốc Bảo", "Võ Thanh Sơn", "Đinh Văn Lực"]


def _province(province):
    from cax.units.models import Unit

    if isinstance(province, Unit):
        return province
    return Unit.objects.current().get(code=str(province))


def load_demo(*, province) -> None:
    """Casualties, a campaign and commendations in the province's first six communes."""
    from cax.personnel.models import Officer
    from cax.units.models import Unit

    province = _province(province)
    communes = list(Unit.objects.current().commune_level().in_subtree(province).order_by("path")[:6])
    if not communes:
        return
    officers = list(
        Officer.objects.in_subtree(province.path).select_related("unit").order_by("service_number")[: len(NAMES)]
    )
    _load_casualties(communes, officers)
    campaign = _load_campaign(province, communes)
    _load_commendations(province, communes, officers, campaign)


def _load_casualties(communes, officers) -> None:
    """The casualties of ``CASUALTIES``, injured officers named from the province's registry."""
    for index, (commune, kind, day, cause, severity, place, circumstances) in enumerate(CASUALTIES):
        officer = officers[index % len(officers)] if officers and kind == CasualtyKind.INJURED else None
        data = {
            "unit": communes[commune % len(communes)],
            "officer": officer,
            "full_name": officer.full_name if officer else NAMES[index % len(NAMES)],
            "kind": kind,
            "date": day,
            "cause": Cause(cause),
            "severity": severity,
            "place": place,
            "circumstances": circumstances,
        }
        if services.casualty_match(Casualty.objects.all(), data) is None:
            services.casualty_save(actor=None, instance=None, data=data)


def _load_campaign(province, communes) -> EmulationCampaign:
    """The province's emulation campaign of 2025, its communes taking part."""
    campaign = EmulationCampaign.objects.filter(
        unit=province, name=CAMPAIGN_NAME, starts_on=dt.date(2025, 1, 1)
    ).first()
    if campaign is None:
        campaign = services.campaign_save(
            actor=None,
            instance=None,
            data={
                "unit": province,
                "name": CAMPAIGN_NAME,
                "starts_on": dt.date(2025, 1, 1),
                "ends_on": dt.date(2025, 12, 31),
                "description": "Phong trào toàn dân bảo vệ an ninh Tổ quốc; xây dựng Công an xã trong sạch, vững mạnh.",
                "participants": communes,
            },
        )
    return campaign


def _load_commendations(province, communes, officers, campaign) -> None:
    """Unit and individual awards by the province's director, some within the campaign."""
    # Official names carry no "Tỉnh" (Quảng Ngãi) but do carry "Thành phố" (Thành phố Hà Nội).
    place = province.name if province.name.startswith(("Thành phố", "Tỉnh")) else f"tỉnh {province.name}"
    issuer = f"Giám đốc Công an {place}"
    commendations = [
        {"unit": communes[0], "form": CommendationForm.VICTORIOUS_UNIT, "decision_number": "125/QĐ-CAT",
         "decision_date": dt.date(2024, 12, 20), "reason": "Hoàn thành xuất sắc nhiệm vụ năm 2024."},
        {"unit": communes[1], "form": CommendationForm.ADVANCED_UNIT, "decision_number": "125/QĐ-CAT",
         "decision_date": dt.date(2024, 12, 20), "reason": "Hoàn thành tốt nhiệm vụ năm 2024."},
        {"unit": communes[0], "form": CommendationForm.MERIT_CERTIFICATE, "decision_number": "2031/QĐ-CAT",
         "decision_date": dt.date(2025, 8, 15), "reason": "Thành tích trong phong trào Vì an ninh Tổ quốc.",
         "campaign": campaign},
    ]  # fmt: skip
    for index, officer in enumerate(officers[:3]):
        commendations.append(
            {
                "unit": communes[index % len(communes)],
                "officer": officer,
                "form": CommendationForm.MERIT_CERTIFICATE if index else CommendationForm.EMULATION_FIGHTER,
                "decision_number": "2031/QĐ-CAT",
                "decision_date": dt.date(2025, 8, 15),
                "reason": "Dũng cảm cứu người trong mưa lũ." if index else "Chiến sĩ thi đua cơ sở năm 2025.",
                "campaign": campaign,
            }
        )
    if not officers:  # a province loaded without officers still shows individual awards, by unit
        commendations.append(
            {"unit": communes[2], "form": CommendationForm.PROVINCE_CERTIFICATE, "decision_number": "88/QĐ-UBND",
             "decision_date": dt.date(2023, 1, 10), "reason": "Thành tích phòng, chống thiên tai năm 2022.",
             "issuer": f"UBND {place}"}
        )  # fmt: skip
    for data in commendations:
        data.setdefault("issuer", issuer)
        if services.commendation_match(Commendation.objects.all(), data) is None:
            services.commendation_save(actor=None, instance=None, data=data)
