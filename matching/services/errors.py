"""The error every matching service raises for a decision it cannot carry out."""


class MatchingError(Exception):
    """A decision that cannot be carried out; the message is German (for staff or the member).

    ``field`` names the form field the message belongs next to, if any.
    """

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field
