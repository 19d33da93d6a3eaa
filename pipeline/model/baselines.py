"""Baselines for the model comparison: a keyword dictionary and a zero-shot embedding matcher.

Both follow the backend interface (``fit(train, dev)``, ``predict_scores``) so
that they are scored by the same code as the real backends. Neither learns
from the training texts: ``fit`` only calibrates on them and tunes thresholds
on dev.
"""

from __future__ import annotations

import re

import numpy as np

from ..labels import PHASES, POLES, RESPONSES
from ..types import AnnotatedPassage
from . import calibrate
from .linear import RESPONSE_CLASSES, Scores, targets

# cue words per label, Dutch and English, from the annotation guidelines' "typical cues"
CUES: dict[str, list[str]] = {
    "forming": [r"verkenn\w*", r"kennismak\w*", r"intentieverklaring", r"eerste (gesprek|ontmoeting|bijeenkomst)\w*",
                r"initiatiefnemers?", r"explor\w*", r"letter of intent", r"first meeting", r"initiators?",
                r"get(ting)? (to know|acquainted)", r"kwartiermaker"],
    "founding": [r"statuten", r"handvest", r"reglement\w*", r"oprichting\w*", r"toelating\w*", r"secretariaat",
                 r"stemrecht\w*", r"charter", r"articles?", r"statutes", r"admission", r"secretariat",
                 r"governance", r"founding", r"members? (shall|commit)", r"leden (verbinden|zijn)"],
    "evolution": [r"programma'?s?", r"projecten", r"resultat\w*", r"uitvoering", r"jaarverslag", r"behaald",
                  r"programmes?", r"projects?", r"results?", r"delivered", r"this year", r"dit jaar",
                  r"achieved", r"targets?"],
    "transformation": [r"herijk\w*", r"strategie\w*", r"fusie\w*", r"nieuwe (partners|koers)", r"omgeving verandert",
                       r"herstructur\w*", r"strateg\w*", r"merg\w*", r"new kinds? of partners?", r"reshap\w*",
                       r"transform\w*", r"future of the network", r"koerswijziging"],
    "trust": [r"vertrouw\w*", r"klikte", r"gevoel", r"persoonlijk\w*", r"samen (eten|gegeten)", r"passie",
              r"trust\w*", r"chemistry", r"gut", r"instinct\w*", r"dinner", r"personal", r"passion\w*", r"heart"],
    "analysis": [r"analys\w*", r"cijfers", r"due diligence", r"risico\w*", r"beoordel\w*", r"toets\w*",
                 r"audited", r"figures", r"risk\w*", r"assess\w*", r"check\w*", r"scan", r"reputation",
                 r"reputatie", r"bijdrage per lid"],
    "process": [r"gesprek\w*", r"dialoog", r"overleg\w*", r"relatie\w*", r"inwerk\w*", r"spanning\w*", r"bemiddel\w*",
                r"dialogue", r"conversations?", r"relationships?", r"onboard\w*", r"listen\w*", r"friction"],
    "content": [r"doelen", r"doelstelling\w*", r"indicator\w*", r"meten", r"meetbaar", r"kwaliteitssysteem",
                r"afspraken", r"goals?", r"targets?", r"indicators?", r"measur\w*", r"kpis?", r"milestones?"],
    "stability": [r"kern\w*", r"identiteit", r"principes?", r"beginsel\w*", r"continuïteit", r"vasthouden",
                  r"core", r"identity", r"principles?", r"continuity", r"roots", r"hold(ing)? on"],
    "agility": [r"snel\w*", r"wendbaar\w*", r"flexib\w*", r"inspel\w*", r"schakel\w*", r"aanpass\w*",
                r"quick\w*", r"fast", r"flexib\w*", r"adapt\w*", r"agil\w*", r"within (days|weeks)", r"pivot\w*"],
    "consolidation": [r"borgen", r"consolider\w*", r"realistisch\w*", r"haalbaar\w*", r"pas op de plaats",
                      r"capaciteit", r"consolidat\w*", r"realistic\w*", r"feasib\w*", r"pause", r"capacity",
                      r"what works", r"wat werkt"],
    "cocreation": [r"samen (bedenken|ontwikkelen|bouwen)", r"nieuwe ideeën", r"droom\w*", r"ambitie\w*",
                   r"co-?creat\w*", r"together we", r"new ideas?", r"dream\w*", r"ambition\w*", r"imagin\w*",
                   r"bold", r"pilot\w*", r"experiment\w*"],
    "accept": [r"hoort erbij", r"leven met", r"ongemak", r"live with", r"part of the work", r"endure\w*",
               r"uithouden", r"discomfort"],
    "unravel": [r"hebben elkaar nodig", r"need each other", r"zonder .* geen", r"without .* no", r"both sides"],
    "balance": [r"evenwicht", r"balans tussen", r"balance between", r"middenweg", r"combin\w*", r"mix",
                r"enerzijds", r"on the one hand"],
    "transcend": [r"experiment\w*", r"proef\w*", r"pilot\w*", r"samen leren", r"learn\w* together",
                  r"nieuwe vorm", r"new form", r"beyond"],
}
_PATTERNS = {k: re.compile(r"\b(?:" + "|".join(v) + r")\b", re.I) for k, v in CUES.items()}


