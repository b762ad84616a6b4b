"""Every URL of the site and of admin, as a member of each staff group, a superuser and a participant:
each group sees what its work needs and nothing else (accounts/staff_groups.py says what that is).

The tables below are the decisions, written out: a new admin model, admin view or site URL
without a line here fails ``test_every_url_has_a_decision``, so nobody adds a page without
saying who may open it. Admin answers 403 to staff without the right (302 to the login for
participants); the site answers 404. Never a 500.
"""
import html
import os
import re

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import resolve, reverse

from accounts.staff_groups import KOORDINATION, MODERATION, VERANSTALTUNGEN
from accounts.tests.factories import staff_member
from mentoring.tests.site_pages import STANDARD_ADMIN_VIEWS, admin_paths, build_site, participant_paths, site_url_names

pytestmark = pytest.mark.django_db

K, M, V, SU = "koordination", "moderation", "veranstaltungen", "superuser"
GROUP_OF = {K: KOORDINATION, M: MODERATION, V: VERANSTALTUNGEN}
STAFF = (K, M, V, SU)
KINDS = (*STAFF, "participant")

# Admin models: what each group may do, as letters: v view (changelist, change page read only,
# history), c change, a add, d delete. Superusers may everything; where the model's admin
# forbids an action for everyone (e.g. adding registrations), nobody gets it.
ADMIN_MODELS = {
    # Koordination: people, registrations, organisations; accounts themselves are the superuser's
    "accounts.user": {K: "v"},
    "accounts.registration": {K: "vc"},
    "accounts.profile": {K: "vc", V: "v"},  # Veranstaltungen: picking speakers, "Expert*innen finden"
    "accounts.organisation": {K: "vacd"},
    "accounts.topic": {K: "v", M: "v", V: "v"},
    "accounts.federalstate": {K: "v", V: "v"},
    "accounts.organisationtype": {K: "v"},
    "accounts.programmeyear": {K: "vacd"},
    # matching, Tandems and their meetings, problem reports: Koordination only
    "matching.matchingsettings": {K: "vc"},
    "matching.matchrun": {K: "vacd"},
    "matching.proposal": {K: "vc"},
    "matching.pairrule": {K: "vacd"},
    "matching.tandem": {K: "vac"},
    "matching.problemreport": {K: "vc"},
    # forum: Moderation moderates; Koordination reads (the overview counts posts)
    "forum.category": {M: "vacd", K: "v"},
    "forum.thread": {M: "vcd", K: "v"},
    "forum.post": {M: "vcd", K: "v"},
    "forum.report": {M: "vcd", K: "v"},
    # events: Veranstaltungen; Koordination reads (overview, funder report)
    "events.event": {V: "vacd", K: "v"},
    "events.eventregistration": {V: "vc", K: "v"},
    # letters: Koordination; Veranstaltungen writes news (essential letters stay with Koordination)
    "letters.letter": {K: "vacd", V: "vacd"},
    "letters.letterrecipient": {K: "v", V: "v"},
    # the programme's own pages and mail
    "mentoring.outboxmessage": {K: "vc"},
    "mentoring.barrierreport": {K: "vc"},
    "mentoring.signlanguagevideo": {K: "vacd"},
    # accounts and technical settings: superusers only
    "auth.group": {},
    "account.emailaddress": {},
    "mfa.authenticator": {},
    "sites.site": {},
    "django_celery_beat.crontabschedule": {},
    "django_celery_beat.periodictask": {},
    "django_celery_beat.intervalschedule": {},
    "django_celery_beat.solarschedule": {},
    "django_celery_beat.clockedschedule": {},
}
# Admin views of their own: who may open them (superusers always).
ADMIN_VIEWS = {
    "matching_matchrun_start": {K},
    "matching_matchrun_proposals": {K},
    "matching_matchrun_options": {K},
    "matching_tandem_end": {K},
    "matching_tandem_certificate": {K},
    "auth_user_password_change": set(),
    "accounts_user_verlauf": {K},
    "accounts_user_daten": {K},
    "accounts_organisation_duplicates": {K},
    "accounts_profile_experts": {K, V},
    "accounts_registration_intro_move": {K},
    "accounts_registration_intro_cancel": {K},
    "letters_letter_preview": {K, V},
    "letters_letter_preview_frame": {K, V},
    "letters_letter_send": {K, V},
    "letters_letter_test_mail": {K, V},
    "events_event_speaker_search": {V},
}
# What an allowed GET answers where it is not a page: the test mail is sent by POST (GET goes back),
# the settings list and a match run's page lead on to the one settings page and the proposals.
# The walk's post is a thread's opening post: its delete page sends back to the post with the way to delete
# the thread (forum/tests/test_search.py checks answers and the bulk delete).
ADMIN_VIEW_STATUS = {"letters_letter_test_mail": 302, "matching_matchingsettings_changelist": 302,
                     "matching_matchrun_change": 302, "forum_post_delete": 302}
