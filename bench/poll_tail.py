#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise one polled run of tests/guest/bench-poll-tail.sh.

poll_tail.py TAG DIR: reads DIR/TAG.json (fio JSON, one job per entry),
DIR/TAG_lat.N.log (fio per-I/O latency logs: completion time in ms,
latency in ns) and DIR/TAG.threads0/1 (/proc/PID/task/TID/stat of every
thread before and after a window in the middle of the run), and prints
per job IOPS and latency percentiles, how much of the run a job
completed nothing for 3 ms or more (a job that was not running, or whose
I/O was held up), and the threads that used the most CPU in the window
with the CPU they were last on.
"""
import collections
import glob
import json
import os
import re
import sys

# fio's percentile keys, with the names printed for them
PCTS = (("p50", "50.000000"), ("p90", "90.000000"), ("p99", "99.000000"),
        ("p99.9", "99.900000"))


def job_lines(tag, d):
    with open(os.path.join(d, tag + ".json")) as f:
        jobs = json.load(f)["jobs"]
    for i, job in enumerate(jobs, 1):
        rd = job["read"]
        p = rd["clat_ns"]["percentile"]
        pct = " ".join("%s %.0f" % (name, p[key] / 1000) for name, key in PCTS)
        print("%s job %d: iops %.0f mean %.0f us, %s (us)"
              % (tag, i, rd["iops"], rd["clat_ns"]["mean"] / 1000, pct))


def gaps(tag, d):
    for log in sorted(glob.glob(os.path.join(d, tag + "_lat.*.log"))):
        with open(log) as f:
            rows = [line.split(",") for line in f if line.strip()]
        done = collections.Counter(int(r[0]) for r in rows)
        slow = sum(1 for r in rows if int(r[1]) > 5_000_000)
        idle = run = 0
        for ms in range(min(done), max(done) + 1):
            if done[ms]:
                idle += run if run >= 3 else 0
                run = 0
            else:
                run += 1
        span = max(done) - min(done) + 1
        print("%s %s: %d I/Os, %.1f %% over 5 ms, %.0f %% of %d ms in gaps of >= 3 ms"
              % (tag, os.path.basename(log), len(rows), 100.0 * slow / len(rows),
                 100.0 * idle / span, span))


def threads(path):
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"(\d+) \((.*)\) (.*)", line.strip())
            if m:
                rest = m.group(3).split()
                out[int(m.group(1))] = (m.group(2), int(rest[11]) + int(rest[12]), int(rest[36]))
    return out


def cpu(tag, d):
    a = threads(os.path.join(d, tag + ".threads0"))
    b = threads(os.path.join(d, tag + ".threads1"))
    used = sorted(((b[t][1] - a[t][1], b[t][0], b[t][2]) for t in b
                   if t in a and b[t][1] > a[t][1]), reverse=True)
    print("%s CPU ticks in the window: %d; top: %s" % (
        tag, sum(u[0] for u in used),
        ", ".join("%s %d (cpu%d)" % (n, t, c) for t, n, c in used[:6])))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: poll_tail.py TAG DIR")
    tag, d = sys.argv[1:]
    job_lines(tag, d)
    gaps(tag, d)
    cpu(tag, d)


if __name__ == "__main__":
    main()
