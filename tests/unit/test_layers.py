"""The packages are the data flow: each imports only the layers before it, no module circle,
no module reaches into another package's private names. Checked over the source with `ast`
(every import, at module or function level), and the checker itself on a tiny synthetic tree."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. A module may import its own layer and those listed before it. "" is the package's
# own (empty) __init__. The vocabulary (nianbao's words) is beneath all: spec and common read it.
# The CLI is the composition root: it may start the Prefect flows.
LAYERS = (
    ("", "vocabulary"),
    ("spec", "spec_data"),
    ("common",),
    ("config",),
    ("fetch",),
    ("extract",),
    ("normalize",),
    ("pipeline",),
    ("warehouse",),
    ("jobs",),
    ("supervise",),
    ("flows",),
    ("cli",),
)
# flows/ only orchestrates: it wires jobs into Prefect and reads config, spec and the warehouse.
FLOWS_MAY_IMPORT = ("flows", "jobs", "config", "spec", "spec_data", "vocabulary", "common", "warehouse")


@dataclass(frozen=True)
class Module:
    name: str  # dotted, without the "nianbao." prefix ("normalize.checks"; "" for the package itself)
    path: Path
    is_package: bool


@dataclass(frozen=True)
class Import:
    source: str
    target: str  # dotted module name without the prefix
    names: tuple[str, ...]  # names imported from it ("from x import a, b"); () for "import x"
    line: int


def discover(package_dirs: dict[str, Path]) -> dict[str, Module]:
    """Module name -> Module for every .py under each directory; keys of `package_dirs` are the
    dotted prefix each directory is installed as ("" for the top package)."""
    modules: dict[str, Module] = {}
    for prefix, directory in package_dirs.items():
        for path in sorted(directory.rglob("*.py")):
            parts = list(path.relative_to(directory).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts = parts[:-1]
            name = ".".join(p for p in ([prefix] if prefix else []) + parts)
            modules[name] = Module(name, path, is_package)
    return modules


def imports_of(module: Module, top: str) -> list[Import]:
    """Every import of `top` (the distribution's package name) in the module, at any depth."""
    found = []
    tree = ast.parse(module.path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == top or alias.name.startswith(top + "."):
                    found.append(Import(module.name, alias.name[len(top) + 1:], (), node.lineno))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.name.split(".") if module.name else []
                if not module.is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and (node.module == top or node.module.startswith(top + ".")):
                target = node.module[len(top) + 1:]
            else:
                continue
            found.append(Import(module.name, target, tuple(a.name for a in node.names), node.lineno))
    return found


def layer_of(name: str) -> str:
    return name.split(".")[0] if name else ""


def resolve(imp: Import, modules: dict[str, Module]) -> list[str]:
    """The modules an import loads: the target, and each imported name that is itself a module."""
    targets = [imp.target] if imp.target in modules else []
    for n in imp.names:
        sub = f"{imp.target}.{n}" if imp.target else n
        if sub in modules:
            targets.append(sub)
    if not targets:  # an attribute of a package we do not have the file of: its nearest parent
        parts = imp.target.split(".")
        while parts and ".".join(parts) not in modules:
            parts.pop()
        targets = [".".join(parts)] if parts else []
    return targets


def layer_violations(modules: dict[str, Module], all_imports: list[Import],
                     layers=LAYERS, flows_may_import=FLOWS_MAY_IMPORT) -> list[str]:
    rank = {name: i for i, group in enumerate(layers) for name in group}
    found = []
    for imp in all_imports:
        src = layer_of(imp.source)
        if src not in rank:
            found.append(f"{imp.source}:{imp.line} is in no layer")
            continue
        for target in resolve(imp, modules) or [imp.target]:
            dst = layer_of(target)
            ok = dst in flows_may_import if src == "flows" else dst in rank and rank[dst] <= rank[src]
            if not ok:
                found.append(f"{imp.source}:{imp.line} imports {target}")
    return found


def private_violations(all_imports: list[Import]) -> list[str]:
    """`from other_package.x import _name` (or of a private module) across packages."""
    found = []
    for imp in all_imports:
        if layer_of(imp.source) == layer_of(imp.target):
            continue
        private = [n for n in imp.names if n.startswith("_")]
        private += [p for p in imp.target.split(".") if p.startswith("_")]
        if private:
            found.append(f"{imp.source}:{imp.line} imports private {imp.target}: {', '.join(private)}")
    return found


def cycles(modules: dict[str, Module], all_imports: list[Import]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for imp in all_imports:
        for target in resolve(imp, modules):
            if target != imp.source:
                graph[imp.source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def check(package_dirs: dict[str, Path], top: str = "nianbao",
          layers=LAYERS, flows_may_import=FLOWS_MAY_IMPORT) -> dict[str, list]:
    modules = discover(package_dirs)
    all_imports = [imp for m in modules.values() for imp in imports_of(m, top)]
    # A package's __init__ re-exporting its own modules is the package, not a circle through it.
    graph_imports = [imp for imp in all_imports
                     if not (modules[imp.source].is_package and layer_of(imp.target) == layer_of(imp.source)
                             and imp.target.startswith(imp.source))]
    return {
        "layers": layer_violations(modules, all_imports, layers, flows_may_import),
        "private": private_violations(all_imports),
        "cycles": cycles(modules, graph_imports),
    }


SOURCE = {"": ROOT / "src", "flows": ROOT / "flows"}
NONE: dict[str, list] = {"layers": [], "private": [], "cycles": []}


def test_the_source_follows_the_data_flow():
    assert check(SOURCE) == NONE


# -- the checker on a synthetic tree ---------------------------------------------------------

def _tree(tmp_path: Path, files: dict[str, str]) -> dict[str, Path]:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {"": tmp_path / "src", "flows": tmp_path / "flows"}


CLEAN = {
    "src/__init__.py": "",
    "src/vocabulary.py": "",
    "src/spec.py": "from nianbao.vocabulary import VOCAB\n",
    "src/common/__init__.py": "from nianbao.common.text import clean\n",
    "src/common/text.py": "from nianbao.spec import SPEC\ndef clean(): ...\n",
    "src/normalize/__init__.py": "",
    "src/normalize/meta.py": "from nianbao.common.text import clean\nfrom . import agency\n",
    "src/normalize/agency.py": "from nianbao.common import text\n",
    "src/cli/__init__.py": "",
    "src/cli/main.py": "from nianbao.normalize import meta\nfrom nianbao.flows.ingest import run\n",
    "flows/__init__.py": "",
    "flows/ingest.py": "from nianbao.common.text import clean\n",
}


def test_a_clean_tree_passes(tmp_path):
    assert check(_tree(tmp_path, CLEAN)) == NONE


@pytest.mark.parametrize(("rel", "text", "expected"), [
    # upward at module level (which closes a circle here too), and inside a function
    ("src/common/text.py", "from nianbao.normalize.meta import x\n",
     {**NONE, "layers": ["common.text:1 imports normalize.meta"],
      "cycles": [["common.text", "normalize.agency", "normalize.meta"]]}),
    ("src/normalize/agency.py", "def f():\n    import nianbao.cli\n",
     {**NONE, "layers": ["normalize.agency:2 imports cli"]}),
    # the vocabulary is beneath all, spec too
    ("src/vocabulary.py", "from nianbao.spec import SPEC\n",
     {**NONE, "layers": ["vocabulary:1 imports spec"],
      "cycles": [["spec", "vocabulary"]]}),
    # flows may not parse, and only the CLI starts a flow
    ("flows/ingest.py", "from nianbao.normalize.meta import x\n",
     {**NONE, "layers": ["flows.ingest:1 imports normalize.meta"]}),
    ("src/normalize/agency.py", "from nianbao.flows.ingest import run\n",
     {**NONE, "layers": ["normalize.agency:1 imports flows.ingest"]}),
    # another package's private name
    ("src/cli/main.py", "from nianbao.normalize.meta import _guess\n",
     {**NONE, "private": ["cli.main:1 imports private normalize.meta: _guess"]}),
    # a circle through a relative import
    ("src/normalize/agency.py", "from .meta import x\n", {**NONE, "cycles": [["normalize.agency", "normalize.meta"]]}),
])
def test_the_checker_reports_a_violation(tmp_path, rel, text, expected):
    assert check(_tree(tmp_path, {**CLEAN, rel: text})) == expected
