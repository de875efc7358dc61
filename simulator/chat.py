"""Talk to the skill from a terminal: `python -m simulator.chat [--url URL] [--user NAME] [--speak]`.

Without --url the real skill runs in this process against a real Redis: REDIS_URL
if set, else the one `make run` keeps in var/redis, else one started here on the
same data dir (so progress made here is there for `make run`, and back). With
--url it posts to a running webhook, which must have ALEXA_VERIFY_REQUESTS off.
Standard input that is not a terminal is read one utterance per line, one reply
block per line, so a conversation can be scripted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import escape

from simulator.echo import Clock
from simulator.envelopes import DEFAULT_SKILL_ID, Device
from simulator.timeline import Timeline
from simulator.turns import DEFAULT_USER, Conversation, ReplyView, Transport, TransportError, user_id_for

REPO = Path(__file__).resolve().parent.parent
RUN_REDIS_DIR = REPO / "var" / "redis"  # where `make run` keeps its Redis (python -m local_redis --dir var/redis)
HTTP_TIMEOUT_S = 10.0
_PAUSE = re.compile(r"\[pause ([\d.]+) s\]")


def http_transport(url: str) -> Transport:
    """Post envelopes to a running webhook (a bare host:port gets /alexa)."""
    if urllib.parse.urlsplit(url).path in ("", "/"):
        url = url.rstrip("/") + "/alexa"

    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(url, data=json.dumps(envelope).encode("utf-8"),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as answer:
                return dict(json.loads(answer.read()))
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:200]
            hint = " (is ALEXA_VERIFY_REQUESTS off on that webhook?)" if error.code == 400 else ""
            raise TransportError(f"{url} answered HTTP {error.code}: {detail}{hint}") from error
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise TransportError(f"cannot talk to {url}: {error}") from error

    return send


def in_process_transport(clock: Clock) -> tuple[Transport, str]:
    """The real app, verification off, through Flask's test client: the whole /alexa path, no socket.

    The app reads the chat's device clock, so "[wait 90]" is 90 s for the skill too.
    """
    import logging

    from webhook.local import create_app  # make run's app: the same var/ pepper, so the same runners

    logging.getLogger("webhook").setLevel(logging.ERROR)  # "verification is off" is the point here
    # The per-turn INFO lines would interleave with the conversation; LOG_LEVEL=INFO brings them back.
    app = create_app({"ALEXA_VERIFY_REQUESTS": False, "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
                      "CLOCK": clock})
    client = app.test_client()

    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        result = client.post("/alexa", json=envelope)
        if result.status_code != 200:
            raise TransportError(f"/alexa answered HTTP {result.status_code}: {result.get_data(as_text=True)[:200]}")
        return dict(result.get_json())

    return send, app.config["ALEXA_SKILL_ID"] or DEFAULT_SKILL_ID


def _run_redis_answers(socket_path: Path) -> bool:
    import redis

    if not socket_path.exists():
        return False
    client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=0.5)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def with_redis(argv: list[str]) -> int | None:
    """Point REDIS_URL at `make run`'s Redis, or rerun this command under a private one (its exit code)."""
    socket_path = RUN_REDIS_DIR / "redis.sock"
    if _run_redis_answers(socket_path):
        os.environ["REDIS_URL"] = f"unix://{socket_path}"
        return None
    from local_redis import __main__ as local_redis

    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return local_redis.main(["--dir", str(RUN_REDIS_DIR), "--", sys.executable, "-m", "simulator.chat", *argv])


def block(said: str | None, view: ReplyView | None, width: int | None = None, notes: tuple[str, ...] = (),
          at: str = "") -> str:
    """One turn as text: what was said (when not typed at a prompt), what the device did meanwhile, what
    was heard and when, the reply with how long it plays, the reprompt, and the session's end."""
    def wrap(label: str, text: str) -> str:
        line = f"{label}{text}"
        return textwrap.fill(line, width, subsequent_indent=" " * len(label)) if width else line

    lines = [f"you:   {said}"] if said is not None else []
    lines += notes
    if view is None:  # not heard: the session had closed
        return "\n".join(lines)
    slots = "".join(f" {name}={value}" for name, value in view.heard["slots"].items())
    lines.append(f"heard: {view.heard['intent']}{slots}" + (f"  (at {at}; the reply plays about "
                                                             f"{view.seconds:.0f} s)" if at else ""))
    if view.text:
        lines.append(wrap("coach: ", view.text))
    if view.reprompt:
        lines.append(wrap("  ", f"(reprompt: {view.reprompt})"))
    if view.ended:
        lines.append("(session ended)")
    return "\n".join(lines)


