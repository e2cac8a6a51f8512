# SPDX-License-Identifier: GPL-2.0
"""bench/poll_tail.py on a synthetic run: the per-job stall measure and
the per-thread CPU use it prints.

    python3 -m unittest discover -s tests/bench
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
import poll_tail  # noqa: E402


def stat_line(tid, comm, ticks, cpu):
    """A /proc/PID/stat line: utime ticks, stime 0, last CPU."""
    rest = ["S"] + ["0"] * 10 + [str(ticks), "0"] + ["0"] * 23 + [str(cpu)]
    return "%d (%s) %s\n" % (tid, comm, " ".join(rest))


class PollTail(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        d = self.dir = self.tmp.name
        pct = {"50.000000": 1e6, "90.000000": 2e6, "99.000000": 8e6, "99.900000": 9e6}
        job = {"read": {"iops": 1000.0, "clat_ns": {"mean": 1.5e6, "percentile": pct}}}
        with open(os.path.join(d, "t.json"), "w") as f:
            json.dump({"jobs": [job]}, f)
        # Completions at 0-9 ms, none at 10-19 (a 10 ms stall), none at 21
        # and 22 (too short to count), then 20 and 23-29: 10 of 30 ms idle.
        ms = list(range(10)) + [20] + list(range(23, 30))
        with open(os.path.join(d, "t_lat.1.log"), "w") as f:
            for i, t in enumerate(ms):
                lat = 6_000_000 if i == 10 else 1_000_000
                f.write("%d, %d, 0, 4096, 0\n" % (t, lat))
        with open(os.path.join(d, "t.threads0"), "w") as f:
            f.write(stat_line(10, "fio", 100, 0) + stat_line(11, "kworker/1:2H-x y", 5, 1))
        with open(os.path.join(d, "t.threads1"), "w") as f:
            f.write(stat_line(10, "fio", 160, 0) + stat_line(11, "kworker/1:2H-x y", 45, 1)
                    + stat_line(12, "new", 9, 0))

    def tearDown(self):
        self.tmp.cleanup()

    def output(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            sys.argv = ["poll_tail.py", "t", self.dir]
            poll_tail.main()
        return out.getvalue().splitlines()

    def test_job_percentiles(self):
        self.assertIn("t job 1: iops 1000 mean 1500 us, p50 1000 p90 2000 p99 8000 "
                      "p99.9 9000 (us)", self.output())

    def test_stalls_of_3ms_or_more_count(self):
        # 18 I/Os, one over 5 ms; 10 of the 30 ms in stalls of >= 3 ms.
        self.assertIn("t t_lat.1.log: 18 I/Os, 5.6 % over 5 ms, 33 % of 30 ms in gaps of >= 3 ms",
                      self.output())

    def test_threads_by_cpu_used(self):
        # Thread 12 did not exist before the window: left out.
        self.assertIn("t CPU ticks in the window: 100; top: fio 60 (cpu0), "
                      "kworker/1:2H-x y 40 (cpu1)", self.output())


if __name__ == "__main__":
    unittest.main()
