"""Caption templates for RTime-synth: one forward (A) and one reverse (B) direction per event family.

Each direction has TRAIN templates and two pools of held-out templates, TEST (the original pool)
and FRESH (a second pool written blind, see the end of this module); the test split of a synthetic
data set is captioned only with held-out ones, so an evaluation on it measures whether a model
learned the meaning of a direction and not the wording of the training captions.

Slots: ``{c}`` colour, ``{o}`` object noun, ``{c2}`` second colour (colour-change family).
"""
from __future__ import annotations

import json
from pathlib import Path

# family -> {"A": {"train": [...], "test": [...]}, "B": {...}, "nouns": [...]}
FAMILIES: dict[str, dict] = {
    "horizontal": {
        "A": {"train": [
            "a {c} {o} moves from left to right",
            "the {c} {o} slides to the right",
            "a {c} {o} travels across the screen from left to right",
            "a {c} {o} is moving rightwards",
            "the {c} {o} goes from the left side to the right side",
            "a {c} {o} shifts towards the right",
            "moving to the right, a {c} {o} crosses the frame",
            "the {c} {o} starts on the left and ends on the right",
        ], "test": [
            "a {c} {o} drifts over to the right-hand side",
            "the {c} {o} heads right",
            "a {c} {o} glides toward the right edge",
        ]},
        "B": {"train": [
            "a {c} {o} moves from right to left",
            "the {c} {o} slides to the left",
            "a {c} {o} travels across the screen from right to left",
            "a {c} {o} is moving leftwards",
            "the {c} {o} goes from the right side to the left side",
            "a {c} {o} shifts towards the left",
            "moving to the left, a {c} {o} crosses the frame",
            "the {c} {o} starts on the right and ends on the left",
        ], "test": [
            "a {c} {o} drifts over to the left-hand side",
            "the {c} {o} heads left",
            "a {c} {o} glides toward the left edge",
        ]},
    },
    "vertical": {
        "A": {"train": [
            "a {c} {o} moves upwards",
            "the {c} {o} rises from the bottom to the top",
            "a {c} {o} goes up",
            "the {c} {o} floats upward",
            "a {c} {o} climbs higher and higher",
            "a {c} {o} travels from the bottom of the frame to the top",
            "the {c} {o} lifts up",
            "a {c} {o} moves toward the top",
        ], "test": [
            "a {c} {o} ascends",
            "the {c} {o} is carried up to the top edge",
            "a {c} {o} soars upward",
        ]},
        "B": {"train": [
            "a {c} {o} moves downwards",
            "the {c} {o} falls from the top to the bottom",
            "a {c} {o} goes down",
            "the {c} {o} sinks downward",
            "a {c} {o} drops lower and lower",
            "a {c} {o} travels from the top of the frame to the bottom",
            "the {c} {o} comes down",
            "a {c} {o} moves toward the bottom",
        ], "test": [
            "a {c} {o} descends",
            "the {c} {o} is carried down to the bottom edge",
            "a {c} {o} plunges downward",
        ]},
    },
    "size": {
        "A": {"train": [
            "a {c} {o} grows bigger",
            "the {c} {o} gets larger",
            "a small {c} {o} grows into a big one",
            "the {c} {o} expands",
            "a {c} {o} increases in size",
            "the {c} {o} swells up",
            "a tiny {c} {o} becomes large",
            "the {c} {o} keeps getting bigger",
        ], "test": [
            "a {c} {o} enlarges",
            "the {c} {o} inflates to a greater size",
            "a {c} {o} balloons outward",
        ]},
        "B": {"train": [
            "a {c} {o} shrinks",
            "the {c} {o} gets smaller",
            "a big {c} {o} shrinks into a small one",
            "the {c} {o} contracts",
            "a {c} {o} decreases in size",
            "the {c} {o} shrivels up",
            "a large {c} {o} becomes tiny",
            "the {c} {o} keeps getting smaller",
        ], "test": [
            "a {c} {o} diminishes",
            "the {c} {o} deflates to a lesser size",
            "a {c} {o} dwindles away to a speck",
        ]},
    },
    "fill": {
        "nouns": ["glass", "container", "jar", "tank"],
        "A": {"train": [
            "a {o} fills up with {c} liquid",
            "{c} liquid pours into the {o} until it is full",
            "the {o} is being filled with {c} water",
            "the level of {c} liquid in the {o} rises",
            "an empty {o} becomes full of {c} liquid",
            "{c} paint fills the {o}",
            "the {o} gets filled to the top with {c} fluid",
            "a {o} filling with {c} liquid",
        ], "test": [
            "the {c} fluid inside a {o} goes up until it brims",
            "someone tops up a {o} with {c} liquid",
            "the {o} is loaded with more and more {c} liquid",
        ]},
        "B": {"train": [
            "a {o} empties of {c} liquid",
            "{c} liquid drains out of the {o} until it is empty",
            "the {o} is being emptied of {c} water",
            "the level of {c} liquid in the {o} falls",
            "a full {o} of {c} liquid becomes empty",
            "{c} paint drains from the {o}",
            "the {o} gets emptied to the bottom of {c} fluid",
            "a {o} emptying of {c} liquid",
        ], "test": [
            "the {c} fluid inside a {o} goes down until nothing is left",
            "someone drains a {o} of its {c} liquid",
            "the {o} holds less and less {c} liquid",
        ]},
    },
    "opacity": {
        "A": {"train": [
            "a {c} {o} fades in",
            "a {c} {o} slowly appears",
            "the {c} {o} becomes visible",
            "a {c} {o} materializes out of nothing",
            "a faint {c} {o} becomes solid",
            "the {c} {o} emerges gradually",
            "a {c} {o} shows up out of thin air",
            "a {c} {o} gradually comes into view",
        ], "test": [
            "a {c} {o} pops into existence gently",
            "the transparent {c} {o} turns opaque",
            "a {c} {o} is revealed little by little",
        ]},
        "B": {"train": [
            "a {c} {o} fades out",
            "a {c} {o} slowly disappears",
            "the {c} {o} becomes invisible",
            "a {c} {o} dissolves into nothing",
            "a solid {c} {o} becomes faint",
            "the {c} {o} vanishes gradually",
            "a {c} {o} melts into thin air",
            "a {c} {o} gradually goes out of view",
        ], "test": [
            "a {c} {o} slips out of existence gently",
            "the opaque {c} {o} turns transparent",
            "a {c} {o} is hidden little by little",
        ]},
    },
    "rotation": {
        "nouns_exclude": ["circle", "ball", "disc"],
        "A": {"train": [
            "a {c} {o} rotates clockwise",
            "the {c} {o} spins clockwise",
            "a {c} {o} turns in the clockwise direction",
            "a {c} {o} is rotating like the hands of a clock",
            "the {c} {o} twists clockwise",
            "a {c} {o} revolves clockwise in place",
            "clockwise rotation of a {c} {o}",
            "the {c} {o} turns to the right",
        ], "test": [
            "a {c} {o} pivots the way a clock runs",
            "the {c} {o} whirls in a clockwise sense",
            "a {c} {o} goes round clockwise",
        ]},
        "B": {"train": [
            "a {c} {o} rotates counterclockwise",
            "the {c} {o} spins counterclockwise",
            "a {c} {o} turns in the counterclockwise direction",
            "a {c} {o} is rotating against the hands of a clock",
            "the {c} {o} twists counterclockwise",
            "a {c} {o} revolves counterclockwise in place",
            "counterclockwise rotation of a {c} {o}",
            "the {c} {o} turns to the left",
        ], "test": [
            "a {c} {o} pivots anticlockwise",
            "the {c} {o} whirls in an anti-clockwise sense",
            "a {c} {o} goes round counter clockwise",
        ]},
    },
    "stack": {
        "nouns": ["blocks", "boxes", "bricks", "cubes"],
        "A": {"train": [
            "{c} {o} are stacked one on top of another",
            "someone builds a tower of {c} {o}",
            "{c} {o} are piled up one by one",
            "a stack of {c} {o} is built up",
            "{c} {o} are placed on top of each other",
            "a tower of {c} {o} grows block by block",
            "{c} {o} get stacked into a pile",
            "the pile of {c} {o} gets taller",
        ], "test": [
            "{c} {o} are heaped up, each landing on the last",
            "a column of {c} {o} is assembled",
            "{c} {o} are added to the top of the pile",
        ]},
        "B": {"train": [
            "{c} {o} are unstacked one at a time",
            "someone takes apart a tower of {c} {o}",
            "{c} {o} are removed from the pile one by one",
            "a stack of {c} {o} is taken down",
            "{c} {o} are taken off the top of each other",
            "a tower of {c} {o} shrinks block by block",
            "{c} {o} get unstacked from a pile",
            "the pile of {c} {o} gets shorter",
        ], "test": [
            "{c} {o} are lifted off, each from the top of the heap",
            "a column of {c} {o} is dismantled",
            "{c} {o} are cleared away from the top of the pile",
        ]},
    },
    "colour": {
        "A": {"train": [
            "a {o} changes colour from {c} to {c2}",
            "the {c} {o} turns {c2}",
            "a {c} {o} becomes {c2}",
            "the {o} goes from {c} to {c2}",
            "a {o} that was {c} ends up {c2}",
            "the colour of the {o} shifts from {c} to {c2}",
            "a {c} {o} slowly changes into a {c2} one",
            "the {o} starts {c} and finishes {c2}",
        ], "test": [
            "a {o} is recoloured, {c} first and {c2} at the end",
            "the {c} tint of a {o} gives way to {c2}",
            "a {o} transitions to {c2} after being {c}",
        ]},
        # B is the same event with the two colours exchanged: filled in by _colour_b()
    },
    "approach": {
        "A": {"train": [
            "two {c} {o}s move toward each other",
            "two {c} {o}s come together",
            "a pair of {c} {o}s approach each other",
            "two {c} {o}s get closer and closer",
            "two {c} {o}s meet in the middle",
            "the distance between two {c} {o}s shrinks",
            "two {c} {o}s converge",
            "two {c} {o}s slide toward one another",
        ], "test": [
            "two {c} {o}s draw nearer to one another",
            "the gap between a pair of {c} {o}s closes up",
            "two {c} {o}s close in on each other",
        ]},
        "B": {"train": [
            "two {c} {o}s move away from each other",
            "two {c} {o}s move apart",
            "a pair of {c} {o}s separate from each other",
            "two {c} {o}s get farther and farther apart",
            "two {c} {o}s leave the middle in opposite directions",
            "the distance between two {c} {o}s grows",
            "two {c} {o}s diverge",
            "two {c} {o}s slide away from one another",
        ], "test": [
            "two {c} {o}s drift further from one another",
            "the gap between a pair of {c} {o}s opens up",
            "two {c} {o}s spread out from each other",
        ]},
    },
    "brightness": {
        "A": {"train": [
            "the scene around a {c} {o} gets brighter",
            "the lights come on over a {c} {o}",
            "a dark picture of a {c} {o} becomes bright",
            "a {c} {o} is gradually lit up",
            "the room with a {c} {o} brightens",
            "the brightness increases around a {c} {o}",
            "the image of a {c} {o} goes from dark to light",
            "light slowly fills the frame with a {c} {o}",
        ], "test": [
            "the view of a {c} {o} is illuminated more and more",
            "it becomes lighter and lighter around a {c} {o}",
            "darkness lifts from a scene with a {c} {o}",
        ]},
        "B": {"train": [
            "the scene around a {c} {o} gets darker",
            "the lights go off over a {c} {o}",
            "a bright picture of a {c} {o} becomes dark",
            "a {c} {o} is gradually cast into shadow",
            "the room with a {c} {o} darkens",
            "the brightness decreases around a {c} {o}",
            "the image of a {c} {o} goes from light to dark",
            "darkness slowly fills the frame with a {c} {o}",
        ], "test": [
            "the view of a {c} {o} is dimmed more and more",
            "it becomes gloomier and gloomier around a {c} {o}",
            "night falls on a scene with a {c} {o}",
        ]},
    },
    "draw": {
        "nouns_exclude": ["ball", "disc", "block", "box"],
        "A": {"train": [
            "the outline of a {c} {o} is being drawn",
            "someone draws a {c} {o}",
            "a {c} {o} is sketched line by line",
            "a {c} line traces out a {o}",
            "the contour of a {c} {o} appears stroke by stroke",
            "a {c} {o} is being painted as an outline",
            "a pen draws the shape of a {c} {o}",
            "the border of a {c} {o} gets drawn",
        ], "test": [
            "a {c} {o} shape is traced around its edge",
            "the edges of a {c} {o} are penned in",
            "an artist outlines a {c} {o}",
        ]},
        "B": {"train": [
            "the outline of a {c} {o} is being erased",
            "someone erases a {c} {o}",
            "a {c} {o} is rubbed out line by line",
            "a {c} line disappears from a {o}",
            "the contour of a {c} {o} vanishes stroke by stroke",
            "a {c} {o} outline is being wiped away",
            "an eraser removes the shape of a {c} {o}",
            "the border of a {c} {o} gets erased",
        ], "test": [
            "a {c} {o} shape is wiped off around its edge",
            "the edges of a {c} {o} are scrubbed out",
            "an artist deletes the outline of a {c} {o}",
        ]},
    },
    "scatter": {
        "A": {"train": [
            "a {c} {o} breaks apart into pieces",
            "a {c} {o} shatters and the pieces fly outward",
            "a {c} {o} explodes into fragments",
            "pieces of a {c} {o} scatter in all directions",
            "a {c} {o} bursts into small bits",
            "a {c} {o} falls apart",
            "the {c} {o} splits into many pieces that spread out",
            "a {c} {o} disintegrates",
        ], "test": [
            "a {c} {o} crumbles and its parts disperse",
            "a {c} {o} blows up into a cloud of specks",
            "the {c} {o} splinters into fragments that drift away",
        ]},
        "B": {"train": [
            "pieces come together to form a {c} {o}",
            "scattered fragments assemble into a {c} {o}",
            "bits fly inward and build a {c} {o}",
            "pieces of a {c} {o} gather from all directions",
            "small pieces merge into a {c} {o}",
            "a {c} {o} is put together from fragments",
            "many pieces join up to make a {c} {o}",
            "a {c} {o} reassembles itself",
        ], "test": [
            "specks converge and form a {c} {o}",
            "a cloud of parts collects into a {c} {o}",
            "fragments reunite as a whole {c} {o}",
        ]},
    },
    "door": {
        "nouns": ["door", "gate"],
        "A": {"train": [
            "a {c} {o} opens",
            "someone opens a {c} {o}",
            "the {c} {o} swings open",
            "a closed {c} {o} is opened",
            "the {c} {o} is being opened",
            "a {c} {o} opens wide",
            "the {c} {o} goes from closed to open",
            "a {c} {o} is pulled open",
        ], "test": [
            "a {c} {o} is unlatched and swung back",
            "the shut {c} {o} ends up ajar",
            "a {c} {o} comes open",
        ]},
        "B": {"train": [
            "a {c} {o} closes",
            "someone closes a {c} {o}",
            "the {c} {o} swings shut",
            "an open {c} {o} is closed",
            "the {c} {o} is being closed",
            "a {c} {o} closes completely",
            "the {c} {o} goes from open to closed",
            "a {c} {o} is pushed shut",
        ], "test": [
            "a {c} {o} is swung back and latched",
            "the open {c} {o} ends up sealed",
            "a {c} {o} comes shut",
        ]},
    },
    "dots": {
        "nouns": ["dots", "spots", "points"],
        "A": {"train": [
            "{c} {o} appear one by one",
            "more and more {c} {o} show up",
            "{c} {o} pop up one after another",
            "the number of {c} {o} increases",
            "{c} {o} are added one at a time",
            "{c} {o} keep appearing on the screen",
            "one {c} dot after another appears",
            "the screen fills with {c} {o}",
        ], "test": [
            "{c} {o} multiply across the frame",
            "a growing count of {c} {o}",
            "{c} {o} are sprinkled on the picture one at a time",
        ]},
        "B": {"train": [
            "{c} {o} disappear one by one",
            "fewer and fewer {c} {o} remain",
            "{c} {o} vanish one after another",
            "the number of {c} {o} decreases",
            "{c} {o} are removed one at a time",
            "{c} {o} keep disappearing from the screen",
            "one {c} dot after another disappears",
            "the screen empties of {c} {o}",
        ], "test": [
            "{c} {o} are wiped from the frame one at a time",
            "a shrinking count of {c} {o}",
            "{c} {o} get picked off the picture one at a time",
        ]},
    },
}


