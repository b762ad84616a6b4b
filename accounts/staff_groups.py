"""The staff groups of the programme and, in one table, what each group's work needs.

Koordination runs the programme: registrations and Kennenlerngespräche, matching, Tandems and
their meetings, cases (problem and barrier reports), letters, the overview and the funder
report, organisations, people's history, experts and the outbox. It reads the forum and the
events (the overview counts them) but does not moderate. Moderation moderates the forum and
sees nothing of registrations, Tandems, meeting logs or matching. Veranstaltungen runs events
and their registrations, picks speakers from the profiles (experts search) and writes news
letters; it sees no Tandems, meeting logs or registrations to the programme.

Superusers count as every group (Django gives them every permission) and alone manage
accounts, groups, reference data and the beat schedule. Staff status (``is_staff``) only lets a
person log into admin; what they see there and on the site comes from these permissions.

The groups are created by ``accounts/migrations/0008_staff_groups.py``; the permissions below
are given by ``grant_permissions`` (a data migration, and conftest after a flush). It only adds:
a permission staff gave a group by hand stays. A change to the table needs a new data
migration that calls ``grant_permissions`` again.
"""
from django.db.models import Q

# Who counts as staff and what a permission opens live in the kernel (the kernel's cases ask them too);
# callers name them through this module with the groups.
from mentoring.kernel.staff import is_staff_member, staff_may, staff_may_q  # noqa: F401 (handed on)

KOORDINATION = "Koordination"
MODERATION = "Moderation"
VERANSTALTUNGEN = "Veranstaltungen"
ALL = (KOORDINATION, MODERATION, VERANSTALTUNGEN)

# The custom permissions (each declared in its model's Meta.permissions).
MODERATE_FORUM = "forum.moderate_forum"
SEND_ESSENTIAL_LETTER = "letters.send_essential_letter"
VIEW_PERSON_HISTORY = "accounts.view_person_history"
VIEW_EVALUATION = "matching.view_evaluation"

VIEW = ("view",)
READ_WRITE = ("view", "change")
ALL_ACTIONS = ("view", "add", "change", "delete")


def _model(label: str, actions) -> list[str]:
    app_label, model = label.split(".")
    return [f"{app_label}.{action}_{model}" for action in actions]


def _models(spec: dict) -> list[str]:
    return [perm for label, actions in spec.items() for perm in _model(label, actions)]


PERMISSIONS: dict[str, list[str]] = {
    KOORDINATION: _models({
        # people, registrations, Kennenlerngespräch; accounts themselves are the superuser's
        "accounts.user": VIEW, "accounts.registration": READ_WRITE, "accounts.registrationtransition": VIEW,
        "accounts.profile": READ_WRITE, "accounts.need": ALL_ACTIONS, "accounts.competence": ALL_ACTIONS,
        "accounts.consent": VIEW, "accounts.organisation": ALL_ACTIONS, "accounts.topic": VIEW,
        "accounts.federalstate": VIEW, "accounts.organisationtype": VIEW,
        # matching, Tandems, meetings, problem reports as cases
        "matching.matchingsettings": READ_WRITE, "matching.matchrun": ALL_ACTIONS, "matching.proposal": READ_WRITE,
        "matching.pairrule": ALL_ACTIONS, "matching.tandem": ("view", "add", "change"), "matching.meeting": VIEW,
        "matching.problemreport": READ_WRITE, "matching.problemreportnote": ("view", "add"),
        "matching.problemreportreply": ("view", "add"),
        # the Tandem's purpose: agreement, check-ins and closing review (read in the Tandem's page),
        # the programme years staff open and close, and the evaluation of the answers
        "matching.agreement": VIEW, "matching.checkin": VIEW, "matching.closingreview": VIEW,
        "accounts.programmeyear": ALL_ACTIONS,
        # letters, outbox, barrier reports as cases, the sign-language video
        "letters.letter": ALL_ACTIONS, "letters.letterrecipient": VIEW, "mentoring.outboxmessage": READ_WRITE,
        "mentoring.barrierreport": READ_WRITE, "mentoring.barrierreportnote": ("view", "add"),
        "mentoring.barrierreportreply": ("view", "add"), "mentoring.signlanguagevideo": ALL_ACTIONS,
        # read only: what the overview and the funder report count
        "events.event": VIEW, "events.eventregistration": VIEW, "events.eventspeaker": VIEW,
        "forum.category": VIEW, "forum.thread": VIEW, "forum.post": VIEW, "forum.report": VIEW,
    }) + [VIEW_PERSON_HISTORY, SEND_ESSENTIAL_LETTER, VIEW_EVALUATION],
    MODERATION: _models({
        "forum.category": ALL_ACTIONS, "forum.thread": ("view", "change", "delete"),
        "forum.post": ("view", "change", "delete"), "forum.report": ("view", "change", "delete"),
        "forum.attachment": ("view", "delete"), "accounts.topic": VIEW,
    }) + [MODERATE_FORUM],
    VERANSTALTUNGEN: _models({
        "events.event": ALL_ACTIONS, "events.eventspeaker": ALL_ACTIONS, "events.eventregistration": READ_WRITE,
        # the speaker picker and "Expert*innen finden" search the profiles
        "accounts.profile": VIEW, "accounts.need": VIEW, "accounts.competence": VIEW, "accounts.topic": VIEW,
        "accounts.federalstate": VIEW,
        # news letters (invitations); the essential "wichtige Information" stays with Koordination
        "letters.letter": ALL_ACTIONS, "letters.letterrecipient": VIEW,
    }),
}


def grant_permissions(apps, schema_editor=None):
    """Create the groups if missing and add each group's permissions (never removes any).

    Usable from a data migration (historical ``apps``: the permissions of models migrated in
    the same run are created first) and with the real app registry after a test flush. An
    earlier migration does not know the models added after it: what it cannot find yet is left
    to the later migration that calls this again; with the real registry nothing may be missing.
    """
    from django.apps import apps as registry
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        had_module = getattr(app_config, "models_module", None)
        app_config.models_module = had_module or True  # a migration's app stub has none
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had_module
    for name, perms in PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = Q()
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        found = list(Permission.objects.filter(wanted).select_related("content_type"))
        missing = set(perms) - {f"{p.content_type.app_label}.{p.codename}" for p in found}
        if missing and apps is registry:
            raise LookupError(f"permissions of group {name} not found: {sorted(missing)}")
        group.permissions.add(*found)
