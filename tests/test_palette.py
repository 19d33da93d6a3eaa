"""The label colours stay apart under the common colour-vision deficiencies, and text on them is readable.

Deficiencies are simulated with the matrices of Machado, Oliveira and Fernandes (2009, severity 1.0) on
linear RGB; distances are CIE76 ΔE in CIELAB (D65). A ΔE of about 2 is just noticeable; colours 15 or
more apart are told apart at a glance. Every report chart also prints its labels and numbers, so colour
is never the only cue.
"""

from itertools import combinations

import numpy as np
import pytest

from pipeline.labels import PHASES, POLES, TABLE
from pipeline.output.charts import contrast, ink

SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
MIN_DELTA_E = 15.0
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
WHITE_D65 = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(colour: str) -> np.ndarray:
    c = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    xyz = SRGB_TO_XYZ @ linear / WHITE_D65
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def min_distance(colours: dict[str, str], simulation: np.ndarray) -> tuple[float, str, str]:
    seen = {k: lab(np.clip(simulation @ linear_rgb(c), 0, 1)) for k, c in colours.items()}
    return min((float(np.linalg.norm(seen[a] - seen[b])), a, b) for a, b in combinations(seen, 2))


@pytest.mark.parametrize("vision,pair", [("protanopia", ("#CC0000", "#006600")),
                                         ("deuteranopia", ("#CC0000", "#009900")),
                                         ("tritanopia", ("#33CC99", "#00CC00"))])
def test_the_simulation_merges_a_confusion_pair(vision, pair):
    # the check can fail: colours far apart in normal vision collapse under the deficiency's simulation
    colours = dict(zip("ab", pair))
    assert min_distance(colours, SIMULATIONS["normal"])[0] > 60
    assert min_distance(colours, SIMULATIONS[vision])[0] < 10


@pytest.mark.parametrize("kind,ids", [("phase", PHASES), ("pole", POLES)])
@pytest.mark.parametrize("vision", list(SIMULATIONS))
def test_label_colours_stay_apart(kind, ids, vision):
    d, a, b = min_distance({k: TABLE[k].colour for k in ids}, SIMULATIONS[vision])
    assert d >= MIN_DELTA_E, f"{kind} colours {a} and {b} are only ΔE {d:.1f} apart under {vision}"


def test_badge_text_is_readable_on_every_label_colour():
    for k in (*PHASES, *POLES):
        bg = TABLE[k].colour
        assert contrast(bg, ink(bg)) >= 4.5, k  # WCAG AA for normal text
    assert ink("#332288") == "#ffffff" and ink("#DDCC77") == "#000000"
