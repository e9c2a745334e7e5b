from django import template

register = template.Library()


@register.simple_tag
def pending_counts():
    """Pending initiatives and corrections, for the admin index."""
    from initiatives.admin import pending_counts as counts

    return counts()
