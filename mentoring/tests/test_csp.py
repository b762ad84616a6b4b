"""Content-Security-Policy: the header in every environment, no inline script or style left in the templates."""
import re
from pathlib import Path

import pytest
from django.conf import settings

from mentoring.tests.production import production_run

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'")
PAGES = Path(settings.BASE_DIR) / "templates"
# Executable inline script (a <script> without src that is not a JSON data block), style
# elements and attributes, inline event handlers and javascript: URLs.
INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    re.compile(r"<style\b", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"javascript:", re.I),
]


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/anmeldung/", "/konto/login/", "/admin/login/"])
def test_every_response_carries_the_policy_without_unsafe_inline(client, path):
    response = client.get(path, follow=True)
    header = response.headers["Content-Security-Policy"]
    assert directives(header) == directives(POLICY)
    assert "unsafe" not in header


def test_production_settings_send_the_same_policy():
    script = ("import django; django.setup(); from django.conf import settings as s; "
              "from csp.utils import build_policy; "
              "print('csp.middleware.CSPMiddleware' in s.MIDDLEWARE); print(build_policy())")
    result = production_run("-c", script)
    assert result.returncode == 0, result.stderr
    active, header = result.stdout.strip().splitlines()
    assert active == "True"
    assert directives(header) == directives(POLICY)


def test_no_page_template_holds_inline_script_or_style():
    found = []
    for template in sorted(PAGES.rglob("*.html")):
        if template.relative_to(PAGES).parts[0] == "email":
            continue  # mails are read in mail programs, not under the site's policy
        for number, line in enumerate(template.read_text().splitlines(), 1):
            found += [f"{template.relative_to(PAGES)}:{number}: {line.strip()[:100]}"
                      for pattern in INLINE if pattern.search(line)]
    assert found == []
