"""The site stands through outages of Redis and PostgreSQL, with real services.

The cache backend is first tried on its own against a real ``redis-server``. Then the
site runs as in production (gunicorn, production settings, one worker) on the test
database, reached through a TCP proxy that the tests control, with its cache in a
``redis-server`` that the tests kill and start again:

- Redis gone: pages, feeds and the API still answer 200 from the database; the log
  says so once; ``/healthz/`` says the cache is unreachable; Redis back: used again.
- every server-side connection closed (a routine PostgreSQL restart): the next
  request answers 200, thanks to CONN_HEALTH_CHECKS;
- PostgreSQL refusing connections: 503 with the bilingual maintenance page and
  ``Retry-After`` (JSON under /api/), ``/healthz/`` 503; back: 200 again.
"""

import contextlib
import http.client
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import translation

from wagtail.models import Page, Site

import pytest
import redis
from production import production_env

from apps.core.cache import ResilientRedisCache
from apps.home.models import HomePage
from apps.news.models import NewsIndexPage, NewsStoryPage

ROOT = Path(__file__).resolve().parents[1]
APPLICATION_NAME = "mediation-outage-test"
# The maintenance page, in both languages (templates/503.html).
MAINTENANCE_EN = "The site is temporarily unavailable"
MAINTENANCE_AR = "الموقع غير متاح مؤقتًا"
CACHE_DOWN = "Cache unreachable at"
CACHE_BACK = "Cache back at"


def on_postgresql(test):
    """The site's tests: on PostgreSQL only, whose test database they need set up (the
    mark); their data is committed by the module's fixtures, not by the test."""
    skip = pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the site is served by gunicorn from the PostgreSQL test database only "
        "(as in CI): set DATABASE_URL=postgres://…",
    )
    return skip(pytest.mark.django_db(test))


