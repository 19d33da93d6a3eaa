"""Function words of Dutch and English: never shown as the reason for a label.

A linear model can lean on "de", "the" or "daarna" because of how a corpus was written; an explanation
that names them tells a reader nothing about the label. :func:`is_function_word` is true for such words
and for word pairs made only of them ("tussen de", "of the").
"""

from __future__ import annotations

DUTCH = frozenset("""
aan aangezien al alle alleen als alsof altijd ander andere anders bij binnen buiten daar daarbij daarin
daarna daarom daarnaast daardoor daarmee daarop daarover dan dat de deze die dit doch door dus een eens
elk elke en enige er eerst etc geen had hadden heb hebben heeft het hier hij hoe hun ik in is je jij
kan kon konden kunnen kwam kwamen maar mag me meer met mij mijn moet moeten na naar naast niet nog nu
of om omdat onder ons onze ook op over per reeds sinds sommige te tegen toch toen tot tussen u uit van
vanaf vanuit veel voor vooral waar waarbij waarin waarna waarop wanneer want was waren wat we wel welk
welke werd werden wie wij wordt worden zal zelf zich zij zijn zo zoals zonder zou zouden zowel
ook nu dan eenmaal eens steeds weer wel een twee drie vier vijf zes tien één
""".split())

ENGLISH = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few first five for four from further had
has have having he her here hers him his how i if in into is it its itself just me more most my no nor not
now of off on once only or other our ours out over own same she should so some such than that the their
them then there these they this those three through to too two under until up very was we were what when
where which while who whom why will with would you your one also which whose yet upon via per
""".split())

WORDS = DUTCH | ENGLISH


def is_function_word(term: str) -> bool:
    """Whether ``term`` (a word or a space-separated word pair, any case) is made of function words only."""
    parts = term.lower().split()
    return bool(parts) and all(p in WORDS for p in parts)
