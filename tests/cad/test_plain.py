"""The plain-English reader (inference/cad/plain.py): development phrasings → family, size, volume, hole counts;
missing dimensions named; text that is no part refused; half-understood text flagged (never a simpler part)."""
from __future__ import annotations

import math

import pytest

from inference.cad import kernel, plain

pi = math.pi
def cyl(d, h): return pi * d * d / 4 * h
def hexa(af, h): return math.sqrt(3) / 2 * af * af * h
# (text, family substring, size xyz, volume)
CASES = [
 ("A cylinder with a diameter of 30 mm and a height of 12 mm", "cylinder", (30, 30, 12), cyl(30, 12)),
 ("a washer with an outer diameter of 20 mm, an inner diameter of 10 mm and a thickness of 3 mm", "tube", (20, 20, 3), cyl(20, 3) - cyl(10, 3)),
 ("Make a cube with 25 mm sides", "cube", (25, 25, 25), 25 ** 3),
 ("A ring with outer radius 40 mm, inner radius 30 mm and 10 mm thick", "tube", (80, 80, 10), cyl(80, 10) - cyl(60, 10)),
 ("A 2 inch cube", "cube", (50.8,) * 3, 50.8 ** 3),
 ("A plate 4 cm by 3 cm by 5 mm", "plate", (40, 30, 5), 6000),
 ("A 100 mm long bar with a 10 mm square cross-section", "bar", (100, 10, 10), 10000),
 ("A 40 mm cube with a 20 mm diameter hole through it", "cube with 1 hole", (40, 40, 40), 40 ** 3 - cyl(20, 40)),
 ("a 40 mm disc, 5 mm thick, with six 4 mm holes evenly spaced on a 30 mm circle", "6 holes", (40, 40, 5), cyl(40, 5) - 6 * cyl(4, 5)),
 ("a 40 mm cube", "cube", (40, 40, 40), 64000),
 ("cube, twenty five millimetres on each side", "cube", (25, 25, 25), 15625),
 ("a cube of side 1.5in", "cube", (38.1,) * 3, 38.1 ** 3),
 ("a 1/2 in thick plate, 4 in by 3 in", "plate", (101.6, 76.2, 12.7), 101.6 * 76.2 * 12.7),
 ("rectangular block 60 x 40 x 20 mm", "block", (60, 40, 20), 48000),
 ("60x40x20mm block", "block", (60, 40, 20), 48000),
 ("a sheet 200 mm long, 100 mm wide and 2 mm thick", "sheet", (200, 100, 2), 40000),
 ("a box 50 mm long, 30 mm wide, 20 mm high", "box", (50, 30, 20), 30000),
 ("a 40 mm square plate 5 mm thick", "plate", (40, 40, 5), 8000),
 ("a steel bar 20 x 10 mm in section and 150 mm long", "bar", (150, 20, 10), 30000),
 ("a slab of 1 m by 50 cm by 10 cm", "slab", (1000, 500, 100), 5e7),
 ("a block: length 80, width 50, height 30 (mm)", "block", (80, 50, 30), 120000),
 ("a plate measuring two by three inches and a quarter inch thick", "plate", (50.8, 76.2, 6.35), 50.8 * 76.2 * 6.35),
 ("a disc 60 mm across and 8 mm thick", "cylinder", (60, 60, 8), cyl(60, 8)),
 ("rod, Ø12, 100 long", "cylinder", (12, 12, 100), cyl(12, 100)),
 ("a rod dia 20 mm, length 50 mm", "cylinder", (20, 20, 50), cyl(20, 50)),
 ("a cylinder r = 5 mm, h = 20 mm", "cylinder", (10, 10, 20), cyl(10, 20)),
 ("cylinder R5 x 20 tall", "cylinder", (10, 10, 20), cyl(10, 20)),
 ("a cylinder of radius 15 mm and height 40 mm", "cylinder", (30, 30, 40), cyl(30, 40)),
 ("a 3 inch diameter disc, 1/4 inch thick", "cylinder", (76.2, 76.2, 6.35), cyl(76.2, 6.35)),
 ("a puck 2 cm high with a diameter of 7.5 cm", "cylinder", (75, 75, 20), cyl(75, 20)),
 ("a pipe 50 mm OD, 3 mm wall, 200 mm long", "tube", (50, 50, 200), cyl(50, 200) - cyl(44, 200)),
 ("a tube with an outside diameter of 1 inch and an inside diameter of 3/4 inch, 6 inches long", "tube", (25.4, 25.4, 152.4), cyl(25.4, 152.4) - cyl(19.05, 152.4)),
 ("a ring, 30 mm outer diameter, 20 mm inner diameter, 5 mm thick", "tube", (30, 30, 5), cyl(30, 5) - cyl(20, 5)),
 ("a bushing 20 mm OD 12 mm ID 15 mm long", "tube", (20, 20, 15), cyl(20, 15) - cyl(12, 15)),
 ("a washer 24 mm across with a 13 mm hole, 2.5 mm thick", "cylinder with 1 hole", (24, 24, 2.5), cyl(24, 2.5) - cyl(13, 2.5)),
 ("a sleeve with an outer diameter of 40 mm, wall 2 mm, length 60 mm", "tube", (40, 40, 60), cyl(40, 60) - cyl(36, 60)),
 ("a hexagonal prism 20 mm across the flats and 30 mm long", "hex", (40 / math.sqrt(3), 20, 30), hexa(20, 30)),
 ("hex bar 17 mm AF, 50 mm long", "hex", (34 / math.sqrt(3), 17, 50), hexa(17, 50)),
 ("a hex prism 23 mm across corners, 10 mm high", "hex", (23, 23 * math.sqrt(3) / 2, 10), hexa(23 * math.sqrt(3) / 2, 10)),
 ("a triangular prism: an equilateral triangle with 30 mm sides, 10 mm thick", "triangular", (30, 15 * math.sqrt(3), 10), math.sqrt(3) / 4 * 900 * 10),
 ("an L-bracket with legs of 50 mm and 30 mm, 5 mm thick and 20 mm wide", "L-bracket", (50, 20, 30), (50 * 5 + 25 * 5) * 20),
 ("an L shaped bracket, base 60 mm, height 40 mm, thickness 4 mm, width 25 mm", "L-bracket", (60, 25, 40), (60 * 4 + 36 * 4) * 25),
 ("a 60 mm diameter disc 10 mm thick with a 20 mm diameter boss 15 mm tall on top", "boss", (60, 60, 25), cyl(60, 10) + cyl(20, 15)),
 ("a cylinder 20 mm in diameter and 30 mm tall on top of a disc 50 mm in diameter and 5 mm thick", "boss", (50, 50, 35), cyl(50, 5) + cyl(20, 30)),
 ("a stepped shaft: 30 mm diameter for 20 mm, then 20 mm diameter for 40 mm", "stepped", (30, 30, 60), cyl(30, 20) + cyl(20, 40)),
 ("a plate 80 x 60 x 10 mm with a 20 mm hole in the centre", "1 hole", (80, 60, 10), 48000 - cyl(20, 10)),
 ("plate 100 by 50 by 6 mm with four 6 mm holes, 10 mm from each edge", "4 holes", (100, 50, 6), 30000 - 4 * cyl(6, 6)),
 ("a 60 x 40 x 5 mm plate with a hole in each corner, 4 mm in diameter, 6 mm from the edges", "4 holes", (60, 40, 5), 12000 - 4 * cyl(4, 5)),
 ("a 100 x 30 x 5 mm bar with 3 holes of 8 mm in a row, 30 mm apart", "3 holes", (100, 30, 5), 15000 - 3 * cyl(8, 5)),
 ("a 50 x 50 x 10 mm block with two 5 mm holes at (10, 10) and (40, 40)", "2 holes", (50, 50, 10), 25000 - 2 * cyl(5, 10)),
 ("a 100 mm square plate, 8 mm thick, with 4 M6 holes on a 70 mm bolt circle", "4 holes", (100, 100, 8), 80000 - 4 * cyl(6, 8)),
 ("a flange 100 mm in diameter, 10 mm thick, with a 30 mm centre bore and six 8 mm bolt holes on a 75 mm PCD", "flange", (100, 100, 10), cyl(100, 10) - cyl(30, 10) - 6 * cyl(8, 10)),
 ("circular flange, OD 120, thickness 12, bore 40, 8 holes Ø10 on PCD 90", "flange", (120, 120, 12), cyl(120, 12) - cyl(40, 12) - 8 * cyl(10, 12)),
 ("a flange of 80 mm diameter and 6 mm thickness with a 20 mm bore and 4 holes of 6 mm at a radius of 30 mm", "flange", (80, 80, 6), cyl(80, 6) - cyl(20, 6) - 4 * cyl(6, 6)),
 ("a 60 x 40 x 20 mm block with a rectangular pocket 30 x 20 mm, 10 mm deep", "pocket", (60, 40, 20), 48000 - 6000),
 ("a block 80 by 50 by 25 with a 40 by 20 mm recess 5 mm deep in the top", "pocket", (80, 50, 25), 100000 - 4000),
 ("a 100 x 40 x 10 mm plate with a 50 mm long, 8 mm wide slot through the centre", "slot", (100, 40, 10), 40000 - (42 * 8 + 16 * pi) * 10),
 ("a 100 x 40 x 10 mm plate with a rectangular slot 50 x 8 mm, cut through", "slot", (100, 40, 10), 40000 - 4000),
 ("washer plate 40 x 16 x 9 mm, 8 mm bore through the center", "1 hole", (40, 16, 9), 40 * 16 * 9 - cyl(8, 9)),
 ("a 100 x 40 x 20 mm block with a 10 mm wide slot 5 mm deep along its length", "slot", (100, 40, 20), 80000 - 5000),
 ("a 50 mm cube with a 30 mm diameter pocket 10 mm deep", "pocket", (50, 50, 50), 125000 - cyl(30, 10)),
 ("a 40 x 40 x 10 mm block with a 10 mm blind hole 5 mm deep", "1 hole", (40, 40, 10), 16000 - cyl(10, 5)),
 ("thirty by twenty by ten millimetre block", "block", (30, 20, 10), 6000),
 ("a 10 cm long rod with a diameter of 8 mm", "cylinder", (8, 8, 100), cyl(8, 100)),
 ("Please make me a simple aluminium plate 120 mm x 80 mm x 3 mm.", "plate", (120, 80, 3), 28800),
 ("a 20 mm cylinder, 10 mm long", "cylinder", (20, 20, 10), cyl(20, 10)),
 ("disc with a radius of 25 mm, 4 mm thick, with a centred 10 mm hole", "1 hole", (50, 50, 4), cyl(50, 4) - cyl(10, 4)),
]
def lbr(a, b, t, w): return (a * t + (b - t) * t) * w
def tri_eq(s, h): return math.sqrt(3) / 4 * s * s * h
S3 = math.sqrt(3)
# development phrasings written the way people write (terse notes, callouts, chatty, non-native), per family
DEV = [
 # L-brackets: size (base leg along X, width along Y, upright along Z)
 ("L-bracket 50x40, 30 wide, 5 thk", "L-bracket", (50, 30, 40), lbr(50, 40, 5, 30)),
 ("an angle bracket with equal legs of 40 mm, 3 mm thick, 25 mm wide", "L-bracket", (40, 25, 40), lbr(40, 40, 3, 25)),
 ("L-shaped bracket: each leg 60 mm long, 6 mm thick, 30 mm wide", "L-bracket", (60, 30, 60), lbr(60, 60, 6, 30)),
 ("L bracket, one flange 80 mm, the other 50 mm, both 4 mm thick, 40 mm deep", "L-bracket", (80, 40, 50), lbr(80, 50, 4, 40)),
 ("an L-shaped piece with 2 in and 1.5 in legs, 1/4 in thick, 1 in wide", "L-bracket", (50.8, 25.4, 38.1), lbr(50.8, 38.1, 6.35, 25.4)),
 ("steel angle 50 x 50 x 5, 100 long", "L-bracket", (50, 100, 50), lbr(50, 50, 5, 100)),
 ("a bracket shaped like an L: horizontal arm 70 mm, vertical arm 45 mm, 5 mm thick, 20 mm wide", "L-bracket", (70, 20, 45), lbr(70, 45, 5, 20)),
 ("L-bracket with a 60 mm base and a 40 mm upright, 25 mm wide, 3 mm thick", "L-bracket", (60, 25, 40), lbr(60, 40, 3, 25)),
 ("L bracket, inside legs 45 mm and 35 mm, 5 mm thick, 20 mm wide", "L-bracket", (50, 20, 40), lbr(50, 40, 5, 20)),
 ("an L-bracket 40 mm tall, 60 mm long, 20 mm wide and 4 mm thick", "L-bracket", (60, 20, 40), lbr(60, 40, 4, 20)),
 ('angle bracket: legs 2" and 3", 1/8" thick, 1" wide', "L-bracket", (50.8, 25.4, 76.2), lbr(50.8, 76.2, 3.175, 25.4)),
 ("L-profile 30 x 20 x 3 mm, length 200 mm", "L-bracket", (30, 200, 20), lbr(30, 20, 3, 200)),
 ("an L-shaped bracket where both legs are 50 mm, width 20 mm, thickness 5 mm", "L-bracket", (50, 20, 50), lbr(50, 50, 5, 20)),
 ("right angle bracket, sides 50 mm and 30 mm, 4 mm thick, 15 mm wide", "L-bracket", (50, 15, 30), lbr(50, 30, 4, 15)),
 ("L-bracket: flange lengths 50 and 40 mm, width 25 mm, thickness 3 mm", "L-bracket", (50, 25, 40), lbr(50, 40, 3, 25)),
 ("i need a L bracket, legs are 6 cm and 4 cm, it is 2 cm wide and 5 mm thick", "L-bracket", (60, 20, 40), lbr(60, 40, 5, 20)),
 ("L-bracket 60 x 40 x 30 mm, 5 mm thick", "L-bracket", (60, 30, 40), lbr(60, 40, 5, 30)),
 ("90 degree bracket, 50 mm by 50 mm legs, 6 mm thick, 40 mm wide", "L-bracket", (50, 40, 50), lbr(50, 50, 6, 40)),
 ("an L bracket made from 3 mm plate, 40 mm wide, with a 70 mm base leg and a 50 mm vertical leg", "L-bracket", (70, 40, 50), lbr(70, 50, 3, 40)),
 # tubes, rings, washers
 ("tube OD 30 ID 24 length 100", "tube", (30, 30, 100), cyl(30, 100) - cyl(24, 100)),
 ("a ring 50 mm outside, 40 mm inside, 5 mm high", "tube", (50, 50, 5), cyl(50, 5) - cyl(40, 5)),
 ("washer: 8.4 mm hole, 16 mm outside diameter, 1.6 mm thick", "", (16, 16, 1.6), cyl(16, 1.6) - cyl(8.4, 1.6)),
 ("a pipe 2 inch OD with 1/8 inch wall, 12 inches long", "tube", (50.8, 50.8, 304.8), cyl(50.8, 304.8) - cyl(44.45, 304.8)),
 ("tube Ø40/Ø32 x 80", "tube", (40, 40, 80), cyl(40, 80) - cyl(32, 80)),
 ("a 25 mm long spacer with 10 mm OD and 5 mm bore", "", (10, 10, 25), cyl(10, 25) - cyl(5, 25)),
 ("a hollow cylinder, outer diameter 60 mm, inner diameter 50 mm, height 40 mm", "tube", (60, 60, 40), cyl(60, 40) - cyl(50, 40)),
 ("a ring with a 3 mm wall, outside diameter 40 mm, 8 mm wide", "tube", (40, 40, 8), cyl(40, 8) - cyl(34, 8)),
 ("a washer 30 mm outer, 12 mm inner, 2 mm thick", "tube", (30, 30, 2), cyl(30, 2) - cyl(12, 2)),
 ("tube: 1 in OD x 0.065 in wall x 6 in long", "tube", (25.4, 25.4, 152.4), cyl(25.4, 152.4) - cyl(25.4 - 2 * 1.651, 152.4)),
 ("a bush with a 20 mm bore, 30 mm outside, 25 long", "", (30, 30, 25), cyl(30, 25) - cyl(20, 25)),
 ("a ring with inner radius 10 and outer radius 15, thickness 4", "tube", (30, 30, 4), cyl(30, 4) - cyl(20, 4)),
 ("cylindrical shell 100 mm tall, outer diameter 50 mm, wall thickness 2.5 mm", "tube", (50, 50, 100), cyl(50, 100) - cyl(45, 100)),
 ("a 40 mm long tube with a 20 mm outer diameter and a wall thickness of 2 mm", "tube", (20, 20, 40), cyl(20, 40) - cyl(16, 40)),
 ("a 3 cm diameter rod, 10 cm long, with a 1 cm hole through its length", "", (30, 30, 100), cyl(30, 100) - cyl(10, 100)),
 ("a washer, 1 inch outside, 1/2 inch inside, 1/16 inch thick", "tube", (25.4, 25.4, 1.5875), cyl(25.4, 1.5875) - cyl(12.7, 1.5875)),
 ("pipe section, 60.3 OD x 3.9 wall, 150 long", "tube", (60.3, 60.3, 150), cyl(60.3, 150) - cyl(52.5, 150)),
 ("a ring: OD 80, ID 60, 10 thick", "tube", (80, 80, 10), cyl(80, 10) - cyl(60, 10)),
 ("a tube 25 mm in diameter with a 2 mm wall, 100 mm long", "tube", (25, 25, 100), cyl(25, 100) - cyl(21, 100)),
 # hex and triangular prisms
 ("hex bar 19 AF, 40 long", "hex", (38 / S3, 19, 40), hexa(19, 40)),
 ("a hexagonal prism with 10 mm sides, 20 mm tall", "hex", (20, 10 * S3, 20), hexa(10 * S3, 20)),
 ("hexagon 24 mm across flats, 8 mm thick", "hex", (48 / S3, 24, 8), hexa(24, 8)),
 ("a hexagonal block, 30 mm across corners, 15 mm high", "hex", (30, 15 * S3, 15), hexa(15 * S3, 15)),
 ("hexagonal rod 1/2 inch across flats, 3 inches long", "hex", (25.4 / S3, 12.7, 76.2), hexa(12.7, 76.2)),
 ("a hex prism, each side 12 mm, 50 mm long", "hex", (24, 12 * S3, 50), hexa(12 * S3, 50)),
 ("hex, 22 mm A/F, 10 mm thick", "hex", (44 / S3, 22, 10), hexa(22, 10)),
 ("a hexagon with a side length of 15 mm extruded 25 mm", "hex", (30, 15 * S3, 25), hexa(15 * S3, 25)),
 ("a hexagonal prism 40 mm in diameter (across the corners) and 20 mm high", "hex", (40, 20 * S3, 20), hexa(20 * S3, 20)),
 ("a hex with 17 mm flat-to-flat and 30 mm length", "hex", (34 / S3, 17, 30), hexa(17, 30)),
 ("regular hexagonal prism, edge length 2 cm, height 5 cm", "hex", (40, 20 * S3, 50), hexa(20 * S3, 50)),
 ("a triangular prism, equilateral triangle side 40 mm, length 100 mm", "triangular", (40, 20 * S3, 100), tri_eq(40, 100)),
 ("a right triangular prism with legs 30 and 40 mm, 10 mm thick", "triangular", (30, 40, 10), 0.5 * 30 * 40 * 10),
 ("triangular prism: base 50, height 30, length 80", "triangular", (50, 30, 80), 0.5 * 50 * 30 * 80),
 ("an equilateral triangular prism 25 mm on a side and 60 mm long", "triangular", (25, 12.5 * S3, 60), tri_eq(25, 60)),
 ("a prism whose cross-section is an equilateral triangle of 20 mm side, 50 mm long", "triangular", (20, 10 * S3, 50), tri_eq(20, 50)),
 ("a triangular prism with sides of 30 mm and a length of 70 mm", "triangular", (30, 15 * S3, 70), tri_eq(30, 70)),
 ("a right-angle triangle plate, 50 x 50 mm legs, 5 mm thick", "triangular", (50, 50, 5), 0.5 * 50 * 50 * 5),
 ("triangular prism, right angled, 3 cm x 4 cm, 2 cm deep", "triangular", (30, 40, 20), 0.5 * 30 * 40 * 20),
 ("a triangular block with a 60 mm base, a triangle height of 40 mm, 20 mm thick", "triangular", (60, 40, 20), 0.5 * 60 * 40 * 20),
 # stacked cylinders
 ("stepped shaft: Ø20 x 30 then Ø12 x 20", "", (20, 20, 50), cyl(20, 30) + cyl(12, 20)),
 ("a disc with a boss on top: disc 60 dia 10 thick, boss 20 dia 15 high", "boss", (60, 60, 25), cyl(60, 10) + cyl(20, 15)),
 ("a 50 mm diameter, 8 mm thick disc with a 20 mm diameter, 12 mm tall boss in the middle", "boss", (50, 50, 20), cyl(50, 8) + cyl(20, 12)),
 ("a cylinder 40 mm dia x 10 mm with a 20 mm dia x 20 mm cylinder on top", "", (40, 40, 30), cyl(40, 10) + cyl(20, 20)),
 ("two stacked cylinders: the bottom one 50 mm across and 10 mm tall, the top one 30 mm across and 20 mm tall", "", (50, 50, 30), cyl(50, 10) + cyl(30, 20)),
 ("a stepped pin, 10 mm diameter by 15 mm long, stepping down to 6 mm diameter by 10 mm long", "", (10, 10, 25), cyl(10, 15) + cyl(6, 10)),
 ("round base Ø80 x 12 with a Ø30 x 25 spigot", "", (80, 80, 37), cyl(80, 12) + cyl(30, 25)),
 ("3-step shaft: Ø30x10, Ø20x20, Ø10x30", "", (30, 30, 60), cyl(30, 10) + cyl(20, 20) + cyl(10, 30)),
 ("a puck 3 inches across and half an inch thick with a 1 inch boss 1 inch tall on top", "boss", (76.2, 76.2, 38.1), cyl(76.2, 12.7) + cyl(25.4, 25.4)),
 ("a boss 15 mm in diameter and 10 mm high on a 40 mm disc 5 mm thick", "boss", (40, 40, 15), cyl(40, 5) + cyl(15, 10)),
 ("cylinder of radius 20 and height 10, topped with a cylinder of radius 10 and height 15", "", (40, 40, 25), cyl(40, 10) + cyl(20, 15)),
 ("a disc 100 mm across and 10 mm thick, with a 40 mm boss sticking up 30 mm from the middle", "boss", (100, 100, 40), cyl(100, 10) + cyl(40, 30)),
 ("stepped shaft, 3 sections: 40 dia 20 long, 30 dia 30 long, 20 dia 40 long", "", (40, 40, 90), cyl(40, 20) + cyl(30, 30) + cyl(20, 40)),
 ("a 2 cm tall cylinder of 6 cm diameter with a smaller cylinder, 3 cm diameter and 4 cm tall, on top", "", (60, 60, 60), cyl(60, 20) + cyl(30, 40)),
 # flanges
 ("Ø100 x 10 flange, Ø40 bore, 6x Ø9 on PCD 75", "flange", (100, 100, 10), cyl(100, 10) - cyl(40, 10) - 6 * cyl(9, 10)),
 ("a flange 120 mm OD, 15 mm thick, 50 mm bore, with a 70 mm hub 20 mm high, 4 holes 12 mm on 95 PCD", "flange", (120, 120, 35), cyl(120, 15) + cyl(70, 20) - cyl(50, 35) - 4 * cyl(12, 15)),
 ("flange: 150 dia, 12 thk, centre hole 60, 8 bolt holes 14 dia on 120 PCD", "flange", (150, 150, 12), cyl(150, 12) - cyl(60, 12) - 8 * cyl(14, 12)),
 ("a round flange 4 in across, 1/2 in thick, with a 1.5 in bore and four 1/2 in holes on a 3 in bolt circle", "flange", (101.6, 101.6, 12.7), cyl(101.6, 12.7) - cyl(38.1, 12.7) - 4 * cyl(12.7, 12.7)),
 ("a flange, 90 mm in diameter and 10 mm thick, with a 50 mm hub 20 mm high and a 30 mm bore through both, 6 holes of 8 mm on a 72 mm circle", "flange", (90, 90, 30), cyl(90, 10) + cyl(50, 20) - cyl(30, 30) - 6 * cyl(8, 10)),
 ("Flange plate Ø90, thickness 8 mm, central hole Ø30, 4 holes Ø8 equally spaced on Ø70", "flange", (90, 90, 8), cyl(90, 8) - cyl(30, 8) - 4 * cyl(8, 8)),
 ("flange, OD 200 mm, ID 100 mm, 20 mm thick, 8 x M16 holes on 170 PCD", "flange", (200, 200, 20), cyl(200, 20) - cyl(100, 20) - 8 * cyl(16, 20)),
 ("a disc 80 mm in diameter and 10 mm thick with a 25 mm hole in the middle and 4 x 6 mm holes on a 60 mm pitch circle", "", (80, 80, 10), cyl(80, 10) - cyl(25, 10) - 4 * cyl(6, 10)),
 ("flange 100 OD x 12, spigot 60 dia x 8 tall, bore 30 through, 6 holes 10 mm dia on 80 bolt circle", "flange", (100, 100, 20), cyl(100, 12) + cyl(60, 8) - cyl(30, 20) - 6 * cyl(10, 12)),
 ("a flange 10 cm across and 1 cm thick, 3 cm bore, 6 holes of 8 mm on an 8 cm circle", "flange", (100, 100, 10), cyl(100, 10) - cyl(30, 10) - 6 * cyl(8, 10)),
 ("flange with radius 50, thickness 10, center hole radius 15, five 8 mm holes on a 35 mm radius", "flange", (100, 100, 10), cyl(100, 10) - cyl(30, 10) - 5 * cyl(8, 10)),
 ("a 160 mm flange, 14 mm thick, with a 60 mm centre hole and eight 13 mm bolt holes equally spaced on a 130 mm diameter", "flange", (160, 160, 14), cyl(160, 14) - cyl(60, 14) - 8 * cyl(13, 14)),
 ("pipe flange: outside diameter 6 inches, thickness 3/4 inch, bore 2 inches, 4 bolt holes 3/4 inch on a 4.75 inch bolt circle", "flange", (152.4, 152.4, 19.05), cyl(152.4, 19.05) - cyl(50.8, 19.05) - 4 * cyl(19.05, 19.05)),
 # plates with holes
 ("plate 100x60x5 with 4 holes Ø6 inset 8 mm from each edge", "4 holes", (100, 60, 5), 30000 - 4 * cyl(6, 5)),
 ("a 80 x 50 x 4 mm plate, four 5 mm holes on 60 x 30 mm centres", "4 holes", (80, 50, 4), 16000 - 4 * cyl(5, 4)),
 ("an aluminium plate 150 mm by 100 mm by 6 mm with a 10 mm hole in each corner, 15 mm in from the sides", "4 holes", (150, 100, 6), 90000 - 4 * cyl(10, 6)),
 ("3 holes in a row, 8 mm dia, 25 mm apart, in a 100 x 30 x 5 plate", "3 holes", (100, 30, 5), 15000 - 3 * cyl(8, 5)),
 ("plate 120x40x8, 4 holes 6 mm on 30 mm centres along the centreline", "4 holes", (120, 40, 8), 38400 - 4 * cyl(6, 8)),
 ("a 4 x 2 x 1/4 inch plate with two 1/4 inch holes 3 inches apart", "2 holes", (101.6, 50.8, 6.35), 101.6 * 50.8 * 6.35 - 2 * cyl(6.35, 6.35)),
 ("plate 60 x 60 x 5 with holes Ø5 at (10,10), (50,10), (50,50), (10,50)", "4 holes", (60, 60, 5), 18000 - 4 * cyl(5, 5)),
 ("a 100 x 50 x 10 plate with 2 holes of 10 mm diameter, 60 mm apart", "2 holes", (100, 50, 10), 50000 - 2 * cyl(10, 10)),
 ("mounting plate 90 x 60 x 3 mm with 4 mounting holes dia 4.5, 5 mm from the edges", "4 holes", (90, 60, 3), 16200 - 4 * cyl(4.5, 3)),
 ("a square plate 50 mm, 5 mm thick, with a centre hole of 20 mm and 4 corner holes of 5 mm 6 mm from the edges", "5 holes", (50, 50, 5), 12500 - cyl(20, 5) - 4 * cyl(5, 5)),
 ("6 mm thick plate, 200 long 100 wide, 4 x Ø8 holes at the corners 10 mm in from the edges, and a Ø30 hole in the middle", "5 holes", (200, 100, 6), 120000 - 4 * cyl(8, 6) - cyl(30, 6)),
 ("a 100 x 100 x 10 plate with four 10 mm holes on a 70 mm square", "4 holes", (100, 100, 10), 100000 - 4 * cyl(10, 10)),
 ("a 10 cm x 6 cm plate, 4 mm thick, with 4 holes of 5 mm, one in each corner, 1 cm from the edges", "4 holes", (100, 60, 4), 24000 - 4 * cyl(5, 4)),
 ("Plate 80x40x6. Two Ø8 holes, 50 mm apart, centred.", "2 holes", (80, 40, 6), 19200 - 2 * cyl(8, 6)),
 # blocks with pockets and slots
 ("block 80x60x30 with a pocket 40x30x10 deep", "pocket", (80, 60, 30), 144000 - 12000),
 ("a 100 x 60 x 20 block with a 50 x 30 mm rectangular pocket, 8 mm deep, centred on the top face", "pocket", (100, 60, 20), 120000 - 12000),
 ("block 60 x 40 x 25, blind pocket 30 x 20 x 15", "pocket", (60, 40, 25), 60000 - 9000),
 ("a 100 x 50 x 10 plate with a 60 x 10 slot through", "slot", (100, 50, 10), 50000 - (50 * 10 + 25 * pi) * 10),
 ("a 120 x 40 x 15 block with a 10 mm wide, 5 mm deep slot running the full length", "slot", (120, 40, 15), 72000 - 120 * 10 * 5),
 ("a 70x70x20 mm block with a square pocket 40 mm, 10 mm deep", "pocket", (70, 70, 20), 98000 - 16000),
 ("a square pocket 30 mm per side, 5 deep, in a 50x50x15 block", "pocket", (50, 50, 15), 37500 - 4500),
 ("a 80 x 40 x 10 plate with a through slot 30 mm long and 6 mm wide", "slot", (80, 40, 10), 32000 - (24 * 6 + 9 * pi) * 10),
 ("a block 50 x 50 x 30 with a 20 mm deep circular pocket of 25 mm diameter", "pocket", (50, 50, 30), 75000 - cyl(25, 20)),
 ("a 100 x 60 x 25 mm block with a 60 x 40 mm pocket, leaving a 5 mm floor", "pocket", (100, 60, 25), 150000 - 60 * 40 * 20),
 ("block 3 x 2 x 1 in, pocket 2 x 1 in, 1/2 in deep", "pocket", (76.2, 50.8, 25.4), 76.2 * 50.8 * 25.4 - 50.8 * 25.4 * 12.7),
 ("a 10 cm by 5 cm by 3 cm block with a 6 cm by 3 cm pocket 1 cm deep", "pocket", (100, 50, 30), 150000 - 18000),
 ("a 90 x 60 x 20 block, pocket 50 long 30 wide 12 deep in the middle of the top", "pocket", (90, 60, 20), 108000 - 18000),
 # boxes and bars, cm
 ("box 12 cm long, 8 cm wide, 5 cm tall", "box", (120, 80, 50), 480000),
 ("a 2.5 x 1.5 x 0.5 cm block", "block", (25, 15, 5), 1875),
 ("a flat bar 25 x 6, 300 long", "bar", (300, 25, 6), 45000),
 ("an aluminium plate, 30cm x 20cm, 1cm thick", "plate", (300, 200, 10), 600000),
]
CASES += DEV
def rrect(l, w, r): return l * w - (4 - pi) * r * r
# more development phrasings (third writer): holes by Ø/radius/M-clearance, counts as words/"4x"/"off", corners,
# ends, rows/grids, pitch, blind holes; flanges (N-hole, BCD/PCD, raised face, spigot/boss, square flanges);
# pockets with corner radii, obround vs rectangular slots, grooves/channels along and across, floors; prisms,
# L-brackets and stacked cylinders in other words. Clearance holes are ISO 273 medium (M6 → 6.6, M8 → 9).
DEV2 = [
 # plates / blocks with holes
 ("a 100 x 60 x 8 mm plate with four M6 clearance holes, one in each corner, 10 mm in from the edges", "4 holes", (100, 60, 8), 48000 - 4 * cyl(6.6, 8)),
 ("plate 80 x 80 x 6 with a Ø10 hole in each corner, inset 12 mm", "4 holes", (80, 80, 6), 38400 - 4 * cyl(10, 6)),
 ("a 120 x 50 x 5 mm plate with a 9 mm hole at each end, 15 mm from the ends", "2 holes", (120, 50, 5), 30000 - 2 * cyl(9, 5)),
 ("a 100 x 30 x 5 bar with a hole for an M6 bolt at each end, 10 mm from the ends", "2 holes", (100, 30, 5), 15000 - 2 * cyl(6.6, 5)),
 ("a 100 x 40 x 10 block with 3x Ø8 holes along the centreline on a 30 mm pitch", "3 holes", (100, 40, 10), 40000 - 3 * cyl(8, 10)),
 ("plate 90 x 60 x 5, 6 holes of 5 mm diameter in 2 rows of 3 on 30 mm centres", "6 holes", (90, 60, 5), 27000 - 6 * cyl(5, 5)),
 ("a 100 x 100 x 10 plate with a 3 x 3 grid of 6 mm holes at 25 mm pitch", "9 holes", (100, 100, 10), 100000 - 9 * cyl(6, 10)),
 ("a 60 x 40 x 20 mm block with a 6 mm hole 12 mm deep in the centre", "1 hole", (60, 40, 20), 48000 - cyl(6, 12)),
 ("a 80 x 40 x 12 mm block with a radius 5 hole through the middle", "1 hole", (80, 40, 12), 38400 - cyl(10, 12)),
 ("4x Ø6 holes, 8 mm in from each edge, in an 80 x 60 x 5 plate", "4 holes", (80, 60, 5), 24000 - 4 * cyl(6, 5)),
 ("a 60 mm square plate 6 mm thick with a 25 mm dia through hole in the centre", "1 hole", (60, 60, 6), 21600 - cyl(25, 6)),
 ("a 100 x 50 x 6 plate with two M8 clearance holes 60 mm apart on the centreline", "2 holes", (100, 50, 6), 30000 - 2 * cyl(9, 6)),
 ("a 150 x 40 x 8 bar with five 6 mm holes spaced 25 mm apart", "5 holes", (150, 40, 8), 48000 - 5 * cyl(6, 8)),
 ("a 120 x 80 x 10 plate with four M5 holes on 100 x 60 centres", "4 holes", (120, 80, 10), 96000 - 4 * cyl(5, 10)),
 ("a 40 x 40 x 15 block with four 5 mm holes 10 deep, one in each corner 8 mm from the edges", "4 holes", (40, 40, 15), 24000 - 4 * cyl(5, 10)),
 # flanges
 ("a 6-hole flange, 120 OD, 40 ID, 10 thick, 10 mm holes on a 90 BCD", "flange", (120, 120, 10), cyl(120, 10) - cyl(40, 10) - 6 * cyl(10, 10)),
 ("flange: Ø150 x 15 thk, bore Ø50, 8 x Ø12 holes equally spaced on 120 PCD", "flange", (150, 150, 15), cyl(150, 15) - cyl(50, 15) - 8 * cyl(12, 15)),
 ("a square flange 100 x 100 x 10 mm with a 50 mm centre hole and 4 holes of 9 mm on 75 mm centres", "", (100, 100, 10), 100000 - cyl(50, 10) - 4 * cyl(9, 10)),
 ("a disc flange 80 mm diameter, 8 mm deep, 4 holes Ø6.6 on a pitch circle diameter of 60 mm, through bore 20 mm", "flange", (80, 80, 8), cyl(80, 8) - cyl(20, 8) - 4 * cyl(6.6, 8)),
 ("flange with a raised face: 100 dia x 12, raised face 60 dia 3 high, bore 30, 4 x 10 mm holes on 80 BCD", "flange", (100, 100, 15), cyl(100, 12) + cyl(60, 3) - cyl(30, 15) - 4 * cyl(10, 12)),
 ("a flange 110 OD x 10 thk with a 50 dia boss 15 tall, 25 through bore, four M10 clearance holes on an 85 PCD", "flange", (110, 110, 25), cyl(110, 10) + cyl(50, 15) - cyl(25, 25) - 4 * cyl(11, 10)),
 ("a flange, outer diameter 90 mm, 10 mm high, centre hole 30 mm, 5 equally spaced 8 mm holes on a radius of 35 mm", "flange", (90, 90, 10), cyl(90, 10) - cyl(30, 10) - 5 * cyl(8, 10)),
 ("flange 4.5 in OD, 0.5 in thick, 1 in bore, 4 holes 0.5 in dia on 3.5 in BCD", "flange", (114.3, 114.3, 12.7), cyl(114.3, 12.7) - cyl(25.4, 12.7) - 4 * cyl(12.7, 12.7)),
 ("a round flange 100 mm across and 12 mm tall with a 40 mm bore and 6 x 9 mm holes on a 78 mm pitch circle diameter", "flange", (100, 100, 12), cyl(100, 12) - cyl(40, 12) - 6 * cyl(9, 12)),
 ("a flange of diameter 140 and thickness 14 with eight holes, each 11 mm, on a 115 bolt circle, and a 60 mm hole in the centre", "flange", (140, 140, 14), cyl(140, 14) - cyl(60, 14) - 8 * cyl(11, 14)),
 ("an 8-hole flange 200 mm OD, 20 mm thick, 100 mm bore, holes 18 mm on a 165 mm PCD", "flange", (200, 200, 20), cyl(200, 20) - cyl(100, 20) - 8 * cyl(18, 20)),
 ("flange 120 dia 12 thick, 4 holes dia 11 on 95 PCD, no centre hole", "", (120, 120, 12), cyl(120, 12) - 4 * cyl(11, 12)),
 # pockets and slots
 ("a 80 x 40 x 10 plate with an obround slot 30 x 8 through", "slot", (80, 40, 10), 32000 - (22 * 8 + 16 * pi) * 10),
 ("a 120 x 60 x 20 block with a rectangular slot 10 wide and 50 long, 6 deep", "slot", (120, 60, 20), 144000 - 10 * 50 * 6),
 ("a 100 x 40 x 20 block with a 12 mm wide groove 4 mm deep running along its length", "slot", (100, 40, 20), 80000 - 100 * 12 * 4),
 ("a 80 x 50 x 12 block with a slot 10 wide 30 long 5 deep", "slot", (80, 50, 12), 48000 - (20 * 10 + 25 * pi) * 5),
 ("a 90 x 50 x 10 plate with a through slot 40 mm long, 10 mm wide", "slot", (90, 50, 10), 45000 - (30 * 10 + 25 * pi) * 10),
 ("a 100 x 50 x 20 block with a channel 20 wide and 8 deep across its width", "slot", (100, 50, 20), 100000 - 20 * 50 * 8),
 ("a 100 x 60 x 20 block with a 60 x 30 pocket with 5 mm corner radius, 10 deep", "pocket", (100, 60, 20), 120000 - rrect(60, 30, 5) * 10),
 ("a 100 x 60 x 20 block with a 60 x 30 x 10 deep pocket with rounded corners, R6", "pocket", (100, 60, 20), 120000 - rrect(60, 30, 6) * 10),
 ("a 80 x 60 x 25 block with a 50 x 30 pocket, floor thickness 5 mm", "pocket", (80, 60, 25), 120000 - 50 * 30 * 20),
 ("a 100 x 50 x 10 plate with a 40 x 20 rectangular cutout through the middle", "", (100, 50, 10), 50000 - 800 * 10),
 ("a 100 x 50 x 15 block with a keyway 8 wide 40 long 4 deep", "slot", (100, 50, 15), 75000 - (32 * 8 + 16 * pi) * 4),
 ("a 70 x 40 x 10 plate with a 20 mm long by 6 mm wide slot cut through it", "slot", (70, 40, 10), 28000 - (14 * 6 + 9 * pi) * 10),
 # prisms
 ("hex stock 22 AF x 40 long", "hex", (44 / S3, 22, 40), hexa(22, 40)),
 ("a hexagonal bar 30 mm across flats, 100 mm long", "hex", (60 / S3, 30, 100), hexa(30, 100)),
 ("an isosceles triangular prism, base 40, height 30, 20 thick", "triangular", (40, 30, 20), 0.5 * 40 * 30 * 20),
 ("a triangular prism with 30 mm sides, 50 mm long", "triangular", (30, 15 * S3, 50), 0.25 * S3 * 900 * 50),
 ("a hex prism 1 inch across the flats and 2 inches long", "hex", (50.8 / S3, 25.4, 50.8), hexa(25.4, 50.8)),
 ("hexagonal bar, 24 mm A/F, length 60 mm", "hex", (48 / S3, 24, 60), hexa(24, 60)),
 # L-brackets
 ("an L bracket 100 mm long, 60 mm high, 40 mm wide, from 6 mm plate", "L-bracket", (100, 40, 60), lbr(100, 60, 6, 40)),
 ("L-angle 40 x 40 x 4, 120 long", "L-bracket", (40, 120, 40), lbr(40, 40, 4, 120)),
 ("an L-shaped bracket 5 mm thick: horizontal leg 80, vertical leg 50, width 30", "L-bracket", (80, 30, 50), lbr(80, 50, 5, 30)),
 # stacked
 ("a Ø50 x 10 disc with a Ø25 x 20 cylinder on top", "", (50, 50, 30), cyl(50, 10) + cyl(25, 20)),
 ("a 60 mm dia by 15 mm tall cylinder with a 30 mm dia, 25 mm tall cylinder on top of it", "", (60, 60, 40), cyl(60, 15) + cyl(30, 25)),
 ("a base cylinder 80 mm in diameter and 10 mm high with a second cylinder 40 mm in diameter and 30 mm high centred on it", "", (80, 80, 40), cyl(80, 10) + cyl(40, 30)),
 ("a 100 x 60 x 10 plate with two 8 mm holes on the centreline, 20 mm from each end", "2 holes", (100, 60, 10), 60000 - 2 * cyl(8, 10)),
 ("a block 60 x 60 x 20 with a Ø12 hole 8 mm deep in the middle of the top face", "1 hole", (60, 60, 20), 72000 - cyl(12, 8)),
 ("plate 200 x 150 x 12 mm, 4 x M10 clearance holes at the corners, 20 mm from the edges, plus a 50 mm hole in the middle", "5 holes", (200, 150, 12), 360000 - 4 * cyl(11, 12) - cyl(50, 12)),
 ("a 80 x 80 x 8 plate with 4 holes of diameter 6 on a 60 mm square pattern", "4 holes", (80, 80, 8), 51200 - 4 * cyl(6, 8)),
 ("a 120 x 60 x 6 plate with eight 5 mm holes in two rows of four, 25 mm pitch", "8 holes", (120, 60, 6), 43200 - 8 * cyl(5, 6)),
 ("a 90 x 30 x 6 strip with 4 holes, 6 mm dia, 20 mm pitch, along the centre line", "4 holes", (90, 30, 6), 16200 - 4 * cyl(6, 6)),
 ("a 50 x 50 x 10 block with a hole of radius 8 through the centre", "1 hole", (50, 50, 10), 25000 - cyl(16, 10)),
 ("square plate 100 mm, 10 thick, holes: 4 off Ø9 on 80 mm centres", "4 holes", (100, 100, 10), 100000 - 4 * cyl(9, 10)),
 ("flange OD 160, thk 16, ID 80, 8 holes M12 clearance on BCD 130", "flange", (160, 160, 16), cyl(160, 16) - cyl(80, 16) - 8 * cyl(13.5, 16)),
 ("a 4-hole square flange, 80 x 80 x 8 mm, 40 mm bore, 8 mm holes on 60 mm centres", "flange", (80, 80, 8), 51200 - cyl(40, 8) - 4 * cyl(8, 8)),
 ("a circular flange Ø130 x 12 with a Ø60 x 10 spigot on one side, Ø40 bore through, 6 x Ø11 holes on Ø105 PCD", "flange", (130, 130, 22), cyl(130, 12) + cyl(60, 10) - cyl(40, 22) - 6 * cyl(11, 12)),
 ("a flange 100 mm diameter, 10 mm thick, with six equally spaced 9 mm holes on a 40 mm radius and a 35 mm centre hole", "flange", (100, 100, 10), cyl(100, 10) - cyl(35, 10) - 6 * cyl(9, 10)),
 ("a disc 120 across, 10 thick, 6 holes 8 dia on a pitch circle of 100, bore 50", "", (120, 120, 10), cyl(120, 10) - cyl(50, 10) - 6 * cyl(8, 10)),
 ("a flange 6 in diameter, 5/8 in thick, with a 2 in through bore and 8 holes of 5/8 in on a 4 3/4 in bolt circle", "flange", (152.4, 152.4, 15.875), cyl(152.4, 15.875) - cyl(50.8, 15.875) - 8 * cyl(15.875, 15.875)),
 ("a 120 x 60 x 25 block with a 80 x 40 pocket 15 deep with 8 mm radius corners", "pocket", (120, 60, 25), 180000 - rrect(80, 40, 8) * 15),
 ("a 100 x 60 x 20 block with a 60 x 30 pocket, 10 mm deep, corner radius 5 mm", "pocket", (100, 60, 20), 120000 - rrect(60, 30, 5) * 10),
 ("a 100 x 50 x 12 plate with a 40 x 10 mm rectangular slot through it", "slot", (100, 50, 12), 60000 - 400 * 12),
 ("a 100 x 50 x 12 plate with a 40 x 10 mm slot through it", "slot", (100, 50, 12), 60000 - (30 * 10 + 25 * pi) * 12),
 ("a 150 x 50 x 20 block with a 10 mm wide, 6 mm deep groove along its length", "slot", (150, 50, 20), 150000 - 150 * 10 * 6),
 ("a 80 x 80 x 20 block with a 16 wide 5 deep channel right across it", "slot", (80, 80, 20), 128000 - 80 * 16 * 5),
 ("a 100 x 40 x 15 block with a pocket 60 long, 20 wide and 5 deep", "pocket", (100, 40, 15), 60000 - 6000),
 ("a 60 x 60 x 20 block with a 40 mm square pocket, 8 mm floor", "pocket", (60, 60, 20), 72000 - 1600 * 12),
 ("a triangular prism, isosceles, base 60 mm, height 40 mm, length 100 mm", "triangular", (60, 40, 100), 0.5 * 60 * 40 * 100),
 ("22 mm AF hexagon bar, 120 mm long", "hex", (44 / S3, 22, 120), hexa(22, 120)),
 ("a hex prism with 20 mm across flats and 15 mm height", "hex", (40 / S3, 20, 15), hexa(20, 15)),
 ("a shaft with a 25 mm diameter section 40 mm long and a 15 mm diameter section 30 mm long", "", (25, 25, 70), cyl(25, 40) + cyl(15, 30)),
 ("a 40 dia x 20 cylinder topped by a 20 dia x 30 cylinder", "", (40, 40, 50), cyl(40, 20) + cyl(20, 30)),
 ("a flange Ø110, 12 thick, with 4 x Ø9 holes on a Ø90 bolt circle and a Ø40 centre hole", "flange", (110, 110, 12), cyl(110, 12) - cyl(40, 12) - 4 * cyl(9, 12)),
 ("flange, 100 mm OD, 30 mm ID, 10 mm thick, six M8 clearance holes on an 80 mm PCD", "flange", (100, 100, 10), cyl(100, 10) - cyl(30, 10) - 6 * cyl(9, 10)),
 ("a 100 x 60 x 10 plate with a 10 mm hole 25 mm from the left edge on the centreline", "1 hole", (100, 60, 10), 60000 - cyl(10, 10)),
 ("a 80 x 60 x 10 block with 2 blind holes, Ø8, 6 deep, 40 mm apart", "2 holes", (80, 60, 10), 48000 - 2 * cyl(8, 6)),
 ("a 200 x 100 x 8 plate with 4 holes of 12 mm diameter on a 150 x 60 mm rectangle", "4 holes", (200, 100, 8), 160000 - 4 * cyl(12, 8)),
 ("a 60 x 40 x 15 block with a 30 x 20 pocket 10 deep with square corners", "pocket", (60, 40, 15), 36000 - 6000),
 ("a disc 50 mm in diameter and 5 mm thick with three 5 mm holes equally spaced on a 36 mm pitch circle", "3 holes", (50, 50, 5), cyl(50, 5) - 3 * cyl(5, 5)),
]
CASES += DEV2
# pool A's failure classes, in new wording: decimals in words; "one" as a determiner; features "centred on the
# plate"; a slot "from one long side to the other"; "a bolt circle of N diameter"; the part named again ("It's a
# disc"); purpose words ("an adapter flange", "for a motor"); "ID" after sized holes; "N bolt holes Ø d"; a side
# "N mm long"; "six-sided"
DEV3 = [
 ("a disc two point five mm thick and forty mm across", "cylinder", (40, 40, 2.5), cyl(40, 2.5)),
 ("a washer, OD twenty four, ID twelve, thickness one point two five mm", "tube", (24, 24, 1.25),
  cyl(24, 1.25) - cyl(12, 1.25)),
 ("Could you make one rectangular block, 50 long 20 wide 10 high", "block", (50, 20, 10), 10000),
 ("a plate 90 x 60 x 8 with four 6 mm holes on a 40 mm circle, centred on the part", "4 holes", (90, 60, 8),
  90 * 60 * 8 - 4 * cyl(6, 8)),
 ("a block 80 x 50 x 30 with a groove 10 wide and 5 deep running from one long edge to the other", "slot",
  (80, 50, 30), 80 * 50 * 30 - 10 * 5 * 50),
 ("a 100 x 40 x 10 plate with a slot 8 wide 3 deep from one end to the other", "slot", (100, 40, 10),
  100 * 40 * 10 - 8 * 3 * 100),
 ("a 70 mm disc 6 thick with three 5 mm holes on a pitch circle of 50 mm diameter", "3 holes", (70, 70, 6),
  cyl(70, 6) - 3 * cyl(5, 6)),
 ("a ring 60 OD 20 ID 5 thick with 4 holes of 4 mm on a circle of 20 mm radius", "4 holes", (60, 60, 5),
  cyl(60, 5) - cyl(20, 5) - 4 * cyl(4, 5)),
 ("I need a motor mount. It is a plate 80 x 60 x 5 mm with a 22 mm hole in the middle", "plate", (80, 60, 5),
  80 * 60 * 5 - cyl(22, 5)),
 ("A spacer for a shelf. It's a ring 30 mm outside diameter, 12 mm inside, 8 mm thick", "tube", (30, 30, 8),
  cyl(30, 8) - cyl(12, 8)),
 ("flange: 8 holes Ø9 on PCD 110, OD 140, ID 60, 12 thk", "flange", (140, 140, 12),
  cyl(140, 12) - cyl(60, 12) - 8 * cyl(9, 12)),
 ("a 90 mm disc, 10 thick, with 4 mounting holes Ø6 on a Ø70 circle", "4 holes", (90, 90, 10),
  cyl(90, 10) - 4 * cyl(6, 10)),
 ("a hex bar whose sides are 6 mm long, 40 mm long overall", "hex", (12, 6 * math.sqrt(3), 40),
  hexa(6 * math.sqrt(3), 40)),
 ("a 6-sided prism 20 mm across the flats and 30 long", "hex", (20 / math.sqrt(3) * 2, 20, 30), hexa(20, 30)),
 ("a cube with each edge 30 mm long", "cube", (30, 30, 30), 27000),
]
CASES += DEV3
# context that must not change the geometry: decimal commas, quantities, labels, materials, finishes, negations,
# numbers that name a size the part already has (plain_context.py)
CONTEXT = [
 ("shim 0,8 x 30 x 50 mm, stainless, 25 pcs", "block", (30, 50, 0.8), 1200),
 ("qty: 12. Disc Ø64,5, 7 thick, laser cut, no holes", "cylinder", (64.5, 64.5, 7), cyl(64.5, 7)),
 ("Tutorial 4: a 30 x 30 x 30 mm block, nothing fancy, make 6 of these", "block", (30, 30, 30), 27000),
 ("Bar 90 x 20 x 15 in 6082-T6, anodised, 3 off", "bar", (90, 20, 15), 27000),
 ("Sleeve 18 OD x 10 ID x 25 long in delrin, without any threads, 50 off", "tube", (18, 18, 25), cyl(18, 25) - cyl(10, 25)),
 ("Plate 90 x 60 x 8 with 4 no. holes dia 6 in the corners, 10 from the edges", "4 holes", (90, 60, 8),
  90 * 60 * 8 - 4 * cyl(6, 8)),
 ("Plate 90 x 60 x 8, 4-off dia 6 holes in the corners 10 from the edges, zinc plated", "4 holes", (90, 60, 8),
  90 * 60 * 8 - 4 * cyl(6, 8)),
 ("Block 70 x 45 x 20 with a 30 x 20 pocket 6 deep centred on the 70 x 45 face", "pocket", (70, 45, 20),
  70 * 45 * 20 - 30 * 20 * 6),
 ("a hex blank 19 AF, 12 high, plain (no bore, no thread)", "hex", (38 / math.sqrt(3), 19, 12), hexa(19, 12)),
 # shorthand, extrude, square bolt patterns, washers by outside/inside, asides
 ("RD Ø25 x 60 LG", "cylinder", (25, 25, 60), cyl(25, 60)),
 ("RING OD50 ID30 x 6 THK", "tube", (50, 50, 6), cyl(50, 6) - cyl(30, 6)),
 ("Draw a circle of radius 12 mm and extrude it 30 mm. Do not add any holes.", "cylinder", (24, 24, 30), cyl(24, 30)),
 ("a 70 x 70 x 6 plate with four 5 mm holes on the corners of a 50 mm square", "4 holes", (70, 70, 6),
  70 * 70 * 6 - 4 * cyl(5, 6)),
 ("SQ FLG 90x90x10, 4x Ø8 THRU ON 70x70 SQ", "4 holes", (90, 90, 10), 8100 * 10 - 4 * cyl(8, 10)),
 ("Spacer ring: outside 30 mm, inside 16 mm, thick 4 mm", "tube", (30, 30, 4), cyl(30, 4) - cyl(16, 4)),
 ("Could you print a bushing? 16 mm OD, 6 mm ID, 9 mm long. Think of it as a thick washer for a wheel.", "tube",
  (16, 16, 9), cyl(16, 9) - cyl(6, 9)),
 # size references, purposes, "N SQ x T", two sizes joined by x
 ("a solid peg 8 mm diameter and 35 mm long for a garden gate latch", "cylinder", (8, 8, 35), cyl(8, 35)),
 ("SQ PLATE 60 SQ x 8, BORE Ø20", "1 hole", (60, 60, 8), 3600 * 8 - cyl(20, 8)),
 ("Block 50 x 50 x 30 with a centred round pocket Ø24 x 6 deep in the top face", "pocket", (50, 50, 30),
  50 * 50 * 30 - cyl(24, 6)),
 ("block eighty by forty by twenty with a slot ten wide and five deep running the full eighty length, centred",
  "slot", (80, 40, 20), 80 * 40 * 20 - 10 * 5 * 80),
 # a flange named, then its disc sized; an explicit hole size wins over the bolt it is for
 ("Flange: Ø100 disc 12 thick, Ø30 bore, 4 holes M10 clearance (Ø10.5) on 75 PCD", "flange", (100, 100, 12),
  cyl(100, 12) - cyl(30, 12) - 4 * cyl(10.5, 12)),
 ("We want a flange. The disc is 80 mm across and 8 mm thick, with a 20 mm hole through the disc.", "flange",
  (80, 80, 8), cyl(80, 8) - cyl(20, 8)),
 ("a 60 x 40 x 5 plate with a 6.4 mm hole (for M6 screws) in the centre", "1 hole", (60, 40, 5),
  60 * 40 * 5 - cyl(6.4, 5)),
 # spoken repetition, key size, wedges, step counts, "of an inch", corners "in from both sides"
 ("it's a round bar, two inches across and five inches long. Yes, five.", "cylinder", (50.8, 50.8, 127),
  cyl(50.8, 127)),
 ("hex nut blank, key size 13 mm, 8 mm tall", "hex", (26 / math.sqrt(3), 13, 8), hexa(13, 8)),
 ("a triangular wedge, right-angled, legs 20 and 30 mm, 10 mm thick", "triangular", (20, 30, 10), 20 * 30 / 2 * 10),
 ("step pin, two diameters: Ø16 x 10 long then Ø10 x 20 long", "stepped", (16, 16, 30), cyl(16, 10) + cyl(10, 20)),
 # full-width / full-length cuts, "hole centres N from …", "each N in from a short end", a collar's width
 ("Block 90 x 50 x 25 with a slot 12 wide x 6 deep running the full 50 width, centred on the 90 length", "slot",
  (90, 50, 25), 90 * 50 * 25 - 12 * 6 * 50),
 ("a 100 x 60 x 10 plate with an 8 mm hole in each corner, hole centres 12 mm from both edges", "4 holes",
  (100, 60, 10), 60000 - 4 * cyl(8, 10)),
 ("5 x 2 x 1/4 in plate with two 1/4 in holes on the long centreline, each 3/4 in in from a short end", "2 holes",
  (127, 50.8, 6.35), 127 * 50.8 * 6.35 - 2 * cyl(6.35, 6.35)),
 ("shaft collar: Ø40 outside, bore Ø20, width 15", "1 hole", (40, 40, 15), cyl(40, 15) - cyl(20, 15)),
 # "a x b grid" along X then Y; spacing in two directions; outside/inside in words
 ("plate 150 x 60 x 8 with a 5 x 2 grid of 6 mm holes at 30 mm pitch, centred", "10 holes", (150, 60, 8),
  150 * 60 * 8 - 10 * cyl(6, 8)),
 ("a plate 100 by 70, 6 thick, 4 holes of 8 mm in two rows of two, 60 mm in the long direction and 40 mm in the "
  "short direction, centred", "4 holes", (100, 70, 6), 100 * 70 * 6 - 4 * cyl(8, 6)),
 ("a 80 x 80 x 5 plate, a 2 x 2 grid of 5 mm holes with centres 40 mm apart in both directions", "4 holes",
  (80, 80, 5), 80 * 80 * 5 - 4 * cyl(5, 5)),
 ("a bush: outside is one and a half inch, inside is one inch, two inches long", "tube", (38.1, 38.1, 50.8),
  cyl(38.1, 50.8) - cyl(25.4, 50.8)),
 # stepped parts: "for the remaining N", an OAL equal to the sections' sum, a section's name in brackets
 ("Turned pin: Ø16 x 25 long, then reduced to Ø10 for the remaining 15 mm. OAL 40.", "stepped", (16, 16, 40),
  cyl(16, 25) + cyl(10, 15)),
 ("SHAFT: Ø12 x 10 LG (HEAD), Ø8 x 30 LG. OAL 40", "stepped", (12, 12, 40), cyl(12, 10) + cyl(8, 30)),
 # spoken, unpunctuated: a size named before its number ends at the number
 ("i want a spacer outside diameter thirty inside diameter twelve length forty millimetres", "1 hole", (30, 30, 40),
  cyl(30, 40) - cyl(12, 40)),
 ("a rod diameter eighteen length sixty mm", "cylinder", (18, 18, 60), cyl(18, 60)),
 # an angle's inside corner described: its legs are still outside sizes
 ("equal angle 40 x 40 x 5, 120 long, sharp inside corner", "L-bracket", (40, 120, 40), lbr(40, 40, 5, 120)),
 ("a corner bracket, legs 30 and 20 mm on the outside, 3 mm thick, 25 mm wide, no rounded edges", "L-bracket",
  (30, 25, 20), lbr(30, 20, 3, 25)),
 ("a puck 70 mm wide and 20 mm thick", "cylinder", (70, 70, 20), cyl(70, 20)),
 # number words: "A and B" is two numbers unless after hundred/thousand; "one and three quarter"
 ("an L bracket, legs thirty-five and fifty-five millimetres on the outside, four thick, twenty wide", "L-bracket",
  (35, 20, 55), lbr(35, 55, 4, 20)),
 ("a round bar two and three quarter inches across and four inches long", "cylinder", (69.85, 69.85, 101.6),
  cyl(69.85, 101.6)),
 ("a block 80 long 50 wide 40 tall with a slot 10 wide 6 deep running right across the 50 mm width, in the "
  "middle of the 80 mm length", "slot", (80, 50, 40), 80 * 50 * 40 - 10 * 6 * 50),
 ("plate 120 x 50 x 6 with two 10 mm holes on the centreline, each one 15 mm from the nearer short edge", "2 holes",
  (120, 50, 6), 120 * 50 * 6 - 2 * cyl(10, 6)),
 ("a plate five inches by three inches, a quarter of an inch thick, with four 1/4 inch holes, half an inch "
  "in from both sides at each corner", "4 holes", (127, 76.2, 6.35), 127 * 76.2 * 6.35 - 4 * cyl(6.35, 6.35)),
]
CASES += CONTEXT
# wording read since pool C (own sentences): a feature named again, restated sizes, purposes, extrude "to make a …"
def _stadium(L, W): return (L - W) * W + pi * W * W / 4
WORDING = [
 ("an 80 x 50 x 10 plate with a 3 x 2 grid of 6 mm holes on 20 mm centres; the holes go right through", "6 holes", (80, 50, 10), 40000 - 6 * cyl(6, 10)),
 ("a block 60 x 40 x 20 with a slot: slot width 8, total length of slot 30, depth 5", "slot", (60, 40, 20), 48000 - _stadium(30, 8) * 5),
 ("Draw a circle of radius 10 mm and extrude it 25 mm to make a solid cylinder.", "cylinder", (20, 20, 25), cyl(20, 25)),
 ("a 100 x 50 x 12 plate with a through slot 40 long, 10 wide, cut right through the 12 mm thickness. The slot is centred.", "slot", (100, 50, 12), 60000 - _stadium(40, 10) * 12),
 ("I'm making a doorstop and the core of it is a block 120 x 40 x 30.", "block", (120, 40, 30), 144000),
 ("a 60 x 40 x 10 block for a camera arm, with a 10 mm hole in the middle", "1 hole", (60, 40, 10), 24000 - cyl(10, 10)),
 ("a 50 mm disc 8 mm thick with a 20 mm boss 10 mm tall, and a 6 mm bore through boss and disc", "boss", (50, 50, 18), cyl(50, 8) + cyl(20, 10) - cyl(6, 18)),
 ("a 100 x 60 x 8 plate, 4 holes dia 6 on the centreline at 20 pitch, first hole 15 from the left end", "4 holes", (100, 60, 8), 48000 - 4 * cyl(6, 8)),
 ("Spacers, 25 OD x 12.5 ID x 8 long, with a plain through bore", "tube", (25, 25, 8), cyl(25, 8) - cyl(12.5, 8)),
 ("Angle bracket, 2 off: cut from 40 x 40 x 5 equal angle, 80 long, legs 40 each over the outside, 5 wall.", "L-bracket", (40, 80, 40), (40 * 5 + 35 * 5) * 80),
 ("An L bracket: the upright is a hundred and twenty tall, the base is seventy deep, all eight millimetre plate, forty wide.", "L-bracket", (70, 40, 120), (70 * 8 + 112 * 8) * 40),
 ("angle profile, each leg 4 cm on the outside, 0.4 cm thick, 30 cm long", "L-bracket", (40, 300, 40), (40 * 4 + 36 * 4) * 300),
 ("Ø40 x 10 base + Ø20 x 25 spigot", "boss", (40, 40, 35), cyl(40, 10) + cyl(20, 25)),
 ("Pin blank, solid: head Ø12 x 4, shank Ø6 x 25, coaxial.", "boss", (12, 12, 29), cyl(12, 4) + cyl(6, 25)),
 ("a 5 cm diameter round base 1 cm thick, with a 1.5 cm diameter post 6 cm tall rising from its centre", "boss", (50, 50, 70), cyl(50, 10) + cyl(15, 60)),
 ("a plate 100 x 30 x 6 with a round ended slot through it, 50 long overall by 8 wide", "slot", (100, 30, 6), 18000 - _stadium(50, 8) * 6),
 ("3D printed block 30 x 20 x 10", "block", (30, 20, 10), 6000),
 ("SQUARE FLANGE 60x60x8. BORE Ø20 CTR 4x Ø6 THRU ON 45x45 SQ, CTR.", "5 holes", (60, 60, 8), 28800 - cyl(20, 8) - 4 * cyl(6, 8)),
 ("PLATE 60x30x5. 2x Ø5 THRU @ X10 Y15, X50 Y15 FROM BTM LH CORNER", "2 holes", (60, 30, 5), 9000 - 2 * cyl(5, 5)),
 ("It's a washer, a flat one. Outside's a hundred, inside fifty, thickness five.", "tube", (100, 100, 5), cyl(100, 5) - cyl(50, 5)),
 ("a flange: outside's a hundred and twenty, thickness twelve, spigot on one face, hundred diameter, eight long", "boss", (120, 120, 20), cyl(120, 12) + cyl(100, 8)),
 ("a round thing: the base is fifty diameter, ten high, and on top, in the middle, a smaller bit, twenty diameter, another fifteen high", "stepped", (50, 50, 25), cyl(50, 10) + cyl(20, 15)),
 ("Turn a plain pin from 1\" round bar, finished 0.75\" dia x 2\" long", "cylinder", (19.05, 19.05, 50.8), cyl(19.05, 50.8)),
 ("a strip of 3 mm aluminium, 200 long by 25 wide", "strip", (200, 25, 3), 15000),
 ("Wedge, right angled triangular: the two legs are 25 mm and 60 mm, 10 mm thick.", "triangular", (25, 60, 10), 25 * 60 / 2 * 10),
 ("Bracing piece: right angled isosceles triangle plate, legs 40 mm x 40 mm, 4 mm thick.", "triangular", (40, 40, 4), 40 * 40 / 2 * 4),
 ("a tray, outside 120 x 80 x 25 mm, pocketed from the top leaving 4 mm walls all round and a 3 mm floor", "pocket", (120, 80, 25), 120 * 80 * 25 - 112 * 72 * 22),
 ("Round-ended slot 30 x 10 through a 90 x 40 x 6 plate, centred", "slot", (90, 40, 6), 90 * 40 * 6 - _stadium(30, 10) * 6),
 ("Bar 150 x 20 x 10, 3 holes Ø5 through on the centreline, at 15, 60 and 135 from the left end", "3 holes", (150, 20, 10), 30000 - 3 * cyl(5, 10)),
 ("block 80 x 50 x 20 with a rebate 10 wide x 6 deep along one long top edge, full length", "rebate", (80, 50, 20), 80000 - 10 * 6 * 80),
 ("a 60 x 40 x 30 block with a step cut out of one top edge along the full width, the step 15 long and 10 deep", "rebate", (60, 40, 30), 72000 - 15 * 10 * 40),
 ("Machine a 120 x 60 x 25 block, then mill a rectangular step 12 mm wide and 5 mm deep along one of its long top edges, running the full length.", "rebate", (120, 60, 25), 120 * 60 * 25 - 12 * 5 * 120),
 ("a 90 x 40 x 20 block; along one of the top 90 mm edges remove a step 15 mm wide (measured across the 40 mm width) and 5 mm deep, running the full length", "rebate", (90, 40, 20), 72000 - 15 * 5 * 90),
 ("a 20 mm shaft 100 long with a 40 mm collar 10 thick in the middle", "collar", (40, 40, 100), cyl(20, 100) + cyl(40, 10) - cyl(20, 10)),
 ("Ø12 shaft 80 long overall, with a Ø20 collar 6 wide whose near face is 20 from one end", "collar", (20, 20, 80), cyl(12, 80) + cyl(20, 6) - cyl(12, 6)),
 ("a 30 mm rod 60 long with a 10 mm bore through it and a 50 mm collar 5 thick halfway along", "1 hole and a collar", (50, 50, 60), cyl(30, 60) - cyl(10, 60) + cyl(50, 5) - cyl(30, 5)),
 ("a block 40 mm wide, its length is twice its width and its height equals its width", "block", (80, 40, 40), 80 * 40 * 40),
 ("a rod 12 mm in diameter whose length is 10 times the diameter", "cylinder", (12, 12, 120), cyl(12, 120)),
 ("a plate 100 long whose width is half its length, 5 thick", "plate", (100, 50, 5), 25000),
 ("an L bracket, legs 60 and 40 mm, 5 mm thick, 30 wide, with two 6 mm holes through the long leg at 20 and 45 mm from the outside corner", "L-bracket with 2 holes", (60, 30, 40), (60 * 5 + 35 * 5) * 30 - 2 * cyl(6, 5)),
 ("angle 50 x 50 x 5, 80 long, one 8 mm hole in each leg, 30 mm from the outside corner", "L-bracket with 2 holes", (50, 80, 50), (50 * 5 + 45 * 5) * 80 - 2 * cyl(8, 5)),
 ("an L bracket, base 70 mm, upright 50 mm, 6 mm thick, 40 wide, one 10 mm hole in the upright, its centre 35 up from the underside", "L-bracket with 1 hole", (70, 40, 50), (70 * 6 + 44 * 6) * 40 - cyl(10, 6)),
 ("an L-shaped block: a base 80 x 40 x 8, with an upright 8 thick x 40 wide rising 50 above the top of the base, at one of the 40 mm ends", "L-bracket", (80, 40, 58), (80 * 8 + 50 * 8) * 40),
 ("Door stop: a disc 40 mm wide and 10 mm thick, and sitting on top of it a 15 mm diameter stem 25 mm high, concentric.", "boss", (40, 40, 35), cyl(40, 10) + cyl(15, 25)),
 ("a wall bracket, the L type: the part against the wall is 5 inches tall and the part under the shelf sticks out 3 inches, 1/8 inch thick stock, an inch and a half wide. I'll drill my own screw holes.", "L-bracket", (76.2, 38.1, 127), (76.2 * 3.175 + (127 - 3.175) * 3.175) * 38.1),
 ("a plate 2 inches and a half long, 1 inch wide, 1/4 inch thick", "plate", (63.5, 25.4, 6.35), 63.5 * 25.4 * 6.35),
 ("round flange one forty across fifteen thick with a hub sixty across going up another twenty a thirty bore right through everything and six twelve holes in the flange on a one ten pitch circle all millimetres", "boss", (140, 140, 35), cyl(140, 15) + cyl(60, 20) - cyl(30, 35) - 6 * cyl(12, 15)),
 ("a disc 90 mm across, 8 thick, with four bolt holes of 9 mm on a 70 mm circle. Four, not three.", "4 holes", (90, 90, 8), cyl(90, 8) - 4 * cyl(9, 8)),
 ("one twenty mm hole in a plate 50 x 50 x 5", "1 hole", (50, 50, 5), 12500 - cyl(20, 5)),
 ("I've got a bar of 6 mm steel, 150 long by 20 wide, and I want a hole bar out of it: holes 5 mm diameter right through, one every 20 mm along the middle of the bar, the first and last holes 15 mm from the ends, so that's seven holes, yes, 7.", "7 holes", (150, 20, 6), 18000 - 7 * cyl(5, 6)),
 ("A 150 x 80 x 20 block with a rebate 20 wide x 10 deep along one long top edge", "rebate", (150, 80, 20), 240000 - 20 * 10 * 150),
 ("Hi! I need a little block for my printer: 40 mm long, 25 mm wide, 10 mm high, print it at 20% infill; I've been at this for 2 hours and it cost me $5.", "block", (40, 25, 10), 10000),
]
CASES += WORDING

