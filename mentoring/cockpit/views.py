"""The overview that /admin/ opens on, each table's CSV and Excel download, and the funder report."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.choices import FundingLine
from accounts.staff_groups import staff_may
from mentoring.kernel.files import download

from . import charts, figures
from .disclosure import SMALLEST_GROUP
from .export import table_csv, table_xlsx
from .forms import FunderReportForm, OverviewFilter, years
from .report import report_pdf, report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(stem: str, scope, extension: str) -> str:
    parts = [stem, str(scope.year)]
    if scope.state is not None:
        parts.append(scope.state.code)
    if scope.funding_line:
        parts.append(scope.funding_line)
    if scope.cohort is not None:
        parts.append(f"jahrgang{scope.cohort.pk}")
    return "-".join(parts) + "." + extension


def _scope_text(scope, form) -> str:
    """What the figures show, in words; the Jahrgang only for staff who have that filter."""
    parts = [str(scope.year), scope.state.name if scope.state else _("alle Bundesländer"),
             str(FundingLine(scope.funding_line).label) if scope.funding_line else _("alle Förderlinien")]
    if "jahrgang" in form.fields:
        parts.append(_("Jahrgang %(label)s") % {"label": scope.cohort} if scope.cohort else _("alle Jahrgänge"))
    return ", ".join(parts)


def _drawn(table):
    svg = charts.chart(table)
    return charts.render(svg) if svg is not None else ""


def overview(request, extra_context=None):
    """Admin's index: the programme at a glance for the chosen year, Bundesland and funding line,
    then the list of every admin area (what the index showed before)."""
    year_choices = years()
    form = OverviewFilter(request.GET or None, year_choices=year_choices, user=request.user)
    scope = form.scope()
    sections = [(anchor, heading, [(table, _drawn(table)) for table in tables])
                for anchor, heading, tables in figures.overview(scope, request.user)]
    context = {
        **admin.site.each_context(request),
        "title": _("Übersicht"),
        "subtitle": None,
        "form": form,
        "scope": scope,
        "scope_text": _scope_text(scope, form),
        "query": form.query(scope),
        "sections": sections,
        "report_form": FunderReportForm(initial={"jahr": scope.year}, year_choices=year_choices, auto_id="bericht_%s")
        if figures.may_report(request.user) else None,
        "app_list": admin.site.get_app_list(request),
        "may_evaluate": staff_may(request.user, figures.EVALUATION_PERMISSION),
        **(extra_context or {}),
    }
    request.current_app = admin.site.name
    return TemplateResponse(request, "cockpit/overview.html", context)


def evaluation(request):
    """The evaluation of the Kurzbefragungen and closing reviews, for the overview's year and filters."""
    if not staff_may(request.user, figures.EVALUATION_PERMISSION):
        raise PermissionDenied
    form = OverviewFilter(request.GET or None, year_choices=years(), user=request.user)
    scope = form.scope()
    context = {
        **admin.site.each_context(request),
        "title": _("Auswertung der Befragungen"),
        "subtitle": None,
        "form": form,
        "scope": scope,
        "scope_text": _scope_text(scope, form),
        "query": form.query(scope),
        "tables": [(table, _drawn(table)) for table in figures.evaluation_tables(scope)],
        "free_texts": figures.evaluation.free_texts(scope),
        "min_answers": SMALLEST_GROUP,
    }
    request.current_app = admin.site.name
    return TemplateResponse(request, "cockpit/evaluation.html", context)


def table_download(request, slug: str, extension: str):
    """One table in full as CSV or Excel, for the scope in the query string (a wrong value: the default)."""
    if slug not in figures.TABLES:
        raise Http404
    if not figures.may_see(request.user, slug):
        raise PermissionDenied
    scope = OverviewFilter(request.GET or None, year_choices=years(), user=request.user).scope()
    table = figures.table(scope, slug)
    if extension == "csv":
        return download(table_csv(table), content_type="text/csv; charset=utf-8",
                        filename=_filename(slug, scope, "csv"))
    return download(table_xlsx(table), content_type=XLSX, filename=_filename(slug, scope, "xlsx"))


def report_download(request):
    """The yearly report for the funder as Excel or PDF; a wrong year or format goes back with the reason."""
    if not figures.may_report(request.user):
        raise PermissionDenied
    form = FunderReportForm(request.GET, year_choices=years())
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, _("Bericht für den Fördermittelgeber – %(field)s: %(error)s")
                           % {"field": label, "error": " ".join(errors)})
        return redirect(reverse("admin:index") + "#bericht")
    year, cohort = form.cleaned_data["jahr"], form.cleaned_data.get("jahrgang")
    stem = f"bericht-foerdermittelgeber-{year}" + (f"-jahrgang{cohort.pk}" if cohort else "")
    if form.cleaned_data["format"] == "pdf":
        return download(report_pdf(year=year, cohort=cohort), content_type="application/pdf",
                        filename=f"{stem}.pdf")
    return download(report_xlsx(year=year, cohort=cohort), content_type=XLSX, filename=f"{stem}.xlsx")
