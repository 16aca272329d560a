"""A quotation's attribution: whether it adds anything to the caption, and whether it
names the speaker.

A news story's quote keeps "the rest of the sentence" after the quoted words as its
attribution: "he told the General Assembly during an informal session on mediation."
adds where and to whom; "he said." and «قال ذلك.» add nothing once the caption names the
speaker, so the caption leaves them out. "said General Assembly President Nassir
Abdulaziz Al-Nasser, who organized the meeting." names the speaker itself, so the
caption gives it alone rather than the name twice.
"""

import re

from .arabic import fold, strip_diacritics

# Words that say only "he/she said (it)": a pronoun, a verb of saying, «ذلك» (it).
_BARE_WORDS = {
    "he", "she", "they", "said", "says", "added", "adds", "stated", "noted", "continued",
    "قال", "وقال", "قالت", "وقالت", "أضاف", "وأضاف", "أضافت", "وأضافت", "ذلك", "هذا",
}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


def _words(text):
    return [fold(w).lower() for w in _WORD.findall(strip_diacritics(text))]


def adds_to_quote(attribution):
    """Whether ``attribution`` says more than who spoke: "he said." and «قال ذلك.» do
    not; "he said in his opening remarks." does."""
    folded_bare = {fold(w) for w in _BARE_WORDS}
    return any(word not in folded_bare for word in _words(attribution))


def names_speaker(attribution, names):
    """Whether ``attribution`` contains one of the speaker's ``names`` (in any language),
    word for word, diacritics and alef forms aside."""
    words = " ".join(_words(attribution))
    for name in names:
        wanted = " ".join(_words(name or ""))
        if wanted and re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", words):
            return True
    return False
