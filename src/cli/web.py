"""`nianbao web`: serve the supervisor's desk (src/supervise/web) on this machine.

Loopback (127.0.0.1) by default. Any other --host serves the network, so every request then needs
the access token printed at start (the printed address carries it once; a cookie keeps it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from nianbao.cli import render
from nianbao.cli.options import DEFAULT_DB, DEFAULT_RAW, DbOption, RawOption

EXIT_FAILED = 1


def web(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on. Not a loopback address: a token is required.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port).")] = 8213,
    raw: RawOption = DEFAULT_RAW,
    token: Annotated[str | None, typer.Option(
        envvar="NIANBAO_WEB_TOKEN", show_envvar=False,
        help="The access token for a non-loopback --host (default: a new random one, printed).")] = None,
) -> None:
    """Open the league table, agency histories, reports with their flagged cells, review decisions
    and the list of who has not published, in a browser (no internet needed)."""
    import socket

    import uvicorn

    from nianbao.supervise.web.app import create_app, is_loopback, new_token

    console, err = render.console(), render.err_console()
    if not Path(db).exists():
        err.print(Text(f"there is no warehouse at {db}; run `nianbao ingest PATH --db {db}` first", style="bold red"))
        raise typer.Exit(EXIT_FAILED)
    loopback = is_loopback(host)
    if loopback:
        token = None
    elif not token:
        token = new_token()
    app = create_app(db, token=token, loopback=loopback, raw_dir=raw)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        err.print(Text(f"cannot listen on {host}:{port}: {exc.strerror or exc}", style="bold red"))
        raise typer.Exit(EXIT_FAILED) from None
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/" + (f"?token={token}" if token else "")
    console.print(Text(f"nianbao web · {db}", style="bold"))
    console.print(Text(url))
    if token:
        console.print(Text(f"access token: {token}  (every request needs it; open the address above once)",
                           style="yellow"))
    console.print(Text("Ctrl-C to stop", style="dim"))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    server.run(sockets=[sock])


def register(app: typer.Typer) -> None:
    app.command()(web)
