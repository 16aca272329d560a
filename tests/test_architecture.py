"""The direction of imports between the project's apps, read from the source with ``ast``.

- ``apps.core`` is the base layer: it imports no other app of the project;
- ``apps.importer`` and ``apps.editorial`` do not import each other;
- no function or method imports a module of the project (an import inside a function
  is how a cycle is hidden), except ``AppConfig.ready()`` importing its own app's
  modules, which Django loads only once the models are ready.

Each failure names the file and line of every offending import.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ROOT / "apps"
FORBIDDEN_PAIRS = {("importer", "editorial"), ("editorial", "importer")}
RULES = {
    "core": "apps.core is the base layer and imports no other app of the project",
    "pairs": "apps.importer and apps.editorial do not import each other",
    "functions": "no function imports a module of the project (AppConfig.ready() "
    "may import its own app's modules)",
}


def module_name(path):
    """``apps/core/templatetags/site_tags.py`` → ``apps.core.templatetags.site_tags``."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_of(module):
    """``apps.core.blocks`` → ``core``; None outside an app."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "apps" else None


def imported_modules(node, module, is_package):
    """The absolute names an ``import`` or ``from … import`` statement brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = ".".join(package[: len(package) - node.level + 1])
        base = f"{package}.{node.module}" if node.module else package
    if not node.module or base == "apps":  # from . import signals, from apps import news
        return [f"{base}.{alias.name}" for alias in node.names]
    return [base]


def is_app_config(node):
    return any(
        (isinstance(base, ast.Name) and base.id == "AppConfig")
        or (isinstance(base, ast.Attribute) and base.attr == "AppConfig")
        for base in node.bases
    )


class Imports(ast.NodeVisitor):
    """Every import of a module, with its line and where it sits: module level, in a
    function, or in an ``AppConfig.ready()`` method."""

    def __init__(self, module, is_package):
        self.module = module
        self.is_package = is_package
        self.found = []  # (line, imported module, "module" | "function" | "ready")
        self.place = "module"
        self.in_app_config = False

    def visit_ClassDef(self, node):
        outer = self.in_app_config
        self.in_app_config = is_app_config(node)
        self.generic_visit(node)
        self.in_app_config = outer

    def visit_FunctionDef(self, node):
        outer_place, outer_config = self.place, self.in_app_config
        if self.place == "module":
            self.place = "ready" if self.in_app_config and node.name == "ready" else "function"
        self.in_app_config = False
        self.generic_visit(node)
        self.place, self.in_app_config = outer_place, outer_config

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Import(self, node):
        for name in imported_modules(node, self.module, self.is_package):
            self.found.append((node.lineno, name, self.place))

    visit_ImportFrom = visit_Import


def imports_of(source, module, is_package=False):
    visitor = Imports(module, is_package)
    visitor.visit(ast.parse(source))
    return visitor.found


def violations(source, module, is_package=False, where=None, rules=RULES):
    """What breaks the rules in one module's source, as ``where:line: message``."""
    where = where or module
    own_app = app_of(module)
    found = []
    for line, name, place in imports_of(source, module, is_package):
        other_app = app_of(name)
        if other_app is None:
            continue
        if "core" in rules and own_app == "core" and other_app != "core":
            found.append(f"{where}:{line}: apps.core imports {name}, an app above it")
        if "pairs" in rules and (own_app, other_app) in FORBIDDEN_PAIRS:
            found.append(f"{where}:{line}: apps.{own_app} imports {name}")
        if "functions" in rules and (
            place == "function" or (place == "ready" and other_app != own_app)
        ):
            found.append(f"{where}:{line}: {name} is imported inside a function")
    return found


@pytest.mark.parametrize("rule", RULES)
def test_the_project_follows_the_import_rule(rule):
    found = []
    for path in sorted(APPS.rglob("*.py")):
        found += violations(
            path.read_text(encoding="utf-8"),
            module_name(path),
            is_package=path.name == "__init__.py",
            where=path.relative_to(ROOT).as_posix(),
            rules={rule},
        )
    assert not found, f"{RULES[rule]}:\n" + "\n".join(found)


# The checker itself, on small sources: each rule is seen, and what is allowed passes.


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        (
            "apps.core.blocks",
            "import os\nfrom apps.news.models import NewsStoryPage\n",
            ["apps.core.blocks:2: apps.core imports apps.news.models, an app above it"],
        ),
        (
            "apps.core.templatetags.site_tags",
            "from ...charter import mentions\n",
            ["apps.core.templatetags.site_tags:1: apps.core imports apps.charter, an app above it"],
        ),
        (
            "apps.core.forms",
            "from apps import editorial\n",
            ["apps.core.forms:1: apps.core imports apps.editorial, an app above it"],
        ),
        (
            "apps.importer.loader",
            "import apps.editorial.workflows\n",
            ["apps.importer.loader:1: apps.importer imports apps.editorial.workflows"],
        ),
        (
            "apps.editorial.views",
            "from ..importer.loader import Loader\n",
            ["apps.editorial.views:1: apps.editorial imports apps.importer.loader"],
        ),
        (
            "apps.news.models",
            "def f():\n    from apps.reports.models import ReportPage\n",
            ["apps.news.models:2: apps.reports.models is imported inside a function"],
        ),
        (
            "apps.news.models",
            "class A:\n    def m(self):\n        if x:\n            from .blocks import B\n",
            ["apps.news.models:4: apps.news.blocks is imported inside a function"],
        ),
        (
            "apps.search.apps",
            "class Config(AppConfig):\n    def ready(self):\n        from apps.news import x\n",
            ["apps.search.apps:3: apps.news is imported inside a function"],
        ),
        (
            "apps.search.apps",
            "class Config(AppConfig):\n    def helper(self):\n        from . import signals\n",
            ["apps.search.apps:3: apps.search.signals is imported inside a function"],
        ),
    ],
)
def test_the_checker_finds(module, source, expected):
    assert violations(source, module) == expected


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("apps.core.blocks", "from apps.core.text import strip\nfrom .models import X\n"),
        ("apps.news.models", "from apps.core.pages import BasePage\nimport json\n"),
        ("apps.importer.loader", "from apps.news.models import NewsStoryPage\n"),
        ("apps.news.models", "def f():\n    import json\n    from django.db import models\n"),
        (
            "apps.search.apps",
            "from django.apps import AppConfig\n"
            "class SearchConfig(AppConfig):\n"
            "    def ready(self):\n"
            "        from . import signals\n"
            "        from apps.search.documents import update\n",
        ),
        (
            "apps.core.apps",
            "import django.apps\n"
            "class CoreConfig(django.apps.AppConfig):\n"
            "    def ready(self):\n"
            "        from .sites import apply\n",
        ),
    ],
)
def test_the_checker_allows(module, source):
    assert violations(source, module) == []


def test_relative_imports_of_a_package_resolve_from_the_package_itself():
    assert imports_of("from . import signals\n", "apps.core", is_package=True) == [
        (1, "apps.core.signals", "module")
    ]
    assert imports_of("from .rules import links\n", "apps.core.forms") == [
        (1, "apps.core.rules", "module")
    ]
