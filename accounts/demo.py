"""Demo people: a staff login per staff group, a superuser and about 60 participants in realistic
organisations. Safe to run again."""
import random
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts import staff_groups
from accounts.choices import ConceptStage, FundingLine, MeetingFormat, Role, SizeClass
from accounts.models import (
    Competence,
    Consent,
    FederalState,
    Need,
    OrganisationType,
    Profile,
    ProgrammeYear,
    Registration,
    RegistrationTransition,
    Topic,
    User,
)
from accounts.services import consent_give, organisation_for, programme_year_open

STAFF_EMAIL = "koordination@example.org"
STAFF_PASSWORD = "Klima-Koordination-2026"  # noqa: S105 - demo login, printed in the README
# The other staff logins share the Koordination's demo password: (e-mail, first name, last name, group or
# None for the superuser, who manages accounts and the technical settings).
ADMIN_EMAIL = "admin@example.org"
OTHER_STAFF = [
    ("moderation@example.org", "Mona", "Moderation", staff_groups.MODERATION),
    ("veranstaltungen@example.org", "Vera", "Veranstaltungen", staff_groups.VERANSTALTUNGEN),
    (ADMIN_EMAIL, "Ada", "Administration", None),
]
DEMO_PASSWORD = "Demo-Passwort-2026"  # noqa: S105 - demo login, printed in the README

# (name, organisation type slug, Bundesland code, size class)
ORGANISATIONS = [
    ("Stadt Münster", "kreisfreie-stadt", "05", SizeClass.CITY),
    ("Kreis Steinfurt", "landkreis", "05", SizeClass.NOT_APPLICABLE),
    ("Stadt Bocholt", "kreisangehoerige-stadt", "05", SizeClass.LARGE_MEDIUM_TOWN),
    ("Landkreis Marburg-Biedenkopf", "landkreis", "06", SizeClass.NOT_APPLICABLE),
    ("Stadt Kassel", "kreisfreie-stadt", "06", SizeClass.CITY),
    ("Gemeinde Lahntal", "kreisangehoerige-gemeinde", "06", SizeClass.SMALL_TOWN),
    ("Stadt Erfurt", "kreisfreie-stadt", "16", SizeClass.CITY),
    ("Landkreis Gotha", "landkreis", "16", SizeClass.NOT_APPLICABLE),
    ("Stadt Jena", "kreisfreie-stadt", "16", SizeClass.CITY),
    ("Landeshauptstadt München", "kreisfreie-stadt", "09", SizeClass.LARGE_CITY),
    ("Landkreis Ebersberg", "landkreis", "09", SizeClass.NOT_APPLICABLE),
    ("Markt Holzkirchen", "kreisangehoerige-gemeinde", "09", SizeClass.MEDIUM_TOWN),
    ("Stadt Freiburg im Breisgau", "kreisfreie-stadt", "08", SizeClass.CITY),
    ("Landkreis Ludwigsburg", "landkreis", "08", SizeClass.NOT_APPLICABLE),
    ("Stadt Nürtingen", "kreisangehoerige-stadt", "08", SizeClass.MEDIUM_TOWN),
    ("Stadt Leipzig", "kreisfreie-stadt", "14", SizeClass.LARGE_CITY),
    ("Landkreis Görlitz", "landkreis", "14", SizeClass.NOT_APPLICABLE),
    ("Stadt Halle (Saale)", "kreisfreie-stadt", "15", SizeClass.CITY),
    ("Landkreis Harz", "landkreis", "15", SizeClass.NOT_APPLICABLE),
    ("Landeshauptstadt Potsdam", "kreisfreie-stadt", "12", SizeClass.CITY),
    ("Amt Britz-Chorin-Oderberg", "gemeindeverband", "12", SizeClass.RURAL),
    ("Bezirksamt Friedrichshain-Kreuzberg", "stadtstaat-bezirk", "11", SizeClass.LARGE_CITY),
    ("Freie und Hansestadt Hamburg, Bezirksamt Altona", "stadtstaat-bezirk", "02", SizeClass.LARGE_CITY),
    ("Landeshauptstadt Kiel", "kreisfreie-stadt", "01", SizeClass.CITY),
    ("Kreis Nordfriesland", "landkreis", "01", SizeClass.NOT_APPLICABLE),
    ("Hansestadt Rostock", "kreisfreie-stadt", "13", SizeClass.CITY),
    ("Landkreis Vorpommern-Greifswald", "landkreis", "13", SizeClass.NOT_APPLICABLE),
    ("Stadt Oldenburg", "kreisfreie-stadt", "03", SizeClass.CITY),
    ("Samtgemeinde Bersenbrück", "gemeindeverband", "03", SizeClass.MEDIUM_TOWN),
    ("Region Hannover", "region", "03", SizeClass.LARGE_CITY),
    ("Freie Hansestadt Bremen", "stadtstaat-bezirk", "04", SizeClass.LARGE_CITY),
    ("Stadt Mainz", "kreisfreie-stadt", "07", SizeClass.CITY),
    ("Verbandsgemeinde Bitburger Land", "gemeindeverband", "07", SizeClass.MEDIUM_TOWN),
    ("Landeshauptstadt Saarbrücken", "kreisfreie-stadt", "10", SizeClass.CITY),
    ("AWO Kreisverband Leipzig-Stadt", "traeger", "14", SizeClass.NOT_APPLICABLE),
    ("Caritasverband für die Diözese Münster", "traeger", "05", SizeClass.NOT_APPLICABLE),
    ("Evangelisches Seniorenzentrum Kassel", "soziale-einrichtung", "06", SizeClass.NOT_APPLICABLE),
    ("Kita-Eigenbetrieb der Stadt Erfurt", "soziale-einrichtung", "16", SizeClass.NOT_APPLICABLE),
    ("Stadtwerke Bochum Netz GmbH", "kommunales-unternehmen", "05", SizeClass.NOT_APPLICABLE),
    ("Klimaschutzagentur Region Hannover", "interkommunal", "03", SizeClass.NOT_APPLICABLE),
]

