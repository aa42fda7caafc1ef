#!/usr/bin/env python3
"""Yingji's performance harness: generate data, start the release server, measure it against
its ceilings and print the results as Markdown (docs/PERFORMANCE.md takes them).

Run through scripts/bench.sh, which installs wrk and builds the release binaries first:

    scripts/bench.sh                          # county, 5 years, SQLite, 10 s per load test
    scripts/bench.sh --backend postgres       # the same on a throwaway PostgreSQL
    scripts/bench.sh --scale province --years 1 --backend postgres --pages-only
    scripts/bench.sh --smoke                  # a tiny run that only checks the harness works

Every load test is wrk on loopback for a fixed time; the server and wrk share the machine.
Standard library only.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The release binary; the smoke run in the test suite points this at the debug build.
BIN = os.environ.get("YINGJI_BENCH_BIN", os.path.join(ROOT, "target", "release", "yingji"))
SEAT_TOWN = "510722101000"  # 潼川镇, where the `tongchuan` account works

# wrk prints one JSON line when a run ends; for POST runs the body and headers come from here.
LUA = r"""
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"errors":%d,"status_errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, errors, summary.errors.status))
end
"""


def log(msg):
    print(f"-- {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Server:
    """The release binary serving one database on a free loopback port."""

    def __init__(self, database, workdir, name):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(workdir, f"{name}.log")
        env = dict(os.environ)
        env.setdefault("YINGJI_LOG", "info,sqlx=warn,sea_orm=warn,tower_http=warn")
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [BIN, "--database", database, "--log-json", "serve", "--bench-baselines",
             "--listen", f"127.0.0.1:{self.port}"],
            stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT, env=env, cwd=workdir)
        self.ready_ms = self._wait_ready(started)
        text = open(self.log_path).read()
        m = re.search(r'"ready_in_ms":(\d+)', text)
        self.logged_ready_ms = int(m.group(1)) if m else None

    def _wait_ready(self, started):
        while time.monotonic() - started < 60:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited: see {self.log_path}")
            try:
                status, _, _ = request(self.base, "GET", "/readyz")
                if status == 200:
                    return (time.monotonic() - started) * 1000
            except OSError:
                pass
            time.sleep(0.005)
        raise SystemExit("server not ready within 60 s")

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def settle(self, limit=300):
        """Wait until the background jobs have caught up (the server idles for 2 s): the first
        start on generated data escalates years of overdue hazards at once, which is real but
        not the steady state a load test measures. Returns the seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            before = self.cpu_seconds()
            time.sleep(2)
            if self.cpu_seconds() - before < 0.05:
                break
        return time.monotonic() - started

    def rss(self, field="VmRSS"):
        return rss_kib(self.proc.pid, field)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def request(base, method, path, headers=None, body=None):
    u = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, r.getheaders(), data


class Session:
    """A signed-in user: the cookie and CSRF token wrk sends."""

    def __init__(self, base, username, password):
        form = urllib.parse.urlencode({"username": username, "password": password, "next": "/"})
        status, headers, _ = request(base, "POST", "/login", {
            "Content-Type": "application/x-www-form-urlencoded"}, form)
        cookie = next((v.split(";")[0] for k, v in headers if k.lower() == "set-cookie"), None)
        if status not in (302, 303) or not cookie:
            raise SystemExit(f"login of {username} failed: {status}")
        self.base, self.username, self.cookie = base, username, cookie
        self.csrf = self.json("/api/v1/me")["csrf_token"]

    def headers(self):
        return {"Cookie": self.cookie, "X-CSRF-Token": self.csrf}

    def json(self, path):
        status, _, data = request(self.base, "GET", path, {"Cookie": self.cookie})
        if status != 200:
            raise SystemExit(f"{path}: {status} {data[:200]!r}")
        return json.loads(data)

    def timed(self, path, runs):
        """Sequential latencies of one page, in ms (no concurrency: the cost of one request)."""
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            status, _, _ = request(self.base, "GET", path, {"Cookie": self.cookie})
            times.append((time.perf_counter() - t) * 1000)
            if status != 200:
                raise SystemExit(f"{path}: {status}")
        return statistics.median(times)


