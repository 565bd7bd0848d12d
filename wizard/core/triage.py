"""Which tree fits a ticket: the trees ranked for a symptom in help-desk words, a pasted log line or event, an
event ID, a status message ID, a replication message type, or a whole ticket.

Words are lower-cased, lightly stemmed and widened through a small table of admin vocabulary (won't download ->
fail + content; went down -> down), then scored with BM25 over each tree's triage symptoms, title, keywords,
summary, signatures and node text, fields weighted by how much they say about the problem. Exact IDs, message
types and log text a tree names, and signatures of its checks found in the text, add fixed boosts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

import re2

from wizard.core.model import Check, Link, Question, Runbook, Tree

FIELD_WEIGHTS = {
    "symptoms": 3.0,
    "title": 2.5,
    "keywords": 2.5,
    "summary": 1.5,
    "signatures": 1.5,
    "nodes": 0.3,
}
K1 = 1.2
B = 0.75
ID_BOOST = 6.0
CHECK_ID_BOOST = 3.0
MESSAGE_TYPE_BOOST = 5.0
SIGNATURE_BOOST = 6.0
CHECK_HIT_BOOST = 4.0
KEEP_FRACTION = 0.15
MIN_SCORE = 0.5
RULED_OUT_WEIGHT = 1.0
"""How much of what a ruling-out clause says about a tree is taken off that tree's score (on top of the clause's
words no longer counting for it)."""
RULED_OUT_SHARE = 0.6
"""A ruling-out clause lowers the trees it fits at least this share as well as the tree it fits best."""
RULED_OUT_MIN = 0.3
"""A ruling-out clause whose best tree scores below this says too little about any tree to lower one."""
MAX_TRIAGE_TEXT = 256 << 10
"""Characters of a ticket that triage reads: 256 KiB holds any ticket with its pasted lines; what comes after is
not ranked (the caller says so), so a whole log pasted by mistake cannot stall the ranking."""


@dataclass(frozen=True)
class TriageMatch:
    tree: str
    node: str
    score: float
    why: str


_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing done during each even ever every few for from further get
    gets got had has have having he her here hers him his how i if in into is it its itself just me more most my
    no nor not now of off on once only or other our ours out over own please same she should since so some still
    such than that the their them then there these they this those through to too under until up us very was we
    were what when where which while who whom why will with would yet you your yours hi hello thanks thank
    regards ticket user users issue issues problem problems help anyone someone something today yesterday
    morning afternoon seems seem see saw look looks like""".split()
)

