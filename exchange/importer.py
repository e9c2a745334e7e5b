"""Import of outside records: a preview (what each record would do), then one commit.

Each format (exchange/formats/) reads a file into :class:`~exchange.records.Record`s; ``plan``
validates them as the public form would (plain text, no markup in web or e-mail addresses),
places them (``places.CommuneIndex``), maps their themes (``themes.ThemeMatcher``) and sorts
them: **create**, **update** or **unchanged** (the same source and identifier was imported
before: never a second copy), **duplicate** (a record like an initiative we have, from elsewhere
— flagged for the curator, not inserted) or **rejected** (with its reasons). ``commit`` writes
the created and updated ones in one transaction, in bulk: all of them or none.
"""

from dataclasses import dataclass, field

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contributions.forms import refuse_markup
from initiatives.duplicates import SIMILARITY_THRESHOLD, similarity
from initiatives.geo import grid_position
from initiatives.licences import Licence, may_relabel
from initiatives.models import Initiative, LocationPrecision, Source, Status
from ssemap.text import has_control_characters, plain_text

from .models import ImportRun
from .places import CommuneIndex
from .themes import ThemeMatcher

TEXT_FIELDS = ["name", "summary", "description", "organisation", "address", "contact_phone"]
FIELDS = [*TEXT_FIELDS, "website", "contact_email", "latitude", "longitude"]
# What a re-import may change on a record it created (its curators' other edits stay).
UPDATED_FIELDS = [*FIELDS, "commune", "location_precision"]
BATCH = 500


def model_field(name, **kwargs):
    return Initiative._meta.get_field(name).formfield(**kwargs)


class RecordForm(forms.Form):
    """One record's values, checked as the public form checks them."""

    name = model_field("name")
    summary = model_field("summary")
    description = model_field("description")
    organisation = model_field("organisation")
    address = model_field("address")
    contact_phone = model_field("contact_phone")
    website = model_field("website", validators=[refuse_markup])
    contact_email = model_field("contact_email", validators=[refuse_markup])
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)

    def clean(self):
        cleaned = super().clean()
        for name in TEXT_FIELDS:
            if cleaned.get(name):
                cleaned[name] = plain_text(cleaned[name], single_line=name != "description")
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("latitude", gettext("Give both the latitude and the longitude."))
        return cleaned


@dataclass
class Row:
    line: int
    identifier: str
    name: str
    action: str = "create"  # create, update, unchanged, duplicate or rejected
    reasons: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # names of the fields a re-import changes
    values: dict = field(default_factory=dict)  # model field → value
    themes: list = field(default_factory=list)
    instance: Initiative | None = None  # the record of an earlier import of this source
    duplicate_of: str = ""  # what it duplicates: an initiative's name, or a line of the file
    notes: list = field(default_factory=list)  # what the curator should know of an accepted row


@dataclass
class ImportPlan:
    format: str
    source_name: str
    licence: str = Licence.ETALAB_2
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)

    ACTIONS = ("create", "update", "unchanged", "duplicate", "rejected")

    @property
    def summary(self):
        return {a: sum(1 for row in self.rows if row.action == a) for a in self.ACTIONS}

    @property
    def ok(self):
        """Whether there is something to write and nothing wrong with the file as a whole."""
        return not self.file_errors and any(r.action in ("create", "update") for r in self.rows)

    def of(self, action):
        return [row for row in self.rows if row.action == action]


def summary_text(plan):
    counts = plan.summary
    return (
        gettext(
            "%(create)d new, %(update)d updated, %(unchanged)d unchanged, "
            "%(duplicate)d duplicates of existing initiatives, %(rejected)d rejected"
        )
        % counts
    )


def plan(records, *, format, source_name, licence=Licence.ETALAB_2, file_errors=()):
    """Read ``records`` into an :class:`ImportPlan`; writes nothing."""
    result = ImportPlan(format, source_name, licence, file_errors=list(file_errors))
    if result.file_errors:
        return result
    if not records:
        result.file_errors.append(gettext("The file holds no record."))
        return result
    communes = CommuneIndex.for_records(records)
    themes = ThemeMatcher()
    seen = {}
    for record in records:
        row = check(record, communes, themes)
        if row.action != "rejected" and row.identifier in seen:
            row.action = "rejected"
            row.reasons.append(
                gettext("The identifier “%(id)s” is already on line %(line)d.")
                % {"id": row.identifier, "line": seen[row.identifier]}
            )
        seen.setdefault(row.identifier, row.line)
        result.rows.append(row)
    match_earlier_imports(result)
    flag_duplicates(result)
    return result


