#!/usr/bin/env python3
# Pipelined `set table` lines through a stats socket in prompt mode (how operators fill a table
# fast). Works against Stickpeer and HAProxy alike:
#   python3 eng/cli-bench.py <admin.sock> <table> [lines]
# Prints lines/s. Start the daemon with `dotnet run -c Release --project src/Stickpeer.Daemon`
# (its demo table is `demo/sessions`), or point it at a haproxy stats socket.
import socket
import sys
import threading
import time

path, table = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
sock = socket.socket(socket.AF_UNIX)
sock.connect(path)
payload = b"prompt\n" + b"".join(b"set table %s key user%d data.gpc0 %d\n" % (table.encode(), i, i) for i in range(n))
prompts = [0]
done = threading.Event()


def read():
    count = 0
    while count < n + 1:
        data = sock.recv(1 << 16)
        if not data:
            break
        count += data.count(b"> ")
    prompts[0] = count
    done.set()


reader = threading.Thread(target=read, daemon=True)
reader.start()
start = time.time()
sock.sendall(payload)
done.wait(120)
elapsed = time.time() - start
print(f"{prompts[0] - 1} of {n} lines answered in {elapsed:.2f} s = {n / elapsed:,.0f} lines/s")
sys.exit(0 if prompts[0] == n + 1 else 1)
