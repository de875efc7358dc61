"""`python -m simulator.chat` as a runner would script it: real processes, the real skill, our own Redis."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import redis

from local_redis import RedisServer
from tests.live_server import serve
from webhook import create_app

REPO = Path(__file__).resolve().parent.parent


def chat(lines: list[str], *args: str, redis_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """Pipe `lines` into the chat (standard input is not a terminal: one reply block per line)."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env["PYTHONPATH"] = str(REPO)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return subprocess.run([sys.executable, "-m", "simulator.chat", *args], input="".join(f"{x}\n" for x in lines),
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=60, check=False)


def blocks(output: str) -> list[str]:
    return [block for block in output.strip().split("\n\n") if block]


def test_a_scripted_conversation_gets_one_block_per_line(redis_server: RedisServer, redis_client: redis.Redis) -> None:
    said = ["start my hamstring workout", "ready", "what set am I on", "stop"]
    result = chat(said, "--user", "sam", redis_url=redis_server.url)
    assert result.returncode == 0, result.stderr
    turns = blocks(result.stdout)
    assert [turn.splitlines()[0] for turn in turns] == [f"you:   {line}" for line in said]
    start, ready, progress, stop = turns
    assert "heard: StartWorkoutIntent" in start
    assert 'Say "ready"' in start and "(reprompt: " in start
    assert "heard: ReadyIntent" in ready and "[pause " in ready  # pauses are shown, not dropped
    assert "heard: ProgressIntent" in progress and "Set 2 of " in progress
    assert "heard: AMAZON.StopIntent" in stop and stop.endswith("(session ended)")
    assert "(session ended)" not in "".join(turns[:3])


def test_a_later_process_with_the_same_user_picks_up_where_they_left_off(
    redis_server: RedisServer, redis_client: redis.Redis
) -> None:
    first = chat(["start my hamstring workout", "next exercise", "stop"], "--user", "sam", redis_url=redis_server.url)
    assert first.returncode == 0, first.stderr
    later = chat(["ask hamstring coach for the next exercise"], "--user", "sam", redis_url=redis_server.url)
    (turn,) = blocks(later.stdout)
    assert "heard: NextExerciseIntent" in turn
    assert "Picking up where you left off. Back to eccentric curls." in turn
    someone_else = chat(["ask hamstring coach for the next exercise"], "--user", "alex", redis_url=redis_server.url)
    assert "Picking up where you left off" not in someone_else.stdout


def test_text_that_matches_nothing_is_a_fallback(redis_server: RedisServer, redis_client: redis.Redis) -> None:
    result = chat(["start my hamstring workout", "banana pancakes"], redis_url=redis_server.url)
    fallback = blocks(result.stdout)[1]
    assert "heard: AMAZON.FallbackIntent" in fallback
    assert "(session ended)" not in fallback  # no dead end: the session stays open, with a reprompt
    assert "(reprompt: " in fallback


def test_url_mode_talks_http_to_a_running_webhook(redis_server: RedisServer, redis_client: redis.Redis) -> None:
    app = create_app({"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": False, "TESTING": True})
    with serve(app) as base_url:
        result = chat(["start my hamstring workout", "ready", "what set am I on"], "--url", base_url)
    assert result.returncode == 0, result.stderr
    # A webhook of its own keeps real time: asked at once, the set was still being coached, so it is undone.
    assert "heard: ProgressIntent" in blocks(result.stdout)[2] and "stopped during set 1" in blocks(result.stdout)[2]


def test_url_mode_says_why_when_the_webhook_verifies_requests(redis_server: RedisServer) -> None:
    app = create_app({"REDIS_URL": redis_server.url, "ALEXA_VERIFY_REQUESTS": True, "TESTING": True,
                      "USER_ID_PEPPER": "x"})
    with serve(app) as base_url:
        result = chat(["start my hamstring workout"], "--url", f"{base_url}/alexa")
    assert result.returncode == 1
    assert "HTTP 400" in result.stdout and "ALEXA_VERIFY_REQUESTS" in result.stdout


def test_without_redis_url_it_reuses_a_running_redis_or_starts_its_own(redis_server: RedisServer) -> None:
    """The make-run socket is found when it answers; otherwise a private Redis runs for the chat and stops."""
    script = "import sys; from pathlib import Path; from simulator import chat; " \
             "chat.RUN_REDIS_DIR = Path(sys.argv[1]); sys.exit(chat.main(sys.argv[2:]))"
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"} | {"PYTHONPATH": str(REPO)}

    def run(data_dir: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", script, str(data_dir), "--user", "pat"], cwd=REPO, env=env,
                              input="start my hamstring workout\n", capture_output=True, text=True, timeout=60,
                              check=False)

    reused = run(redis_server.socket_path.parent)
    assert reused.returncode == 0 and "heard: StartWorkoutIntent" in reused.stdout
    assert "local_redis:" not in reused.stderr  # nothing was started
    with tempfile.TemporaryDirectory(prefix="chat-", dir="/tmp") as short:  # short: a unix socket path
        started = run(Path(short))
        assert started.returncode == 0, started.stderr
        assert "heard: StartWorkoutIntent" in started.stdout and "can't reach" not in started.stdout
        assert f"Redis on unix://{short}/redis.sock" in started.stderr
        assert (Path(short) / "appendonly.aof").exists() or (Path(short) / "appendonlydir").exists()
        with pytest.raises(redis.ConnectionError):  # stopped with the chat
            redis.Redis(unix_socket_path=f"{short}/redis.sock", socket_timeout=1).ping()


def test_speak_without_espeak_still_prints(redis_server: RedisServer, tmp_path: Path) -> None:
    """--speak never loses the printed reply; with espeak-ng missing from PATH it says so on stderr."""
    env = {"PATH": str(tmp_path), "PYTHONPATH": str(REPO), "REDIS_URL": redis_server.url}
    result = subprocess.run([sys.executable, "-m", "simulator.chat", "--speak"], input="help\n", capture_output=True,
                            text=True, cwd=REPO, env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "heard: AMAZON.HelpIntent" in result.stdout
    assert "espeak-ng is not installed" in result.stderr


def test_the_readme_example_prints_what_the_readme_shows(redis_server: RedisServer, redis_client: redis.Redis) -> None:
    """The piped example in README.md ("Try it without an Echo"), run as it is written there."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    script = re.search(r"^    printf '(.*)' \| make chat ARGS=--new$", readme, re.MULTILINE)
    assert script is not None, "the README's piped example is gone"
    shown = readme[script.end():].split("prints (tests/test_chat.py checks that it still does):\n\n", 1)[1]
    shown = "\n".join(line.removeprefix("    ") for line in shown.split("\n\n- ")[0].split("\n"))
    result = chat(script.group(1).split("\\n")[:-1], "--new", redis_url=redis_server.url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == shown.strip()


def test_a_line_after_the_session_closed_is_not_heard(redis_server: RedisServer, redis_client: redis.Redis) -> None:
    result = chat(["start my hamstring workout", "[wait 25]", "ready", "alexa ask hamstring coach what set am i on"],
                  "--new", redis_url=redis_server.url)
    _, ignored, one_shot = blocks(result.stdout)
    assert "the reprompt" in ignored and "the session closed" in ignored and "not heard" in ignored
    assert "heard: ReadyIntent" not in ignored
    assert "heard: ProgressIntent" in one_shot and "Set 1 of 3" in one_shot