FIRST_NAMES = ["Anna", "Jonas", "Miriam", "Tobias", "Leonie", "Kemal", "Sophie", "Felix", "Katharina", "Lukas",
               "Hannah", "David", "Julia", "Maximilian", "Lea", "Ali", "Sarah", "Paul", "Marie", "Jan",
               "Franziska", "Tim", "Laura", "Niklas", "Elif", "Moritz", "Johanna", "Simon", "Clara", "Benedikt"]
LAST_NAMES = ["Schneider", "Becker", "Hoffmann", "Wagner", "Schäfer", "Yılmaz", "Koch", "Richter", "Klein",
              "Wolf", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange", "Werner",
              "Krause", "Lehmann", "Schmitt", "Nowak", "Köhler", "Herrmann", "Walter", "König", "Mayer",
              "Huber", "Kaiser", "Fuchs"]
POSITIONS = ["Klimaanpassungsmanagerin", "Klimaanpassungsmanager", "Klimaanpassungsmanager*in",
             "Referentin Klimaanpassung", "Sachgebietsleitung Klima und Umwelt", "Projektleitung Hitzeschutz"]
DEPARTMENTS = ["Umweltamt", "Fachbereich Stadtplanung", "Stabsstelle Klima", "Amt für Grünflächen",
               "Fachdienst Umwelt und Klimaschutz", ""]
NEEDS_TEXTS = [
    "Ich bin seit wenigen Monaten im Amt und soll das Klimaanpassungskonzept aufsetzen. Mir fehlt der Überblick, "
    "wie ich einen Steuerungskreis aufbaue und die Politik früh einbinde.",
    "Wir müssen den ersten Mittelabruf vorbereiten und eine Ratsvorlage schreiben.",
    "Ich suche Austausch dazu, wie man Hitzeschutz mit sozialen Einrichtungen gemeinsam plant.",
    "Die Betroffenheitsanalyse steht an; ich möchte wissen, welche Klimadaten andere nutzen.",
]
COMPETENCES_TEXTS = [
    "Ich habe das Konzept unserer Stadt von der Ausschreibung bis zum Ratsbeschluss begleitet.",
    "Erfahrung mit Bürgerbeteiligung, Pressearbeit und einer Hitzekampagne im Sommer 2025.",
    "Starkregenrisikomanagement mit Hinweiskarte und Beratung von Eigentümer*innen.",
    "Vorher zehn Jahre in der Bauleitplanung – ich kenne die Verwaltung von innen.",
]


def _staff_login(email: str, first_name: str, last_name: str, group: str | None) -> User:
    """One demo staff login (created once): in ``group`` only, or a superuser for ``group=None``."""
    from django.contrib.auth.models import Group

    staff, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, "is_staff": True})
    if created:
        staff.set_password(STAFF_PASSWORD)
        EmailAddress.objects.create(user=staff, email=email, primary=True, verified=True)
    # Older demo data made the Koordination login a superuser; now it has only its group's rights.
    staff.is_superuser = group is None
    staff.save()
    if group is not None:
        staff.groups.add(Group.objects.get(name=group))
    return staff


def staff_user() -> User:
    """The demo Koordination login, and the other groups' logins and a superuser beside it (created once)."""
    for email, first_name, last_name, group in OTHER_STAFF:
        _staff_login(email, first_name, last_name, group)
    return _staff_login(STAFF_EMAIL, "Kora", "Koordination", staff_groups.KOORDINATION)


