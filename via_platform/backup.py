"""Back up and restore the platform's data: the database and the media folder.

    # back up what DATABASE_URL and MEDIA_ROOT point at (settings defaults otherwise)
    .venv/bin/python -m via_platform.backup backup /srv/backups/2026-11-26

    # restore into a FRESH database (created if missing; refused if it holds tables)
    # and a media folder (refused if it holds files)
    .venv/bin/python -m via_platform.backup restore /srv/backups/2026-11-26 \\
        postgres://postgres@127.0.0.1:5432/via_restored --media-root /srv/media-restored

A backup is a folder with three files:

- `database.dump` (PostgreSQL, `pg_dump --format=custom --no-owner --no-privileges`) or
  `database.sqlite3` (SQLite, a consistent copy made with sqlite3's online backup API, so
  the site may keep running while it is taken);
- `media.tar.gz`, every file under MEDIA_ROOT (uploads: images, documents, profile
  photos), paths relative to MEDIA_ROOT;
- `manifest.json`: the engine, when it was taken, and the SHA-256 of the two files;
  restore checks them before it touches anything.

Restoring never overwrites: the database must be new or empty, the media folder new or
empty. On PostgreSQL the database is created (through the `postgres` maintenance
database) when it does not exist; `pg_restore --exit-on-error --no-owner` loads it as
the connecting role. Point the web, worker and beat processes at the restored database
(DATABASE_URL) and media folder (MEDIA_ROOT) afterwards, then run `manage.py migrate`
(a no-op for a backup of the same version) and clear the cache (Redis `FLUSHDB` of the
cache database, or the `var/cache` folder) so no page from before the restore is served.

The PostgreSQL client tools (pg_dump, pg_restore) must be the server's major version or
newer. Exit status: 0 on success, 1 on any failure (the message says what).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

DUMP_NAME = "database.dump"
SQLITE_NAME = "database.sqlite3"
MEDIA_NAME = "media.tar.gz"
MANIFEST_NAME = "manifest.json"


class BackupError(Exception):
    pass


# Where things are -------------------------------------------------------------------


def _settings_defaults() -> tuple[str, Path]:
    """DATABASE_URL and MEDIA_ROOT as the platform's settings see them."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "via_platform.settings")
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    return _url_from_settings(db), Path(settings.MEDIA_ROOT)


def _url_from_settings(db: dict) -> str:
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _engine(database_url: str) -> str:
    scheme = urlsplit(database_url).scheme
    if scheme in ("postgres", "postgresql", "pgsql"):
        return "postgresql"
    if scheme == "sqlite":
        return "sqlite"
    raise BackupError(f"unsupported database URL scheme {scheme!r}")


def _sqlite_path(database_url: str) -> Path:
    # sqlite:////absolute/path (four slashes) or sqlite:///relative/path
    return Path(unquote(database_url.removeprefix("sqlite://")[1:]))


def _pg_env(database_url: str, dbname: str | None = None) -> dict[str, str]:
    """libpq's environment variables for a URL, so no password shows in `ps`."""
    parts = urlsplit(database_url)
    env = {**os.environ}
    env["PGHOST"] = parts.hostname or "127.0.0.1"
    env["PGPORT"] = str(parts.port or 5432)
    env["PGUSER"] = unquote(parts.username or "postgres")
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    env["PGDATABASE"] = dbname or unquote(parts.path.lstrip("/"))
    return env


def _pg_name(database_url: str) -> str:
    return unquote(urlsplit(database_url).path.lstrip("/"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")


# Backup -----------------------------------------------------------------------------


def backup(target_dir, database_url: str | None = None, media_root=None) -> dict:
    """Write a backup of the database and the media folder into `target_dir` (created;
    must be empty). Returns the manifest."""
    if database_url is None or media_root is None:
        default_url, default_media = _settings_defaults()
        database_url = database_url or default_url
        media_root = media_root if media_root is not None else default_media
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    if any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    engine = _engine(database_url)

    if engine == "postgresql":
        database_file = target / DUMP_NAME
        _run(
            [
                "pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                f"--file={database_file}",
            ],
            _pg_env(database_url),
        )  # fmt: skip
    else:
        database_file = target / SQLITE_NAME
        source_path = _sqlite_path(database_url)
        if not source_path.exists():
            raise BackupError(f"no SQLite database at {source_path}")
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        copy = sqlite3.connect(database_file)
        try:
            with copy:
                source.backup(copy)  # consistent even while others write
        finally:
            copy.close()
            source.close()

    media_file = target / MEDIA_NAME
    media = Path(media_root)
    with tarfile.open(media_file, "w:gz") as archive:
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(media)), recursive=False)

    manifest = {
        "format": 1,
        "engine": engine,
        "created": datetime.now(UTC).isoformat(),
        "database": {"file": database_file.name, "sha256": _sha256(database_file)},
        "media": {"file": media_file.name, "sha256": _sha256(media_file)},
    }
    (target / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2))
    return manifest


