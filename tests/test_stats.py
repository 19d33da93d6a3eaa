from pipeline.stats import group_of, profile, summarize, year_of
from pipeline.types import TaggedPassage

PH = ("forming", "founding", "evolution", "transformation", "none")


def tp(i, path, phase, poles=(), response=None, conf=0.9, uncertain=False):
    from pipeline.labels import POLES, tensions

    return TaggedPassage(id=f"{path}#{i}", doc_id=path.rsplit(".", 1)[0], path=path, start=0, end=1, text="x",
                         lang="nl", phase=phase, phase_scores={k: (conf if k == phase else (1 - conf) / 4) for k in PH},
                         poles=list(poles), pole_scores={k: (0.8 if k in poles else 0.1) for k in POLES},
                         tensions=tensions(poles), response=response, model="m@1", uncertain=uncertain)


def test_balance_index_tension_rate_and_profiles():
    ps = [tp(1, "a/2019-x.md", "forming", ["trust"]), tp(2, "a/2019-x.md", "forming", ["trust", "analysis"], "balance"),
          tp(3, "a/2019-x.md", "none"), tp(4, "b/y.md", "evolution", ["content"], uncertain=True)]
    s = profile(ps)
    assert s["passages"] == 4 and s["phase_profile"]["forming"] == 0.5
    b = s["balance"]["trust_analysis"]
    assert (b["count_a"], b["count_b"], b["index"]) == (2, 1, round(1 / 3, 4))
    assert s["balance"]["stability_agility"]["index"] is None
    assert s["balance"]["process_content"]["index"] == -1.0
    assert s["tension_rate_per_100"] == 25.0 and s["response_counts"]["balance"] == 1
    assert s["pole_weighted"]["trust"] == round(0.8 + 0.8 + 0.1 + 0.1, 3)
    assert profile(ps, exclude_uncertain=True)["passages"] == 3


def test_groupings():
    ps = [tp(1, "a/2019-x.md", "forming"), tp(2, "b/notes.md", "none"), tp(3, "top.md", "none")]
    s = summarize(ps, {"b/notes": {"date": "2021-05-01"}})
    assert set(s["by_group"]) == {"a", "b", "."}
    assert set(s["by_year"]) == {"2019", "2021"}
    assert group_of("x/y/z.md") == "x" and group_of("z.md") == "."


def test_year_order():
    assert year_of("a/2020-report.docx", {"created": "2013-12-23"}) == "2020"
    assert year_of("a/report.docx", {"created": "2013-12-23"}) == "2013"
    assert year_of("a/2020-report.docx", {"date": "2018-01-01"}) == "2018"
    assert year_of("a/report.docx", {}) is None