# wording met in blind pools B and F (variants written here, not the pools' own texts)
WORDING2 = [
 ("Sleeve Ø20 OD / Ø12 ID x 30 long (mm).", "tube", (20, 20, 30), cyl(20, 30) - cyl(12, 30)),
 ("angle, L shape, each side 50 mm outside, thickness 5 mm, length 120 mm", "L-bracket", (50, 120, 50), (50 * 5 + 45 * 5) * 120),
 ("An 80 mm square plate, 10 thick, with four Ø6 through holes evenly spaced on a 50 mm bolt circle", "4 holes", (80, 80, 10), 64000 - 4 * cyl(6, 10)),
 ("Plate 120 x 60 x 8 with 2 rows of 3 Ø6 holes, centres at x = 20, 60, 100 and y = 15, 45 (from the lower-left corner)", "6 holes", (120, 60, 8), 57600 - 6 * cyl(6, 8)),
 ("Plate 100 by 50, 5 thick, three 8 mm holes in a line on the long centre line, the middle one in the centre and the other two 35 mm from it", "3 holes", (100, 50, 5), 25000 - 3 * cyl(8, 5)),
 ("disc 60 dia 6 thk, 4 holes dia 5 on PCD 40 at 90 deg spacing, all through, mm", "4 holes", (60, 60, 6), cyl(60, 6) - 4 * cyl(5, 6)),
 ("Open box from solid: outside 60 x 40 x 30 mm high, walls 4 mm thick, floor 3 mm thick", "pocket", (60, 40, 30), 72000 - 52 * 32 * 27),
 ("A block 100 long, 60 wide and 20 tall (mm) with a pocket 80 x 40 sunk 10 mm into the top, centred", "pocket", (100, 60, 20), 120000 - 32000),
 ("Steel plate 5 in. long x 2 in. wide x 1/4 in. thick, A36, mill finish, qty 10.", "plate", (127, 50.8, 6.35), 127 * 50.8 * 6.35),
 ("3/4 in. diameter rod, 6 in. long, 1045 CRS", "cylinder", (19.05, 19.05, 152.4), cyl(19.05, 152.4)),
 ("cilinder with radious of ten mm and lenght of fifty mm", "cylinder", (20, 20, 50), cyl(20, 50)),
 ("hexagonal prism, each side of the hexagon is 6 mm, height 20 mm", "hex", (12, 6 * 3 ** 0.5, 20), 3 * 3 ** 0.5 / 2 * 36 * 20),
 ("right-triangle profile with legs of 40 mm and 30 mm, extruded 10 mm", "triangular", (40, 30, 10), 40 * 30 / 2 * 10),
 ('3/8" square key stock, 4" length', "bar", (101.6, 9.525, 9.525), 9.525 ** 2 * 101.6),
 ("6061-T6 square bar 20 mm, L = 50 mm", "bar", (50, 20, 20), 20000),
 ("60 x 60 x 6 plate w/ 10mm hole thru center", "1 hole", (60, 60, 6), 21600 - cyl(10, 6)),
 ('Flange plate 6" dia, 1/2" thk, 2" bore, (6) 1/2" holes on 4-1/2" B.C.', "flange", (152.4, 152.4, 12.7), cyl(152.4, 12.7) - cyl(50.8, 12.7) - 6 * cyl(12.7, 12.7)),
 ("Block 100 long, 50 wide, 20 thick - sorry, make it 25 thick.", "block", (100, 50, 25), 125000),
 ("Spacer rod, diameter 10, length 30 mm. Actually scratch that, 35 long.", "cylinder", (10, 10, 35), cyl(10, 35)),
 ("Plate 60 x 40 x 5, 4 x Ø6 holes on a 30 mm bolt circle. Sorry - the holes should be Ø5.", "4 holes", (60, 40, 5), 12000 - 4 * cyl(5, 5)),
 ("Item 4 | PN 1234-56 | FLAT BAR 40 x 8 x 250 LG | 6061 | QTY 3", "bar", (40, 8, 250), 80000),
 ("Sleeve: ID 20 H7, OD 28, length 25 ±0.1, all mm.", "tube", (28, 28, 25), cyl(28, 25) - cyl(20, 25)),
 ("Bush with a 12 mm bore and a 3 mm wall, 20 mm long.", "tube", (18, 18, 20), cyl(18, 20) - cyl(12, 20)),
 ("A cylinder 10 cm high with a diameter of 4 cm (so a 2 cm radius).", "cylinder", (40, 40, 100), cyl(40, 100)),
 ("Disc 12 cm diameter, 1 cm thick, with four 0.6 cm holes evenly spaced on a circle 9 cm in diameter.", "4 holes", (120, 120, 10), cyl(120, 10) - 4 * cyl(6, 10)),
 ("A block, 120 wide and 80 deep, 30 high, all mm.", "block", (120, 80, 30), 288000),
 ("a plate 100 x 40 x 5 with 3 holes 6 mm in line 25 mm apart", "3 holes", (100, 40, 5), 20000 - 3 * cyl(6, 5)),
 ("Bush -\nouter diameter: 30\ninner diameter: 20\nlength: 15\n(all mm)", "tube", (30, 30, 15), cyl(30, 15) - cyl(20, 15)),
 ("thk 4 / width 50 / length 120, all in mm. spacer plate, no holes or chamfers", "plate", (120, 50, 4), 24000),
 ("Make a hexagonal prism where every side of the hexagon is 8 mm long; prism height 20 mm.", "hex", (16, 8 * 3 ** 0.5, 20), 3 * 3 ** 0.5 / 2 * 64 * 20),
 ("Angle bracket with two equal legs of 40 mm on the outside, made from 5 mm plate, 80 mm long.", "L-bracket", (40, 80, 40), (40 * 5 + 35 * 5) * 80),
 ("three step pin: dia 20 for the first 10 mm, then dia 15 for another 20 mm, then dia 10 for the last 30 mm", "stepped", (20, 20, 60), cyl(20, 10) + cyl(15, 20) + cyl(10, 30)),
 ('Flange w/ hub. OD 5", thk 0.5". Hub 2" OD x 1" long on one face. Bore 1" thru.', "flange", (127, 127, 38.1), cyl(127, 12.7) + cyl(50.8, 25.4) - cyl(25.4, 38.1)),
 ("1/4 inch plate, 3 x 2 in, grade 5, RAL 9005", "plate", (76.2, 50.8, 6.35), 76.2 * 50.8 * 6.35),
 ("Plate 5 by 3 inches, quarter inch thick. Put a half-inch hole dead center. Make that a 0.75 in hole.", "1 hole", (127, 76.2, 6.35), 127 * 76.2 * 6.35 - cyl(19.05, 6.35)),
 ("Bent angle: legs 60 and 40 outside, 5 thick, 50 wide (mm).", "L-bracket", (60, 50, 40), (60 * 5 + 35 * 5) * 50),
 ("Plate 100 x 50 x 6 mm with a centred through slot with rounded ends, 40 mm overall length, 10 mm wide, running along the 100 direction.", "slot", (100, 50, 6), 30000 - _stadium(40, 10) * 6),
 ("plate 200 x 304 x 5 mm, 6061, qty 2", "plate", (200, 304, 5), 200 * 304 * 5),
 ("BAR, SQ, .500 X 4.00 LG, INCH", "bar", (101.6, 12.7, 12.7), 12.7 ** 2 * 101.6),
]
CASES += WORDING2
MISSING = [
 ("an L bracket, legs 60 and 40 mm, 5 mm thick, 30 wide, with a 6 mm hole 20 mm from the corner", "which leg"),
 ("an L bracket, legs 60 and 40 mm, 5 mm thick, 30 wide, with a 6 mm hole in the base leg", "where along the leg"),
 ("a cylinder whose height equals its diameter", "diameter"),
 ("a 100 x 50 x 20 block with a rebate 8 mm deep along one top edge", "width"),
 ("an open box 100 x 60 x 40 with 3 mm walls", "floor thickness"),
 ("a cylinder 30 mm in diameter", "height"),
 ("a plate 60 x 40 mm", "thickness"),
 ("a washer with an outer diameter of 20 mm, 2 mm thick", "inner diameter"),
 ("a cube", "side"),
 ("a 60 x 40 x 20 mm block with a 30 x 20 mm pocket", "depth"),
 ("a 60 x 40 x 5 mm plate with four 5 mm holes", "where"),
 ("a 60 x 40 x 5 mm plate with a hole in each corner, 5 mm in diameter", "edges"),
 ("hex bar 50 mm long", "across the flats"),
 ("a disc 40 mm across", "thickness"),
 ("an L-bracket with legs of 50 and 30 mm, 20 mm wide", "thickness"),
 ("an L-bracket with a 50 mm leg, 5 mm thick, 20 mm wide", "upright"),
 ("L-bracket 50 x 40, 5 mm thick", "width"),
 ("a 100 x 100 x 10 plate with a 3 x 3 grid of 6 mm holes", "spacing"),
 ("a 120 x 50 x 5 plate with a 9 mm hole at each end", "ends"),
 ("a 6-hole flange, 120 OD, 40 ID, 10 mm holes on a 90 BCD", "thickness"),
 ("a 80 x 50 x 20 block with a 40 x 20 pocket, leaving a floor", "depth"),
 ("a right triangular prism with a 30 mm leg, 10 mm thick", "leg"),
 ("stepped shaft: Ø20 x 30 then Ø12", "height"),
 ("a flange 100 mm in diameter with six 8 mm holes on a 75 mm PCD", "thickness"),
 ("tube OD 30 length 100", "inner diameter"),
]
NOT_PART = ["hello, how are you today?", "what is the weather in Paris", "", "   "]
PARTIAL = ["a plate 100 x 50 x 10 with a dovetail slot 40 long, 10 wide, 5 deep", "a 40 mm cube with 2 mm chamfers on every edge", "a 20 mm threaded rod 100 mm long",
           "a 60 x 40 x 5 mm plate with a dovetail", "a 40 x 40 x 10 mm block with a 5 mm fillet",
           "a 50 x 50 x 5 plate with four counter-sunk M5 holes in the corners, 8 mm from the edges",
           "a 60 x 40 x 10 block with an M6 tapped hole in the centre",
           "a block 50 x 50 x 25 with an M8 tapping hole",
           "a 100 x 60 x 20 block with a 60 x 30 x 10 deep pocket with rounded corners",
           "a 25 mm shaft 100 long with a keyway 8 wide 30 long 4 deep",
           "stepped pin: Ø20 x 30 long, then Ø12 for the remaining 18 mm, OAL 50"]


