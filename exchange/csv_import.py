"""CSV import of initiatives by curators: the export's columns, previewed (here), applied all or
nothing (``csv_commit.py``).

A file is read whole and checked before anything is written: wrong encoding, missing columns
or any bad row reject the whole file, with every reason shown in the preview.
"""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contributions.forms import refuse_markup
from initiatives.exports import EXPORT_COLUMNS, FORMULA_TRIGGERS, MULTI_VALUE_SEPARATOR
from initiatives.models import (
    CLASSIFICATION_FIELDS,
    Initiative,
    LegalForm,
)
from ssemap.text import plain_text
from territories.models import Territory

# Columns the import reads; the others of the export (commune name, EPCI, department, region,
# source, updated_at, url, location precision) are derived or managed here, so they are
# ignored when present; so are the areas served, entered in the admin.
DERIVED_COLUMNS = {
    "areas_served",
    "commune",
    "epci",
    "department",
    "region",
    "source",
    "source_name",
    "source_identifier",
    "licence",
    "updated_at",
    "url",
    "location_precision",
    "confirmed_at",  # said by its people (freshness/), not by a file
}
IMPORTED_COLUMNS = [column for column in EXPORT_COLUMNS if column not in DERIVED_COLUMNS]
MODEL_FIELDS = [c if c != "commune_code" else "commune" for c in IMPORTED_COLUMNS if c != "slug"]
TRUE_VALUES = {"1", "true", "yes", "oui", "x", "vrai"}
FALSE_VALUES = {"", "0", "false", "no", "non", "faux"}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000


