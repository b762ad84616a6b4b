"""English for readers in Europe: day before month, 24-hour clock, no "o'clock" word.

The same names as mentoring/formats/de/formats.py.
"""
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
WEEKDAY_DATE_FORMAT = "l, j F Y"
WEEKDAY_DATETIME_FORMAT = "l, j F Y, H:i"
DAY_TIME_FORMAT = "j F, H:i"
WEEKDAY_DATE_CLOCK_FORMAT = "l, j F Y, H:i"
CLOCK_FORMAT = "H:i"
# Typed dates as the pages show them, day before month ("1/5/2024" is 1 May, not Django's US reading 5 January).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M",
                          "%d/%m/%y %H:%M", "%d.%m.%Y %H:%M"]
