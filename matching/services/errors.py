"""The error every matching service raises for a decision it cannot carry out."""
from mentoring.kernel.errors import Refusal


class MatchingError(Refusal):
    """A decision that cannot be carried out; the message is German (for staff or the member).

    ``field`` names the form field the message belongs next to, if any.
    """