_CONCEPTS: dict[str, tuple[str, ...]] = {
    "fail": ("fail", "fails", "failed", "failing", "failure", "error", "errors", "broken", "unable", "refuse",
             "refused", "reject", "rejected", "rejects", "denied"),
    "content": ("download", "downloads", "downloading", "content", "package", "packages", "software",
                "application", "applications", "deployment", "deployments", "advertisement", "advertisements",
                "program", "programs", "install", "installs", "software center"),
    "dp": ("dp", "dps", "distribution point", "distribution points", "branch dp"),
    "client": ("client", "clients", "workstation", "workstations", "pc", "pcs", "desktop", "desktops", "laptop",
               "laptops", "machine", "machines", "endpoint", "endpoints"),
    "stuck": ("pending", "stuck", "hang", "hangs", "hung", "waiting", "queued", "stays", "stayed", "never",
              "inactive", "not active", "backlog", "piling up", "pile up", "filling up", "retry", "retrying",
              "retries"),
    "replicate": ("replicate", "replicates", "replicated", "replicating", "replication", "sync", "synced",
                  "synchronize", "synchronise", "synchronization", "synchronisation", "out of sync", "propagate"),
    "old": ("old", "older", "oldest", "existing", "historical", "history", "previous", "earlier", "past",
            "backfill", "missing", "existed before"),
    "item": ("item", "items", "post", "posts", "email", "emails", "mail", "document", "documents"),
    "pf": ("public folder", "public folders", "pf", "pfs", "public store", "public folder store",
           "public folder server"),
    "down": ("down", "offline", "unavailable", "dead", "crashed", "crash", "outage", "unreachable", "died", "lost",
             "gone", "went down", "switched off", "powered off", "power off", "shut down", "shutdown", "disaster",
             "dr", "failover", "failed over", "fail over", "not responding"),
    "connect": ("connect", "connects", "connecting", "connected", "connection", "connections", "connectivity",
                "reach", "reachable", "contact", "communicate", "communication", "talk", "talking"),
    "console": ("console", "consoles", "operations console", "ops console"),
    "rms": ("rms", "root management server", "root ms", "management server", "management group", "scom",
            "opsmgr", "operations manager", "mom"),
    "key": ("key", "keys", "public key", "certificate", "certificates", "cert", "trust", "trusted", "untrusted",
            "preinst", "key exchange"),
    "site": ("site", "sites", "secondary", "primary", "parent", "child", "hierarchy"),
    "address": ("address", "addresses", "sender", "sender address"),
    "agent": ("agent", "agents", "health service", "grey", "gray", "greyed", "grayed"),
    "alert": ("alert", "alerts", "monitoring"),
    "slow": ("slow", "hours", "delay", "delayed", "forever", "takes ages", "8 hours", "eight hours"),
    "dns": ("dns", "a record", "host record", "ttl", "flushdns", "displaydns", "dns cache"),
    "oneway": ("one way", "one direction", "one way only", "in one direction", "comes back", "come back",
               "coming back", "back from", "returns", "returning", "the other way", "other direction",
               "flows one way", "only flows"),
}

