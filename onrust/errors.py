"""Errors that reach the user as a clear message instead of a traceback."""


class UserError(Exception):
    """Bad input or a state the user can fix; the message is Dutch and says what to do."""


class IncidentClosed(UserError):
    """A change to an incident that is closed: closed means read-only until it is reopened."""

    MESSAGE = "Dit incident is gesloten; heropen het om te wijzigen."

    def __init__(self, incident_id: int) -> None:
        self.incident_id = incident_id
        super().__init__(self.MESSAGE)
