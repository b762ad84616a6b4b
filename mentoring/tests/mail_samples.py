"""A context that fills every variable the mail templates read, for rendering each of them alone."""
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MOMENTS = {
    "starts_at": dt.datetime(2026, 12, 2, 9, 30, tzinfo=dt.UTC),
    "ends_at": dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC),
    "registration_deadline": dt.datetime(2026, 11, 30, 22, 59, tzinfo=dt.UTC),
    "intro_call_at": dt.datetime(2026, 12, 3, 13, 30, tzinfo=dt.UTC),
    "status_changed_at": dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.UTC),
    "date_joined": dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC),
    "since": dt.datetime(2026, 9, 15, 8, 0, tzinfo=dt.UTC),
    "started": dt.datetime(2026, 3, 4, 8, 0, tzinfo=dt.UTC),
    "delete_on": dt.datetime(2027, 1, 14, 8, 0, tzinfo=dt.UTC),
    "ends_on": dt.date(2027, 2, 28),
    "expires": dt.datetime(2026, 12, 30, 8, 0, tzinfo=dt.UTC),
    "reported_at": dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC),
    "previous": dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.UTC),
}


class Sample(str):
    """Stands for any object a template reads: a name when printed, and every attribute another Sample
    (dates where the template expects one)."""

    def __new__(cls, text="Alex Example"):
        return super().__new__(cls, text)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return MOMENTS.get(name, Sample())

    def __call__(self):
        return self


# Each switch a template branches on, with every value it distinguishes.
SWITCHES = {
    "status": ["confirmed", "waitlisted"],
    "is_new_thread": [True, False],
    "scope": ["thread", "category"],
    "role": ["mentee", "mentor"],
    "is_mentee": [True, False],
    "count": [1, 3],
    "optional": ["", "filled"],
    "with_link": [True, False],
    "kind": ["invite", "moved"],  # the Kennenlerngespräch host's mail: a new talk or a moved one
    "time_moved": [True, True, False],  # a moved talk at another time, or the same time with another host or link
    # What became of a meeting entry (the partner's mail: logged, edited, deleted; the author's: disputed,
    # corrected), and whether the Tandem has ended since (an objection then leaves nothing to change).
    "news": ["deleted", "logged", "disputed", "disputed", "edited", "corrected", "deleted"],
    "ended": [False, False, False, True],
    "had_note": [False, True],  # the partner's own note went with a deleted entry
    "first": [True, False],  # the first Kurzbefragung of a Tandem counts meetings from its start
}


def contexts():
    """Full contexts that between them take every value of every switch (the n-th context the n-th values):
    each branch of each template is rendered at least once."""
    for n in range(max(len(values) for values in SWITCHES.values())):
        switch = {name: values[min(n, len(values) - 1)] for name, values in SWITCHES.items()}
        optional = Sample() if switch["optional"] else ""
        event = Sample()
        registration = Sample(switch["status"])
        yield {
            "user": Sample(), "person": Sample(), "partner": Sample(), "profile": Sample(), "report": Sample(),
            "category": Sample(), "thread": Sample(), "post": Sample(), "author": Sample(), "mentee": Sample(),
            "event": event, "registration": registration, "name": optional, "email": "alex@example.org",
            "page": optional, "description": "Text", "note": optional, "message": optional,
            "confirmation_url": "https://example.org/confirm/" if switch["optional"] else "",
            "organisation_kept": bool(switch["optional"]), "contact_email": "team@example.org",
            "reasons": ["Reason one", "Reason two"], "excerpt": "Excerpt", "tandem": "No. 7",
            "reporter": Sample(), "reason": "Reason", "date": dt.date(2026, 11, 20), "duration_minutes": 90,
            "until": dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC), "news": switch["news"],
            "ended": switch["ended"], "had_note": switch["had_note"], "first": switch["first"],
            "subject": "Subject", "body_html": "<p>Text</p>", "body_text": "Text",
            "test": switch["with_link"], "essential": True,  # news letters differ only in the footer link, always shown
            "threads": [{"thread": Sample(), "posts": [{"author": Sample(), "excerpt": "Excerpt", "path": "/p/1/"}]}],
            "path": "/tandem/7/", "post_path": "/forum/p/1/", "admin_path": "/admin/x/", "unsubscribe_path": "/u/",
            "unsubscribe_all_path": "/u/all/", "site_url": "https://example.org",
            "PROGRAMME_NAME": "Mentoring Programme", "PROGRAMME_OPERATOR": "Coordination Office",
            "MINISTRY_NAME": "Ministry",
            "PROGRAMME_CONTACT_EMAIL": "team@example.org", "current_site": Sample(), "activate_url": "https://example.org/activate/",
            "code": optional, "password_reset_url": "https://example.org/reset/", "signup_url": "https://example.org/s/",
            "timestamp": timezone.now(), "ip": "192.0.2.1", "user_agent": "Firefox",
            **{key: MOMENTS[key] for key in ("since", "started", "delete_on", "ends_on", "expires")},
            "starts_at": MOMENTS["starts_at"], "reported_at": MOMENTS["reported_at"],
            "previous": MOMENTS["previous"] if switch["time_moved"] else MOMENTS["starts_at"],
            "kind": switch["kind"], "participant_name": "Alex Example", "host_name": "Sam Sample",
            "video_url": "https://video.example.org/talk" if switch["with_link"] else "",
            "admin_url": "https://example.org/admin/accounts/registration/1/",
            # Labels the sender passes translated, as the code does: the subject has no other words.
            "case_label": _("Ihre Meldung zur Barrierefreiheit"), "state_label": _("in Bearbeitung"),
            "state_done": bool(switch["optional"]),
            "reply": "Reply text" if switch["optional"] else "",
            "page_url": "https://example.org/tandem/7/" if switch["with_link"] else "",
            "review_path": "/tandem/7/rueckblick/3/" if switch["with_link"] else "",
            "is_mentee": switch["is_mentee"], "is_new_thread": switch["is_new_thread"], "scope": switch["scope"],
            "role": switch["role"], "count": switch["count"], "with_link": switch["with_link"],
            "amendment": switch["with_link"],
            "thread_title": "Thread title", "was_confirmed": bool(switch["optional"]), "before": Sample(),
            "changed": ["title", "starts_at", "format", "venue", "online_url"] if switch["optional"] else ["ends_at"],
        }
