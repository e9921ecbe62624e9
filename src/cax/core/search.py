"""The one search over everything a user may see (issue 19.5; docs/search.md, decision 0010).

Apps register ``core.registry.SearchSource``s. Indexed sources keep one ``core.SearchEntry`` per
object, written here from the ``post_save`` / ``post_delete`` of their model (so every write path,
service, register import or command, keeps it in step, inside the write's transaction) and rebuilt
by ``./cax manage search_reindex``. A query reads every indexed kind in one SQL statement: each
kind's rows are kept only when their object is in that source's ``visible_to(actor)`` (a subquery:
the index never decides who sees what), ranked by title hits then the full-text rank. Sensitive
sources (persons under management) are searched by their own app, once per page, first page only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.module_loading import import_string

from cax.core import bulk
from cax.core.models import SearchEntry
from cax.core.registry import SearchSource, registry
from cax.core.text import search_key

MAX_QUERY = 200  # characters read of the query: a search box, not a document
MAX_WORDS = 8
PAGE_SIZE = 20
SENSITIVE_LIMIT = 10


@dataclass(frozen=True)
class Document:
    """What an object gives the index: its ``title`` (shown, and ranked first), searchable ``body``
    text (folded, never shown), the ``line`` shown under the title, and its owning unit's id."""

    title: str
    body: str = ""
    line: str = ""
    unit_id: int | None = None


@dataclass(frozen=True)
class Hit:
    kind: str
    label: Any
    title: str
    line: str
    url: str
    unit: str = ""


# -- the sources ------------------------------------------------------------------------------------


def sources() -> list[SearchSource]:
    return list(registry.search)


def indexed_sources() -> list[SearchSource]:
    return [s for s in registry.search if s.model]


def source_for_model(model: type) -> SearchSource | None:
    label = model._meta.label
    for source in registry.search:
        if source.model == label:
            return source
    return None


def source_of(kind: str) -> SearchSource | None:
    return next((s for s in registry.search if s.kind == kind), None)


@cache
def _call(dotted: str):
    return import_string(dotted)


def visible(source: SearchSource, actor):
    """The source's objects the actor sees: its own selector when it names one, else the model's
    ``visible_to`` (the rule every list of that model starts from)."""
    if source.visible:
        return _call(source.visible)(actor)
    return apps.get_model(source.model).objects.visible_to(actor)


# -- keeping the index in step ----------------------------------------------------------------------


def entry_for(source: SearchSource, obj) -> Any:
    doc = _call(source.document)(obj)
    if doc is None:
        return None
    title = (doc.title or "")[:300]
    return bulk.new(
        SearchEntry,
        {
            "kind": source.kind,
            "object_id": obj.pk,
            "unit_id": doc.unit_id,
            "title": title,
            "line": (doc.line or "")[:300],
            "title_key": words_key(title)[:300],
            "body_key": words_key(doc.body),
        },
    )


def words_key(text: str | None) -> str:
    """The text folded and cut into the words a query is cut into: PostgreSQL's 'simple' parser
    keeps "sh-51-7777" as one token that the query's "sh", "51", "7777" never meet."""
    return " ".join(re.findall(r"[0-9a-z]+", search_key(text or "")))


_FIELDS = ["unit", "title", "line", "title_key", "body_key"]


def index_object(source: SearchSource, obj) -> None:
    """Write (or remove) the object's row: one statement, an upsert on (kind, object id)."""
    entry = entry_for(source, obj)
    if entry is None:
        SearchEntry.objects.filter(kind=source.kind, object_id=obj.pk).delete()
        return
    _upsert([entry])


def _upsert(rows: list) -> None:
    """One statement: insert, or rewrite the row of the same (kind, object id)."""
    SearchEntry.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["kind", "object_id"], update_fields=_FIELDS
    )


def index_bulk(objs, *, created: bool = False) -> None:
    """Write the rows of objects saved in bulk (``bulk_create``/``bulk_update`` send no signal):
    the officer import, the demo loaders. One upsert for all (core.bulk: a COPY on PostgreSQL);
    ``created``: objects inserted in this transaction, whose ids no row can hold yet, are inserted
    without the upsert's staging table. Objects of a model no source names are ignored."""
    objs = [o for o in objs if o.pk is not None]
    source = source_for_model(type(objs[0])) if objs else None
    if source is None:
        return
    rows = [e for e in (entry_for(source, o) for o in objs) if e is not None]
    if created:
        bulk.insert(rows)
    else:
        bulk.upsert(rows, unique_fields=["kind", "object_id"], update_fields=_FIELDS)


def on_save(sender, instance, raw=False, **kwargs) -> None:
    source = None if raw else source_for_model(sender)
    if source is not None:
        index_object(source, instance)


def on_delete(sender, instance, **kwargs) -> None:
    source = source_for_model(sender)
    if source is not None:
        SearchEntry.objects.filter(kind=source.kind, object_id=instance.pk).delete()


