"""Demo content: a draft letter to the approved participants, ready to preview and test."""
from accounts.models import Registration

from .models import Letter

SUBJECT = "Neuigkeiten aus dem Mentoring-Programm"
BODY = """im Frühjahr laden wir zum nächsten **Vernetzungstreffen** ein. Bis dahin:

- Im Forum gibt es neue Praxistipps zur Hitzeaktionsplanung.
- Die Sprechstunde der Koordination findet weiterhin jeden ersten Dienstag im Monat statt.

Wir freuen uns auf den Austausch mit Ihnen!"""


def seed(*, staff, stdout) -> None:
    if Letter.objects.filter(subject_de=SUBJECT).exists():
        return
    Letter.objects.create(kind=Letter.Kind.NEWS, subject_de=SUBJECT, body_de=BODY,
                          subject_en="News from the mentoring programme",
                          body_en="In spring we invite you to our next **networking meeting**.",
                          statuses=[Registration.Status.APPROVED], created_by=staff)
    stdout.write("Rundschreiben: ein Entwurf zum Ausprobieren angelegt.")