@pytest.mark.parametrize("text,family,size,volume", CASES, ids=[c[0][:50] for c in CASES])
def test_reads_the_part_at_its_size_and_volume(text, family, size, volume):
    r = plain.read(text)
    assert r.understood, r.unknown
    assert family in r.family
    s = kernel.build(r.seq)
    assert s.valid
    assert s.summary()["size_mm"] == pytest.approx(list(size), abs=0.01)
    assert s.volume == pytest.approx(volume, rel=1e-4)


@pytest.mark.parametrize("text,what", MISSING, ids=[c[0][:50] for c in MISSING])
def test_a_missing_dimension_is_named(text, what):
    with pytest.raises(plain.MissingDimension) as e:
        plain.read(text)
    assert what in e.value.message and "add e.g." in e.value.hint


@pytest.mark.parametrize("text", NOT_PART)
def test_text_that_is_no_part_is_refused(text):
    with pytest.raises(plain.NotAPart):
        plain.read(text)


@pytest.mark.parametrize("text", PARTIAL)
def test_half_understood_text_is_flagged_not_simplified(text):
    r = plain.read(text)
    assert not r.understood and r.seq is None and r.unknown and r.confidence < 0.5


@pytest.mark.parametrize("text,n", [
    ("a 40 mm disc, 5 mm thick, with six 4 mm holes evenly spaced on a 30 mm circle", 6),
    ("a flange 100 mm in diameter, 10 mm thick, with a 30 mm centre bore and six 8 mm bolt holes on a 75 mm PCD", 7),
    ("a 100 mm square plate, 8 mm thick, with 4 M6 holes on a 70 mm bolt circle", 4),
    ("plate 100 by 50 by 6 mm with four 6 mm holes, 10 mm from each edge", 4),
    ("a 150 x 30 x 5 mm bar with five 6 mm holes in a line, 25 mm apart", 5),
    ("a disc 80 mm across, 6 mm thick, with 12 x Ø5 holes on a 64 mm circle", 12),
])
def test_the_part_has_the_number_of_holes_asked_all_inside(text, n):
    r = plain.read(text)
    circles = [c for e in r.seq.extrudes for lp in e.loops for c in lp if isinstance(c, plain.Circle)]
    outer = r.spec.get("D")
    holes = [c for c in circles if not (outer and c.r == pytest.approx(outer / 2) and c.x == c.y == 0)]
    assert len(holes) == n
    if outer:
        assert all(math.hypot(c.x, c.y) + c.r < outer / 2 for c in holes)
    else:
        assert all(abs(c.x) + c.r < r.spec["L"] / 2 and abs(c.y) + c.r < r.spec["W"] / 2 for c in holes)