_CONTRACTIONS = (
    (re.compile(r"\bwon'?t\b"), "will not"),
    (re.compile(r"\bcan'?t\b"), "can not"),
    (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"\bshan'?t\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
)
_TOKEN = re.compile(r"0x[0-9a-f]+|[a-z0-9]+")
_SUFFIXES = (
    ("ational", "ate"), ("ization", "ize"), ("isation", "ize"), ("ations", "ate"), ("ation", "ate"),
    ("ivity", ""), ("ings", ""), ("ing", ""), ("ions", ""), ("ion", ""), ("ies", "y"), ("ied", "y"),
    ("edly", ""), ("ed", ""), ("ers", "er"), ("ly", ""), ("es", ""), ("s", ""),
)


def stem(word: str) -> str:
    """A light suffix stripper: enough to make replicating/replication/replicated one term."""
    if len(word) <= 3 or word.isdigit() or word.startswith("0x"):
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def _words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("`", "'")
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return _TOKEN.findall(text)


def _build_concepts() -> tuple[dict[str, set[str]], dict[tuple[str, ...], set[str]]]:
    single: dict[str, set[str]] = {}
    phrases: dict[tuple[str, ...], set[str]] = {}
    for concept, members in _CONCEPTS.items():
        for member in members:
            stems = tuple(stem(w) for w in _words(member))
            if len(stems) == 1:
                single.setdefault(stems[0], set()).add("~" + concept)
            elif stems:
                phrases.setdefault(stems, set()).add("~" + concept)
    return single, phrases


_SINGLE, _PHRASES = _build_concepts()
_PHRASE_LENGTHS = sorted({len(p) for p in _PHRASES}, reverse=True)


@dataclass
class _Terms:
    """A text's terms (stems and concepts) and, for explanations, the word each came from."""

    counts: Counter[str] = field(default_factory=Counter)
    source: dict[str, str] = field(default_factory=dict)


def analyse(text: str) -> _Terms:
    words = _words(text)
    stems = [stem(w) for w in words]
    terms = _Terms()

    def add(term: str, word: str) -> None:
        terms.counts[term] += 1
        terms.source.setdefault(term, word)

    for i, (word, s) in enumerate(zip(words, stems)):
        for length in _PHRASE_LENGTHS:
            key = tuple(stems[i : i + length])
            if len(key) == length and key in _PHRASES:
                for concept in _PHRASES[key]:
                    add(concept, " ".join(words[i : i + length]))
        if word in _STOPWORDS or s in _STOPWORDS or (len(word) == 1 and word.isalpha()):
            continue
        add(s, word)
        for concept in _SINGLE.get(s, ()):
            add(concept, word)
    return terms


@dataclass
class _Document:
    tree: Tree
    fields: dict[str, Counter[str]]
    weighted: dict[str, float]
    length: float
    symptoms: list[tuple[str, set[str]]]
    message_types: set[int]
    check_event_ids: set[int]


_DOCUMENTS: dict[tuple[str, str], _Document] = {}


def _document(tree: Tree) -> _Document:
    key = (tree.id, tree.content_hash)
    if tree.content_hash and key in _DOCUMENTS:
        return _DOCUMENTS[key]
    t = tree.triage
    texts = {
        "symptoms": list(t.symptoms),
        "title": [tree.title],
        "keywords": list(t.keywords),
        "summary": [tree.summary],
        "signatures": list(t.signatures),
        "nodes": _node_texts(tree),
    }
    fields: dict[str, Counter[str]] = {name: Counter() for name in texts}
    for name, items in texts.items():
        for item in items:
            fields[name].update(analyse(item).counts)
    # A Counter summing float weights; typeshed types a Counter's values as int, so it is typed as the mapping it is.
    weighted = cast("dict[str, float]", Counter())
    length = 0.0
    for name, counts in fields.items():
        weight = FIELD_WEIGHTS[name]
        for term, n in counts.items():
            weighted[term] += weight * n
        length += weight * sum(counts.values())
    doc = _Document(
        tree=tree,
        fields=fields,
        weighted=weighted,
        length=length,
        symptoms=[(s, set(analyse(s).counts)) for s in t.symptoms],
        message_types={v for v in (_hex_value(m) for m in t.message_types) if v is not None},
        check_event_ids={
            sig.event_id
            for node in tree.nodes.values()
            if isinstance(node, Check)
            for sig in node.signatures
            if sig.event_id is not None
        },
    )
    if tree.content_hash:
        _DOCUMENTS[key] = doc
    return doc


def _node_texts(tree: Tree) -> list[str]:
    out: list[str] = []
    for node in tree.nodes.values():
        if isinstance(node, (Question, Check)):
            out += [node.title, node.prompt]
            out += [c.label for c in node.choices]
            if isinstance(node, Check):
                out += [s.means for s in node.signatures]
                out += [s.literal for s in node.signatures if s.literal]
        elif isinstance(node, Runbook):
            out += [node.title, node.diagnosis]
        elif isinstance(node, Link):
            out.append(node.why)
    return [text for text in out if text]


def _hex_value(text: str) -> int | None:
    try:
        return int(text.strip(), 16) if text.strip().lower().startswith("0x") else None
    except ValueError:
        return None


_NUMBER = re.compile(r"(?<![\w.])(\d{3,6})(?!\w|\.\w)")
"""An ID in running text: a sentence may end right after it ("... event ID 21006.")."""
_HEX = re.compile(r"(?<![\w])0x[0-9a-fA-F]{1,8}(?![\w])")
_PLACEHOLDER = re.compile(r"<[^<>]*>|\{[^{}]*\}|%\d+")
_SPACE = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text.lower()).strip()


def _signature_found(signature: str, ticket: str) -> bool:
    """Whether the ticket contains the signature's text, its placeholders standing for anything."""
    pieces = [p.strip() for p in _PLACEHOLDER.split(_normal(signature))]
    pieces = [p for p in pieces if len(p) >= 6]
    if not pieces:
        return False
    at = 0
    for piece in pieces:
        found = ticket.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def cut_for_triage(text: str) -> tuple[str, bool]:
    """The part of the text triage reads, and whether anything was cut off."""
    if len(text) <= MAX_TRIAGE_TEXT:
        return text, False
    return text[:MAX_TRIAGE_TEXT], True


