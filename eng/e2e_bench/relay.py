# Copyright (c) Stickpeer contributors. Licensed under the MIT License.
"""A loopback TCP relay that can be opened later: used by the cold/warm measurement so a learner's
connection to a second teacher starts when we say, and its accept time starts the clock."""

import socket
import threading
import time


class Relay:
    def __init__(self, listen_port, target_port):
        self.listen_port, self.target_port = listen_port, target_port
        self.accepted_at = None
        self.bytes_forwarded = 0
        self._lock = threading.Lock()
        self._listener = None
        self._conns = []

    def open(self):
        """Starts listening: until then connections to the port are refused (the peer retries)."""
        ls = socket.socket()
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", self.listen_port))
        ls.listen(8)
        self._listener = ls
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.accepted_at is None:
                self.accepted_at = time.monotonic()
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            # Both peers set TCP_NODELAY; a relay without it adds Nagle's wait for the ACK of the
            # previous small segment, which the receiver delays by up to 40 ms: the cold link (TLS
            # tickets, then the hello's status line) stalled 40-50 ms in most runs.
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._conns += [client, server]
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, src, dst, count):
        try:
            while True:
                data = src.recv(1 << 18)
                if not data:
                    break
                dst.sendall(data)
                if count:
                    with self._lock:
                        self.bytes_forwarded += len(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        if self._listener:
            self._listener.close()
        for c in self._conns:
            try:
                c.close()
            except OSError:
                pass