@pytest.mark.parametrize("text,units", [
    ("A 2 inch cube", ["in"]), ("A plate 4 cm by 3 cm by 5 mm", ["mm", "cm"]),
    ("a 40 x 20 x 5 plate", ["mm (assumed)"]), ("a 3 ft long bar with a 1 in square cross-section", ["in", "ft"]),
])
def test_the_units_read_are_reported(text, units):
    r = plain.read(text)
    assert r.units == units and ("units" in r.verdict())


def test_holes_that_do_not_fit_are_refused_not_moved():
    with pytest.raises(plain.InputError, match="does not fit"):
        plain.read("a 40 mm disc 5 mm thick with six 8 mm holes on a 40 mm bolt circle")
    with pytest.raises(plain.InputError, match="overlaps"):
        plain.read("a 40 mm disc 5 mm thick with twelve 8 mm holes on a 30 mm bolt circle")


def test_m6_is_read_as_its_nominal_diameter_and_said():
    r = plain.read("a 50 x 50 x 5 mm plate with an M6 hole in the middle")
    assert r.spec["hole1_D"] == 6 and any("M6" in n for n in r.notes)


def test_a_hole_measured_from_an_edge_goes_there():
    r = plain.read("a 100 x 60 x 10 plate with a 10 mm hole 25 mm from the left edge on the centreline")
    assert r.seq.extrudes[0].loops[-1][0] == plain.Circle(-25.0, 0.0, 5.0)
    with pytest.raises(plain.MissingDimension, match="which edge"):
        plain.read("a 100 x 60 x 10 plate with a 10 mm hole 25 mm from the edge")


