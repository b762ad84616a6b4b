"""Cases staff follow up (a Tandem's problem report, a barrier report): one workflow for every kind.

Each kind keeps its own tables in its own app; what they share lives here: the states, the
shape of an internal note and of a reply (``CaseNote``, ``CaseReply``: a kind's tables add only
the link to their case), and the mail that tells the reporter what changed.
"""
from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .fields import acting_user, staff_member
from .mail import mail_queue
from .staff import staff_may_q

# The longest note or reply staff write in admin.
ENTRY_MAX_LENGTH = 5000


class CaseState(models.TextChoices):
    NEW = "new", _("neu")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    DONE = "done", _("erledigt")


def state_field() -> models.CharField:
    """A case's state; a new case starts as "neu"."""
    return models.CharField(_("Status"), max_length=12, choices=CaseState.choices, default=CaseState.NEW,
                            db_index=True)


def closed_iff_done(closed_at: str, name: str) -> models.CheckConstraint:
    """The time a case was set to "erledigt" is there exactly while it is: counting open cases by that
    field (the cockpit does) stays the same as asking the state."""
    return models.CheckConstraint(
        condition=Q(status=CaseState.DONE, **{f"{closed_at}__isnull": False})
        | (~Q(status=CaseState.DONE) & Q(**{f"{closed_at}__isnull": True})),
        name=name)


def assignee_field():
    """The staff member who takes care of a case."""
    return staff_member(_("zuständig"))


def case_assignees(case_model) -> models.QuerySet:
    """Who may be given a case of this kind: active staff who may change it (Koordination, superusers;
    Moderation and Veranstaltungen may not): ``staff_may`` as a filter."""
    perm = f"{case_model._meta.app_label}.change_{case_model._meta.model_name}"
    return get_user_model().objects.filter(staff_may_q(perm))


def may_be_assigned(case_model, user) -> bool:
    return user is not None and case_assignees(case_model).filter(pk=user.pk).exists()


def assignee_allowed(case, assignee) -> bool:
    """Whether ``case`` (as stored, locked by the caller) may have ``assignee``: nobody, the one it has (a colleague
    since departed keeps the cases they had, so a reply or closing them still works), or someone who may take
    cases of this kind (``case_assignees``)."""
    return assignee is None or assignee.pk == case.assignee_id or may_be_assigned(type(case), assignee)


