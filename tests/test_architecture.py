"""The apps depend on each other in one direction, as docs/architecture.md draws them, and
none depends on the project package (``vpi_portal/`` is wiring: settings, URLs, Celery)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "common",
    "countries",
    "stakeholders",
    "roadmaps",
    "consultations",
    "events",
    "groups",
    "notifications",
    "audit",
    "privacy",
    "digests",
]
PROJECT = "vpi_portal"


def imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports when it runs (imports for type checkers
    only, under ``if TYPE_CHECKING:``, are not dependencies)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    packages = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
    return packages


def dependencies() -> dict[str, dict[str, list[str]]]:
    """app -> the apps (and project) it imports -> the modules that do."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for package in imported_packages(path) & {*APPS, PROJECT} - {app}:
                found[app][package].append(str(path.relative_to(ROOT)))
    return found


def test_no_app_imports_the_project_package():
    offenders = {app: used[PROJECT] for app, used in dependencies().items() if PROJECT in used}
    assert offenders == {}


def test_the_apps_depend_on_each_other_without_a_circle():
    graph = {app: set(used) - {PROJECT} for app, used in dependencies().items()}
    circles = []

    def visit(app: str, path: list[str]) -> None:
        for needed in sorted(graph.get(app, ())):
            if needed in path:
                circles.append(" -> ".join([*path[path.index(needed) :], needed]))
            else:
                visit(needed, [*path, needed])

    for app in APPS:
        visit(app, [app])
    assert circles == []


def test_the_layers_are_those_of_the_design():
    """What each app may use: the domain from countries up, the services beside it
    (notifications, audit) below the domain apps, privacy and digests on top."""
    allowed = {
        "common": set(),
        "audit": {"common"},
        "countries": {"common"},
        "notifications": {"common", "countries"},
        "stakeholders": {"common", "countries", "audit", "notifications"},
        "roadmaps": {"common", "countries", "audit", "notifications", "stakeholders"},
        # Consultations, events and groups sit beside each other on the roadmaps: none uses
        # another.
        "consultations": {
            "common",
            "countries",
            "audit",
            "notifications",
            "stakeholders",
            "roadmaps",
        },
        "events": {"common", "countries", "audit", "notifications", "stakeholders", "roadmaps"},
        # Working groups sit beside them too (an outcome will become a milestone).
        "groups": {"common", "countries", "audit", "notifications", "stakeholders", "roadmaps"},
        "digests": {
            "common",
            "countries",
            "notifications",
            "stakeholders",
            "roadmaps",
            "consultations",
            "events",
        },
        "privacy": set(APPS) - {"privacy", "digests"},
    }
    extra = {
        app: sorted(set(used) - allowed[app] - {PROJECT})
        for app, used in dependencies().items()
        if set(used) - allowed[app] - {PROJECT}
    }
    assert extra == {}
