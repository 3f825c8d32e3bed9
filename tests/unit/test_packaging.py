"""The wheel ships every package and every data file the code reads (tests/integration/test_wheel.py
proves it end to end; this catches a new package left out of pyproject.toml in a second)."""

import tomllib

from tests.paths import REPO

SRC = REPO / "src"


def test_every_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {"nianbao" + "".join("." + part for part in p.parent.relative_to(SRC).parts)
             for p in SRC.rglob("__init__.py")}
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
