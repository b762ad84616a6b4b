"""factory-boy factories for the forum, building on the people factories."""
import factory
from django.utils import timezone

from accounts.tests.factories import StaffFactory
from forum.models import Category, Post, Thread
from mentoring.kernel.markdown import render_markdown_stored


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Testkategorie {n}")
    slug = factory.Sequence(lambda n: f"testkategorie-{n}")
    description = "Eine Kategorie für Tests."


class ThreadFactory(factory.django.DjangoModelFactory):
    """A thread with its first post, counted as a visible post."""

    class Meta:
        model = Thread
        skip_postgeneration_save = True

    category = factory.LazyFunction(lambda: Category.objects.get(slug="fragen-antworten"))
    title = factory.Sequence(lambda n: f"Wie gehen Sie mit Thema {n} um?")
    kind = Thread.Kind.DISCUSSION
    author = factory.SubFactory(StaffFactory)
    last_post_at = factory.LazyFunction(timezone.now)
    post_count = 1

    @factory.post_generation
    def first_post(self, create, extracted, **kwargs):
        if create:
            Post.objects.create(thread=self, author=self.author, is_first=True,
                                body=extracted or "Der Eröffnungsbeitrag mit **Markdown**.")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(StaffFactory)
    body = factory.Sequence(lambda n: f"Antwort Nummer {n} mit einem Hinweis.")
    body_html = factory.LazyAttribute(lambda post: render_markdown_stored(post.body))
    notified_at = factory.LazyFunction(timezone.now)
