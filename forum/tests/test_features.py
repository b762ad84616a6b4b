"""Unread markers, accepted answers, hilfreich, featured tips, moderation, DSGVO export."""
import pytest
from django.urls import reverse

from accounts.tests.factories import participant, topic
from forum import selectors, services
from forum.models import Category, Report, Thread
from mentoring.kernel.models import OutboxMessage

from .factories import ThreadFactory

pytestmark = pytest.mark.django_db


def _unread_titles(user):
    """The threads whose rows say "neu", as the list pages mark them."""
    return {t.title for t in selectors.list_rows(selectors.threads_for_rows(user), user) if t.is_unread}


def test_unread_markers_follow_reading_and_new_posts(client, mentee, mentor, staff_user):
    thread = ThreadFactory(author=staff_user, title="Erstes Treffen des Steuerungskreises")
    assert _unread_titles(mentee) == {thread.title}
    client.force_login(mentee)
    category_page = client.get(reverse("forum:category", args=["fragen-antworten"])).content.decode()
    assert "ungelesene Beiträge" in category_page
    client.get(reverse("forum:thread", args=[thread.pk]))
    assert _unread_titles(mentee) == set()
    assert "ungelesene Beiträge" not in client.get(reverse("forum:index")).content.decode()
    services.post_create(author=mentor, thread=thread, body="Neu!")
    assert _unread_titles(mentee) == {thread.title}
    assert _unread_titles(mentor) == set()  # one's own post is not news
    index = client.get(reverse("forum:index")).content.decode()
    assert "1 mit neuen Beiträgen" in index


def test_mark_all_read_per_category_and_everywhere(client, mentee, staff_user):
    ThreadFactory(author=staff_user, title="In Fragen und Antworten")
    ThreadFactory(author=staff_user, title="In Praxistipps", category=Category.objects.get(slug="praxistipps"))
    client.force_login(mentee)
    client.post(reverse("forum:mark_all_read"), {"kategorie": "praxistipps"})
    assert _unread_titles(mentee) == {"In Fragen und Antworten"}
    assert client.post(reverse("forum:mark_all_read"), {"kategorie": "methoden-hilfsmittel"}).status_code == 404
    client.post(reverse("forum:mark_all_read"))
    assert _unread_titles(mentee) == set()


def test_asker_accepts_an_answer_others_cannot(client, mentee, mentor):
    question = services.thread_create(author=mentee, category=Category.objects.get(slug="fragen-antworten"),
                                      title="Welche Klimadaten nutzen Sie?", kind="question", topics=[], body="?")
    answer = services.post_create(author=mentor, thread=question, body="DWD-Klimaatlas")
    other = participant()
    with pytest.raises(services.ForumActionError):
        services.thread_accept_answer(thread=question, post=answer, by=other)
    client.force_login(mentee)
    client.post(reverse("forum:post_accept", args=[answer.pk]))
    question.refresh_from_db()
    assert question.accepted_post == answer
    page = client.get(reverse("forum:thread", args=[question.pk])).content.decode()
    assert "Lösung – hat die Frage beantwortet" in page
    assert "gelöst" in client.get(reverse("forum:category", args=["fragen-antworten"])).content.decode()
    client.post(reverse("forum:post_accept", args=[answer.pk]), {"aktion": "zuruecknehmen"})
    question.refresh_from_db()
    assert question.accepted_post is None


def test_only_questions_have_solutions(mentor, staff_user):
    discussion = ThreadFactory(author=mentor, kind="discussion")
    reply = services.post_create(author=staff_user, thread=discussion, body="x")
    with pytest.raises(services.ForumActionError):
        services.thread_accept_answer(thread=discussion, post=reply, by=staff_user)


def test_staff_may_accept_for_the_asker(mentee, mentor, staff_user):
    question = ThreadFactory(author=mentee, kind="question")
    answer = services.post_create(author=mentor, thread=question, body="So")
    services.thread_accept_answer(thread=question, post=answer, by=staff_user)
    assert Thread.objects.get(pk=question.pk).accepted_post == answer


