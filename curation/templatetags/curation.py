from django import template

from curation.moderation import pending_counts as counts

register = template.Library()


@register.simple_tag
def pending_counts():
    """Pending initiatives and corrections, for the admin index."""
    return counts()
