"""Vocabularies of the crime-report register (CPC 2015 Art. 144–149, 157)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DENUNCIATION = "denunciation", _("Tố giác về tội phạm")
    REPORT = "report", _("Tin báo về tội phạm")
    PETITION = "petition", _("Kiến nghị khởi tố")
    CONFESSION = "confession", _("Tự thú")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    PHONE = "phone", _("Điện thoại")
    POST = "post", _("Bưu chính")
    ONLINE = "online", _("Trực tuyến, VNeID")
    MEDIA = "media", _("Phương tiện thông tin đại chúng")
    TRANSFERRED_IN = "transferred_in", _("Cơ quan khác chuyển đến")


class ReporterKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANIZATION = "organization", _("Cơ quan, tổ chức")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    PRELIMINARY_CHECK = "preliminary_check", _("Kiểm tra, xác minh sơ bộ")
    TRANSFERRED = "transferred", _("Đã chuyển đơn vị, cơ quan khác")
    TAKEN_UP = "taken_up", _("Điều tra viên tại Công an xã thụ lý")
    VERIFYING = "verifying", _("Đang xác minh")
    EXTENDED = "extended", _("Đã gia hạn")
    PROSECUTED = "prosecuted", _("Khởi tố vụ án")
    NOT_PROSECUTED = "not_prosecuted", _("Không khởi tố vụ án")
    SUSPENDED = "suspended", _("Tạm đình chỉ giải quyết")
    RESUMED = "resumed", _("Phục hồi giải quyết")
    CLOSED = "closed", _("Kết thúc")


class NonProsecutionGround(models.TextChoices):
    """CPC Art. 157."""

    NO_EVENT = "no_event", _("Không có sự việc phạm tội")
    NOT_A_CRIME = "not_a_crime", _("Hành vi không cấu thành tội phạm")
    UNDER_AGE = "under_age", _("Người thực hiện chưa đến tuổi chịu trách nhiệm hình sự")
    ALREADY_JUDGED = "already_judged", _("Đã có bản án hoặc quyết định đình chỉ có hiệu lực")
    TIME_BARRED = "time_barred", _("Đã hết thời hiệu truy cứu trách nhiệm hình sự")
    AMNESTY = "amnesty", _("Được đại xá")
    OFFENDER_DEAD = "offender_dead", _("Người thực hiện đã chết")
    NO_VICTIM_REQUEST = "no_victim_request", _("Bị hại không yêu cầu khởi tố (Điều 155)")


class SuspensionGround(models.TextChoices):
    """CPC Art. 148(1)."""

    AWAITING_EXPERTISE = "awaiting_expertise", _("Chờ kết quả giám định, định giá tài sản, tương trợ tư pháp")
    AWAITING_EVIDENCE = "awaiting_evidence", _("Chờ tài liệu, đồ vật quan trọng được yêu cầu cung cấp")
    FORCE_MAJEURE = "force_majeure", _("Bất khả kháng do thiên tai, dịch bệnh")


class AttachmentKind(models.TextChoices):
    RECEIPT_RECORD = "receipt_record", _("Biên bản tiếp nhận")
    RECORDING = "recording", _("Ghi âm, ghi hình")
    DOCUMENT = "document", _("Tài liệu")
    DECISION = "decision", _("Quyết định")
    OTHER = "other", _("Khác")


class EventKind(models.TextChoices):
    """What a timeline entry records: a workflow step, or a duty done without changing the status."""

    STEP = "step", _("Bước giải quyết")
    PROCURACY_NOTICE = "procuracy_notice", _("Gửi quyết định cho Viện kiểm sát")


# The deadline rules (cases.deadlines codes, DeadlineRule.code) by the name a user reads next to a
# deadline: the code is a storage key, never shown.
RULE_LABELS = {
    "transfer": _("thời hạn chuyển nguồn tin"),
    "resolve": _("thời hạn giải quyết"),
    "extend_investigation": _("gia hạn của Cơ quan điều tra"),
    "extend_procuracy": _("gia hạn của Viện kiểm sát"),
    "cap_investigation": _("thời hạn tối đa khi Cơ quan điều tra gia hạn"),
    "cap_procuracy": _("thời hạn tối đa khi Viện kiểm sát gia hạn"),
    "extension_request_lead": _("hạn đề nghị gia hạn"),
    "after_resumption": _("thời hạn sau khi phục hồi giải quyết"),
    "decision_to_procuracy": _("hạn gửi quyết định cho Viện kiểm sát"),
}


def rule_label(code: str) -> str:
    """The rule's name; a code added to the data without a name here is shown as a generic phrase."""
    return str(RULE_LABELS.get(code, _("quy tắc thời hạn"))) if code else ""
