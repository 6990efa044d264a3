"""via_platform.backup, tried for real: back up the demo site (database and media),
restore it into a fresh database and media folder, and serve the same pages from it.

Each side is rendered in a subprocess of its own (the platform's settings, a fresh
VAR_DIR so no cache is shared, DATABASE_URL and MEDIA_ROOT pointing at one copy), with
Django's test client, anonymously and as a member of the demo's communities.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection
from PIL import Image

from tests.conftest import ROOT, _database_url_for_subprocess
from via_platform.backup import BackupError, backup, restore

pytestmark = pytest.mark.integration

RENDER = r"""
import json, os, re, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client

urls, member_id = json.loads(sys.argv[1])
tag = re.compile(r"<[^>]+>")
out = []
# Every page as the member; as an anonymous visitor, the pages that differ for one.
for who, pages in (("anonymous", urls[:3]), ("member", urls)):
    client = Client(raise_request_exception=False)
    if who == "member":
        client.force_login(get_user_model().objects.get(pk=member_id))
    for url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
        html = response.content.decode(errors="replace")
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        out.append({
            "who": who,
            "url": url,
            "status": response.status_code,
            "title": " ".join(title.group(1).split()) if title else "",
            "headings": [
                " ".join(tag.sub("", h).split())
                for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S)
            ],
            "links": sorted(set(re.findall(r'href="(/[^"]*)"', html))),
        })
print(json.dumps(out))
"""


def start_render(
    database_url: str, media_root: Path, var_dir: Path, urls: list[str], member_id: int
) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "via_platform.settings",
        "DJANGO_ENV": "development",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "VAR_DIR": str(var_dir),
        "REDIS_URL": "",
        "PAGE_CACHE_SECONDS": "0",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
    }
    var_dir.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-c", RENDER, json.dumps([urls, member_id])],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def rendered(process: subprocess.Popen) -> list[dict]:
    stdout, stderr = process.communicate(timeout=180)
    assert process.returncode == 0, stderr[-3000:]
    return json.loads(stdout.strip().splitlines()[-1])


def demo_urls() -> tuple[list[str], int]:
    from via_platform.accounts.models import User
    from via_platform.communities.models import CommunityPage, ContentVisibility
    from via_platform.events.models import EventPage
    from via_platform.forums.models import Topic
    from via_platform.forums.services import topic_url
    from via_platform.library.models import PracticePage

    member = User.objects.get(email="klantmanager@voorbeeld.nl")
    communities = CommunityPage.objects.live().order_by("pk")
    public = communities.filter(content_visibility=ContentVisibility.PUBLIC).first()
    private = (
        communities.filter(
            content_visibility=ContentVisibility.MEMBERS, memberships__user=member
        ).first()
        or communities.exclude(pk=public.pk).first()
    )
    topic = Topic.objects.filter(community=public, hidden=False).order_by("pk").first()
    event = (
        EventPage.objects.live().descendant_of(private).order_by("pk").first()
        or EventPage.objects.live().order_by("pk").first()
    )
    urls = [  # the first three are also rendered for an anonymous visitor
        "/",
        private.url,
        event.url,
        public.url,
        PracticePage.objects.live().order_by("pk").first().url,
        topic_url(topic),
        "/zoeken/?q=werk",
    ]
    return urls, member.pk


def media_files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def fresh_database_url(tmp_path):
    """A database URL that names no existing database; dropped after the test."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    original = _database_url_for_subprocess()
    name = f"{connection.settings_dict['NAME']}_restored_{os.getpid()}"
    base = original.rsplit("/", 1)[0]
    db = connection.settings_dict
    connect = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(**connect) as admin:
        admin.execute(drop)
    yield f"{base}/{name}"
    with psycopg.connect(**connect) as admin:
        admin.execute(drop)


# The backup runs in other processes (pg_dump, sqlite3), so the data must be committed;
# serialized_rollback gives later tests back what migrations put in the database.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restored_backup_serves_the_same_pages_and_media(tmp_path, settings, fresh_database_url):
    from wagtail.images import get_image_model

    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    call_command("seed_demo", stdout=io.StringIO())
    # Uploads: a Wagtail image (its row points at its file) and a profile photo.
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(picture, format="PNG")
    image = get_image_model().objects.create(
        title="Back-up-test", file=ImageFile(picture, name="back-up-test.png")
    )
    photo = media / "profielen" / "1" / "foto.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(os.urandom(4096))
    urls, member_id = demo_urls()

    original_url = _database_url_for_subprocess()
    manifest = backup(tmp_path / "backup", original_url, media)
    assert manifest["engine"] == ("postgresql" if connection.vendor == "postgresql" else "sqlite")

    restored_media = tmp_path / "media-restored"
    restore(tmp_path / "backup", fresh_database_url, restored_media)

    # Uploads come back byte for byte, where the restored rows expect them.
    assert media_files(restored_media) == media_files(media)
    assert (restored_media / image.file.name).read_bytes() == (media / image.file.name).read_bytes()

    # Both sides at once: two processes, each with its own copy.
    processes = [
        start_render(original_url, media, tmp_path / "var-original", urls, member_id),
        start_render(
            fresh_database_url, restored_media, tmp_path / "var-restored", urls, member_id
        ),
    ]
    original, restored = (rendered(process) for process in processes)
    assert [(p["who"], p["url"], p["status"]) for p in restored] == [
        (p["who"], p["url"], p["status"]) for p in original
    ]
    assert restored == original
    # The comparison is about real pages: they render, with their titles, for the member.
    member_pages = [p for p in restored if p["who"] == "member"]
    assert all(p["status"] == 200 for p in member_pages), member_pages
    assert all(p["title"] and p["headings"] for p in member_pages)
    # ...and what is private stays private: the members-only event is not found anonymously.
    anonymous = {p["url"]: p["status"] for p in restored if p["who"] == "anonymous"}
    assert anonymous == {urls[0]: 200, urls[1]: 200, urls[2]: 404}

    # Restoring never overwrites: not into the same database, not into a full media folder.
    with pytest.raises(BackupError):
        restore(tmp_path / "backup", fresh_database_url, tmp_path / "media-again")
    with pytest.raises(BackupError):
        restore(tmp_path / "backup", fresh_database_url, restored_media)


def test_a_damaged_backup_is_refused_before_anything_is_touched(tmp_path):
    import sqlite3

    database = sqlite3.connect(tmp_path / "site.sqlite3")
    with database:
        database.execute("CREATE TABLE t (x)")
    database.close()
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.txt").write_text("a")
    backup(tmp_path / "backup", f"sqlite:///{tmp_path / 'site.sqlite3'}", tmp_path / "media")
    with open(tmp_path / "backup" / "media.tar.gz", "ab") as archive:
        archive.write(b"tampered")
    target = tmp_path / "restored.sqlite3"
    with pytest.raises(BackupError, match="damaged"):
        restore(tmp_path / "backup", f"sqlite:///{target}", tmp_path / "media-restored")
    assert not target.exists() and not (tmp_path / "media-restored").exists()
