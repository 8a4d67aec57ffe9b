"""Load: 20 signed-in people browsing the demo's main pages for 60 seconds.

The demo is served as it is deployed: gunicorn with the reference configuration
(config/gunicorn.conf.py, its default number of workers for this machine) and the
production settings, on the loopback interface only, against the bench's scratch
database. Each simulated person signs in through the real pages (password, then the
authenticator's code: production settings refuse the demo's own accounts, so the bench
gives 20 accounts of its own a membership of the Durham partnership), then goes round the
main pages in a random order, pausing THINK seconds on average between pages, for
SECONDS seconds. Reported: requests per second, p50/p95/p99 latency overall and per page,
and errors (anything but 200, or no answer). Targets: no error, p95 under 200 ms.

The reference, in the same run on the same server: the same 20 people requesting a trivial
view (`/health/`, one `SELECT 1` through the whole middleware stack) as fast as they can,
against the same people requesting the main pages as fast as they can; the ratio of the
two throughputs is what the pages cost beyond Django itself.

Every loop is bounded in time and the server is stopped at the end, whatever happens.
Environment: LOAD_USERS (20), LOAD_SECONDS (60), LOAD_THINK (1.0), LOAD_CAPACITY_SECONDS (15).
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.production.live import (
    WebClient,
    free_port,
    gunicorn_available,
    manage,
    processes,
    production_env,
    start_web,
)

USERS = int(os.environ.get("LOAD_USERS", "20"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
THINK = float(os.environ.get("LOAD_THINK", "1.0"))
CAPACITY_SECONDS = float(os.environ.get("LOAD_CAPACITY_SECONDS", "15"))
PASSWORD = "load-test-" + "partnership-2026"
P95_TARGET_MS = 200.0


@dataclass
class Sample:
    page: str
    seconds: float
    ok: bool


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    @property
    def throughput(self) -> float:
        return len(self.samples) / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if not s.ok)


def _percentiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        only = values[0] * 1000 if values else 0.0
        return {"p50": only, "p95": only, "p99": only}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def _people_and_pages() -> tuple[list[dict[str, str]], dict[str, str]]:
    """Load-test accounts in the demo partnership, and the main pages they browse."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from socprofiles.accounts.models import Partnership, PartnershipMembership, User
    from socprofiles.actions.models import Action
    from socprofiles.morile.models import Assessment
    from socprofiles.profiles.models import Profile

    partnership = Partnership.objects.get(slug="county-durham-and-darlington")
    slug = partnership.slug
    hasher = PBKDF2PasswordHasher()  # production's hasher (the bench process runs the test one)
    people = []
    for n in range(USERS):
        user, _ = User.objects.get_or_create(
            username=f"loadtest.{n:02d}",
            defaults={"full_name": f"Load Test {n:02d}", "email": "", "is_demo": False},
        )
        user.organisation = partnership.lead_organisation
        user.password = hasher.encode(PASSWORD, hasher.salt())
        user.save()
        PartnershipMembership.objects.get_or_create(
            partnership=partnership, user=user, defaults={"role": "member"}
        )
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        people.append({"username": user.username, "key": device.key})
    profile = Profile.objects.filter(partnership=partnership).order_by("created_at").first()
    assessment = Assessment.objects.filter(partnership=partnership).order_by("created_at").first()
    action = Action.objects.filter(partnership=partnership).order_by("created_at").first()
    pages = {
        "home": "/",
        "partnership": f"/partnerships/{slug}/",
        "threat picture": f"/partnerships/{slug}/analysis/",
        "data sets": f"/partnerships/{slug}/datasets/",
        "action plan": f"/partnerships/{slug}/actions/",
    }
    if profile is not None:
        pages["profile"] = f"/profiles/{profile.pk}/"
        pages["profile version 1"] = f"/profiles/{profile.pk}/versions/1/"
    if assessment is not None:
        pages["risk assessment"] = f"/assessments/{assessment.pk}/"
    if action is not None:
        pages["action"] = f"/actions/{action.pk}/"
    return people, pages


