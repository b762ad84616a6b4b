"""The matching app's part of the DSGVO export and of erasing an account."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Profile, User, topic_names
from mentoring.kernel.cases import author_name
from mentoring.kernel.mail import outbox_erase_keys
from mentoring.kernel.privacy import moment

from .. import selectors
from ..models import (
    CheckIn,
    ClosingReview,
    MeetingNote,
    PairRule,
    ProblemReport,
    ProblemReportNote,
    ProblemReportReply,
    Progress,
    Proposal,
    Tandem,
    goal_names,
    person_name,
)
from ..reasons import Labels, readable
from .tandems import tandem_end


def personal_data(*, user: User) -> dict:
    """Every row of the matching app that names the person (for the DSGVO export)."""
    profile = Profile.objects.filter(user=user).first()
    reports = [{"tandem": r.tandem_id, "anliegen": r.get_kind_display(), "text": r.text,
                "am": moment(r.created_at), "status": r.get_status_display(),
                "erledigt_am": moment(r.resolved_at),
                "antworten": [_entry(e) for e in r.replies.all()],
                # Staff's notes on the person's own report are data about them (DSGVO Art. 15).
                "interne_notizen_der_koordination": [_entry(e) for e in r.notes.all()]}
               for r in ProblemReport.objects.filter(reported_by=user).prefetch_related(
                   Prefetch("replies", queryset=ProblemReportReply.objects.select_related("author")),
                   Prefetch("notes", queryset=ProblemReportNote.objects.select_related("author")))]
    if profile is None:
        answers = {"meldungen": reports, "kurzbefragungen": _checkins(user), "rueckblicke": _reviews(user)}
        return {key: value for key, value in answers.items() if value}
    # Why the pair matched names the partner's needs, Bundesland and organisation: like the Tandem page, the
    # export gives it only while the partner's data may be shared (an active Tandem, both consents given).
    tandems = (selectors.with_contact_visible(Tandem.objects.filter(selectors.either_side(profile)))
               .select_related("mentee__user", "mentor__user")
               .prefetch_related("meetings__topics", "agreements",
                                 Prefetch("meetings__notes", to_attr="own_notes",
                                          queryset=MeetingNote.objects.filter(author=user))))
    proposals = Proposal.objects.filter(selectors.either_side(profile)).select_related(
        "run", "mentee__user", "mentor__user")
    rules = PairRule.objects.filter(selectors.either_side(profile)).select_related(
        "mentee__user", "mentor__user")
    labels = Labels.load()
    tandems = list(tandems)
    names = goal_names([agreement for tandem in tandems for agreement in tandem.agreements.all()])
    partners = {tandem.mentor_id if tandem.mentee_id == profile.pk else tandem.mentee_id for tandem in tandems}
    sharing = {tandem.mentor_id if tandem.mentee_id == profile.pk else tandem.mentee_id
               for tandem in tandems if tandem.contact_shared}
    return {
        "tandems": [
            {"id": t.pk, "rolle": _side(t, profile),
             "partner_in": person_name(t.partner_of(profile)), "status": t.get_status_display(),
             "gruende": [r["text"] for r in readable(t.reasons, labels)] if t.contact_shared else [],
             "nachricht_der_koordination": t.message,
             "begonnen_am": moment(t.started_at), "beendet_am": moment(t.ended_at),
             "grund_ende": str(t.end_reason_text),
             # Issued when the Tandem ended, and again by staff on request (a new issue, a new date).
             "teilnahmebescheinigung": None if t.ended_at is None else {
                 "fassung": t.certificate_issue, "ausgestellt_am": moment(t.certificate_issued_at or t.ended_at)},
             "vereinbarung": [{"fassung": a.version, "ziele": [f"{g['name']}: {g['text']}" for g in a.goal_rows(names)],
                               "wie_oft": a.get_frequency_display(), "wie": a.get_meeting_form_display(),
                               "geplantes_ende": moment(a.planned_end),
                               "entworfen_von": _by(a.drafted_by_id, user),
                               "entworfen_am": moment(a.drafted_at),
                               "bestaetigt_am": moment(a.confirmed_at)}
                              for a in t.agreements.all()],
             "treffen": [{"datum": moment(m.date), "dauer_minuten": m.duration_minutes,
                          "format": m.get_format_display(), "themen": [x.label for x in m.topics.all()],
                          "status": m.get_status_display(),
                          "eingetragen_von": _by(m.logged_by_id, user),
                          "eingetragen_am": moment(m.created_at),
                          "ihre_private_notiz": m.own_notes[0].text if m.own_notes else ""}
                         for m in t.meetings.all()]}
            for t in tandems
        ],
        "meldungen": reports,
        "kurzbefragungen": _checkins(user),
        "rueckblicke": _reviews(user),
        # The other side of a proposal that did not become a Tandem, or of a pair rule, is another person who never
        # met this one in the programme (Art. 15 (4) DSGVO): the copy says there was someone, not who. The
        # Koordination's notes on the person's own proposals and rules are theirs to read.
        "vorschlaege": [{"lauf": str(p.run), "als": _side(p, profile),
                         "partner_in": _other_side(p, profile, partners),
                         "punktzahl": p.score,
                         "gruende": _proposal_reasons(p, profile, partners, sharing, labels),
                         "status": p.get_status_display(),
                         "entschieden_am": moment(p.decided_at),
                         "notiz_zur_entscheidung": p.decision_note}
                        for p in proposals],
        "festlegungen_und_ausschluesse": [
            {"art": r.get_kind_display(), "als": _side(r, profile),
             "partner_in": _other_side(r, profile, partners),
             "begruendung": r.note, "am": moment(r.created_at)} for r in rules],
    }


def _side(pair, profile) -> str:
    """The person's side of a Tandem, proposal or pair rule, in the export's language."""
    return (pgettext("side of a tandem", "Mentee") if pair.mentee_id == profile.pk
            else pgettext("side of a tandem", "Mentor*in"))


def _by(user_pk: int | None, user: User) -> str:
    """Who wrote an entry: the person or their Tandem partner, in the export's language."""
    return (pgettext("who wrote an entry", "Sie") if user_pk == user.pk
            else pgettext("who wrote an entry", "Tandempartner*in"))


