"""What a letter action refuses, with a German message for staff."""
from mentoring.kernel.errors import Refusal


class LetterError(Refusal):
    """A letter cannot be sent as asked; the message says why, in German."""
