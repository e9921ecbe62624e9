"""Is a report about to be registered already in the register? A score, not a shared word.

A second report of the same incident (the victim comes in, the village head phones) names the same
day, the same place and the same kind of offence. A shared word ("tài sản", "xe máy") says nothing:
counted alone it made every case of the commune "similar" to every new one (issue 17.7). So each
candidate is scored on what an officer would compare, and only those past THRESHOLD are shown, with
the reasons, so the officer can judge in a glance.

The weights are here, together, so they are tuned in one place. Why these values:

- One signal alone never reaches THRESHOLD: busy communes have several reports a day, and several
  thefts a week in the same village.
- The same day and the same place together do (3 + 3): two reports of one night's fight in "thôn 5".
- The same day and nearly the same words do (3 + 3), which is a double entry of one report.
- A near day (within WINDOW_DAYS) weighs little (1): it needs place and group, or place and words.
- Two different offence groups, both known, speak against (−3): a theft and a traffic accident in
  the same village on the same day are two reports. So do two different villages, both named (−3):
  "trộm cắp tài sản tại thôn 3" and "… tại thôn 7" share every word but the one that matters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WINDOW_DAYS = 3  # a report made later than this about the same incident is rare; candidates are read within it
SAME_DAY = 3
NEAR_DAY = 1
SAME_PLACE = 3
OTHER_PLACE = -3
SAME_GROUP = 2
OTHER_GROUP = -3
SIMILAR_WORDS = 2  # at least SIMILAR_OVERLAP of the shorter summary's word pairs in common
SAME_WORDS = 3  # at least SAME_OVERLAP: the same text, typed again
SIMILAR_OVERLAP = 0.5
SAME_OVERLAP = 0.8
THRESHOLD = 6
CANDIDATE_LIMIT = 200  # a commune has a few reports a week: 200 in a week is far beyond any real register

# Names of places inside a commune, as summaries write them: "tại thôn 5", "chợ Đăk Hà", "tổ 3".
# "tổ" and "đội" only with a number: "tổ chức" and "đội ngũ" are not places.
_PLACE = re.compile(
    r"\b(thôn|xóm|ấp|bản|buôn|làng|plei|tổ dân phố|tdp|khu phố|khối|chợ|trường|tổ(?= \d)|đội(?= \d))"
    r"\s+(\d+\w*|\w+(?:\s+\w+)?)",
    re.IGNORECASE,
)
# Words after a place name that are not part of it ("thôn 5 xã Đăk Hà", "chợ lúc 8 giờ").
_NOT_A_NAME = {"xã", "phường", "thị", "huyện", "tỉnh", "lúc", "vào", "ngày", "khi", "của", "và", "bị", "có", "đã"}
# Grammar words: they join any two summaries and tell nothing about the incident.
_STOP = {
    "tại", "ở", "của", "và", "bị", "là", "có", "cho", "về", "một", "các", "những", "đã", "đang", "được",
    "trong", "trên", "với", "khi", "lúc", "ngày", "giờ", "xã", "phường", "thị", "trấn", "huyện", "tỉnh",
    "địa", "bàn", "việc", "vụ", "người", "anh", "chị", "ông", "bà", "em", "này", "đó", "nên", "thì", "mà",
}  # fmt: skip


def _words(text: str) -> list[str]:
    # Diacritics are kept: folded, "tại" (at) and "tài" (as in "tài sản", property) are one word.
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())


def places(text: str) -> dict[str, str]:
    """Places a summary names, keyed without diacritics or case ("thon 5") → as written ("Thôn 5")."""
    from cax.core.text import search_key

    found = {}
    for match in _PLACE.finditer(unicodedata.normalize("NFC", text)):
        marker, name = match.group(1), match.group(2).split()
        if name and name[-1].casefold() in _NOT_A_NAME:
            name = name[:-1]
        if not name or name[0].casefold() in _NOT_A_NAME:
            continue
        written = f"{marker} {' '.join(name)}"
        found[search_key(written)] = written
    return found


def word_pairs(text: str) -> set[tuple[str, str]]:
    """Neighbouring words of a summary, places and grammar words left out: Vietnamese words are
    mostly two syllables ("trộm cắp", "xe máy"), so pairs compare meaning far better than syllables."""
    bare = _PLACE.sub(" ", unicodedata.normalize("NFC", text).casefold())
    words = [w for w in _words(bare) if w not in _STOP]
    return set(zip(words, words[1:], strict=False)) if len(words) > 1 else {(w, "") for w in words}


@dataclass(frozen=True)
class Report:
    """What the registration form knows of the new report."""

    unit_id: int
    received_at: dt.datetime
    summary: str
    incident_at: dt.datetime | None = None
    incident_unit_id: int | None = None
    category_id: int | None = None

    @classmethod
    def of(cls, unit: Any, values: dict[str, Any]) -> Report:
        """The report as the registration form (or the API) gives it, for ``unit``'s register."""
        incident_unit, category = values.get("incident_unit"), values.get("category")
        return cls(
            unit_id=unit.pk,
            received_at=values["received_at"],
            summary=values["summary"],
            incident_at=values.get("incident_at"),
            incident_unit_id=incident_unit.pk if incident_unit else None,
            category_id=category.pk if category else None,
        )

    @property
    def moment(self) -> dt.datetime:
        return self.incident_at or self.received_at

    def window(self) -> tuple[dt.datetime, dt.datetime]:
        """The time span candidates are read in: WINDOW_DAYS either side of the day, whole days."""
        day = timezone.localtime(self.moment).date()
        first = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=WINDOW_DAYS), dt.time.min))
        last = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=WINDOW_DAYS), dt.time.max))
        return first, last


