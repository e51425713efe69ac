"""Who may do what, forged forms, guessing passwords, hostile files and filters."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from ceasefire.store import Store
from ceasefire.store.accounts import Revoked
from ceasefire.web.accounts import (
    User,
    UserRole,
    add_user,
    end_session,
    new_api_token,
    remove_user,
    session_user,
    start_session,
    token_user,
)
from ceasefire.web.app import Settings, create_app
from tests.reliability.tally import Tally
from tests.web.conftest import PASSWORDS, bearer, start_server

REPORT = {"text": "Shelling hit the market.", "observed_at": "2017-01-17T10:00:00+02:00"}


def form_token(client: TestClient, page: str = "/login") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert found, f"no form token on {page}"
    return found.group(1)


def sign_in(client: TestClient, name: str) -> None:
    response = client.post("/login", data={"name": name, "password": PASSWORDS[name],
                                           "csrf_token": form_token(client)}, follow_redirects=False)
    assert response.status_code == 303, response.text


def some_incident(client: TestClient, token: str, verdict: str) -> str:
    found = client.get("/api/v1/incidents", params={"verdict": verdict}, headers=bearer(token)).json()
    return str(found["incidents"][0]["id"])


# route, method, minimum role (0 public, 1 observer, 2 analyst, 3 admin)
PAGES = [("/", "GET", 0), ("/timeline", "GET", 0), ("/agreement", "GET", 0), ("/login", "GET", 0),
         ("/submit", "GET", 1), ("/admin/users", "GET", 3), ("/incidents/{published}", "GET", 0),
         ("/incidents/{unpublished}", "GET", 2)]
API = [("/api/v1/incidents", "GET", 0), ("/api/v1/agreements", "GET", 0), ("/api/v1/actors", "GET", 0),
       ("/api/v1/areas", "GET", 0), ("/api/v1/incidents/{published}", "GET", 0),
       ("/api/v1/incidents/{unpublished}", "GET", 2), ("/api/v1/incidents/{unpublished}/assessments", "GET", 2),
       ("/api/v1/reports", "POST", 1), ("/api/v1/incidents/{published}/reviews", "POST", 2)]
USERS = [None, "obs", "ana", "adm"]


def test_every_role_against_every_route(client: TestClient, tokens: dict[str, str], tally: Tally) -> None:
    """Authorization matrix: every role (public, observer, analyst, admin) against every page and API route."""
    ids = {"published": some_incident(client, tokens["ana"], "VIOLATION"),
           "unpublished": some_incident(client, tokens["ana"], "UNVERIFIED")}
    checked = 0
    for level, user in enumerate(USERS):
        client.cookies.clear()
        if user:
            sign_in(client, user)
        for path, method, needed in PAGES:
            status = client.request(method, path.format(**ids), follow_redirects=False).status_code
            denied = {0: 401, 1: 403, 2: 403, 3: 403}[level] if "{unpublished}" not in path else 404
            assert status == (200 if level >= needed else denied), (user, path, status)
            checked += 1
            tally.case(allowed=int(level >= needed), refused=int(level < needed))
        headers = bearer(tokens[user]) if user else {}
        for path, method, needed in API:
            body = {"action": "confirm", "reason": "checked"} if "reviews" in path else REPORT
            response = client.request(method, path.format(**ids), headers=headers,
                                      json=body if method == "POST" else None)
            allowed = {"GET": 200, "POST": 201}[method]
            denied = 404 if "{unpublished}" in path else (401 if level == 0 else 403)
            assert response.status_code == (allowed if level >= needed else denied), (user, path, response.text)
            checked += 1
            tally.case(allowed=int(level >= needed), refused=int(level < needed))
    assert checked == len(USERS) * (len(PAGES) + len(API))


def test_forms_without_the_session_token_are_refused(client: TestClient, tally: Tally) -> None:
    """CSRF: sign-in, observer form and cookie-authenticated API writes without the session's token."""
    assert client.post("/login", data={"name": "ana", "password": PASSWORDS["ana"]}).status_code == 403
    tally.case(refused=1)
    sign_in(client, "obs")
    data = {"text": "Shelling.", "observed_at": "2017-01-17T10:00", "tz": "+02:00"}
    assert client.post("/submit", data=data | {"csrf_token": "forged"}).status_code == 403
    assert client.post("/submit", data=data).status_code == 403
    tally.case(refused=2)
    response = client.post("/submit", data=data | {"csrf_token": form_token(client, "/submit")})
    assert response.status_code == 201 and "Stored as report" in response.text
    # A script on another site can send the cookie, not the token: the API refuses cookie writes without it.
    assert client.post("/api/v1/reports", json=REPORT).status_code == 403
    tally.case(refused=1, accepted_with_token=1)


