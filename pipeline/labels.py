"""The label inventory of SPEC §2, in one place.

Every other module takes its labels from here: phase ids, pole ids, the four
paradoxes as pole pairs, response ids, their Dutch display names, and the
derivation of tensions from poles.
"""

from __future__ import annotations

from typing import Iterable

PHASES: tuple[str, ...] = ("forming", "founding", "evolution", "transformation", "none")

PARADOXES: dict[str, tuple[str, str]] = {
    "trust_analysis": ("trust", "analysis"),
    "process_content": ("process", "content"),
    "stability_agility": ("stability", "agility"),
    "consolidation_cocreation": ("consolidation", "cocreation"),
}

POLES: tuple[str, ...] = tuple(p for pair in PARADOXES.values() for p in pair)

RESPONSES: tuple[str, ...] = ("accept", "unravel", "balance", "transcend")

LANGS: tuple[str, ...] = ("nl", "en")
GENRES: tuple[str, ...] = ("mission_statement", "minutes", "report", "other")

DUTCH: dict[str, str] = {
    "forming": "formeren",
    "founding": "funderen",
    "evolution": "evolutie",
    "transformation": "transformatie",
    "none": "geen",
    "trust": "vertrouwen op gevoel",
    "analysis": "nauwkeurige analyse",
    "process": "proces",
    "content": "inhoud",
    "stability": "stabiliteit",
    "agility": "wendbaarheid",
    "consolidation": "consolideren",
    "cocreation": "co-creëren",
    "trust_analysis": "vertrouwen – analyse",
    "process_content": "proces – inhoud",
    "stability_agility": "stabiliteit – wendbaarheid",
    "consolidation_cocreation": "consolideren – co-creëren",
    "accept": "uithouden",
    "unravel": "uiteenrafelen",
    "balance": "balanceren",
    "transcend": "overstijgen",
}

POLE_TO_PARADOX: dict[str, str] = {
    pole: paradox for paradox, pair in PARADOXES.items() for pole in pair
}


def display_name(label: str, lang: str = "en") -> str:
    """The display name of a label id: the id itself in English, Dutch for ``nl``."""
    if lang == "nl":
        return DUTCH[label]
    if label not in DUTCH:
        raise KeyError(label)
    return label.replace("_", " – ") if label in PARADOXES else label


def tensions(poles: Iterable[str]) -> list[str]:
    """Paradox ids whose two poles are both in ``poles``, in SPEC order."""
    present = set(poles)
    return [pid for pid, (a, b) in PARADOXES.items() if a in present and b in present]


def sort_poles(poles: Iterable[str]) -> list[str]:
    """Poles deduplicated and in the canonical order of :data:`POLES`."""
    present = set(poles)
    return [p for p in POLES if p in present]
