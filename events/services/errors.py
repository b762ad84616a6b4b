"""The error every events service raises for a registration or change the rules do not allow."""


class EventRegistrationError(Exception):
    """A registration or cancellation the rules do not allow; the message is for the person."""