# Restore ----------------------------------------------------------------------------


def _checked_manifest(source: Path) -> dict:
    manifest_path = source / MANIFEST_NAME
    if not manifest_path.exists():
        raise BackupError(f"{source} holds no {MANIFEST_NAME}: not a backup")
    manifest = json.loads(manifest_path.read_text())
    for part in ("database", "media"):
        path = source / manifest[part]["file"]
        if not path.exists() or _sha256(path) != manifest[part]["sha256"]:
            raise BackupError(f"{path} is missing or damaged (checksum differs)")
    return manifest


def _fresh_postgres_database(database_url: str) -> None:
    """Create the database if it does not exist; refuse one that holds tables."""
    import psycopg
    from psycopg import sql

    name = _pg_name(database_url)
    env = _pg_env(database_url, dbname="postgres")
    connect = {
        "host": env["PGHOST"],
        "port": env["PGPORT"],
        "user": env["PGUSER"],
        "password": env.get("PGPASSWORD"),
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **connect) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return
    with psycopg.connect(dbname=name, **connect) as target:
        tables = target.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    if tables:
        raise BackupError(f"database {name!r} is not empty ({tables} tables): restore refused")


def restore(target_dir, database_url: str, media_root=None) -> dict:
    """Restore the backup in `target_dir` into a fresh database and media folder."""
    source = Path(target_dir)
    manifest = _checked_manifest(source)
    engine = _engine(database_url)
    if engine != manifest["engine"]:
        raise BackupError(f"the backup is {manifest['engine']}; {database_url} is {engine}")
    if media_root is None:
        _url, media_root = _settings_defaults()
    media = Path(media_root)
    if media.exists() and any(media.iterdir()):
        raise BackupError(f"media folder {media} is not empty: restore refused")

    if engine == "postgresql":
        _fresh_postgres_database(database_url)
        _run(
            [
                "pg_restore", "--exit-on-error", "--no-owner", "--no-privileges",
                f"--dbname={_pg_name(database_url)}", str(source / manifest["database"]["file"]),
            ],
            _pg_env(database_url),
        )  # fmt: skip
    else:
        path = _sqlite_path(database_url)
        if path.exists() and path.stat().st_size > 0:
            raise BackupError(f"{path} exists: restore refused")
        path.parent.mkdir(parents=True, exist_ok=True)
        backup_copy = sqlite3.connect(
            f"file:{source / manifest['database']['file']}?mode=ro", uri=True
        )
        restored = sqlite3.connect(path)
        try:
            with restored:
                backup_copy.backup(restored)
        finally:
            restored.close()
            backup_copy.close()

    media.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent) as unpacked:
        with tarfile.open(source / manifest["media"]["file"], "r:gz") as archive:
            # "data": no absolute paths, no "..", no links out, no devices.
            archive.extractall(unpacked, filter="data")
        for item in Path(unpacked).iterdir():
            shutil.move(str(item), media / item.name)
    return manifest


# Command line -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m via_platform.backup", description=__doc__.split("\n\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="back up the database and media")
    make.add_argument("target_dir")
    make.add_argument("--database-url", help="default: DATABASE_URL / the settings")
    make.add_argument("--media-root", help="default: MEDIA_ROOT / the settings")
    back = commands.add_parser("restore", help="restore into a fresh database and media folder")
    back.add_argument("target_dir")
    back.add_argument("database_url", help="the database to restore into (new or empty)")
    back.add_argument("--media-root", help="default: MEDIA_ROOT / the settings")
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            manifest = backup(args.target_dir, args.database_url, args.media_root)
            print(f"backed up ({manifest['engine']}) into {args.target_dir}")
        else:
            restore(args.target_dir, args.database_url, args.media_root)
            print(f"restored {args.target_dir} into {args.database_url.split('@')[-1]}")
    except (BackupError, OSError, sqlite3.Error) as error:
        print(f"FAIL: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
