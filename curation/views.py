"""The curators' pages beyond the admin's own: the CSV import (upload, preview, commit)."""

import hashlib

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exchange.csv_commit import ImportConflict, apply
from exchange.csv_import import IMPORTED_COLUMNS, MAX_BYTES, parse
from initiatives.models import Initiative

SESSION_KEY = "initiative_import"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "The columns of the CSV export; several values separated by | with their slugs; "
            "; or , as the delimiter; UTF-8."
        ),
    )


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def import_initiatives(model_admin, request):
    """Upload → preview (what changes, every rejected row) → commit, or nothing."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Initiative._meta,
        "title": gettext("Import initiatives from a CSV file"),
        "columns": IMPORTED_COLUMNS,
    }
    template = "admin/initiatives/initiative/import.html"
    if request.method == "POST" and "commit" in request.POST:
        stored = request.session.get(SESSION_KEY) or {}
        if not stored or stored.get("digest") != request.POST.get("digest"):
            messages.error(request, gettext("The preview expired: upload the file again."))
            return HttpResponseRedirect(request.path)
        plan = parse(stored["content"].encode())
        if not plan.ok:
            return TemplateResponse(
                request, template, {**context, "plan": plan, "form": UploadForm()}
            )
        try:
            created, updated = apply(
                plan, by=request.user, publish=bool(request.POST.get("publish"))
            )
        except ImportConflict as error:
            del request.session[SESSION_KEY]
            plan.file_errors.append(str(error))
            return TemplateResponse(
                request, template, {**context, "plan": plan, "form": UploadForm()}
            )
        del request.session[SESSION_KEY]
        messages.success(
            request,
            gettext("Import done: %(created)d initiatives created, %(updated)d updated.")
            % {"created": created, "updated": updated},
        )
        return HttpResponseRedirect(
            reverse("admin:initiatives_initiative_changelist") + "?status=all"
        )
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read(MAX_BYTES + 1)
            plan = parse(content)
            if plan.ok:
                text = content.decode("utf-8-sig")
                request.session[SESSION_KEY] = {"content": text, "digest": _digest(text)}
                context["digest"] = _digest(text)
            context.update(plan=plan, filename=upload.name)
    else:
        form = UploadForm()
    return TemplateResponse(request, template, {**context, "form": form})
