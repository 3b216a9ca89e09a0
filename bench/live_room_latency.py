"""Benchmark (not CI): publish-to-receive latency of the meeting room with N sockets.

A throwaway database (a SQLite file, or ``--database-url``) gets one meeting in session and N
users (default 2,300) with approved registrations and a second factor, so that the room admits
them: 300 active, the rest on the webcast (``Event.active_capacity`` 300, ``passive_capacity``
raised to N). Each user gets a real session row; clients are ``websockets`` connections with
that session cookie, spread over client processes pinned to the client CPUs, the servers
(``vev serve``: its uvicorn options and environment, without task worker and Janus; one, or
several behind Redis with ``--processes 2 --redis-url``) pinned to the server CPU once the
clients are in. The admission of all sockets is timed too.

Measured, as the time from the act's timestamp (``at``, taken in the service before commit)
to the frame's arrival at each socket, over every socket:

(a) **room events of a real act**: a technician's socket toggles the meeting's caption address
    (``captions.feed_revoke`` / ``captions.feed_create``, each a transaction with an audit
    entry and a ``captions.feed`` event on the room stream), ``--acts`` times at ``--act-rate``/s
    (plus the set-up's own ``captions.feed_create`` that gives the meeting its address, measured
    like the others and counted in the expected frames);
(b) **a caption stream**: ``--caption-rate`` lines/s for ``--caption-seconds`` posted to the real
    ingestion endpoint (``POST /captions/ingest…``, one line per post, ``captions.line``).

The **reference** is a bare ``websockets`` broadcast server started by this script on the same
CPU, with the same clients (processes, counts), messages of the same sizes at the same rates,
timestamped just before the publisher sends them; the server relays each to every client with
``websockets.broadcast``. Printed: frames received and expected, p50/p99/max of each, the load
average during each run, vev / reference, and the rows for docs/performance.md.

Usage:
    .venv/bin/python bench/live_room_latency.py                       # 2,300 clients, 1 process
    .venv/bin/python bench/live_room_latency.py --processes 2 --redis-url redis://127.0.0.1:6379/12
    createdb -h 127.0.0.1 -U postgres vev_bench     # PostgreSQL: a new, empty database
    .venv/bin/python bench/live_room_latency.py --database-url postgres://postgres@127.0.0.1/vev_bench
Results and method: docs/performance.md, section "Live room latency".
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import multiprocessing
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AT = re.compile(rb'"at":"([^"]+)"')
SENT = re.compile(rb'"sent":([0-9.]+)')


# -- setup (main process) ----------------------------------------------------------------------
def configure(args, data_dir: Path) -> dict:
    """Environment shared by this process and the servers (database, layer, secret key)."""
    env = {
        "VEV_DATA_DIR": str(data_dir),
        "VEV_SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": args.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}",
        "VEV_JANUS": "off",
        "VEV_TASKS_IMMEDIATE": "1",
        "VEV_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "vev.settings",
    }
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
        env["VEV_CHANNEL_PREFIX"] = env["VEV_CACHE_PREFIX"] = f"bench{os.getpid()}"
    os.environ.update(env)
    return {**os.environ, **env}


def populate(n_clients: int, active: int, *, flush: bool = False) -> dict:
    """One meeting in session, a technician and n - 1 councillors of one State, sessions."""
    import django

    django.setup()
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from vev.cli import prepare_database

    prepare_database()  # as `vev setup`: migrations and the cache table
    if flush:
        call_command("flush", interactive=False, verbosity=0)
    from tests import factories
    from vev.accounts.models import User
    from vev.council.models import Event, Meeting, Registration

    if Event.objects.exists():
        sys.exit("The benchmark's database is not empty: give a new one, or --flush this one.")

    event = factories.create_event(
        "bench",
        active_capacity=active,
        passive_capacity=n_clients,
        active_per_member_state=active,
    )
    technician = factories.create_user("technician@bench.test", full_name="Bench Technician")
    factories.assign(technician, event, "technician")
    template = Authenticator.objects.get(user=technician)
    france = factories.member_entity(event, 0)
    User.objects.bulk_create(
        User(email=f"d{i}@bench.test", full_name=f"Delegate {i:04d}", password="!")  # noqa: S106 (unusable)
        for i in range(n_clients - 1)
    )
    delegates = list(User.objects.filter(email__endswith="@bench.test").exclude(pk=technician.pk))
    Authenticator.objects.bulk_create(
        Authenticator(user=u, type=template.type, data=template.data) for u in delegates
    )
    Registration.objects.bulk_create(
        Registration(
            event=event,
            user=u,
            entity=france,
            role=Registration.Role.COUNCILLOR,
            status=Registration.Status.APPROVED,
        )
        for u in delegates
    )
    store = SessionStore()
    expire = timezone.now() + timezone.timedelta(days=1)
    keys: list[str] = []
    rows = []
    for user in [technician, *delegates]:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=500)
    meeting = event.meetings.get(slug="pl-1")
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - timezone.timedelta(minutes=1),
        ends_at=now + timezone.timedelta(hours=3),
        status=Meeting.Status.LIVE,
    )
    from django.db import connections

    connections.close_all()
    return {
        "path": f"/ws/events/{event.slug}/meetings/{meeting.slug}/room/",
        "keys": keys,  # keys[0] is the technician's
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pin(pid: int, cpus: set[int]) -> None:
    """Pin every thread of a process (affinity is per thread on Linux)."""
    tasks = Path(f"/proc/{pid if pid else os.getpid()}/task")
    for tid in [int(t.name) for t in tasks.iterdir()] if tasks.exists() else [pid]:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(tid, cpus)


def start_servers(count: int, env: dict, log_dir: Path) -> list[tuple]:
    """Start the servers as ``vev serve`` runs them (its uvicorn options and environment, no
    task worker, no Janus), each on its own port, on every CPU (admitting thousands of sockets
    is slow); they are pinned to the server CPUs once the clients are in, before anything is
    measured."""
    servers = []
    for index in range(count):
        port = free_port()
        log = open(log_dir / f"server-{index}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "vev.cli",
                "serve",
                "--no-worker",
                "--no-media",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        servers.append((process, port, log))
    deadline = time.monotonic() + 90
    for process, port, _log in servers:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"server on {port} did not start (see {log_dir})") from None
                time.sleep(0.3)
    return servers


def stop(processes) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


# -- clients (client processes) ------------------------------------------------------------------
def client_main(config: dict, results) -> None:
    """One client process: open its sockets, then record latencies until told to stop."""
    pin(0, set(config["cpus"]))
    asyncio.run(_clients(config, results))


class LeanSocket(asyncio.Protocol):
    """A minimal WebSocket client (RFC 6455) for the measuring clients: the handshake, then
    unfragmented server frames parsed as they arrive, each text frame timed at the arrival of
    the bytes that completed it; pings answered, a close frame at the end.

    2,300 clients share one CPU here, unlike real participants: the ``websockets`` library's
    client costs that CPU tens of microseconds per frame, so the clients themselves queued the
    frames for tens of milliseconds per event. This one costs a few, for vev and the reference
    alike (``--client websockets`` measures with the library's client).
    """

    def __init__(self, on_text):
        self.on_text = on_text
        self.buffer = bytearray()
        self.handshake = True
        self.opened = asyncio.get_running_loop().create_future()
        self.closed = asyncio.get_running_loop().create_future()
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        if not self.opened.done():
            self.opened.set_exception(ConnectionError("closed during the handshake"))
        if not self.closed.done():
            self.closed.set_result(None)

    def data_received(self, data: bytes) -> None:
        now = time.time()
        buffer = self.buffer
        buffer += data
        if self.handshake:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if not buffer.startswith(b"HTTP/1.1 101"):
                self.opened.set_exception(ConnectionError(bytes(buffer[:end]).decode("latin-1")))
                self.transport.close()
                return
            del buffer[: end + 4]
            self.handshake = False
            self.opened.set_result(None)
        while len(buffer) >= 2:
            opcode, length, offset = buffer[0] & 0x0F, buffer[1] & 0x7F, 2
            if length == 126:
                if len(buffer) < 4:
                    return
                length, offset = int.from_bytes(buffer[2:4], "big"), 4
            elif length == 127:
                if len(buffer) < 10:
                    return
                length, offset = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < offset + length:
                return
            payload = bytes(buffer[offset : offset + length])
            del buffer[: offset + length]
            if opcode == 0x1:
                self.on_text(payload, now)
            elif opcode == 0x9:  # ping: pong with the same payload
                self.send_frame(0xA, payload)
            elif opcode == 0x8:
                self.transport.close()

    def send_frame(self, opcode: int, payload: bytes) -> None:
        """A client frame: masked (RFC 6455 5.3), short payloads only."""
        mask = secrets.token_bytes(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.transport.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.send_frame(0x8, (1000).to_bytes(2, "big"))
            self.transport.close()


async def open_lean(url: str, headers: dict, on_text) -> LeanSocket:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    loop = asyncio.get_running_loop()
    _transport, socket_ = await loop.create_connection(
        lambda: LeanSocket(on_text), parts.hostname, parts.port
    )
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    lines = [
        f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1",
        f"Host: {parts.hostname}:{parts.port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    socket_.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await asyncio.wait_for(socket_.opened, 60)
    return socket_


async def _clients(config: dict, results) -> None:
    from websockets.asyncio.client import connect

    samples: dict[str, list[float]] = {kind: [] for kind in config["kinds"]}
    lengths: dict[str, list[int]] = {kind: [] for kind in config["kinds"]}  # a few, for sizes
    markers = {kind: marker.encode() for kind, marker in config["kinds"].items()}
    sockets = []

    def record(data: bytes, now: float) -> None:
        for kind, marker in markers.items():
            if marker in data:
                if config["reference"]:
                    match = SENT.search(data)
                    sent = float(match.group(1)) if match else None
                else:
                    match = AT.search(data)
                    sent = (
                        datetime.fromisoformat(match.group(1).decode()).timestamp()
                        if match
                        else None
                    )
                if sent is not None:
                    samples[kind].append((now - sent) * 1000)
                if len(lengths[kind]) < 50:
                    lengths[kind].append(len(data))
                break

    async def reader(ws):
        while True:
            try:
                text = await ws.recv(decode=False)
            except Exception:
                return
            record(text, time.time())

    semaphore = asyncio.Semaphore(config["connect_concurrency"])

    async def open_one(url: str, key: str | None, origin: str):
        async with semaphore:
            headers = {"Origin": origin}
            if key:
                headers["Cookie"] = f"sessionid={key}"
            for attempt in range(5):
                try:
                    if config["client"] == "lean":
                        first = asyncio.get_running_loop().create_future()

                        def on_text(data, now, first=first):
                            if not first.done():
                                first.set_result(data)  # the snapshot
                            else:
                                record(data, now)

                        ws = await open_lean(url, headers, on_text)
                        if not config["reference"]:
                            await asyncio.wait_for(first, 120)
                        elif not first.done():
                            first.set_result(b"")
                    else:
                        ws = await connect(
                            url,
                            additional_headers=headers,
                            open_timeout=60,
                            max_queue=None,
                            ping_interval=None,
                        )
                        if not config["reference"]:
                            await ws.recv()  # the snapshot
                    break
                except Exception:
                    await asyncio.sleep(1 + attempt)
            else:
                return None
            sockets.append(ws)
            if config["client"] == "lean":
                return ws
            return asyncio.ensure_future(reader(ws))

    tasks = await asyncio.gather(
        *(open_one(url, key, origin) for url, key, origin in config["targets"])
    )
    results.put(("connected", config["index"], sum(1 for t in tasks if t)))
    while not config["done"].is_set():
        await asyncio.sleep(0.25)
    for ws in sockets:
        with contextlib.suppress(Exception):
            if isinstance(ws, LeanSocket):
                ws.close()
            else:
                await ws.close()
    results.put(("samples", config["index"], (samples, lengths)))


def run_clients(targets, *, processes: int, cpus, kinds, reference: bool, client: str):
    """Start the client processes; returns (done event, results queue, processes)."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    done = context.Event()
    workers = []
    for index in range(processes):
        config = {
            "index": index,
            "targets": targets[index::processes],
            "cpus": sorted(cpus),
            "kinds": kinds,
            "reference": reference,
            "connect_concurrency": 16,
            "client": client,
            "done": done,
        }
        worker = context.Process(target=client_main, args=(config, results), daemon=True)
        worker.start()
        workers.append(worker)
    connected = 0
    for _ in workers:
        kind, _index, count = results.get(timeout=3600)
        if kind != "connected":
            raise RuntimeError(f"unexpected message from a client process: {kind}")
        connected += count
    return done, results, workers, connected


def collect(done, results, workers) -> tuple[dict[str, list[float]], dict[str, list[int]]]:
    done.set()
    merged: dict[str, list[float]] = {}
    lengths: dict[str, list[int]] = {}
    for _ in workers:
        kind, _index, (samples, sizes) = results.get(timeout=120)
        if kind != "samples":
            raise RuntimeError(f"unexpected message from a client process: {kind}")
        for name, values in samples.items():
            merged.setdefault(name, []).extend(values)
        for name, values in sizes.items():
            lengths.setdefault(name, []).extend(values)
    for worker in workers:
        worker.join(timeout=30)
    return merged, lengths


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "p50": float("nan"), "p99": float("nan"), "max": float("nan")}
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "p50": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        "max": ordered[-1],
    }


