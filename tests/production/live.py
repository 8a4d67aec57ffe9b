"""Running the platform as it is deployed, for the multi-process, fault and load tests: a
private PostgreSQL server, gunicorn and the task worker as separate processes with the
production settings, and a small HTTP client that signs in through the real pages.

Every server here listens on the loopback interface only, and every process is ended by
the fixture or context manager that started it.
"""

from __future__ import annotations

import contextlib
import glob
import http.client
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def gunicorn_available() -> bool:
    return importlib.util.find_spec("gunicorn") is not None


# -- a private PostgreSQL server -------------------------------------------------------------


def postgres_bin() -> Path | None:
    """The directory of initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin."""
    initdb = shutil.which("initdb")
    if initdb:
        return Path(os.path.realpath(initdb)).parent
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    return Path(found[-1]).parent if found else None


def _as_server_user() -> list[str]:
    """PostgreSQL refuses to run as root: run it as the postgres account then."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        return ["__missing__"]
    return [runuser, "-u", "postgres", "--"] if runuser else ["__missing__"]


def private_postgres_missing() -> str:
    """Why a private PostgreSQL cannot run here, or '' if it can."""
    if postgres_bin() is None:
        return "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
    if _as_server_user() == ["__missing__"]:
        return "running as root without a postgres account (or runuser) to run the server"
    return ""


@dataclass
class PrivatePostgres:
    """A throw-away PostgreSQL server on a free loopback port, data in a temporary folder."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="socp-pg-")))
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        bin_dir = postgres_bin()
        assert bin_dir is not None
        return subprocess.run(
            [*_as_server_user(), str(bin_dir / "pg_ctl"), "-D", str(self.data), *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )

    def init(self) -> PrivatePostgres:
        bin_dir = postgres_bin()
        assert bin_dir is not None
        if os.geteuid() == 0:
            shutil.chown(self.root, user="postgres")
        subprocess.run(
            [*_as_server_user(), str(bin_dir / "initdb"), "-D", str(self.data), "-A", "trust",
             "-U", "postgres", "-E", "UTF8", "--no-sync"],
            capture_output=True, text=True, check=True, timeout=120,
        )  # fmt: skip
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses={HOST} "
            "-c max_connections=60 -c shared_buffers=32MB"
        )
        self._ctl("-o", options, "-l", str(self.root / "server.log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-w", "stop", check=False)

    def restart(self, mode: str = "immediate") -> None:
        """`immediate` is a crash: no checkpoint, recovery from the write-ahead log."""
        self.stop(mode)
        self.start()

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{name}"

    def sql(
        self, statement: str, database: str = "postgres", params: tuple[Any, ...] = ()
    ) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cursor = conn.execute(statement, params or None)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def create_database(self, name: str, template: str | None = None) -> str:
        suffix = f' TEMPLATE "{template}"' if template else ""
        self.sql(f'CREATE DATABASE "{name}"{suffix}')
        return self.url(name)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


# -- the platform's processes ----------------------------------------------------------------


def production_env(var_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "SECRET_KEY",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "REDIS_URL",
            "TASK_BACKEND",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }  # the browser tests set it in this process
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=extra.pop("SECRET_KEY", secrets.token_urlsafe(64)),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        SOCPROFILES_VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
    return result.stdout


def run_python(env: dict[str, str], script: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"script failed:\n{result.stderr[-4000:]}")
    return result.stdout


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL to the process and its children: nothing gets to clean up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self) -> None:
        if not self.alive:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


def spawn(name: str, args: list[str], env: dict[str, str], log_dir: Path) -> Process:
    log = log_dir / f"{name}-{uuid.uuid4().hex[:6]}.log"
    handle = log.open("wb")
    popen = subprocess.Popen(  # its own process group, so it can be ended with its children
        args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    handle.close()
    return Process(name=name, popen=popen, log=log)


def start_web(
    env: dict[str, str], port: int, log_dir: Path, *, workers: int = 2, threads: int = 4
) -> Process:
    """gunicorn with the reference configuration, or runserver where gunicorn is missing."""
    if gunicorn_available():
        args = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config" / "gunicorn.conf.py"),
                "config.wsgi"]  # fmt: skip
        env = {
            **env,
            "GUNICORN_BIND": f"{HOST}:{port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
        }
    else:
        args = [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading",
                f"{HOST}:{port}"]  # fmt: skip
    web = spawn("web", args, env, log_dir)
    wait_until_up(port, web)
    return web


def start_worker(env: dict[str, str], log_dir: Path) -> Process:
    """The task worker the settings call for: task_worker (the database queue) or RQ's."""
    if env.get("TASK_BACKEND") == "rq":
        args = [sys.executable, "manage.py", "rqworker", "default",
                "--job-class", "django_tasks_rq.Job"]  # fmt: skip
    else:
        args = [sys.executable, "manage.py", "task_worker", "--interval", "0.2"]
    return spawn("worker", args, env, log_dir)


# -- Redis, for the national variant's task queue ---------------------------------------------


def redis_for_tests() -> str | None:
    """A Redis database these tests may empty (REDIS_TEST_URL, by default database 14 of a
    Redis on the loopback interface), or None when none answers. With REQUIRE_REDIS set (as
    CI does) a missing Redis fails the tests that need it instead of skipping them."""
    import redis

    url = os.environ.get("REDIS_TEST_URL", f"redis://{HOST}:6379/14")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except (redis.RedisError, OSError):
        return None
    return url


