"""Search across titles and posts: German full-text on PostgreSQL, icontains on SQLite."""
import pytest
from django.urls import reverse

from accounts.tests.factories import topic
from forum import selectors, services
from forum.models import Category

pytestmark = pytest.mark.django_db


def _thread(author, title, body, kind="discussion", topics=()):
    return services.thread_create(author=author, category=Category.objects.get(slug="praxistipps"), title=title,
                                  kind=kind, topics=[topic(slug) for slug in topics], body=body)


def _titles(user, text, **filters):
    return {t.title for t in selectors.search_threads(user=user, text=text, **filters)}


def test_search_finds_words_in_title_and_posts_and_filters(mentor, mentee):
    a = _thread(mentor, "Hitzeaktionsplan für Kitas", "Trinkpausen und Schatten", kind="tip",
                topics=["hitzeaktionsplan"])
    b = _thread(mentor, "Ratsvorlage schreiben", "Ein Beispiel aus dem Haushalt", kind="question",
                topics=["politik"])
    services.post_create(author=mentee, thread=b, body="Wir haben die Vorlage mit dem Kämmerer abgestimmt")
    assert _titles(mentee, "Hitzeaktionsplan") == {a.title}
    assert _titles(mentee, "Kämmerer") == {b.title}
    assert _titles(mentee, "Vorlage Kämmerer") == {b.title}
    assert _titles(mentee, "Schatten", kind="question") == set()
    assert _titles(mentee, "", topic=topic("politik")) == {b.title}
    assert _titles(mentee, "") == set()


def test_search_ignores_hidden_posts_and_invisible_categories(mentor, mentee, staff_user):
    thread = _thread(mentor, "Eine harmlose Frage", "Nichts Besonderes")
    post = services.post_create(author=mentor, thread=thread, body="Geheimwort Zitronenfalter")
    services.post_hide(post=post, by=staff_user)
    assert _titles(mentee, "Zitronenfalter") == set()
    services.thread_create(author=staff_user, category=Category.objects.get(slug="methoden-hilfsmittel"),
                           title="Leitfaden Erstgespräch", kind="discussion", topics=[], body="Nur für Mentor*innen")
    assert _titles(mentee, "Erstgespräch") == set()
    assert _titles(mentor, "Erstgespräch") == {"Leitfaden Erstgespräch"}


def test_search_page_with_tsquery_syntax_does_not_fail(client, mentee):
    client.force_login(mentee)
    for text in ["a & b | !c", "'::*", "(((", "\\", "ä" * 300]:
        response = client.get(reverse("forum:search"), {"q": text})
        assert response.status_code == 200
    response = client.get(reverse("forum:search"), {"q": "x", "thema": "gibt-es-nicht"})
    assert "Dieses Thema gibt es nicht." in response.content.decode()


@pytest.mark.postgres
def test_german_stemming_and_word_beginnings_on_postgres(require_postgres, mentor, mentee):
    foerderung = _thread(mentor, "Tipps zur Förderung", "Wie wir den Antrag geschrieben haben")
    vorsorge = _thread(mentor, "Kommunale Vorsorge", "Unsere Starkregenvorsorge mit Hinweiskarte")
    _thread(mentor, "Etwas ganz anderes", "Hitzeschutz in Pflegeheimen")
    assert _titles(mentee, "Förderungen") == {foerderung.title}
    assert _titles(mentee, "Starkregen") == {vorsorge.title}
    assert _titles(mentee, "starkregen hinweiskarten") == {vorsorge.title}
    assert _titles(mentee, "Pflegeheim") == {"Etwas ganz anderes"}
    post = services.post_create(author=mentee, thread=foerderung, body="Die Antragsfristen beachten")
    assert _titles(mentee, "Antragsfrist") == {foerderung.title}
    services.post_edit(post=post, editor=mentee, body="Gelöscht")
    assert _titles(mentee, "Antragsfrist") == set()


@pytest.mark.postgres
def test_search_uses_the_gin_index(require_postgres):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'forum_thread_search_gin'")
        assert "gin (search_vector)" in cursor.fetchone()[0]


def test_search_pagination_links_keep_the_query_once(client, mentor, mentee):
    for i in range(26):
        _thread(mentor, f"Starkregen Thema {i}", "Text")
    client.force_login(mentee)
    page = client.get(reverse("forum:search") + "?q=Starkregen&seite=2").content.decode()
    assert 'href="?q=Starkregen&amp;seite=1"' in page
    assert "seite=2&amp;seite" not in page


@pytest.mark.postgres
def test_a_title_changed_in_the_admin_is_found_by_search(require_postgres, client, mentor, mentee, staff_user):
    thread = _thread(mentor, "Erster Entwurf", "Ein Text ohne das neue Wort")
    client.force_login(staff_user)
    response = client.post(reverse("admin:forum_thread_change", args=[thread.pk]), {
        "category": thread.category_id, "title": "Gründachförderung beantragen", "kind": thread.kind})
    assert response.status_code == 302
    assert _titles(mentee, "Gründachförderung") == {"Gründachförderung beantragen"}
    assert _titles(mentee, "Entwurf") == set()
