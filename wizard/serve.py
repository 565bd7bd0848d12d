"""`wizard serve`: the interactive wizard in a web browser, through textual-serve.

Each browser tab gets its own wizard process. The page is this package's own (wizard/serve_page), so the browser
fetches nothing from outside the server: classrooms and kiosks often have no way out to the internet.
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

PAGE_DIR = Path(__file__).resolve().parent / "serve_page"


def is_loopback(host: str) -> bool:
    """Whether an address to listen on is reachable only from this machine."""
    if host.strip().lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(tree_dirs: Sequence[str] = ()) -> str:
    """The shell command textual-serve runs for each browser: this Python, this wizard, the same tree folders."""
    parts = [sys.executable, "-m", "wizard"]
    for folder in tree_dirs:
        parts += ["--trees", str(Path(folder).resolve())]
    return " ".join(shlex.quote(p) for p in parts)


def public_url(host: str, port: int) -> str:
    """The address the page tells the browser to connect back to; a wildcard address is replaced by this host."""
    name = host
    if host in ("0.0.0.0", "::", ""):
        name = socket.getfqdn()
    elif ":" in host and not host.startswith("["):
        name = f"[{host}]"
    return f"http://{name}:{port}"


def serve(host: str, port: int, *, tree_dirs: Sequence[str] = (), out: TextIO | None = None) -> int:
    from textual_serve.server import Server

    server = Server(
        app_command(tree_dirs),
        host=host,
        port=port,
        title="wizard",
        public_url=public_url(host, port),
        templates_path=PAGE_DIR,
    )
    if out is not None:
        print(f"wizard: serving on {server.public_url} (Ctrl+C stops it)", file=out, flush=True)
    server.serve()
    return 0