def rank(text: str, trees: Iterable[Tree]) -> list[TriageMatch]:
    """The trees that fit the text, best first; each names the node a triage hit enters (the tree's entry).

    Only the first MAX_TRIAGE_TEXT characters are read (see cut_for_triage).
    """
    text, _ = cut_for_triage(text)
    docs = [_document(tree) for tree in trees]
    if not docs or not text.strip():
        return []
    ruled_out = ruled_out_clauses(text)
    positive = _without(text, ruled_out)
    query = analyse(positive)
    ticket = _normal(positive)
    numbers = {int(n) for n in _NUMBER.findall(positive)}
    hex_values = {v for v in (_hex_value(h) for h in _HEX.findall(positive)) if v is not None}
    check_hits = _check_hits(positive, [d.tree for d in docs]) if positive.strip() else {}

    total = len(docs)
    average = sum(d.length for d in docs) / total or 1.0
    frequency = Counter(term for d in docs for term in d.weighted)
    lowered = _lowered_by(ruled_out, docs, frequency, total, average)

    scored: list[tuple[float, _Document, str]] = []
    for doc in docs:
        contributions = _bm25(query, doc, frequency, total, average)
        score = sum(part for part, _ in contributions)
        reasons: list[str] = []
        symptom = _best_symptom(doc, query, frequency, total)
        if symptom:
            reasons.append(f"symptom \u201c{symptom}\u201d")
        t = doc.tree.triage
        for number in sorted(numbers):
            if number in t.event_ids:
                score += ID_BOOST
                reasons.append(f"event ID {number}")
            elif number in t.status_ids:
                score += ID_BOOST
                reasons.append(f"status message {number}")
            elif number in doc.check_event_ids:
                score += CHECK_ID_BOOST
                reasons.append(f"event ID {number} is read by a check")
        for value in sorted(hex_values & doc.message_types):
            score += MESSAGE_TYPE_BOOST
            reasons.append(f"message type 0x{value:X}".replace("0X", "0x"))
        found = [s for s in t.signatures if _signature_found(s, ticket)]
        if found:
            score += SIGNATURE_BOOST + min(len(found) - 1, 2)
            reasons.append(f"log text \u201c{_short(max(found, key=len))}\u201d")
        matched_checks = check_hits.get(doc.tree.id, [])
        if matched_checks:
            score += CHECK_HIT_BOOST * min(len(matched_checks), 2)
            reasons.append("matches " + ", ".join(f"check signature {m}" for m in matched_checks[:2]))
        words = [query.source[term] for _, term in sorted(contributions, reverse=True)[:4]]
        words = list(dict.fromkeys(w for w in words if w))
        words = [w for w in words if not any(w != other and w in other for other in words)]
        if words:
            reasons.append("words: " + ", ".join(words[:3]))
        for penalty, clause in lowered.get(doc.tree.id, []):
            score -= penalty
            reasons.append(f"ruled out: \u201c{_short(clause)}\u201d")
        if score > 0:
            scored.append((score, doc, "; ".join(reasons)))

    if not scored:
        return []
    top = max(score for score, _, _ in scored)
    floor = max(MIN_SCORE, KEEP_FRACTION * top)
    scored.sort(key=lambda item: (-item[0], item[1].tree.id))
    return [
        TriageMatch(doc.tree.id, doc.tree.entry, round(score, 2), why)
        for score, doc, why in scored
        if score >= floor
    ]


