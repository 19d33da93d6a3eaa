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


def test_parallel_and_single_thread_detection_agree(monkeypatch):
    from pipeline import language

    texts = ["Het dagelijks bestuur vergaderde dinsdag over de nieuwe leden.",
             "The steering group met on Tuesday to discuss new members.",
             "Der Vorstand hat am Dienstag über die neuen Mitglieder beraten.", "Wvttk", "ok"]
    parallel = language.detect_many(texts)
    monkeypatch.setattr(language, "PARALLEL", False)
    assert language.detect_many(texts) == parallel
    assert parallel[:3] == ["nl", "en", "other"]
    assert language.detect_many([]) == []