# Overview downloads (slug of a figure → who may download it); the funder report is Koordination's.
OVERVIEW_TABLES = {"status": {K}, "tandems": {K}, "offene-meldungen": {K}, "veranstaltungen": {K, V},
                   "forum-je-monat": {K, M}, "forum-meldungen": {M}}
OVERVIEW_SECTIONS = {K: {"anmeldungen", "tandems", "reichweite"}, M: {"reichweite"}, V: {"reichweite"},
                     SU: {"anmeldungen", "tandems", "reichweite"}}

# Site pages whose answer depends on the staff group: URL name → status for each kind (the
# participant is the mentee of the site's Tandem).
SITE_BY_GROUP = {
    "matching:tandem_detail": {K: 200, M: 404, V: 404, SU: 200, "participant": 200},
    # The partners' own forms: staff read agreements, check-ins and reviews in the Tandem's admin page.
    "matching:agreement": {K: 404, M: 404, V: 404, SU: 404, "participant": 200},
    "matching:agreement_confirm": {K: 404, M: 404, V: 404, SU: 404, "participant": 302},
    "matching:checkin": {K: 404, M: 404, V: 404, SU: 404, "participant": 200},
    "matching:review": {K: 404, M: 404, V: 404, SU: 404, "participant": 200},
    # The evaluation of the answers: Koordination (participants are sent to admin's login).
    "cockpit:evaluation": {K: 200, M: 403, V: 403, SU: 200, "participant": 302},
    # The overview's folder leads to the overview, admin's start page (which checks who may enter).
    "cockpit:overview": {K: 302, M: 302, V: 302, SU: 302, "participant": 302},
}
# Site pages every staff member gets alike, whatever their group: staff count as approved
# participants of the programme, but have no profile, no Tandem and no post of their own.
SITE_FOR_STAFF = {
    "home": 200, "impressum": 200, "datenschutz": 200, "barrierefreiheit": 200, "leichte_sprache": 200,
    "gebaerdensprache": 200, "accounts:registration": 200, "accounts:registration_done": 200,
    "accounts:profile": 200, "accounts:profile_edit": 404, "accounts:consent_change": 405,
    "accounts:registration_withdraw": 404, "accounts:account_delete": 200,
    "matching:tandem_list": 200, "matching:meeting_create": 404, "matching:meeting_detail": 404,
    "matching:meeting_change": 404, "matching:meeting_confirm": 404, "matching:meeting_object": 404,
    "matching:meeting_delete": 404, "matching:meeting_note": 404, "matching:report_create": 404,
    "matching:report_detail": 404,
    "forum:index": 200, "forum:search": 200, "forum:mark_all_read": 405, "forum:settings": 200,
    "forum:unsubscribe": 200, "forum:category": 200, "forum:thread_create": 200, "forum:category_subscribe": 405,
    "forum:thread": 200, "forum:thread_reply": 200, "forum:thread_subscribe": 405, "forum:thread_moderate": 405,
    "forum:post_link": 302, "forum:post_edit": 403, "forum:post_helpful": 405, "forum:post_accept": 405,
    "forum:post_report": 200, "forum:post_moderate": 405,
    "events:list": 200, "events:archive": 200, "events:mine": 200, "events:feed_renew": 405, "events:detail": 200,
    "events:register": 405, "events:cancel": 405, "letters:unsubscribe": 200,
}
# Checked apart below (by group) or downloads the every-URL walk (test_all_urls) keeps from failing.
SITE_APART = {"sign_language_file", "cockpit:table_csv", "cockpit:table_xlsx", "cockpit:report", "healthz",
              "set_language", "accounts:data_export", "matching:statement_pdf", "matching:certificate",
              "forum:attachment", "events:ics", "events:feed"}
# allauth's account and two-factor pages are the same for everyone and not listed.
ALLAUTH = ("account_", "mfa_", "socialaccount_")


def _kind_user(kind, site):
    if kind == SU:
        return site.staff
    if kind == "participant":
        return site.mentee
    return staff_member(GROUP_OF[kind], email=f"{kind}@example.org")