def test_password_guessing_is_slowed_down(client: TestClient, tally: Tally) -> None:
    """Rate limit on sign-in: seven wrong passwords for one name from one address within a minute."""
    token = form_token(client)
    statuses = [client.post("/login", data={"name": "ana", "password": f"guess-{i}", "csrf_token": token}).status_code
                for i in range(7)]
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    for status in statuses:
        tally.case(wrong_password=int(status == 401), rate_limited=int(status == 429))


def test_session_cookie_flags(web_store: Store, syria_pack, tally: Tally) -> None:  # type: ignore[no-untyped-def]
    """Session cookie flags: HttpOnly, SameSite=Lax, Secure behind HTTPS."""
    app = create_app(web_store, syria_pack, Settings(secret_key="k", tiles="", secure_cookies=True))
    with TestClient(app, base_url="https://testserver") as client:
        cookie = client.get("/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    tally.case(flags_set=3)


def test_pages_forbid_inline_scripts_and_sniffing(client: TestClient, tally: Tally) -> None:
    """Security headers: Content-Security-Policy without inline scripts, nosniff."""
    headers = client.get("/").headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    tally.case(headers_set=2)


def test_attachment_names_are_never_paths_and_files_are_never_rendered(client: TestClient, web_store: Store,
                                                                        tally: Tally) -> None:
    """Path traversal in attachment names (../../etc/passwd, C:\\Windows\\...), and HTML files sent back."""
    sign_in(client, "obs")
    files = [("attachments", ("../../etc/passwd", b"root:x:0:0", "text/plain")),
             ("attachments", ("C:\\Windows\\evil.html", b"<script>alert(1)</script>", "text/html"))]
    data = {"text": "Shelling near the bakery.", "observed_at": "2017-01-17T10:00", "tz": "+02:00",
            "csrf_token": form_token(client, "/submit")}
    response = client.post("/submit", data=data, files=files)
    assert response.status_code == 201, response.text
    sha = re.search(r"SHA-256 <code>([0-9a-f]{16})", response.text).group(1)  # type: ignore[union-attr]
    stored = web_store.attachments(web_store.report(sha).sha256)
    assert [a.filename for a in stored] == ["passwd", "evil.html"]
    assert client.get(f"/attachments/{stored[1].id}").status_code == 403  # observers cannot read files back
    client.cookies.clear()
    sign_in(client, "ana")
    download = client.get(f"/attachments/{stored[1].id}")
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"] == 'attachment; filename="evil.html"'
    tally.case(names_stripped=2, downloaded_as_bytes=1)


def test_oversized_bodies_are_refused(client: TestClient, tokens: dict[str, str], tally: Tally) -> None:
    """Size limit on request bodies: 21 MB sent to the observer API, with and without a declared length."""
    response = client.post("/api/v1/reports", content=b"x" * (21 * 1024 * 1024), headers=bearer(tokens["obs"]))
    assert response.status_code == 413 and "larger than 20 MB" in response.json()["error"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit must hold while reading
        for _ in range(25):
            yield b"x" * 1024 * 1024

    streamed = client.post("/api/v1/reports", content=chunks(), headers=bearer(tokens["obs"]))
    assert streamed.status_code == 413
    tally.case(refused=2)


@pytest.mark.parametrize("attack", ["' OR '1'='1", "1; DROP TABLE incidents; --", "\" OR 1=1 --", "%' --"])
def test_filters_are_not_sql(client: TestClient, tokens: dict[str, str], web_store: Store, attack: str,
                             tally: Tally) -> None:
    """SQL injection through every filter of the incidents API and the incident id."""
    before = len(web_store.incidents())
    for name in ("since", "until", "actor", "party", "verdict", "area", "bbox", "limit", "offset", "event_type",
                 "agreement", "clause"):
        for headers in ({}, bearer(tokens["ana"])):
            assert client.get("/api/v1/incidents", params={name: attack}, headers=headers).status_code == 422, name
        tally.case(refused=1)
    assert client.get(f"/api/v1/incidents/{attack}").status_code == 404
    assert len(web_store.incidents()) == before


HOSTILE = """---
title: "<script>alert('title')</script> Shelling report"
source: "<img src=x onerror=alert('source')>"
published: 2017-01-24T12:00:00+02:00
---
Government forces shelled Basimah on Monday, killing two civilians <script>alert('text')</script> near the mosque.
"""


def test_untrusted_text_is_escaped_wherever_it_appears(  # type: ignore[no-untyped-def]
        client: TestClient, web_store: Store, syria_pack, extractor, tmp_path, tokens: dict[str, str], tally: Tally
) -> None:
    """Escaping: script and img tags in a report's title, source and text, on the incident page and the map list."""
    from ceasefire.pipeline import assess_incidents, cluster_claims, extract, ingest

    (tmp_path / "hostile.md").write_text(HOSTILE)
    ingest(web_store, [tmp_path / "hostile.md"], pack=syria_pack)
    extract(web_store, extractor)
    cluster_claims(web_store, syria_pack)
    assess_incidents(web_store, syria_pack)
    found = client.get("/api/v1/incidents", params={"since": "2017-01-23", "until": "2017-01-23"},
                       headers=bearer(tokens["ana"])).json()["incidents"]
    incident = next(i["id"] for i in found if i["place"] == "Basimah")
    sign_in(client, "ana")
    pages = [client.get(f"/incidents/{incident}").text, client.get("/?since=2017-01-23&until=2017-01-23").text]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
        tally.case(escaped=3)
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in pages[0]
    assert "&lt;img src=x onerror=alert(&#39;source&#39;)&gt;" in pages[0]
    evidence = re.sub(r"</?mark[^>]*>", "", pages[0])  # highlighted spans cut the sentence into pieces
    assert "killing two civilians &lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt; near the mosque." in evidence


def test_observers_are_slowed_down_not_lost(web_store: Store, syria_pack, tokens: dict[str, str],  # type: ignore[no-untyped-def]
                                            tally: Tally) -> None:
    """Rate limit on submissions: five reports in a minute from an observer allowed three."""
    app = create_app(web_store, syria_pack, Settings(secret_key="k", tiles="", submit_limit=(3, 60.0)))
    with TestClient(app) as client:
        statuses = [client.post("/api/v1/reports", json=REPORT | {"text": f"Shelling, report {n}."},
                                headers=bearer(tokens["obs"])) for n in range(5)]
    assert [r.status_code for r in statuses] == [201, 201, 201, 429, 429]
    assert statuses[3].headers["retry-after"] == "60" and "nothing you sent before was lost" in statuses[3].text
    stored = [r for r in web_store.reports(limit=1000) if r.source == "obs"]
    assert sorted(r.text for r in stored) == [f"Shelling, report {n}." for n in range(3)]
    tally.case(stored=3, rate_limited=2, lost=0)


def thief_of(client: TestClient, name: str) -> TestClient:
    """Sign ``name`` in, and a second client holding a copy of the session cookie, as a thief would."""
    sign_in(client, name)
    thief = TestClient(client.app)
    thief.cookies.set("ceasefire_session", str(client.cookies.get("ceasefire_session")))
    return thief


def test_a_copied_cookie_stops_working_after_logout(client: TestClient, tally: Tally) -> None:
    """Revocation: a session cookie copied before /logout, sent again after it."""
    thief = thief_of(client, "adm")
    assert thief.get("/admin/users").status_code == 200
    logout = client.post("/logout", data={"csrf_token": form_token(client, "/")}, follow_redirects=False)
    assert logout.status_code == 303
    assert thief.get("/admin/users").status_code == 401
    tally.case(refused_after_logout=1)


CHANGES = {"new password": lambda store: add_user(store, "obs", "observer", "a-brand-new-password"),
           "role change": lambda store: add_user(store, "obs", "analyst", PASSWORDS["obs"]),
           "removal": lambda store: remove_user(store, "obs")}


@pytest.mark.parametrize("change", CHANGES)
def test_changing_a_user_ends_their_cookies_and_tokens(client: TestClient, web_store: Store, tokens: dict[str, str],
                                                       change: str, tally: Tally) -> None:
    """Revocation: an old cookie and an old API token after a new password, a role change, a removal."""
    thief = thief_of(client, "obs")
    assert thief.get("/submit").status_code == 200
    assert client.get("/submit", headers=bearer(tokens["obs"])).status_code == 200
    CHANGES[change](web_store)
    assert thief.get("/submit").status_code == 401 and client.get("/submit").status_code == 401
    refused = client.post("/api/v1/reports", json=REPORT, headers=bearer(tokens["obs"]))
    assert refused.status_code == 401 and "The API token is not valid" in refused.json()["error"]
    assert client.get("/submit", headers=bearer(tokens["ana"])).status_code == 200  # other users keep theirs
    tally.case(cookie_refused=1, token_refused=1)


def test_guessing_many_names_from_one_address_is_slowed_down(client: TestClient, tally: Tally) -> None:
    """Rate limit on sign-in per address: 25 names tried from one address within a minute."""
    token = form_token(client)
    responses = [client.post("/login", data={"name": f"guess-{n}", "password": "guess-password",
                                             "csrf_token": token}) for n in range(25)]
    assert [r.status_code for r in responses] == [401] * 20 + [429] * 5
    assert responses[-1].headers["retry-after"] == "60" and "Too many sign-in attempts" in responses[-1].text
    for response in responses:
        tally.case(wrong_password=int(response.status_code == 401), rate_limited=int(response.status_code == 429))


def peak_memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, highest resident so far) of a process, in MB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024


def timed(call: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    start = time.perf_counter()
    return call(), time.perf_counter() - start


def test_a_sign_in_flood_is_refused_early_not_queued(demo_db: Path, tmp_path: Path, tally: Tally) -> None:
    """Sign-in flood: 40 concurrent sign-ins with distinct names against `ceasefire serve`, a public page meanwhile."""
    db = tmp_path / "flood.db"
    shutil.copy(demo_db, db)
    process, url = start_server(str(db))
    try:
        with httpx.Client(base_url=url) as browser:
            token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text).group(1)  # type: ignore[union-attr]
            cookie = str(browser.cookies.get("ceasefire_session"))
        before, _ = peak_memory_mb(process.pid)

        def sign_in_as(n: int) -> httpx.Response:
            return httpx.post(url + "/login", data={"name": f"flood-{n}", "password": "flood-password",
                                                    "csrf_token": token},
                              cookies={"ceasefire_session": cookie}, timeout=120)

        with ThreadPoolExecutor(41) as pool:
            flood = pool.map(sign_in_as, range(40))
            public = pool.submit(lambda: [timed(lambda: httpx.get(url + "/api/v1/agreements", timeout=120))
                                          for _ in range(10)])
            answers, pages = list(flood), public.result()
        _, peak = peak_memory_mb(process.pid)
    finally:
        process.terminate()
        process.wait(30)
    statuses = [a.status_code for a in answers]
    busy = sum("busy checking other sign-ins" in a.text for a in answers)
    assert set(statuses) <= {401, 429} and statuses.count(429) >= 20 and busy >= 1, statuses
    assert all(a.headers["retry-after"].isdigit() for a in answers if a.status_code == 429)
    assert all(p.status_code == 200 for p, _ in pages)
    assert peak - before < 400, f"the server grew from {before:.0f} MB to {peak:.0f} MB"
    tally.case(wrong_password=statuses.count(401), refused_busy=busy, refused_too_many=statuses.count(429) - busy,
               public_pages_served=len(pages),
               slowest_public_page_ms=round(max(seconds for _, seconds in pages) * 1000),
               peak_growth_mb=round(peak - before))


@pytest.mark.parametrize("change", CHANGES)
def test_changing_a_user_ends_their_sessions_and_tokens_in_the_database(store: Store, change: str,
                                                                        tally: Tally) -> None:
    """Revocation on SQLite and PostgreSQL: sessions and tokens after a new password, a role change, a removal."""
    for name in ("obs", "ana"):
        add_user(store, name, "observer", PASSWORDS[name])
    token, session = new_api_token(store, "obs"), start_session(store, User("obs", UserRole.OBSERVER))
    kept_token, kept_session = new_api_token(store, "ana"), start_session(store, User("ana", UserRole.OBSERVER))
    assert token_user(store, token) == session_user(store, session) == User("obs", UserRole.OBSERVER)
    CHANGES[change](store)
    assert token_user(store, token) is None and session_user(store, session) is None
    assert token_user(store, kept_token) == session_user(store, kept_session) == User("ana", UserRole.OBSERVER)
    assert (store.user("obs") is None) == (change == "removal")
    tally.case(token_ended=1, session_ended=1, others_kept=2)


def test_signing_out_ends_only_that_session(store: Store, tally: Tally) -> None:
    """Revocation on SQLite and PostgreSQL: signing out of one browser leaves the user's other sessions."""
    add_user(store, "obs", "observer", PASSWORDS["obs"])
    laptop, phone = (start_session(store, User("obs", UserRole.OBSERVER)) for _ in range(2))
    end_session(store, laptop)
    assert session_user(store, laptop) is None and session_user(store, phone) == User("obs", UserRole.OBSERVER)
    assert add_user(store, "obs", "observer", "another-password") == Revoked(tokens=0, sessions=1)
    tally.case(ended=1, kept=1)
