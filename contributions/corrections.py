"""Suggested corrections: which public values changed, how they differ, accepting or refusing.

A correction stores JSON-friendly values — slugs for reference data, the INSEE code for the
commune — for the changed fields only. Nothing touches the initiative until a curator accepts.

"Changed" means changed by the citizen: the form carries a signed fingerprint of the values it
showed (``seen_token``), so a field a curator edited while the citizen was typing is not sent
back with its old value. The fingerprints of the proposed fields are kept (``Correction.base``):
the diff flags a conflict when the published value has changed since the citizen saw it.
"""

import hashlib
import json

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import (
    CollaborativePractice,
    CorrectionStatus,
    Initiative,
    LegalForm,
    LowTechQuality,
    Theme,
)
from territories.models import Territory

CORRECTABLE_FIELDS = Initiative.PUBLIC_EDITABLE_FIELDS
REFERENCE_MODELS = {"legal_form": LegalForm}
M2M_MODELS = {
    "themes": Theme,
    "practices": CollaborativePractice,
    "low_tech_qualities": LowTechQuality,
    "areas_served": Territory,
}


class CorrectionError(ValueError):
    pass


def to_json(field, value):
    """A value of ``field`` as stored in a correction."""
    if field in M2M_MODELS:
        return sorted(item.slug for item in value)
    if field in REFERENCE_MODELS:
        return value.slug if value else None
    if field == "commune":
        return value.code if value else None
    if isinstance(value, float):
        return round(value, 6)
    return value


def public_values(initiative):
    """The current values of the correctable fields, in correction form."""
    values = {}
    for field in CORRECTABLE_FIELDS:
        value = getattr(initiative, field)
        values[field] = to_json(field, value.all() if field in M2M_MODELS else value)
    return values


SEEN_SALT = "ssemap.corrections.seen"
SEEN_MAX_AGE = 7 * 24 * 3600  # a form left open for a week still counts


def fingerprint(value):
    """A short digest of a value in correction form; all the empty values are alike."""
    if value in ("", None, []):
        value = None
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def seen_token(initiative):
    """The signed fingerprints of the values the correction form shows."""
    values = public_values(initiative)
    return signing.dumps({f: fingerprint(v) for f, v in values.items()}, salt=SEEN_SALT)


def read_seen(token):
    """The fingerprints of a ``seen_token``; None when missing, forged or too old."""
    try:
        seen = signing.loads(token or "", salt=SEEN_SALT, max_age=SEEN_MAX_AGE)
    except signing.BadSignature:
        return None
    return seen if isinstance(seen, dict) else None


def changed_values(initiative, cleaned_data, seen=None):
    """Only the fields the citizen changed: those whose value differs from what the form showed
    (``seen``, from ``read_seen``), or without it from the published value."""
    reference = seen or {f: fingerprint(v) for f, v in public_values(initiative).items()}
    proposed = {f: to_json(f, cleaned_data.get(f)) for f in CORRECTABLE_FIELDS if f in cleaned_data}
    return {f: v for f, v in proposed.items() if fingerprint(v) != reference.get(f)}


def base_of(initiative, proposed, seen=None):
    """The fingerprints, for each proposed field, of the value the citizen started from."""
    reference = seen or {f: fingerprint(v) for f, v in public_values(initiative).items()}
    return {f: reference[f] for f in proposed if f in reference}


