"""The password hasher: Argon2id with parameters from OWASP's table (issue 20.5).

Django's own Argon2PasswordHasher fixes m=100 MiB, t=2, p=8, so every sign-in took a gunicorn
worker ~100 MB above its steady state, the web process's largest memory peak. CAX uses one of
the Password Storage Cheat Sheet's equivalent Argon2id settings instead, m=12 MiB, t=3, p=1
(docs/decisions/0014), which keeps a sign-in under ``LOGIN_MEMORY_BUDGET_BYTES``
(bench/login_memory.py measures it on the production server).

The algorithm keeps Django's name, ``argon2``: a hash stored with Django's parameters still
verifies (Argon2 reads m, t and p from the hash itself), and ``must_update`` sees that its
parameters differ from these, so the next successful sign-in stores a new hash.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ImproperlyConfigured

# What one sign-in may add to a worker's peak memory (issue 20.5), in bytes. The parameters'
# memory (m KiB) is almost all of it; accounts/tests/test_hashers.py measures the rest.
LOGIN_MEMORY_BUDGET_BYTES = 20 * 1000 * 1000

# OWASP Password Storage Cheat Sheet, "Argon2id" (checked December 2026): settings that give "an
# equal level of defense", (memory in KiB, iterations), all with p=1. The first two rows are only
# for Argon2id, which is the only variant this hasher makes.
OWASP_ARGON2ID_MINIMUMS = ((47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5))


def meets_owasp_minimum(memory_kib: int, time_cost: int) -> bool:
    """At least one row of OWASP's table in both memory and iterations (more of either only adds
    work for an attacker)."""
    return any(memory_kib >= m and time_cost >= t for m, t in OWASP_ARGON2ID_MINIMUMS)


def check_parameters() -> None:
    """Refuses to start with parameters weaker than OWASP's (settings CAX_ARGON2_*), like the
    settings refuse a weak secret key: a typo in cax.env must not weaken every new hash."""
    memory, time_cost, lanes = (
        settings.CAX_ARGON2_MEMORY_KIB,
        settings.CAX_ARGON2_TIME_COST,
        settings.CAX_ARGON2_PARALLELISM,
    )
    if lanes < 1 or not meets_owasp_minimum(memory, time_cost):
        rows = ", ".join(f"m={m} t={t}" for m, t in OWASP_ARGON2ID_MINIMUMS)
        raise ImproperlyConfigured(
            f"CAX_ARGON2_MEMORY_KIB={memory}, CAX_ARGON2_TIME_COST={time_cost}, "
            f"CAX_ARGON2_PARALLELISM={lanes} are below OWASP's Argon2id minimum (one of {rows}; p ≥ 1)."
        )


class Argon2idPasswordHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher with CAX's parameters, read from the settings at each use (so a
    changed setting, or a test's override, applies without restarting Django's hasher cache)."""

    def params(self):
        return dataclasses.replace(
            super().params(),
            memory_cost=settings.CAX_ARGON2_MEMORY_KIB,
            time_cost=settings.CAX_ARGON2_TIME_COST,
            parallelism=settings.CAX_ARGON2_PARALLELISM,
        )