def free_port():
    """A port that no process listens on, chosen by the system: tests running at the
    same time (pytest-xdist workers, other checkouts) never pick the same one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(message)


# --- real services ------------------------------------------------------------


class RedisServer:
    """A throw-away redis-server: no persistence, on 127.0.0.1 only."""

    def __init__(self, port, directory):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.directory = directory
        self.process = None

    def start(self):
        if self.process and self.process.poll() is None:
            return
        executable = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(executable).exists():
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        self.process = subprocess.Popen(
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, 10, f"redis-server did not start on port {self.port}")

    def answers(self):
        try:
            return redis.Redis.from_url(self.url, socket_timeout=0.2).ping()
        except redis.exceptions.ConnectionError:
            return False

    def client(self, db=0):
        return redis.Redis(port=self.port, db=db, socket_timeout=1)

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


class Proxy:
    """A TCP proxy in front of PostgreSQL that can drop every connection (what a
    restart does to the clients) and refuse new ones (the server is down)."""

    def __init__(self, port, target):
        self.port = port
        self.target = target
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()

    def start(self):
        if self.listener:
            return
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self.listener = listener
        threading.Thread(target=self.accept, args=(listener,), daemon=True).start()

    def accept(self, listener):
        while self.listener is listener:
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.sockets |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    def pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                self.close(sock)

    def close(self, sock):
        with self.lock:
            self.sockets.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def drop_connections(self):
        """Close every connection in both directions; return how many there were."""
        with self.lock:
            sockets = list(self.sockets)
        for sock in sockets:
            self.close(sock)
        return len(sockets) // 2

    def refuse(self):
        listener, self.listener = self.listener, None
        listener.close()
        self.drop_connections()

    def stop(self):
        if self.listener:
            self.refuse()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Web:
    """gunicorn serving the site with production settings."""

    def __init__(self, port, log):
        self.port = port
        self.log = log

    def get(self, path):
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            client.request("GET", path)
            response = client.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            client.close()

    def log_text(self):
        return self.log.read_text()


def production_environment(**values):
    return production_env(
        ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false", LOG_LEVEL="INFO", **values
    )


# --- the cache backend on its own -------------------------------------------


@pytest.fixture
def free_redis_port():
    return free_port()


def resilient_cache(port, db, **options):
    # A database number per test: the outage state is per server and process.
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, **options}
    return ResilientRedisCache(f"redis://127.0.0.1:{port}/{db}", {"OPTIONS": options})


def cache_records(caplog):
    return [record for record in caplog.records if record.name == "apps.core.cache"]


def test_every_operation_is_a_miss_while_redis_is_unreachable(free_redis_port, caplog):
    # Nothing listens on the port; RETRY_INTERVAL 0 sends every call to Redis.
    cache = resilient_cache(free_redis_port, 1, RETRY_INTERVAL=0)
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.add("key", "value") is False
    assert cache.set("key", "value") is None
    assert cache.touch("key") is False
    assert cache.delete("key") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("key") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete_many(["a", "b"]) is None
    assert cache.clear() is False
    assert cache.get_or_set("key", "computed") == "computed"
    for operation in (cache.incr, cache.decr):
        with pytest.raises(ValueError, match="not found"):
            operation("counter")
    records = cache_records(caplog)
    assert [record.levelname for record in records] == ["WARNING"]
    assert CACHE_DOWN in records[0].getMessage()
    assert f"127.0.0.1:{free_redis_port}" in records[0].getMessage()
    assert records[0].exc_info is None  # one line, no traceback


def test_redis_back_is_used_again_and_logged_once(free_redis_port, tmp_path, caplog):
    cache = resilient_cache(free_redis_port, 2, RETRY_INTERVAL=0)
    assert cache.get("key", "miss") == "miss"
    server = RedisServer(free_redis_port, tmp_path)
    server.start()
    try:
        cache.set("key", "stored")
        assert cache.get("key") == "stored"
        assert cache.add("counter", 1) is True
        assert cache.incr("counter") == 2
        assert cache.get("counter") == 2
        assert server.client(db=2).dbsize() == 2
    finally:
        server.kill()
    messages = [record.getMessage() for record in cache_records(caplog)]
    assert [m.split(" (")[0].split(" after")[0] for m in messages] == [
        f"{CACHE_DOWN} 127.0.0.1:{free_redis_port}",
        f"{CACHE_BACK} 127.0.0.1:{free_redis_port}",
    ]


def test_a_silent_cache_costs_one_timeout_not_one_per_call(caplog):
    # A port that completes the TCP handshake and then never answers: a black hole.
    with socket.socket() as black_hole:
        black_hole.bind(("127.0.0.1", 0))
        black_hole.listen(64)
        port = black_hole.getsockname()[1]
        cache = resilient_cache(port, 3, socket_timeout=0.3, RETRY_INTERVAL=60)
        started = time.monotonic()
        for _ in range(20):
            assert cache.get("key", "miss") == "miss"
        elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 1.5
    assert len(cache_records(caplog)) == 1


# --- /healthz/ ------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_checks_the_database_and_the_cache(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"database: ok\ncache: ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert client.head("/healthz/").status_code == 200
    assert client.post("/healthz/").status_code == 405


@pytest.mark.django_db
def test_healthz_names_an_unreachable_cache_and_stays_200(client, settings, free_redis_port):
    location = f"redis://127.0.0.1:{free_redis_port}/4"
    settings.CACHES = {
        "default": {"BACKEND": "apps.core.cache.ResilientRedisCache", "LOCATION": location}
    }
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"database: ok\ncache: unreachable\n"


# --- the site under gunicorn ---------------------------------------------------


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(free_port(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="module")
def proxy(django_db_setup):
    database = connection.settings_dict
    proxy = Proxy(free_port(), (database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker, web_port):
    """A small site of its own, committed so that gunicorn sees it: the test run's
    default site is left alone, and everything is deleted afterwards."""
    with django_db_blocker.unblock():
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title_en="Peace mediation", title_ar="الوساطة من أجل السلام",
                slug_en="outage-home", slug_ar="outage-home",
            )
        )  # fmt: skip
        site = Site.objects.create(hostname="127.0.0.1", port=web_port, root_page=home)
        news = home.add_child(
            instance=NewsIndexPage(
                title_en="News", title_ar="الأخبار", slug_en="news", slug_ar="akhbar"
            )
        )  # fmt: skip
        story = news.add_child(
            instance=NewsStoryPage(
                title_en="Envoy meets the parties", title_ar="المبعوث يلتقي الأطراف",
                slug_en="envoy-meets-the-parties", slug_ar="almabouth", date="2026-01-05",
                lead_en="<p>Talks under Article 33 of the Charter.</p>",
                lead_ar="<p>محادثات في إطار المادة 33 من الميثاق.</p>",
            )
        )  # fmt: skip
        paths = {}
        for language in ("en", "ar"):
            with translation.override(language):
                paths[f"story_{language}"] = story.get_url()
        try:
            yield paths
        finally:
            site.delete()
            Page.objects.get(pk=home.pk).delete()


@pytest.fixture(scope="module")
def web_port():
    return free_port()


@pytest.fixture(scope="module")
def web(tmp_path_factory, web_port, proxy, redis_server, content):
    directory = tmp_path_factory.mktemp("web")
    database = connection.settings_dict
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    environ = production_environment(
        DATABASE_URL=f"postgres://{credentials}@127.0.0.1:{proxy.port}/{database['NAME']}"
        f"?application_name={APPLICATION_NAME}",
        REDIS_URL=redis_server.url,
        # Every request here must reach the database: no page is answered from the cache.
        PAGE_CACHE_SECONDS="0",
        STATIC_ROOT=str(directory / "static"),
        MEDIA_ROOT=str(directory / "media"),
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    log = directory / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--workers", "1"]
            + ["--bind", f"127.0.0.1:{web_port}", "--access-logfile", "/dev/null"],
            cwd=ROOT, env=environ, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    web = Web(web_port, log)

    def ready():
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{log.read_text()}")
        try:
            return web.get("/healthz/").status == 200
        except OSError:
            return False

    try:
        wait_for(ready, 30, f"gunicorn did not answer /healthz/:\n{log.read_text()}")
        yield web
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def public_urls(content):
    return [
        "/en/", "/ar/", content["story_en"], content["story_ar"],
        "/en/feeds/news.rss", "/ar/feeds/news.atom", "/api/v2/pages/",
    ]  # fmt: skip


def wait_for_cache(web):
    """Until the worker sees Redis again: it retries a few seconds after a failure."""
    wait_for(
        lambda: web.get("/healthz/").text == "database: ok\ncache: ok\n",
        10,
        "/healthz/ does not see Redis",
    )


@on_postgresql
def test_the_site_uses_redis_when_it_is_up(web, redis_server, content):
    for url in public_urls(content):
        assert web.get(url).status == 200, url
    assert web.get("/healthz/").text == "database: ok\ncache: ok\n"
    # Wagtail's site root paths and the mention links are cached there.
    assert redis_server.client().dbsize() > 0


@on_postgresql
def test_without_redis_pages_come_from_the_database(web, redis_server, content):
    wait_for_cache(web)
    redis_server.kill()
    try:
        start = len(web.log_text())
        for _ in range(3):
            for url in public_urls(content):
                response = web.get(url)
                assert response.status == 200, (url, response.text[:500])
        assert "Envoy meets the parties" in web.get(content["story_en"]).text
        assert "المبعوث يلتقي الأطراف" in web.get(content["story_ar"]).text
        health = web.get("/healthz/")
        assert health.status == 200
        assert health.text == "database: ok\ncache: unreachable\n"
        assert "no-store" in health.headers["Cache-Control"]
        log = web.log_text()[start:]
        assert log.count(CACHE_DOWN) == 1, log
        assert "Traceback" not in log
    finally:
        redis_server.start()


@on_postgresql
def test_redis_back_is_used_again(web, redis_server, content):
    redis_server.kill()
    assert web.get("/en/").status == 200
    redis_server.start()  # empty, as after a restart
    start = len(web.log_text())
    wait_for_cache(web)
    for url in public_urls(content):
        assert web.get(url).status == 200, url
    assert redis_server.client().dbsize() > 0
    assert web.log_text()[start:].count(CACHE_BACK) == 1


def terminate_site_connections(django_db_blocker):
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = %s AND datname = current_database()",
            [APPLICATION_NAME],
        )
        return len(cursor.fetchall())


@on_postgresql
def test_a_database_restart_costs_no_request(web, proxy, content, django_db_blocker):
    assert web.get("/en/").status == 200  # the worker holds a persistent connection
    assert terminate_site_connections(django_db_blocker) == 1
    response = web.get("/en/")
    assert response.status == 200, response.text[:500]
    # The same, the way clients see a restart: every connection closed under them.
    assert proxy.drop_connections() == 1
    response = web.get(content["story_en"])
    assert response.status == 200, response.text[:500]


def assert_maintenance_page(response, language):
    assert response.status == 503, response.text[:500]
    assert response.headers["Retry-After"].isdigit()
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Type"].startswith("text/html")
    assert MAINTENANCE_EN in response.text and MAINTENANCE_AR in response.text
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in response.text
    assert "Traceback" not in response.text and "OperationalError" not in response.text


@on_postgresql
def test_without_the_database_the_site_answers_503(web, proxy, content):
    proxy.refuse()
    try:
        start = len(web.log_text())
        # Raised looking up the site (SiteMiddleware) or in the view: the one-line 503.
        assert_maintenance_page(web.get("/en/"), "en")
        assert_maintenance_page(web.get("/ar/"), "ar")
        assert_maintenance_page(web.get(content["story_en"]), "en")
        assert_maintenance_page(web.get(content["story_ar"]), "ar")
        assert_maintenance_page(web.get("/en/feeds/news.rss"), "en")
        api = web.get("/api/v2/pages/")
        assert api.status == 503
        assert api.headers["Content-Type"] == "application/json"
        assert api.headers["Retry-After"].isdigit()
        assert "temporarily unavailable" in api.json()["detail"]
        log = web.log_text()[start:]
        assert log.count("Database unreachable, answering 503") == 6, log
        assert "Traceback" not in log

        # Raised outside any view (a 404 from the URL resolver, whose page and
        # redirect lookup need the database): handler500's 503.
        start = len(web.log_text())
        assert_maintenance_page(web.get("/documents/no-such-path/"), "en")
        api = web.get("/api/no-such-endpoint/")
        assert api.status == 503 and api.json()["detail"]
        assert "Database unreachable, answering 503" not in web.log_text()[start:]

        health = web.get("/healthz/")
        assert health.status == 503
        assert health.text == "database: unreachable\ncache: ok\n"
    finally:
        proxy.start()


@on_postgresql
def test_the_database_back_is_used_again(web, proxy, content):
    proxy.refuse()
    try:
        assert web.get("/en/").status == 503
    finally:
        proxy.start()
    for url in public_urls(content):
        response = web.get(url)
        assert response.status == 200, (url, response.text[:500])
    assert web.get("/healthz/").text == "database: ok\ncache: ok\n"
