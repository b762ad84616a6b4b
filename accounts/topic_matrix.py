"""Needs and competences: one row per topic with a value on a scale, written once for both."""
from dataclasses import dataclass

from django import forms
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import Level, Priority
from .models import Competence, Need


@dataclass(frozen=True)
class TopicMatrix:
    """Topic × scale: the form fields (``<prefix><topic slug>``) and the rows stored for a profile."""

    prefix: str
    model: type[models.Model]
    related_name: str
    value_field: str
    scale: type[models.IntegerChoices]
    empty_label: Promise

    def field_names(self, topics) -> list[str]:
        return [self.prefix + topic.slug for topic in topics]

    def add_fields(self, form: forms.BaseForm, topics) -> None:
        choices = [("", self.empty_label)] + self.scale.choices
        for topic in topics:
            form.fields[self.prefix + topic.slug] = forms.TypedChoiceField(
                label=topic.label, choices=choices, coerce=int, empty_value=None, required=False)

    def initial(self, profile, topics) -> dict[str, int]:
        slugs = {topic.pk: topic.slug for topic in topics}
        return {self.prefix + slugs[row.topic_id]: getattr(row, self.value_field)
                for row in getattr(profile, self.related_name).all()}

    def selected(self, cleaned_data: dict, topics) -> dict[int, int]:
        """topic id → value, for the topics the person chose."""
        return {topic.pk: cleaned_data[self.prefix + topic.slug] for topic in topics
                if cleaned_data.get(self.prefix + topic.slug)}

    def replace(self, profile, chosen: dict[int, int]) -> None:
        getattr(profile, self.related_name).all().delete()
        self.model.objects.bulk_create(
            [self.model(profile=profile, topic_id=topic_id, **{self.value_field: value})
             for topic_id, value in chosen.items()])


NEEDS = TopicMatrix(prefix="need_", model=Need, related_name="needs", value_field="priority", scale=Priority,
                    empty_label=_("kein Bedarf"))
COMPETENCES = TopicMatrix(prefix="comp_", model=Competence, related_name="competences", value_field="level",
                          scale=Level, empty_label=_("keine Erfahrung"))