def _swap_colours(t: str) -> str:
    """A colour-family template of direction A as direction B: the two colours trade places."""
    return t.replace("{c}", "{TMP}").replace("{c2}", "{c}").replace("{TMP}", "{c2}")


def _colour_b() -> None:
    fam = FAMILIES["colour"]
    fam["B"] = {k: [_swap_colours(t) for t in v] for k, v in fam["A"].items()}


_colour_b()

FAMILY_NAMES = list(FAMILIES)


def templates(family: str, direction: str, split: str) -> list[str]:
    """Templates of one family/direction: 'train', 'test' (the original held-out pool) or 'fresh'
    (the second held-out pool, see the end of this module)."""
    return FAMILIES[family][direction][split]


def opposite(direction: str) -> str:
    return "B" if direction == "A" else "A"


# More training phrasings (added after the first model: more ways of saying each direction, so the
# text tower learns the meaning of a direction rather than a handful of sentence shapes). None of
# them is, or reuses the distinctive wording of, a held-out test template.
EXTRA_TRAIN: dict[str, dict[str, list[str]]] = {
    "horizontal": {"A": ["a {c} {o} is pushed toward the right", "from left to right goes a {c} {o}"],
                   "B": ["a {c} {o} is pushed toward the left", "from right to left goes a {c} {o}"]},
    "vertical": {"A": ["a {c} {o} is lifted upward", "the {c} {o} bounces up to a higher place"],
                 "B": ["a {c} {o} is lowered downward", "the {c} {o} drops down to a lower place"]},
    "size": {"A": ["the {c} {o} is scaled up", "a {c} {o} goes from small to large", "the {c} {o} becomes huge"],
             "B": ["the {c} {o} is scaled down", "a {c} {o} goes from large to small", "the {c} {o} becomes minuscule"]},
    "fill": {"A": ["more and more {c} liquid collects in the {o}", "the {o} goes from empty to full of {c} liquid",
                   "{c} water is poured into a {o}"],
             "B": ["less and less {c} liquid remains in the {o}", "the {o} goes from full to empty of {c} liquid",
                   "{c} water is poured out of a {o}"]},
    "opacity": {"A": ["a {c} {o} goes from invisible to visible", "an invisible {c} {o} becomes clearly seen",
                      "a {c} {o} becomes more and more visible"],
                "B": ["a {c} {o} goes from visible to invisible", "a clearly seen {c} {o} becomes invisible",
                      "a {c} {o} becomes less and less visible"]},
    "rotation": {"A": ["a {c} {o} makes a clockwise turn", "a {c} {o} rotates in the same direction as clock hands",
                       "the {c} {o} is turned clockwise"],
                 "B": ["a {c} {o} makes a counter-clockwise turn", "a {c} {o} rotates in the opposite direction to clock hands",
                       "the {c} {o} is turned counter-clockwise"]},
    "stack": {"A": ["{c} {o} are put one upon another to build a tower"],
              "B": ["{c} {o} are taken one by one off a tower"]},
    "colour": {"A": ["a {o} is {c} at first and {c2} later", "a {c}-to-{c2} colour change of a {o}"]},
    "approach": {"A": ["two {c} {o}s end up next to each other", "two far apart {c} {o}s become close",
                       "a pair of {c} {o}s moves closer together"],
                 "B": ["two {c} {o}s end up far from each other", "two close {c} {o}s become far apart",
                       "a pair of {c} {o}s moves further apart"]},
    "brightness": {"A": ["the lighting around a {c} {o} gets stronger", "a {c} {o} in a dim room becomes well lit",
                         "the frame with a {c} {o} turns from black to bright"],
                   "B": ["the lighting around a {c} {o} gets weaker", "a {c} {o} in a well lit room becomes dim",
                         "the frame with a {c} {o} turns from bright to black"]},
    "draw": {"A": ["a {c} {o} is outlined with a pen"], "B": ["a {c} {o} outline is removed with an eraser"]},
    "scatter": {"A": ["a whole {c} {o} is broken into scattered bits", "the fragments of a {c} {o} fly away from each other"],
                "B": ["scattered bits are joined into a whole {c} {o}", "the fragments of a {c} {o} fly toward each other"]},
    "door": {"A": ["a closed {c} {o} ends up open", "a {c} {o} is swung open", "someone pulls a {c} {o} open"],
             "B": ["an open {c} {o} ends up closed", "a {c} {o} is swung closed", "someone pushes a {c} {o} closed"]},
    "dots": {"A": ["the count of {c} {o} goes up"], "B": ["the count of {c} {o} goes down"]},
}


