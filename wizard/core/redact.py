"""Replacing host names, IP addresses, domain names and site codes with stable placeholders.

A transcript pasted into a ticket outside the team should not name the servers, addresses, domains and sites of the
company. The Redactor learns the names from two places: the values of the walk (by what their name says:
`child_server`, `site_code`, `dead_dp_ip`, `dns_zone`, ...) and the text itself (IP addresses, dotted names under a
known top-level domain, UNC paths, upper-case machine names such as NYC-CM01, codes written after "site"). Each name
gets one placeholder such as [HOST-1] wherever it appears, in any letter case for names and addresses; site codes
are matched as written. All patterns run on RE2, so no text can make them slow.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import re2

KINDS = ("host", "ip", "domain", "site")
_PLACEHOLDER_NAMES = {"host": "HOST", "ip": "IP", "domain": "DOMAIN", "site": "SITE"}

# Top-level labels that make a dotted word a domain name rather than a file name such as despool.log.
_TLDS = frozenset(
    """com net org local lan corp internal intranet intra int edu gov mil biz info io co uk de fr nl be ch at se no
    dk fi es it pl us ca au nz jp cn in eu home localdomain ad priv""".split()
)
# Domains that are documentation, not the company's: left as they are.
_PUBLIC_DOMAINS = ("microsoft.com", "technet.com", "msdn.com", "windows.com", "live.com", "example.com",
                   "example.org", "example.net", "invalid")
# Labels too generic to stand for the company when seen alone.
_GENERIC_LABELS = _TLDS | frozenset("www mail ad dc dns corp local lan internal sccm scom exchange".split())
# Upper-case words with digits that are product or document names, not machines.
_NOT_HOSTS = ("KB", "SP", "MS", "CVE", "RFC", "UTF", "HTTP", "SQL", "WIN", "SHA", "MD", "X", "IPV", "TCP", "UDP",
              "ISO", "CU", "RU", "WS-", "EX20", "OPSMGR20", "CM20", "SMS20", "SCCM20", "SCOM20", "R2", "VS")

_IPV4 = re2.compile(r"\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b")
_IPV6 = re2.compile(r"[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:]{2,}")
_DOTTED = re2.compile(r"\b[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))+\b")
_UNC = re2.compile(r"\\\\([A-Za-z0-9][A-Za-z0-9-]{0,62})")
_MACHINE = re2.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\b")
_SITE_SHARE = re2.compile(r"\bSMS_([A-Z0-9]{3})\b")
_TOKEN = re2.compile(r"[A-Za-z0-9]+")
_HOST_SHAPE = re2.compile(r"[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*")
_SITE = re2.compile(r"(?i:\bsite(?:[ _]?code)?s?)[ \t]*[:=]?[ \t]*[\"'(]?([A-Z0-9]{3})\b")

_HOST_WORDS = frozenset("server servers host hostname computer machine ms rms dp target fqdn node mp".split())
_SITE_WORDS = frozenset("site".split())
_DOMAIN_WORDS = frozenset("zone domain dns_zone".split())
_IP_WORDS = frozenset("ip address ipaddress addr".split())


def kind_of_value(name: str, value: str) -> str | None:
    """What a walk value is, judged by its name: `child_server` a host, `site_code` a site, `dead_dp_ip` an IP."""
    words = set(name.lower().split("_"))
    text = value.strip()
    if not text:
        return None
    if words & _IP_WORDS and _is_ip(text):
        return "ip"
    if "site" in words and ("code" in words or name.endswith("site")) and len(text) == 3 and text.isalnum():
        return "site"
    if words & _DOMAIN_WORDS or "zone" in words:
        return "domain"
    if (words & _HOST_WORDS or name.lower().endswith(("_server", "_host", "_ms"))) and _HOST_SHAPE.fullmatch(text):
        return "host"
    return None


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def _looks_like_machine(word: str) -> bool:
    letters = sum(c.isalpha() for c in word)
    digits = sum(c.isdigit() for c in word)
    if letters < 2 or digits < 2 or not word[0].isalpha():
        return False
    if word.isdigit() or word.startswith(_NOT_HOSTS):
        return False
    return True


def _public(domain: str) -> bool:
    lower = domain.lower()
    return any(lower == d or lower.endswith("." + d) for d in _PUBLIC_DOMAINS)


@dataclass
class Redactor:
    """Learns names, then replaces each with its placeholder; the same name always gets the same placeholder."""

    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, key) -> placeholder
    originals: dict[str, str] = field(default_factory=dict)  # placeholder -> the name as first seen
    _counts: dict[str, int] = field(default_factory=dict)
    _compiled: Any = None

    # ------------------------------------------------------------------------------------------ learning
    def add(self, kind: str, name: str) -> str:
        """The placeholder for a name, made on first sight; names compare without regard to letter case."""
        name = name.strip()
        key = (kind, name if kind == "site" else name.lower())
        found = self.names.get(key)
        if found is not None:
            return found
        self._counts[kind] = self._counts.get(kind, 0) + 1
        placeholder = f"[{_PLACEHOLDER_NAMES[kind]}-{self._counts[kind]}]"
        self.names[key] = placeholder
        self.originals[placeholder] = name
        self._compiled = None
        return placeholder

    def learn_values(self, values: Mapping[str, str]) -> None:
        for name, value in sorted(values.items()):
            kind = kind_of_value(name, str(value))
            if kind == "host" and "." in value and not _is_ip(value):
                self._add_dotted(value)
            elif kind == "domain":
                self._add_domain(str(value))
            elif kind is not None:
                self.add(kind, str(value))

    def learn_text(self, text: str) -> None:
        """Find the names a text shows by their shape."""
        if not text:
            return
        for match in _IPV4.finditer(text):
            word = match.group(0)
            if _is_ip(word):
                self.add("ip", word)
        if ":" in text:
            for match in _IPV6.finditer(text):
                word = match.group(0).strip(":") if match.group(0).count("::") == 0 else match.group(0)
                if word.count(":") >= 2 and _is_ip(word) and ipaddress.ip_address(word).version == 6:
                    self.add("ip", word)
        for match in _DOTTED.finditer(text):
            self._add_dotted(match.group(0))
        for match in _UNC.finditer(text):
            if not _is_ip(match.group(1)):
                self.add("host", match.group(1))
        for match in _MACHINE.finditer(text):
            if _looks_like_machine(match.group(0)):
                self.add("host", match.group(0))
        for pattern in (_SITE, _SITE_SHARE):
            for match in pattern.finditer(text):
                code = match.group(1)
                if any(c.isalpha() for c in code):
                    self.add("site", code)

    def learn_data(self, data: Any, skip: frozenset[str] = frozenset()) -> None:
        for text in _strings(data, skip):
            self.learn_text(text)

    def _add_dotted(self, word: str) -> None:
        labels = word.split(".")
        if _is_ip(word) or labels[-1].lower() not in _TLDS or _public(word):
            return
        if len(labels) >= 3 or any(c.isdigit() for c in labels[0]) or self.names.get(("host", labels[0].lower())):
            self.add("host", labels[0])
            self._add_domain(".".join(labels[1:]))
        else:
            self._add_domain(word)

    def _add_domain(self, domain: str) -> None:
        domain = domain.strip(".")
        if not domain or _public(domain):
            return
        self.add("domain", domain)
        for label in domain.split(".")[:-1]:
            if label.lower() not in _GENERIC_LABELS and len(label) > 2:
                self.add("domain", label)

    # ------------------------------------------------------------------------------------------ replacing
    def _patterns(self) -> tuple[Any, Any]:
        if self._compiled is None:
            folded = sorted((k for (kind, k) in self.names if kind != "site"), key=len, reverse=True)
            # An underscore ends a name too (\\NYC-CM01\SMS_NYC, fe80::1_old), so both ends are matched by hand,
            # not by \b; RE2 has no lookaround, so the characters around a name are taken and put back.
            alternatives = "|".join(re2.escape(w) for w in folded)
            any_case = (re2.compile(r"(?i)(^|[^A-Za-z0-9])(" + alternatives + r")([^A-Za-z0-9]|$)")
                        if folded else None)
            self._compiled = (any_case, {k for (kind, k) in self.names if kind == "site"})
        compiled: tuple[Any, Any] = self._compiled
        return compiled

    def _lookup(self, word: str) -> str:
        lower = word.lower()
        for kind in ("ip", "host", "domain"):
            found = self.names.get((kind, lower))
            if found is not None:
                return found
        return word

    def text(self, text: str) -> str:
        """The text with every known name replaced by its placeholder."""
        if not text or not self.names:
            return text
        any_case, sites = self._patterns()
        if any_case is not None:
            # A match takes the character after it, which may be the one before the next name; a second pass
            # catches the names the first had to skip (their neighbours are placeholders by then).
            for _ in range(2):
                text = any_case.sub(lambda m: m.group(1) + self._lookup(m.group(2)) + m.group(3), text)
        if sites:
            text = _TOKEN.sub(lambda m: self.names[("site", m.group(0))] if m.group(0) in sites else m.group(0),
                              text)
        return text

    def data(self, data: Any, skip: frozenset[str] = frozenset()) -> Any:
        """A copy of JSON-like data with every string redacted, except under the keys in `skip` (ids, hashes)."""
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, dict):
            return {k: (v if k in skip else self.data(v, skip)) for k, v in data.items()}
        if isinstance(data, (list, tuple)):
            return [self.data(v, skip) for v in data]
        return data

    def mapping(self) -> dict[str, str]:
        """Placeholder -> original name, for the one who must map a redacted transcript back."""
        return dict(self.originals)


def _strings(data: Any, skip: frozenset[str]) -> Iterable[str]:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(v for k, v in item.items() if k not in skip)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