def _proposal_reasons(proposal, profile, partners: set[int], sharing: set[int], labels) -> list[str]:
    """Why a proposal was made: for an unnamed other side as it stands; for a Tandem partner, whom the copy names,
    only while the partner's data may be shared, as on the Tandem page."""
    other = proposal.mentor_id if proposal.mentee_id == profile.pk else proposal.mentee_id
    if other in partners and other not in sharing:
        return []
    return [r["text"] for r in readable(proposal.reasons, labels)]


def _other_side(pair, profile, partners: set[int]) -> str:
    """The other person of a proposal or a pair rule: named if they were the person's Tandem partner."""
    other = pair.mentor if pair.mentee_id == profile.pk else pair.mentee
    return str(other.user) if other.pk in partners else _("eine andere Person des Programms")


def _checkins(user: User) -> list[dict]:
    """The person's own Kurzbefragungen with every answer (the partner's are not theirs)."""
    labels = dict(Progress.choices)
    checkins = list(CheckIn.objects.filter(user=user).order_by("tandem_id", "number"))
    names = _answer_topic_names(c.progress for c in checkins)
    return [{"tandem": c.tandem_id, "nr": c.number, "faellig_am": moment(c.due_on),
             "beantwortet_am": moment(c.answered_at),
             "wie_gut_1_bis_5": c.rating, "getroffen": c.met,
             "ziele": {str(name): labels.get(state, state) for name, state in _named(c.progress, names).items()},
             "hinweis_an_die_koordination": c.comment}
            for c in checkins]