class KnownChoiceField(forms.ModelChoiceField):
    """A choice looked up in ``known`` (key → object), loaded once for the whole file, instead
    of one query per row."""

    def __init__(self, known, **kwargs):
        self.known = known
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.known[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class KnownMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several choices looked up in ``known``, as :class:`KnownChoiceField`."""

    def __init__(self, known, **kwargs):
        self.known = known
        super().__init__(**kwargs)

    def _check_values(self, value):
        unknown = [v for v in value if str(v) not in self.known]
        if unknown:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": unknown[0]},
            )
        return list(dict.fromkeys(self.known[str(v)] for v in value))

    def clean(self, value):
        if not self.required and value in self.empty_values:
            return []  # not queryset.none(), which compiles a query each time it is read
        return super().clean(value)


def known_values(records, header):
    """The communes and reference data the file names, each loaded in one query."""
    column = dict(zip(header, range(len(header)), strict=False))

    def values(name):
        found = set()
        for record in records:
            if len(record) > column[name]:
                found.update(v.strip() for v in record[column[name]].split(MULTI_VALUE_SEPARATOR))
        return found - {""}

    known = {
        "commune": {
            commune.code: commune
            for commune in Territory.objects.communes().filter(code__in=values("commune_code"))
        },
        "legal_form": LegalForm.objects.in_bulk(values("legal_form"), field_name="slug"),
    }
    for name in CLASSIFICATION_FIELDS:
        model = Initiative._meta.get_field(name).related_model
        known[name] = model.objects.in_bulk(values(name), field_name="slug")
    return known


class ImportRowForm(forms.ModelForm):
    """One CSV row, validated like any initiative; reference data named by slug."""

    legal_form = forms.ModelChoiceField(
        LegalForm.objects.all(), to_field_name="slug", required=False
    )
    commune = forms.ModelChoiceField(
        Territory.objects.communes(),
        to_field_name="code",
        error_messages={"invalid_choice": _("No commune has this INSEE code.")},
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)
    low_tech = forms.BooleanField(required=False)

    class Meta:
        model = Initiative
        fields = ["slug", *MODEL_FIELDS]

    year_started = forms.IntegerField(required=False, min_value=1800, max_value=2100)

    def __init__(self, *args, known=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.file_lookups:  # shared fields, set up already (form_for_file)
            return
        self.fields["slug"].required = False
        # As the public form: no markup in them. (Our CSV has no contact_email column since
        # the listed address stopped being public: an import never blanks it either.)
        for name in ("website", "contact_email"):
            if name in self.fields:
                self.fields[name].validators.append(refuse_markup)
        for name in CLASSIFICATION_FIELDS:  # by slug
            model = Initiative._meta.get_field(name).related_model
            self.fields[name] = forms.ModelMultipleChoiceField(
                model.objects.all(), to_field_name="slug", required=name == "themes"
            )
        if known is not None:  # a whole file: lookups loaded once (known_values)
            for name in ("commune", "legal_form", *CLASSIFICATION_FIELDS):
                field = self.fields[name]
                kind = (
                    KnownMultipleChoiceField if name in CLASSIFICATION_FIELDS else KnownChoiceField
                )
                self.fields[name] = kind(
                    known[name],
                    queryset=field.queryset,
                    to_field_name="code" if name == "commune" else "slug",
                    required=field.required,
                    error_messages=field.error_messages,
                )

    file_lookups = False

    def _get_validation_exclusions(self):
        # With the lookups loaded once, the commune is a row read from the database already:
        # the model's own foreign-key check would query it again for every row.
        exclusions = super()._get_validation_exclusions()
        if isinstance(self.fields["commune"], KnownChoiceField):
            exclusions.add("commune")
        return exclusions

    def validate_constraints(self):
        # Initiative's check constraints are ranges and choices that this form's fields check
        # themselves (latitude, longitude, year started) or that the import sets (status,
        # source): Django would run one query per constraint and row to check them again.
        pass

    def clean(self):
        cleaned = super().clean()
        for name in ("name", "summary", "organisation", "address", "contact_phone"):
            if cleaned.get(name):
                cleaned[name] = plain_text(cleaned[name])
        if cleaned.get("description"):
            cleaned["description"] = plain_text(cleaned["description"], single_line=False)
        commune = cleaned.get("commune")
        if commune and cleaned.get("latitude") is None and cleaned.get("longitude") is None:
            cleaned["latitude"], cleaned["longitude"] = commune.latitude, commune.longitude
        elif (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("latitude", _("Give both the latitude and the longitude, or neither."))
        return cleaned


class SharedField:
    """A field whose copy is itself: the rows of one file share their form's fields."""

    def __deepcopy__(self, memo):
        return self


def form_for_file(known):
    """:class:`ImportRowForm` for one file, its fields built once with the file's lookups and
    shared by every row's form (a form copies its fields, which was most of a row's cost); none
    is changed once built."""
    template = ImportRowForm(known=known)
    fields = {
        name: type(type(item).__name__, (SharedField, type(item)), {})
        for name, item in template.fields.items()
    }
    for name, item in template.fields.items():
        item.__class__ = fields[name]
    return type("FileRowForm", (ImportRowForm,), {**template.fields, "file_lookups": True})


def comparable(name, value):
    """A field's value in a form that compares and displays well."""
    if name in CLASSIFICATION_FIELDS:
        return " | ".join(sorted(item.slug for item in value))
    if name == "legal_form":
        return value.slug if value else ""
    if name == "commune":
        return value.code if value else ""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(round(value, 6))
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


@dataclass
class RowResult:
    line: int
    slug: str
    name: str
    action: str = "create"  # create, update, unchanged or rejected
    changes: list = field(default_factory=list)  # {field, label, old, new}
    errors: list = field(default_factory=list)
    form: ImportRowForm | None = None


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    @property
    def rejected(self):
        return [row for row in self.rows if row.errors]

    @property
    def ok(self):
        return not self.file_errors and not self.rejected and bool(self.rows)

    @property
    def summary(self):
        actions = ["create", "update", "unchanged", "rejected"]
        return {a: sum(1 for row in self.rows if row.action == a) for a in actions}


def unformula(value):
    """Undo the export's protection against spreadsheet formulas ("'+33 …" → "+33 …")."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def row_data(record):
    data = {}
    for column in IMPORTED_COLUMNS:
        value = unformula((record.get(column) or "").strip())
        if column in CLASSIFICATION_FIELDS:
            data[column] = [v.strip() for v in value.split(MULTI_VALUE_SEPARATOR) if v.strip()]
        elif column == "commune_code":
            data["commune"] = value
        elif column == "low_tech":
            data[column] = "on" if value.lower() in TRUE_VALUES else ""
            if value.lower() not in TRUE_VALUES | FALSE_VALUES:
                data["_low_tech_invalid"] = value
        else:
            data[column] = value
    return data


def decode(content):
    try:
        return content.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return None, gettext(
            "The file is not UTF-8 text (byte %(position)d cannot be read). Save it as "
            "“CSV UTF-8” from your spreadsheet and try again."
        ) % {"position": error.start + 1}


def parse(content):
    """Read ``content`` (bytes) into an :class:`ImportPlan`; writes nothing."""
    plan = ImportPlan()
    if len(content) > MAX_BYTES:
        plan.file_errors.append(gettext("The file is larger than 5 MB: split it in several files."))
        return plan
    text, error = decode(content)
    if error:
        plan.file_errors.append(error)
        return plan
    if "\x00" in text:
        plan.file_errors.append(gettext("The file contains binary data: it is not a CSV file."))
        return plan
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        plan.file_errors.append(gettext("The file is not valid CSV: %(error)s") % {"error": error})
        return plan
    if not records:
        plan.file_errors.append(gettext("The file is empty."))
        return plan
    header = [h.strip().lower() for h in records[0]]
    missing = [c for c in IMPORTED_COLUMNS if c not in header]
    if missing:
        plan.file_errors.append(
            gettext("Columns missing from the first line: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
        return plan
    unknown = [h for h in header if h and h not in EXPORT_COLUMNS]
    if unknown:
        plan.notices.append(
            gettext("Unknown columns, ignored: %(columns)s.") % {"columns": ", ".join(unknown)}
        )
    body = [(n, r) for n, r in enumerate(records[1:], start=2) if any(c.strip() for c in r)]
    if len(body) > MAX_ROWS:
        plan.file_errors.append(
            gettext("The file has %(count)d rows; at most %(max)d at a time.")
            % {"count": len(body), "max": MAX_ROWS}
        )
        return plan
    if not body:
        plan.file_errors.append(gettext("The file has a header but no rows."))
        return plan
    existing = Initiative.objects.in_bulk(
        [r[header.index("slug")].strip() for _, r in body if len(r) == len(header)],
        field_name="slug",
    )
    seen = {}
    known = known_values([r for _, r in body], header)
    form_class = form_for_file(known)
    for line, values in body:
        plan.rows.append(parse_row(line, header, values, existing, seen, known, form_class))
    if plan.ok:
        plan_slugs(plan)
    return plan


def plan_slugs(plan):
    """Give each new row without a slug the one it will have, shown in the preview and used at
    commit: free in the database and among the file's own slugs, wherever they are in the file
    (a row lower down may name the slug an earlier row's name would otherwise take)."""
    new = [row for row in plan.rows if row.action == "create" and not row.slug]
    bases = {
        id(row): slugify(row.form.cleaned_data.get("name") or row.name)[:150] or "initiative"
        for row in new
    }
    taken = {row.slug for row in plan.rows if row.slug}
    distinct = sorted(set(bases.values()))
    for start in range(0, len(distinct), 500):  # a few queries for the whole file
        starts = Q()
        for base in distinct[start : start + 500]:
            starts |= Q(slug__startswith=base)
        taken.update(Initiative.objects.filter(starts).values_list("slug", flat=True))
    for row in new:
        base = bases[id(row)]
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        row.slug = slug
        taken.add(slug)


def parse_row(line, header, values, existing, seen, known=None, form_class=ImportRowForm):
    record = dict(zip(header, values, strict=False))
    result = RowResult(
        line=line, slug=(record.get("slug") or "").strip(), name=record.get("name", "")
    )
    if len(values) != len(header):
        result.action = "rejected"
        result.errors.append(
            gettext("%(count)d values where the header has %(expected)d columns.")
            % {"count": len(values), "expected": len(header)}
        )
        return result
    if result.slug:
        if result.slug in seen:
            result.errors.append(
                gettext("The slug “%(slug)s” is already used on line %(line)d.")
                % {"slug": result.slug, "line": seen[result.slug]}
            )
        seen[result.slug] = line
    data = row_data(record)
    instance = existing.get(result.slug)
    # Validation writes the row into the instance: read its current values first.
    before = snapshot(instance) if instance is not None else {}
    form = form_class(data, instance=instance, known=known)
    result.form = form
    if data.get("_low_tech_invalid"):
        result.errors.append(
            gettext("low_tech: “%(value)s” is not 1 or 0.") % {"value": data["_low_tech_invalid"]}
        )
    if not form.is_valid():
        for name, errors in form.errors.items():
            column = "commune_code" if name == "commune" else name
            prefix = f"{column}: " if name != "__all__" else ""
            result.errors.extend(f"{prefix}{e}" for e in errors)
    if result.errors:
        result.action = "rejected"
        return result
    result.changes = changes(before, form.cleaned_data)
    if instance is None:
        result.action = "create"
    else:
        result.action = "update" if result.changes else "unchanged"
    return result


def snapshot(instance):
    values = {}
    for name in ["slug", *MODEL_FIELDS]:
        value = getattr(instance, name)
        values[name] = comparable(name, value.all() if name in CLASSIFICATION_FIELDS else value)
    return values


def changes(before, cleaned):
    """What the row changes, field by field; every non-empty field for a new row."""
    rows = []
    for name in ["slug", *MODEL_FIELDS]:
        if name not in cleaned:
            continue
        new, old = comparable(name, cleaned[name]), before.get(name, "")
        if name == "slug" and not new:
            continue
        if new != old:
            label = Initiative._meta.get_field(name).verbose_name
            rows.append({"field": name, "label": label, "old": old, "new": new})
    return rows
