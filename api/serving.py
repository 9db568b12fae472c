"""Run the API under uvicorn in one or several processes (`kb serve --processes N`).

Several processes: uvicorn's own `workers=N` binds a socket created without a protocol
number, so asyncio never sets TCP_NODELAY on the connections it accepts, and every answer
on a keep-alive connection waits ~40 ms for the client's delayed ACK (measured: /health
44 ms instead of 1.4 ms). The listening socket is made here, as a TCP socket, and handed
to uvicorn's process supervisor; each worker process imports the app through
`api.app:app_from_environment`, which reads the `KB_*` settings of the environment.
The workers take turns on that socket so that keep-alive connections spread evenly
(`api.balance`).
"""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from api.app import create_app
from api.balance import ConnectionTable, FairListener
from kb.settings import Settings

WORKER_APP = "api.app:app_from_environment"


def serve(
    settings: Settings, host: str, port: int, processes: int = 1, log_level: str = "info"
) -> None:
    """Serve the library of `settings` until interrupted. With `processes` > 1 the caller
    must have put the settings in the environment (`KB_LIBRARY`, `KB_VOCABULARY`...)."""
    # The C HTTP parser (a dependency); asyncio's own loop even where uvloop is installed:
    # uvloop accepts connections natively, past `FairListener.accept`.
    if processes <= 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level,
                    http="httptools", loop="asyncio")  # fmt: skip
        return
    config = uvicorn.Config(WORKER_APP, factory=True, host=host, port=port, workers=processes,
                            log_level=log_level, http="httptools", loop="asyncio")  # fmt: skip
    listener = FairListener(tcp_socket(host, port), ConnectionTable())
    Multiprocess(config, sockets=[listener]).run()


def tcp_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on (host, port), inheritable by worker processes."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


__all__ = ["WORKER_APP", "serve", "tcp_socket"]
