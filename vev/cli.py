"""The ``vev`` command line.

vev setup                 create or migrate the database and caches
vev demo [--reset]        setup, load the 2020 demo session, then serve it (demo mode)
vev serve                 run the web server (uvicorn) and the task worker
vev worker                run only the task worker
vev media                 run the Janus media server (vev serve starts it too when installed)
vev check                 configuration and service checks
vev audit-verify          verify the hash chain of the audit log
vev manage <args>         any Django management command
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

#: How ``vev serve`` runs uvicorn (bench/live_room_latency.py runs its servers through it).
#: ``websockets-sansio``: the room's outboxes write frames to its connections directly
#: (vev/live/outbox.py); no per-message deflate: room events are small JSON frames sent to
#: thousands of sockets, and compressing each copy per socket cost the fan-out more than
#: anything else (docs/performance.md, "Live room latency"); a backlog for a room of 2,300
#: reconnecting at once.
UVICORN_OPTIONS = {
    "lifespan": "off",
    "proxy_headers": True,
    "ws": "websockets-sansio",
    "ws_per_message_deflate": False,
    "backlog": 4096,
    # On stop, connections get this long to close; then what is left is cancelled. A socket
    # whose peer stopped reading would otherwise hold up a restart; its page resumes anyway.
    "timeout_graceful_shutdown": 10,
}
#: The server keeps its database connections (vev/core/db.py), unless set otherwise.
SERVER_ENVIRONMENT = {"VEV_DB_CONN_MAX_AGE": "600"}


def _django(settings_env: dict[str, str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vev.settings")
    for key, value in (settings_env or {}).items():
        os.environ.setdefault(key, value)
    import django

    django.setup()


def _call(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def prepare_database() -> None:
    """Migrate the database and create the cache table, as every database vev runs on needs
    (``vev setup``; the benchmarks' throwaway databases too). Django must be set up."""
    from django.conf import settings

    _call("migrate", "--noinput", "-v", "0")
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        _call("createcachetable")


def cmd_setup(_: argparse.Namespace) -> None:
    _django()
    from django.conf import settings

    prepare_database()
    print("Database ready:", settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1])


def cmd_demo(args: argparse.Namespace) -> None:
    os.environ["VEV_DEMO_MODE"] = "1"
    if not args.no_serve:
        for key, value in SERVER_ENVIRONMENT.items():
            os.environ.setdefault(key, value)
    os.environ.setdefault("VEV_EMAIL_VERIFICATION", "mandatory")
    cmd_setup(args)
    from vev.council.services.demo import DEMO_DOMAIN, DEMO_PASSWORD, load_demo

    result = load_demo(reset=args.reset)
    event = result.event
    print(f"Demo event: {event.title} ({event.first_day} to {event.last_day}, {event.time_zone})")
    if not result.created:
        print("  (already loaded; use --reset to load it again)")
    print(f"Documents and the consultation: /events/{event.slug}/documents/ (as head.fr: reply")
    print(f"  for France at /events/{event.slug}/consultation/; as secretariat: the live matrix)")
    print(f"Written procedure (Rule 3.2): /events/{event.slug}/written-procedures/ (as head.fr:")
    print("  reply for France; as secretariat or chair: the live table of replies)")
    print(f"Demo accounts (password: {DEMO_PASSWORD}); in demo mode the sign-in page shows the")
    print("authenticator code of demo accounts:")
    for local, role in [
        ("secretariat", "secretariat"),
        ("chair", "chair (Kenya)"),
        ("head.fr", "head of delegation, France (focal point)"),
        ("councillor1.fr", "councillor, France"),
        ("observer.at", "observer, Austria"),
        ("interpreter.fr1", "interpreter, French booth"),
        ("captioner", "captioner"),
        ("technician", "technician"),
        ("visitor", "no registration yet (try registering)"),
    ]:
        print(f"  {local + '@' + DEMO_DOMAIN:<28} {role}")
    if args.no_serve:
        return
    args.worker = True
    cmd_serve(args)


def cmd_serve(args: argparse.Namespace) -> None:
    _django(SERVER_ENVIRONMENT)
    from django.conf import settings

    if args.workers > 1 and not settings.REDIS_URL:
        sys.exit("Several server processes need a shared channel layer: set REDIS_URL.")
    children: list[subprocess.Popen] = []
    from vev.media.status import media_status
    from vev.media.supervision import managed_supervisor

    janus = managed_supervisor() if getattr(args, "media", True) else None
    if janus is not None:
        janus.start()
    else:
        print("Media:", media_status().message)
    if getattr(args, "worker", True):
        children.append(subprocess.Popen([sys.executable, "-m", "vev.cli", "worker"]))
    print(f"vev is serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    # uvicorn shuts down gracefully on SIGTERM, then restores the previous handler and raises the
    # signal again: with the default handler the process would die there, before the cleanup
    # below, leaving Janus and the worker running. Turn it into an ordinary exit instead.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        import uvicorn

        uvicorn.run(
            "vev.asgi:application",
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=os.environ.get("VEV_LOG_LEVEL", "info").lower(),
            **UVICORN_OPTIONS,
        )
    finally:
        if janus is not None:
            janus.stop()
        for child in children:
            child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


def cmd_worker(_: argparse.Namespace) -> None:
    _django()
    _call("run_huey")


def cmd_media(args: argparse.Namespace) -> None:
    _django()
    _call("media", *(["--write-config"] if args.write_config else []))


def cmd_check(_: argparse.Namespace) -> None:
    _django()
    _call("vev_check")


def cmd_audit_verify(_: argparse.Namespace) -> None:
    """Exit 0 if the hash chain is intact; 1, naming each broken entry on stderr, if not."""
    _django()
    from django.core.management.base import CommandError

    try:
        _call("audit_verify")
    except CommandError as error:
        print(f"vev audit-verify: {error}", file=sys.stderr)
        sys.exit(1)


def cmd_manage(args: argparse.Namespace) -> None:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["vev manage", *args.rest])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vev", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="create or migrate the database").set_defaults(func=cmd_setup)

    def add_server_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default=os.environ.get("VEV_HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("VEV_PORT", "8000")))
        p.add_argument("--workers", type=int, default=1, help="server processes (needs REDIS_URL)")

    demo = sub.add_parser("demo", help="load the demo session and serve it")
    demo.add_argument("--reset", action="store_true", help="delete and reload the demo data")
    demo.add_argument("--no-serve", action="store_true", help="load only, do not serve")
    add_server_options(demo)
    demo.set_defaults(func=cmd_demo)
    serve = sub.add_parser("serve", help="run the web server and the task worker")
    add_server_options(serve)
    serve.add_argument("--no-worker", dest="worker", action="store_false")
    serve.add_argument("--no-media", dest="media", action="store_false", help="do not start Janus")
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("worker", help="run the task worker").set_defaults(func=cmd_worker)
    media = sub.add_parser("media", help="run the Janus media server")
    media.add_argument("--write-config", action="store_true", help="only write its configuration")
    media.set_defaults(func=cmd_media)
    sub.add_parser("check", help="check configuration and services").set_defaults(func=cmd_check)
    sub.add_parser("audit-verify", help="verify the audit log").set_defaults(func=cmd_audit_verify)
    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