# -- the vev run ---------------------------------------------------------------------------------
async def technician_acts(url: str, key: str, origin: str, count: int, rate: float):
    """A technician toggles the caption address: each command is a real act (audit, event).

    Returns the sizes of the ``captions.feed`` frames, the caption address for the stream, and
    how many acts published a ``captions.feed`` event: ``count`` toggles, plus the set-up's
    own ``captions.feed_create`` before them if the meeting had no address, plus one after
    them if the last toggle withdrew it (the caption stream needs one). Every one of them is
    measured by the clients, so every one is expected.
    """
    from websockets.asyncio.client import connect

    sizes: list[int] = []
    acts = 0
    async with connect(
        url,
        additional_headers={"Cookie": f"sessionid={key}", "Origin": origin},
        max_queue=None,
        ping_interval=None,
    ) as ws:
        await ws.recv()
        counter = 0

        async def command(name: str) -> dict:
            nonlocal counter, acts
            counter += 1
            await ws.send(json.dumps({"command": name, "id": f"b{counter}", "payload": {}}))
            while True:
                frame = json.loads(await ws.recv())
                if frame.get("type") == "captions.feed":
                    sizes.append(len(json.dumps(frame, separators=(",", ":"))))
                if frame.get("type") == "reply" and frame.get("id") == f"b{counter}":
                    if not frame.get("ok"):
                        raise RuntimeError(f"{name} failed: {frame}")
                    if name != "captions.feed":
                        acts += 1
                    return frame

        reply = await command("captions.feed")
        if not reply["result"].get("active"):
            await command("captions.feed_create")
        for index in range(count):
            started = time.monotonic()
            await command("captions.feed_revoke" if index % 2 == 0 else "captions.feed_create")
            await asyncio.sleep(max(0, 1 / rate - (time.monotonic() - started)))
        reply = await command("captions.feed")
        if not reply["result"].get("active"):
            reply = await command("captions.feed_create")
        return sizes, reply["result"]["url"], acts


