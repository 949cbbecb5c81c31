#!/usr/bin/python3
"""dcrd's HTTP side as operators and rooms use it: a real Prometheus scraping the real dcrd, and
the wall screen in real headless Chromium.

Everything runs in a temporary directory on free loopback ports and is stopped at the end:
dcrd (the debug build), Debian's `prometheus` and `promtool`, and Debian's `chromium`, driven
over the DevTools protocol on a pipe (`--remote-debugging-pipe`: no extra package, no port).
Events are sent with the independent Python peer (Tests/PeerTests/peer_test.py: Google's
protobuf runtime), numbers compared with `dcrctl load --json`.

    /usr/bin/python3 Tests/DashboardTests/dashboard_test.py --dcrd .build/debug/dcrd

Screenshots of the wall screen go to .build/test-output/ (or $DCR_TEST_OUTPUT).
Prints "N passed, M failed" last; exits non-zero on any failure.
"""

import base64
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "PeerTests"))
import peer_test as peer  # noqa: E402  (the independent peer: framing, protobuf, the daemon)

INTERVAL_MS = 1000          # watch-interval-ms: how often /events pushes
TIMEOUT = 30.0              # seconds: every other wait has this deadline
OUTPUT = os.environ.get("DCR_TEST_OUTPUT", os.path.join(ROOT, ".build", "test-output"))


def free_port():
    return peer.free_port()


def wait_for(what, condition, timeout=TIMEOUT, every=0.05):
    return peer.wait_for(what, condition, timeout, every)


class Daemon(peer.Daemon):
    """The peer tests' daemon plus an http: listener whose port stays the same across restarts."""

    def __init__(self, binary, directory, http_host="127.0.0.1", extra=()):
        super().__init__(binary, directory)
        self.http_host = http_host
        self.http_port = 0
        self.extra = list(extra)

    def start(self):
        self.extra_config = ["listen http:%s:%d" % (self.http_host, self.http_port),
                             "watch-interval-ms %d" % INTERVAL_MS] + self.extra
        super().start()
        for line in self.log().splitlines():
            m = re.search(r"http_ports=\[(\d+)", line)
            if "ready" in line and m:
                self.http_port = int(m.group(1))
        assert self.http_port, "no http_ports=[N] in the ready line:\n" + self.log()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.http_port, path)


def http(method, url, headers=None):
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def dcrctl_load(d):
    dcrctl = os.path.join(os.path.dirname(d.binary), "dcrctl")
    out = subprocess.run([dcrctl, "load", "--json", "--socket", d.socket_path], check=True,
                         capture_output=True, text=True, timeout=30).stdout
    return {s["site"]: s for s in json.loads(out)["sites"]}


FIELDS = ["booths_taken", "capacity", "intakes_5m", "intakes_1h", "intakes_today",
          "incidents_today", "referrals_today", "turn_aways_today"]


def send_events(d, booths_by_site, incidents=1, referrals=1, seconds_ago=20):
    """Intakes taking the given booths, plus incidents and referrals; returns how many were stored."""
    pb = peer.pb
    t = peer.Peer.unix(d.socket_path)
    try:
        t.hello(role=pb.ROLE_TERMINAL)
        requests = []
        for site, booths in booths_by_site.items():
            for booth in booths:
                requests.append(t.request(intake=pb.Intake(
                    client_code="wall-%s-%d-%d" % (site, booth, time.monotonic_ns() % 100000),
                    gender=pb.GENDER_FEMALE, age=30, municipality=101, substance=pb.SUBSTANCE_HEROIN,
                    route=pb.ROUTE_INJECTION, **peer.header(site=site, booth=booth, seconds_ago=seconds_ago))))
        for _ in range(incidents):
            requests.append(t.request(incident=pb.Incident(
                kind=pb.INCIDENT_KIND_OVERDOSE, victim_gender=pb.GENDER_MALE, victim_role=pb.VICTIM_ROLE_CLIENT,
                client_code="wall-incident", overdose_response=pb.OVERDOSE_RESPONSE_NALOXONE,
                **peer.header(site="SKYEN", booth=1, seconds_ago=seconds_ago))))
        for _ in range(referrals):
            requests.append(t.request(referral=pb.Referral(
                client_code="wall-referral", gender=pb.GENDER_FEMALE, target=pb.REFERRAL_TARGET_OUTREACH_ASSESSMENT,
                **peer.header(site="H17", booth=0, seconds_ago=seconds_ago))))
        answers = t.send_all(requests)
        for a in answers:
            assert peer.ok(a) and a.WhichOneof("body") == "ack" and not a.ack.duplicate, a
        return len(answers)
    finally:
        t.close()


