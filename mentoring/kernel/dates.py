"""Named date formats of the active language, Django's and the project's own (mentoring/formats/)."""
from django.utils import formats, translation


def named_format(name: str) -> str:
    """The format string called ``<name>_FORMAT`` in the active language (``"WEEKDAY_DATETIME"``)."""
    setting = f"{name}_FORMAT"
    if setting in formats.FORMAT_SETTINGS:
        return formats.get_format(setting)
    for module in formats.get_format_modules(lang=translation.get_language()):
        if hasattr(module, setting):
            return getattr(module, setting)
    raise ValueError(f"no date format {setting} for {translation.get_language()}")
