"""The documented PostgreSQL backup and restore (deploy/backup.sh, deploy/restore.sh) round-trips."""

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from initiatives.models import Initiative
from tests.factories import InitiativeFactory, PendingInitiativeFactory, ThemeFactory

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="pg_dump and pg_restore are not installed",
)
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="backup and restore are for PostgreSQL: run with DATABASE_URL=postgres://…",
)


def url(name):
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def run_script(script, *args, database):
    return subprocess.run(
        ["bash", str(ROOT / "deploy" / script), *map(str, args)],
        env={**os.environ, "DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def rows(database_url, sql):
    with psycopg.connect(database_url) as conn:
        return conn.execute(sql).fetchall()


INITIATIVES = (
    "SELECT id, slug, name, status, submitter_email FROM initiatives_initiative ORDER BY id"
)
THEMES = "SELECT initiative_id, theme_id FROM initiatives_initiative_themes ORDER BY 1, 2"
COUNTS = """SELECT (SELECT count(*) FROM territories_territory),
                   (SELECT count(*) FROM auth_user),
                   (SELECT count(*) FROM django_migrations)"""


@pytest.fixture
def throwaway_database():
    name = f"{connection.settings_dict['NAME']}_restore_{os.getpid()}"
    admin = url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_into_a_fresh_database(tmp_path, throwaway_database):
    theme = ThemeFactory()
    InitiativeFactory.create_batch(3, themes=[theme])
    PendingInitiativeFactory(name="Épicerie « solidaire » d'Été", themes=[theme])
    source = url(connection.settings_dict["NAME"])
    dump = tmp_path / "nightly" / "ssemap.dump"

    backup = run_script("backup.sh", dump, database=source)
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 0
    assert not dump.with_name("ssemap.dump.partial").exists()

    restore = run_script("restore.sh", dump, database=throwaway_database)
    assert restore.returncode == 0, restore.stderr

    assert rows(throwaway_database, INITIATIVES) == rows(source, INITIATIVES)
    assert len(rows(throwaway_database, INITIATIVES)) == 4
    assert rows(throwaway_database, THEMES) == rows(source, THEMES)
    assert rows(throwaway_database, COUNTS) == rows(source, COUNTS)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_restore_replaces_what_the_database_holds(tmp_path, throwaway_database):
    InitiativeFactory.create_batch(2)
    source = url(connection.settings_dict["NAME"])
    dump = tmp_path / "ssemap.dump"
    assert run_script("backup.sh", dump, database=source).returncode == 0
    assert run_script("restore.sh", dump, database=throwaway_database).returncode == 0

    # Later damage in the restored copy: rows lost, one changed.
    with psycopg.connect(throwaway_database) as conn:
        conn.execute("DELETE FROM initiatives_initiative_themes")
        conn.execute(
            "DELETE FROM initiatives_initiative WHERE id = %s", [Initiative.objects.first().pk]
        )
        conn.execute("UPDATE initiatives_initiative SET name = 'vandalised'")

    again = run_script("restore.sh", dump, database=throwaway_database)
    assert again.returncode == 0, again.stderr
    assert rows(throwaway_database, INITIATIVES) == rows(source, INITIATIVES)


def test_the_scripts_refuse_a_non_postgresql_database(tmp_path):
    result = run_script("backup.sh", tmp_path / "x.dump", database="sqlite:///db.sqlite3")
    assert result.returncode == 2
    assert "must be a PostgreSQL URL" in result.stderr


def test_a_missing_backup_file_is_refused(tmp_path):
    database = "postgres://postgres@127.0.0.1:5432/postgres"
    result = run_script("restore.sh", tmp_path / "absent.dump", database=database)
    assert result.returncode == 2
    assert "cannot read" in result.stderr


@pytest.fixture
def recorded_commands(tmp_path):
    """pg_dump and pg_restore wrapped to record their command line and password file, then run."""
    bin_dir, log = tmp_path / "bin", tmp_path / "commands.log"
    bin_dir.mkdir()
    for name in ("pg_dump", "pg_restore"):
        real = shutil.which(name)
        wrapper = bin_dir / name
        wrapper.write_text(
            "#!/usr/bin/env bash\n"
            f'echo "{name} $* PGPASSFILE=${{PGPASSFILE:-}}" >> "{log}"\n'
            '[ -n "${PGPASSFILE:-}" ] && stat -c "pgpass %a" "$PGPASSFILE" >> '
            f'"{log}" && cat "$PGPASSFILE" >> "{log}"\n'
            f'exec "{real}" "$@"\n'
        )
        wrapper.chmod(0o755)
    return bin_dir, log


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_is_private_and_the_password_never_on_a_command_line(
    tmp_path, recorded_commands, throwaway_database
):
    bin_dir, log = recorded_commands
    InitiativeFactory()
    s = connection.settings_dict
    # The server trusts local connections, so any password works; the scripts must not show it.
    secret = "s3cr:t%40pass"
    database = url(s["NAME"]).replace(f"{s['USER']}@", f"{s['USER']}:{secret}@", 1)
    dump = tmp_path / "nightly" / "ssemap.dump"
    result = subprocess.run(
        ["bash", str(ROOT / "deploy" / "backup.sh"), str(dump)],
        env={**os.environ, "DATABASE_URL": database, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert dump.stat().st_mode & 0o777 == 0o600
    commands = log.read_text()
    assert "s3cr" not in "".join(line for line in commands.splitlines() if line.startswith("pg_"))
    assert "pgpass 600" in commands
    assert "*:*:*:*:s3cr\\:t@pass" in commands  # decoded, ':' escaped, for libpq
    leftover = [
        line.split("PGPASSFILE=")[1] for line in commands.splitlines() if "PGPASSFILE=/" in line
    ]
    assert leftover and not any(Path(p).exists() for p in leftover)

    target = throwaway_database.replace(f"{s['USER']}@", f"{s['USER']}:{secret}@", 1)
    restore = subprocess.run(
        ["bash", str(ROOT / "deploy" / "restore.sh"), str(dump)],
        env={**os.environ, "DATABASE_URL": target, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert restore.returncode == 0, restore.stderr
    restored = [
        line for line in log.read_text().splitlines() if line.startswith("pg_restore --clean")
    ]
    assert restored and "s3cr" not in restored[0]