def wrk(workdir, url, seconds, connections, headers=None, body=None):
    script = os.path.join(workdir, "bench.lua")
    if not os.path.exists(script):
        with open(script, "w") as f:
            f.write(LUA)
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
           "-s", script]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    env = dict(os.environ, BENCH_BODY=body or "")
    out = subprocess.run(cmd + [url], capture_output=True, text=True, env=env, check=True).stdout
    line = [l for l in out.splitlines() if l.startswith("{")][-1]
    r = json.loads(line)
    r["per_second"] = r["requests"] / r["seconds"]
    return r


def generate(database, scale, years, smoke, workdir):
    cmd = [BIN, "--database", database, "demo", "--scale", scale, "--years", str(years)]
    if smoke:
        cmd += ["--divide", "100"]
    log(" ".join(cmd[1:]))
    started = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir,
                         env=dict(os.environ, YINGJI_LOG="warn"))
    if out.returncode != 0:
        raise SystemExit(out.stdout + out.stderr)
    accounts = {}
    summary = ""
    for line in out.stdout.splitlines():
        parts = line.split()
        if line.startswith("已生成"):
            summary = line
        elif len(parts) >= 4 and re.fullmatch(r"[a-z]+", parts[0]):
            accounts[parts[0]] = parts[-1]
    return accounts, summary, time.monotonic() - started


# The region code prefix each leader reads: the raw SQL of the statistics is timed for it too.
TOP_SCOPES = {"sheng": "51", "shi": "5107", "leader": "510722"}


def ceilings(database, period, top):
    env = dict(os.environ, BENCH_DATABASE=database, BENCH_FROM=period[0], BENCH_TO=period[1],
               BENCH_TOP_SCOPE=TOP_SCOPES[top])
    # YINGJI_BENCH_CEILINGS: a built ceilings bench to run instead (a long run on copies of the
    # binaries leaves the tree free to change).
    cmd = os.environ.get("YINGJI_BENCH_CEILINGS")
    cmd = [cmd] if cmd else ["cargo", "bench", "-q", "-p", "yingji", "--bench", "ceilings"]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stdout + out.stderr)
    return {r["what"]: r for r in map(json.loads, filter(
        lambda l: l.startswith("{"), out.stdout.splitlines()))}


