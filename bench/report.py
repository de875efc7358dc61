"""The bench's printout: a table per part, ratios to the floors, and the goals met or missed.

Ratios are medians of per-round ratios (each round of the real app against the rounds of
the floors just before it), so a shared machine speeding up or slowing down between rounds
does not show up as a difference between them. The goals are measured against the author
floor (an empty ask-sdk skill as its author would write it, on sync workers), which does
not get cheaper when our view does.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

from bench.sample import Sample, total

GOALS = {"throughput": 0.8, "p99": 1.5, "round_trips": 1.1, "verification": 0.10}
GOAL_LEVEL = 16  # the yardstick: 16 runners on this machine's 2 cores
HEADER = (f"{'server':<11}{'conc':>5}{'turns':>7}{'turns/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
          f"{'errors':>7}{'RT/turn':>8}{'app':>7}{'redis':>7}{'client':>7}{'x tput':>7}{'x p99':>7}"
          f"{'/ tput':>7}{'/ p99':>7}")


def median_ratio(runs: list[Sample], bases: list[Sample], measure: Callable[[Sample], float]) -> float:
    return statistics.median(measure(run) / measure(base) for run, base in zip(runs, bases, strict=True))


def tput(sample: Sample) -> float:
    return sample.level.turns_per_second


def p99(sample: Sample) -> float:
    return sample.level.percentile(0.99)


def intro(turns: int, workers: dict[str, tuple[int, str]], rounds: int) -> None:
    shown = ", ".join(f"{name} {count} x {kind}" for name, (count, kind) in workers.items())
    print(f"\nA whole workout is {turns} turns. Workers: {shown}. Each level is {rounds} rounds of "
          "author floor, our-view floor, saving floor (the author floor plus one durable Redis write a turn), "
          "real, added up below.")
    print("RT/turn: Redis round trips per turn (commandstats; commands run inside the Lua scripts excluded).\n"
          "app, redis, client: CPU ms per turn spent by the gunicorn workers, redis-server and the load generator.\n"
          "x tput, x p99: / the author floor; / tput, / p99: / our-view floor (medians of per-round ratios).\n")
    print(HEADER)


def row(name: str, samples: list[Sample], *bases: list[Sample]) -> str:
    sample = total(samples)
    level = sample.level
    ratios = "".join(f"{median_ratio(samples, base, tput):>7.2f}{median_ratio(samples, base, p99):>7.2f}"
                     for base in bases)
    return (f"{name:<11}{level.concurrency:>5}{level.turns:>7}{level.turns_per_second:>9.0f}"
            f"{level.percentile(0.50):>8.1f}{level.percentile(0.95):>8.1f}{level.percentile(0.99):>8.1f}"
            f"{level.errors:>7}{sample.round_trips_per_turn:>8.2f}{sample.ms_per_turn(sample.app_cpu_s):>7.2f}"
            f"{sample.ms_per_turn(sample.redis_cpu_s):>7.2f}{sample.ms_per_turn(sample.client_cpu_s):>7.2f}{ratios}")


def rows(samples: dict[str, list[Sample]]) -> None:
    """The floors, then each other server with its ratios to the author floor and to our-view floor."""
    for name, runs in samples.items():
        if name == "author":
            print(row(name, runs))
        elif name in ("floor", "saving"):
            print(row(name, runs, samples["author"]))
        else:
            print(row(name, runs, samples["author"], samples["floor"]), flush=True)


def memory(rss: dict[str, float], commands: dict[str, int]) -> None:
    print("\nRSS per worker after the load: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in rss.items()))
    print("Redis commands at the last level (script-inner included): "
          + ", ".join(f"{name} {count}" for name, count in sorted(commands.items())))


def verification(samples: dict[str, list[Sample]], concurrency: int, verify_us: float) -> None:
    print(f"\nSignature verification at concurrency {concurrency}: every request is signed, 'verify-off' ignores "
          "the headers, 'verify-on' checks them (certificate chain cached after its first request).")
    print(HEADER[:HEADER.index(" x tput")])
    print(row("verify-off", samples["verify-off"]))
    print(row("verify-on", samples["verify-on"]))
    off = total(samples["verify-off"])
    share = verify_us / 1000 / off.ms_per_turn(off.app_cpu_s)
    print(f"RequestVerifier.verify() itself, chain cached: {verify_us:.0f} µs of CPU per request, "
          f"{100 * share:.1f}% of the real app's CPU per turn.")


def goals(results: dict[int, dict[str, list[Sample]]], verify: dict[str, list[Sample]], seconds: float) -> None:
    print("\nAgainst the goals:")
    checks: list[tuple[str, bool]] = []
    for concurrency, samples in results.items():
        throughput = median_ratio(samples["real"], samples["author"], tput)
        latency = median_ratio(samples["real"], samples["author"], p99)
        label = (f"concurrency {concurrency:>2}: throughput {throughput:.2f}x the author floor (goal >= "
                 f"{GOALS['throughput']}), p99 {latency:.2f}x (goal <= {GOALS['p99']})")
        if "saving" in samples:
            print(f"  (info) concurrency {concurrency:>2}: the saving floor (one durable write a turn, no coach): "
                  f"{median_ratio(samples['saving'], samples['author'], tput):.2f}x the author floor's throughput, "
                  f"{median_ratio(samples['saving'], samples['author'], p99):.2f}x its p99; the real app against "
                  f"the saving floor: {median_ratio(samples['real'], samples['saving'], tput):.2f}x, "
                  f"{median_ratio(samples['real'], samples['saving'], p99):.2f}x")
        if concurrency != GOAL_LEVEL:
            print(f"  (info) {label}")
            continue
        checks.append((label, throughput >= GOALS["throughput"] and latency <= GOALS["p99"]))
    everything = [sample for runs in (*results.values(), verify) for samples in runs.values() for sample in samples]
    errors = sum(sample.level.errors for sample in everything)
    trips = total([sample for samples in results.values() for sample in samples["real"]]).round_trips_per_turn
    cost = 1 - median_ratio(verify["verify-on"], verify["verify-off"], tput)
    checks += [
        (f"errors: {errors} (goal 0)", errors == 0),
        (f"Redis round trips per turn over whole workouts: {trips:.2f} (goal <= {GOALS['round_trips']})",
         trips <= GOALS["round_trips"]),
        (f"verification: {100 * cost:.1f}% less throughput, median of rounds (goal <= "
         f"{100 * GOALS['verification']:.0f}%)", cost <= GOALS["verification"]),
    ]
    for label, ok in checks:
        print(f"  {'met   ' if ok else 'MISSED'} {label}")
    verdict = "All goals met." if all(ok for _, ok in checks) else "Some goals missed."
    print(f"\nWhole run: {seconds:.0f} s. {verdict}")
