"""The import rule of docs/architecture.md, checked on the source: layers only import downwards."""
import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FEATURE_APPS = ("matching", "forum", "events")
# Project-level modules that wire the apps together and may name every one of them; the cockpit
# (the coordinators' overview and funder report) reads every app, so it sits here too.
PROJECT_LEVEL = ("mentoring/urls.py", "mentoring/settings", "mentoring/pages", "mentoring/management",
                 "mentoring/tests", "mentoring/cockpit")
# ``mentoring.models`` gathers the kernel's and the pages' models for Django: the apps read the outbox
# from ``mentoring.kernel.models``, never through it.
TOP = ("mentoring.pages", "mentoring.urls", "mentoring.management", "mentoring.cockpit", "mentoring.models")
# Above the feature apps, below the project level: features that span apps (letters choose
# their groups across accounts, matching and events).
CROSS_APP = ("mentoring/letters",)


def imported_modules(path: Path) -> set[str]:
    """Every absolute module a file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return found


def sources(folder: str, *, skip=()) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py")
                  if not any(str(p.relative_to(ROOT)).startswith(s) for s in skip))


def top_package(module: str) -> str:
    return module.split(".")[0]


KERNEL_AND_CORE = sources("mentoring", skip=PROJECT_LEVEL + CROSS_APP) + sources("accounts", skip=("accounts/tests",))


@pytest.mark.parametrize("path", KERNEL_AND_CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_kernel_and_accounts_import_no_feature_app(path):
    wrong = sorted(m for m in imported_modules(path) if top_package(m) in FEATURE_APPS)
    assert not wrong, f"{path.relative_to(ROOT)} imports a feature app: {wrong}"


@pytest.mark.parametrize("app", FEATURE_APPS)
def test_feature_apps_import_no_other_feature_app(app):
    """Feature apps build on accounts and the kernel only; tests may borrow another app's factories."""
    wrong = {}
    for path in sources(app, skip=(f"{app}/tests",)):
        others = sorted(m for m in imported_modules(path) if top_package(m) in FEATURE_APPS and top_package(m) != app)
        if others:
            wrong[str(path.relative_to(ROOT))] = others
    assert not wrong


@pytest.mark.parametrize("app", FEATURE_APPS)
def test_feature_apps_take_only_the_kernel_from_the_mentoring_package(app):
    """Of the ``mentoring`` package a feature app imports the kernel alone (``mentoring.kernel`` and its neighbours
    cache, middleware, celery): not the site-wide template tags, the app's wiring or the pages. A helper that a
    feature app and the site's templates share lives in the kernel (``mentoring.kernel.dates.iso_datetime``).
    Migrations are left out: they may name the ``mentoring`` app's migrations (the beat schedule rows)."""
    wrong = {}
    for path in sources(app, skip=(f"{app}/tests", f"{app}/migrations")):
        bad = sorted(m for m in imported_modules(path)
                     if top_package(m) == "mentoring" and not m.startswith(KERNEL_NEIGHBOURS))
        if bad:
            wrong[str(path.relative_to(ROOT))] = bad
    assert not wrong


def test_nothing_imports_the_project_level_modules():
    """The site pages, URLs, the demo command and the cockpit sit on top: no app imports them (an app's
    tests may, to check what erasure does across the site)."""
    wrong = {}
    for folder in ("accounts", *FEATURE_APPS, "mentoring/kernel"):
        for path in sources(folder, skip=(f"{folder}/tests",)):
            bad = sorted(m for m in imported_modules(path) if m.startswith(TOP))
            if bad:
                wrong[str(path.relative_to(ROOT))] = bad
    assert not wrong


def test_only_the_url_map_imports_the_cockpit():
    """The cockpit reads every feature app; besides its own package and tests only ``mentoring.urls`` names it."""
    wrong = {}
    for path in sources("mentoring", skip=("mentoring/cockpit", "mentoring/tests", "mentoring/urls.py")):
        bad = sorted(m for m in imported_modules(path) if m.startswith("mentoring.cockpit"))
        if bad:
            wrong[str(path.relative_to(ROOT))] = bad
    assert not wrong
    assert any(top_package(m) in FEATURE_APPS for p in sources("mentoring/cockpit") for m in imported_modules(p)), \
        "the cockpit may read the feature apps (it is checked as project level, not as kernel)"


def test_only_the_project_level_imports_the_cross_app_features():
    """Letters may build on every feature app; the kernel, the mentoring app's wiring, accounts and the
    feature apps never import them (their tests may, to check what a letter does to their data)."""
    wrong = {}
    below = sources("mentoring", skip=PROJECT_LEVEL + CROSS_APP) + sources("accounts", skip=("accounts/tests",))
    for app in FEATURE_APPS:
        below += sources(app, skip=(f"{app}/tests",))
    for path in below:
        bad = sorted(m for m in imported_modules(path) if m.startswith("mentoring.letters"))
        if bad:
            wrong[str(path.relative_to(ROOT))] = bad
    assert below and not wrong