def _merge_extra() -> None:
    for fam, dirs in EXTRA_TRAIN.items():
        for d, tpls in dirs.items():
            FAMILIES[fam][d]["train"] = FAMILIES[fam][d]["train"] + tpls
    FAMILIES["colour"]["B"]["train"] = FAMILIES["colour"]["B"]["train"] + [_swap_colours(t) for t in EXTRA_TRAIN["colour"]["A"]]


_merge_extra()


# A third set of training phrasings for the families the second model still confused on held-out
# wording (rotation, door, opacity, brightness, approach). Again none reuses a held-out template's
# distinctive words (anticlockwise, pivots, whirls, ajar, latched, sealed, opaque, transparent,
# revealed, illuminated, gloomier, dimmed, night falls, draw nearer, gap ...).
EXTRA_TRAIN_2: dict[str, dict[str, list[str]]] = {
    "rotation": {"A": ["a {c} {o} keeps turning clockwise around its centre", "with a clockwise motion, a {c} {o} turns",
                       "a {c} {o} is spun clockwise", "a {c} {o} spins to the right", "the {c} {o} twirls clockwise"],
                 "B": ["a {c} {o} keeps turning counterclockwise around its centre",
                       "with a counter-clockwise motion, a {c} {o} turns", "a {c} {o} is spun counterclockwise",
                       "a {c} {o} spins to the left", "the {c} {o} turns opposite to clockwise"]},
    "door": {"A": ["the {c} {o} is flung open", "a {c} {o} is left standing open", "someone unlocks and opens a {c} {o}",
                   "the {c} {o} turns on its hinges and opens", "a {c} {o} that was closed is now open"],
             "B": ["the {c} {o} is slammed closed", "a {c} {o} is left closed", "someone closes and locks a {c} {o}",
                   "the {c} {o} turns on its hinges and closes", "a {c} {o} that was open is now closed"]},
    "opacity": {"A": ["a see-through {c} {o} becomes solid", "a {c} {o} gradually becomes clear to see",
                      "the {c} {o} goes from faint to vivid", "a ghostly {c} {o} turns solid", "a {c} {o} comes into sight"],
                "B": ["a solid {c} {o} becomes see-through", "a {c} {o} gradually becomes hard to see",
                      "the {c} {o} goes from vivid to faint", "a solid {c} {o} turns ghostly", "a {c} {o} passes out of sight"]},
    "brightness": {"A": ["the scene with a {c} {o} is lit more and more brightly", "the shadows around a {c} {o} fade away",
                         "a lamp brightens the picture of a {c} {o}", "daylight comes up on a {c} {o}",
                         "a {c} {o} comes out of the dark"],
                   "B": ["the scene with a {c} {o} is lit less and less", "shadows grow around a {c} {o}",
                         "a lamp fades over the picture of a {c} {o}", "evening darkness comes over a {c} {o}",
                         "a {c} {o} disappears into the dark"]},
    "approach": {"A": ["two {c} {o}s move in toward each other", "the space between two {c} {o}s gets smaller",
                       "two {c} {o}s head for each other"],
                 "B": ["two {c} {o}s move out away from each other", "the space between two {c} {o}s gets bigger",
                       "two {c} {o}s head away from each other"]},
}


