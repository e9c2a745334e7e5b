"""What the open-data hub owns: partners, their API tokens, and what each partner sent."""

import hashlib
import hmac
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative

TOKEN_PREFIX = "ssemap"
# The public part of a token, stored in clear to find its row; the secret part is only hashed.
LOOKUP_LENGTH = 8


def hash_secret(secret):
    # A token is 32 random bytes: a plain SHA-256 cannot be reversed or guessed (no salt or
    # slow hash needed, unlike passwords), and it is fast enough to check on every request.
    return hashlib.sha256(secret.encode()).hexdigest()


class Partner(models.Model):
    """An organisation (a regional SSE network, a local authority) that sends initiatives."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    contact_email = models.EmailField(
        _("contact e-mail"), help_text=_("Private: curators write here about its submissions.")
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Unticked, none of its tokens is accepted.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class PartnerTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, partner__is_active=True)


class PartnerToken(models.Model):
    """An API token of a partner: shown once when created, stored hashed, revocable."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="tokens"
    )
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("What this token is for.")
    )
    lookup = models.CharField(max_length=LOOKUP_LENGTH, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = PartnerTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{TOKEN_PREFIX}_{self.lookup}_…"

    @classmethod
    def issue(cls, partner, label=""):
        """A new token of ``partner``: ``(token row, the full token text)``, the text only now."""
        lookup = secrets.token_hex(LOOKUP_LENGTH // 2)
        while cls.objects.filter(lookup=lookup).exists():
            lookup = secrets.token_hex(LOOKUP_LENGTH // 2)
        secret = secrets.token_urlsafe(32)
        token = cls.objects.create(
            partner=partner, label=label, lookup=lookup, secret_hash=hash_secret(secret)
        )
        return token, f"{TOKEN_PREFIX}_{lookup}_{secret}"

    @classmethod
    def authenticate(cls, text):
        """The usable token this text is, or None (unknown, malformed, revoked, inactive)."""
        prefix, _sep, rest = (text or "").partition("_")
        lookup, _sep, secret = rest.partition("_")
        if prefix != TOKEN_PREFIX or len(lookup) != LOOKUP_LENGTH or not secret:
            return None
        token = cls.objects.usable().select_related("partner").filter(lookup=lookup).first()
        if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
            return None
        return token

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class PartnerSubmission(models.Model):
    """An initiative a partner sent through the API: who sent it, which token, when."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="submissions"
    )
    token = models.ForeignKey(
        PartnerToken,
        verbose_name=_("API token"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    initiative = models.OneToOneField(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="partner_submission",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("partner submission")
        verbose_name_plural = _("partner submissions")

    def __str__(self):
        return f"{self.partner} → {self.initiative}"
