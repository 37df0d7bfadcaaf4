"""Mask personal data in document text before it is stored: e-mail addresses, phone numbers and Finnish
personal identity codes (henkilötunnus).

Masking happens once, at indexing, so every place that shows text (answers, citations, the document
view) shows the masked version. The patterns are written so that dates, money, percentages and ordinary
figures of the planning documents stay as they are.
"""

from __future__ import annotations

import re

EMAIL_MASK, PHONE_MASK, HETU_MASK = "[sähköposti]", "[puhelin]", "[henkilötunnus]"

# "@" also written "(at)", "[at]", "{at}" or with spaces around it; dots optionally written "(dot)"/"[piste]".
_AT = r"(?:\s?@\s?|\s?[(\[{<]\s?(?:at|@)\s?[)\]}>]\s?)"
_DOT = r"(?:\.|\s?[(\[{]\s?(?:dot|piste)\s?[)\]}]\s?)"
EMAIL = re.compile(
    rf"(?:mailto:)?(?<![\w.+-])[\w.+-]*\w{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,24}}(?![\w-])",
    re.IGNORECASE,
)

# A phone number: an international prefix (+358, +46, optionally followed by the trunk "(0)"), or a
# national one ("040", "(08)"), then groups of digits. Not preceded by a digit, word, decimal or date
# part, and not followed by a currency or percent sign, so "2 500 000 €" or "0,5 %" never match.
_PHONE = re.compile(
    r"(?<![\w.,/+\-–])"
    r"(?:\+\d{1,3}(?:[ -]?\(0\))?|\(0\d{1,3}\)|0\d{1,3})"
    r"(?:[ -]?\d{1,4}){1,5}"
    r"(?![\w€%]|[.,]\d|[ -]?\d| ?(?:€|%|e\b|eur|euro|milj|mrd|kpl|hlö|henk))",
    re.IGNORECASE,
)
_MIN_PHONE_DIGITS, _MAX_PHONE_DIGITS = 7, 15  # E.164 numbers have at most 15 digits

# DDMMYY, century sign, individual number (3 digits), control character.
_HETU = re.compile(r"(?<![\w+\-–])(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])(?![\w\-–])", re.IGNORECASE)
_HETU_CONTROL = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu_control(birth: str, individual: str) -> str:
    """The control character of the identity code with date part ``birth`` (DDMMYY) and ``individual``.

    >>> hetu_control("131052", "308")
    'T'
    """
    return _HETU_CONTROL[int(birth + individual) % 31]


def _is_hetu(m: re.Match[str]) -> bool:
    """An identity code, not an ordinary number.

    The date must be a possible one. If the code is all digits apart from a "-"/"+" sign, it could be an
    ordinary number, so the control character must be right (1 in 31 numbers pass by chance). A code with
    a letter as century sign or control character ("010180-123A") is never an ordinary number: it is
    masked even when the control character is wrong, because a mistyped code still gives a birth date
    and an individual number away.
    """
    day, month, _, sign, individual, control = m.groups()
    if not (1 <= int(day) <= 31 and 1 <= int(month) <= 12):
        return False
    if hetu_control(day + month + m.group(3), individual) == control.upper():
        return True
    return sign.isalpha() or control.isalpha()


def _phone(m: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in m.group(0))
    return PHONE_MASK if _MIN_PHONE_DIGITS <= digits <= _MAX_PHONE_DIGITS else m.group(0)


def mask_identity_codes(text: str) -> str:
    """Replace Finnish personal identity codes with ``[henkilötunnus]``.

    >>> mask_identity_codes("Asiakas 131052-308T, päätös 010180-1234.")
    'Asiakas [henkilötunnus], päätös 010180-1234.'
    """
    return _HETU.sub(lambda m: HETU_MASK if _is_hetu(m) else m.group(0), text)


def mask_contacts(text: str) -> str:
    """Replace e-mail addresses and phone numbers with ``[sähköposti]`` / ``[puhelin]``.

    >>> mask_contacts("liisa.laine(at)kainuu.fi, puh. (08) 615 541 tai +358 (0)44 797 0000; 2 500 000 €")
    '[sähköposti], puh. [puhelin] tai [puhelin]; 2 500 000 €'
    """
    return _PHONE.sub(_phone, EMAIL.sub(EMAIL_MASK, text))