@dataclass
class Match:
    case: Any
    score: int
    reasons: list[str] = field(default_factory=list)


def score(report: Report, case: Any, *, pairs: set | None = None, named: dict | None = None) -> Match:
    """How much ``case`` looks like the same incident as ``report``, and why."""
    match = Match(case, 0)

    def add(points: int, reason: str | None = None) -> None:
        match.score += points
        if reason:
            match.reasons.append(reason)

    days = abs(
        (
            timezone.localtime(report.moment).date() - timezone.localtime(case.incident_at or case.received_at).date()
        ).days
    )
    if days == 0:
        add(SAME_DAY, _("cùng ngày"))
    elif days <= WINDOW_DAYS:
        add(NEAR_DAY, ngettext("cách {n} ngày", "cách {n} ngày", days).format(n=days))

    named = places(report.summary) if named is None else named
    theirs_named = places(case.summary)
    shared = [written for key, written in theirs_named.items() if key in named]
    # The incident unit counts only when it says more than "in this commune", the default.
    same_unit = (
        report.incident_unit_id not in (None, report.unit_id) and case.incident_unit_id == report.incident_unit_id
    )
    if shared:
        add(SAME_PLACE, _("cùng {place}").format(place=shared[0]))
    elif same_unit:
        add(SAME_PLACE, _("cùng nơi xảy ra"))
    elif named and theirs_named:
        add(OTHER_PLACE)

    if report.category_id and case.category_id:
        if report.category_id == case.category_id:
            add(SAME_GROUP, _("cùng nhóm tội"))
        else:
            add(OTHER_GROUP)

    pairs = word_pairs(report.summary) if pairs is None else pairs
    theirs = word_pairs(case.summary)
    if pairs and theirs:
        overlap = len(pairs & theirs) / min(len(pairs), len(theirs))
        if overlap >= SAME_OVERLAP:
            add(SAME_WORDS, _("nội dung gần như trùng"))
        elif overlap >= SIMILAR_OVERLAP:
            add(SIMILAR_WORDS, _("nội dung gần giống"))
    return match


def likely_duplicates(report: Report, candidates, *, limit: int = 10) -> list[Match]:
    """The candidates at or above THRESHOLD, best first."""
    pairs, named = word_pairs(report.summary), places(report.summary)
    matches = [score(report, case, pairs=pairs, named=named) for case in candidates]
    kept = [m for m in matches if m.score >= THRESHOLD]
    kept.sort(key=lambda m: (-m.score, -m.case.received_at.timestamp()))
    return kept[:limit]
