# SPDX-License-Identifier: GPL-2.0
"""bench/report.py on synthetic runs: how the guest-speed calibration around
each fio job decides which rounds the per-round ratios and the targets use.

    python3 -m unittest discover -s tests/bench
"""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
import report  # noqa: E402

QD32 = "rr4k-qd32x2-libaio"
QD1 = "rr4k-qd1-libaio"


class Run:
    """A bench directory in the shape bench/guest.sh writes it."""

    def __init__(self, rounds, workloads, null_workloads=(), ab=False, null_timer=False):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        os.makedirs(os.path.join(self.dir, "fio"))
        env = {"kernel": "6.12.0-test", "cpus": 2, "user_hz": 100, "rounds": rounds,
               "runtime_s": 10, "ramp_s": 2, "workloads": list(workloads),
               "null_workloads": list(null_workloads), "fio": "fio-3.33",
               "nvme_cli": "nvme version 2.4", "clocksource": "tsc", "nctrl": 1,
               "started": "2026-12-05T00:00:00Z"}
        if ab:
            env["ab"] = {"A": "build/a", "B": "build/b"}
        if null_timer:
            env["null_timer"] = "nullb1"
        with open(os.path.join(self.dir, "env.json"), "w") as f:
            json.dump(env, f)
        with open(os.path.join(self.dir, "done.json"), "w") as f:
            json.dump({"clocksource": "tsc"}, f)
        self.t = 1000.0

    def job(self, rnd, tr, wl, iops, calib=(0.2, 0.2)):
        """One fio job: iops with a latency to match and one tick (10 ms)
        of busy CPU per 10 I/Os; calib=None leaves the calibration out, as
        in runs from before it was recorded."""
        name = f"fio/r{rnd}-{tr}-{wl}.json"
        ios = int(iops * 10)
        lat = 1e9 / iops
        fio = {"timestamp_ms": (self.t + 12) * 1e3, "jobs": [{
            "error": 0, "job_runtime": 10000,
            "read": {"total_ios": ios, "iops": iops, "bw_bytes": iops * 4096,
                     "lat_ns": {"mean": lat, "percentile": {
                         "50.000000": lat, "99.000000": 2 * lat, "99.990000": 3 * lat}}},
            "write": {"total_ios": 0, "iops": 0, "bw_bytes": 0, "lat_ns": {"mean": 0}}}]}
        with open(os.path.join(self.dir, name), "w") as f:
            json.dump(fio, f)
        busy = ios // 10
        rec = {"kind": "fio", "round": rnd, "transport": tr, "workload": wl,
               "device": "/dev/x", "fio": name, "args": "", "t0": self.t, "t1": self.t + 12,
               "cpu0": [0] * 8, "cpu1": [busy, 0, 0, 2400 - busy, 0, 0, 0, 0]}
        if calib is not None:
            rec["calib_s"] = list(calib)
        with open(os.path.join(self.dir, "manifest.jsonl"), "a") as f:
            f.write(json.dumps(rec) + "\n")
        self.t += 13

    def analyse(self):
        return report.analyse(self.dir)

    def close(self):
        self.tmp.cleanup()


