# Copyright (c) Stickpeer contributors. Licensed under the MIT License.
"""Background writer for the latency phase: `rate` set-table lines per second on a stats socket
(batches every 10 ms, over 20 000 keys) for at most `seconds`; prints the number of lines sent."""

import socket
import sys
import threading
import time

path, rate, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_UNIX)
s.connect(path)
s.sendall(b"prompt\n")


def drain():
    try:
        while s.recv(1 << 16):
            pass
    except OSError:
        pass


threading.Thread(target=drain, daemon=True).start()
per_tick = max(1, rate // 100)
sent, start = 0, time.monotonic()
try:
    while time.monotonic() - start < seconds:
        due = int((time.monotonic() - start) * rate)
        if due > sent:
            batch = min(due - sent, per_tick * 5)
            s.sendall(b"".join(b"set table mesh/s key bg%d data.gpc0 %d\n" % ((sent + i) % 20000, sent + i) for i in range(batch)))
            sent += batch
        time.sleep(0.01)
except (KeyboardInterrupt, OSError):
    pass
finally:
    print(f"{sent / max(1e-9, time.monotonic() - start):.0f}", flush=True)