def test_helpful_marks_toggle_and_count_not_own(client, mentee, mentor):
    thread = ThreadFactory(author=mentor)
    post = thread.posts.get()
    client.force_login(mentee)
    client.post(reverse("forum:post_helpful", args=[post.pk]))
    post.refresh_from_db()
    assert post.helpful_count == 1
    page = client.get(reverse("forum:thread", args=[thread.pk])).content.decode()
    assert "1× hilfreich" in page
    # A toggle button: the same name pressed or not, the state in aria-pressed; the tick is for the eye only.
    assert ('aria-pressed="true">Hilfreich <span aria-hidden="true">✓ (zurücknehmen)</span></button>'
            in " ".join(page.split()))
    client.post(reverse("forum:post_helpful", args=[post.pk]))
    assert 'aria-pressed="false">Hilfreich</button>' in client.get(
        reverse("forum:thread", args=[thread.pk])).content.decode()
    post.refresh_from_db()
    assert post.helpful_count == 0
    with pytest.raises(services.ForumActionError):
        services.helpful_toggle(post=post, user=mentor)


def test_featured_tips_appear_on_front_page(client, mentee, mentor, staff_user):
    tip = ThreadFactory(author=mentor, kind="tip", category=Category.objects.get(slug="praxistipps"),
                        title="Trinkwasserbrunnen mit dem Wasserversorger")
    discussion = ThreadFactory(author=mentor, kind="discussion")
    with pytest.raises(services.ForumActionError):
        services.thread_set_flags(thread=tip, by=mentor, is_featured=True)
    with pytest.raises(services.ForumActionError):
        services.thread_set_flags(thread=discussion, by=staff_user, is_featured=True)
    client.force_login(staff_user)
    client.post(reverse("forum:thread_moderate", args=[tip.pk]), {"aktion": "hervorheben"})
    client.force_login(mentee)
    index = client.get(reverse("forum:index")).content.decode()
    featured = index[index.index("Empfohlene Praxistipps"):index.index('id="kategorien"')]
    assert tip.title in featured and discussion.title not in featured


def test_front_page_shows_threads_on_own_needs(client, mentee, mentor):
    on_need = ThreadFactory(author=mentor, title="Doppelhaushalt und Klimaanpassung")
    on_need.topics.add(topic("haushalt"))  # the mentee fixture needs "haushalt"
    other = ThreadFactory(author=mentor, title="Pressearbeit im Sommer")
    other.topics.add(topic("oeffentlichkeit"))
    client.force_login(mentee)
    index = client.get(reverse("forum:index")).content.decode()
    section = index[index.index("Passend zu Ihren Themen"):index.index('id="neueste"')]
    assert on_need.title in section and other.title not in section


def test_moderation_lock_pin_move_hide_restore(client, mentee, mentor, staff_user):
    thread = ThreadFactory(author=mentor)
    reply = services.post_create(author=mentee, thread=thread, body="Unpassender Inhalt")
    client.force_login(staff_user)
    url = reverse("forum:thread_moderate", args=[thread.pk])
    client.post(url, {"aktion": "sperren"})
    client.post(url, {"aktion": "anheften"})
    target = Category.objects.get(slug="veranstaltungen-austausch")
    client.post(url, {"aktion": "verschieben", "category": target.pk})
    thread.refresh_from_db()
    assert thread.is_locked and thread.is_pinned and thread.category == target
    client.post(reverse("forum:post_moderate", args=[reply.pk]), {"aktion": "ausblenden"})
    reply.refresh_from_db()
    thread.refresh_from_db()
    assert reply.is_hidden and reply.hidden_by == staff_user and thread.post_count == 1
    client.force_login(mentor)
    assert "Unpassender Inhalt" not in client.get(reverse("forum:thread", args=[thread.pk])).content.decode()
    client.force_login(staff_user)
    client.post(reverse("forum:post_moderate", args=[reply.pk]), {"aktion": "einblenden"})
    reply.refresh_from_db()
    thread.refresh_from_db()
    assert not reply.is_hidden and thread.post_count == 2


