"""A loopback TCP proxy that holds a server's answer at a marker, or does something just
before a client's command goes on: a client stopped in the middle of a read, or a letter
arriving between two of its commands, at a point fixed by the bytes, not by how fast the
machine is.

On a quiet machine the e-mail connector reads 600 letters in less time than a test's poll
takes to see the tenth, so "kill once ten have landed" sometimes killed after the sync had
ended. With this proxy in front of Dovecot the test knows where the connector stands."""
from __future__ import annotations

import socket
import threading
from typing import Callable


class HeldProxy:
    """Passes the client's bytes to the server as they come (after `before_client_sends`
    has seen each piece), and the server's up to the first `marker` it sends; from there
    every connection's answer waits until `release()`. No marker: nothing is held."""

    def __init__(self, server_port: int, marker: bytes | None = None,
                 before_client_sends: Callable[[bytes], None] | None = None):
        self.server_port = server_port
        self.marker = marker
        self.before_client_sends = before_client_sends
        self.reached = threading.Event()   # the marker came: answers are held from here
        self.released = threading.Event()  # release(): everything passes again
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def holding(self) -> bool:
        return self.reached.is_set() and not self.released.is_set()

    def release(self):
        self.released.set()

    def close(self):
        self.released.set()
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                try:
                    s.close()
                except OSError:
                    pass

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            server = socket.create_connection(("127.0.0.1", self.server_port))
            with self.lock:
                self.sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, from_server: bool):
        tail = b""  # the end of what came before, so a marker split between reads is found
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if not from_server and self.before_client_sends:
                    self.before_client_sends(data)
                if from_server and self.marker and not self.released.is_set():
                    if not self.reached.is_set():
                        at = (tail + data).find(self.marker)
                        if at >= 0:
                            cut = max(0, at - len(tail))
                            sink.sendall(data[:cut])
                            data = data[cut:]
                            self.reached.set()
                        else:
                            tail = (tail + data)[-(len(self.marker) - 1):]
                    if self.reached.is_set():
                        self.released.wait()
                sink.sendall(data)
        except OSError:
            pass  # one side went away (the killed client, or close())
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
