# The NHS.UK date style, for Django's ``date`` filter without a format and for
# django-tables2's date columns (which ask for the short format). A moment
# with its time is written by ``fedportal.formats.when`` ("at 2:05pm").
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = r"j F Y \a\t H:i"
SHORT_DATETIME_FORMAT = r"j F Y \a\t H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y"]