def test_hiding_the_first_post_hides_the_thread(client, mentee, mentor, staff_user):
    thread = ThreadFactory(author=mentor)
    services.post_hide(post=thread.posts.get(), by=staff_user)
    client.force_login(mentee)
    assert client.get(reverse("forum:thread", args=[thread.pk])).status_code == 404
    assert thread.title not in client.get(reverse("forum:index")).content.decode()
    client.force_login(staff_user)
    assert client.get(reverse("forum:thread", args=[thread.pk])).status_code == 200


def test_report_reaches_admin_and_hide_action_resolves_it(client, mentee, mentor, staff_user):
    from accounts.tests.factories import staff_member

    moderator = staff_member("Moderation", email="moderation@example.org")
    staff_member("Koordination", email="koordination@example.org")
    thread = ThreadFactory(author=mentor)
    post = thread.posts.get()
    client.force_login(mentee)
    response = client.post(reverse("forum:post_report", args=[post.pk]), {"reason": "  "})
    assert "Bitte nennen Sie einen Grund" in response.content.decode()
    client.post(reverse("forum:post_report", args=[post.pk]), {"reason": "Werbung für eine Firma"})
    report = Report.objects.get()
    assert report.reporter == mentee and report.resolved_at is None
    client.force_login(staff_user)
    mails = OutboxMessage.objects.filter(key__startswith=f"forum-report:{report.pk}:")
    assert [mail.to for mail in mails] == [moderator.email], "the Moderation group is told, nobody else"
    [mail] = mails
    assert "Werbung für eine Firma" in mail.body_text and f"/admin/forum/report/{report.pk}/change/" in mail.body_text
    assert mentee.email not in mail.body_text and mentee.last_name not in mail.body_text
    # Reporting the same post again while the report is open: said next to the form, nobody mailed again.
    client.force_login(mentee)
    again = client.post(reverse("forum:post_report", args=[post.pk]), {"reason": "Immer noch Werbung"})
    assert again.status_code == 200 and "bereits gemeldet" in again.content.decode()
    assert Report.objects.count() == 1 and mails.count() == 1
    client.force_login(staff_user)
    changelist = client.get(reverse("admin:forum_report_changelist"))
    assert "Werbung für eine Firma" in changelist.content.decode()
    client.post(reverse("admin:forum_report_changelist"),
                {"action": "hide_post", "_selected_action": [report.pk]})
    report.refresh_from_db()
    post.refresh_from_db()
    assert post.is_hidden and report.resolved_by == staff_user


def test_admin_thread_actions_use_services(client, mentor, staff_user):
    tip = ThreadFactory(author=mentor, kind="tip")
    discussion = ThreadFactory(author=mentor)
    client.force_login(staff_user)
    client.post(reverse("admin:forum_thread_changelist"),
                {"action": "feature", "_selected_action": [tip.pk, discussion.pk]})
    assert Thread.objects.get(pk=tip.pk).is_featured and not Thread.objects.get(pk=discussion.pk).is_featured
    client.post(reverse("admin:forum_thread_changelist"), {"action": "lock", "_selected_action": [tip.pk]})
    assert Thread.objects.get(pk=tip.pk).is_locked


