"""The error every forum service raises for an action the rules do not allow."""
from mentoring.kernel.errors import Refusal


class ForumActionError(Refusal):
    """An action the rules do not allow; the message is German and meant for the person."""
