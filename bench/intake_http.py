"""HTTP intake throughput: window staff recording demands through POST /demands/new/ on loopback.

    .venv/bin/python bench/intake_http.py [--db sqlite postgres] [--seconds 20] [--connections 8]

Needs ``wrk`` (Debian: ``apt-get install wrk``).  For every database the script
builds a fresh one (reference data, 2,000 demo enterprises, the demo logins), starts
gunicorn as production would run it (``--workers 2 --threads 2``, DEBUG off) on
127.0.0.1, logs in as the city platform clerk (``chuangkou``) with a real login POST,
then lets wrk post the staff intake form for ``--seconds`` from ``--connections``
connections: every request carries its own idempotency key and one of the enterprises,
and a good one answers 302 (to the new demand's page).  Afterwards it counts the
demands in the database: every request wrk completed must have created exactly one.
Only loopback is used; the run ends by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from _common import DEFAULT_PG_URL, ROOT, fresh_var_dir, machine, recreate_postgres, setup_django


def _free_port() -> int:
    """A port nobody listens on: a fixed one once sent the load to another program's server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = _free_port()
PASSWORD = "Qifu@2026demo"
LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
counter = 0
local enterprises = {ENTERPRISES}
request = function()
  counter = counter + 1
  local key = string.format("%08x%08x%016x", tid, counter, 0)
  local enterprise = enterprises[(counter * 7 + tid) % #enterprises + 1]
  local body = "BODY" .. "&idempotency_key=" .. key .. "&enterprise=" .. enterprise
  return wrk.format("POST", "/demands/new/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "COOKIE",
  }, body)
end
"""


def main() -> None:
    args = _parse()
    if args.prepare:
        print(json.dumps(_prepare()))
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    print(f"machine: {machine()}", flush=True)
    rows = [row for db in args.db if (row := _run(db, args))]
    print()
    print(f"{'db':<9}{'conns':>6}{'seconds':>8}{'requests':>10}{'req/s':>9}{'p50 ms':>8}{'p99 ms':>8}"
          f"{'errors':>8}{'created':>9}")
    for r in rows:
        print(f"{r['db']:<9}{r['connections']:>6}{r['seconds']:>8}{r['requests']:>10}{r['rps']:>9.1f}"
              f"{r['p50']:>8.1f}{r['p99']:>8.1f}{r['errors']:>8}{r['created']:>9}")


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", nargs="+", choices=("sqlite", "postgres"), default=["sqlite", "postgres"])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL.replace("qifu_bench", "qifu_bench_intake"))
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def _run(db: str, args: argparse.Namespace) -> dict | None:
    var_dir = fresh_var_dir(f"intake-{db}")
    env = {**os.environ, "QIFU_VAR_DIR": var_dir, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        if problem := recreate_postgres(args.pg_url):
            print(f"skipping PostgreSQL: {problem}", flush=True)
            return None
        env["DATABASE_URL"] = args.pg_url
    try:
        enterprises = json.loads(subprocess.run([sys.executable, __file__, "--prepare"], env=env, check=True,
                                                stdout=subprocess.PIPE, text=True).stdout.splitlines()[-1])
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "-b", f"127.0.0.1:{PORT}",
             "--workers", "2", "--threads", "2", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )
        try:
            _wait_for_server()
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {server.returncode}")
            return _load(db, args, env, enterprises)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def _load(db: str, args, env: dict, enterprises: list[int]) -> dict:
    cookie = _log_in()
    csrf = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    form = urlencode({"csrfmiddlewaretoken": csrf, "channel": "hotline", "appeal_type": "request",
                      "priority": "normal", "contact_name": "王经理", "title": "厂区频繁停电",
                      "text": "厂区这个月已经停电三次，都没有提前通知，设备损坏严重，请协调供电公司。"})
    script = LUA.replace("{ENTERPRISES}", "{" + ",".join(map(str, enterprises)) + "}")
    script = script.replace("BODY", form).replace("COOKIE", cookie)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    before = _demands(env)
    done = subprocess.run(["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{args.seconds}s", "--latency",
                           "--timeout", "10s", "-s", handle.name, f"http://127.0.0.1:{PORT}/demands/new/"],
                          stdout=subprocess.PIPE, text=True, check=True)
    os.unlink(handle.name)
    time.sleep(1)  # requests still in flight when wrk stopped
    print(f"--- {db}\n{done.stdout}", flush=True)
    return {"db": db, "connections": args.connections, "seconds": args.seconds, **_parse_wrk(done.stdout),
            "created": _demands(env) - before}


def _log_in() -> str:
    """The session and CSRF cookies of chuangkou after a real login POST."""
    _wait_for_server()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    cookies = SimpleCookie()
    cookies.load(response.getheader("Set-Cookie"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    body = urlencode({"csrfmiddlewaretoken": token, "username": "chuangkou", "password": PASSWORD})
    conn.request("POST", "/accounts/login/", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                    "Cookie": f"csrftoken={cookies['csrftoken'].value}"})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"login answered {response.status}")
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            cookies.load(value)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())


def _wait_for_server() -> None:
    for _attempt in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("HEAD", "/")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def _parse_wrk(output: str) -> dict:
    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": int(errors.group(1) if errors else 0) + (sum(map(int, socket.groups())) if socket else 0),
    }


def _demands(env: dict) -> int:
    code = "from demands.models import Demand; print(Demand.objects.count())"
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True,
                          stdout=subprocess.PIPE, text=True)
    return int(done.stdout.strip().splitlines()[-1])


def _prepare() -> list[int]:
    setup_django()
    from django.core.management import call_command

    from accounts.demo_users import create_demo_users
    from enterprises import demo
    from enterprises.models import Enterprise
    from reference.seeding import seed_reference

    call_command("migrate", verbosity=0)
    seed_reference()
    demo.generate(2_000, 2026, demo.DEFAULT_YEARS[-1:], contacts=True)
    create_demo_users()
    return list(Enterprise.objects.order_by("id").values_list("id", flat=True)[:500])


if __name__ == "__main__":
    main()