def _browse(
    client: WebClient, pages: dict[str, str], phase: Phase, until: float, think: float
) -> None:
    names = list(pages)
    rng = random.Random()  # the order of pages and the pauses: nothing secret
    while time.monotonic() < until:
        rng.shuffle(names)
        for name in names:
            if time.monotonic() >= until:
                return
            started = time.perf_counter()
            try:
                status, _, _ = client.get(pages[name])
                ok = status == 200
            except OSError:
                ok = False
                client.close()
            phase.add(Sample(name, time.perf_counter() - started, ok))
            if think:
                pause = rng.uniform(0.5 * think, 1.5 * think)
                time.sleep(min(pause, max(0.0, until - time.monotonic())))


def _run_phase(
    name: str, clients: list[WebClient], pages: dict[str, str], seconds: float, think: float
) -> Phase:
    phase = Phase(name)
    until = time.monotonic() + seconds
    started = time.perf_counter()
    threads = [
        threading.Thread(target=_browse, args=(c, pages, phase, until, think), daemon=True)
        for c in clients
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)  # a request may still be in flight at the end
    phase.seconds = time.perf_counter() - started
    return phase


def run() -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connections

    call_command("load_demo", force=True, verbosity=0)
    people, pages = _people_and_pages()
    connections.close_all()  # the server's processes use the database from here on

    var = Path(os.environ["SOCPROFILES_VAR_DIR"])
    env = production_env(var, os.environ["DATABASE_URL"])
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    logs = Path(tempfile.mkdtemp(prefix="socp-load-"))
    port = free_port()
    workers = int(env.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
    with processes() as started:
        started.append(start_web(env, port, logs, workers=workers))
        clients = [WebClient(port) for _ in people]
        for client, person in zip(clients, people, strict=True):
            client.sign_in(person["username"], PASSWORD, person["key"])
        # Warm up every worker's caches (templates, the threat picture's cached result).
        _run_phase("warm-up", clients, pages, 5, 0)
        trivial = _run_phase("trivial", clients, {"health": "/health/"}, CAPACITY_SECONDS, 0)
        capacity = _run_phase("capacity", clients, pages, CAPACITY_SECONDS, 0)
        browse = _run_phase("browse", clients, pages, SECONDS, THINK)
        for client in clients:
            client.close()

    overall = _percentiles([s.seconds for s in browse.samples])
    by_page: dict[str, list[float]] = defaultdict(list)
    for sample in browse.samples:
        by_page[sample.page].append(sample.seconds)
    per_page = {name: _percentiles(values) for name, values in sorted(by_page.items())}
    worst_page = max(per_page, key=lambda name: per_page[name]["p95"])
    ratio = trivial.throughput / capacity.throughput if capacity.throughput else float("inf")
    server = f"gunicorn, {workers} workers x 4 threads" if gunicorn_available() else "runserver"
    within = browse.errors == 0 and overall["p95"] < P95_TARGET_MS
    return {
        "server": server,
        "users": USERS,
        "browse_seconds": round(browse.seconds, 1),
        "think_seconds": THINK,
        "requests": len(browse.samples),
        "throughput_rps": round(browse.throughput, 1),
        "errors": browse.errors,
        "latency_ms": {k: round(v, 1) for k, v in overall.items()},
        "per_page_ms": {n: {k: round(v, 1) for k, v in p.items()} for n, p in per_page.items()},
        "capacity_rps": round(capacity.throughput, 1),
        "capacity_errors": capacity.errors,
        "capacity_latency_ms": {
            k: round(v, 1) for k, v in _percentiles([s.seconds for s in capacity.samples]).items()
        },
        "trivial_rps": round(trivial.throughput, 1),
        "trivial_errors": trivial.errors,
        "trivial_over_pages": round(ratio, 2),
        "within_target": within,
        "summary": (
            f"{USERS} users for {browse.seconds:.0f} s ({server}, ~{THINK:g} s between pages): "
            f"{browse.throughput:.1f} req/s, p50 {overall['p50']:.0f} ms, p95 "
            f"{overall['p95']:.0f} ms (target < {P95_TARGET_MS:.0f}), p99 {overall['p99']:.0f} "
            f"ms, {browse.errors} errors (slowest page p95: {worst_page} "
            f"{per_page[worst_page]['p95']:.0f} ms); flat out, the main pages "
            f"{capacity.throughput:.1f} req/s vs the trivial view {trivial.throughput:.1f} req/s "
            f"= {ratio:.1f}x"
        ),
    }
