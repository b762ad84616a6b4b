"""Each role sees and stores only its own questions: mentees their needs, Mentor*innen their places."""
import re

import pytest

from accounts.models import Profile, Registration, User
from accounts.tests.factories import participant

from .test_profile import edit_data
from .test_registration import form_data

EDIT = "/profil/bearbeiten/"


def fieldset_tag(html: str, css_id: str) -> str:
    """The opening tag of the form's fieldset with this id."""
    match = re.search(rf'<fieldset\b[^>]*\bid="{css_id}"[^>]*>', html)
    assert match, f"no fieldset #{css_id}"
    return match.group(0)


def shown(tag: str) -> bool:
    return not re.search(r"\shidden\b", tag) and not re.search(r"\sdisabled\b", tag)


@pytest.mark.django_db
def test_mentee_edit_form_hides_the_mentor_places(client, mentee):
    client.force_login(mentee)
    html = client.get(EDIT).content.decode()
    assert shown(fieldset_tag(html, "bedarfe"))
    mentor_tag = fieldset_tag(html, "mentor")
    assert not shown(mentor_tag) and 'data-roles="mentor both"' in mentor_tag


@pytest.mark.django_db
def test_mentor_edit_form_hides_the_needs(client, mentor):
    client.force_login(mentor)
    html = client.get(EDIT).content.decode()
    needs_tag = fieldset_tag(html, "bedarfe")
    assert not shown(needs_tag) and 'data-roles="mentee both"' in needs_tag
    assert shown(fieldset_tag(html, "mentor"))


@pytest.mark.django_db
def test_both_roles_see_both_sections(client):
    person = participant(role="both", mentor_capacity=1, mentor_available=True, needs=["haushalt"],
                         competences=["politik"])
    client.force_login(person)
    html = client.get(EDIT).content.decode()
    assert shown(fieldset_tag(html, "bedarfe")) and shown(fieldset_tag(html, "mentor"))


@pytest.mark.django_db
def test_empty_registration_form_leaves_the_choice_to_the_role(client):
    """Before a role is chosen the server shows both (the script hides them until a choice)."""
    html = client.get("/anmeldung/").content.decode()
    assert shown(fieldset_tag(html, "bedarfe")) and shown(fieldset_tag(html, "mentor"))
    assert "Das Formular fragt nur, was Ihre Rolle betrifft" in html


@pytest.mark.django_db
def test_a_mentee_posting_mentor_places_stores_none(client, mentee):
    client.force_login(mentee)
    response = client.post(EDIT, edit_data(mentee, mentor_capacity="50", mentor_available="on"))
    assert response.status_code == 302, response.context["form"].errors
    mentee.profile.refresh_from_db()
    assert mentee.profile.mentor_capacity == 0 and mentee.profile.mentor_available is False


@pytest.mark.django_db
def test_a_mentor_posting_needs_stores_none(client, mentor):
    client.force_login(mentor)
    response = client.post(EDIT, edit_data(mentor, comp_haushalt="3", mentor_capacity="2", mentor_available="on",
                                           need_hitzeaktionsplan="3", need_politik="9", needs_text="Geheim"))
    assert response.status_code == 302, response.context["form"].errors
    mentor.profile.refresh_from_db()
    assert mentor.profile.needs.count() == 0 and mentor.profile.needs_text == ""
    assert mentor.profile.mentor_capacity == 2 and mentor.profile.mentor_available


@pytest.mark.django_db
def test_changing_role_drops_the_old_roles_answers(client, mentee, mentor):
    # Until the approval the person changes their role themselves (after it, the Koordination does).
    Registration.objects.filter(user__in=[mentee, mentor]).update(status=Registration.Status.INTRO_DONE)
    client.force_login(mentee)
    client.post(EDIT, edit_data(mentee, role="mentor", comp_haushalt="3", mentor_capacity="3",
                                mentor_available="on"))
    mentee.profile.refresh_from_db()
    assert mentee.profile.role == "mentor" and mentee.profile.needs.count() == 0
    assert mentee.profile.needs_text == "" and mentee.profile.mentor_capacity == 3

    client.force_login(mentor)
    client.post(EDIT, edit_data(mentor, role="mentee", mentor_capacity="2", mentor_available="on"))
    mentor.profile.refresh_from_db()
    assert mentor.profile.role == "mentee" and mentor.profile.mentor_capacity == 0
    assert not mentor.profile.mentor_available
    assert [n.topic.slug for n in mentor.profile.needs.all()] == ["hitzeaktionsplan"]