def _merge_extra_2() -> None:
    for fam, dirs in EXTRA_TRAIN_2.items():
        for d, tpls in dirs.items():
            FAMILIES[fam][d]["train"] = FAMILIES[fam][d]["train"] + tpls


_merge_extra_2()


# ----------------------------------------------------------------------------- bulk phrasing pools
# Two pools written in bulk, each blind (its writer saw neither this module nor the other pool), from
# a description of the 14 events alone (phrasings/README.md says how):
#   - phrasings/train_pool.json: ~30 more training phrasings per direction;
#   - phrasings/fresh_test.json: 5 per direction, a second held-out pool, never used for training and
#     never edited after it was written (`mmwb video synth --held-out-pool fresh`).
# A template that is, up to case/punctuation/hyphens, also in another split is kept out: a fresh-pool
# template equal to an older training template is dropped from the fresh pool, and a pool phrasing
# equal to any held-out template is dropped from training.
POOL_DIR = Path(__file__).with_name("phrasings")
HELD_OUT_POOLS = {"original": "test", "fresh": "fresh"}


def normalise(t: str) -> str:
    """The comparison key of a template: lower case, no punctuation or hyphens, single spaces."""
    t = t.lower().replace("-", " ")
    for ch in ".,;:!?\"'":
        t = t.replace(ch, " ")
    return " ".join(t.split())


