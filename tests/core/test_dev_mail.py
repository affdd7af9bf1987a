"""Development prints e-mails as text, so the link of a confirmation e-mail can be read and opened."""

import io

from django.core.mail import EmailMessage

from shenbao.core.mail import ReadableConsoleBackend


def test_a_chinese_e_mail_is_printed_readably():
    stream = io.StringIO()
    link = "http://127.0.0.1:8000/accounts/register/confirm/abc/"
    message = EmailMessage(subject="请确认注册", body=f"请打开 {link}", to=["a@b.cn"])
    ReadableConsoleBackend(stream=stream).send_messages([message])
    text = stream.getvalue()
    assert "Subject: 请确认注册" in text  # fullwidth-ok: a mail header and "To: a@b.cn" in text
    assert link in text
