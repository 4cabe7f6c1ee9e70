"""Money and rates as ``Decimal``: parsing what people type and export, formatting for display.

Amounts are never floats. Parsing accepts what bank and spreadsheet exports contain: currency
signs (``¥ ￥ $ € £``), thousands separators in groups of three, accounting negatives
``(1,234.56)``, full-width digits, and a declared decimal comma. Rounding happens only when an
amount is shown.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

#: The largest number of digits an amount may have; longer numbers are refused before parsing
#: (a 5,000-digit integer is a denial-of-service, not a balance).
MAX_DIGITS = 24

_CURRENCY_SIGNS = "¥$€£"
_CURRENCY_WORDS = ("CNY", "RMB", "USD", "EUR", "GBP", "元", "US$")
_CENT = Decimal("0.01")
#: Plain digits (the bulk of every export): parsed directly, with the same result as the full path.
#: At most MAX_DIGITS digits on each side, so checked_number has nothing to refuse or rescale.
_PLAIN = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}(?:\.[0-9]{{1,{MAX_DIGITS}}})?")


#: Whole numbers below this in size have at most MAX_DIGITS digits.
_INT_LIMIT = 10**MAX_DIGITS


class AmountError(ValueError):
    """The text is not an amount; the message says why without repeating the text."""


def _strip_currency(text: str) -> str:
    text = text.strip()
    for word in _CURRENCY_WORDS:
        if text.upper().startswith(word):
            text = text[len(word) :].strip()
        if text.upper().endswith(word):
            text = text[: -len(word)].strip()
    return text.strip(_CURRENCY_SIGNS).strip()


#: The currencies each sign or word may stand for ("$" is the dollar of many countries, "¥" the
#: yuan and the yen).
_MARKS = {
    "US$": frozenset({"USD"}),
    "USD": frozenset({"USD"}),
    "CNY": frozenset({"CNY"}),
    "RMB": frozenset({"CNY"}),
    "元": frozenset({"CNY"}),
    "EUR": frozenset({"EUR"}),
    "GBP": frozenset({"GBP"}),
    "$": frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN"}),
    "¥": frozenset({"CNY", "JPY"}),
    "€": frozenset({"EUR"}),
    "£": frozenset({"GBP"}),
}


def currency_mark(text: str) -> tuple[str, frozenset[str]] | None:
    """The currency sign or word an amount's *text* carries (``"¥50,000"``: ``¥``) and the
    currencies it may stand for; None when it carries none or is not an amount."""
    normal = unicodedata.normalize("NFKC", text).strip().strip("()").strip()  # ￥ is ¥
    if not normal or (normal[0].isdigit() and normal[-1].isdigit()):
        return None
    upper, unsigned = normal.upper(), normal.lstrip("-+")
    for mark, currencies in _MARKS.items():  # words before signs: "US$" before "$"
        if upper.startswith(mark) or upper.endswith(mark) or unsigned.startswith(mark):
            try:
                parse_amount(text)
            except AmountError:
                return None
            return mark, currencies
    return None


def currency_clash(text: str, currency: str, whose: str) -> str | None:
    """What to say when amount *text* carries a currency sign or word that cannot be *currency*
    (``¥50,000`` when it is USD): an amount is never converted, and such a sign is a mistake of the
    export or the typing. None when it carries none or one that can be *currency*. *whose* names
    where the currency comes from ("profile", "row")."""
    mark = currency_mark(text)
    if mark is None or currency.upper() in mark[1]:
        return None
    return (
        f"the amount is written in {mark[0]} but the {whose}'s currency is {currency.upper()}:"
        " give it in that currency (creditfix converts nothing)"
    )


def _grouped(int_part: str, sep: str) -> str:
    """Remove thousands separators *sep* if they form proper groups of three, else refuse."""
    if sep not in int_part:
        return int_part
    groups = int_part.split(sep)
    if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise AmountError("thousands separators are not in groups of three")
    return "".join(groups)


def parse_amount(value: object, *, decimal_mark: str = ".") -> Decimal:
    """Parse *value* (int, Decimal, float or text) into a finite ``Decimal``.

    ``decimal_mark`` is ``"."`` (then ``,`` and ``'`` group thousands) or ``","`` (then ``.``,
    space and no-break space group thousands), as declared for a CSV file.
    """
    if type(value) is int and -_INT_LIMIT < value < _INT_LIMIT:  # (the commonest: checked_number has nothing to do)
        return Decimal(value)
    if isinstance(value, bool):
        raise AmountError("expected an amount, got true/false")
    if isinstance(value, int):
        return checked_number(Decimal(value))
    if isinstance(value, Decimal):
        return checked_number(value)
    if isinstance(value, float):
        return checked_number(Decimal(repr(value)))
    if not isinstance(value, str):
        raise AmountError("expected an amount")
    if _PLAIN.fullmatch(value) and (decimal_mark == "." or "." not in value):
        return Decimal(value)
    return _parse_text(value, decimal_mark)


#: A number as R, pandas and spreadsheets export small or large fractions: 7.96E-05, 1.2e+3.
_EXPONENT = re.compile(r"[0-9]{1,30}(?:\.[0-9]{1,30})?[eE][-+]?[0-9]{1,3}")


def parse_scaled(text: str, scale: Decimal, *, decimal_mark: str = ".") -> Decimal:
    """A cell of a column the column map declares numeric (it gives a *scale*): an amount as
    :func:`parse_amount` reads it (a trailing ``%`` ignored: the scale says what the number means),
    or a number in exponent notation, which programs write and people do not; times *scale*."""
    number = text.rstrip("%")
    if decimal_mark == "." and _EXPONENT.fullmatch(number.strip()):
        return checked_number(Decimal(number.strip())) * scale
    return parse_amount(number, decimal_mark=decimal_mark) * scale


#: A number and a word apart from it ("1,200 dollars"), once a sign and currency are taken off.
_NUMBER_AND_WORD = re.compile(r"[0-9][0-9.,']*\s+[^\s0-9.,']+|[^\s0-9.,']+\s+[0-9][0-9.,']*")


def _parse_text(value: str, decimal_mark: str) -> Decimal:
    """The full parse of amount text: signs, currency, grouping, full-width digits."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        raise AmountError("empty amount")
    if len(text) > 64:
        raise AmountError("amount text is too long")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    text = _strip_currency(text)
    if text.startswith("-"):
        negative, text = not negative, text[1:].strip()
    elif text.startswith("+"):
        text = text[1:].strip()
    elif text.endswith("-"):
        negative, text = not negative, text[:-1].strip()
    text = _strip_currency(text)
    if _NUMBER_AND_WORD.fullmatch(text):  # "1,200 dollars": the word is what is wrong, not the grouping
        raise AmountError("not an amount: a word next to the number (a currency is a sign or code: $, ¥, USD, 元)")
    if decimal_mark == ",":
        text = text.replace("\u00a0", " ").replace("\u202f", " ")
        int_part, _, frac = text.partition(",")
        for sep in (".", " "):
            int_part = _grouped(int_part, sep)
    else:
        int_part, _, frac = text.partition(".")
        for sep in (",", "'"):
            int_part = _grouped(int_part, sep)
    if not re.fullmatch(r"[0-9]+", int_part or "0") or not re.fullmatch(r"[0-9]*", frac):
        raise AmountError("not an amount")
    if not int_part and not frac:
        raise AmountError("not an amount")
    number = Decimal(f"{int_part or '0'}.{frac}" if frac else int_part)
    return checked_number(-number if negative else number)


