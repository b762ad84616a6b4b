"""model_update: change the listed fields of a row, validated, and say whether anything changed."""
from django.db import models


def model_update(*, instance: models.Model, fields: list[str] | tuple[str, ...],
                 data: dict) -> tuple[models.Model, bool]:
    """Set each of ``fields`` that ``data`` holds, ``full_clean`` and save only the changed ones.

    Fields missing from ``data`` keep their value; keys of ``data`` outside ``fields`` are
    ignored, so a caller cannot write more than it names. A field with ``auto_now`` is saved
    along with a real change, so "last changed" stays true. Returns the instance and whether
    anything changed.
    """
    changed = []
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        value = data[name]
        if getattr(instance, field.attname if field.is_relation else name) != (
                value.pk if field.is_relation and isinstance(value, models.Model) else value):
            setattr(instance, name, value)
            changed.append(field.name)
    if not changed:
        return instance, False
    instance.full_clean()
    changed += [f.name for f in instance._meta.concrete_fields
                if getattr(f, "auto_now", False) and f.name not in changed]
    instance.save(update_fields=changed)
    return instance, True