def test_personal_data_lists_what_the_forum_stores(mentee, mentor):
    thread = services.thread_create(author=mentee, category=Category.objects.get(slug="fragen-antworten"),
                                    title="Meine Frage", kind="question", topics=[], body="Mein Text")
    services.helpful_toggle(post=services.post_create(author=mentor, thread=thread, body="x"), user=mentee)
    data = services.personal_data(user=mentee)
    assert data["themen"][0]["titel"] == "Meine Frage"
    assert data["beitraege"][0]["text"] == "Mein Text"
    assert [mark["thema"] for mark in data["hilfreich_markiert"]] == ["Meine Frage"]
    assert [subscription["thema"] for subscription in data["abonnierte_themen"]] == ["Meine Frage"]


def test_deleting_an_account_keeps_the_answers_of_others(mentee, mentor):
    from accounts.services import user_delete

    thread = ThreadFactory(author=mentee)
    services.post_create(author=mentor, thread=thread, body="Antwort bleibt")
    user_delete(user=mentee)
    thread.refresh_from_db()
    assert thread.author is None and thread.posts.filter(body="Antwort bleibt").exists()
    assert services.author_label(None) == "ehemalige*r Teilnehmer*in"


def test_staff_of_every_group_write_as_the_programme_team():
    from accounts.staff_groups import MODERATION
    from accounts.tests.factories import staff_member

    moderator = staff_member(MODERATION, email="mod@example.org", first_name="Mara", last_name="Moos")
    assert services.author_label(moderator) == "Mara Moos (Programmteam)"


def test_admin_pages_open_for_staff(client, mentor, mentee, staff_user):
    thread = ThreadFactory(author=mentor)
    post = services.post_create(author=mentee, thread=thread, body="Antwort")
    report = services.report_create(post=post, reporter=mentor, reason="Bitte prüfen")
    client.force_login(staff_user)
    for name, args in [("forum_category_changelist", []), ("forum_thread_changelist", []),
                       ("forum_post_changelist", []), ("forum_report_changelist", []),
                       ("forum_category_change", [thread.category_id]), ("forum_thread_change", [thread.pk]),
                       ("forum_post_change", [post.pk]), ("forum_report_change", [report.pk])]:
        assert client.get(reverse(f"admin:{name}", args=args)).status_code == 200, name


def test_admin_move_goes_through_the_service(client, mentor, staff_user):
    thread = ThreadFactory(author=mentor)
    target = Category.objects.get(slug="praxistipps")
    client.force_login(staff_user)
    response = client.post(reverse("admin:forum_thread_change", args=[thread.pk]), {
        "category": target.pk, "title": thread.title, "kind": thread.kind})
    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).category == target


def test_accept_button_only_on_visible_replies_for_the_asker(client, mentee, mentor, staff_user):
    question = services.thread_create(author=mentee, category=Category.objects.get(slug="fragen-antworten"),
                                      title="Wer kennt den Klimaatlas?", kind="question", topics=[], body="?")
    answer = services.post_create(author=mentor, thread=question, body="Ich")
    hidden = services.post_create(author=mentor, thread=question, body="Werbung")
    services.post_hide(post=hidden, by=staff_user)
    client.force_login(mentee)
    page = client.get(reverse("forum:thread", args=[question.pk])).content.decode()
    assert reverse("forum:post_accept", args=[answer.pk]) in page
    assert reverse("forum:post_accept", args=[question.posts.get(is_first=True).pk]) not in page
    client.force_login(staff_user)
    page = client.get(reverse("forum:thread", args=[question.pk])).content.decode()
    assert reverse("forum:post_accept", args=[hidden.pk]) not in page
    assert reverse("forum:post_accept", args=[answer.pk]) in page
    client.force_login(mentor)
    page = client.get(reverse("forum:thread", args=[question.pk])).content.decode()
    assert reverse("forum:post_accept", args=[answer.pk]) not in page


