"""What a letter action refuses, with a German message for staff."""


class LetterError(Exception):
    """A letter cannot be sent as asked; the message says why, in German."""
