"""The `nianbao` command line: one Typer app (main.py) with the supervisor, review and source
commands registered from their modules; shared rendering in render.py."""

from nianbao.cli.main import app

__all__ = ["app"]
