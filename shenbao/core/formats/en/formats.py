"""English dates as the platform shows them (FORMAT_MODULE_PATH): 「2 Dec 2022」 and 「2 Dec 2022 14:30」.

Django's own English datetime ends in 「2:30 p.m.」; deadlines here are read beside the 24-hour Chinese ones.
Everything not named here falls back to Django's English formats.
"""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