def _bm25(
    query: _Terms, doc: _Document, frequency: Counter[str], total: int, average: float
) -> list[tuple[float, str]]:
    """(contribution, term) for every query term the tree's text shares, by BM25 over the weighted fields."""
    out: list[tuple[float, str]] = []
    for term in query.counts:
        tf = doc.weighted.get(term, 0.0)
        if not tf:
            continue
        idf = math.log(1 + (total - frequency[term] + 0.5) / (frequency[term] + 0.5))
        out.append((idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * doc.length / average)), term))
    return out


# Help-desk ways of saying a cause was checked and is not it. RE2, so a hostile ticket cannot make it slow.
_RULING_OUT = re2.compile(
    "(?i)"
    + "|".join(
        [
            r"\bno\s(?:\w+\s){0,3}?(?:errors?|problems?|issues?|entries|warnings|complaints|refusals)\b",
            r"\bnothing\s(?:about|wrong|odd|unusual|in\sthere)\b",
            r"\bwithout\s(?:any\s)?(?:errors?|problems?|issues?)\b",
            r"\b(?:is|are|was|were|looks?|seems?|checks?\sout|checked\sout)\s(?:all\s|perfectly\s|totally\s)?"
            r"(?:clean|fine|ok|okay|healthy|correct|good)\b",
            r"\b(?:it'?s|it\sis|that'?s|that\sis|its)\snot\s(?:the|a|an|that)\b",
            r"\bnot\s(?:the|a|an)\s(?:\w+\s){0,3}?(?:problem|issue|cause|culprit)\b",
            r"\bruled\sout\b",
            r"\b(?:is|are|was|were)\s(?:not|n't)\s(?:pending|down|offline|stuck|dead|full)\b",
            r"\b(?:isn't|aren't|wasn't|weren't)\s(?:pending|down|offline|stuck|dead|full)\b",
            r"\b(?:exchanged|swapped|imported|copied)\s(?:\w+\s){0,3}?(?:by\shand|manually|already|with\spreinst)\b",
            r"\b(?:by\shand|manually|already)\s(?:\w+\s){0,2}?(?:exchanged|swapped|imported)\b",
            r"\b(?:exists?|there|set\sup|configured|in\splace|ok|fine)\s(?:\w+\s){0,2}?both\sways\b",
            r"\b(?:i|we)\s(?:first\s|initially\s|originally\s)?(?:thought|suspected|assumed|figured)\b",
            r"\b(?:at\sfirst|first)\s(?:i|we)\s(?:thought|suspected|assumed)\b",
            r"\b(?:finished|completed|succeeded|worked)\s"
            r"(?:fine|ok|okay|cleanly|successfully|without\s(?:any\s)?errors)\b",
        ]
    )
)
_SENTENCE_END = ".!?"
_CLAUSE_BREAK = re2.compile(
    "[.!?][\"'\u201d\u2019)]*\\s+|;+|\\n[ \\t]*\\n\\s*|,\\s+"
    "|\\s+(?:but|however|although|though|whereas|except\\sthat)\\s+|:\\s+|\\s+-+\\s+"
)
_LOG_LIKE = ("$$<", "<![LOG[", "event id:", "source:", "log name:")


MAX_RULED_OUT = 20
"""Ruling-out clauses read per ticket; a real ticket has a handful, and each costs a scoring pass."""
_CLAUSE_REACH = 400
"""Characters looked at on either side of a ruling-out phrase to find where its clause begins and ends."""


