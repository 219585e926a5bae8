"""Errors that reach the user as a clear message instead of a traceback."""


class UserError(Exception):
    """Bad input or a state the user can fix; the message is Dutch and says what to do."""