def wait_until_up(port: int, process: Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive:
            raise RuntimeError(f"{process.name} exited:\n{process.output()[-4000:]}")
        try:
            status, _, _ = WebClient(port).request("GET", "/health/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{process.name} did not answer in {timeout} s:\n{process.output()[-4000:]}")


# -- a browser-like client -------------------------------------------------------------------

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class WebClient:
    """HTTP/1.1 with keep-alive and cookies, as a browser behind the HTTPS proxy: each
    request says it came over HTTPS (as nginx does), so the production settings apply."""

    def __init__(self, port: int, timeout: float = 30) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        sent = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "socprofiles-live-test",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET":
            sent.setdefault("Origin", f"https://{HOST}:{self.port}")
            sent.setdefault("Referer", f"https://{HOST}:{self.port}{path}")
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=sent)
                response = conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.close()  # a kept-alive connection the server closed: once more
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                cookie: SimpleCookie = SimpleCookie()
                cookie.load(value)
                for name, morsel in cookie.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path)

    def csrf_from(self, page: bytes) -> str:
        match = CSRF_INPUT.search(page.decode("utf-8", "replace"))
        if match is None:
            raise AssertionError("no CSRF token in the page")
        return match.group(1)

    def post_form(
        self, path: str, fields: dict[str, str], csrf_page: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        from urllib.parse import urlencode

        _, _, page = self.get(csrf_page or path)
        body = urlencode({**fields, "csrfmiddlewaretoken": self.csrf_from(page)}).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_file(
        self, path: str, csrf_page: str, name: str, content: bytes, fields: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        _, _, page = self.get(csrf_page)
        boundary = f"----socp{uuid.uuid4().hex}"
        parts = []
        for key, value in {**fields, "csrfmiddlewaretoken": self.csrf_from(page)}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )  # fmt: skip

    def sign_in(self, username: str, password: str, totp_key: str) -> None:
        """The real pages: user name and password, then the authenticator's code."""
        from django_otp.oath import totp

        status, headers, _ = self.post_form(
            "/accounts/login/", {"username": username, "password": password}
        )
        if status != 302:
            raise AssertionError(f"sign-in of {username} answered {status}")
        location = urlsplit(headers["location"]).path
        for _ in range(3):  # the home page sends a half-signed-in person to the second factor
            if "two-factor" in location:
                break
            status, headers, _ = self.get(location)
            location = urlsplit(headers.get("location", "")).path
        if "two-factor" not in location:
            raise AssertionError(f"sign-in of {username} did not reach the 2FA page")
        code = f"{totp(bytes.fromhex(totp_key)):06d}"
        status, headers, _ = self.post_form(location, {"token": code})
        if status != 302 or "two-factor" in headers.get("location", ""):
            raise AssertionError(f"the second factor of {username} was refused ({status})")


# -- people and data for a deployment under test ---------------------------------------------

SETUP_SCRIPT = """
import json, sys, django
django.setup()
from django_otp.plugins.otp_totp.models import TOTPDevice
from socprofiles.accounts.models import (
    Area, AreaKind, Organisation, OrganisationKind, Partnership, PartnershipMembership,
    PartnershipOrganisation, User,
)
from socprofiles.datasets.models import DataSet
spec = json.loads(sys.argv[1])
force, _ = Organisation.objects.get_or_create(
    slug="live-constabulary", defaults={"name": "Live Test Constabulary",
    "kind": OrganisationKind.POLICE_FORCE})
area, _ = Area.objects.get_or_create(
    code="E23009999", defaults={"name": "Live force area", "kind": AreaKind.FORCE_AREA})
partnership, _ = Partnership.objects.get_or_create(
    slug="live-partnership", defaults={"name": "Live SOC Partnership",
    "lead_organisation": force, "area": area})
PartnershipOrganisation.objects.get_or_create(partnership=partnership, organisation=force)
out = {"partnership": partnership.slug, "users": []}
for username in spec["users"]:
    user, _ = User.objects.get_or_create(username=username, defaults={
        "full_name": username, "organisation": force, "email": ""})
    user.set_password(spec["password"]); user.save()
    PartnershipMembership.objects.get_or_create(
        partnership=partnership, user=user, defaults={"role": spec.get("role", "owner")})
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    out["users"].append({"username": username, "key": device.key})
dataset, _ = DataSet.objects.get_or_create(
    partnership=partnership, owner=force, kind="feed", feed="counts_by_area",
    title="Counts by area (live test)")
out["dataset"] = str(dataset.pk)
print(json.dumps(out))
"""


def set_up_people(env: dict[str, str], users: list[str], password: str) -> dict[str, Any]:
    spec = json.dumps({"users": users, "password": password})
    out = run_python(env, SETUP_SCRIPT.replace("sys.argv[1]", repr(spec)))
    return dict(json.loads(out.strip().splitlines()[-1]))


def counts_csv(rows: int) -> bytes:
    lines = ["Area code,Indicator,Value"]
    lines += [f"E0{1000000 + i % 30000:07d},Indicator {i % 97},{i % 1000}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@contextlib.contextmanager
def processes() -> Iterator[list[Process]]:
    """Stops every process appended to the list, whatever happens."""
    started: list[Process] = []
    try:
        yield started
    finally:
        for process in reversed(started):
            process.stop()