def check(record, communes, themes):
    """A record → a :class:`Row`: ``create`` with its values, or ``rejected`` with reasons."""
    row = Row(record.line, record.identifier.strip(), record.name.strip())
    row.reasons.extend(gettext("Unreadable value: %s") % p for p in record.problems)
    data = {name: getattr(record, name) for name in FIELDS}
    # Sources have one text or two: a long first text is cut for the summary and kept whole
    # as the description when there is none.
    summary_limit = Initiative._meta.get_field("summary").max_length
    if len(record.summary) > summary_limit and not record.description:
        data["description"] = record.summary
    data["summary"] = Truncator(plain_text(record.summary or record.description)).chars(
        summary_limit
    )
    data = {k: ("" if v is None else v) for k, v in data.items()}
    if any(has_control_characters(str(v)) for v in data.values()):
        row.reasons.append(gettext("A value holds control characters."))
    form = RecordForm(data)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = gettext("summary or description") if name == "summary" else name
            row.reasons.extend(f"{label}: {e}" if name != "__all__" else e for e in errors)
    commune, reason = communes.resolve(record)
    if reason:
        row.reasons.append(reason)
    row.themes, unmatched = themes.match(record.themes)
    if row.themes and unmatched:
        row.notes.append(
            gettext("Labels without a theme of ours, left out: %(labels)s.")
            % {"labels": ", ".join(f"“{label}”" for label in unmatched)}
        )
    if not row.themes:
        row.reasons.append(
            gettext("No theme of ours matches %(labels)s: add a theme correspondence.")
            % {"labels": ", ".join(f"“{label}”" for label in unmatched) or "—"}
        )
    if not row.identifier and commune is not None:  # a file without ids: its name and place
        row.identifier = f"{slugify(record.name)[:150]}--{commune.code}"
    if not row.identifier:
        row.reasons.append(gettext("No identifier."))
    if row.reasons:
        row.action = "rejected"
        return row
    values = dict(form.cleaned_data)
    values["commune"] = commune
    if values["latitude"] is None:
        values["latitude"], values["longitude"] = commune.latitude, commune.longitude
        values["location_precision"] = LocationPrecision.COMMUNE
    else:
        values["location_precision"] = LocationPrecision.EXACT
    row.values = values
    return row


def comparable(name, value):
    if name == "commune":
        return value.pk if value is not None else None
    if isinstance(value, float):
        return round(value, 6)
    return value


def match_earlier_imports(result):
    """Rows this source imported before become updates (or unchanged), never new copies."""
    rows = {row.identifier: row for row in result.rows if row.action == "create"}
    earlier = Initiative.objects.filter(source_name=result.source_name)
    for start in range(0, len(rows), 1000):
        ids = list(rows)[start : start + 1000]
        found = earlier.filter(source_identifier__in=ids).prefetch_related("themes")
        for instance in found:
            row = rows[instance.source_identifier]
            row.instance = instance
            row.changes = [
                name
                for name in UPDATED_FIELDS
                if comparable(name, getattr(instance, name)) != comparable(name, row.values[name])
            ]
            if {t.pk for t in instance.themes.all()} != {t.pk for t in row.themes}:
                row.changes.append("themes")
            row.action = "update" if row.changes else "unchanged"


def flag_duplicates(result):
    """New rows like an initiative we have (published or pending, in the same commune or
    intercommunality), or like an earlier new row of the file (same commune): not inserted."""
    new = result.of("create")
    if not new:
        return
    communes = {row.values["commune"].pk for row in new}
    epcis = {row.values["commune"].epci_id for row in new} - {None}
    candidates = {}
    existing = (
        Initiative.objects.filter(status__in=[Status.PUBLISHED, Status.PENDING])
        .filter(Q(commune_id__in=communes) | Q(epci_id__in=epcis))
        .values_list("name", "commune_id", "epci_id")
    )
    for name, commune_id, epci_id in existing.iterator(chunk_size=2000):
        candidates.setdefault(("c", commune_id), []).append(name)
        if epci_id:
            candidates.setdefault(("e", epci_id), []).append(name)
    in_file = {}
    for row in new:
        commune = row.values["commune"]
        name = row.values["name"]
        near = candidates.get(("c", commune.pk), []) + candidates.get(("e", commune.epci_id), [])
        like = next((n for n in near if similarity(name, n) >= SIMILARITY_THRESHOLD), None)
        if like is not None:
            row.action, row.duplicate_of = "duplicate", like
            continue
        earlier = in_file.setdefault(commune.pk, [])
        twin = next((r for r in earlier if similarity(name, r.values["name"]) >= 0.9), None)
        if twin is not None:
            row.action = "duplicate"
            row.duplicate_of = gettext("line %(line)d") % {"line": twin.line}
            continue
        earlier.append(row)


