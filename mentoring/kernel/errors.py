"""The one shape of a service's refusal: every app's error for a step its rules do not allow is a ``Refusal``.

The message is for the person who asked (German, or their language when they read English); ``field``
names the form field it belongs next to, if any. A service that checks several values at once refuses with
all it found (``errors``, field to message), so the person corrects everything in one round
(``kernel.forms.add_service_error`` puts each next to its field). Views catch their app's subclass; admin
pages catch any ``Refusal`` (``kernel.admin_refusals``), so a refusal that only the service's row locks can
see (a parallel change) never answers 500 there.
"""


class Refusal(Exception):
    def __init__(self, message, *, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.field = field
        self.errors = errors if errors else {field: message}

    @classmethod
    def raise_any(cls, errors: dict) -> None:
        """Refuse with every ``{field: message}`` found (the first one is the message), or pass when none."""
        if errors:
            field, message = next(iter(errors.items()))
            raise cls(message, field=field, errors=errors)