def _admin_expectation(path: str, kind: str) -> int:
    """The status ``kind`` must get for an admin page, from the tables above."""
    if kind == "participant":
        return 302
    match = resolve(path)
    if kind == SU:
        return ADMIN_VIEW_STATUS.get(match.url_name, 200)
    name = match.url_name
    if name in {"index", "password_change", "password_change_done"}:
        return 200
    if name == "app_list":
        models = [label for label, rights in ADMIN_MODELS.items()
                  if label.split(".")[0] == match.kwargs["app_label"] and rights.get(kind)]
        return 200 if models else 404
    if name in ADMIN_VIEWS:
        return ADMIN_VIEW_STATUS.get(name, 200) if kind in ADMIN_VIEWS[name] else 403
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        for view in STANDARD_ADMIN_VIEWS:
            if name == f"{info}_{view}":
                rights = ADMIN_MODELS[model._meta.label_lower].get(kind, "")
                needed = {"changelist": "v", "change": "v", "history": "v", "add": "a", "delete": "d"}[view]
                return ADMIN_VIEW_STATUS.get(name, 200) if needed in rights else 403
    raise AssertionError(f"no decision for admin page {path} ({name})")


def _extra_admin_paths(site) -> list[str]:
    """Admin pages the every-page walk leaves out as no pages, but whose access counts."""
    return [reverse("admin:letters_letter_preview_frame", args=[site.letter.pk, "de"]),
            reverse("admin:events_event_speaker_search") + "?term=Starkregen",
            reverse("admin:letters_letter_test_mail", args=[site.letter.pk]),
            reverse("admin:accounts_user_daten", args=[site.mentee.pk])]


def test_every_url_has_a_decision():
    labels = {model._meta.label_lower for model in admin.site._registry}
    assert labels == set(ADMIN_MODELS), f"admin models without a decision or gone: {labels ^ set(ADMIN_MODELS)}"
    site_names = set(site_url_names())
    undecided = site_names - set(SITE_FOR_STAFF) - set(SITE_BY_GROUP) - SITE_APART
    undecided = {name for name in undecided if not name.startswith(ALLAUTH)}
    assert not undecided, f"site URLs without a decision: {sorted(undecided)}"
    custom = set()
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        custom |= {pattern.name for pattern in model_admin.get_urls()
                   if pattern.name and pattern.name not in {f"{info}_{view}" for view in STANDARD_ADMIN_VIEWS}}
    assert custom == set(ADMIN_VIEWS), f"admin views without a decision or gone: {custom ^ set(ADMIN_VIEWS)}"


@pytest.mark.parametrize("kind", KINDS)
def test_each_group_sees_what_its_work_needs(client, kind):
    site = build_site()
    draft = _draft_event()
    hidden = _hidden_thread(site)
    video = _unpublished_video()
    user = _kind_user(kind, site)
    client.force_login(user)
    record = os.environ.get("RECORD_ACCESS")
    wrong = []

    def check(path, expected, label=""):
        status = client.get(path).status_code
        assert status < 500, f"{kind}: GET {path} answered {status}"
        if record:
            print(f"{kind:16} {status} (want {expected}) {path} {label}")
        if expected is not None and status != expected:
            wrong.append(f"{path} {label}: {status}, expected {expected}")
        return status

    pages, _actions = admin_paths(site)
    for path in [*pages, *_extra_admin_paths(site)]:
        check(path, _admin_expectation(path.split("?")[0], kind))
    for slug, allowed in OVERVIEW_TABLES.items():
        expected = 302 if kind == "participant" else 200 if kind == SU or kind in allowed else 403
        check(reverse("cockpit:table_csv", args=[slug]), expected)
    report = {SU: 302, K: 302, "participant": 302}.get(kind, 403)  # no year chosen: back to the form
    check(reverse("cockpit:report"), report)

    # What only some staff see on the site.
    may_see_drafts = {SU, K, V}
    check(reverse("events:detail", args=[draft.pk]), 200 if kind in may_see_drafts else 404, "draft event")
    check(reverse("forum:thread", args=[hidden.pk]), 200 if kind in {SU, M} else 404, "hidden thread")
    check(reverse("sign_language_file", args=[video.pk, "video"]), 200 if kind in {SU, K} else 404,
          "unpublished video")
    mentors_only = reverse("forum:category", args=["methoden-hilfsmittel"])
    check(mentors_only, 200 if kind in {SU, K, M} else 404, "Mentor*innen-only category")
    for path in participant_paths(site):
        name = resolve(path).view_name
        if path == mentors_only:
            continue
        expected = SITE_BY_GROUP.get(name, {}).get(kind)
        if expected is None and kind in STAFF:
            expected = SITE_FOR_STAFF.get(name)
        check(path, expected, name)
        client.force_login(user)  # the password reset link at the end logs out
    assert not wrong, f"{kind}:\n" + "\n".join(wrong)