class CaseEntry(models.Model):
    """A note or a reply: who wrote what, when. Authors are staff; an erased author leaves the text."""

    text = models.TextField(_("Text"), max_length=ENTRY_MAX_LENGTH)
    author = acting_user(_("von"))
    created_at = models.DateTimeField(_("am"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class CaseNote(CaseEntry):
    """An internal note of staff on a case; the reporter never sees it."""

    class Meta(CaseEntry.Meta):
        abstract = True
        verbose_name = _("interne Notiz")
        verbose_name_plural = _("interne Notizen")


class CaseReply(CaseEntry):
    """Staff's answer to the reporter, mailed to them."""

    class Meta(CaseEntry.Meta):
        abstract = True
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")


def case_link(case_model, related_name: str) -> models.ForeignKey:
    """The case a note or reply belongs to; deleting the case deletes them."""
    return models.ForeignKey(case_model, on_delete=models.CASCADE, related_name=related_name,
                             verbose_name=_("Meldung"))


def author_name(entry: CaseEntry) -> str:
    """How exports and pages name the staff member who wrote a note or reply."""
    if entry.author is None:
        return str(_("Koordination"))
    return _("Koordination (%(name)s)") % {"name": entry.author.get_full_name() or entry.author.email}


def case_step(case, *, by, status: str, assignee, note: str, reply: str, now, done: tuple[str, str]):
    """Staff's one step on a case the caller has locked: its status, its assignee, and an internal note
    and a reply where written. ``done`` names the case's fields for when and by whom it was set to
    "erledigt": set the first time, kept while it stays done, cleared when it is opened again.

    Returns whether the status changed and the reply written (or None): what the reporter is told of.
    """
    done_at, done_by = done
    changed = case.status != status
    case.status = status
    if status != CaseState.DONE:
        setattr(case, done_at, None)
        setattr(case, done_by, None)
    elif getattr(case, done_at) is None:
        setattr(case, done_at, now)
        setattr(case, done_by, by)
    case.assignee = assignee
    case.save(update_fields=["status", "assignee", done_at, done_by])
    if note.strip():
        case.notes.create(author=by, text=note.strip())
    answer = case.replies.create(author=by, text=reply.strip()) if reply.strip() else None
    return changed, answer


def cases_close(cases, *, by, handle) -> int:
    """Set the still open ones among ``cases`` to "erledigt", each through ``handle`` (the app's one step on
    a case, which tells its reporter); how many were open."""
    closed = 0
    for case in cases.exclude(status=CaseState.DONE):
        handle(report=case, by=by, status=CaseState.DONE, assignee=case.assignee)
        closed += 1
    return closed


def cases_take_over(cases, *, by, handle) -> int:
    """``by`` takes the still open ones among ``cases``: assigned to them, "in Bearbeitung", each through
    ``handle`` (which tells its reporter); how many they took (one already theirs in progress changes nothing)."""
    taken = 0
    for case in cases.exclude(status=CaseState.DONE).exclude(status=CaseState.IN_PROGRESS, assignee=by):
        handle(report=case, by=by, status=CaseState.IN_PROGRESS, assignee=by)
        taken += 1
    return taken


def case_update_mail(*, kind: str, case, to: str, language: str, case_label: str, state: str,
                     reply: CaseEntry | None, now, page_url: str = "") -> None:
    """Tell the reporter the case's state and, if staff wrote one, their reply (``case_update``): once per
    reply, or per change of state (``kind``: the case's name in the outbox key, "problem-report")."""
    if not to:
        return
    cause = f"reply:{reply.pk}" if reply else f"status:{state}:{int(now.timestamp() * 1_000_000)}"
    mail_queue(key=f"{kind}:{case.pk}:{cause}", to=to, template="case_update", language=language, context={
        "case_label": case_label, "reported_at": case.created_at, "state": state,
        "state_done": state == CaseState.DONE, "reply": reply.text if reply else "", "page_url": page_url,
        "state_label": CaseState(state).label})


class CaseForm(forms.ModelForm):
    """Staff's form on a case in admin: status and assignee, plus a new note and a reply to send."""

    # A plain choice of active staff (the current assignee stays choosable), without admin's add/edit icons.
    assignee = forms.ModelChoiceField(label=_("zuständig"), queryset=None, required=False)

    note = forms.CharField(label=_("Neue interne Notiz"), required=False, max_length=ENTRY_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
                           help_text=_("Nur für die Koordination sichtbar; steht in der Datenauskunft der "
                                       "meldenden Person."))
    reply = forms.CharField(label=_("Antwort an die meldende Person"), required=False, max_length=ENTRY_MAX_LENGTH,
                            widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
                            help_text=_("Wird beim Speichern per E-Mail mit dem Stand der Meldung gesendet."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.assignee_id if self.instance is not None else None
        self.fields["assignee"].queryset = get_user_model().objects.filter(
            Q(pk__in=case_assignees(self._meta.model).values("pk")) | Q(pk=current)).order_by(
            "last_name", "first_name", "email")


def entries_html(entries) -> str:
    """Notes or replies as an ordered list for admin: time, author, text."""
    items = [(date_format(timezone.localtime(e.created_at), "SHORT_DATETIME_FORMAT"), author_name(e),
              linebreaksbr(e.text, autoescape=True)) for e in entries]
    if not items:
        return "–"
    return format_html('<ol class="case-entries">{}</ol>', format_html_join(
        "", '<li><strong>{} · {}</strong><br>{}</li>', items))
