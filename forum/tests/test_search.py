"""Forum search: one set of cases that must give the same answers on SQLite and on PostgreSQL.

`make test` runs this module on SQLite (FTS5 fed with German stems, `forum.fulltext`); with
DATABASE_URL pointing at PostgreSQL (CI) it runs on PostgreSQL's German full-text search. Both
runs share every case below; only the last three tests look at what each database stores.
"""
import importlib
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import topic
from forum import demo, fulltext, selectors, services
from forum.models import Category, Post, Thread

pytestmark = pytest.mark.django_db

# The threads every case searches: key → (title, first post, replies).
THREADS = {
    "checkliste": ("Checkliste für die Hitzewelle", "Eine Checkliste, die wir im Sommer an alle Kitas verteilen.", []),
    "hinweiskarte": ("Starkregen: unsere Hinweiskarte",
                     "Die Starkregenvorsorge beginnt mit einer Hinweiskarte für jede Straße.", []),
    "sprechstunde": ("Bürgersprechstunde zum Hitzeschutz", "Wir laden einmal im Monat ins Rathaus ein.", []),
    "foerderung": ("Tipps zur Förderung", "Wie wir den Antrag geschrieben haben.", ["Die Antragsfristen beachten!"]),
    "pflegeheim": ("Etwas ganz anderes", "Hitzeschutz in Pflegeheimen und Krankenhäusern.", []),
    "partnerstadt": ("Austausch mit Partnerstädten",
                     "Gespräch mit Анастасия Кузнецова, Łukasz Wiśniewski und Ἀλέξανδρος Παπαδόπουλος.", []),
}
HIDDEN_REPLY = "Geheimwort Zitronenfalter"  # a reply to "foerderung" that staff hide

CASES = [
    # inflected forms: singular and plural, as PostgreSQL's German stemming finds them
    ("Checkliste", {"checkliste"}),
    ("Checklisten", {"checkliste"}),
    ("Hinweiskarten", {"hinweiskarte"}),
    ("Bürgersprechstunden", {"sprechstunde"}),
    ("Förderungen", {"foerderung"}),
    ("Pflegeheim", {"pflegeheim"}),
    ("Antragsfrist", {"foerderung"}),
    # upper and lower case
    ("checklisten", {"checkliste"}),
    ("HINWEISKARTEN", {"hinweiskarte"}),
    ("bürgersprechstunde", {"sprechstunde"}),
    # umlauts and ß: the stem drops the dots and writes ß as ss, so both spellings find the word
    ("Burgersprechstunde", {"sprechstunde"}),
    ("Krankenhaus", {"pflegeheim"}),
    ("Strasse", {"hinweiskarte"}),
    ("Straße", {"hinweiskarte"}),
    # an umlaut written as ae, oe or ue (an English keyboard) finds the word; a real "ue" still finds its own
    ("Foerderung", {"foerderung"}),
    ("Buergersprechstunde", {"sprechstunde"}),
    ("Krankenhaeuser", {"pflegeheim"}),
    ("FOERDERUNGEN Antrag", {"foerderung"}),
    ("Hitzeschutz Buerger", {"sprechstunde"}),
    ("Checkliste fuer alle", {"checkliste"}),
    ("Tipps zur Foerderung ueber", {"foerderung"}),
    # a word beginning finds the longer word; a compound is not split into its parts
    ("Starkregen", {"hinweiskarte"}),
    ("Hitze", {"checkliste", "sprechstunde", "pflegeheim"}),
    ("Vorsorge", set()),
    # several words: a thread must hold every one, in its title or any visible post
    ("Hitzeschutz Pflegeheimen", {"pflegeheim"}),
    ("Kitas Hitzewelle", {"checkliste"}),
    ("Checkliste Hinweiskarte", set()),
    ("Antrag Förderung", {"foerderung"}),
    # names in other scripts and letters
    ("Кузнецова", {"partnerstadt"}),
    ("анастасия", {"partnerstadt"}),
    ("Wiśniewski", {"partnerstadt"}),
    ("Ἀλέξανδρος", {"partnerstadt"}),
    # hidden posts are found by nobody
    ("Zitronenfalter", set()),
    ("Geheimwort Antrag", set()),
    # stop words alone find nothing; next to a word they are left out
    ("und", set()),
    ("und die der", set()),
    ("für", set()),
    ("die Checklisten", {"checkliste"}),
    ("Checkliste für alle", {"checkliste"}),
    # search syntax of either database is only ever a word to find, never an operator
    ('"Checkliste"', {"checkliste"}),
    ("Checkliste*", {"checkliste"}),
    ("(Hinweiskarten)", {"hinweiskarte"}),
    ("-Checkliste", {"checkliste"}),
    ("^Checkliste", {"checkliste"}),
    ("Checkliste OR Hinweiskarte", set()),
    ('"Checkliste" OR "Hinweiskarte"', set()),
    ("NEAR(Checkliste Hinweiskarte)", set()),
    ("Checkliste AND Hitzewelle", set()),
    ("title:Checkliste", set()),
    ("Checkliste NOT Hitzewelle", set()),
    ("a & b | !c", set()),
    ("'::*", set()),
    ("(((", set()),
    ("\\", set()),
    ('"', set()),
    ("*", set()),
    ("ä" * 300, set()),
    ("Checkliste_Hitzewelle", {"checkliste"}),
]