def _draft_event():
    from events.models import Event
    from events.tests.factories import EventFactory

    return EventFactory(title="Entwurf: Hitzeschutz", status=Event.Status.DRAFT)


def _hidden_thread(site):
    from forum.models import Thread
    from forum.services import posting

    thread = posting.thread_create(author=site.mentor, category=site.thread.category, kind="question",
                                   title="Verborgenes Thema", topics=[], body="Nur für die Moderation.")
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    return thread


def _unpublished_video():
    from mentoring.models import SignLanguageVideo

    video = SignLanguageVideo(title="Entwurf", transcript="Text", published=False)
    video.video.save("entwurf.mp4", ContentFile(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), save=False)
    video.save()
    return video


def test_the_overview_shows_each_group_its_figures(client):
    site = build_site()
    for kind, sections in OVERVIEW_SECTIONS.items():
        client.force_login(site.staff if kind == SU else staff_member(GROUP_OF[kind], email=f"o-{kind}@example.org"))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 200
        assert {anchor for anchor, _heading, _tables in response.context["sections"]} == sections, kind
        assert response.context["app_list"], kind
        assert (response.context["report_form"] is not None) == (kind in {K, SU}), kind


def test_staff_without_a_group_see_an_empty_admin_not_an_error(client):
    client.force_login(staff_member(None))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200 and not response.context["sections"]
    assert client.get(reverse("admin:accounts_registration_changelist")).status_code == 403


def test_moderation_sees_the_moderation_controls_on_the_site_and_koordination_does_not(client):
    site = build_site()
    for group, shown in ((MODERATION, True), (KOORDINATION, False), (VERANSTALTUNGEN, False)):
        client.force_login(staff_member(group, email=f"m-{group}@example.org"))
        page = client.get(reverse("forum:thread", args=[site.thread.pk])).content.decode()
        assert (f'action="{reverse("forum:thread_moderate", args=[site.thread.pk])}"' in page) == shown, group
        assert (f'action="{reverse("forum:post_moderate", args=[site.reply.pk])}"' in page) == shown, group



# Actions that only read (downloads): a view right is enough for them.
READING_ACTIONS = {"export_csv", "export_participants"}


@pytest.mark.parametrize("kind", [K, M, V])
def test_admin_actions_need_the_right_to_change(rf, kind):
    """A group that may only read a model gets no action that changes it."""
    from accounts.tests.factories import StaffFactory

    request, every = rf.get("/admin/"), rf.get("/admin/")
    request.user = staff_member(GROUP_OF[kind], email=f"a-{kind}@example.org")
    every.user = StaffFactory(email="su-actions@example.org")
    for model, model_admin in admin.site._registry.items():
        rights = ADMIN_MODELS[model._meta.label_lower].get(kind, "")
        if "v" not in rights:
            continue  # its list, where actions run, answers 403 (checked above)
        actions = set(model_admin.get_actions(request))
        allowed = READING_ACTIONS | (
            set(model_admin.get_actions(every)) if "c" in rights else set())
        if "d" not in rights:
            allowed.discard("delete_selected")
        assert actions <= allowed, (kind, model._meta.label_lower, actions - allowed)


ADMIN_LINK = re.compile(r'href="(/admin/[^"#]*)"')


@pytest.mark.parametrize("kind", (K, M, V))
def test_no_link_in_admin_leads_a_group_to_a_403(client, kind):
    """Every admin page a group may open links only where the group may go (a read-only reference to a
    person, an organisation or a letter's author is plain text for a group that cannot open it)."""
    site = build_site()
    client.force_login(_kind_user(kind, site))
    pages, _actions = admin_paths(site)
    links, forbidden = {}, []
    for path in pages:
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in ADMIN_LINK.findall(response.content.decode()):
            links.setdefault(html.unescape(link), path)
    for link, found_on in sorted(links.items()):
        if "/logout" in link:
            continue
        if client.get(link).status_code == 403:
            forbidden.append(f"{link} (linked from {found_on})")
    assert len(links) > 20
    assert not forbidden, f"{kind}: {len(forbidden)} links answer 403:\n" + "\n".join(forbidden[:40])
