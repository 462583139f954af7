#!/usr/bin/env python3
"""Same-session A/B of the precompiled headers (cmake/BooBuildSpeed.cmake).

Compiles N translation units, picked at random from a build tree configured with BOO_PCH=ON,
each once with and once without its precompiled header (alternating which goes first, so the
machine's drift falls on both alike), and prints the CPU time (user + sys) of each pair and the
total ratio. The build tree must have been built once (the .gch files must exist).

    ./scripts/pch-ab.py build/ci 16
"""
import json
import os
import random
import resource
import shlex
import subprocess
import sys


def compile_once(entry, with_pch):
    args = shlex.split(entry["command"])
    out = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in ("-MT", "-MF", "-o") or (arg == "-include" and not with_pch):
            skip = True
            continue
        if arg == "-MD":
            continue
        out.append(arg)
    out += ["-o", os.devnull]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(out, cwd=entry["directory"], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{entry['file']} did not compile ({'with' if with_pch else 'without'} PCH):\n{done.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    build = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    commands = json.load(open(os.path.join(build, "compile_commands.json")))
    candidates = [e for e in commands if "-include" in e["command"] and "_autogen" not in e["file"]]
    if not candidates:
        sys.exit(f"{build} was not configured with BOO_PCH=ON (no -include in its compile commands)")
    random.seed(int(os.environ.get("BOO_PCH_AB_SEED", "7")))
    total = {True: 0.0, False: 0.0}
    for n, entry in enumerate(random.sample(candidates, min(count, len(candidates)))):
        order = (False, True) if n % 2 == 0 else (True, False)
        times = {with_pch: compile_once(entry, with_pch) for with_pch in order}
        for with_pch, seconds in times.items():
            total[with_pch] += seconds
        print(f"{os.path.relpath(entry['file']):55s} without {times[False]:6.2f} s  with {times[True]:6.2f} s"
              f"  ratio {times[True] / times[False]:.2f}", flush=True)
    print(f"total: without {total[False]:.1f} s, with {total[True]:.1f} s, ratio {total[True] / total[False]:.2f}")


if __name__ == "__main__":
    main()