def ruled_out_clauses(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each clause in which the ticket rules a cause out ("despool.log is clean", "keys were
    exchanged by hand", "it's not the sender"). Clauses end at sentence ends, commas, blank lines and words such
    as "but"; a single line break does not end one, since tickets wrap their lines. A pasted log line or event
    field is a segment of its own and is never read as ruling anything out.

    The work follows the ruling-out phrases, not the clauses: each phrase found is widened to its clause within
    a bounded reach, so a ticket of a hundred thousand commas costs no more than one without any.
    """
    out: list[tuple[int, int, str]] = []
    source = text.replace("\u2019", "'")
    for seg_start, seg_end in _prose_segments(text):
        at = seg_start
        while len(out) < MAX_RULED_OUT:
            cue = _RULING_OUT.search(source, at, seg_end)
            if cue is None:
                break
            start = max(seg_start, cue.start() - _CLAUSE_REACH)
            for brk in _CLAUSE_BREAK.finditer(text, start, cue.start()):
                start = brk.end()
            reach = min(seg_end, cue.end() + _CLAUSE_REACH)
            brk = _CLAUSE_BREAK.search(text, cue.end(), reach)
            end = reach if brk is None else brk.start() + (text[brk.start()] in _SENTENCE_END)
            if not out or start >= out[-1][1]:
                out.append((start, end, " ".join(text[start:end].split())))
            at = max(end, cue.end())
    return out


def _prose_segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of the runs of lines that are not pasted log or event lines."""
    segments: list[tuple[int, int]] = []
    run_start: int | None = None
    at = 0
    for line in text.splitlines(keepends=True):
        lowered = line.lower()
        if any(marker in lowered for marker in _LOG_LIKE):
            if run_start is not None:
                segments.append((run_start, at))
                run_start = None
        elif run_start is None:
            run_start = at
        at += len(line)
    if run_start is not None:
        segments.append((run_start, at))
    return segments


def _without(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The text with the given spans blanked out (line breaks kept, so pasted records keep their lines)."""
    if not spans:
        return text
    parts: list[str] = []
    at = 0
    for start, end, _ in spans:
        parts.append(text[at:start])
        parts.append("".join(ch if ch == "\n" else " " for ch in text[start:end]))
        at = end
    parts.append(text[at:])
    return "".join(parts)


def _lowered_by(
    clauses: list[tuple[int, int, str]],
    docs: list[_Document],
    frequency: Counter[str],
    total: int,
    average: float,
) -> dict[str, list[tuple[float, str]]]:
    """For each tree, (penalty, clause) for the ruling-out clauses that are about it.

    A clause is about the trees its words fit better than most: its words, scored like a ticket, give each tree a
    score, and what a tree scores above the median is what the clause says about that tree in particular ("the
    secondary" fits every site tree, "not pending" only one). The best tree and any within RULED_OUT_SHARE of it
    lose that part.
    """
    out: dict[str, list[tuple[float, str]]] = {}
    for _, _, clause in clauses:
        terms = analyse(clause)
        scores = {doc.tree.id: sum(p for p, _ in _bm25(terms, doc, frequency, total, average)) for doc in docs}
        ordered = sorted(scores.values())
        common = ordered[len(ordered) // 2] if ordered else 0.0
        best = (ordered[-1] if ordered else 0.0) - common
        if best < RULED_OUT_MIN:
            continue
        for tree_id, value in scores.items():
            if value - common >= RULED_OUT_SHARE * best:
                out.setdefault(tree_id, []).append((RULED_OUT_WEIGHT * (value - common), clause))
    return out


def _best_symptom(doc: _Document, query: _Terms, frequency: Counter[str], total: int) -> str:
    best, best_weight = "", 0.0
    for text, terms in doc.symptoms:
        shared = terms & set(query.counts)
        weight = sum(math.log(1 + (total - frequency[t] + 0.5) / (frequency[t] + 0.5)) for t in shared)
        if weight > best_weight:
            best, best_weight = text, weight
    return best if best_weight >= 1.0 else ""


def _check_hits(text: str, trees: list[Tree]) -> dict[str, list[str]]:
    """Check signatures (log lines, event IDs in pasted events) found in the text, by tree."""
    from wizard.core.evidence import probes_for, scan_text

    probes = probes_for(trees)
    if not probes:
        return {}
    report = scan_text(text, probes, name="<ticket>")
    out: dict[str, list[str]] = {}
    for hit in report.hits:
        label = f"{hit.node}/{hit.signature}"
        if label not in out.setdefault(hit.tree, []):
            out[hit.tree].append(label)
    return out


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