def keyword_hits(texts: list[str]) -> dict[str, np.ndarray]:
    return {k: np.array([len(p.findall(t)) for t in texts], dtype=np.float64) for k, p in _PATTERNS.items()}


class KeywordModel:
    """Counts cue words: the phase with most hits (else ``none``), a pole when it has any hit."""

    backend = "keywords"

    def fit(self, train: list[AnnotatedPassage], dev: list[AnnotatedPassage] | None = None) -> "KeywordModel":
        self.thresholds_ = {p: 0.5 for p in POLES}
        self.response_threshold_ = 0.5
        self.abstain_threshold_ = 0.0
        return self

    def predict_scores(self, texts: list[str]) -> Scores:
        hits = keyword_hits(list(texts))
        n = len(texts)
        phase = np.zeros((n, len(PHASES)))
        for j, ph in enumerate(PHASES[:-1]):
            phase[:, j] = hits[ph]
        phase[:, -1] = 0.5  # none wins when no cue fires
        phase = phase / phase.sum(1, keepdims=True)
        poles = np.stack([1 - 0.5 ** hits[p] for p in POLES], axis=1)
        resp = np.zeros((n, len(RESPONSE_CLASSES)))
        resp[:, 0] = 0.5
        for j, r in enumerate(RESPONSES, 1):
            resp[:, j] = hits[r]
        resp = resp / resp.sum(1, keepdims=True)
        return Scores(phase, poles, resp)