def reindex(kinds: list[str] | None = None, chunk: int = 2000) -> dict[str, int]:
    """Rebuild the rows of every indexed source (or of ``kinds``): for data written without the
    model's signals (bulk loads of the official tree, raw SQL) and after a source changes what it
    indexes. Returns the rows written per kind."""
    from django.db import transaction

    written: dict[str, int] = {}
    for source in indexed_sources():
        if kinds and source.kind not in kinds:
            continue
        with transaction.atomic():
            SearchEntry.objects.filter(kind=source.kind).delete()
            model = apps.get_model(source.model)
            batch, count = [], 0
            for obj in model._default_manager.order_by("pk").iterator(chunk_size=chunk):
                entry = entry_for(source, obj)
                if entry is not None:
                    batch.append(entry)
                if len(batch) >= chunk:
                    count += len(SearchEntry.objects.bulk_create(batch))
                    batch = []
            count += len(SearchEntry.objects.bulk_create(batch))
        written[source.kind] = count
    return written


# -- reading ----------------------------------------------------------------------------------------


def words_of(q: str | None) -> list[str]:
    """The query's words, folded like the index ("ĐĂK HÀ" → ["dak", "ha"]); letters and digits
    only, so they are safe in a tsquery and match the tokens PostgreSQL's 'simple' parser makes."""
    return re.findall(r"[0-9a-z]+", search_key((q or "")[:MAX_QUERY]))[:MAX_WORDS]


def _visibility_q(actor) -> Q | None:
    """Each indexed kind's rows whose object the actor sees, by that source's rule (None: no kind)."""
    condition, any_kind = Q(), False
    for source in indexed_sources():
        objects = visible(source, actor)
        if objects.query.is_empty():
            continue
        condition |= Q(kind=source.kind, object_id__in=objects.values("pk"))
        any_kind = True
    return condition if any_kind else None


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _matching(qs, words: list[str]):
    if _postgres():
        tsquery = " & ".join(f"{w}:*" for w in words)
        match = RawSQL("core_searchentry.document @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField())
        rank = RawSQL(
            "ts_rank(core_searchentry.document, to_tsquery('simple', %s))", [tsquery], output_field=FloatField()
        )
        return qs.alias(matched=match).filter(matched=True).annotate(text_rank=rank)
    for word in words:
        qs = qs.filter(Q(title_key__contains=word) | Q(body_key__contains=word))
    return qs.annotate(text_rank=Value(0.0, output_field=FloatField()))


def _ranked(qs, words: list[str]):
    """Title hits first: the whole query as the title, then as its start, then each word in it;
    within equal boosts, the full-text rank (PostgreSQL) and the title's order."""
    phrase = " ".join(words)
    boost = Case(When(title_key=phrase, then=Value(100)), default=Value(0)) + Case(
        When(title_key__startswith=phrase, then=Value(50)), default=Value(0)
    )
    for word in words:
        boost = boost + Case(When(title_key__contains=word, then=Value(10)), default=Value(0))
    return qs.annotate(rank=boost + F("text_rank")).order_by("-rank", "title_key", "kind", "object_id")


def entries(actor, q: str | None, *, page: int = 1, page_size: int = PAGE_SIZE) -> tuple[list, bool]:
    """One page of index hits across every kind the actor may see, best first, and whether another
    page follows (one statement: page_size + 1 rows are read, no count)."""
    words = words_of(q)
    condition = _visibility_q(actor) if words else None
    if condition is None:
        return [], False
    qs = _ranked(_matching(SearchEntry.objects.filter(condition), words), words).select_related("unit")
    start = (page - 1) * page_size
    rows = list(qs[start : start + page_size + 1])
    return rows[:page_size], len(rows) > page_size


def hit_of(entry) -> Hit:
    source = source_of(entry.kind)
    return Hit(
        kind=entry.kind,
        label=source.label if source else entry.kind,
        title=entry.title,
        line=entry.line,
        url=reverse(source.url_name, args=[entry.object_id]) if source else "",
        unit=entry.unit.name if entry.unit_id else "",
    )


def sensitive_hits(actor, q: str | None, *, channel: str = "web", limit: int = SENSITIVE_LIMIT) -> list[Hit]:
    """Hits of the sources searched in their own app (each decides and logs who reads them)."""
    words = words_of(q)
    if not words:
        return []
    hits: list[Hit] = []
    for source in sources():
        if source.searcher:
            hits.extend(_call(source.searcher)(actor=actor, words=words, limit=limit, channel=channel))
    return hits


def search(actor, q: str | None, *, page: int = 1, page_size: int = PAGE_SIZE, channel: str = "web") -> dict:
    """What the page and the API show: the sensitive hits (first page only), the ranked page of
    index hits and whether more follow."""
    rows, more = entries(actor, q, page=page, page_size=page_size)
    return {
        "sensitive": sensitive_hits(actor, q, channel=channel) if page == 1 else [],
        "hits": [hit_of(e) for e in rows],
        "more": more,
        "words": words_of(q),
    }
