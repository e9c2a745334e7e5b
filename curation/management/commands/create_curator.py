"""Create a curator, or make an existing user one: staff, in the curator group."""

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from curation.permissions import ensure_curator_group


class Command(BaseCommand):
    help = "Create a curator (staff, curator group) or upgrade an existing user to one."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="Where to send new submissions.")
        parser.add_argument(
            "--password",
            help="Set this password without asking (for scripts; prefer the prompt otherwise).",
        )
        parser.add_argument(
            "--no-input", action="store_true", help="Do not prompt; keep or leave unusable."
        )

    def handle(self, username, email, password, no_input, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username)
        if email:
            user.email = email
        user.is_staff = True
        user.is_active = True
        if password is None and created and not no_input:
            password = self.prompt_password(user)
        if password is not None:
            try:
                validate_password(password, user)
            except ValidationError as error:
                if created:
                    user.delete()
                raise CommandError(" ".join(error.messages)) from None
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.save()
        user.groups.add(ensure_curator_group())
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} curator {username}."))

    def prompt_password(self, user):
        for _ in range(3):
            first = getpass.getpass("Password: ")
            if first != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords do not match.")
                continue
            try:
                validate_password(first, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return first
        raise CommandError("No valid password given.")