# label descriptions in both languages, after SPEC §2
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "forming": ("Initiators find each other around a shared ambition, get acquainted and explore working together.",
                "Initiatiefnemers vinden elkaar rond een gedeelde ambitie, maken kennis en verkennen samenwerking."),
    "founding": ("The alliance sets up its governance: statutes, charter, decision rules, secretariat, admission of "
                 "members.", "Het samenwerkingsverband regelt zijn bestuur: statuten, handvest, besluitvorming, "
                            "secretariaat en toelating van leden."),
    "evolution": ("The alliance runs programmes and projects, reports results and keeps its members involved.",
                  "Het verband voert programma's en projecten uit, rapporteert resultaten en houdt leden betrokken."),
    "transformation": ("The alliance revises its strategy, reshapes the network or admits new kinds of partners as "
                       "the environment changes.", "Het verband herziet zijn strategie, hervormt het netwerk of laat "
                                                   "nieuwe soorten partners toe nu de omgeving verandert."),
    "none": ("Attendance, addresses, dates of meetings, financial boilerplate and general context.",
             "Aanwezigen, adressen, vergaderdata, financiële standaardtekst en algemene context."),
    "trust": ("Personal trust, chemistry, intuition and commitment; taking time to get to know each other.",
              "Persoonlijk vertrouwen, het klikt, intuïtie en betrokkenheid; tijd nemen om elkaar te leren kennen."),
    "analysis": ("Careful assessment of a partner's reputation, contribution and reliability; due diligence.",
                 "Zorgvuldige beoordeling van reputatie, bijdrage en betrouwbaarheid van een partner; risicoanalyse."),
    "process": ("Bringing convictions together, maintaining working relations, dialogue and dealing with tensions.",
                "Overtuigingen samenbrengen, werkrelaties onderhouden, dialoog en omgaan met spanningen."),
    "content": ("Concrete feasible goals, governance arrangements, indicators, measuring and celebrating results.",
                "Concrete haalbare doelen, bestuursafspraken, indicatoren, resultaten meten en vieren."),
    "stability": ("Holding on to the core, strength drawn from identity, principles and continuity.",
                  "Vasthouden aan de kern, kracht uit identiteit, principes en continuïteit."),
    "agility": ("Adapting and responding quickly and flexibly to change.",
                "Snel en flexibel inspelen op veranderingen en zich aanpassen."),
    "consolidation": ("Securing quality for members, pausing to reflect on what works, realism about capacities.",
                      "Kwaliteit borgen voor de leden, stilstaan bij wat werkt, realisme over wat haalbaar is."),
    "cocreation": ("Generating appealing ideas for a desirable future together and starting something new.",
                   "Samen aansprekende ideeën bedenken voor een gewenste toekomst en iets nieuws beginnen."),
    "accept": ("Accepting the tension and enduring the discomfort for the sake of the mission.",
               "De spanning aanvaarden en het ongemak verdragen omwille van de missie."),
    "unravel": ("Taking the opposites apart and showing how both sides need each other.",
                "De tegenstellingen uit elkaar halen en laten zien hoe beide kanten elkaar nodig hebben."),
    "balance": ("Seeking a workable equilibrium or combination of two opposite demands.",
                "Een werkbaar evenwicht of een combinatie zoeken tussen twee tegengestelde eisen."),
    "transcend": ("Moving beyond either/or by experimenting and learning together.",
                  "Voorbij het of-of gaan door samen te experimenteren en te leren."),
}


class ZeroShotModel:
    """Cosine similarity between a passage's USE embedding and the label descriptions (best of nl/en).

    ``fit`` does not learn from training texts: it fits a softmax temperature and
    per-label Platt scaling of the similarities on dev, and tunes thresholds there.
    """

    backend = "zeroshot"

    def _sims(self, texts: list[str]) -> dict[str, np.ndarray]:
        from .features import UseFeatures

        use = UseFeatures()
        labels = list(DESCRIPTIONS)
        desc = use.transform([d for lab in labels for d in DESCRIPTIONS[lab]])
        X = use.transform(list(texts))
        sims = X @ desc.T
        return {lab: sims[:, 2 * i:2 * i + 2].max(1) for i, lab in enumerate(labels)}

    def fit(self, train: list[AnnotatedPassage], dev: list[AnnotatedPassage] | None = None) -> "ZeroShotModel":
        ref = dev or train
        s = self._sims([p.text for p in ref])
        phase, poles, resp = targets(ref)
        self.phase_temperature_ = calibrate.fit_temperature(np.stack([s[p] for p in PHASES], 1), phase)
        self.platt_ = {p: calibrate.fit_platt(s[p], poles[:, j]) for j, p in enumerate(POLES)}
        self.response_temperature_ = calibrate.fit_temperature(
            np.stack([np.full(len(ref), np.median(s["balance"]))] + [s[r] for r in RESPONSES], 1), resp)
        sc = self.predict_scores([p.text for p in ref])
        self.thresholds_ = {p: calibrate.tune_threshold(sc.poles[:, j], poles[:, j], shrink=0.0, lo=0.02)
                            for j, p in enumerate(POLES)}
        self.response_threshold_ = 0.5
        self.abstain_threshold_ = 0.0
        return self

    def predict_scores(self, texts: list[str]) -> Scores:
        s = self._sims(list(texts))
        phase = calibrate.softmax(np.stack([s[p] for p in PHASES], 1), self.phase_temperature_)
        poles = np.stack([calibrate.sigmoid(self.platt_[p][0] * s[p] + self.platt_[p][1]) for p in POLES], 1)
        base = np.full(len(texts), 0.0) + np.median(s["balance"]) if len(texts) else np.zeros(0)
        resp = calibrate.softmax(np.stack([base] + [s[r] for r in RESPONSES], 1), self.response_temperature_)
        return Scores(phase, poles, resp)


