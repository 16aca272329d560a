"""The name recogniser: who is named in a paragraph, and who "he said" or "Mr. Ban" is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import ARABIC_LETTER, DIACRITICS, TATWEEL, fold, has_arabic, strip_tashkeel
from .quotes import AR_SPEECH, AR_VERBS, EN_VERBS

_EN_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'’-]*(?<![-'’])|[A-Z]\.)"
_PARTICLE = r"(?:al|el|bin|ibn|de|da|del|della|di|van|von|der|den|le|la|du|dos|das|ter)"
_EN_NAME = rf"(?<![\w'’-]){_EN_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_EN_WORD}){{0,3}}"
_EN_ROLES = {
    "deputy secretary-general": "deputy secretary-general",
    "under-secretary-general": "under-secretary-general",
    "assistant secretary-general": "assistant secretary-general",
    "secretary-general": "secretary-general",
    "general assembly president": "president of the general assembly",
    "president of the general assembly": "president of the general assembly",
    "security council president": "president of the security council",
    "president of the security council": "president of the security council",
    "high commissioner": "high commissioner",
    "special envoy": "special envoy",
    "special representative": "special representative",
    "special adviser": "special adviser",
    "prime minister": "prime minister",
    "foreign minister": "foreign minister",
}
_EN_HONORIFICS = (
    "Vice-President|Vice President|President|Minister|Ambassador|Envoy|Professor|Prof\\.|Judge|"
    "Sir|Dame|Sheikh|King|Queen|Prince|Princess|Mrs\\.|Mrs|Mr\\.|Mr|Ms\\.|Ms|Dr\\.|Dr"
)
_EN_TITLE_WORDS = "|".join(
    sorted(
        [r.title().replace("Of The", "of the") for r in _EN_ROLES] + _EN_HONORIFICS.split("|"),
        key=len,
        reverse=True,
    )
)
_EN_TITLE = re.compile(rf"(?<![\w-])(?P<title>{_EN_TITLE_WORDS})(?:\s*,)?\s+(?P<name>{_EN_NAME})")
_EN_ROLE = re.compile(
    rf"\b[Tt]he\s+(?P<role>(?i:{'|'.join(sorted(_EN_ROLES, key=len, reverse=True))}))\b"
    r"(?!\s*,?\s+[A-Z])"
)
_EN_BEFORE_VERB = re.compile(rf"(?P<name>{_EN_NAME})\s+(?:{EN_VERBS})\b")
_EN_AFTER_VERB = re.compile(rf"\b(?:{EN_VERBS})\s+(?P<name>{_EN_NAME})")
_EN_PRONOUN = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)
_EN_NOT_NAMES = set(
    str.split(
        """
        The A An UN U.N. United Nations General Assembly Security Council Member States State
        He She It They We I You In On At For From To By With But And Or Today Yesterday Tomorrow
        Headquarters New York Geneva Secretary-General President Mr Ms Mrs Dr This That These
        Those His Her Their Its As After Before During While When Although However Monday
        Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
        July August September October November December Charter Article Resolution Council's
        Assembly's Government Minister Ambassador Envoy
        """
    )
)

_AR_WORD = rf"[{ARABIC_LETTER}][{ARABIC_LETTER}{TATWEEL}{DIACRITICS}]*"
_AR_NAME = rf"{_AR_WORD}(?:\s+{_AR_WORD}){{0,3}}"
_AR_ROLES = (
    "نائب الامين العام|وكيل الامين العام|الامين العام|رئيس الجمعية العامة|رئيس مجلس الامن|"
    "رئيس الوزراء|وزير الخارجية|المبعوث الخاص|الممثل الخاص|المفوض السامي"
)
_AR_HONORIFICS = "الرئيس|السيد|السيدة|السفير|السفيرة|الدكتور|الدكتورة|الشيخ|الملك|الملكة"
_AR_TITLE = re.compile(
    rf"(?<![{ARABIC_LETTER}])(?P<title>{_AR_ROLES}|{_AR_HONORIFICS})"
    rf"(?:\s+للامم المتحدة)?\s+(?P<name>{_AR_NAME})"
)
_AR_ROLE = re.compile(rf"(?<![{ARABIC_LETTER}])(?P<role>{_AR_ROLES})(?![{ARABIC_LETTER}])")
_AR_AFTER_VERB = re.compile(
    rf"(?<![{ARABIC_LETTER}])و?(?:{AR_VERBS})\s+(?:ذلك\s+)?(?P<name>{_AR_NAME})"
)
# Words that end (or are not) a name; compared without diacritics, hamza kept, so that
# بأن ("that") is a stop word and بان (Ban) is not.
_AR_NOT_NAMES = str.split(
    "ذلك اليوم أمس غدا إن إنه إنها إنهم أن أنه أنها أنهم بأن في على من عن إلى مع خلال أمام "
    "الذي التي الذين لدى بعد قبل حول أيضا أيضاً للصحفيين قائلا قائلة مضيفا مضيفة و أو ثم "
    "قد لقد كما حيث إذ هذا هذه هو هي نفسه نفسها بنفسه عندما بينما لكن كان كانت يوم "
    "وأضاف وأضافت وقال وقالت وأكد وأكدت وأشار وأشارت"
)
_AR_NOT_NAMES = set(_AR_NOT_NAMES) | {fold(w) for w in _AR_NOT_NAMES if fold(w) != "بان"}


_AR_VERB_WORD = re.compile(f"و?(?:{AR_VERBS})")


def _ar_name_words(raw: str) -> list[str]:
    """The words of an Arabic name, up to the first word that cannot be part of one."""
    words = []
    for word in raw.split():
        bare = strip_tashkeel(word)
        if bare in _AR_NOT_NAMES or fold(bare) in _AR_NOT_NAMES:
            break
        if _AR_VERB_WORD.fullmatch(fold(bare)):
            break
        words.append(word)
    return words


@dataclass
class Mention:
    start: int
    name: str


class People:
    """Who has been named so far, to tell who "he said" or "Mr. Ban" is.

    Full names are 2–4 capitalised words after a title (Secretary-General, General
    Assembly President, Mr., Ms.…) or next to a verb of saying, or in Arabic 2–4
    words after a title (الأمين العام، رئيس الجمعية العامة، السيد…) or after قال/وقال.
    A single word after a title is a surname, resolved to the latest full name that
    contains it ("Mr. Ban" → "Ban Ki-moon", "السيد النصر" → "ناصر عبد العزيز النصر").
    """

    def __init__(self) -> None:
        self.names: list[str] = []  # full names, most recently named last
        self.roles: dict[str, str] = {}
        self.last: str | None = None

    def _register(self, name: str, role: str | None = None) -> str:
        if name in self.names:
            self.names.remove(name)
        self.names.append(name)
        if role:
            self.roles[role] = name
        return name

    def _surname(self, word: str) -> str | None:
        key = fold(strip_tashkeel(word)).casefold()
        for name in reversed(self.names):
            if key in {fold(strip_tashkeel(w)).casefold() for w in name.split()}:
                return name
        return None

    def mentions(self, text: str) -> list[Mention]:
        """The people named in ``text`` in order (registering new full names)."""
        folded = fold(text)
        found: dict[int, str] = {}
        taken: list[tuple[int, int]] = []

        def add(start: int, end: int, name: str | None) -> None:
            if name and not any(a <= start < b for a, b in taken):
                found[start] = name
                taken.append((start, end))

        for match in _EN_TITLE.finditer(text):
            words = []
            for word in match.group("name").split():
                if word.rstrip(".") in _EN_NOT_NAMES:
                    break
                words.append(word)
            role = _EN_ROLES.get(match.group("title").casefold())
            if len(words) >= 2:
                add(match.start(), match.end(), self._register(" ".join(words), role))
            elif words:
                add(match.start(), match.end(), self._surname(words[0]))
        for pattern, before in ((_EN_BEFORE_VERB, True), (_EN_AFTER_VERB, False)):
            for match in pattern.finditer(text):
                words = match.group("name").split()
                cut = [i for i, w in enumerate(words) if w.rstrip(".") in _EN_NOT_NAMES]
                if before:
                    words = words[cut[-1] + 1 :] if cut else words
                else:
                    words = words[: cut[0]] if cut else words
                if 2 <= len(words) <= 4:
                    start = match.start("name") + match.group("name").rfind(words[0])
                    add(start, match.end(), self._register(" ".join(words)))
        for match in _EN_ROLE.finditer(text):
            add(match.start(), match.end(), self.roles.get(_EN_ROLES[match["role"].casefold()]))

        for match in _AR_TITLE.finditer(folded):
            raw = text[match.start("name") : match.end("name")]
            words = _ar_name_words(raw)
            role = match.group("title") if re.fullmatch(_AR_ROLES, match.group("title")) else None
            if words and fold(words[0]).startswith("ال"):
                words = []
            if len(words) >= 2:
                add(match.start(), match.end(), self._register(" ".join(words), role))
            elif words:
                add(match.start(), match.end(), self._surname(words[0]))
        for match in _AR_AFTER_VERB.finditer(folded):
            raw = text[match.start("name") : match.end("name")]
            if re.match(rf"(?:{_AR_ROLES}|{_AR_HONORIFICS})(?![{ARABIC_LETTER}])", fold(raw)):
                continue
            words = _ar_name_words(raw)
            if not words or fold(words[0]).startswith("ال"):
                continue
            name = self._register(" ".join(words)) if len(words) >= 2 else self._surname(words[0])
            add(match.start("name"), match.end(), name)
        for match in _AR_ROLE.finditer(folded):
            add(match.start(), match.end(), self.roles.get(match.group("role")))
        return [Mention(start, name) for start, name in sorted(found.items())]

    def observe(self, text: str) -> None:
        named = self.mentions(text)
        if named:
            self.last = named[-1].name

    def speaker(self, attribution: str) -> str | None:
        """Who an attribution names ("said General Assembly President X", "Mr. Ban
        said"), or for a pronoun ("he said", "قال ذلك", "وأضاف") the last person named."""
        named = self.mentions(attribution)
        if has_arabic(attribution):
            verb = AR_SPEECH.search(fold(attribution))
            if verb:
                near = [
                    m
                    for m in named
                    if m.start >= verb.end() and len(attribution[verb.end() : m.start].split()) <= 2
                ]
                return near[0].name if near else self.last
            return named[0].name if named else None
        pronoun = _EN_PRONOUN.search(attribution)
        if named and (not pronoun or named[0].start < pronoun.start()):
            return named[0].name
        return self.last if pronoun else None
