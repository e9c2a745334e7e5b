"""The public forms of freshness: a message to an initiative's people, "it has closed"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from contributions.forms import SubmitterFields, refuse_markup
from ssemap.text import plain_text


class ContactForm(forms.Form):
    """A message relayed to the initiative's listed address, which the sender never sees."""

    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("They reply to this address; you get a copy of your message."),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=3000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    homepage = SubmitterFields.base_fields["homepage"]
    is_bot = SubmitterFields.is_bot

    def clean_name(self):
        return plain_text(self.cleaned_data["name"])

    def clean_email(self):
        refuse_markup(self.cleaned_data["email"])
        return self.cleaned_data["email"]

    def clean_message(self):
        return plain_text(self.cleaned_data["message"], single_line=False)


class ClosureForm(forms.Form):
    message = forms.CharField(
        label=_("Anything curators should know (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_message(self):
        return plain_text(self.cleaned_data["message"], single_line=False)