def speak(text: str) -> bool:
    """Read a reply aloud with espeak-ng, pauses included; Ctrl-C skips the rest. False if it failed."""
    ssml = _PAUSE.sub(lambda found: f'<break time="{round(float(found[1]) * 1000)}ms"/>', escape(text))
    process = subprocess.Popen(["espeak-ng", "-m", f"<speak>{ssml}</speak>"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, error = process.communicate()
    except KeyboardInterrupt:
        process.terminate()
        process.wait()
        return True
    complaint = error.decode("utf-8", "replace").strip()  # it exits 0 with no sound device, but says so
    if process.returncode != 0 or complaint:
        reason = complaint.splitlines()[-1] if complaint else f"exit {process.returncode}"
        print(f"--speak: espeak-ng could not play ({reason}); replies are printed only", file=sys.stderr)
        return False
    return True


def chat(conversation: Conversation, lines: TextIO, out: TextIO, *, interactive: bool, voice: bool,
         timeline: Timeline | None = None) -> int:
    """The loop: one utterance in, one reply block out, in device time (`simulator.timeline`).

    Returns 1 if any turn could not reach the skill.
    """
    timeline = timeline or Timeline(Clock(time.time()))
    width = min(shutil.get_terminal_size().columns, 100) if interactive else None
    failed = False
    while True:
        try:
            said = input("you> ") if interactive else lines.readline()
        except (EOFError, KeyboardInterrupt):
            print(file=out)
            return int(failed)
        if not interactive and not said:
            return int(failed)
        said = said.strip()
        if not said or said.startswith("#") or timeline.directive(said):
            continue
        resolution = conversation.resolver.resolve(said)
        names_the_skill = resolution.new_session or resolution.kind == "launch"
        try:
            heard, timed_out = timeline.speak(names_the_skill, conversation.device.session_id is not None)
            if timed_out:
                conversation.time_out()
            at = timeline.at()
            view = conversation.say(said) if heard else None
        except TransportError as error:
            failed = True
            print(f"error: {error}", file=out)
        else:
            if view is not None:
                timeline.replied(view.seconds, view.reprompt_seconds, not view.ended)
            print(block(None if interactive else said, view, width, tuple(timeline.take_notes()), at), file=out)
            if voice and view is not None and view.text:
                voice = speak(view.text)
        print(file=out)
        out.flush()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m simulator.chat", description="Talk to Hamstring Coach.")
    parser.add_argument("--url", help="post to this running webhook (verification off) instead of in-process")
    parser.add_argument("--user", default=DEFAULT_USER, help="runner name; the same name resumes their workout")
    parser.add_argument("--new", action="store_true", help="a runner the skill has never met (no saved workout)")
    parser.add_argument("--locale", default="en-US", help="the device's locale: typed text is heard in its language")
    parser.add_argument("--speak", action="store_true", help="read replies aloud with espeak-ng")
    parser.add_argument("--voice", help="speak as this recognised voice profile on the account (its own progress)")
    args = parser.parse_args(argv)
    clock = Clock(time.time())
    if args.url:
        send, skill_id = http_transport(args.url), os.environ.get("ALEXA_SKILL_ID") or DEFAULT_SKILL_ID
    else:
        if not os.environ.get("REDIS_URL") and (code := with_redis(argv)) is not None:
            return code
        send, skill_id = in_process_transport(clock)
    voice = args.speak and shutil.which("espeak-ng") is not None
    if args.speak and not voice:
        print("--speak: espeak-ng is not installed (apt-get install espeak-ng); replies are printed only",
              file=sys.stderr)
    interactive = sys.stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
        where = args.url or f"the skill in-process, Redis {os.environ['REDIS_URL']}"
        print(f"Hamstring Coach chat as runner {args.user!r}, talking to {where}.\n"
              'Say "start my hamstring workout". "exit" ends the session; Ctrl-D quits.\n')
    user_id = f"amzn1.ask.account.local-new-{uuid.uuid4().hex}" if args.new else user_id_for(args.user)
    person = f"amzn1.ask.person.local-{user_id_for(args.voice).rsplit('-', 1)[-1]}" if args.voice else None
    device = Device(user_id=user_id, skill_id=skill_id, same_variants=True,  # a script reads the same each run
                    locale=args.locale, person_id=person)
    return chat(Conversation(send, device=device), sys.stdin, sys.stdout, interactive=interactive, voice=voice,
                timeline=Timeline(clock))


if __name__ == "__main__":
    sys.exit(main())