def checked_number(number: Decimal, what: str = "amount") -> Decimal:
    """*number* if finite and at most MAX_DIGITS digits each side (``1e3`` becomes ``1000``), else
    :class:`AmountError` naming it as *what*."""
    if not number.is_finite():
        raise AmountError(f"must be a finite {what}")
    if number != 0 and number.adjusted() >= MAX_DIGITS:
        raise AmountError(f"{what} has more than {MAX_DIGITS} digits")
    exponent: int = number.as_tuple().exponent  # type: ignore[assignment]  # an int once finite
    if exponent < -MAX_DIGITS:  # 1e-99999999
        raise AmountError(f"{what} has more than {MAX_DIGITS} digits")
    if exponent > 0:  # 1e3 -> 1000, not 1E+3
        number = number.quantize(Decimal(1))
    return number


def parse_rate(value: object) -> Decimal:
    """An interest rate or ratio as a fraction: ``"18%"`` → 0.18, ``0.18`` → 0.18.

    A bare number above 1 is refused rather than guessed: ``18`` could mean 18% or 1800%.
    """
    if isinstance(value, str):
        if value[-1:] == "%" and _PLAIN.fullmatch(value, 0, len(value) - 1):  # "18%": as below, at once
            return Decimal(value[:-1]) / 100
        text = unicodedata.normalize("NFKC", value).strip()
        if text.endswith("%"):
            return parse_amount(text[:-1]) / 100
        number = parse_amount(text)
    else:
        number = parse_amount(value)
    if abs(number) > 1:
        raise AmountError("a bare number above 1 is ambiguous: write a percentage ('18%') or a fraction (0.18)")
    return number


def rounded(value: Decimal, places: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """*value* rounded to the exponent of *places*, however many digits it has.

    ``quantize`` in the default 28-digit context raises ``InvalidOperation`` when the result needs
    more digits: a ratio of 1E+25 (a balance drawn against a limit of 0.01) to 4 places needs 30.
    """
    digits = max(value.adjusted(), 0) + 1 - places.as_tuple().exponent  # type: ignore[operator]
    if digits < 28:  # the common case: the default context has room (and is much cheaper)
        return value.quantize(places, rounding=rounding)
    return value.quantize(places, rounding=rounding, context=Context(prec=digits + 1))


def cents(amount: Decimal) -> Decimal:
    """Round half up to cents: the only rounding money ever gets, and only for display."""
    return rounded(amount, _CENT)


_SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£"}


def default_currency(jurisdiction: str | None) -> str | None:
    """The currency amounts are shown in when the profile names none (CN → CNY, US → USD)."""
    return {"CN": "CNY", "US": "USD"}.get(jurisdiction or "")


def currency_symbol(currency: str | None) -> str:
    """The sign shown before amounts in *currency* (empty when unknown)."""
    return _SYMBOLS.get((currency or "").upper(), "")


def format_money(amount: Decimal, currency: str | None = None) -> str:
    """``¥18,000.00``; negative amounts as ``-¥5.00``."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency_symbol(currency)}{cents(abs(amount)):,.2f}"


def format_pct(ratio: Decimal, places: int = 1) -> str:
    """A ratio as a percentage: ``0.4567`` → ``45.7%``."""
    quant = Decimal(1).scaleb(-places)
    return f"{rounded(ratio * 100, quant)}%"


def to_decimal(value: object) -> Decimal:
    """Best-effort conversion for trusted internal numbers (ints, Decimals)."""
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation as exc:  # pragma: no cover - internal misuse
        raise AmountError("not a number") from exc
