"""The admin page of imports: upload (format, source, licence, file) → for a CSV, the column
mapping → preview (what each record does, every rejected row with its reasons) → commit, all
at once in one transaction, or nothing."""

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from initiatives.licences import Licence

from .formats import read, tabular
from .importer import ImportConflict, commit, plan
from .records import MAX_BYTES

SESSION_KEY = "exchange_import"
FORMAT_CHOICES = [
    ("gogocarto", _("GoGoCarto (JSON export of a map)")),
    ("data-inclusion", _("data·inclusion structures (JSON)")),
    ("csv", _("CSV (columns mapped in the next step)")),
]


class UploadForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
    source_name = forms.CharField(
        label=_("Source name"),
        max_length=150,
        required=False,
        help_text=_(
            "Names the source for good: importing it again under the same name updates its "
            "records instead of adding copies. Defaults to the file's name."
        ),
    )
    licence = forms.ChoiceField(
        label=_("Licence of the data"),
        choices=[
            ("", _("As the file states (Licence Ouverte if it states none)")),
            *Licence.choices,
        ],
        required=False,
    )
    file = forms.FileField(label=_("File"))


class MappingForm(forms.Form):
    """Our field → one of the file's columns (or none)."""

    def __init__(self, header, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((column, column) for column in header)]
        for name, (label, _aliases) in tabular.FIELDS.items():
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def import_file(model_admin, request):
    if not request.user.has_perm("initiatives.add_initiative"):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": gettext("Import initiatives from a file"),
    }
    template = "admin/exchange/import.html"
    stored = request.session.get(SESSION_KEY) or {}
    if request.method == "POST" and "upload" in request.POST:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return TemplateResponse(request, template, {**context, "form": form})
        upload = form.cleaned_data["file"]
        content = upload.read(MAX_BYTES + 1)
        text = content.decode("utf-8-sig", errors="replace")
        stored = {
            "format": form.cleaned_data["format"],
            "source_name": form.cleaned_data["source_name"] or upload.name,
            "licence": form.cleaned_data["licence"],
            "file_name": upload.name,
            "content": text,
            "digest": _digest(text),
            "mapping": None,
        }
        request.session[SESSION_KEY] = stored
        if stored["format"] == "csv":
            header, _rows, errors = tabular.table(content)
            if not errors:
                mapping = MappingForm(header, initial=tabular.guess_mapping(header))
                return TemplateResponse(
                    request, template, {**context, "mapping": mapping, "stored": stored}
                )
        return _preview(request, template, context, stored)
    if request.method == "POST" and stored.get("digest") != request.POST.get("digest"):
        messages.error(request, gettext("The preview expired: upload the file again."))
        return HttpResponseRedirect(request.path)
    if request.method == "POST" and "map" in request.POST:
        header, _rows, _errors = tabular.table(stored["content"].encode())
        mapping = MappingForm(header, request.POST)
        if not mapping.is_valid():
            return TemplateResponse(
                request, template, {**context, "mapping": mapping, "stored": stored}
            )
        stored["mapping"] = {k: v for k, v in mapping.cleaned_data.items() if v}
        request.session[SESSION_KEY] = stored
        return _preview(request, template, context, stored)
    if request.method == "POST" and "commit" in request.POST:
        result = _plan(stored)
        if not result.ok:
            return TemplateResponse(request, template, {**context, "plan": result})
        try:
            run = commit(result, by=request.user, file_name=stored["file_name"])
        except ImportConflict as error:
            result.file_errors.append(str(error))
            return TemplateResponse(request, template, {**context, "plan": result})
        del request.session[SESSION_KEY]
        messages.success(
            request,
            gettext(
                "Import done: %(created)d initiatives created (waiting in the review queue), "
                "%(updated)d updated."
            )
            % {"created": run.created, "updated": run.updated},
        )
        return HttpResponseRedirect(reverse("admin:exchange_importrun_changelist"))
    return TemplateResponse(request, template, {**context, "form": UploadForm()})


def _plan(stored):
    records, errors, licence = read(
        stored["format"], stored["content"].encode(), stored.get("mapping")
    )
    return plan(
        records,
        format=stored["format"],
        source_name=stored["source_name"],
        licence=stored["licence"] or licence,
        file_errors=errors,
    )


def _preview(request, template, context, stored):
    result = _plan(stored)
    return TemplateResponse(
        request,
        template,
        {**context, "plan": result, "stored": stored, "form": UploadForm()},
    )
