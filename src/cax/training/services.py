"""Every rule of the training records: the form, the Excel import and the API save through here."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from cax.core.exceptions import refuse_if_any
from cax.core.records.services import save_record
from cax.core.text import search_key, vn_date
from cax.training.models import Course, Participant, Result, Topic


def _next_course_code(course: Course) -> str:
    prefix = f"{course.unit.code}-{course.starts_on.year}-"
    taken = set(Course.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


def _check_course(course: Course) -> None:
    fields = {}
    if course.starts_on and course.ends_on and course.ends_on < course.starts_on:
        fields["ends_on"] = [
            _("Ngày kết thúc {e} trước ngày bắt đầu {s}.").format(
                e=vn_date(course.ends_on), s=vn_date(course.starts_on)
            )
        ]
    if course.topic == Topic.LANGUAGE and not course.language.strip():
        fields["language"] = [_("Khoá học tiếng dân tộc phải ghi tên tiếng dân tộc (ví dụ Xơ Đăng).")]
    if course.topic != Topic.LANGUAGE and course.language.strip():
        fields["language"] = [_("Chỉ khoá học tiếng dân tộc mới ghi tên tiếng dân tộc.")]
    if course.pk and course.starts_on and course.ends_on:
        outside = (
            Participant.objects.filter(course=course, completed_on__isnull=False)
            .exclude(completed_on__gte=course.starts_on)
            .count()
        )
        if outside:
            fields["starts_on"] = [
                _("{n} học viên có ngày hoàn thành trước ngày bắt đầu mới {s}.").format(
                    n=outside, s=vn_date(course.starts_on)
                )
            ]
    refuse_if_any(fields)
    course.language = course.language.strip()
    if not course.code:
        course.code = _next_course_code(course)


def course_save(*, actor, instance, data) -> Course:
    return save_record(
        actor=actor,
        instance=instance,
        model=Course,
        data=data,
        perm="training.change_course",
        denied=_("Bạn không có quyền cập nhật khoá đào tạo, tập huấn."),
        validate=_check_course,
    )


def _check_participant(participant: Participant) -> None:
    fields = {}
    course = participant.course
    if bool(participant.officer_id) == bool(participant.team_member_id):
        message = (
            _("Mỗi dòng chỉ ghi một người: hoặc cán bộ, hoặc thành viên tổ bảo vệ ANTT.")
            if participant.officer_id
            else _("Chưa ghi cán bộ hoặc thành viên tổ bảo vệ ANTT.")
        )
        fields["officer"] = [message]
        fields["team_member"] = [message]
        refuse_if_any(fields)
    today = timezone.localdate()
    if participant.completed and participant.completed_on is None:
        fields["completed_on"] = [_("Học viên đã hoàn thành phải có ngày hoàn thành.")]
    if participant.completed_on is not None and not participant.completed:
        fields["completed"] = [_("Có ngày hoàn thành nhưng chưa đánh dấu hoàn thành.")]
    if participant.completed_on is not None:
        if participant.completed_on < course.starts_on:
            fields["completed_on"] = [
                _("Ngày hoàn thành {c} trước ngày khoá học bắt đầu {s}.").format(
                    c=vn_date(participant.completed_on), s=vn_date(course.starts_on)
                )
            ]
        elif participant.completed_on > today:
            fields["completed_on"] = [_("Ngày hoàn thành {c} ở tương lai.").format(c=vn_date(participant.completed_on))]
    if participant.completed and participant.result == Result.FAIL:
        fields["result"] = [_("Kết quả “Không đạt” thì không thể đánh dấu hoàn thành.")]
    person_field = "officer" if participant.officer_id else "team_member"
    duplicate = (
        Participant.objects.filter(course=course, **{f"{person_field}_id": getattr(participant, f"{person_field}_id")})
        .exclude(pk=participant.pk)
        .exists()
    )
    if duplicate:
        fields[person_field] = [
            _("{name} đã có trong khoá học “{course}”.").format(name=participant.person_name, course=course)
        ]
    refuse_if_any(fields)


def _record_language(participant: Participant, actor) -> None:
    """An officer who completed an ethnic-minority language course speaks that language (seed 000).

    Written through the personnel service so the officer's change log shows it. The organiser who
    records the result rarely may edit officer records, so the system writes it, naming the user.
    """
    from cax.personnel.models import Officer
    from cax.personnel.services import officer_upsert

    course = participant.course
    if not (participant.completed and participant.officer_id and course.topic == Topic.LANGUAGE and course.language):
        return
    officer = Officer.objects.select_related("unit").get(pk=participant.officer_id)
    spoken = [(lang.name, lang.is_ethnic_minority) for lang in officer.languages.all()]
    if any(search_key(name) == search_key(course.language) for name, _minority in spoken):
        return
    who = actor.get_username() if actor is not None else _("hệ thống")
    officer_upsert(
        actor=None,
        service_number=officer.service_number,
        languages=[*spoken, (course.language, True)],
        message=_("Hoàn thành khoá học tiếng {lang} “{course}” ({code}), ghi nhận bởi {who}").format(
            lang=course.language, course=course.title, code=course.code, who=who
        ),
    )


def participant_save(*, actor, instance, data) -> Participant:
    participant = save_record(
        actor=actor,
        instance=instance,
        model=Participant,
        data=data,
        perm="training.change_participant",
        denied=_("Bạn không có quyền cập nhật học viên."),
        validate=_check_participant,
    )
    _record_language(participant, actor)
    return participant
