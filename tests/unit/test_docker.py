"""The container set-up: docker/compose.yaml and docker/Dockerfile.

Needs no Docker engine: `docker-compose config` validates and resolves the file on its
own. The tests read the resolved configuration as text (PyYAML is not a project
dependency), one block-style mapping level at a time.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = "docker/compose.yaml"
DOCKERFILE = REPO_ROOT / "docker" / "Dockerfile"

APP_SERVICES = ("web", "worker", "beat")
ALL_SERVICES = (*APP_SERVICES, "postgres", "redis", "mail")


# ---------------------------------------------------------------------------
# docker-compose
# ---------------------------------------------------------------------------
@cache
def compose_command() -> tuple[str, ...]:
    """Debian's docker-compose (v1), else the `docker compose` v2 plugin."""
    if shutil.which("docker-compose"):
        return ("docker-compose",)
    if shutil.which("docker"):
        probe = subprocess.run(
            ["docker", "compose", "version"], capture_output=True, text=True, cwd=REPO_ROOT
        )
        if probe.returncode == 0:
            return ("docker", "compose")
    pytest.fail(
        "Neither `docker-compose` nor the `docker compose` plugin is installed, so "
        "docker/compose.yaml cannot be validated. Install it with "
        "`apt-get install docker-compose`."
    )


def compose(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*compose_command(), "-f", COMPOSE_FILE, *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )


@cache
def resolved_config() -> str:
    result = compose("config")
    assert result.returncode == 0, f"`config` failed:\n{result.stderr}"
    return result.stdout


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def children(lines: list[str]) -> dict[str, tuple[str, list[str]]]:
    """Direct children of a block-style YAML mapping: key -> (inline value, nested lines).

    Sequence items written at the key's own indentation (PyYAML's style) and folded
    continuation lines count as nested lines of the preceding key.
    """
    lines = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return {}
    level = min(indent_of(line) for line in lines)
    result: dict[str, tuple[str, list[str]]] = {}
    current = None
    for line in lines:
        if indent_of(line) == level and not line.lstrip().startswith("-"):
            key, _, value = line.strip().partition(":")
            current = unquote(key)
            result[current] = (value.strip(), [])
        elif current is not None:
            result[current][1].append(line)
    return result


def unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def flat(entry: tuple[str, list[str]]) -> str:
    """A key's value (scalar, sequence or mapping) as one whitespace-normalised string."""
    inline, nested = entry
    return " ".join(" ".join([inline, *(line.strip() for line in nested)]).split())


def scalars(entry: tuple[str, list[str]]) -> dict[str, str]:
    """A mapping of scalars (or a `- KEY=value` list, as in `environment`)."""
    _inline, nested = entry
    items = [line.strip() for line in nested if line.strip()]
    if items and all(item.startswith("- ") for item in items):
        return dict(unquote(item[2:]).partition("=")[::2] for item in items)
    return {key: unquote(value) for key, (value, _nested) in children(nested).items()}


@cache
def services() -> dict[str, dict[str, tuple[str, list[str]]]]:
    top = children(resolved_config().splitlines())
    assert "services" in top, f"no `services` in the resolved configuration:\n{top}"
    return {name: children(lines) for name, (_value, lines) in children(top["services"][1]).items()}


def test_compose_file_is_valid():
    result = compose("config", "-q")
    assert result.returncode == 0, (
        f"{COMPOSE_FILE} does not validate against the Compose Specification:\n{result.stderr}"
    )


def test_compose_file_has_no_version_key():
    text = (REPO_ROOT / COMPOSE_FILE).read_text()
    assert not re.search(r"^version\s*:", text, re.MULTILINE), (
        "The Compose Specification has no top-level `version:`"
    )


def test_compose_defines_all_services():
    result = compose("config", "--services")
    assert result.returncode == 0, f"`config --services` failed:\n{result.stderr}"
    listed = set(result.stdout.split())
    assert listed >= set(ALL_SERVICES), f"missing services: {set(ALL_SERVICES) - listed}"
    assert set(services()) >= set(ALL_SERVICES), f"parsed services: {sorted(services())}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_share_one_image_built_from_the_dockerfile(name):
    service = services()[name]
    assert "build" in service, f"{name} has no build section"
    build = scalars(service["build"])
    assert build.get("dockerfile") == "docker/Dockerfile", build
    assert Path(build["context"]).resolve() == REPO_ROOT, build
    images = {flat(services()[other]["image"]) for other in APP_SERVICES}
    assert len(images) == 1, f"web, worker and beat should use one image: {images}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_share_production_environment(name):
    env = scalars(services()[name]["environment"])
    assert env.get("DJANGO_ENV") == "production", env
    # Production settings refuse a shorter key.
    assert len(env.get("DJANGO_SECRET_KEY", "")) >= 50, env
    assert set(env["DJANGO_ALLOWED_HOSTS"].split(",")) >= {"localhost", "127.0.0.1"}, env
    assert env.get("DATABASE_URL", "").startswith("postgres://"), env
    assert "@postgres:5432/" in env["DATABASE_URL"], env
    assert env.get("REDIS_URL") == "redis://redis:6379/0", env
    assert env.get("EMAIL_URL") == "smtp://mail:1025", env
    assert env.get("DJANGO_SECURE_SSL_REDIRECT", "").lower() == "false", env
    assert env.get("DEFAULT_FROM_EMAIL") == "noreply@leernetwerken.example", env


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_postgres_and_redis(name):
    depends_on = children(services()[name]["depends_on"][1])
    for dependency in ("postgres", "redis"):
        assert dependency in depends_on, f"{name} does not depend on {dependency}"
        condition = scalars(depends_on[dependency]).get("condition")
        assert condition == "service_healthy", f"{name} -> {dependency}: {condition}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_do_not_override_the_non_root_user(name):
    service = services()[name]
    if "user" in service:
        user = unquote(flat(service["user"])).split(":")[0]
        assert user not in {"", "0", "root"}, f"{name} runs as {user!r}"