@pytest.mark.django_db
def test_registration_as_mentee_ignores_mentor_places(client):
    response = client.post("/anmeldung/", form_data(mentor_capacity="4", mentor_available="on"))
    assert response.status_code == 302
    profile = Profile.objects.get(user__email="anna.becker@kassel.de")
    assert profile.mentor_capacity == 0 and profile.mentor_available is False
    assert profile.needs.count() == 2


@pytest.mark.django_db
def test_registration_as_mentor_ignores_needs(client):
    response = client.post("/anmeldung/", form_data(role="mentor", comp_haushalt="3", mentor_capacity="2",
                                                    mentor_available="on", need_haushalt="7"))
    assert response.status_code == 302, response.context["form"].errors
    profile = User.objects.get(email="anna.becker@kassel.de").profile
    assert profile.needs.count() == 0 and profile.needs_text == ""
    assert profile.mentor_capacity == 2


@pytest.mark.django_db
def test_registration_error_of_a_mentor_shows_the_mentor_places(client):
    response = client.post("/anmeldung/", form_data(role="mentor", comp_haushalt="3", mentor_capacity=""))
    html = response.content.decode()
    assert "wie viele Mentees" in html
    assert shown(fieldset_tag(html, "mentor")) and not shown(fieldset_tag(html, "bedarfe"))


@pytest.mark.django_db
def test_profile_page_shows_each_role_its_own_answers(client, mentee, mentor):
    client.force_login(mentee)
    html = client.get("/profil/").content.decode()
    assert "Unterstützungsbedarfe" in html and "Kommunale Haushaltsplanung" in html
    assert "Als Mentor*in" not in html and "höchstens" not in html

    client.force_login(mentor)
    html = client.get("/profil/").content.decode()
    assert "Als Mentor*in" in html and "höchstens 2 Mentees" in html
    assert "Unterstützungsbedarfe" not in html


def admin_form(html: str) -> dict:
    """What the admin change form would post as it stands: every field's current value."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.select, self.textarea = {}, None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
                if a.get("type") in ("checkbox", "radio"):
                    if "checked" in a:
                        self.data.setdefault(name, []).append(a.get("value", "on"))
                else:
                    self.data[name] = [a.get("value", "")]
            elif tag == "select" and name:
                self.select = name
                self.data.setdefault(name, [])
            elif tag == "option" and self.select and "selected" in a:
                self.data[self.select].append(a.get("value", ""))
            elif tag == "textarea" and name:
                self.textarea = name
                self.data[name] = [""]

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea][0] += data.lstrip("\n") if not self.data[self.textarea][0] else data

    form = Form()
    form.feed(html)
    form.data.pop("csrfmiddlewaretoken", None)
    return form.data


@pytest.mark.django_db
@pytest.mark.parametrize("to_role", ["mentor", "mentee"])
def test_a_role_changed_in_admin_keeps_only_the_new_roles_answers(client, staff_user, mentee, mentor, to_role):
    """Koordination changes the role in admin: the other role's answers go, as on /profil/bearbeiten/."""
    from accounts.models import Need, Topic
    person = mentee if to_role == "mentor" else mentor
    profile = person.profile
    Profile.objects.filter(pk=profile.pk).update(needs_text="Hilfe beim Hitzeaktionsplan")
    Need.objects.get_or_create(profile=profile, topic=Topic.objects.first(), defaults={"priority": 2})
    client.force_login(staff_user)
    url = f"/admin/accounts/profile/{profile.pk}/change/"
    data = admin_form(client.get(url).content.decode())
    data["role"] = [to_role]
    if to_role == "mentor":
        data["mentor_capacity"], data["mentor_available"] = ["2"], ["on"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    profile.refresh_from_db()
    assert profile.role == to_role
    if to_role == "mentor":
        assert profile.needs_text == "" and not profile.needs.exists()
        assert (profile.mentor_capacity, profile.mentor_available) == (2, True)
    else:
        assert (profile.mentor_capacity, profile.mentor_available) == (0, False)
        assert profile.needs_text == "Hilfe beim Hitzeaktionsplan"


@pytest.mark.django_db
def test_staff_cannot_move_a_profile_to_another_account(client, staff_user, mentee):
    """The profile's person is shown, not editable: a forged post naming another account changes nothing."""
    profile = mentee.profile
    client.force_login(staff_user)
    url = f"/admin/accounts/profile/{profile.pk}/change/"
    data = admin_form(client.get(url).content.decode())
    assert "user" not in data
    data["user"] = [str(staff_user.pk)]
    assert client.post(url, data).status_code == 302
    profile.refresh_from_db()
    assert profile.user_id == mentee.pk