def test_cross_app_features_import_no_project_level_module():
    wrong = {}
    for folder in CROSS_APP:
        for path in sources(folder, skip=tuple(f"{f}/tests" for f in CROSS_APP)):
            bad = sorted(m for m in imported_modules(path)
                         if m.startswith(TOP))
            if bad:
                wrong[str(path.relative_to(ROOT))] = bad
    assert not wrong


def test_the_rule_catches_a_violation(tmp_path):
    """The checker itself sees top-level, nested and string imports."""
    module = tmp_path / "sample.py"
    module.write_text("import os\nfrom events.selectors import x\n\ndef f():\n    from forum import services\n"
                      "    import_module('matching.services')\n")
    assert {"events.selectors", "forum", "matching.services"} <= imported_modules(module)


# What the kernel may name of the project besides itself: the pieces docs/architecture.md counts to it.
KERNEL_NEIGHBOURS = ("mentoring.kernel", "mentoring.cache", "mentoring.middleware", "mentoring.celery")


def absolute_imports(path: Path) -> set[str]:
    """``imported_modules`` with relative imports resolved against the file's own package."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = imported_modules(path)
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = ".".join(base + ([node.module] if node.module else []))
            found |= {module} if node.module else {f"{module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", sources("mentoring/kernel"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_kernel_imports_only_itself_of_the_project(path):
    """Not even the mentoring app's wiring (``mentoring.tasks`` imports the site pages): the outbox's tasks live in
    ``mentoring/kernel/tasks.py``."""
    project = ("mentoring", "accounts", *FEATURE_APPS)
    wrong = sorted(m for m in absolute_imports(path)
                   if top_package(m) in project and not m.startswith(KERNEL_NEIGHBOURS))
    assert not wrong, f"{path.relative_to(ROOT)} imports {wrong}"


def test_the_kernel_check_resolves_relative_imports():
    assert "mentoring.pages" in absolute_imports(ROOT / "mentoring" / "tasks.py")
    assert "mentoring.kernel.tasks" in absolute_imports(ROOT / "mentoring" / "kernel" / "mail.py")


def test_every_mail_asks_recipient_language():
    """``kernel.mail.recipient_language(person)`` is the one place that decides which language a person's mail is
    written in (docs/letters.md); no service reads ``<person>.language`` for a mail or its rendering itself."""
    import re

    reads_it = re.compile(r"(language=|translation\.override\()[\w.]+\.language\b")
    wrong = {}
    for folder in ("accounts", *FEATURE_APPS, "mentoring"):
        for path in sources(folder, skip=(f"{folder}/tests", "mentoring/tests", "mentoring/settings")):
            lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if reads_it.search(line)]
            if lines:
                wrong[str(path.relative_to(ROOT))] = lines
    assert not wrong


def _public_functions(paths) -> dict[str, str]:
    found = {}
    for path in paths:
        for node in ast.parse(path.read_text(), filename=str(path)).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                found.setdefault(node.name, str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("app", ["accounts", *FEATURE_APPS, "mentoring/letters", "mentoring/cockpit",
                                 "mentoring/pages"])
def test_no_view_or_task_shares_a_name_with_a_service(app):
    """docs/architecture.md: services and selectors are named thing first, views and tasks that act verb first, so a
    reader who finds a name finds one function (``outbox_deliver`` once named a task and a service)."""
    def files(*names):
        return [p for p in sources(app, skip=(f"{app}/tests", f"{app}/migrations"))
                if p.name in names or p.parent.name in names]

    entry_points = _public_functions(files("views.py", "tasks.py", "admin.py"))
    logic = _public_functions(files("services.py", "services", "selectors.py", "access.py", "rules.py"))
    clashes = {name: (entry_points[name], logic[name]) for name in entry_points.keys() & logic.keys()}
    assert not clashes


def test_every_error_a_service_raises_is_a_refusal():
    """docs/architecture.md: each app's service error subclasses ``kernel.errors.Refusal``, so a view puts it next
    to its field and admin turns it into a message on the page instead of a server error."""
    from mentoring.kernel.errors import Refusal

    defined = []
    for folder in ("accounts", *FEATURE_APPS, "mentoring"):
        for path in sources(folder):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "tests" in parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") in ("Exception", "Refusal")
                                                          for b in node.bases):
                    defined.append((".".join(parts)[:-3], node.name))
    assert len(defined) >= 7
    for module, name in defined:
        cls = getattr(__import__(module, fromlist=[name]), name)
        assert issubclass(cls, Refusal) or name == "Refusal", f"{module}.{name}"


def test_services_refuse_with_a_refusal_not_a_form_error():
    """A service raising Django's ValidationError reached views that only catch their app's Refusal: a 500."""
    modules = [*ROOT.glob("*/**/services/*.py"), *ROOT.glob("*/**/services.py")]
    raising = []
    for path in (p for p in modules if ".venv" not in p.parts and "tests" not in p.parts):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and node.exc is not None:
                call = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if getattr(call, "id", getattr(call, "attr", "")) == "ValidationError":
                    raising.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert len(modules) > 20 and not raising, raising