class SpacyTextcatModel:
    """spaCy's ``textcat_multilabel`` (bag-of-words architecture, uni- and bigrams) trained on the same data:
    a comparison row. One multi-label component scores the 5 phases, 8 poles and 4 responses; the phase is
    the best-scoring phase label; pole thresholds are tuned on dev."""

    backend = "spacy-bow"

    def __init__(self, epochs: int = 12, seed: int = 0):
        self.epochs, self.seed = epochs, seed

    def fit(self, train: list[AnnotatedPassage], dev: list[AnnotatedPassage] | None = None) -> "SpacyTextcatModel":
        import random

        import spacy
        from spacy.training import Example

        spacy.util.fix_random_seed(self.seed)
        nlp = spacy.blank("xx")
        tc = nlp.add_pipe("textcat_multilabel", config={"model": {
            "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
            "no_output_layer": False, "length": 262144}})
        labels = [*(f"phase:{p}" for p in PHASES), *POLES, *RESPONSES]
        for lab in labels:
            tc.add_label(lab)

        def cats(p: AnnotatedPassage) -> dict[str, float]:
            c = {lab: 0.0 for lab in labels}
            c[f"phase:{p.phase}"] = 1.0
            for x in p.poles:
                c[x] = 1.0
            if p.response:
                c[p.response] = 1.0
            return c

        examples = [Example.from_dict(nlp.make_doc(p.text), {"cats": cats(p)}) for p in train]
        opt = nlp.initialize(lambda: examples)
        rng = random.Random(self.seed)
        for _ in range(self.epochs):
            rng.shuffle(examples)
            for i in range(0, len(examples), 32):
                nlp.update(examples[i:i + 32], sgd=opt, drop=0.1)
        self.nlp_ = nlp
        self.thresholds_ = {p: 0.5 for p in POLES}
        self.response_threshold_ = 0.5
        self.abstain_threshold_ = 0.0
        if dev:
            s = self.predict_scores([p.text for p in dev])
            _, poles, resp = targets(dev)
            self.thresholds_ = {p: calibrate.tune_threshold(s.poles[:, j], poles[:, j]) for j, p in enumerate(POLES)}
            self.response_threshold_ = calibrate.tune_threshold(1 - s.response[:, 0], (resp > 0).astype(int))
        return self

    def predict_scores(self, texts: list[str]) -> Scores:
        docs = list(self.nlp_.pipe(list(texts), batch_size=256))
        phase = np.array([[d.cats[f"phase:{p}"] for p in PHASES] for d in docs]).reshape(-1, len(PHASES))
        phase = phase / np.maximum(phase.sum(1, keepdims=True), 1e-9)
        poles = np.array([[d.cats[p] for p in POLES] for d in docs]).reshape(-1, len(POLES))
        r = np.array([[d.cats[x] for x in RESPONSES] for d in docs]).reshape(-1, len(RESPONSES))
        none = np.clip(1 - r.max(1, initial=0.0), 0, 1)[:, None] if len(docs) else np.zeros((0, 1))
        resp = np.hstack([none, r])
        resp = resp / np.maximum(resp.sum(1, keepdims=True), 1e-9)
        return Scores(phase, poles, resp)
