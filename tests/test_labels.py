from pipeline import labels


def test_four_paradoxes_of_two_poles_each():
    assert len(labels.PARADOXES) == 4
    assert len(labels.POLES) == 8 == len(set(labels.POLES))
    assert labels.POLE_TO_PARADOX["agility"] == "stability_agility"


def test_tensions_need_both_poles_of_one_paradox():
    assert labels.tensions(["trust", "analysis"]) == ["trust_analysis"]
    assert labels.tensions(["trust", "content"]) == []
    assert labels.tensions(["cocreation", "process", "consolidation", "content"]) == [
        "process_content", "consolidation_cocreation"]


def test_dutch_display_names():
    assert labels.display_name("forming", "nl") == "formeren"
    assert labels.display_name("cocreation", "nl") == "co-creëren"
    assert labels.display_name("transcend", "nl") == "overstijgen"
    assert labels.display_name("trust", "en") == "trust"
    assert all(k in labels.DUTCH for k in (*labels.PHASES, *labels.POLES, *labels.RESPONSES, *labels.PARADOXES))


def test_sort_poles_is_canonical_and_deduplicated():
    assert labels.sort_poles(["content", "trust", "content"]) == ["trust", "content"]
