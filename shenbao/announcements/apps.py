from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    name = "shenbao.announcements"
    verbose_name = _("通知公告")
