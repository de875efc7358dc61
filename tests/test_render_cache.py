"""The rendered-reply cache (skill/voice/render.py): the same words as rendering afresh, bounded memory.

Replies come from the pure workout: every seed profile of the crawler walking its whole
"start, ready, ready..." spine, with a form tip, progress and help asked at each step; to
fill the cache past its bound, "ready" and "next exercise" from each state the crawler visits.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from dataclasses import replace

from skill.alexa import responses
from skill.coach.events import Kind
from skill.coach.reply import Pause, PersonName, Reply, line
from skill.coach.state import UserState
from skill.coach.workout import step
from skill.voice import render
from skill.voice.content import for_locale
from skill.voice.speech import address
from skill.voice.wording import stable_hash
from tests.crawl import NOW, SEED_PATHS, crawl, ev, seed_events, spine
from tests.locales import crawl_group

pytestmark = crawl_group("en-US")  # the en-US crawl, on one xdist worker with the others using it

CONTENT = for_locale("en-US")
MAX_CACHE_BYTES = 8 * 1024 * 1024  # what render.py's docstring promises per worker


def replies() -> list[Reply]:
    found = []
    for seed in SEED_PATHS.values():
        state, now = UserState(), NOW
        for kind, details in seed_events(seed):
            state = step(state, ev(kind, now, **details)).state
        for spine_state, spine_now, _ in spine(state, now, ()):
            found.append(step(state, ev(Kind.READY, now)).reply)
            for kind in (Kind.FORM_TIP, Kind.PROGRESS, Kind.HELP):
                found.append(step(spine_state, ev(kind, spine_now)).reply)
            state, now = spine_state, spine_now
    return found


def test_a_cached_reply_is_word_for_word_what_rendering_afresh_gives() -> None:
    """The variant is reduced to its period before it keys the cache: that must not change a word."""
    afresh = render._render.__wrapped__  # the function under the cache, with the variant as given
    assert render.variant_period(CONTENT) == 2  # en phrases have one or two variants
    for reply in replies()[::3]:
        for variant in (0, 1, 2, 3, stable_hash("amzn1.echo-api.request.1"), stable_hash("x") + 1):
            until = NOW + reply.coaching if reply.coaching else 0.0
            fresh = {**json.loads(afresh(reply, CONTENT, variant, NOW)), "until": until}
            assert json.loads(render.render(reply, CONTENT, variant, NOW)) == fresh


def test_a_fresh_replys_fields_and_repeat_form_are_what_its_text_gives() -> None:
    """A reply fresh from render() is worked out from its cached body plus its own step and "until"; read back as
    plain text (a replay's stored reply, the session's copy) it must give the same fields and repeat form."""
    screens = 0
    for reply in replies():
        rendered = render.render(reply, CONTENT, 0, NOW)
        text = str(rendered)
        assert type(text) is str and type(rendered) is render.Rendered
        assert render.fields(rendered) == json.loads(text) == render.fields(text)
        assert responses.for_repeat(rendered) == responses.for_repeat(text)
        assert json.loads(responses.for_repeat(rendered)) == json.loads(responses.for_repeat(text))
        screens += bool(reply.screen and reply.screen.step)
    assert screens > 10  # the step is spliced in for these


def test_a_step_or_until_json_must_escape_or_spell_is_written_as_json_writes_it() -> None:
    """A step our screens make needs no escapes and a finite until is its repr: those skip json.dumps; anything
    else (not made by us today) must still come out as json.dumps writes it."""
    body = json.dumps({"ssml": "<speak>Hi.</speak>", "screen": {"step": ""}}, separators=(",", ":"))
    for position, until in (("1.2.resting.0.1796178753", 1796178841.09775), ('a"b\\c\u2028\xe9\ud800', 0.0),
                        ("x", float("nan")), ("", float("inf")), ("", -0.0)):
        expected = json.dumps({"ssml": "<speak>Hi.</speak>", "screen": {"step": position}, "until": until},
                              separators=(",", ":"))
        assert render.finish(body, position, until) == expected, (position, until)


def test_variants_a_period_apart_share_one_entry() -> None:
    render._render.cache_clear()
    reply = replies()[1]
    render.render(reply, CONTENT, 4)
    render.render(reply, CONTENT, 10)
    render.render(reply, CONTENT, 7)
    info = render._render.cache_info()
    assert (info.hits, info.misses, info.currsize) == (1, 2, 2)


def test_the_cache_is_bounded_in_entries_and_bytes() -> None:
    """What real replies cost per entry (keys built inside the measurement, so the Reply values it
    keeps count too), scaled to a full cache; then the bound itself, with more distinct replies."""
    states = list(crawl().paths)
    render._render.cache_clear()
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for state in states[:: max(1, len(states) // 600)]:
            for kind in (Kind.READY, Kind.NEXT_EXERCISE):
                render.render(step(state, ev(kind, crawl().times[state])).reply, CONTENT, stable_hash(str(kind)))
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    entries = render._render.cache_info().currsize
    full = held / entries * render.RENDER_CACHE_ENTRIES
    assert entries >= 100 and full < MAX_CACHE_BYTES, f"{entries} replies in {held / 1e6:.1f} MB"
    print(f"\nrender cache: {entries} replies of a crawl in {held / 1e6:.2f} MB; full: {full / 1e6:.1f} MB")
    for seconds in range(2 * render.RENDER_CACHE_ENTRIES):  # distinct pauses: distinct replies
        said = (line("store_unavailable"), Pause(seconds / 10))
        render.render(Reply(said, said), CONTENT, 0)
    assert render._render.cache_info().currsize == render.RENDER_CACHE_ENTRIES


def test_a_cached_greeting_names_each_person_only_as_it_leaves() -> None:
    """A recognised person's greeting is one cached render for everyone: it holds the name slot, never a
    personId, and each request's own personId goes in as the reply leaves (issue 13)."""
    greeting = Reply((line("welcome_person", person=PersonName()),), (line("prompt_start"),))
    first, second = render.render(greeting, CONTENT, 0), render.render(greeting, CONTENT, 0)
    assert first == second and "amzn1.ask.person" not in first
    ssml = json.loads(first)["ssml"]
    sam, alex = address(ssml, "amzn1.ask.person.SAM"), address(ssml, "amzn1.ask.person.ALEX")
    assert 'personId="amzn1.ask.person.SAM"' in sam and "ALEX" not in sam
    assert 'personId="amzn1.ask.person.ALEX"' in alex and "SAM" not in alex
    assert "alexa:name" not in address(ssml, None)  # the account's turn: no name at all


def test_runners_at_the_same_point_share_one_entry_and_each_screen_keeps_its_own_step() -> None:
    """A screen's step names the runner's workout (when it started): it is spliced in after the cache."""
    reply = next(r for r in replies() if r.screen is not None and r.screen.step)
    mine, theirs = (replace(reply, screen=replace(reply.screen, step=f"1.2.resting.0.{started}"))
                    for started in (1796000000, 1796000123))
    render._render.cache_clear()
    rendered = [json.loads(render.render(r, CONTENT, 0)) for r in (mine, theirs)]
    assert [r["screen"]["step"] for r in rendered] == ["1.2.resting.0.1796000000", "1.2.resting.0.1796000123"]
    assert {**rendered[0], "screen": None} == {**rendered[1], "screen": None}
    info = render._render.cache_info()
    assert (info.hits, info.misses) == (1, 1)
