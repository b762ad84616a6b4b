"""No text is translated when a module is imported: an eager gettext there would freeze the first language."""
import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ("mentoring", "accounts", "matching", "forum", "events")
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def eager_names(tree: ast.Module) -> set[str]:
    """The local names under which a module imports Django's eager gettext functions."""
    return {alias.asname or alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
            for alias in node.names if alias.name in EAGER}


def import_time_calls(tree: ast.Module, names: set[str]) -> list[int]:
    """Lines where one of ``names`` is called outside every function body (module and class level)."""
    lines = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if (not in_function and isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
                    and child.func.id in names):
                lines.append(child.lineno)
            visit(child, inside)

    visit(tree, False)
    return lines


def test_no_eager_translation_at_import_time():
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            names = eager_names(tree)
            if names and (lines := import_time_calls(tree, names)):
                found[str(path.relative_to(ROOT))] = lines
    assert not found, f"gettext evaluated at import (use gettext_lazy): {found}"


def test_the_check_sees_module_and_class_level_calls():
    tree = ast.parse("from django.utils.translation import gettext as _\nA = _('x')\n"
                     "class F:\n    b = _('y')\n    def f(self):\n        return _('z')\n")
    assert import_time_calls(tree, eager_names(tree)) == [2, 4]
