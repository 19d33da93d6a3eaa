"""The label table: every label of the tagger, in one place.

Each :class:`Label` holds what the project knows about it: id, kind, Dutch and
English names, definitions in both languages, colour, paradox and cue terms.
Everything else derives from :data:`TABLE`: the label lists and their order
(which fix the columns of every score array), the Dutch display names, the
paradox pairs and tensions, the REFI-QDA codebook, the Label Studio config, the
report's colours, the theory lexicon of cue terms and the keyword baseline.
Adding a label means adding one :class:`Label` here.

The colours are the Okabe-Ito palette (phases, responses) and Paul Tol's
"muted" palette (poles, paradoxes); both were made to stay distinguishable
under the common colour-vision deficiencies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

KINDS = ("phase", "pole", "paradox", "response")


@dataclass(frozen=True)
class Label:
    """One label: a phase, a paradox pole, a paradox (a pole pair) or a response to a tension.

    ``cues`` are regular-expression fragments (case-insensitive, matched at word boundaries), Dutch
    and English, taken from the guidelines' definitions and typical cues: the theory lexicon. They
    are features a model may weigh and what the keyword baseline counts, never rules.
    """

    id: str
    kind: str
    dutch: str
    english: str
    definition: str
    definition_nl: str
    colour: str
    paradox: str | None = None
    cues: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"label {self.id!r}: kind must be one of {', '.join(KINDS)}, got {self.kind!r}")

    def name(self, lang: str = "en") -> str:
        """The display name: Dutch for ``nl``, English otherwise."""
        return self.dutch if lang == "nl" else self.english


@dataclass(frozen=True)
class LabelTable:
    """An ordered set of labels with the views derived from it. The order of each kind is the column
    order of the model's score arrays."""

    labels: tuple[Label, ...]
    langs: tuple[str, ...] = ("nl", "en")
    genres: tuple[str, ...] = ("mission_statement", "minutes", "report", "other")
    _by_id: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        seen: dict[str, Label] = {}
        for lab in self.labels:
            if lab.id in seen:
                raise ValueError(f"label {lab.id!r} appears twice in the label table")
            seen[lab.id] = lab
        for lab in self.labels:
            if lab.kind == "pole" and (lab.paradox not in seen or seen[lab.paradox].kind != "paradox"):
                raise ValueError(f"pole {lab.id!r}: its paradox {lab.paradox!r} is not a paradox of the table")
        self._by_id.update(seen)
        for pid, pair in self.paradoxes.items():
            if len(pair) != 2:
                raise ValueError(f"paradox {pid!r} needs exactly two poles, has {list(pair)}")

    def __getitem__(self, label_id: str) -> Label:
        return self._by_id[label_id]

    def __contains__(self, label_id: object) -> bool:
        return label_id in self._by_id

    def of_kind(self, kind: str) -> tuple[Label, ...]:
        return tuple(lab for lab in self.labels if lab.kind == kind)

    def ids(self, kind: str) -> tuple[str, ...]:
        return tuple(lab.id for lab in self.of_kind(kind))

    @cached_property
    def phases(self) -> tuple[str, ...]:
        return self.ids("phase")

    @cached_property
    def poles(self) -> tuple[str, ...]:
        return self.ids("pole")

    @cached_property
    def responses(self) -> tuple[str, ...]:
        return self.ids("response")

    @cached_property
    def paradoxes(self) -> dict[str, tuple[str, ...]]:
        return {p.id: tuple(lab.id for lab in self.of_kind("pole") if lab.paradox == p.id)
                for p in self.of_kind("paradox")}

    @cached_property
    def dutch(self) -> dict[str, str]:
        return {lab.id: lab.dutch for lab in self.labels}

    @cached_property
    def colours(self) -> dict[str, str]:
        return {lab.id: lab.colour for lab in self.labels}

    @cached_property
    def cues(self) -> dict[str, tuple[str, ...]]:
        return {lab.id: lab.cues for lab in self.labels if lab.cues}

    def tensions(self, poles: Iterable[str]) -> list[str]:
        """Paradox ids whose two poles are both in ``poles``, in table order."""
        present = set(poles)
        return [pid for pid, pair in self.paradoxes.items() if all(p in present for p in pair)]

    def sort_poles(self, poles: Iterable[str]) -> list[str]:
        """Poles deduplicated and in table order."""
        present = set(poles)
        return [p for p in self.poles if p in present]

    def lists(self) -> dict[str, list[str]]:
        """The label lists a model records in its config (and is checked against when loaded)."""
        return {"phase": list(self.phases), "poles": list(self.poles), "response": list(self.responses)}


