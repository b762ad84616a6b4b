"""The error every forum service raises for an action the rules do not allow."""


class ForumActionError(Exception):
    """An action the rules do not allow; the message is German and meant for the person."""