def display(field, value):
    """A value in correction form, as a curator reads it."""
    if value in (None, "", []):
        return "—"
    if field in M2M_MODELS:
        names = dict(
            M2M_MODELS[field]
            .objects.filter(slug__in=value)
            .values_list("slug", "name" if field == "areas_served" else "name_fr")
        )
        return ", ".join(names.get(slug, slug) for slug in value)
    if field in REFERENCE_MODELS:
        item = REFERENCE_MODELS[field].objects.filter(slug=value).first()
        return str(item) if item else value
    if field == "commune":
        item = Territory.objects.communes().filter(code=value).select_related("department").first()
        return str(item) if item else value
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def diff(correction):
    """Rows of (field label, published value, proposed value, changed?, conflict?) for each
    proposed field. A conflict: the published value is no longer the one the citizen corrected
    (a curator changed it since), and differs from the proposal."""
    current = public_values(correction.initiative)
    base = correction.base or {}
    rows = []
    for field in CORRECTABLE_FIELDS:
        if field not in correction.proposed:
            continue
        label = Initiative._meta.get_field(field).verbose_name
        proposed = correction.proposed[field]
        changed = fingerprint(proposed) != fingerprint(current[field])
        rows.append(
            {
                "field": field,
                "label": label,
                "current": display(field, current[field]),
                "proposed": display(field, proposed),
                "changed": changed,
                "conflict": changed
                and field in base
                and base[field] != fingerprint(current[field]),
            }
        )
    return rows


def apply_values(initiative, proposed):
    """Set the proposed values on ``initiative``; returns the M2M values to set after saving."""
    m2m = {}
    for field, value in proposed.items():
        if field not in CORRECTABLE_FIELDS:
            continue
        if field in M2M_MODELS:
            found = list(M2M_MODELS[field].objects.filter(slug__in=value or []))
            if len(found) != len(set(value or [])):
                raise CorrectionError(
                    _("Some of the proposed %(field)s no longer exist.") % {"field": field}
                )
            m2m[field] = found
        elif field in REFERENCE_MODELS:
            item = REFERENCE_MODELS[field].objects.filter(slug=value).first() if value else None
            if value and item is None:
                raise CorrectionError(
                    _("The proposed %(field)s no longer exists.") % {"field": field}
                )
            setattr(initiative, field, item)
        elif field == "commune":
            commune = Territory.objects.communes().filter(code=value).first()
            if commune is None:
                raise CorrectionError(_("The proposed commune no longer exists."))
            initiative.commune = commune
        else:
            setattr(
                initiative,
                field,
                ""
                if value is None and field not in ("year_started", "latitude", "longitude")
                else value,
            )
    return m2m


def decide(correction):
    """Lock ``correction`` and its initiative for a decision; return fresh copies of both.

    The initiative is locked first, as merges and moderation lock it, so that the orders never
    cross; then the correction, whose stored status says whether someone decided meanwhile (two
    curators accepting the same correction: the second is refused, nothing is applied twice).
    Call inside a transaction.
    """
    initiative = Initiative.objects.select_for_update().get(pk=correction.initiative_id)
    fresh = type(correction).objects.select_for_update().get(pk=correction.pk)
    if fresh.status != CorrectionStatus.PENDING:
        raise CorrectionError(_("This correction has already been decided."))
    if fresh.initiative_id != initiative.pk:
        raise CorrectionError(_("The initiative was merged meanwhile: reload and try again."))
    return fresh, initiative


def accept(correction, *, by):
    """Apply the correction to its initiative (recorded in its history by ``by``)."""
    if correction.status != CorrectionStatus.PENDING:
        raise CorrectionError(_("This correction has already been decided."))
    with transaction.atomic():
        locked, initiative = decide(correction)
        m2m = apply_values(initiative, locked.proposed)
        initiative.full_clean(exclude=["slug", "image"], validate_unique=False)
        initiative._history_user = by
        initiative._change_reason = f"correction #{correction.pk} accepted"
        for field, items in m2m.items():
            getattr(initiative, field).set(items)
        initiative.save()
        correction.status = CorrectionStatus.ACCEPTED
        correction.decided_at = timezone.now()
        correction.decided_by = by
        correction.save(update_fields=["status", "decided_at", "decided_by"])
    return initiative


def refuse(correction, *, by):
    if correction.status != CorrectionStatus.PENDING:
        raise CorrectionError(_("This correction has already been decided."))
    with transaction.atomic():
        decide(correction)
        correction.status = CorrectionStatus.REFUSED
        correction.decided_at = timezone.now()
        correction.decided_by = by
        correction.save(update_fields=["status", "decided_at", "decided_by"])