def test_service_commands():
    web = flat(services()["web"]["command"])
    assert "manage.py migrate --noinput" in web, web
    assert "gunicorn via_platform.wsgi:application" in web, web
    assert web.index("migrate") < web.index("gunicorn"), web
    assert "--bind 0.0.0.0:8000" in web, web

    worker = flat(services()["worker"]["command"])
    assert "celery -A workers worker" in worker, worker

    beat = flat(services()["beat"]["command"])
    assert "celery -A workers beat" in beat, beat
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat, beat


def test_ports_volumes_and_backing_services():
    web, mail = services()["web"], services()["mail"]
    assert "8000" in flat(web["ports"]), flat(web["ports"])
    assert "8025" in flat(mail["ports"]), flat(mail["ports"])
    assert "axllent/mailpit" in flat(mail["image"])

    media = flat(web["volumes"])  # short syntax (v1) or long syntax (v2)
    assert re.search(r"\bmedia:/app/var/media\b", media) or (
        "source: media" in media and "target: /app/var/media" in media
    ), media
    top = children(resolved_config().splitlines())
    assert "media" in children(top["volumes"][1]), "media must be a named volume"

    postgres, redis = services()["postgres"], services()["redis"]
    assert flat(postgres["image"]).startswith("postgres:16"), flat(postgres["image"])
    assert "pg_isready" in flat(postgres["healthcheck"]), flat(postgres["healthcheck"])
    assert "POSTGRES_PASSWORD" in scalars(postgres["environment"])
    assert "/var/lib/postgresql/data" in flat(postgres["volumes"])
    assert flat(redis["image"]).startswith("redis:7"), flat(redis["image"])
    assert "redis-cli ping" in flat(redis["healthcheck"]).replace("- ", ""), flat(
        redis["healthcheck"]
    )


# ---------------------------------------------------------------------------
# Dockerfile
# ---------------------------------------------------------------------------
def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = (pending + line).strip()
        pending = ""
        if line:
            keyword, _, arguments = line.partition(" ")
            instructions.append((keyword.upper(), " ".join(arguments.split())))
    assert not pending, "Dockerfile ends inside a line continuation"
    return instructions


def command_words(arguments: str) -> list[str]:
    """Exec form (JSON array) or shell form."""
    if arguments.startswith("["):
        return json.loads(arguments)
    return shlex.split(arguments)


def test_dockerfile_runs_as_non_root_user_after_last_run():
    instructions = dockerfile_instructions()
    keywords = [keyword for keyword, _arguments in instructions]
    assert "RUN" in keywords and "USER" in keywords, keywords
    last_run = max(i for i, keyword in enumerate(keywords) if keyword == "RUN")
    last_user = max(i for i, keyword in enumerate(keywords) if keyword == "USER")
    last_from = max(i for i, keyword in enumerate(keywords) if keyword == "FROM")
    assert last_user > last_run, "USER must come after the last RUN instruction"
    assert last_user > last_from, "the final stage must switch user"
    user, _, group = instructions[last_user][1].partition(":")
    assert user not in {"root", "0"}, f"final USER is {user!r}"
    assert group not in {"root", "0"}, f"final USER group is {group!r}"


def test_dockerfile_final_stage_is_python_slim():
    images = [
        arguments.split()[0]
        for keyword, arguments in dockerfile_instructions()
        if keyword == "FROM"
    ]
    assert images[-1] == "python:3.11-slim-bookworm", images
    assert "node:20-bookworm-slim" in images, images


def test_dockerfile_cmd_runs_gunicorn():
    cmds = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "CMD"]
    assert cmds, "no CMD"
    words = command_words(cmds[-1])
    assert words[0] == "gunicorn", words
    assert "via_platform.wsgi:application" in words, words
    assert "0.0.0.0:8000" in words, words


def test_dockerfile_installs_the_lock_file_with_hashes():
    runs = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "RUN"]
    installs = [run for run in runs if re.search(r"\bpip install\b", run)]
    assert any(
        "--require-hashes" in run and re.search(r"-r \S*requirements/lock\.txt\b", run)
        for run in installs
    ), f"no `pip install --require-hashes -r requirements/lock.txt` in: {installs}"
    assert any("npm ci" in run and "--omit=dev" in run for run in runs), runs


def test_dockerfile_collects_static_exposes_and_checks_health():
    instructions = dockerfile_instructions()
    runs = [arguments for keyword, arguments in instructions if keyword == "RUN"]
    assert any("manage.py collectstatic --noinput" in run for run in runs), runs
    assert ("EXPOSE", "8000") in instructions
    healthchecks = [arguments for keyword, arguments in instructions if keyword == "HEALTHCHECK"]
    assert healthchecks and "http://127.0.0.1:8000/healthz" in healthchecks[-1], healthchecks
    env = " ".join(arguments for keyword, arguments in instructions if keyword == "ENV")
    assert "PYTHONDONTWRITEBYTECODE=1" in env and "PYTHONUNBUFFERED=1" in env, env
