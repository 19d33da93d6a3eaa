from pipeline.language import detect, set_languages
from pipeline.types import Passage


def test_dutch_english_other():
    assert detect("Het dagelijks bestuur vergaderde dinsdag over de nieuwe leden.") == "nl"
    assert detect("The steering group met on Tuesday to discuss new members.") == "en"
    assert detect("Der Vorstand hat am Dienstag über die neuen Mitglieder beraten.") == "other"
    assert detect("Le conseil a discuté mardi de l'adhésion des nouveaux membres.") == "other"


def test_short_passages_take_the_document_language():
    ps = [Passage("d#1", "d", "Aanwezig: Jan"), Passage("d#2", "d", "De leden besloten unaniem om de statuten aan te passen."),
          Passage("d#3", "d", "Wvttk")]
    out = set_languages(ps)
    assert [p.lang for p in out] == ["nl", "nl", "nl"]
    assert [p.lang for p in ps] == ["", "", ""]  # passages are frozen: new ones are made
    given = [Passage("e#1", "e", "Kort", lang="en"), *ps[1:]]
    assert [p.lang for p in set_languages(given)] == ["en", "nl", "nl"]  # a given language is kept


def test_many_is_one_by_one_and_empty_is_empty():
    from pipeline import language

    texts = ["Het dagelijks bestuur vergaderde dinsdag over de nieuwe leden.",
             "The steering group met on Tuesday to discuss new members.",
             "Der Vorstand hat am Dienstag über die neuen Mitglieder beraten.", "Wvttk", "ok"]
    assert language.detect_many(texts) == [language.detect(t) for t in texts]
    assert language.detect_many(texts)[:3] == ["nl", "en", "other"]
    assert language.detect_many([]) == []


def test_texts_with_line_breaks_and_no_letters():
    from pipeline import language

    assert language.detect("De leden\nbesloten unaniem\n\nom de statuten aan te passen.") == "nl"
    assert language.detect("12 345 € 6") in ("nl", "en", "other")


def test_a_passage_keeps_another_language_only_when_sure():
    from pipeline.language import SURE, detect_scored

    doc = ["De algemene ledenvergadering stemde in met het jaarplan en de begroting voor volgend jaar.",
           "The board thanked the members for their patience during the long transition period this year.",
           "Daarna volgde een korte pauze en werd de vergadering om half tien voortgezet.",
           "Het bestuur dankt alle vrijwilligers voor hun inzet in het afgelopen jaar."]
    out = set_languages([Passage(f"d#{i}", "d", t) for i, t in enumerate(doc)])
    assert [p.lang for p in out] == ["nl", "en", "nl", "nl"]  # a clear English paragraph in a Dutch document
    lang, prob = detect_scored(doc[1])
    assert lang == "en" and prob >= SURE


FOREIGN = [  # each in a language that is neither Dutch nor English
    "Der Vorstand hat beschlossen, dass die neuen Mitglieder worden sind und ab März mitarbeiten.",
    "Le conseil a décidé que les nouveaux membres seront accueillis en mars par le bureau.",
    "Bestyrelsen har besluttet at de nye medlemmer kan begynde i marts, og hun er enig om det.",
    "El consejo decidió que te informaría sobre los nuevos miembros en marzo de este año.",
    "Zarząd uznał, że to jest dobry moment na przyjęcie nowych członków w marcu.",
    "Il consiglio ha deciso che i nuovi membri entreranno a marzo nella rete regionale.",
]


def test_function_words_settle_only_dutch_and_english():
    from pipeline.language import marked

    assert marked("Het bestuur heeft besloten dat de nieuwe leden vanaf maart meedoen.") == "nl"
    assert marked("The board decided that the new members will join from March.") == "en"
    assert marked("Tabel 3") is None and marked("") is None
    # both languages' function words: the detector decides
    assert marked("Het rapport van the steering group is with de leden gedeeld.") is None
    for text in FOREIGN:
        assert marked(text) is None, text


def test_the_shortcut_gives_the_detectors_answers(monkeypatch):
    """With the function-word shortcut on or off, the same languages, for a Dutch document with English and
    foreign passages and for an English one; the shortcut spares most detector calls."""
    from pipeline import language

    nl = ["De algemene ledenvergadering stemde in met het jaarplan en de begroting voor volgend jaar.",
          "The board thanked the members for their patience during the long transition period this year.",
          "Daarna volgde een korte pauze en werd de vergadering om half tien voortgezet.",
          "Het bestuur dankt alle vrijwilligers voor hun inzet in het afgelopen jaar.", *FOREIGN, "Rondvraag"]
    en = ["The partners agreed that the fund will be reviewed by an external panel next spring.",
          "Members were asked to send their comments on the draft charter before the end of May.",
          "Het bestuur dankt alle vrijwilligers voor hun inzet in het afgelopen jaar.", *FOREIGN, "AOB"]
    calls = []
    real = language.detect_scored
    monkeypatch.setattr(language, "detect_scored", lambda *a, **k: calls.append(a) or real(*a, **k))
    for doc in (nl, en):
        ps = [Passage(f"d#{i}", "d", t) for i, t in enumerate(doc)]
        monkeypatch.setattr(language, "MARKED", 0)
        calls.clear()
        without = [p.lang for p in language.set_languages(ps)]
        n_without = len(calls)
        monkeypatch.setattr(language, "MARKED", 2)
        calls.clear()
        assert [p.lang for p in language.set_languages(ps)] == without
        assert len(calls) < n_without
    assert without[:2] == ["en", "en"] and without[-1] == "en" and "other" in without