# --------------------------------------------------------------------------------------------
# Prometheus
# --------------------------------------------------------------------------------------------

class Prometheus:
    def __init__(self, tmp, target):
        self.dir = os.path.join(tmp, "prometheus")
        os.makedirs(self.dir)
        self.port = free_port()
        self.config = os.path.join(self.dir, "prometheus.yml")
        with open(self.config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    "scrape_configs:\n  - job_name: dcrd\n    scrape_interval: 1s\n"
                    "    static_configs:\n      - targets: ['%s']\n" % target)
        self.log = open(os.path.join(self.dir, "prometheus.log"), "wb")
        self.proc = subprocess.Popen(["/usr/bin/prometheus", "--config.file=" + self.config,
                                      "--storage.tsdb.path=" + os.path.join(self.dir, "data"),
                                      "--web.listen-address=127.0.0.1:%d" % self.port],
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        wait_for("prometheus ready", lambda: self.alive() and http("GET", self.url("/-/ready"))[0] == 200)

    def alive(self):
        if self.proc.poll() is not None:
            raise RuntimeError("prometheus exited %d:\n%s" % (self.proc.returncode, open(self.log.name).read()))
        return True

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def query(self, expr):
        status, _, body = http("GET", self.url("/api/v1/query?" + urllib.parse.urlencode({"query": expr})))
        assert status == 200, body
        doc = json.loads(body)
        assert doc["status"] == "success", doc
        return doc["data"]["result"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def test_a_real_prometheus_counts_what_was_sent(d, tmp):
    prom = Prometheus(tmp, "127.0.0.1:%d" % d.http_port)
    try:
        wait_for("prometheus scrapes dcrd", lambda: [r for r in prom.query('up{job="dcrd"}') if r["value"][1] == "1"])
        sent = send_events(d, {"H17": [1, 2, 3, 4, 5], "SKYEN": [1, 2], "MOBILE": [1]}, incidents=2, referrals=1)

        def counted():
            r = prom.query("sum(dcr_events_stored_total)")
            return r and float(r[0]["value"][1]) == d.stored_before + sent
        wait_for("sum(dcr_events_stored_total) == events sent", counted)
        load = dcrctl_load(d)

        def booths():
            seen = {r["metric"]["site"]: int(float(r["value"][1])) for r in prom.query("dcr_booths_taken")}
            want = {site: s["booths_taken"] for site, s in load.items()}
            return seen == want and seen
        seen = wait_for("dcr_booths_taken == dcrctl load", booths)
        assert seen == {"H17": 5, "SKYEN": 2, "MOBILE": 1}, seen
        capacity = {r["metric"]["site"]: int(float(r["value"][1])) for r in prom.query("dcr_booths_capacity")}
        assert capacity == {"H17": 12, "SKYEN": 6, "MOBILE": 2}, capacity
        d.stored_before += sent
    finally:
        prom.stop()


def test_promtool_accepts_the_metrics_the_rules_and_the_example_config(d, tmp):
    status, headers, body = http("GET", d.url("/metrics"))
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4"), (status, headers)
    check = subprocess.run(["/usr/bin/promtool", "check", "metrics"], input=body, capture_output=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    rules = os.path.join(ROOT, "Deploy", "prometheus", "alerts.yml")
    check = subprocess.run(["/usr/bin/promtool", "check", "rules", rules], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0 and "SUCCESS: 5 rules found" in check.stdout, check.stdout + check.stderr
    config = os.path.join(tmp, "example-prometheus.yml")
    with open(os.path.join(ROOT, "Deploy", "prometheus", "prometheus.yml")) as f:
        text = f.read().replace("/etc/prometheus/dcr-alerts.yml", rules)
    with open(config, "w") as f:
        f.write(text)
    check = subprocess.run(["/usr/bin/promtool", "check", "config", config], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


def exposed_names(d):
    status, _, body = http("GET", d.url("/metrics"))
    assert status == 200
    return {line.split("{")[0].split(" ")[0] for line in body.decode().splitlines() if line and not line.startswith("#")}


def test_every_dashboard_and_alert_query_names_an_exposed_metric(d, tmp):
    # The backup gauges exist once a backup has run (before, there is no "last backup" to tell).
    dcrctl = os.path.join(os.path.dirname(d.binary), "dcrctl")
    backup = os.path.join(tmp, "metrics-backup.sqlite")
    subprocess.run([dcrctl, "backup", "--socket", d.socket_path, "--to", backup], check=True,
                   capture_output=True, timeout=60)
    names = exposed_names(d)
    status, _, body = http("GET", d.url("/metrics"))
    assert re.search(rb"^dcr_last_backup_success 1(\.0)?$", body, re.M), "the metrics show the backup's result"
    with open(os.path.join(ROOT, "Deploy", "grafana", "dcr.json")) as f:
        dashboard = json.load(f)
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    exprs += [v["definition"] for v in dashboard["templating"]["list"]]
    assert len(exprs) >= 10, exprs
    for p in dashboard["panels"]:
        assert p["targets"], "panel %r has no query" % p["title"]
    used = set()
    for e in exprs:
        used |= set(re.findall(r"\bdcr_[a-z0-9_]+", e))
    with open(os.path.join(ROOT, "Deploy", "prometheus", "alerts.yml")) as f:
        used |= set(re.findall(r"\bdcr_[a-z0-9_]+", f.read()))
    missing = sorted(used - names)
    assert not missing, "queried but not exposed: %s" % missing
    for needed in ["dcr_booths_taken", "dcr_events_stored_total", "dcr_store_commit_duration_seconds_bucket",
                   "dcr_frames_rejected_total"]:
        assert needed in used, "the dashboard or the alerts should use %s" % needed


def test_read_only_methods_and_known_paths(d, tmp):
    for method in ["POST", "PUT", "DELETE", "PATCH"]:
        status, headers, _ = http(method, d.url("/metrics"))
        assert status == 405 and headers.get("Allow") == "GET, HEAD", (method, status, headers)
    status, _, body = http("GET", d.url("/no-such-page"))
    assert status == 404, status
    status, headers, body = http("HEAD", d.url("/metrics"))
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0, (status, headers)
    status, headers, body = http("GET", d.url("/"))
    assert status == 200 and b"/wall.js" in body and b"https://" not in body, status


def test_no_client_code_or_pseudonym_in_any_answer(d, tmp):
    bodies = b"".join(http("GET", d.url(p))[2] for p in ["/metrics", "/load.json", "/"])
    assert b"wall-" not in bodies, "a client code reached an HTTP answer"
    assert not re.search(rb"[0-9a-f]{32}", bodies), "something like a pseudonym reached an HTTP answer"


def test_off_loopback_needs_a_token_at_start_and_per_request(d, tmp):
    # Refused at start (exit 78) and by --check-config: no monitor token for http:0.0.0.0.
    lone = os.path.join(tmp, "lone")
    os.makedirs(lone)
    conf = os.path.join(lone, "dcrd.conf")
    with open(conf, "w") as f:
        f.write("listen unix:%s/s.sock\nlisten http:0.0.0.0:0\nstate-dir %s/state\npseudonym-key-file %s/key\n"
                % (lone, lone, lone))
    for args in (["--config", conf], ["--check-config", conf]):
        r = subprocess.run([d.binary] + args, capture_output=True, text=True, timeout=60)
        assert r.returncode == 78, (args, r.returncode, r.stderr)
        assert "monitor token" in r.stderr and "http:0.0.0.0:0" in r.stderr, r.stderr
    assert not os.path.exists(os.path.join(lone, "state")), "nothing may be created by a refused start"
    # With a monitor token it starts, and asks for the token (requests go to loopback only).
    guarded = Daemon(d.binary, os.path.join(tmp, "guarded"), http_host="0.0.0.0")
    os.makedirs(guarded.dir)
    guarded.start()
    try:
        assert http("GET", guarded.url("/metrics"))[0] == 401
        assert http("GET", guarded.url("/metrics"), {"Authorization": "Bearer " + peer.TERMINAL_TOKEN})[0] == 401, \
            "a terminal token is not a monitor token"
        status, _, body = http("GET", guarded.url("/metrics"), {"Authorization": "Bearer " + peer.MONITOR_TOKEN})
        assert status == 200 and b"dcr_events_stored_total" in body, status
        assert http("GET", guarded.url("/"))[0] == 200, "the page itself carries no numbers"
    finally:
        assert guarded.stop() == 0


# --------------------------------------------------------------------------------------------
# Chromium over the DevTools protocol on a pipe
# --------------------------------------------------------------------------------------------

class Chromium:
    """Headless Chromium; DevTools messages are NUL-terminated JSON on fds 3 (in) and 4 (out)."""

    def __init__(self, tmp):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def child_fds():
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
        self.log = open(os.path.join(tmp, "chromium.log"), "wb")
        self.proc = subprocess.Popen(
            ["/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--user-data-dir=" + os.path.join(tmp, "chromium-profile"), "--window-size=1600,900",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", "--lang=en-GB", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.next_id = 1
        self.replies = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]

    def _read(self):
        buf = b""
        while True:
            chunk = os.read(self._from_browser, 65536)
            if not chunk:
                return
            buf += chunk
            while b"\0" in buf:
                msg, buf = buf.split(b"\0", 1)
                doc = json.loads(msg)
                if "id" in doc:
                    self.replies.put(doc)

    def call(self, method, params=None, session=None, timeout=TIMEOUT):
        mid = self.next_id
        self.next_id += 1
        msg = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            doc = self.replies.get(timeout=max(0.01, deadline - time.monotonic()))
            if doc["id"] == mid:
                if "error" in doc:
                    raise RuntimeError("%s: %s" % (method, doc["error"]))
                return doc["result"]

    def page(self, method, params=None):
        return self.call(method, params, session=self.session)

    def evaluate(self, expression):
        r = self.page("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def screenshot(self, path):
        data = self.page("Page.captureScreenshot", {"format": "png"})["data"]
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path

    def stop(self):
        try:
            os.close(self._to_browser)
        except OSError:
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


SCREEN = """JSON.stringify({
  state: document.body.dataset.state,
  status: document.getElementById('state').textContent,
  sites: Object.fromEntries([...document.querySelectorAll('[data-site]')].map(c => [c.dataset.site,
    Object.fromEntries([...c.querySelectorAll('[data-field]')].map(f => [f.dataset.field, f.textContent]))]))
})"""


def screen(browser):
    return json.loads(browser.evaluate(SCREEN))


def shows(browser, load):
    """The page's numbers, field by field, equal dcrctl load --json's."""
    s = screen(browser)
    if s["state"] != "live":
        return False
    for site, want in load.items():
        got = s["sites"].get(site)
        if not got or any(got[f] != str(want[f]) for f in FIELDS):
            return False
    return s


def test_the_wall_screen_follows_the_daemon_in_chromium(d, tmp):
    browser = Chromium(tmp)
    try:
        browser.page("Page.enable")
        browser.page("Page.navigate", {"url": d.url("/?lang=en")})
        wait_for("the page shows dcrctl load", lambda: shows(browser, dcrctl_load(d)))
        before = screen(browser)

        # New events: the page changes within two update intervals, without a reload.
        d.stored_before += send_events(d, {"H17": [9, 10], "MOBILE": [2]}, incidents=1, referrals=2, seconds_ago=5)
        acked = time.monotonic()
        load = dcrctl_load(d)
        wait_for("the new numbers on the page", lambda: shows(browser, load), timeout=2 * INTERVAL_MS / 1000 + 0.25)
        took = time.monotonic() - acked
        after = screen(browser)
        assert after["sites"]["H17"]["booths_taken"] != before["sites"]["H17"]["booths_taken"], (before, after)
        assert browser.evaluate("performance.getEntriesByType('navigation').length") == 1, "no reload happened"
        print("       the page showed the new numbers %.0f ms after the acknowledgement (interval %d ms)" % (took * 1000, INTERVAL_MS))
        print("       screenshot: " + browser.screenshot(os.path.join(OUTPUT, "wall-screen.png")))

        # dcrd stops: the page says it lost the connection and is reconnecting, numbers kept.
        assert d.stop() == 0
        lost = wait_for("the reconnecting state", lambda: (lambda s: s["state"] == "lost" and s)(screen(browser)),
                        timeout=3 * INTERVAL_MS / 1000 + 5)
        assert "reconnecting" in lost["status"].lower(), lost["status"]
        assert lost["sites"]["H17"]["booths_taken"] == after["sites"]["H17"]["booths_taken"], "the last numbers stay"
        print("       screenshot: " + browser.screenshot(os.path.join(OUTPUT, "wall-screen-reconnecting.png")))

        # dcrd starts again (same port, same store): the page recovers by itself.
        d.start()
        wait_for("the page live again with dcrctl load's numbers", lambda: shows(browser, dcrctl_load(d)))
        assert browser.evaluate("performance.getEntriesByType('navigation').length") == 1, "no reload happened"
    finally:
        browser.stop()


TESTS = [
    test_read_only_methods_and_known_paths,
    test_a_real_prometheus_counts_what_was_sent,
    test_promtool_accepts_the_metrics_the_rules_and_the_example_config,
    test_every_dashboard_and_alert_query_names_an_exposed_metric,
    test_the_wall_screen_follows_the_daemon_in_chromium,
    test_no_client_code_or_pseudonym_in_any_answer,
    test_off_loopback_needs_a_token_at_start_and_per_request,
]


def main():
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dcrd", default=os.path.join(ROOT, ".build", "debug", "dcrd"))
    parser.add_argument("--proto-dir", default=os.path.join(ROOT, "Proto"))
    parser.add_argument("-k", dest="only", default="")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda n, f: (_ for _ in ()).throw(KeyboardInterrupt("signal %d" % n)))
    passed, failed = 0, 0
    tmp = tempfile.mkdtemp(prefix="dcr-dashboard-")
    d = None
    try:
        peer.pb = peer.generate(args.proto_dir, os.path.join(tmp, "gen"))
        d = Daemon(os.path.abspath(args.dcrd), os.path.join(tmp, "dcrd"))
        os.makedirs(d.dir)
        d.stored_before = 0
        d.start()
        for test in TESTS:
            if args.only not in test.__name__:
                continue
            try:
                if not d.alive():
                    d.start()
                test(d, tmp)
                passed += 1
                print("ok     " + test.__name__)
            except Exception:
                failed += 1
                print("FAILED " + test.__name__)
                traceback.print_exc(file=sys.stdout)
                print("--- dcrd log (tail) ---\n" + "\n".join(d.log().splitlines()[-30:]))
    except BaseException:
        failed += 1
        traceback.print_exc(file=sys.stdout)
    finally:
        if d is not None:
            d.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
