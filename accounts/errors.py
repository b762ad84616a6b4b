"""The error the registration workflow raises for a step it cannot carry out."""


class TransitionError(Exception):
    """A status change or a change of the Kennenlerngespräch the workflow does not allow.

    The message is German; ``field`` names the form field it belongs next to, if any.
    """

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field
