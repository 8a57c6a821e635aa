import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class UnreachableSMTPBackend(BaseEmailBackend):
    """A mail backend whose server refuses every connection, as one that is down does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, "Service not available")