def _thread(author, title, body, *, kind="discussion", topics=(), category="praxistipps"):
    return services.thread_create(author=author, category=Category.objects.get(slug=category), title=title,
                                  kind=kind, topics=[topic(slug) for slug in topics], body=body)


@pytest.fixture
def forum_threads(mentor, mentee, staff_user):
    threads = {}
    for key, (title, body, replies) in THREADS.items():
        threads[key] = _thread(mentor, title, body)
        for reply in replies:
            services.post_create(author=mentee, thread=threads[key], body=reply)
    hidden = services.post_create(author=mentee, thread=threads["foerderung"], body=HIDDEN_REPLY)
    services.post_hide(post=hidden, by=staff_user)
    return threads


def full_search(*, user, text, kind="", topic=None):
    """Every match in the order each page of ``search_page`` is held to (the database's own ranking)."""
    return selectors._search(selectors.threads_for_rows(user), text=text, kind=kind, topic=topic)


def _titles(user, text, **filters):
    return {t.title for t in full_search(user=user, text=text, **filters)}


def _keys(threads, titles):
    return {key for key, thread in threads.items() if thread.title in titles}


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[f"{i:02d}-{q[:24]}" for i, (q, _e) in enumerate(CASES)])
def test_search_case(client, forum_threads, mentee, query, expected):
    assert _keys(forum_threads, _titles(mentee, query)) == expected
    client.force_login(mentee)
    response = client.get(reverse("forum:search"), {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    for key, thread in forum_threads.items():
        assert (reverse("forum:thread", args=[thread.pk]) in page) == (key in expected), key


def test_a_title_ranks_above_a_post(forum_threads, mentee):
    """ "Hitzeschutz" is the title of one thread and in a post of another: the title comes first."""
    found = selectors.search_page(user=mentee, text="Hitzeschutz").object_list  # as the page lists them
    assert [t.title for t in found] == [THREADS["sprechstunde"][0], THREADS["pflegeheim"][0]]


def test_a_word_in_the_posts_counts_once_so_the_newest_thread_comes_first(mentor, mentee):
    """Repeating a word in the posts does not push a thread up: among threads that hold it in their
    posts only, the latest post decides; a title that holds it still comes first."""
    often = _thread(mentor, "Unser Sommer", "Kaltluft hier, Kaltluft dort, Kaltluft überall.")
    services.post_create(author=mentee, thread=often, body="Noch einmal Kaltluft, und wieder Kaltluft.")
    once = _thread(mentor, "Neue Karte", "Die Karte zeigt die Kaltluft.")
    titled = _thread(mentor, "Kaltluft in der Stadtplanung", "Ein Bericht.")
    Thread.objects.filter(pk=titled.pk).update(last_post_at=often.last_post_at - timedelta(days=1))
    found = selectors.search_page(user=mentee, text="Kaltluft").object_list  # as the page lists them
    assert [t.pk for t in found] == [titled.pk, once.pk, often.pk]


@pytest.mark.postgres
def test_postgres_keeps_no_positions_of_the_posts_words(require_postgres, mentor):
    """The posts' part of the vector is stripped: the title's words keep their weight, the rest is small."""
    thread = _thread(mentor, "Hinweiskarte", "Starkregen und Starkregen und noch einmal Starkregen.")
    vector = Thread.objects.filter(pk=thread.pk).values_list("search_vector", flat=True).get()
    assert "'hinweiskart':1A" in vector
    assert "'starkreg'" in vector and "'starkreg':" not in vector


def test_search_filters_by_kind_and_topic(mentor, mentee):
    a = _thread(mentor, "Hitzeaktionsplan für Kitas", "Trinkpausen und Schatten", kind="tip",
                topics=["hitzeaktionsplan"])
    b = _thread(mentor, "Ratsvorlage schreiben", "Ein Beispiel aus dem Haushalt", kind="question",
                topics=["politik"])
    services.post_create(author=mentee, thread=b, body="Wir haben die Vorlage mit dem Kämmerer abgestimmt")
    assert _titles(mentee, "Hitzeaktionsplan") == {a.title}
    assert _titles(mentee, "Kämmerer") == {b.title}
    assert _titles(mentee, "Vorlage Kämmerer") == {b.title}
    assert _titles(mentee, "Schatten", kind="question") == set()
    assert _titles(mentee, "Schatten", kind="tip") == {a.title}
    assert _titles(mentee, "", topic=topic("politik")) == {b.title}
    assert _titles(mentee, "") == set()


def test_categories_a_person_cannot_see_are_not_searched(mentor, mentee, staff_user):
    _thread(staff_user, "Leitfaden Erstgespräch", "Nur für Mentor*innen", category="methoden-hilfsmittel")
    assert _titles(mentee, "Erstgespräch") == set()
    assert _titles(mentor, "Erstgesprächen") == {"Leitfaden Erstgespräch"}


def test_the_index_follows_a_post_that_is_written_edited_hidden_and_restored(mentor, mentee, staff_user):
    thread = _thread(mentor, "Tipps zur Förderung", "Wie wir den Antrag geschrieben haben")
    assert _titles(mentee, "Antragsfristen") == set()
    post = services.post_create(author=mentee, thread=thread, body="Die Antragsfristen beachten")
    assert _titles(mentee, "Antragsfrist") == {thread.title}
    services.post_edit(post=post, editor=mentee, body="Gelöscht")
    assert _titles(mentee, "Antragsfrist") == set()
    services.post_edit(post=post, editor=mentee, body="Die Fördermittelgeber anrufen")
    assert _titles(mentee, "Fördermittelgebern") == {thread.title}
    services.post_hide(post=post, by=staff_user)
    assert _titles(mentee, "Fördermittelgeber") == set()
    services.post_restore(post=post, by=staff_user)
    assert _titles(mentee, "Fördermittelgeber") == {thread.title}


def test_a_title_changed_in_the_admin_is_found_by_search(client, mentor, mentee, staff_user):
    thread = _thread(mentor, "Erster Entwurf", "Ein Text ohne das neue Wort")
    client.force_login(staff_user)
    response = client.post(reverse("admin:forum_thread_change", args=[thread.pk]), {
        "category": thread.category_id, "title": "Gründachförderung beantragen", "kind": thread.kind})
    assert response.status_code == 302
    assert _titles(mentee, "Gründachförderungen") == {"Gründachförderung beantragen"}
    assert _titles(mentee, "Entwurf") == set()


def test_posts_and_threads_deleted_in_the_admin_are_no_longer_found(client, mentor, mentee, staff_user):
    thread = _thread(mentor, "Hitzetelefon für Ältere", "Ein Telefon für heiße Tage")
    reply = services.post_create(author=mentee, thread=thread, body="Wir haben Ehrenamtliche geschult")
    other = _thread(mentor, "Trinkbrunnen in der Innenstadt", "Zwölf Trinkbrunnen seit dem Sommer")
    assert _titles(mentee, "Ehrenamtliche") == {thread.title}
    client.force_login(staff_user)
    assert client.post(reverse("admin:forum_post_delete", args=[reply.pk]), {"post": "yes"}).status_code == 302
    assert not Post.objects.filter(pk=reply.pk).exists()
    assert _titles(mentee, "Ehrenamtliche") == set()
    # The thread's count and last activity no longer include the deleted reply (lists and pages read them).
    thread.refresh_from_db()
    assert thread.post_count == 1 and thread.last_post_at == thread.posts.get().created_at
    assert _titles(mentee, "Hitzetelefon") == {thread.title}
    assert client.post(reverse("admin:forum_thread_delete", args=[other.pk]), {"post": "yes"}).status_code == 302
    assert not Thread.objects.filter(pk=other.pk).exists()
    assert _titles(mentee, "Trinkbrunnen") == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM forum_thread_fts WHERE rowid = %s", [other.pk])
            assert cursor.fetchone()[0] == 0  # its words left the index with it


def test_search_pagination_links_keep_the_query_once(client, mentor, mentee):
    for i in range(26):
        _thread(mentor, f"Starkregen Thema {i}", "Text")
    client.force_login(mentee)
    page = client.get(reverse("forum:search") + "?q=Starkregen&seite=2").content.decode()
    assert 'href="?q=Starkregen&amp;seite=1"' in page
    assert "seite=2&amp;seite" not in page


def test_an_unknown_topic_gets_a_message_next_to_the_field(client, mentee):
    client.force_login(mentee)
    response = client.get(reverse("forum:search"), {"q": "x", "thema": "gibt-es-nicht"})
    assert response.status_code == 200
    assert "Dieses Thema gibt es nicht." in response.content.decode()


@pytest.mark.postgres
def test_postgres_searches_with_the_gin_index(require_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'forum_thread_search_gin'")
        assert "gin (search_vector)" in cursor.fetchone()[0]


@pytest.mark.postgres
def test_the_stems_sqlite_indexes_are_postgresqls(require_postgres):
    """forum.fulltext against PostgreSQL's own German dictionary, word by word: stop words and stems."""
    text = " ".join([Path(demo.__file__).read_text(encoding="utf-8"), *(" ".join(t[:2]) for t in THREADS.values()),
                     *(query for query, _expected in CASES), "Kaemmerer aktuell beendet Fußgängerüberwege Ärztinnen"])
    words = sorted({word.lower() for word in fulltext.words(text)})
    assert len(words) > 300
    with connection.cursor() as cursor:
        cursor.execute("SELECT word, ts_lexize('german_stem', word) FROM unnest(%s::text[]) AS word", [words])
        postgres = dict(cursor.fetchall())
    assert {word: fulltext.lexemes(word) for word in words} == {word: postgres[word] for word in words}


def test_sqlite_migration_indexes_the_threads_that_exist(mentor, mentee):
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table is SQLite's; PostgreSQL keeps the vector in forum_thread (migration 0002)")
    thread = _thread(mentor, "Verschattung von Spielplätzen", "Sonnensegel über den Sandkästen")
    migration = importlib.import_module("forum.migrations.0003_sqlite_fulltext_index")
    # The migration's own functions on this connection (a schema editor cannot open inside the test's transaction).
    editor = SimpleNamespace(connection=connection,
                             execute=lambda sql, params=(): connection.cursor().execute(sql, params))
    migration.drop_fts_table(apps, editor)
    migration.create_fts_table(apps, editor)
    assert _titles(mentee, "Sandkasten") == {thread.title}
    assert _titles(mentee, "Spielplatz") == {thread.title}


def test_search_pages_rank_like_the_full_search_and_count_nothing(client, mentor, mentee):
    """A page is the full ranking's slice; it knows of a next page by one more row, not by a count."""
    for i in range(26):
        _thread(mentor, f"Starkregen Thema {i}", "Starkregen im Text" if i % 2 else "Text")
    ranked = [t.pk for t in full_search(user=mentee, text="Starkregen")]
    first = selectors.search_page(user=mentee, text="Starkregen", number=1)
    second = selectors.search_page(user=mentee, text="Starkregen", number="2")
    assert [t.pk for t in first.object_list] + [t.pk for t in second.object_list] == ranked
    assert (first.has_next, second.has_next, len(second.object_list)) == (True, False, 1)
    assert selectors.search_page(user=mentee, text="Starkregen", number="x").number == 1
    client.force_login(mentee)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("forum:search") + "?q=Starkregen").content.decode()
    assert "Treffer 1 bis 25, weitere auf der nächsten Seite" in page
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    assert "Treffer 26 bis 26" in client.get(reverse("forum:search") + "?q=Starkregen&seite=2").content.decode()
    # A page past the end shows the first: it read "0 Treffer, nichts gefunden" for a search with 26 hits.
    beyond = client.get(reverse("forum:search") + "?q=Starkregen&seite=99").content.decode()
    assert "Treffer 1 bis 25, weitere auf der nächsten Seite" in beyond and "Nichts gefunden" not in beyond


def test_a_wrong_filter_is_named_next_to_its_field(client, mentee):
    """The search page writes its fields itself: a wrong value still gets its German message beside the
    field, the field says it is invalid and names the message, and the other fields stay untouched."""
    client.force_login(mentee)
    response = client.get("/forum/suche/", {"q": "x" * 201, "thema": "gibt-es-nicht", "art": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_thema-fehler"' in page and "Dieses Thema gibt es nicht." in page
    assert 'aria-describedby="id_thema-fehler"' in page and 'aria-describedby="id_q-fehler"' in page
    assert page.count('aria-invalid="true"') == 2
    assert '<label for="id_art" class="form-label">Art</label><select name="art" class="form-select"' in page


def test_a_wrong_filter_on_a_category_page_is_named_next_to_its_field(client, mentee):
    """The category page's filter is the search form's: each message stands beside its field, and every
    field that says it is invalid points to a message that is there (no dangling aria-describedby)."""
    client.force_login(mentee)
    response = client.get(reverse("forum:category", args=["praxistipps"]), {"thema": "gibt-es-nicht", "art": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dieses Thema gibt es nicht." in page and "Diese Art gibt es nicht." in page
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert set(described) == {"id_thema-fehler", "id_art-fehler"}
    assert all(f'id="{target}"' in page for target in described)


def test_a_threads_opening_post_is_deleted_only_with_its_thread(client, mentor, mentee, staff_user):
    """Alone, single or in a bulk delete, it is refused with the way to do it: no thread is left answering nothing."""
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from django.contrib.messages import get_messages

    thread = _thread(mentor, "Hitzetelefon für Ältere", "Ein Telefon für heiße Tage")
    reply = services.post_create(author=mentee, thread=thread, body="Wir haben Ehrenamtliche geschult")
    opening = thread.posts.get(is_first=True)
    client.force_login(staff_user)
    single = client.post(reverse("admin:forum_post_delete", args=[opening.pk]), {"post": "yes"})
    assert single.status_code == 302 and single["Location"] == reverse("admin:forum_post_change", args=[opening.pk])
    assert "Eröffnungsbeitrag" in " ".join(str(m) for m in get_messages(single.wsgi_request))
    bulk = client.post(reverse("admin:forum_post_changelist"), {
        "action": "delete_selected", ACTION_CHECKBOX_NAME: [opening.pk, reply.pk], "post": "yes"})
    assert bulk.status_code == 302
    assert set(thread.posts.values_list("pk", flat=True)) == {opening.pk, reply.pk}
    # Answers alone still go, through Django's confirmation.
    confirm = client.post(reverse("admin:forum_post_changelist"), {
        "action": "delete_selected", ACTION_CHECKBOX_NAME: [reply.pk]})
    assert confirm.status_code == 200 and "Sind Sie sicher" in confirm.content.decode()
    client.post(reverse("admin:forum_post_changelist"), {
        "action": "delete_selected", ACTION_CHECKBOX_NAME: [reply.pk], "post": "yes"})
    assert list(thread.posts.values_list("pk", flat=True)) == [opening.pk]


@pytest.mark.parametrize("query", [{"q": ""}, {"q": "   "}, {"q": "", "thema": "", "art": ""}])
def test_a_search_without_anything_to_search_asks_for_a_term(client, mentee, query):
    client.force_login(mentee)
    response = client.get(reverse("forum:search"), query)
    page = response.content.decode()
    assert response.status_code == 200 and "Nichts gefunden" not in page
    assert "Bitte geben Sie einen Suchbegriff ein oder wählen Sie ein Thema oder eine Art." in page