def test_a_long_category_links_the_ends_and_the_pages_around_the_current_one(client, mentee, monkeypatch):
    """Twelve pages: page 6 links 1, 4 to 8 and 12, with "…" for the gaps; the current page is marked."""
    monkeypatch.setattr("forum.views.THREADS_PER_PAGE", 2)
    category = Category.objects.get(slug="praxistipps")
    ThreadFactory.create_batch(24, category=category)
    client.force_login(mentee)
    page = client.get(reverse("forum:category", args=[category.slug]) + "?seite=6").content.decode()
    nav = page.split('<ul class="pagination', 1)[1].split("</ul>", 1)[0]
    linked = [int(part.split('"', 1)[0]) for part in nav.split('seite=')[1:]]
    assert linked == [5, 1, 4, 5, 7, 8, 12, 7]  # previous, the numbers, next
    assert nav.count("…") == 2
    assert '<span class="page-link" aria-current="page">6</span>' in nav


def test_moderation_actions_count_what_they_changed_and_say_when_nothing_was_to_do(client, mentee, mentor):
    """"Sperren" on a locked thread said "1 Themen geändert."; hiding a hidden post or resolving a resolved report
    said it was done; hiding an opening post did not say its whole thread went with it."""
    from django.contrib.messages import get_messages

    from accounts.tests.factories import staff_member

    moderator = staff_member("Moderation")
    client.force_login(moderator)
    thread = ThreadFactory(author=mentor)
    reply = services.post_create(author=mentee, thread=thread, body="Eine Antwort")
    opening = thread.posts.get(is_first=True)

    def act(model, action, pks):
        response = client.post(reverse(f"admin:forum_{model}_changelist"),
                               {"action": action, "_selected_action": [str(pk) for pk in pks]}, follow=True)
        return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]

    assert act("thread", "lock", [thread.pk]) == [("info", "1 Thema geändert.")]
    assert act("thread", "lock", [thread.pk]) == [("warning", "Die gewählten Themen waren schon so; nichts geändert.")]
    assert act("post", "hide", [reply.pk]) == [("info", "1 Beitrag ausgeblendet.")]
    assert act("post", "hide", [reply.pk]) == [("warning", "Die gewählten Beiträge waren schon ausgeblendet.")]
    assert act("post", "hide", [opening.pk]) == [
        ("info", "1 Beitrag ausgeblendet."),
        ("warning", "Darunter ein Eröffnungsbeitrag: Sein ganzes Thema ist mit allen Antworten ausgeblendet.")]
    assert act("post", "restore", [opening.pk, reply.pk]) == [("info", "2 Beiträge wieder eingeblendet.")]
    report = services.report_create(post=reply, reporter=participant(), reason="Werbung")
    assert act("report", "resolve", [report.pk]) == [("info", "1 Meldung erledigt.")]
    # Hiding a reported post resolves every open report on it, other people's too: all are counted.
    first = services.report_create(post=reply, reporter=participant(), reason="Werbung")
    services.report_create(post=reply, reporter=participant(), reason="Spam")
    assert act("report", "hide_post", [first.pk]) == [("info", "1 Beitrag ausgeblendet. 2 Meldungen erledigt.")]
    assert act("report", "resolve", [report.pk]) == [("warning", "Die gewählten Meldungen waren schon erledigt.")]


def test_an_answer_hidden_after_the_asker_s_page_was_read_is_never_accepted():
    """The asker's page still shows the answer (its copy is stale) when a moderator hides it: the accept is asked
    again under the post's lock, which hiding takes too."""
    from accounts.tests.factories import staff_member

    asker, answerer = participant(), participant()
    question = services.thread_create(author=asker, category=Category.objects.get(slug="fragen-antworten"),
                                      title="Welche Klimadaten nutzen Sie?", kind="question", topics=[], body="?")
    answer = services.post_create(author=answerer, thread=question, body="Werbung für ein Produkt")
    services.posts_hide(post_pks=[answer.pk], by=staff_member("Moderation"))
    with pytest.raises(services.ForumActionError):
        services.thread_accept_answer(thread=question, post=answer, by=asker)
    assert Thread.objects.get(pk=question.pk).accepted_post_id is None
