"""Hand an email to the SMTP server so that a worker killed at any moment never sends
it twice.

An SMTP server takes responsibility for a message when it reads the line with the final
"." of DATA, and there is no way to ask it afterwards whether it did (RFC 5321
§4.1.1.4; RFC 1047 describes the duplicates this causes). A sender that commits "sent"
only after the server's reply sends the email again when it dies in between, and a real
server may take a good part of a second to reply (it writes its queue to disk and scans
the message). So `HeldEmail` sends everything except that last line, the caller commits
"sent", and only then does `finish()` send the line:

- killed before the commit: the server holds an unfinished message, which it discards
  when the connection drops; the delivery is still pending and goes out once, later;
- killed after the commit: the kernel still delivers the "." if it was written; only a
  kill in the microseconds between the commit and that single write loses the email;
- the server refuses the finished message (4xx/5xx after the "."): `finish()` raises
  and the caller puts the delivery back in a new transaction.

A connection that breaks after the "." but before the reply arrives still leaves the
outcome unknown; the caller retries, with the same Message-ID, so that the receiving
mailbox can recognise the copy.

With another backend (locmem in tests, files in development) the email is sent whole by
`send_all_but_the_end()` and `finish()` does nothing.
"""

from __future__ import annotations

import re
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

# What a failed hand-over raises; callers record it and retry.
SEND_ERRORS = (smtplib.SMTPException, OSError)


class HeldEmail:
    def __init__(self, message: EmailMessage):
        self.message = message
        self.backend = get_connection()
        self.smtp: smtplib.SMTP | None = None

    def send_all_but_the_end(self) -> None:
        """Open the connection and send envelope and content, but not the final "."."""
        if not isinstance(self.backend, SMTPBackend):
            self.backend.send_messages([self.message])
            return
        encoding = self.message.encoding or settings.DEFAULT_CHARSET
        sender = sanitize_address(self.message.from_email, encoding)
        recipients = [sanitize_address(a, encoding) for a in self.message.recipients()]
        content = self.message.message().as_bytes(linesep="\r\n")
        self.backend.open()
        self.smtp = self.backend.connection
        # What smtplib's sendmail() does, up to the end of data.
        self.smtp.ehlo_or_helo_if_needed()
        options = [f"size={len(content)}"] if self.smtp.has_extn("size") else []
        code, reply = self.smtp.mail(sender, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for recipient in recipients:
            code, reply = self.smtp.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if len(refused) == len(recipients):
            raise smtplib.SMTPRecipientsRefused(refused)
        code, reply = self.smtp.docmd("data")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        content = re.sub(rb"(?m)^\.", b"..", content)  # dot-stuffing (RFC 5321 §4.5.2)
        self.smtp.send(content if content.endswith(b"\r\n") else content + b"\r\n")

    def finish(self) -> None:
        """Send the final "." and wait for the server to accept the message."""
        if self.smtp is None:
            return
        smtp, self.smtp = self.smtp, None
        try:
            smtp.send(b".\r\n")
            code, reply = smtp.getreply()
        finally:
            try:
                self.backend.close()  # QUIT; a server that hangs up first changes nothing
            except SEND_ERRORS:
                pass
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)

    def close(self) -> None:
        """Drop an unfinished message: close the socket without the final "." (a QUIT
        now would be read as content), so that the server discards what it has."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = self.backend.connection = None
