import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class UnreachableSMTPBackend(BaseEmailBackend):
    """A mail backend whose server refuses every connection, as one that is down does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "Service not available")


class AnswerLostBackend(BaseEmailBackend):
    """Connects, then loses the line while waiting for the server's answer to the message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(BaseEmailBackend):
    """The server answers, and says no: the message was certainly not accepted."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, "Try again later")


class UnknownMailboxBackend(BaseEmailBackend):
    """The server says the mailbox does not exist: a permanent refusal."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"nobody@example.org": (550, b"5.1.1 No such user")})


class WrongPasswordBackend(BaseEmailBackend):
    """The server rejects our login, as after a typo in EMAIL_HOST_PASSWORD: nothing is sent."""

    def open(self):
        raise smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid")

    def send_messages(self, email_messages):
        raise AssertionError("a connection that could not log in is never used")
