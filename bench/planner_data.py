"""Random planner instances shaped like ../shared/domain/planner-measurements.md (issue #7).

Officer homes and unit points uniform over a box (a province or Vietnam), each officer allowed
its K nearest units, 15% investigators, 15% eligible for chief, 20% of units needing a speaker of
one of five languages, 8% of officers speaking one, 8% with hardship. Deterministic per seed.
"""

from __future__ import annotations

import numpy as np

from cax.deployment import optimizer as opt

PROVINCE_BOX = ((14.0, 107.5), (15.5, 109.0))
VIETNAM_BOX = ((8.5, 102.1), (23.4, 109.5))
LANGUAGES = ["Xơ Đăng", "Ba Na", "Gia Rai", "Tày", "Thái"]


def instance(officers: int, units: int, *, k: int = 20, seed: int = 1, box=PROVINCE_BOX, **settings) -> opt.Problem:
    rng = np.random.default_rng(seed)
    (lat0, lon0), (lat1, lon1) = box
    unit_points = np.column_stack([rng.uniform(lat0, lat1, units), rng.uniform(lon0, lon1, units)])
    coordinates = {j + 1: (float(a), float(b)) for j, (a, b) in enumerate(unit_points)}
    homes = rng.integers(1, units + 1, officers)  # officers live in communes, like their home_unit
    per_unit = officers // units
    places = []
    for j in range(units):
        langs = frozenset([LANGUAGES[rng.integers(0, 5)]]) if rng.random() < 0.2 else frozenset()
        places.append(
            opt.Place(
                key=j + 1, minimum=max(1, per_unit - 2), maximum=per_unit + 4, min_investigators=1, languages=langs
            )
        )
    people = []
    for i in range(officers):
        lang = frozenset([LANGUAGES[rng.integers(0, 5)]]) if rng.random() < 0.15 else frozenset()
        people.append(
            opt.Officer(
                key=i + 1,
                home=int(homes[i]),
                chief_eligible=bool(rng.random() < 0.15),
                investigator=bool(rng.random() < 0.15),
                languages=lang,
                hardship=bool(rng.random() < 0.08),
            )
        )
    defaults = {"candidates": k, "hardship_max_km": None, "unused_skill": 0.0, "missing_skill": 0.0}
    defaults.update(settings)
    return opt.Problem(
        officers=tuple(people),
        places=tuple(places),
        settings=opt.Settings(**defaults),
        geography=opt.Geography(coordinates=coordinates),
    )