def _reviews(user: User) -> list[dict]:
    """The person's closing reviews with every answer."""
    levels, reasons = dict(ClosingReview.Competence.choices), dict(ClosingReview.EarlyEnd.choices)
    reviews = list(ClosingReview.objects.filter(user=user).order_by("tandem_id"))
    names = _answer_topic_names([r.goals_reached for r in reviews] + [r.competence for r in reviews])
    return [{"tandem": r.tandem_id, "beantwortet_am": moment(r.answered_at),
             "ziele_erreicht": {str(name): reached for name, reached in _named(r.goals_reached, names).items()},
             "erfahrung_vorher_nachher": {str(name): [str(levels.get(v, v)) for v in pair]
                                          for name, pair in _named(r.competence, names).items()},
             "was_geholfen_hat": r.helped, "weiterempfehlung_0_bis_10": r.nps,
             "grund_fruehes_ende": str(reasons.get(r.early_end_reason, ""))}
            for r in reviews]


def _answer_topic_names(answers) -> dict[int, str]:
    """The names of every topic the answers (dicts keyed by topic pk) speak of, in one query."""
    pks = {int(pk) for answer in answers for pk in answer}
    return topic_names(pks)


def _named(answer: dict, names: dict[int, str]) -> dict:
    return {names.get(int(pk), pk): state for pk, state in answer.items()}


def _entry(entry) -> dict:
    return {"am": moment(entry.created_at), "von": author_name(entry), "text": entry.text}


def personal_data_erase(*, user: User) -> None:
    """Erase the person from the matching app; the partner keeps the Tandem, its meetings and reports.

    Active Tandems end (only the partner is mailed), the person's
    private notes and the problem reports they wrote (with staff's notes and replies) are deleted,
    and so are proposals and pair rules about them, and the stored copies of this app's mails that
    carry their contact data, name or report text (confirmation, reminders, report notices, replies).
    Deleting the profile afterwards empties their side of each Tandem.
    """
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        # The person's Tandems locked first, in the order every meeting change takes them: a partner deleting an
        # entry that carries the person's note waits here instead of deadlocking against the erasure.
        list(Tandem.objects.select_for_update().filter(selectors.either_side(profile)).order_by("pk")
             .values_list("pk", flat=True))
    MeetingNote.objects.filter(author=user).delete()
    reports = ProblemReport.objects.filter(reported_by=user)
    mails = [prefix for pk in reports.values_list("pk", flat=True)
             for prefix in (f"tandem-report:{pk}:", f"problem-report:{pk}:")]
    reports.delete()
    # Their answers go with the account (CASCADE); the mails with their one-time links go now.
    mails += [f"tandem-survey:{pk}:" for pk in CheckIn.objects.filter(user=user).values_list("pk", flat=True)]
    CheckIn.objects.filter(user=user).delete()
    mails += [f"tandem-review:{pk}:" for pk in ClosingReview.objects.filter(user=user).values_list("pk", flat=True)]
    ClosingReview.objects.filter(user=user).delete()
    if profile is not None:
        for pk in Tandem.objects.filter(selectors.either_side(profile)).values_list("pk", flat=True):
            # "checkin" keys the nudge to quiet Tandems (its historic name); the Kurzbefragungen are "tandem-survey".
            mails += [f"tandem-{kind}:{pk}:" for kind in ("confirmed", "checkin", "funding-end",
                                                          "agreement-reminder")]
    outbox_erase_keys(key_prefixes=mails)
    if profile is None:
        return
    for tandem in Tandem.objects.filter(selectors.either_side(profile), status=Tandem.Status.ACTIVE):
        tandem_end(tandem=tandem, by=None, cause=Tandem.EndCause.ERASED, leaving=profile)
    Proposal.objects.filter(selectors.either_side(profile)).delete()
    PairRule.objects.filter(selectors.either_side(profile)).delete()
