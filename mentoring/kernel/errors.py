"""The one shape of a service's refusal: every app's error for a step its rules do not allow is a ``Refusal``.

The message is for the person who asked (German, or their language when they read English); ``field``
names the form field it belongs next to, if any (``kernel.forms.add_service_error`` puts it there). Views
catch their app's subclass; admin pages catch any ``Refusal`` (``kernel.admin_refusals``), so a refusal
that only the service's row locks can see (a parallel change) never answers 500 there.
"""


class Refusal(Exception):
    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field
