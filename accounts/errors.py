"""The error the registration workflow raises for a step it cannot carry out."""
from mentoring.kernel.errors import Refusal


class TransitionError(Refusal):
    """A status change or a change of the Kennenlerngespräch the workflow does not allow.

    The message is German; ``field`` names the form field it belongs next to, if any.
    """