def test_clearance_holes_are_iso_273_medium_and_said():
    r = plain.read("a 100 x 50 x 6 plate with two M8 clearance holes 60 mm apart on the centreline")
    assert r.spec["hole1_D"] == 9 and any("ISO 273" in n for n in r.notes)
    assert plain.read("a 50 x 50 x 5 mm plate with a hole for an M6 bolt in the middle").spec["hole1_D"] == 6.6


def test_number_words_and_fractions():
    assert plain.read("a cube one and a half inches on a side").spec["L"] == pytest.approx(38.1)
    assert plain.read("a disc one hundred and twenty mm in diameter, 1 1/2 mm thick").spec == \
        pytest.approx({"D": 120, "H": 1.5})


def test_a_collar_between_two_sections_is_not_dropped():
    """'… then a Ø35 x 15 long collar, then Ø25 x 30 long': three sections, the collar's size its own pair
    (it was silently replaced by the next section's)."""
    r = plain.read("A stepped shaft: Ø20 x 40 long, then a Ø35 x 15 long collar, then Ø25 x 30 long.")
    assert r.understood
    assert [(e.loops[0][0].r * 2, e.e1) for e in r.seq.extrudes] == [(20.0, 40.0), (35.0, 15.0), (25.0, 30.0)]
    one = plain.read("Shaft Ø20 x 60 long with a Ø35 x 15 long collar on top")
    assert [(e.loops[0][0].r * 2, e.e1) for e in one.seq.extrudes] == [(20.0, 60.0), (35.0, 15.0)]


