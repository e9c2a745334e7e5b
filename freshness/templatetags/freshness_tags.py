from django import template

from initiatives import hours

from .. import owners
from ..forms import ContactForm

register = template.Library()


@register.simple_tag
def opening_week(initiative):
    """The coming seven days of ``initiative``'s opening hours (``hours.week``), or None."""
    region_code = initiative.region.code if initiative.region_id else None
    return hours.week(initiative.opening_hours, region_code)


@register.simple_tag
def new_contact_form():
    return ContactForm()


@register.simple_tag
def claimed_by_its_people(initiative):
    """Whether the listed address confirmed "this is my initiative"."""
    return initiative.contact_email and owners.is_claimed(initiative)
