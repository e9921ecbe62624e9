"""The pages the register does not give: a document's file (upload, download), "đã đọc" and the
list of who has not read it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cax.core.exceptions import DomainError
from cax.core.idempotency import submit_once
from cax.core.records.views import detail_context
from cax.core.uploads import LimitedFileField
from cax.library import policy, selectors, services
from cax.library.registers import DOCUMENTS


class FileForm(forms.Form):
    file = LimitedFileField(label=gettext_lazy("Tệp PDF hoặc DOCX"), limit="CAX_ATTACHMENT_MAX_BYTES")


def _detail(request, doc, *, file_form=None, status=200):
    context = detail_context(request, DOCUMENTS, doc)
    context["file_form"] = file_form or FileForm()
    return render(request, DOCUMENTS.detail_template, context, status=status)


@login_required
@require_POST
@submit_once
def document_upload(request, pk: int):
    doc = selectors.document_get(actor=request.user, pk=pk)
    policy.require_publisher(request.user, doc)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_attach_file(actor=request.user, document=doc, name=upload.name, content=upload.read())
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("Đã tải tệp lên."))
            return redirect(DOCUMENTS.url("detail", doc.pk))
    return _detail(request, doc, file_form=form, status=400)


@login_required
def document_download(request, pk: int):
    doc = selectors.document_get(actor=request.user, pk=pk)  # the audience and scope decide
    if not doc.file:
        raise Http404(_("Tài liệu không có tệp."))
    response = FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=doc.file_name, content_type=doc.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
@submit_once
def document_acknowledge(request, pk: int):
    doc = selectors.document_get(actor=request.user, pk=pk)
    services.document_acknowledge(actor=request.user, document=doc)
    messages.success(request, _("Đã xác nhận đã đọc tài liệu."))
    return redirect(DOCUMENTS.url("detail", doc.pk))


@login_required
def document_unread(request, pk: int):
    doc = selectors.document_get(actor=request.user, pk=pk)
    total, done, groups = selectors.unread_by_unit(actor=request.user, document=doc)
    return render(
        request,
        "library/document_unread.html",
        {"object": doc, "register": DOCUMENTS, "total": total, "done": done, "groups": groups},
    )


@login_required
def pending(request):
    """The documents waiting for the user's "đã đọc" (the home page's to-do line opens this)."""
    policy.require_reader(request.user)
    documents = list(selectors.pending_for(request.user).order_by("-issued_on", "pk")[:200])
    return render(request, "library/pending.html", {"documents": documents, "register": DOCUMENTS})
