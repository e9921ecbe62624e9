# ruff: noqa: E501 — message ids are whole sentences, kept on one line for the translators
"""Words for the planner's findings, reasons and rule breaches, in the reader's language.

The optimizer returns codes and numbers; the sentences are written here once, for the pages, the
API and the Excel draft alike."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cax.core import formatting


def _km(value) -> str:
    return formatting.number(float(value), 1)


def _langs(values) -> str:
    return ", ".join(values)


_NEEDS = {
    "chief": lambda: _("Trưởng Công an"),
    "investigator": lambda: _("điều tra viên"),
    "speaker": lambda: _("người biết tiếng dân tộc"),
}


def finding_text(code: str, detail: dict, unit_name: str = "") -> tuple[str, str]:
    """(what is wrong, what would fix it) for one infeasibility finding."""
    texts = {**_pool_texts(detail), **_unit_texts(detail, unit_name), **_combined_texts(detail, unit_name)}
    # Each sentence is built only for its own code: the others' placeholders are not in ``detail``.
    text = texts.get(code)
    return text() if text else (_("Không có phương án thỏa mãn mọi quy định bắt buộc."), "")


def _pool_texts(d: dict) -> dict:
    """Findings about the pool as a whole (``optimizer.diagnose``'s sizes and scarcities)."""
    return {
        "pool_too_small": lambda: (
            _("Nguồn có {pool} cán bộ nhưng các xã cần ít nhất {needed} để đủ mức tối thiểu.").format(**d),
            _(
                "Bổ sung ít nhất {n} cán bộ vào nguồn (ví dụ chọn “Toàn bộ cán bộ trong đơn vị”) hoặc giảm mức tối thiểu."
            ).format(n=d.get("needed", 0) - d.get("pool", 0)),
        ),
        "pool_too_large": lambda: (
            _("Nguồn có {pool} cán bộ nhưng các xã chỉ nhận tối đa {room}.").format(**d),
            _("Tăng “tối đa vượt định biên” thêm hoặc bớt {n} cán bộ khỏi nguồn.").format(
                n=d.get("pool", 0) - d.get("room", 0)
            ),
        ),
        "officer_nowhere": lambda: (
            _(
                "Một cán bộ trong nguồn không được phép đến xã nào (giới hạn khoảng cách, quê quán hoặc giữ nguyên vị trí)."
            ),
            _("Nới giới hạn khoảng cách cho cán bộ hoàn cảnh khó khăn hoặc tăng số xã xét cho mỗi cán bộ."),
        ),
        "too_few_chiefs": lambda: (
            _("{needed} xã cần Trưởng Công an nhưng nguồn chỉ có {in_pool} cán bộ đủ điều kiện.").format(**d),
            _("Bổ sung {n} cán bộ đủ điều kiện làm Trưởng.").format(n=d.get("needed", 0) - d.get("in_pool", 0)),
        ),
        "too_few_investigators": lambda: (
            _("Các xã cần {needed} điều tra viên nhưng nguồn chỉ có {in_pool}.").format(**d),
            _("Bổ sung {n} điều tra viên vào nguồn.").format(n=d.get("needed", 0) - d.get("in_pool", 0)),
        ),
        "too_few_speakers": lambda: (
            _("{needed} xã cần người biết tiếng {language} nhưng nguồn chỉ có {in_pool}.").format(**d),
            _("Bổ sung {n} cán bộ biết tiếng {language}.").format(
                n=d.get("needed", 0) - d.get("in_pool", 0), language=d.get("language", "")
            ),
        ),
    }


def _unit_texts(d: dict, u: str) -> dict:
    """Findings about one unit ``u`` that no plan can satisfy, whatever the other units get."""
    return {
        "kept_over_maximum": lambda: (
            _("{u} đã có {kept} cán bộ ngoài nguồn, vượt mức tối đa {maximum}.").format(u=u, **d),
            _("Đưa các cán bộ này vào nguồn hoặc tăng mức tối đa."),
        ),
        "minimum_over_maximum": lambda: (
            _("{u}: mức tối thiểu {minimum} lớn hơn mức tối đa {maximum}.").format(u=u, **d),
            _("Sửa định biên của đơn vị."),
        ),
        "unit_full": lambda: (
            _("{u} đã có {kept}/{maximum} cán bộ ngoài nguồn nhưng còn thiếu {what}; không ai đến được.").format(
                u=u, kept=d["kept"], maximum=d["maximum"], what=", ".join(_NEEDS[n]() for n in d["needs"])
            ),
            _("Chọn nguồn “Toàn bộ cán bộ trong đơn vị” (cho phép điều động cán bộ của xã) hoặc tăng mức tối đa."),
        ),
        "unit_out_of_reach": lambda: (
            _("{u} cần {needed} cán bộ nhưng chỉ {reachable} cán bộ trong nguồn được phép đến.").format(u=u, **d),
            _("Nới giới hạn khoảng cách, tăng số xã xét cho mỗi cán bộ hoặc bổ sung cán bộ gần {u}.").format(u=u),
        ),
        "no_chief": lambda: (
            _(
                "{u} cần Trưởng Công an; nguồn không có cán bộ đủ điều kiện (cấp bậc, thâm niên) đến được xã này."
            ).format(u=u),
            _("Bổ sung cán bộ đủ điều kiện vào nguồn hoặc hạ điều kiện cấp bậc, thâm niên của Trưởng."),
        ),
        "no_investigator": lambda: (
            _("{u} cần {needed} điều tra viên; nguồn chỉ có {reachable} điều tra viên đến được xã này.").format(
                u=u, **d
            ),
            _("Bổ sung điều tra viên vào nguồn hoặc nới giới hạn khoảng cách."),
        ),
        "no_speaker": lambda: (
            _(
                "{u} cần người biết tiếng {langs}; nguồn không có ai đến được xã này ({n} người biết tiếng trong nguồn)."
            ).format(u=u, langs=_langs(d.get("languages", [])), n=d.get("in_pool", 0)),
            _("Bổ sung cán bộ biết tiếng {langs} vào nguồn.").format(langs=_langs(d.get("languages", []))),
        ),
    }


def _combined_texts(d: dict, u: str) -> dict:
    """Findings of the LP (an artificial column left in its optimum): unit ``u`` cannot have what it
    needs together with the other units."""
    return {
        "combined_short": lambda: (
            _("{u} không thể đủ mức tối thiểu cùng lúc với các xã khác (thiếu {missing}).").format(u=u, **d),
            _("Bổ sung cán bộ ở gần hoặc nới giới hạn khoảng cách."),
        ),
        "combined_over": lambda: (
            _("{u} phải nhận quá mức tối đa (thừa {missing}) vì cán bộ không được đi xã khác.").format(u=u, **d),
            _("Tăng mức tối đa hoặc nới giới hạn khoảng cách."),
        ),
        "combined_chief": lambda: (
            _("{u} không thể có Trưởng khi các xã khác cũng cần (cán bộ đủ điều kiện không đủ chia).").format(u=u),
            _("Bổ sung cán bộ đủ điều kiện làm Trưởng."),
        ),
        "combined_investigator": lambda: (
            _("{u} không thể có đủ điều tra viên khi các xã khác cũng cần.").format(u=u),
            _("Bổ sung điều tra viên vào nguồn."),
        ),
        "combined_speaker": lambda: (
            _("{u} không thể có người biết tiếng {langs} khi các xã khác cũng cần.").format(
                u=u, langs=_langs(d.get("languages", []))
            ),
            _("Bổ sung cán bộ biết tiếng {langs}.").format(langs=_langs(d.get("languages", []))),
        ),
    }


def reason_text(code: str, params: dict, unit_names: dict[int, str]) -> str:
    """One reason an officer was placed where the plan puts them."""
    p = params
    if code == "stays":
        return _("giữ nguyên đơn vị")
    if code == "moves":
        return _("chuyển từ {u}").format(u=unit_names.get(p.get("from"), "?"))
    if code == "new":
        return _("bố trí mới")
    if code == "home":
        return _("xã nơi gia đình sinh sống")
    if code == "km":
        if p.get("measured"):
            return _("cách nơi ở {km} km").format(km=_km(p["km"]))
        return _("cách nơi ở khoảng {km} km (theo cây đơn vị)").format(km=_km(p["km"]))
    if code == "no_home":
        return _("chưa có nơi ở trong hồ sơ")
    if code == "hardship":
        if p.get("limit") is not None:
            return _("hoàn cảnh khó khăn: trong giới hạn {limit} km").format(limit=_km(p["limit"]))
        return _("hoàn cảnh khó khăn")
    if code == "speaker":
        return _("biết tiếng {langs} của địa bàn").format(langs=_langs(p.get("languages", [])))
    if code == "language_unused":
        return _("tiếng {langs} không dùng ở xã này").format(langs=_langs(p.get("languages", [])))
    if code == "investigator":
        return _("điều tra viên (xã cần ít nhất {n})").format(n=p.get("needed", 0))
    if code == "chief":
        return _("giữ chức Trưởng") if p.get("stays") else _("đủ điều kiện, được đề xuất làm Trưởng")
    return code


def violation_text(code: str, detail: dict, unit_name: str = "", officer_name: str = "") -> str:
    d, u, o = detail, unit_name, officer_name
    texts = {
        "unassigned": lambda: _("{o} chưa được bố trí.").format(o=o),
        "assigned_twice": lambda: _("{o} được bố trí hai lần.").format(o=o),
        "unknown": lambda: _("{o}: đơn vị không thuộc phương án.").format(o=o),
        "chief_not_eligible": lambda: _("{o} chưa đủ điều kiện làm Trưởng ({u}).").format(o=o, u=u),
        "hardship_far": lambda: _("{o} (hoàn cảnh khó khăn) cách nhà {km} km, quá giới hạn {limit} km.").format(
            o=o, km=_km(d.get("km", 0)), limit=_km(d.get("limit", 0))
        ),
        "home_commune": lambda: _("{o} được bố trí về xã quê quán ({u}).").format(o=o, u=u),
        "moved_while_fixed": lambda: _("{o} bị chuyển trong khi phương án giữ nguyên vị trí.").format(o=o),
        "below_minimum": lambda: _("{u}: {head} cán bộ, dưới mức tối thiểu {minimum}.").format(u=u, **d),
        "above_maximum": lambda: _("{u}: {head} cán bộ, vượt mức tối đa {maximum}.").format(u=u, **d),
        "chief_count": lambda: _("{u}: có {chiefs} Trưởng Công an (phải đúng 1).").format(u=u, **d),
        "investigators": lambda: _("{u}: {have} điều tra viên, cần {need}.").format(u=u, **d),
        "speaker": lambda: _("{u}: không có ai biết tiếng {langs}.").format(u=u, langs=_langs(d.get("languages", []))),
    }
    text = texts.get(code)
    return text() if text else code