def programme_years() -> ProgrammeYear:
    """The last Jahrgang (closed) and the current one (open), each from 1 September; created once."""
    today = timezone.localdate()
    start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    last = date(start.year - 1, 9, 1)
    ProgrammeYear.objects.get_or_create(
        label=f"{last.year}/{(last.year + 1) % 100:02d}",
        defaults={"opens_on": last, "closes_on": start - timedelta(days=1), "is_open": False})
    current, _created = ProgrammeYear.objects.get_or_create(
        label=f"{start.year}/{(start.year + 1) % 100:02d}", defaults={"opens_on": start})
    if ProgrammeYear.current() is None:
        programme_year_open(year=current)
    return ProgrammeYear.current()


def seed_participants(*, staff: User, participants: int = 60) -> int:
    """Create the demo participants that do not exist yet; returns how many are new."""
    year = programme_years()
    rng = random.Random(2026)  # same demo data on every machine
    topics = list(Topic.objects.all())
    states = {s.code: s for s in FederalState.objects.all()}
    org_types = {t.slug: t for t in OrganisationType.objects.all()}
    made = 0
    for i in range(participants):
        email = f"teilnehmer{i + 1:03d}@example.org"
        first, last = FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[(i * 7) % len(LAST_NAMES)]
        org_name, type_slug, state_code, size = ORGANISATIONS[i % len(ORGANISATIONS)]
        role = Role.MENTOR if i % 3 == 0 else (Role.BOTH if i % 7 == 0 else Role.MENTEE)
        funding = rng.choice([FundingLine.A1, FundingLine.A1, FundingLine.A2, FundingLine.A2, FundingLine.A3,
                              FundingLine.ANPASO, FundingLine.STATE, FundingLine.NONE])
        started = date(2026, 11, 1) - timedelta(days=rng.randint(20, 400) if role == Role.MENTEE
                                                else rng.randint(700, 2500))
        if User.objects.filter(email=email).exists():
            continue
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        organisation = organisation_for(name=org_name, org_type=org_types[type_slug],
                                        federal_state=states[state_code], size_class=size)
        profile = Profile.objects.create(
            user=user, role=role, organisation=organisation, position=rng.choice(POSITIONS),
            department=rng.choice(DEPARTMENTS), role_started_on=started, funding_line=funding,
            funding_ends_on=started + timedelta(days=365 * (2 if funding == FundingLine.A1 else 3))
            if funding != FundingLine.NONE else None,
            concept_stage=ConceptStage.IN_PROGRESS if funding == FundingLine.A1 else rng.choice(
                [ConceptStage.ADOPTED, ConceptStage.NONE, ConceptStage.ADOPTED]),
            needs_text=rng.choice(NEEDS_TEXTS) if role != Role.MENTOR else "",
            competences_text=rng.choice(COMPETENCES_TEXTS),
            meeting_format=rng.choice([MeetingFormat.ONLINE, MeetingFormat.BOTH, MeetingFormat.BOTH,
                                       MeetingFormat.ONSITE]),
            languages=["de"] + (["en"] if rng.random() < 0.4 else []),
            prefers_same_state=rng.random() < 0.3, prefers_similar_organisation=rng.random() < 0.4,
            mentor_capacity=rng.randint(1, 3) if role != Role.MENTEE else 0,
            mentor_available=role != Role.MENTEE,
        )
        if role != Role.MENTOR:
            for topic in rng.sample(topics, rng.randint(2, 5)):
                Need.objects.create(profile=profile, topic=topic, priority=rng.randint(1, 3))
        for topic in rng.sample(topics, rng.randint(1, 3) if role == Role.MENTEE else rng.randint(3, 7)):
            Competence.objects.create(profile=profile, topic=topic,
                                      level=rng.randint(1, 2) if role == Role.MENTEE else rng.randint(2, 3))
        status = (Registration.Status.APPROVED if i % 10 < 8
                  else [Registration.Status.SUBMITTED, Registration.Status.INTRO_SCHEDULED][i % 2])
        registration = Registration.objects.create(user=user, status=status, programme_year=year)
        RegistrationTransition.objects.create(registration=registration, to_status=Registration.Status.SUBMITTED,
                                              by=user)
        if status != Registration.Status.SUBMITTED:
            RegistrationTransition.objects.create(registration=registration,
                                                  from_status=Registration.Status.SUBMITTED, to_status=status,
                                                  by=staff)
        for purpose in (Consent.Purpose.PROGRAMME, Consent.Purpose.PARTNER_SHARING):
            consent_give(user=user, purpose=purpose)
        if i % 3 != 2:  # about two in three want the programme's news (letters go to them)
            consent_give(user=user, purpose=Consent.Purpose.NEWS)
        made += 1
    return made
