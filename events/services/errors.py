"""The error every events service raises for a registration or change the rules do not allow."""
from mentoring.kernel.errors import Refusal


class EventRegistrationError(Refusal):
    """A registration or cancellation the rules do not allow; the message is for the person."""
