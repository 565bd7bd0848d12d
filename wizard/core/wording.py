"""Small wording rules shared by every screen and export, so templates never print 'on the The ...'."""

from __future__ import annotations

_ARTICLES = ("the ", "a ", "an ", "your ", "each ", "every ", "both ", "any ")
_PREPOSITIONS = ("on ", "in ", "at ", "from ", "inside ", "under ")
SHELL_NAMES = {"cmd": "Command Prompt (cmd.exe)", "powershell": "Windows PowerShell"}
FENCE_LANGS = {"cmd": "bat", "powershell": "powershell"}


def place_phrase(place: str, *, capital: bool = False) -> str:
    """'on the X' for a place written as a bare noun, without doubling an article or preposition the text has.

    Trailing punctuation is dropped so the phrase can sit inside a sentence: 'on the DNS server', 'on the parent
    site server', but 'on the Operations Manager event log' for 'The Operations Manager event log.' and
    'on the stuck client: ...' for 'On the stuck client: ...'.
    """
    text = " ".join(place.split()).rstrip(" .;,")
    if not text:
        return ""
    lower = text.lower()
    if lower.startswith(_PREPOSITIONS):
        phrase = text[0].lower() + text[1:]
    elif lower.startswith(_ARTICLES):
        phrase = "on " + text[0].lower() + text[1:]
    else:
        phrase = "on the " + text
    return phrase[0].upper() + phrase[1:] if capital else phrase


def shell_name(shell: str) -> str:
    return SHELL_NAMES.get(shell, shell)