TABLE = LabelTable((
    # ------------------------------------------------------------------ phases
    Label("forming", "phase", "formeren", "forming",
          "initiators finding each other around a shared ambition; getting acquainted; exploratory talks, "
          "letters of intent, first meetings; building the first trust",
          "initiatiefnemers vinden elkaar rond een gedeelde ambitie; kennismaken; verkennende gesprekken, "
          "intentieverklaringen, eerste bijeenkomsten; het eerste vertrouwen opbouwen",
          "#56B4E9",
          cues=(r"verkenn\w*", r"kennismak\w*", r"intentieverklaring", r"eerste (?:gesprek|ontmoeting|bijeenkomst)\w*",
                r"initiatiefnemers?", r"kwartiermaker\w*", r"explor\w*", r"letter of intent", r"first meeting",
                r"initiators?", r"get(?:ting)? (?:to know|acquainted)", r"acquaint\w*")),
    Label("founding", "phase", "funderen", "founding",
          "working out the shared identity and ambition; first new members; setting up governance: statutes, "
          "charter, decision rules, secretariat, admission criteria",
          "de gedeelde identiteit en ambitie uitwerken; de eerste nieuwe leden; het bestuur inrichten: statuten, "
          "handvest, besluitvorming, secretariaat, toelatingscriteria",
          "#009E73",
          cues=(r"statut\w*", r"handvest", r"reglement\w*", r"oprichting\w*", r"opgericht", r"toelating\w*",
                r"secretaria\w*", r"stemrecht\w*", r"charter", r"bylaws", r"articles? of association",
                r"admission", r"governance", r"founding", r"members? (?:shall|commit)", r"leden (?:verbinden|zijn)")),
    Label("evolution", "phase", "evolutie", "evolution",
          "realising the joint goal in daily operation: programmes, projects, results, member engagement, "
          "handling friction and conflict",
          "het gezamenlijke doel in de dagelijkse praktijk realiseren: programma's, projecten, resultaten, "
          "betrokkenheid van leden, wrijving en conflict hanteren",
          "#F0E442",
          cues=(r"programma'?s?", r"projecten", r"resultat\w*", r"uitvoering", r"jaarverslag", r"behaald",
                r"programmes?", r"projects?", r"results?", r"delivered", r"this year", r"dit jaar", r"achieved",
                r"member engagement", r"ledenbetrokkenheid")),
    Label("transformation", "phase", "transformatie", "transformation",
          "innovating as the environment changes: strategy revision, reshaping the network, new kinds of partners, "
          "mergers or splits, identity under pressure",
          "blijven vernieuwen nu de omgeving verandert: strategie herzien, het netwerk hervormen, nieuwe soorten "
          "partners, fusie of splitsing, identiteit onder druk",
          "#D55E00",
          cues=(r"herijk\w*", r"strategi\w*", r"fusie\w*", r"nieuwe (?:partners|koers)", r"omgeving verandert",
                r"herstructur\w*", r"koerswijziging", r"strateg\w*", r"merg\w*", r"new kinds? of partners?",
                r"reshap\w*", r"transform\w*", r"restructur\w*", r"new direction")),
    Label("none", "phase", "geen", "none",
          "no particular phase: logistics, boilerplate, general context, matters of every phase alike",
          "geen bepaalde fase: logistiek, standaardtekst, algemene context, zaken van elke fase",
          "#BBBBBB"),
    # ------------------------------------------------------------------ paradoxes and their poles
    Label("trust_analysis", "paradox", "vertrouwen – analyse", "trust – analysis",
          "tension between trusting on feeling and careful analysis of partners",
          "spanning tussen vertrouwen op gevoel en nauwkeurige analyse van partners",
          "#6699CC", paradox="trust_analysis"),
    Label("trust", "pole", "vertrouwen op gevoel", "trust",
          "personal trust, chemistry, intuition, personal commitment; taking time to get to know each other; "
          "emotional attraction of the mission",
          "persoonlijk vertrouwen, het klikt, intuïtie en persoonlijke betrokkenheid; tijd nemen om elkaar te leren "
          "kennen; de emotionele aantrekkingskracht van de missie",
          "#CC6677", paradox="trust_analysis",
          cues=(r"vertrouw\w*", r"klikte?", r"gevoel", r"intuïtie", r"chemie", r"persoonlijk\w*",
                r"samen (?:eten|gegeten)", r"passie", r"trust(?:ed|ing)?", r"chemistry", r"gut", r"instinct\w*",
                r"intuition", r"personal", r"passion\w*", r"heart")),
    Label("analysis", "pole", "nauwkeurige analyse", "analysis",
          "careful assessment of a partner's reputation, contribution and reliability; due diligence, risk "
          "analysis; guarding against opportunism",
          "zorgvuldige beoordeling van reputatie, bijdrage en betrouwbaarheid van een partner; risicoanalyse; "
          "waken tegen opportunisme",
          "#332288", paradox="trust_analysis",
          cues=(r"analys\w*", r"cijfers", r"due diligence", r"risico\w*", r"beoordel\w*", r"toets\w*",
                r"reputati\w*", r"betrouwba\w*", r"bijdrage per lid", r"audited", r"figures", r"risks?",
                r"assess\w*", r"reputation", r"reliab\w*", r"opportunis\w*", r"free[- ]rid\w*")),
    Label("process_content", "paradox", "proces – inhoud", "process – content",
          "tension between the relational process and concrete content and results",
          "spanning tussen het relationele proces en concrete inhoud en resultaten",
          "#997700", paradox="process_content"),
    Label("process", "pole", "proces", "process",
          "bringing convictions together, working relations, dialogue, dealing with tensions, choosing and "
          "embedding partners",
          "overtuigingen samenbrengen, werkrelaties onderhouden, dialoog, omgaan met spanningen, partners kiezen "
          "en inbedden",
          "#AA4499", paradox="process_content",
          cues=(r"gesprek\w*", r"dialoog", r"overleg\w*", r"relatie\w*", r"inwerk\w*", r"spanning\w*",
                r"bemiddel\w*", r"verbinding\w*", r"overtuiging\w*", r"dialogue", r"conversations?",
                r"relationships?", r"onboard\w*", r"listen\w*", r"friction")),
    Label("content", "pole", "inhoud", "content",
          "concrete and feasible goals, governance arrangements, quality systems, indicators, measuring, achieving "
          "and celebrating results, aligning activities",
          "concrete en haalbare doelen, bestuursafspraken, kwaliteitssystemen, indicatoren, resultaten meten, "
          "behalen en vieren, activiteiten op elkaar afstemmen",
          "#117733", paradox="process_content",
          cues=(r"doelen", r"doelstelling\w*", r"indicator\w*", r"meten", r"meetbaar", r"kwaliteitssyste\w*",
                r"afspraken", r"goals?", r"targets?", r"indicators?", r"measur\w*", r"kpis?", r"milestones?",
                r"quality system\w*")),
    Label("stability_agility", "paradox", "stabiliteit – wendbaarheid", "stability – agility",
          "tension between holding on to the core and adapting quickly",
          "spanning tussen vasthouden aan de kern en snel aanpassen",
          "#EE99AA", paradox="stability_agility"),
    Label("stability", "pole", "stabiliteit", "stability",
          "resilience by holding on to the core; strength drawn from identity, principles and continuity",
          "veerkracht door vast te houden aan de kern; kracht uit identiteit, principes en continuïteit",
          "#882255", paradox="stability_agility",
          cues=(r"kern\w*", r"identiteit", r"principes?", r"beginsel\w*", r"continuïteit", r"vasthouden",
                r"stabiliteit", r"core", r"identity", r"principles?", r"continuity", r"roots", r"hold(?:ing)? on",
                r"stability")),
    Label("agility", "pole", "wendbaarheid", "agility",
          "adaptability; responding quickly and flexibly to change, based on mutual trust and intensive "
          "communication",
          "aanpassingsvermogen; snel en flexibel inspelen op veranderingen, op basis van wederzijds vertrouwen en "
          "intensieve communicatie",
          "#DDCC77", paradox="stability_agility",
          cues=(r"snel\w*", r"wendba\w*", r"flexib\w*", r"inspel\w*", r"schakel\w*", r"aanpass\w*",
                r"quick\w*", r"fast", r"adapt\w*", r"agil\w*", r"within (?:days|weeks)", r"pivot\w*")),
    Label("consolidation_cocreation", "paradox", "consolideren – co-creëren", "consolidation – co-creation",
          "tension between securing what works and jointly creating something new",
          "spanning tussen borgen wat werkt en samen iets nieuws creëren",
          "#994455", paradox="consolidation_cocreation"),
    Label("consolidation", "pole", "consolideren", "consolidation",
          "securing quality for the members; pausing to reflect on what works and what is feasible; realism "
          "about capacities",
          "kwaliteit borgen voor de leden; pas op de plaats om te bezien wat werkt en haalbaar is; realisme over "
          "de eigen capaciteit",
          "#88CCEE", paradox="consolidation_cocreation",
          cues=(r"borgen", r"consolider\w*", r"realistisch\w*", r"haalba\w*", r"pas op de plaats", r"capaciteit",
                r"wat werkt", r"consolidat\w*", r"realistic\w*", r"feasib\w*", r"pause", r"capacity",
                r"what works")),
    Label("cocreation", "pole", "co-creëren", "co-creation",
          "generating appealing ideas for a desirable future together; pushing the ambition forward; jointly "
          "starting something new",
          "samen aansprekende ideeën bedenken voor een gewenste toekomst; de ambitie vooruit duwen; samen iets "
          "nieuws beginnen",
          "#44AA99", paradox="consolidation_cocreation",
          cues=(r"samen (?:bedenken|ontwikkelen|bouwen)", r"nieuwe ideeën", r"droom\w*", r"ambitie\w*",
                r"co-?creat\w*", r"co-?creë\w*", r"together we", r"new ideas?", r"dream\w*", r"ambition\w*",
                r"imagin\w*", r"bold")),
    # ------------------------------------------------------------------ responses
    Label("accept", "response", "uithouden", "accept",
          "accepts the tension as part of the work and endures the discomfort, putting the mission first",
          "aanvaardt de spanning als deel van het werk en verdraagt het ongemak, met de missie voorop",
          "#E69F00",
          cues=(r"hoort erbij", r"leven met", r"ongemak", r"uithouden", r"live with", r"part of the work",
                r"endure\w*", r"discomfort")),
    Label("unravel", "response", "uiteenrafelen", "unravel",
          "takes the opposites apart and shows how the poles need each other",
          "haalt de tegenstellingen uit elkaar en laat zien hoe beide polen elkaar nodig hebben",
          "#0072B2",
          cues=(r"hebben elkaar nodig", r"need each other", r"zonder .{1,40} geen", r"without .{1,40} no",
                r"both sides")),
    Label("balance", "response", "balanceren", "balance",
          "seeks a workable equilibrium or combination of the poles",
          "zoekt een werkbaar evenwicht of een combinatie van de polen",
          "#CC79A7",
          cues=(r"evenwicht", r"balans tussen", r"middenweg", r"enerzijds", r"balance between", r"combin\w*",
                r"mix", r"on the one hand")),
    Label("transcend", "response", "overstijgen", "transcend",
          "moves beyond the either/or by exploring new options together, experimenting and learning",
          "stijgt uit boven het of-of door samen nieuwe mogelijkheden te verkennen, te experimenteren en te leren",
          "#555555",
          cues=(r"experiment\w*", r"proef\w*", r"pilot\w*", r"samen leren", r"nieuwe vorm", r"learn\w* together",
                r"new form", r"beyond")),
))

PHASES: tuple[str, ...] = TABLE.phases
POLES: tuple[str, ...] = TABLE.poles
RESPONSES: tuple[str, ...] = TABLE.responses
PARADOXES: dict[str, tuple[str, ...]] = TABLE.paradoxes
LANGS: tuple[str, ...] = TABLE.langs
GENRES: tuple[str, ...] = TABLE.genres
DUTCH: dict[str, str] = TABLE.dutch
POLE_TO_PARADOX: dict[str, str] = {lab.id: lab.paradox for lab in TABLE.of_kind("pole")}


def display_name(label: str, lang: str = "en") -> str:
    """The display name of a label id: Dutch for ``nl``, English otherwise."""
    return TABLE[label].name(lang)


def tensions(poles: Iterable[str]) -> list[str]:
    """Paradox ids whose two poles are both in ``poles``, in table order."""
    return TABLE.tensions(poles)


def sort_poles(poles: Iterable[str]) -> list[str]:
    """Poles deduplicated and in table order."""
    return TABLE.sort_poles(poles)
