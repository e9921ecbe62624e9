"""Fixed vocabularies of the officer registry (ranks are set by the Law on the People's Public Security)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Rank(models.TextChoices):
    """CAND ranks, lowest first; ``RANK_ORDER`` compares them (e.g. eligibility for chief)."""

    PRIVATE = "private", _("Binh nhì")
    PRIVATE_FIRST_CLASS = "private_first_class", _("Binh nhất")
    CORPORAL = "corporal", _("Hạ sĩ")
    SERGEANT = "sergeant", _("Trung sĩ")
    SENIOR_SERGEANT = "senior_sergeant", _("Thượng sĩ")
    SECOND_LIEUTENANT = "second_lieutenant", _("Thiếu úy")
    FIRST_LIEUTENANT = "first_lieutenant", _("Trung úy")
    SENIOR_LIEUTENANT = "senior_lieutenant", _("Thượng úy")
    CAPTAIN = "captain", _("Đại úy")
    MAJOR = "major", _("Thiếu tá")
    LIEUTENANT_COLONEL = "lieutenant_colonel", _("Trung tá")
    SENIOR_COLONEL = "senior_colonel", _("Thượng tá")
    COLONEL = "colonel", _("Đại tá")
    MAJOR_GENERAL = "major_general", _("Thiếu tướng")
    LIEUTENANT_GENERAL = "lieutenant_general", _("Trung tướng")
    SENIOR_GENERAL = "senior_general", _("Thượng tướng")
    GENERAL = "general", _("Đại tướng")


RANK_ORDER = {value: index for index, value in enumerate(Rank.values)}


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Trung học phổ thông")
    VOCATIONAL = "vocational", _("Trung cấp")
    COLLEGE = "college", _("Cao đẳng")
    BACHELOR = "bachelor", _("Đại học")
    MASTER = "master", _("Thạc sĩ")
    DOCTOR = "doctor", _("Tiến sĩ")


class OfficerStatus(models.TextChoices):
    ACTIVE = "active", _("Đang công tác")
    ON_LEAVE = "on_leave", _("Nghỉ phép, nghỉ chế độ")
    STUDYING = "studying", _("Đi học")
    TRANSFERRED_OUT = "transferred_out", _("Chuyển công tác ra ngoài")
    RETIRED = "retired", _("Nghỉ hưu")
    DIED_ON_DUTY = "died_on_duty", _("Hy sinh khi làm nhiệm vụ")
    INJURED = "injured", _("Bị thương khi làm nhiệm vụ")


# Statuses that end service in the commune police: the open posting ends with them (issue 14).
ENDING_STATUSES = (OfficerStatus.RETIRED, OfficerStatus.DIED_ON_DUTY, OfficerStatus.TRANSFERRED_OUT)


class SpecialityKind(models.TextChoices):
    INVESTIGATOR = "investigator", _("Điều tra viên")
    LEGAL = "legal", _("Pháp luật")
    IT = "it", _("Công nghệ thông tin")
    TRAFFIC = "traffic", _("Cảnh sát giao thông")
    FIRE_RESCUE = "fire_rescue", _("Phòng cháy, chữa cháy và cứu nạn, cứu hộ")
    RESIDENCE = "residence", _("Quản lý cư trú")
    EXIT_ENTRY = "exit_entry", _("Quản lý xuất nhập cảnh")
    CRIMINAL_POLICE = "criminal_police", _("Cảnh sát hình sự")
    OTHER = "other", _("Khác")


class InvestigatorGrade(models.TextChoices):
    """Grades of Điều tra viên (Law on Organization of Criminal Investigation Bodies)."""

    ELEMENTARY = "elementary", _("Sơ cấp")
    INTERMEDIATE = "intermediate", _("Trung cấp")
    SENIOR = "senior", _("Cao cấp")
