"""The curator group: who curates, with exactly which permissions, and how to reach them.

The group is created (and its permissions set again) after every migrate (CurationConfig).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

CURATOR_GROUP = "curator"

# app label → model → actions. Exactly what reviewing and editing the directory needs;
# nothing about users, groups or sessions, which stay with the superusers. No "delete": curators
# archive (and merging sets a duplicate aside), deleting stays with the administrators, so that
# nothing a curator does is beyond repair.
CURATOR_PERMISSIONS = {
    "initiatives": {
        "initiative": ["view", "add", "change"],
        "historicalinitiative": ["view"],
        "correction": ["view", "change"],
        "statuschange": ["view"],
        "theme": ["view", "add", "change"],
        "collaborativepractice": ["view", "add", "change"],
        "legalform": ["view", "add", "change"],
        "lowtechquality": ["view", "add", "change"],
        "actionlever": ["view", "add", "change"],
        "territorylever": ["view", "add", "change", "delete"],  # a wrong link, not reference data
    },
    "territories": {
        "territory": ["view", "change"],  # programmes and levers only (see TerritoryAdmin)
        "programme": ["view", "add", "change"],
    },
    "freshness": {
        "freshnessentry": ["view"],  # the queue; archiving goes through moderation
        "closurereport": ["view", "change"],
        "ownership": ["view"],
        "reminder": ["view"],
    },
    "exchange": {
        "themecorrespondence": ["view", "add", "change", "delete"],  # a mapping, not data
        "importrun": ["view"],
    },
    "intelligence": {
        "solution": ["view", "add", "change"],
        "solutionlink": ["view", "add", "change", "delete"],  # a wrong link, not reference data
        "programmemembership": ["view", "add", "change"],
    },
}


def curator_permission_codes():
    return {
        (app, f"{action}_{model}")
        for app, models in CURATOR_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }


def ensure_curator_group(**kwargs):
    """Create the curator group and give it exactly ``CURATOR_PERMISSIONS``; return it."""
    group, _ = Group.objects.get_or_create(name=CURATOR_GROUP)
    wanted = curator_permission_codes()
    permissions = [
        p
        for p in Permission.objects.filter(
            content_type__app_label__in=CURATOR_PERMISSIONS
        ).select_related("content_type")
        if (p.content_type.app_label, p.codename) in wanted
    ]
    group.permissions.set(permissions)
    return group


def curator_addresses():
    """Active curators with an e-mail, plus ``settings.CURATOR_EMAILS``, without repeats."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=CURATOR_GROUP)
        .exclude(email="")
    )
    addresses = list(users.values_list("email", flat=True)) + list(settings.CURATOR_EMAILS)
    return list(dict.fromkeys(a.strip() for a in addresses if a and a.strip()))