def test_a_row_starts_where_its_first_hole_is_placed():
    r = plain.read("a 100 x 60 x 8 plate, 4 holes dia 6 on the centreline at 20 pitch, first hole 15 from the left end")
    assert [c[0].x for c in r.seq.extrudes[0].loops[1:]] == [-35.0, -15.0, 5.0, 25.0]


def test_a_feature_named_again_is_the_same_feature():
    r = plain.read("a 70 x 50 x 15 block with a pocket 40 x 20 x 5 deep. The pocket sits in the middle.")
    assert r.understood and r.family == "block with a pocket"
    two = plain.read("a 70 x 50 x 15 block with a 10 mm hole in the centre and a 5 mm hole 15 mm from the left edge")
    assert two.spec["hole1_D"] == 10 and two.spec["hole2_D"] == 5  # "a … hole" twice: two holes


def test_holes_at_x_y_callouts_go_there():
    r = plain.read("PLATE 60x30x5. 2x Ø5 THRU @ X10 Y15, X50 Y15 FROM BTM LH CORNER")
    assert [(c[0].x, c[0].y) for c in r.seq.extrudes[0].loops[1:]] == [(-20.0, 0.0), (20.0, 0.0)]


def test_holes_measured_one_by_one_from_an_end():
    r = plain.read("Bar 150 x 20 x 10, 3 holes Ø5 through on the centreline, at 15, 60 and 135 from the left end")
    assert [c[0].x for c in r.seq.extrudes[0].loops[1:]] == [-60.0, -15.0, 60.0]


