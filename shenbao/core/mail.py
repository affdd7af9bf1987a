"""The development mail backend: each message printed as readable text (Django's console backend prints the MIME
source, where a Chinese body is base64 and the links of confirmation e-mails cannot be read or clicked)."""

from django.core.mail.backends import console


class ReadableConsoleBackend(console.EmailBackend):
    def write_message(self, message):
        self.stream.write(
            f"From: {message.from_email}\nTo: {', '.join(message.to)}\nSubject: {message.subject}\n\n{message.body}\n"
        )
        self.stream.write("-" * 79 + "\n")
