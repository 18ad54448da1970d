#!/usr/bin/env python3
"""Summarises the CPU samples (jdk.ExecutionSample) of a JFR recording: samples per thread pool, the hottest
frames by self time, and the frames of chosen packages by inclusive time.

Usage: bench/jfr_top.py RECORDING.jfr [--top 30] [--thread PREFIX] [--include PREFIX,PREFIX,...]
Needs the JDK's `jfr` tool on the PATH.
"""
import argparse
import collections
import json
import re
import subprocess

DEFAULT_INCLUDE = ("io.ingesthub,org.apache.camel,org.springframework.web,io.micrometer,ch.qos.logback,"
                   "com.fasterxml.jackson.databind.ObjectMapper,org.apache.kafka.clients.producer.KafkaProducer")


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("recording")
    ap.add_argument("--top", type=int, default=30, help="rows per table")
    ap.add_argument("--thread", default="", help="only threads whose name starts with this")
    ap.add_argument("--include", default=DEFAULT_INCLUDE, help="frame prefixes for the inclusive table")
    args = ap.parse_args()

    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "128", "--events", "jdk.ExecutionSample",
                          args.recording], check=True, capture_output=True, text=True, timeout=300).stdout
    events = json.loads(out)["recording"]["events"]

    threads, self_time, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
    samples = 0
    for event in events:
        values = event["values"]
        thread = (values.get("sampledThread") or {}).get("javaName") or "?"
        stack = values.get("stackTrace")
        if not stack or not thread.startswith(args.thread):
            continue
        frames = [frame_name(f) for f in stack["frames"]]
        if not frames:
            continue
        samples += 1
        threads[re.sub(r"\d+", "N", thread)] += 1
        self_time[frames[0]] += 1
        for name in set(frames):
            inclusive[name] += 1

    def table(title, counter, keep=lambda name: True):
        print(f"\n{title}")
        rows = [(n, c) for n, c in counter.most_common() if keep(n)][:args.top]
        for name, count in rows:
            print(f"{count:6d} {100.0 * count / samples:5.1f}%  {name}")

    print(f"{samples} CPU samples in {args.recording}" + (f" (threads {args.thread}*)" if args.thread else ""))
    if not samples:
        return
    table("Samples per thread (digits as N)", threads)
    table("Hottest frames, self time", self_time)
    prefixes = tuple(p for p in args.include.split(",") if p)
    table(f"Frames under {', '.join(prefixes)}, inclusive time", inclusive, lambda n: n.startswith(prefixes))


if __name__ == "__main__":
    main()