def test_a_collar_along_a_shaft_sits_where_it_is_put():
    r = plain.read("Ø12 shaft 80 long overall, with a Ø20 collar 6 wide whose near face is 20 from one end")
    assert r.spec["collar1_z"] == 20 and r.seq.extrudes[-1].origin == (0.0, 0.0, 20.0)
    on_top = plain.read("a 20 mm shaft 100 long with a 40 mm collar 10 thick on top")  # no place along it: a boss
    assert on_top.spec["body1_H"] == 10
    with pytest.raises(plain.InputError, match="does not fit"):
        plain.read("a 20 mm shaft 50 long with a 40 mm collar 10 thick whose near face is 45 from one end")


def test_a_hole_from_one_edge_midway_between_the_other_two():
    r = plain.read("plate 100 x 60 x 5 with one 10 mm hole, 20 mm from one of the 60 mm edges and midway between the "
                   "two 100 mm edges")
    assert r.understood and r.seq.extrudes[0].loops[1:] == [[plain.Circle(-30.0, 0.0, 5.0)]]
    r = plain.read("plate 100 x 60 x 5 with one 10 mm hole, 20 mm from one of the 100 mm edges and midway between the "
                   "two 60 mm edges")
    assert r.seq.extrudes[0].loops[1:] == [[plain.Circle(0.0, -10.0, 5.0)]]