def free_slugs(names):
    """A slug for each name, free in the database and among themselves (a few queries)."""
    bases = [slugify(name)[:150] or "initiative" for name in names]
    taken = set()
    distinct = sorted(set(bases))
    for start in range(0, len(distinct), 500):
        starts = Q()
        for base in distinct[start : start + 500]:
            starts |= Q(slug__startswith=base)
        taken.update(Initiative.objects.filter(starts).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def place(initiative, values):
    for name in UPDATED_FIELDS:
        setattr(initiative, name, values[name])
    initiative.copy_commune_containers()
    initiative.tile_x, initiative.tile_y = grid_position(initiative.latitude, initiative.longitude)


class ImportConflict(Exception):
    """Another write took a slug or an identifier of the plan since its preview: nothing of the
    file was written."""


def commit(result, *, by=None, file_name=""):
    """Write the created and updated rows of ``result`` in one transaction; an :class:`ImportRun`.

    Raises :class:`ImportConflict` when the database refuses the plan (another import of the
    same source, or a new initiative taking a slug, since the preview)."""
    if result.file_errors:
        raise ValueError("A plan with file errors cannot be committed.")
    try:
        return _write(result, by, file_name)
    except IntegrityError as error:
        raise ImportConflict(
            gettext(
                "Another import or initiative wrote some of these records since the preview: "
                "nothing was imported. Preview the file again."
            )
        ) from error


def _write(result, by, file_name):
    now = timezone.now()
    reason = f"import {result.format}: {result.source_name}"[:100]
    links = Initiative.themes.through
    new, changed = result.of("create"), result.of("update")
    with transaction.atomic():
        initiatives = []
        for row, slug in zip(new, free_slugs(r.values["name"] for r in new), strict=True):
            initiative = Initiative(
                slug=slug,
                status=Status.PENDING,
                source=Source.IMPORT,
                source_name=result.source_name,
                source_identifier=row.identifier,
                licence=result.licence,
                refreshed_at=now,
                created_at=now,
                updated_at=now,
            )
            place(initiative, row.values)
            initiatives.append(initiative)
        created = bulk_create_with_history(
            initiatives, Initiative, batch_size=BATCH, default_user=by, default_change_reason=reason
        )
        theme_links = [
            links(initiative_id=initiative.pk, theme_id=theme.pk)
            for row, initiative in zip(new, created, strict=True)
            for theme in row.themes
        ]
        updated = []
        for row in changed:
            place(row.instance, row.values)
            row.instance.refreshed_at = row.instance.updated_at = now
            if may_relabel(row.instance.licence, result.licence):  # ODbL stays ODbL
                row.instance.licence = result.licence
            updated.append(row.instance)
        bulk_update_with_history(
            updated,
            Initiative,
            [*UPDATED_FIELDS, "epci", "department", "region", "tile_x", "tile_y", "licence"]
            + ["refreshed_at", "updated_at"],
            batch_size=BATCH,
            default_user=by,
            default_change_reason=reason,
        )
        rethemed = [row for row in changed if "themes" in row.changes]
        links.objects.filter(initiative_id__in=[row.instance.pk for row in rethemed]).delete()
        theme_links += [
            links(initiative_id=row.instance.pk, theme_id=theme.pk)
            for row in rethemed
            for theme in row.themes
        ]
        links.objects.bulk_create(theme_links, batch_size=2000)
        counts = result.summary
        return ImportRun.objects.create(
            format=result.format,
            source_name=result.source_name,
            file_name=file_name[:200],
            licence=result.licence,
            created=counts["create"],
            updated=counts["update"],
            unchanged=counts["unchanged"],
            duplicates=counts["duplicate"],
            rejected=counts["rejected"],
            by=by,
        )