def start_postgres(workdir):
    log("starting a throwaway PostgreSQL (scripts/start-postgres.sh)")
    proc = subprocess.Popen(["bash", os.path.join(ROOT, "scripts", "start-postgres.sh")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    for line in proc.stdout:
        m = re.search(r"YINGJI_TEST_DATABASE_URL=(\S+)", line)
        if m:
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            admin = m.group(1).strip("'\"")
            # The admin URL names the `postgres` database, whose schema the role may not write
            # (PostgreSQL 15): Yingji gets a database of its own.
            bindir = subprocess.run(["bash", os.path.join(ROOT, "scripts", "start-postgres.sh"),
                                     "--bindir"], capture_output=True, text=True,
                                    check=True).stdout.strip()
            subprocess.run([os.path.join(bindir, "psql"), "-q", admin, "-c",
                            "CREATE DATABASE yingji_bench"], check=True)
            return proc, admin.rsplit("/", 1)[0] + "/yingji_bench"
    raise SystemExit("PostgreSQL did not start")


class Sampler(threading.Thread):
    """The highest RSS seen while a load test runs."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.peak, self.running = server, 0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, self.server.rss())
            time.sleep(0.1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", default="county", choices=["county", "city", "province"])
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--backend", default="sqlite", choices=["sqlite", "postgres"])
    ap.add_argument("--seconds", type=int, default=10, help="length of each load test")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--smoke", action="store_true",
                    help="a hundredth of a county's year, 2 s load tests at 4 connections as the "
                    "county user, no ceilings: checks the harness runs (the test suite does)")
    ap.add_argument("--json", help="also write the results as JSON to this file")
    ap.add_argument("--no-ceilings", action="store_true",
                    help="skip the ceilings bench (its build is a second release build)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    if args.smoke:
        args.seconds, args.connections, args.years = 2, 4, 1
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: run scripts/bench.sh (it installs wrk) or apt-get install wrk")
    workdir = tempfile.mkdtemp(prefix="yingji-bench-")
    pg = None
    accounts = {}
    results = {"date": datetime.date.today().isoformat(), "args": vars(args),
               "machine": f"{os.cpu_count()} cores, {platform.platform()}"}
    try:
        if args.backend == "postgres":
            pg, database = start_postgres(workdir)
        else:
            database = f"sqlite://{workdir}/yingji.db?mode=rwc"
        results["binary_mib"] = os.path.getsize(BIN) / 2**20

        # Start-up with every migration to apply (an empty database), then generate.
        fresh = f"sqlite://{workdir}/fresh.db?mode=rwc"
        first = Server(fresh, workdir, "fresh")
        results["start_fresh_ms"] = first.ready_ms
        first.stop()
        accounts, summary, gen_s = generate(database, args.scale, args.years, args.smoke, workdir)
        results["generator"] = summary
        log(summary or "demo data loaded")

        server = Server(database, workdir, "serve")
        results["start_ms"] = server.ready_ms
        results["start_logged_ms"] = server.logged_ready_ms
        results["settle_s"] = server.settle()
        log(f"background jobs settled after {results['settle_s']:.0f} s")
        county = Session(server.base, "safety", accounts["safety"])
        township = Session(server.base, "tongchuan", accounts["tongchuan"])
        time.sleep(2)
        results["idle_rss_mib"] = server.rss() / 1024

        year = datetime.date.today().year
        period = (f"{year}-01-01", f"{year}-06-30")
        stats_query = f"from={period[0]}&to={period[1]}"
        runs = []

        def run(label, who, path, body=None, baseline=None):
            headers = who.headers() if who else None
            sampler = Sampler(server)
            sampler.start()
            r = wrk(workdir, server.base + path, args.seconds, args.connections, headers, body)
            sampler.running = False
            sampler.join()
            r.update(label=label, user=who.username if who else "—", path=path,
                     baseline=baseline, rss_mib=sampler.peak / 1024)
            log(f"{label} ({r['user']}): {r['per_second']:.0f}/s p50 {r['p50_ms']:.2f} ms "
                f"p99 {r['p99_ms']:.2f} ms errors {r['errors']}")
            runs.append(r)
            return r

        run("ceiling: static answer", None, "/bench/static")
        run("ceiling: 50-row table from memory", county, "/bench/table")
        for who in (county,) if args.smoke else (county, township):
            hazards = who.json("/api/v1/safety/hazards?state=rectifying")["items"]
            units = who.json("/api/v1/safety/units")["items"]
            if not hazards or not units:
                raise SystemExit(f"{who.username}: no hazards or units to test with")
            run("home page", who, "/", baseline="ceiling: 50-row table from memory")
            run("hazard list, filtered", who,
                f"/safety/hazards?township={SEAT_TOWN}&state=rectifying",
                baseline="ceiling: 50-row table from memory")
            run("hazard detail", who, f"/safety/hazards/{hazards[0]['id']}",
                baseline="ceiling: 50-row table from memory")
            run("statistics page, half-year", who, f"/safety/statistics?{stats_query}",
                baseline="ceiling: 50-row table from memory")
            body = json.dumps({
                "unit_id": units[0]["id"], "description": "压测：灭火器压力不足",
                "category_code": "fire_facilities", "grade": "general",
                "discovered_on": datetime.date.today().isoformat(), "source": "self_check",
                "location": "仓库"}, ensure_ascii=False)
            run("record a hazard (API)", who, "/api/v1/safety/hazards", body=body,
                baseline="raw insert+commit")
        results["runs"] = runs
        results["load_peak_rss_mib"] = server.rss("VmHWM") / 1024
        results["statistics_api_ms"] = county.timed(
            f"/api/v1/safety/statistics?{stats_query}", 15)
        # The widest reader of the data generated: the province's or city's leader, else the county's.
        top = next(u for u in ("sheng", "shi", "leader") if u in accounts)
        results["statistics_top"] = top
        results["statistics_top_ms"] = Session(server.base, top, accounts[top]).timed(
            f"/api/v1/safety/statistics?{stats_query}", 5)
        server.stop()
        if not (args.smoke or args.no_ceilings):
            results["ceilings"] = ceilings(database, period, top)
    finally:
        if pg:
            os.killpg(pg.pid, signal.SIGTERM)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            with open(os.path.join(workdir, "accounts.json"), "w") as f:
                json.dump(accounts, f)
            log(f"kept {workdir} (accounts.json has the passwords)")
    report(results, args.json)


def report(r, json_path):
    out = os.path.join(ROOT, "target", "bench")
    os.makedirs(out, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    for path in filter(None, [os.path.join(out, f"results-{stamp}.json"), json_path]):
        with open(path, "w") as f:
            json.dump(r, f, ensure_ascii=False, indent=1)
    a = r["args"]
    print(f"## {a['scale']} × {a['years']} years on {a['backend']} ({r['date']}, {r['machine']})\n")
    if r.get("generator"):
        print(f"Generator: {r['generator']}\n")
    by_label = {x["label"]: x for x in r["runs"] if x["user"] in ("—", "safety")}
    ceil = r.get("ceilings", {})
    commit = ceil.get("raw_commit", {}).get("per_second")
    print(f"wrk, {a['connections']} connections, {a['seconds']} s each, loopback.\n")
    print("| what | user | req/s | p50 ms | p99 ms | errors | vs ceiling |")
    print("|---|---|---|---|---|---|---|")
    for x in r["runs"]:
        ratio = ""
        if x["baseline"] == "raw insert+commit" and commit:
            ratio = f"{x['per_second'] / commit:.0%} of {commit:.0f}/s"
        elif x["baseline"] in by_label:
            ratio = f"{x['per_second'] / by_label[x['baseline']]['per_second']:.0%}"
        print(f"| {x['label']} | {x['user']} | {x['per_second']:.0f} | {x['p50_ms']:.2f} | "
              f"{x['p99_ms']:.2f} | {x['errors']} | {ratio} |")
    print()
    stats = ceil.get("statistics_sql", {}).get("p50_ms")
    lines = [
        ("binary size", f"{r['binary_mib']:.1f} MiB"),
        ("start, empty database (all migrations applied)", f"{r['start_fresh_ms']:.0f} ms to /readyz"),
        ("start, generated database", f"{r['start_ms']:.0f} ms to /readyz (log ready_in_ms {r['start_logged_ms']})"),
        ("background jobs after the first start on generated data", f"{r['settle_s']:.0f} s until idle"),
        ("idle RSS after start and two logins", f"{r['idle_rss_mib']:.1f} MiB"),
        ("peak RSS during the load tests", f"{r['load_peak_rss_mib']:.1f} MiB"),
        ("statistics API, half-year, county (sequential p50)", f"{r['statistics_api_ms']:.1f} ms"),
        (f"statistics API, half-year, as `{r['statistics_top']}` (the widest scope, p50)",
         f"{r['statistics_top_ms']:.1f} ms"),
    ]
    if stats:
        lines.append(("raw SQL of the same figures (p50)",
                      f"{stats:.1f} ms → API is {r['statistics_api_ms'] / stats:.1f}×"))
    top_sql = ceil.get("statistics_sql_top", {}).get("p50_ms")
    if top_sql:
        lines.append((f"raw SQL of the same figures for `{r['statistics_top']}`'s region (p50)",
                      f"{top_sql:.1f} ms → API is {r['statistics_top_ms'] / top_sql:.1f}×"))
    if commit:
        lines.append(("raw single-row insert+commit, Yingji's connection settings",
                      f"{commit:.0f}/s (synchronous {ceil['raw_commit']['synchronous']})"))
    if "raw_commit_full" in ceil:
        lines.append(("raw single-row insert+commit, synchronous FULL",
                      f"{ceil['raw_commit_full']['per_second']:.0f}/s"))
    print("| measure | result |\n|---|---|")
    for k, v in lines:
        print(f"| {k} | {v} |")


if __name__ == "__main__":
    main()