def _tidy(t: str) -> str:
    """House style: no final full stop, lower-case first letter (captions are lower-cased anyway)."""
    t = " ".join(t.strip().split()).rstrip(".")
    return t[0].lower() + t[1:] if t and not t.startswith("{") else t


def _read_pool(name: str) -> dict:
    data = json.loads((POOL_DIR / name).read_text(encoding="utf-8"))
    out = {}
    for fam in FAMILIES:
        dirs = data.get(fam, {})
        a = [_tidy(t) for t in dirs.get("A", [])]
        b = [_tidy(t) for t in dirs.get("B", [])] if fam != "colour" else [_swap_colours(t) for t in a]
        out[fam] = {"A": a, "B": b}
    return out


def _merge_pools() -> None:
    fresh = _read_pool("fresh_test.json")
    pool = _read_pool("train_pool.json")
    old_train = {normalise(t) for f in FAMILIES.values() for d in "AB" for t in f[d]["train"]}
    held = {normalise(t) for f in FAMILIES.values() for d in "AB" for t in f[d]["test"]}
    for fam, dirs in fresh.items():
        for d, tpls in dirs.items():
            keep = list(dict.fromkeys(t for t in tpls if normalise(t) not in old_train))
            FAMILIES[fam][d]["fresh"] = keep
            held |= {normalise(t) for t in keep}
    for fam, dirs in pool.items():
        for d, tpls in dirs.items():
            have = {normalise(t) for t in FAMILIES[fam][d]["train"]}
            for t in tpls:
                k = normalise(t)
                if k not in held and k not in have:
                    FAMILIES[fam][d]["train"].append(t)
                    have.add(k)


_merge_pools()
