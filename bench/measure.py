#!/usr/bin/env python3
"""Run a command N times; report the best wall time (s), the best CPU time (user + system, s: steadier than wall on
a shared machine) and the peak RSS (KiB, ru_maxrss of the child via wait4). Usable as a module (measure()) or as a
command printing JSON.

usage: measure.py [--runs N] [--ok 0,1] -- COMMAND...
"""
import argparse
import json
import os
import subprocess
import sys
import time


class Failed(Exception):
    pass


def measure(cmd, runs=3, ok=(0,)):
    best, cpu, rss, code = None, None, 0, None
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = proc.stderr.read().decode("utf-8", "replace")
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.stderr.close()
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            raise Failed("%s exited %d: %s" % (" ".join(cmd), code, err.strip()[-500:]))
        best = wall if best is None else min(best, wall)
        used = usage.ru_utime + usage.ru_stime
        cpu = used if cpu is None else min(cpu, used)
        rss = max(rss, usage.ru_maxrss)
    return {"wall_s": best, "cpu_s": cpu, "rss_kib": rss, "exit": code}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--ok", default="0")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    try:
        print(json.dumps(measure(cmd, args.runs, {int(x) for x in args.ok.split(",")})))
    except Failed as e:
        print("measure: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
