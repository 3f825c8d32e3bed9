"""fetch is a layer: HTTP, robots, guards, the raw store, the crawl tables and the column
structures. It imports only spec, common, config and vocabulary below it, never what is built on it."""

from __future__ import annotations

import ast
from pathlib import Path

import nianbao.fetch

ALLOWED = ("nianbao.fetch", "nianbao.spec", "nianbao.common", "nianbao.config", "nianbao.vocabulary")


def test_fetch_imports_nothing_above_it():
    found = []
    for path in sorted(Path(nianbao.fetch.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            found += [f"{path.name}: {n}" for n in names
                      if n.startswith("nianbao") and not n.startswith(ALLOWED)]
    assert found == []