def caption_stream(port: int, address: str, rate: float, seconds: float) -> int:
    """Post one caption line per post at ``rate``/s through the ingestion endpoint."""
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    base = f"http://127.0.0.1:{port}{parts.path}?{parts.query}"
    total = int(rate * seconds)
    start = time.monotonic()
    for seq in range(1, total + 1):
        text = f"Line {seq}: the Council takes note of the report and approves the budget.\n"
        request = urllib.request.Request(  # noqa: S310 (loopback)
            f"{base}&seq={seq}&lang=en-US",
            data=text.encode(),
            method="POST",
            headers={"Content-Type": "text/plain; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=10):  # noqa: S310
            pass
        time.sleep(max(0, start + seq / rate - time.monotonic()))
    return total


def load() -> float:
    return os.getloadavg()[0]


def start_profiler(out: str, pid: int) -> subprocess.Popen:
    """py-spy (not a dependency: ``pip install py-spy``) on the server, in raw folded stacks."""
    py_spy = Path(sys.executable).with_name("py-spy")
    command = [str(py_spy), "record", "-p", str(pid), "-r", "200", "-f", "raw", "-o", out]
    return subprocess.Popen([*command, "--nonblocking"], stdout=subprocess.DEVNULL)


def run_vev(args, env, data, log_dir) -> dict:
    profiler = None
    servers = start_servers(args.processes, env, log_dir)
    ports = [port for _process, port, _log in servers]
    try:
        path = data["path"]
        targets = [
            (
                f"ws://127.0.0.1:{ports[i % len(ports)]}{path}",
                key,
                f"http://127.0.0.1:{ports[i % len(ports)]}",
            )
            for i, key in enumerate(data["keys"][1:])
        ]
        kinds = {"act": '"type":"captions.feed"', "caption": '"type":"captions.line"'}
        started, load_before = time.monotonic(), load()
        done, results, workers, connected = run_clients(
            targets,
            processes=args.client_processes,
            cpus=set(args.client_cpus),
            kinds=kinds,
            reference=False,
            client=args.client,
        )
        admission = time.monotonic() - started
        print(
            f"  vev: {connected} of {len(targets)} clients connected in {admission:.0f} s "
            f"({admission / max(connected, 1) * 1000:.0f} ms per socket; load average "
            f"{load_before:.1f} before, {load():.1f} after)"
        )
        for process, _port, _log in servers:
            pin(process.pid, set(args.server_cpus))
        time.sleep(args.settle)
        profiler = start_profiler(args.py_spy, servers[0][0].pid) if args.py_spy else None
        load_start = load()
        sizes, address, acts = asyncio.run(
            technician_acts(
                f"ws://127.0.0.1:{ports[0]}{path}",
                data["keys"][0],
                f"http://127.0.0.1:{ports[0]}",
                args.acts,
                args.act_rate,
            )
        )
        time.sleep(1)
        lines = caption_stream(ports[0], address, args.caption_rate, args.caption_seconds)
        time.sleep(2)
        load_end = load()
        samples, lengths = collect(done, results, workers)
    finally:
        if profiler is not None:
            stop([profiler])
            print(f"  py-spy profile of the first server (measured phase): {args.py_spy}")
        stop([process for process, _port, _log in servers])
    return {
        "samples": samples,
        "sizes": {
            "act": int(statistics.median(sizes)) if sizes else 100,
            "caption": int(statistics.median(lengths["caption"])) if lengths["caption"] else 240,
        },
        "expected": {"act": acts * len(targets), "caption": lines * len(targets)},
        "events": {"act": acts, "caption": lines},
        "clients": len(targets),
        "connected": connected,
        "admission": admission,
        "load": (load_start, load_end),
    }


# -- the reference ---------------------------------------------------------------------------------
def reference_server(port: int, cpus: list[int]) -> None:
    pin(0, set(cpus))

    async def main():
        from websockets.asyncio.server import broadcast, serve

        listeners = set()

        async def handler(ws):
            if ws.request.path == "/publish":
                async for message in ws:
                    broadcast(listeners, message)
                return
            listeners.add(ws)
            try:
                await ws.wait_closed()
            finally:
                listeners.discard(ws)

        async with serve(handler, "127.0.0.1", port, max_queue=None, ping_interval=None):
            await asyncio.Future()

    asyncio.run(main())


async def reference_publish(port: int, size: int, marker: str, count: int, rate: float) -> None:
    from websockets.asyncio.client import connect

    async with connect(f"ws://127.0.0.1:{port}/publish") as ws:
        start = time.monotonic()
        for index in range(count):
            head = f'{{"type":"{marker}","sent":{time.time():.6f},"pad":"'
            await ws.send(head + "x" * max(0, size - len(head) - 2) + '"}')
            await asyncio.sleep(max(0, start + (index + 1) / rate - time.monotonic()))


def run_reference(args, vev: dict) -> dict:
    """The same clients, messages of the same sizes, as many, at the same rates."""
    port = free_port()
    context = multiprocessing.get_context("spawn")
    server = context.Process(target=reference_server, args=(port, args.server_cpus), daemon=True)
    server.start()
    time.sleep(1.5)
    try:
        n = vev["clients"]
        targets = [(f"ws://127.0.0.1:{port}/", None, f"http://127.0.0.1:{port}")] * n
        kinds = {"act": '"type":"ref.act"', "caption": '"type":"ref.caption"'}
        done, results, workers, connected = run_clients(
            targets,
            processes=args.client_processes,
            cpus=set(args.client_cpus),
            kinds=kinds,
            reference=True,
            client=args.client,
        )
        print(f"  reference: {connected} of {n} clients connected")
        time.sleep(2)
        load_start = load()
        sizes, events = vev["sizes"], vev["events"]
        asyncio.run(reference_publish(port, sizes["act"], "ref.act", events["act"], args.act_rate))
        time.sleep(1)
        asyncio.run(
            reference_publish(
                port, sizes["caption"], "ref.caption", events["caption"], args.caption_rate
            )
        )
        time.sleep(2)
        load_end = load()
        samples, _lengths = collect(done, results, workers)
        return {
            "samples": samples,
            "expected": {kind: count * n for kind, count in events.items()},
            "load": (load_start, load_end),
        }
    finally:
        server.terminate()
        server.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=2300)
    parser.add_argument("--active", type=int, default=300)
    parser.add_argument("--processes", type=int, default=1, help="vev server processes")
    parser.add_argument("--redis-url", default="", help="needed for --processes > 1")
    parser.add_argument("--database-url", default="", help="default: a throwaway SQLite file")
    parser.add_argument("--acts", type=int, default=40)
    parser.add_argument("--act-rate", type=float, default=2.0)
    parser.add_argument("--caption-rate", type=float, default=5.0)
    parser.add_argument("--caption-seconds", type=float, default=60.0)
    parser.add_argument("--client-processes", type=int, default=4)
    parser.add_argument(
        "--client",
        choices=["lean", "websockets"],
        default="lean",
        help="the measuring clients' WebSocket code (see LeanSocket)",
    )
    parser.add_argument("--server-cpus", type=int, nargs="+", default=[0])
    parser.add_argument("--client-cpus", type=int, nargs="+", default=[1])
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after connecting")
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument(
        "--py-spy", metavar="OUT", help="profile the first server while measuring (py-spy, raw)"
    )
    parser.add_argument(
        "--flush",
        action="store_true",
        help="empty the --database-url database first (it must be a throwaway one)",
    )
    args = parser.parse_args()
    if args.processes > 1 and not args.redis_url:
        parser.error("several server processes need --redis-url")

    with tempfile.TemporaryDirectory(prefix="vev-bench-") as tmp:
        data_dir = Path(tmp)
        env = configure(args, data_dir)
        print(f"populating {args.clients} users ({args.active} active) …")
        data = populate(args.clients, args.active, flush=args.flush)
        layer = "Redis" if args.redis_url else "in-memory layer"
        database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
        setup = f"{args.processes} process{'es' if args.processes > 1 else ''}, {layer}"
        print(
            f"vev: {setup}, {database}; server CPUs {args.server_cpus}, "
            f"{args.client_processes} client processes on CPUs {args.client_cpus}"
        )
        vev = run_vev(args, env, data, data_dir)
        reference = None if args.skip_reference else run_reference(args, vev)
    report(args, vev, reference, setup=f"{setup}, {database}")


def report(args, vev: dict, reference: dict | None, *, setup: str) -> None:
    print(
        f"\n{vev['clients']} measuring clients (+ the technician's socket), {setup}; "
        f"admission {vev['admission']:.0f} s; frame bytes: act {vev['sizes']['act']}, "
        f"caption {vev['sizes']['caption']}"
    )
    print(
        f"{'measure':<36}{'received':>10}{'expected':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'load':>11}"
    )
    labels = {
        "act": "(a) room event of an act",
        "caption": f"(b) captions {args.caption_rate:g}/s {args.caption_seconds:g} s",
    }
    rows = []
    for kind, label in labels.items():
        ours = summary(vev["samples"].get(kind, []))
        theirs = summary(reference["samples"].get(kind, [])) if reference else None
        for name, result, run in (("vev", ours, vev), ("reference", theirs, reference)):
            if result is None:
                continue
            print(
                f"{name + ' ' + label:<36}{result['n']:>10}{run['expected'][kind]:>10}"
                f"{result['p50']:>9.1f}{result['p99']:>9.1f}{result['max']:>9.1f}"
                f"{run['load'][0]:>6.1f}–{run['load'][1]:<4.1f}"
            )
            if result["n"] != run["expected"][kind]:
                print(
                    f"  !! {name}: {result['n']} frames received, {run['expected'][kind]} expected"
                )
        if theirs is not None:
            print(
                f"{'  vev / reference':<36}{'':>20}{ours['p50'] / theirs['p50']:>9.2f}"
                f"{ours['p99'] / theirs['p99']:>9.2f}{ours['max'] / theirs['max']:>9.2f}"
            )
        rows.append((kind, label, ours, theirs))
    print(
        "\nFor docs/performance.md (| clients | server | load avg | measure | vev p50 / p99 / max "
        "(ms) | reference p50 / p99 / max (ms) | ratio p99 |):"
    )
    loads = [*vev["load"], *(reference["load"] if reference else ())]
    load_text = f"{min(loads):.1f}–{max(loads):.1f}"
    for _kind, label, ours, theirs in rows:
        ref = f"{theirs['p50']:.1f} / {theirs['p99']:.1f} / {theirs['max']:.1f}" if theirs else "—"
        ratio = f"{ours['p99'] / theirs['p99']:.2f}" if theirs else "—"
        print(
            f"| {vev['clients'] + 1:,} | {setup} | {load_text} | {label} | "
            f"{ours['p50']:.1f} / {ours['p99']:.1f} / {ours['max']:.1f} | {ref} | {ratio} |"
        )


if __name__ == "__main__":
    main()