def test_an_upright_thinner_than_its_base_is_refused_not_simplified():
    with pytest.raises(plain.InputError, match="not built"):
        plain.read("an L-shaped block: a base 80 x 40 x 8, with an upright 6 thick rising 50 above the top of the base")


def test_spoken_numbers_are_not_run_together():
    w = "four eighteen holes".split()
    assert plain._words_to_number(w, 0) == (4.0, 1)  # two numbers: a count and a size
    assert plain._words_to_number("one sixty across".split(), 0) == (160.0, 2)
    assert plain._words_to_number("twenty five".split(), 0) == (25.0, 2)
    assert plain._words_to_number("one hundred and twenty".split(), 0) == (120.0, 4)


def test_fraction_words_and_cut_to_length():
    r = plain.read("strip, five-sixteenths inch wide, an eighth inch thick, cut to 6-3/4 in")
    assert r.understood and (r.spec["L"], r.spec["W"], r.spec["H"]) == pytest.approx((171.45, 7.9375, 3.175))
    r = plain.read("flat bar 2 and 3/8 in wide, 1/4 in thick, cut to 10 in")
    assert r.understood and r.spec["W"] == pytest.approx(60.325) and r.spec["L"] == pytest.approx(254)


def test_square_section_rod_with_sides_and_decimal_metres():
    r = plain.read("a square-section pin, 8 mm sides, 0.15 m long")
    assert r.understood and (r.spec["L"], r.spec["W"], r.spec["H"]) == pytest.approx((150, 8, 8))
    with pytest.raises(plain.MissingDimension, match="length"):
        plain.read("square section rod with 8 mm sides")


def test_inch_marks_a_quantity_said_as_need_and_a_hollow_tube():
    r = plain.read('plain washer, 3/4" OD, 3/8" ID, 1/16" thick, need 25 of them')
    assert r.understood and (r.spec["D"], r.spec["d"]) == pytest.approx((19.05, 9.525))
    r = plain.read("sleeve: outside diameter 2.5 cm, wall thickness 3 mm, 6 cm long, hollow right through")
    assert r.understood and (r.spec["D"], r.spec["d"], r.spec["H"]) == pytest.approx((25, 19, 60))
    with pytest.raises(plain.MissingDimension):
        plain.read("sleeve: outside diameter 2.5 cm, wall thickness 3 mm, hollow right through")


def test_a_bracketed_clearance_remark_on_a_sized_hole_and_unequal_legs():
    r = plain.read("disc 80 dia, 6 thick, 3 holes Ø6.6 (M6 clearance, not tapped) on PCD 60")
    assert r.understood and r.spec["hole1_D"] == 6.6 and r.spec["hole1_n"] == 3
    assert not plain.read("disc 80 dia, 6 thick, 3 M6 tapped holes on PCD 60").understood
    r = plain.read("angle bracket: one arm 50 mm and the other one 30 mm (both outside), 4 mm thick, 25 mm wide")
    assert r.understood and (r.spec["A"], r.spec["B"], r.spec["T"], r.spec["W"]) == (50, 30, 4, 25)


def test_a_hole_along_the_length_goes_in_through_the_end_face():
    r = plain.read("steel block 80 long, 40 wide, 20 high with a 10 mm hole through the end, running lengthwise, "
                   "centred on the 40 x 20 end face")
    assert r.understood and "along its length" in r.family
    s = kernel.build(r.seq)
    assert s.valid and s.summary()["size_mm"] == pytest.approx([80, 40, 20], abs=0.01)
    assert s.volume == pytest.approx(80 * 40 * 20 - cyl(10, 80), rel=1e-4)
    down = plain.read("steel block 80 long, 40 wide, 20 high with a 10 mm hole through it, centred")
    assert kernel.build(down.seq).volume == pytest.approx(80 * 40 * 20 - cyl(10, 20), rel=1e-4)
    with pytest.raises(plain.InputError, match="does not fit"):
        plain.read("block 80 long, 40 wide, 20 high with a 25 mm hole along the whole length, centred on the end face")


@pytest.mark.parametrize("text,size", [
    ("ramp: triangular side profile, 200 mm along the ground, 50 mm high at the back with a 90 degree corner between "
     "them, 80 mm wide", (200, 50, 80)),
    ("right-angled triangular block, 60 long, 40 high (ninety degree corner between the two), 20 wide", (60, 40, 20)),
    ("right triangle plate, 60 long, 40 high, 5 thick", (60, 40, 5))])
def test_a_wedge_by_its_length_height_and_width(text, size):
    r = plain.read(text)
    assert r.understood, r.unknown
    s = kernel.build(r.seq)
    assert sorted(s.summary()["size_mm"]) == pytest.approx(sorted(size), abs=0.01)
    assert s.volume == pytest.approx(size[0] * size[1] / 2 * size[2], rel=1e-4)


def test_a_wedge_without_its_width_names_it():
    with pytest.raises(plain.MissingDimension, match="width"):
        plain.read("right triangle wedge 60 long 40 high")


def test_sizes_without_a_unit_beside_inch_sizes_are_read_in_inches_and_said_so():
    """A unitless size takes the unit written elsewhere; when that is not mm the reading says which sizes it
    read so, so that "100 x 60, 1/4 in thick" (perhaps meant in mm) is not shown as silently right."""
    from inference.cad import plain
    r = plain.read("a sheet, 80 x 50, 1/8 in thick")
    assert r.spec["L"] == pytest.approx(80 * 25.4) and any("80, 50 had no unit written: read in inches" in n
                                                           for n in r.notes)
    assert not any("no unit written" in n for n in plain.read("a 3 x 2 x 1 inch block").notes)
    assert not any("no unit written" in n for n in plain.read("a block 30 x 20 x 10").notes)  # mm assumed, said in units
