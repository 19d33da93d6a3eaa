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


def test_the_table_rejects_what_cannot_be_a_label_set():
    import pytest

    forming = labels.TABLE["forming"]
    with pytest.raises(ValueError, match="appears twice"):
        labels.LabelTable((forming, forming))
    with pytest.raises(ValueError, match="kind must be"):
        labels.Label("x", "colour", "x", "x", "x", "x", "#000000")
    orphan = labels.Label("hope", "pole", "hoop", "hope", "d", "d", "#123456", paradox="hope_fear")
    with pytest.raises(ValueError, match="not a paradox of the table"):
        labels.LabelTable((forming, orphan))


def test_a_new_label_needs_one_change_only():
    """A temporary table with one more paradox (two poles): every derived view follows from it."""
    import xml.etree.ElementTree as ET

    from pipeline.exchange.labelstudio import config_xml as labelstudio_config
    from pipeline.exchange.refi import codebook

    extra = (
        labels.Label("hope_fear", "paradox", "hoop – vrees", "hope – fear", "tension", "spanning", "#101010",
                     paradox="hope_fear"),
        labels.Label("hope", "pole", "hoop", "hope", "looking forward", "vooruitzien", "#202020",
                     paradox="hope_fear", cues=(r"hoop\w*", r"hope\w*")),
        labels.Label("fear", "pole", "vrees", "fear", "fearing the worst", "het ergste vrezen", "#303030",
                     paradox="hope_fear"),
    )
    table = labels.LabelTable(labels.TABLE.labels + extra)
    assert table.poles == (*labels.POLES, "hope", "fear")
    assert table.paradoxes["hope_fear"] == ("hope", "fear")
    assert table.tensions(["fear", "trust", "hope"]) == ["hope_fear"]
    assert table.dutch["fear"] == "vrees" and table.colours["hope"] == "#202020"
    assert table.cues["hope"] == (r"hoop\w*", r"hope\w*")
    assert table.lists()["poles"][-2:] == ["hope", "fear"]
    ls = ET.fromstring(labelstudio_config(table))
    poles = [c.get("value") for ch in ls.iter("Choices") if ch.get("name") == "poles" for c in ch]
    assert poles[-2:] == ["hope", "fear"]
    paradox_group = [c for c in codebook(table) if c.key == "group:paradox"][0]
    assert [k.key for k in paradox_group.children][-1] == "paradox:hope_fear"
    assert [k.name for k in paradox_group.children[-1].children] == ["hope", "fear"]
    # the package's own table is untouched
    assert "hope" not in labels.TABLE and len(labels.POLES) == 8


def test_colours_are_distinct_within_each_kind():
    for kind in ("phase", "pole", "paradox", "response"):
        colours = [lab.colour.lower() for lab in labels.TABLE.of_kind(kind)]
        assert len(set(colours)) == len(colours), kind
