"""German: a time of day reads "14:30 Uhr"; short dates "26.11.2026".

Besides Django's names, the project's own (read by ``mentoring.templatetags.when``):
WEEKDAY_DATE, WEEKDAY_DATETIME, DAY_TIME, and WEEKDAY_DATE_CLOCK and CLOCK (without "Uhr": inside a
translated phrase that adds it, such as "{start}–{end} Uhr").
"""
DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = "d.m.Y"
TIME_FORMAT = r"H:i \U\h\r"
DATETIME_FORMAT = r"j. F Y, H:i \U\h\r"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
WEEKDAY_DATE_FORMAT = "l, j. F Y"
WEEKDAY_DATETIME_FORMAT = r"l, j. F Y, H:i \U\h\r"
DAY_TIME_FORMAT = r"j. F, H:i \U\h\r"
WEEKDAY_DATE_CLOCK_FORMAT = "l, j. F Y, H:i"
CLOCK_FORMAT = "H:i"