class CalibrationTest(unittest.TestCase):
    def three_rounds(self, calib_offload_r2):
        """tcp_offload as fast as nvme-tcp, except in round 2 where it got
        half the IOPS, with calibration calib_offload_r2 around that job."""
        run = Run(3, [QD32])
        self.addCleanup(run.close)
        for rnd in (1, 2, 3):
            run.job(rnd, "tcp", QD32, 10000)
            if rnd == 2:
                run.job(rnd, "tcp_offload", QD32, 5000, calib_offload_r2)
            else:
                run.job(rnd, "tcp_offload", QD32, 10000)
        return run.analyse()

    def test_disturbed_round_left_out(self):
        res = self.three_rounds((0.2, 0.45))
        self.assertEqual(res["calib"]["ref_s"], 0.2)
        self.assertEqual(res["calib"]["disturbed"], [f"r2 tcp_offload {QD32} (0.450 s)"])
        p = res["paired"][QD32]["tcp_offload"]["iops"]
        self.assertEqual((p["undisturbed"], p["rounds"]), (2, 3))
        self.assertAlmostEqual(p["median_undisturbed"], 1.0)
        self.assertAlmostEqual(p["range"][0], 0.5)
        md = report.markdown(res, "test", [])
        self.assertIn("| 1.00× (2 of 3) |", md)
        self.assertIn("1 of 6 jobs", md)
        report.check_md(res, md)
        got = {t[0]: t[2] for t in report.targets(res)}
        self.assertAlmostEqual(got[f"{QD32} IOPS"], 1.0)

    def test_slow_round_counts_when_guest_was_not(self):
        """A slow job on an undisturbed guest is a measurement, not noise."""
        res = self.three_rounds((0.2, 0.25))
        self.assertEqual(res["calib"]["disturbed"], [])
        p = res["paired"][QD32]["tcp_offload"]["iops"]
        self.assertEqual((p["undisturbed"], p["rounds"]), (3, 3))
        self.assertAlmostEqual(p["median_undisturbed"], 1.0)
        res2 = self.three_rounds((0.2, 0.2))
        self.assertEqual(res2["paired"][QD32]["tcp_offload"]["iops"]["range"], [0.5, 1.0])
        self.assertIn("every round counts", report.markdown(res, "test", []))

    def test_every_round_disturbed(self):
        run = Run(1, [QD32])
        self.addCleanup(run.close)
        run.job(1, "tcp", QD32, 10000, (0.2, 0.2))
        run.job(1, "tcp_offload", QD32, 9000, (0.2, 0.2))
        run.job(1, "tcp", "other", 10000, (0.2, 0.2))
        run.job(1, "tcp_offload", "other", 10000, (0.9, 0.9))
        res = run.analyse()
        p = res["paired"][QD32]["tcp_offload"]["iops"]
        self.assertEqual(p["undisturbed"], 1)
        q = res["paired"]["other"]["tcp_offload"]["iops"]
        self.assertEqual((q["undisturbed"], q["median_undisturbed"]), (0, None))
        self.assertEqual(report.fmt_paired(q), "n/a (0 of 1)")
        # The results stay valid JSON (no NaN) with a workload left empty.
        json.dumps(res, allow_nan=False)

    def test_run_without_calibration(self):
        run = Run(2, [QD32])
        self.addCleanup(run.close)
        for rnd in (1, 2):
            run.job(rnd, "tcp", QD32, 10000, None)
            run.job(rnd, "tcp_offload", QD32, 8000, None)
        res = run.analyse()
        self.assertIsNone(res["calib"]["ref_s"])
        self.assertEqual(res["paired"][QD32]["tcp_offload"]["iops"]["undisturbed"], 2)
        self.assertIn("not recorded", report.markdown(res, "test", []))

    def test_null_mode_pairs(self):
        run = Run(2, [QD1], null_workloads=[QD1])
        self.addCleanup(run.close)
        for rnd in (1, 2):
            run.job(rnd, "tcp", QD1, 4000)
            run.job(rnd, "tcp_offload", QD1, 4000)
            run.job(rnd, "local", QD1, 60000)
            run.job(rnd, "engine_null", QD1, 30000 if rnd == 1 else 45000,
                    (0.2, 0.2) if rnd == 1 else (0.5, 0.5))
        res = run.analyse()
        got = {t[0]: t[2] for t in report.targets(res)}
        self.assertAlmostEqual(got[f"{QD1} engine null mode IOPS / raw null_blk"], 0.5)
        self.assertIn("| 0.50× (1 of 2) |", report.markdown(res, "test", []))

    def null_run(self, timer_rounds, null_timer=False):
        """Two rounds of QD1 on every transport, the timer null_blk in
        timer_rounds only."""
        run = Run(2, [QD1], null_workloads=[QD1], null_timer=null_timer)
        self.addCleanup(run.close)
        for rnd in (1, 2):
            for tr, iops in (("tcp", 4000), ("tcp_offload", 4000), ("local", 60000),
                             ("local_timer", 40000), ("engine_null", 30000)):
                if tr != "local_timer" or rnd in timer_rounds:
                    run.job(rnd, tr, QD1, iops)
        return run

    def test_null_mode_timer_reference(self):
        """The timer null_blk pairs with the same engine null jobs."""
        res = self.null_run((1, 2)).analyse()
        got = {t[0]: t[2] for t in report.targets(res)}
        self.assertAlmostEqual(got[f"{QD1} engine null mode IOPS / raw null_blk"], 0.5)
        self.assertAlmostEqual(
            got[f"{QD1} engine null mode IOPS / timer null_blk (reference only)"], 0.75)
        md = report.markdown(res, "test", [])
        self.assertIn("| timer null_blk |", md)
        self.assertIn(f"| {QD1} | IOPS | 60000 | 40000 | 30000 | 0.50× | 0.50× (2 of 2) | n/a "
                      "| 0.75× | 0.75× (2 of 2) | n/a |", md)

    def test_null_timer_rounds_checked(self):
        """A run that made the timer null_blk needs its jobs in every round;
        a run without any timer jobs keeps the old table."""
        with self.assertRaisesRegex(report.BadData, f"{QD1}/local_timer: 1 rounds, want 2"):
            report.check_data(self.null_run((1,), null_timer=True).analyse())
        md = report.markdown(self.null_run(()).analyse(), "test", [])
        self.assertNotIn("timer null_blk", md)
        self.assertIn("| 0.50× (2 of 2) |", md)

    def test_ab_pairs(self):
        run = Run(2, [QD32], ab=True)
        self.addCleanup(run.close)
        for rnd in (1, 2):
            run.job(rnd, "tcp", QD32, 10000)
            run.job(rnd, "tcp_offload-A", QD32, 10000)
            run.job(rnd, "tcp_offload-B", QD32, 11000 if rnd == 1 else 20000,
                    (0.2, 0.2) if rnd == 1 else (0.1, 0.1))
            run.job(rnd, "tcp", QD1, 10000)
            run.job(rnd, "engine_null-A", QD1, 10000)
            run.job(rnd, "engine_null-B", QD1, 10000)
        res = run.analyse()
        md = report.ab_markdown(res, "test")
        # A faster guest (calibration 0.1 s against 0.2 s) is not a
        # disturbance; only a slower one is.
        self.assertIn(f"| {QD32} | IOPS | 10000 | 10000 | 15500 | 1.55× | 1.55× (2 of 2) | 1.10–2.00 |", md)

    def test_ab_null_workloads(self):
        """bench-ab lists every engine null mode workload it ran; runs from
        before BENCH_AB_NULL_WORKLOADS (no null_workloads in env.json) had
        QD1 only."""
        run = Run(1, [QD1], null_workloads=[QD1, QD32], ab=True)
        self.addCleanup(run.close)
        run.job(1, "tcp", QD1, 10000)
        for wl, b in ((QD1, 12000), (QD32, 30000)):
            run.job(1, "tcp_offload-A", wl, 10000)
            run.job(1, "tcp_offload-B", wl, 10000)
            run.job(1, "engine_null-A", wl, 20000)
            run.job(1, "engine_null-B", wl, b)
        res = run.analyse()
        md = report.ab_markdown(res, "test")
        self.assertIn(f"| {QD1} (engine null mode) | IOPS | n/a | 20000 | 12000 | 0.60× |", md)
        self.assertIn(f"| {QD32} (engine null mode) | IOPS | n/a | 20000 | 30000 | 1.50× |", md)
        del res["env"]["null_workloads"]
        md = report.ab_markdown(res, "test")
        self.assertIn(f"| {QD1} (engine null mode) |", md)
        self.assertNotIn(f"| {QD32} (engine null mode) |", md)


if __name__ == "__main__":
    unittest.main()
