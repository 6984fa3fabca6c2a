#!/usr/bin/env python3
"""Runs a command and shows where its resident memory is when it peaks: the peak, the memory
mappings holding more than half a megabyte at that moment, and the RSS over time.

    python3 scripts/peak-mappings.py target/release/xtask generate --spec DOC --out DIR --crate-name big

`/usr/bin/time -f %M` gives the peak alone. This tells the parser thread's heap (a large
anonymous mapping), the main heap (`[heap]`), big buffers glibc maps on their own and the
binary's code (the mappings of the executable) apart, and the timeline tells which stage the
peak falls in. It reads /proc/PID/smaps as often as it can (every few milliseconds), so a peak
shorter than that can be missed, and the reading itself slows the command down a little:
measure the peak's height with /usr/bin/time, and use this for where it is. Linux only.
"""

import re
import subprocess
import sys
import time

MAPPING = re.compile(r"^[0-9a-f]+-[0-9a-f]+ ")


def resident_by_mapping(pid):
    """(total KiB, [(KiB, mapping line)]) for the process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/smaps", encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return None
    total = 0
    mappings = []
    current = ""
    for line in text.splitlines():
        if MAPPING.match(line):
            current = line
        elif line.startswith("Rss:"):
            kib = int(line.split()[1])
            total += kib
            mappings.append((kib, current))
    return total, mappings


def main():
    command = sys.argv[1:]
    if not command:
        sys.exit(__doc__)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    peak = (0, [], 0.0)
    timeline = []
    while process.poll() is None:
        reading = resident_by_mapping(process.pid)
        # An exited process that is not yet reaped reads as empty.
        if reading is None or (reading[0] == 0 and timeline):
            break
        total, mappings = reading
        elapsed = time.monotonic() - started
        timeline.append((elapsed, total))
        if total > peak[0]:
            peak = (total, mappings, elapsed)
    status = process.wait()
    total, mappings, at = peak
    print(f"peak {total} KiB at {at:.2f} s (exit status {status})")
    for kib, mapping in sorted(mappings, reverse=True):
        if kib > 512:
            print(f"{kib:>9} KiB  {mapping}")
    step = max(1, len(timeline) // 40)
    print("RSS over time (s: MiB):")
    print(" ".join(f"{t:.2f}:{kib // 1024}" for t, kib in timeline[::step]))
    sys.exit(status)


if __name__ == "__main__":
    main()
