# United Nations Arabic style: "9 نوفمبر 2011" (no Latin comma between month and year).
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "j F"
DECIMAL_SEPARATOR = "٫"
THOUSAND_SEPARATOR = "٬"
