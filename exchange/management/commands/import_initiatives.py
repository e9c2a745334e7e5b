"""``manage.py import_initiatives --format {gogocarto,data-inclusion,csv} FILE [--source NAME]
[--commit]``: the preview of an import (what each record would do), then, with ``--commit``,
the import itself, in one transaction."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from initiatives.licences import Licence

from ...formats import FORMATS, read
from ...importer import ImportConflict, commit, plan, summary_text


class Command(BaseCommand):
    help = "Import initiatives from a GoGoCarto, data·inclusion or CSV file (a preview by default)."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("file")
        parser.add_argument("--source", help="name of the source (default: the file's name)")
        parser.add_argument(
            "--licence", choices=Licence.values, help="licence of the data (default: as stated)"
        )
        parser.add_argument(
            "--mapping", help='CSV: our field → column, as JSON: {"name": "Nom", "insee": "Code"}'
        )
        parser.add_argument("--commit", action="store_true", help="write (default: preview)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        mapping = None
        if options["mapping"]:
            try:
                mapping = json.loads(options["mapping"])
            except ValueError as error:
                raise CommandError(f"--mapping: {error}") from None
        records, errors, licence = read(options["format"], content, mapping)
        result = plan(
            records,
            format=options["format"],
            source_name=options["source"] or path.name,
            licence=options["licence"] or licence,
            file_errors=errors,
        )
        if result.file_errors:
            raise CommandError(" ".join(result.file_errors))
        self.stdout.write(f"{result.source_name} ({result.licence}): {summary_text(result)}")
        for row in result.rows:
            where = f"line {row.line} {row.name!r}"
            if row.action == "rejected":
                self.stdout.write(f"  rejected, {where}: " + "; ".join(row.reasons))
            elif row.action == "duplicate":
                self.stdout.write(f"  duplicate, {where} ~ {row.duplicate_of}")
            elif row.action == "update":
                self.stdout.write(f"  update, {where}: " + ", ".join(row.changes))
            for note in row.notes:
                self.stdout.write(f"  note, {where}: {note}")
        if not options["commit"]:
            self.stdout.write("Preview only: nothing written (add --commit to import).")
            return
        try:
            run = commit(result, file_name=path.name)
        except ImportConflict as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported: {run.created} created, {run.updated} updated.")
        )
