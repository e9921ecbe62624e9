"""Signals other apps listen to, so that personnel never imports them (it sits below them)."""

from django.dispatch import Signal

# Sent with ``officer_ids`` inside the writing transaction after officers' records changed in a way
# figures derived from them may read (sex, specialities, languages): officer_upsert and the officer
# import send it; deployment's staffing levels recompute the units those officers were posted to.
officers_changed = Signal()
