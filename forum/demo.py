"""Demo content for the forum: realistic threads in every category. Running it again adds nothing."""
from django.db import transaction

from accounts.models import Registration, Topic, User

from . import access, services
from .models import Category, Post, Thread

# (category slug, kind, title, topic slugs, author index among mentors (m) / mentees (e) / staff (s), body,
#  replies as (author, text), featured)
THREADS = [
    ("praxistipps", Thread.Kind.TIP, "Hitzeaktionsplan: Kitas und Pflegeheime früh einbinden",
     ["hitzeaktionsplan", "vulnerable-gruppen"], "m0",
     "Bei uns hat es geholfen, die **Träger** schon vor dem ersten Entwurf einzuladen:\n\n"
     "1. Anschreiben über das Sozialamt, nicht über das Umweltamt\n"
     "2. Ein kurzer Workshop (90 Minuten) mit Hitzeschutz-Checkliste\n"
     "3. Ein Aushang zum Hitzewarndienst des DWD für jede Einrichtung\n\n"
     "> Wichtig: Die Einrichtungen wollen konkrete Maßnahmen, keine Strategiepapiere.",
     [("e0", "Danke! Wie habt ihr die Pflegeheime erreicht, die nicht kommunal sind?"),
      ("m0", "Über die Heimaufsicht des Kreises – die hat alle Adressen und ist gern dabei.")], True),
    ("praxistipps", Thread.Kind.TIP, "Starkregenvorsorge: Hinweiskarte in der Bürgersprechstunde",
     ["starkregen", "beteiligung"], "m1",
     "Wir zeigen die Starkregengefahrenkarte in einer offenen Sprechstunde. Eigentümer*innen bringen ihre "
     "Adresse mit, wir schauen gemeinsam auf die Fließwege. Danach steigt die Nachfrage nach der Beratung "
     "zum Objektschutz deutlich.",
     [("e1", "Wie viele Termine habt ihr angeboten?"), ("m1", "Vier Abende im Frühjahr, je etwa 30 Besuche.")],
     True),
    ("praxistipps", Thread.Kind.TIP, "Ratsvorlage zum Klimaanpassungskonzept: unsere Gliederung",
     ["politik", "konzept"], "m2",
     "Unsere Vorlage hatte nur drei Seiten: Anlass, Ergebnis der Betroffenheitsanalyse, zehn priorisierte "
     "Maßnahmen mit Kosten und Zuständigkeit. Die Langfassung lag als Anlage bei.", [], False),
    ("fragen-antworten", Thread.Kind.QUESTION, "Wie oft ruft ihr Fördermittel ab?",
     ["projektmanagement", "haushalt"], "e0",
     "Ich bereite gerade den ersten Mittelabruf vor. Ruft ihr quartalsweise ab oder nach Bedarf? "
     "Und wer unterschreibt bei euch?",
     [("m0", "Wir rufen quartalsweise ab; die Kämmerei zeichnet mit. Wichtig ist, die Fristen im "
             "Zuwendungsbescheid im Kalender zu haben."),
      ("m1", "Bei uns nach Bedarf, aber mindestens halbjährlich.")], False),
    ("fragen-antworten", Thread.Kind.QUESTION, "Welche Klimadaten nutzt ihr für die Betroffenheitsanalyse?",
     ["klimadaten"], "e1",
     "Gibt es Empfehlungen für Datenquellen, die auch für kleine Kommunen handhabbar sind?",
     [("m2", "Der Klimaatlas des DWD und die Daten des Landesumweltamts reichen für den Anfang völlig.")], False),
    ("fragen-antworten", Thread.Kind.DISCUSSION, "Steuerungskreis: Wer gehört rein?",
     ["steuerungskreis", "verwaltung"], "e2",
     "Wir bauen gerade einen Steuerungskreis auf. Welche Ämter sind bei euch dabei?",
     [("m0", "Planung, Grün, Tiefbau, Gesundheit, Soziales – und unbedingt die Kämmerei.")], False),
    ("methoden-hilfsmittel", Thread.Kind.DISCUSSION, "Leitfaden für das erste Tandemgespräch",
     ["einstieg"], "s",
     "Liebe Mentor*innen, hier der Leitfaden für das erste Gespräch mit Ihrem Mentee: Erwartungen klären, "
     "Rhythmus vereinbaren, ein erstes kleines Ziel festhalten.", [], False),
    ("veranstaltungen-austausch", Thread.Kind.DISCUSSION, "Nachlese: Vernetzungstreffen Ost in Leipzig",
     ["vernetzung"], "m1",
     "Danke an alle, die in Leipzig dabei waren! Die Fotos der Pinnwände liegen bei der Koordination.",
     [("e0", "War ein tolles Treffen – gern wieder im Frühjahr.")], False),
]


def seed(*, staff, stdout) -> None:
    approved = list(User.objects.filter(registration__status=Registration.Status.APPROVED, is_staff=False,
                                        email__endswith="@example.org").select_related("profile")
                    .order_by("email"))
    mentors = [u for u in approved if u.profile.is_mentor]
    mentees = [u for u in approved if not u.profile.is_mentor]
    if len(mentors) < 3 or len(mentees) < 3:
        stdout.write("Forum: zu wenige freigegebene Teilnehmer*innen für Demo-Beiträge.")
        return
    people = {"s": staff, **{f"m{i}": u for i, u in enumerate(mentors[:3])},
              **{f"e{i}": u for i, u in enumerate(mentees[:3])}}
    topics = {t.slug: t for t in Topic.objects.all()}
    # Featuring a thread is the Moderation's work (the demo has a Moderation login beside the Koordination).
    moderator = staff if access.moderates(staff) else (
        User.objects.filter(access.moderates_q()).order_by("is_superuser", "pk").first() or staff)
    made = 0
    with transaction.atomic():
        for slug, kind, title, topic_slugs, author, body, replies, featured in THREADS:
            if Thread.objects.filter(title=title).exists():
                continue
            thread = services.thread_create(
                author=people[author], category=Category.objects.get(slug=slug), title=title, kind=kind,
                topics=[topics[t] for t in topic_slugs], body=body, notify=False)
            posts = [services.post_create(author=people[who], thread=thread, body=text, notify=False)
                     for who, text in replies]
            if featured:
                services.thread_set_flags(thread=thread, by=moderator, is_featured=True)
            if kind == Thread.Kind.QUESTION and posts:
                services.thread_accept_answer(thread=thread, post=posts[0], by=thread.author)
            made += 1
    stdout.write(f"Forum: {made} neue Themen ({Thread.objects.count()} insgesamt, "
                 f"{Post.objects.count()} Beiträge).")
