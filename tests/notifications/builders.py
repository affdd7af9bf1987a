"""Constants of the notification tests."""

REASON = "请补充营业执照复印件"
