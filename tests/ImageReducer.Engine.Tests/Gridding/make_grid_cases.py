#!/usr/bin/python3
"""Generates grid_cases.json: GridBuilder cases with the boxes the reference computes.

Run from anywhere with /usr/bin/python3 (needs numpy):

    /usr/bin/python3 tests/ImageReducer.Engine.Tests/Gridding/make_grid_cases.py

The expected boxes come from generate_grid of the numpy port of the reference
(<repo>/../shared/bench/lsst_numpy_baseline.py). A case either lists the boxes
("cells"/"expanded": flat [minX, minY, maxX, maxY, ...] in the reference's order)
or names the error GridBuilder must raise ("error": a config field name, or "odd"
for forceEvenSized failing). Where GridBuilder refuses a config the reference
accepts (a used size rounding to 0 pixels), this script checks that the reference
gives an empty grid or fails, so the refusal loses nothing.
"""

import importlib.util
import json
import math
import random
import sys
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
BASELINE = REPO.parent / "shared" / "bench" / "lsst_numpy_baseline.py"
OUT = HERE / "grid_cases.json"

spec = importlib.util.spec_from_file_location("lsst_numpy_baseline", BASELINE)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)

np.seterr(all="ignore")
warnings.simplefilter("ignore")

AXIS_FIELDS = {"spacing": ("cellSize",), "size": ("gridStep",), "none": ("cellSize", "gridStep")}


def expected_refusal(case):
    """The field GridBuilder refuses (a used size below 1 pixel), or None; same order as GridBuilder."""
    cfg = case["config"]
    if cfg.get("cellCentroidsX"):
        for f in ("cellSizeX", "cellSizeY"):
            if math.trunc(cfg[f]) < 1:
                return f
        return None
    scale = cfg["scaleByFwhm"]
    rounded = {f: int(np.rint(cfg[f] * case["fwhm"] if scale else cfg[f]))
               for f in ("cellSizeX", "cellSizeY", "gridStepX", "gridStepY")}
    for axis in ("X", "Y"):
        for f in AXIS_FIELDS[cfg["adjustGridOption"]]:
            if rounded[f + axis] < 1:
                return f + axis
    return None


def run_reference(case):
    cfg = dict(case["config"])
    config = ref.MapReduceConfig(**cfg)
    fwhm = case["fwhm"]
    if fwhm is None and not cfg.get("cellCentroidsX") and not cfg["scaleByFwhm"]:
        # The reference always measures a FWHM; GridBuilder accepts none when it is not used for scaling.
        fwhm = 3.0
    return ref.generate_grid(case["w"], case["h"], case["x0"], case["y0"], fwhm, config,
                             force_even_sized=case["forceEvenSized"])


def flat(boxes):
    return [v for b in boxes for v in b.as_tuple()]


def complete(case):
    refusal = expected_refusal(case)
    try:
        b0, b1 = run_reference(case)
        outcome = None
    except RuntimeError as e:
        assert "even-sized" in str(e), e
        outcome = "odd"
    except (ZeroDivisionError, ValueError) as e:
        outcome = "crash"
    if refusal is not None:
        assert outcome == "crash" or (outcome is None and not b0), (case, outcome)
        case["error"] = refusal
    elif outcome == "odd":
        case["error"] = "odd"
    else:
        assert outcome is None, (case, outcome)
        case["cells"] = flat(b0)
        case["expanded"] = flat(b1)
    return case


def grid_case(w, h, x0, y0, fwhm, adjust, scale, cell, step, border, even):
    return {
        "w": w, "h": h, "x0": x0, "y0": y0, "fwhm": fwhm, "forceEvenSized": even,
        "config": {
            "cellSizeX": cell[0], "cellSizeY": cell[1],
            "gridStepX": step[0], "gridStepY": step[1],
            "borderSizeX": border[0], "borderSizeY": border[1],
            "adjustGridOption": adjust, "scaleByFwhm": scale,
        },
    }


def centroid_case(w, h, x0, y0, cxs, cys, cell, border, even):
    return {
        "w": w, "h": h, "x0": x0, "y0": y0, "fwhm": None, "forceEvenSized": even,
        "config": {
            "cellCentroidsX": cxs, "cellCentroidsY": cys,
            "cellSizeX": cell[0], "cellSizeY": cell[1],
            "borderSizeX": border[0], "borderSizeY": border[1],
        },
    }


ORIGINS = [(0, 0), (5, -3), (-17, -9), (1000, 2001), (-1, 0)]
IMAGES = [(1, 1), (1, 7), (2, 2), (3, 5), (7, 3), (16, 16), (31, 17), (64, 64), (100, 37), (128, 128),
          (129, 200), (37, 100), (255, 96)]
# (cell, step, border) in FWHM units, with the FWHMs to use them with. Several land on .5 after scaling:
# 2.5 × 3 = 7.5 → 8, 2.5 × 1 = 2.5 → 2, 1.5 × 5 = 7.5 → 8, 1.5 × 3 = 4.5 → 4, 2 × 2.25 = 4.5 → 4, 2 × 1.75 = 3.5 → 4.
FWHMS = [4.7038, 2.5, 1.5, 2.0, 3.3, 0.7]
SCALED = [((10, 10), (10, 10), (5, 5)), ((3, 1), (1, 3), (1, 0.5)), ((5, 3), (3, 5), (0.5, 1.5)),
          ((2.25, 1.75), (1.75, 2.25), (0.25, 0.75)), ((4, 6), (2, 2.5), (1, 2)), ((0.1, 3), (3, 0.1), (1, 1))]
# pixel sizes (scaleByFwhm false), halves included: 7.5 → 8, 4.5 → 4, 2.5 → 2, 0.5 → 0, 1.5 → 2.
PIXELS = [((10, 10), (10, 10), (5, 5)), ((7.5, 4.5), (4.5, 7.5), (2.5, 0.5)), ((16, 9), (13, 8), (3, 4)),
          ((1.5, 2.5), (1.5, 2.5), (1, 1)), ((47, 47), (47, 47), (24, 24)), ((0.5, 5), (5, 0.4), (1, 1)),
          ((33, 20), (6, 11), (7, 2)), ((300, 2), (2, 300), (100, 1))]


def structured():
    i = 0
    for adjust in ("spacing", "size", "none"):
        for (w, h) in IMAGES:
            for even in (False, True):
                for sizes in SCALED:
                    fwhm = FWHMS[i % len(FWHMS)]
                    x0, y0 = ORIGINS[i % len(ORIGINS)]
                    i += 1
                    yield grid_case(w, h, x0, y0, fwhm, adjust, True, *sizes, even)
                for sizes in PIXELS:
                    x0, y0 = ORIGINS[i % len(ORIGINS)]
                    fwhm = FWHMS[i % len(FWHMS)] if i % 3 else None  # unused when not scaling
                    i += 1
                    yield grid_case(w, h, x0, y0, fwhm, adjust, False, *sizes, even)


def linspace_precision(limit):
    """Spacing grids where np.linspace's float centres floor differently from exact arithmetic
    (i·step + start just below an integer), or where the last centre relies on linspace setting it
    to `stop` exactly; both axes, with and without an origin."""
    mid, last = [], []
    for w in range(1, 1500):
        for c in range(1, 120):
            n = w // c + 1
            if n < 2 or n > MAX_CELLS_PER_CASE:
                continue
            s, e = c // 2, w - c // 2
            step = (e - s) / (n - 1)
            if math.floor((n - 1) * step + s) != e and len(last) < limit:
                last.append((w, c))
            if len(mid) < limit and any(math.floor(i * step + s) != s + (i * (e - s)) // (n - 1) for i in range(1, n - 1)):
                mid.append((w, c))
    for k, (w, c) in enumerate(mid + last):
        x0, y0 = ORIGINS[k % len(ORIGINS)]
        yield grid_case(w, 7, x0, y0, None, "spacing", False, (c, 20), (1, 1), (2, 1), False)
        yield grid_case(5, w, x0, y0, None, "spacing", False, (20, c), (1, 1), (1, 3), k % 2 == 1)
        fwhm = 2.0  # the same grid reached through FWHM scaling
        yield grid_case(w, 3, y0, x0, fwhm, "spacing", True, (c / 2, 10), (1, 1), (1.25, 1), False)


def randomised(rng, n):
    for _ in range(n):
        w, h = rng.choice([rng.randint(1, 12), rng.randint(1, 80), rng.randint(20, 260)]), rng.randint(1, 260)
        x0, y0 = rng.randint(-300, 300), rng.randint(-300, 300)
        adjust = rng.choice(["spacing", "size", "none"])
        scale = rng.random() < 0.6
        if scale:
            fwhm = rng.choice([rng.uniform(0.8, 8.0), round(rng.uniform(1, 6), 1), rng.choice(FWHMS)])
            val = lambda lo, hi: rng.choice([round(rng.uniform(lo, hi), 2), rng.randint(1, 8) * 0.5, rng.uniform(lo, hi)])
            cell, step, border = (val(1, 12), val(1, 12)), (val(1, 12), val(1, 12)), (val(0.1, 4), val(0.1, 4))
        else:
            fwhm = rng.choice([None, rng.uniform(1, 6)])
            val = lambda lo, hi: rng.choice([rng.randint(lo, hi), rng.randint(2 * lo, 2 * hi) / 2, rng.uniform(lo, hi)])
            cell, step, border = (val(2, 60), val(2, 60)), (val(2, 60), val(2, 60)), (val(1, 20), val(1, 20))
        yield grid_case(w, h, x0, y0, fwhm, adjust, scale, cell, step, border, rng.random() < 0.4)


def centroids(rng, n):
    fixed = [
        # fractional, negative, on the edge and outside the image
        ([0.0, 5.5, 9.99, -0.5, -3.2, 63.0, 64.0, 70.5, 200.0, -200.0], [0.0, 5.5, 10.01, 7.0, -0.01, 63.0, 64.0, 12.0, 5.0, 5.0]),
        ([10.0], [10.0]),
        ([-4.5, 0.5, 1.5, 2.5], [2.5, 1.5, 0.5, -4.5]),
        ([1e9, -1e9, 3.0], [3.0, 3.0, 1e12]),
    ]
    for (w, h) in [(64, 64), (21, 13), (2, 2), (1, 9), (128, 128)]:
        for cxs, cys in fixed:
            for cell, border in [((10, 10), (5, 5)), ((7.9, 4.2), (2.7, 0.5)), ((1, 1), (1, 1)), ((2.5, 3.999), (0.4, 9.9)),
                                 ((0.9, 5), (1, 1)), ((200, 3), (1, 50))]:
                for even in (False, True):
                    x0, y0 = ORIGINS[(len(cxs) + w) % len(ORIGINS)]
                    yield centroid_case(w, h, x0, y0, cxs, cys, cell, border, even)
    for _ in range(n):
        w, h = rng.randint(1, 150), rng.randint(1, 150)
        k = rng.randint(1, 25)
        cxs = [rng.choice([rng.uniform(-20, w + 20), float(rng.randint(-5, w + 5)), rng.randint(0, 2 * w) / 2]) for _ in range(k)]
        cys = [rng.choice([rng.uniform(-20, h + 20), float(rng.randint(-5, h + 5)), rng.randint(0, 2 * h) / 2]) for _ in range(k)]
        cell = (rng.choice([rng.uniform(0.5, 40), rng.randint(1, 40)]), rng.choice([rng.uniform(0.5, 40), rng.randint(1, 40)]))
        border = (rng.uniform(0.1, 15), rng.uniform(0.1, 15))
        yield centroid_case(w, h, rng.randint(-50, 50), rng.randint(-50, 50), cxs, cys, cell, border, rng.random() < 0.4)


MAX_CELLS_PER_CASE = 40
BIG_CASES_KEPT = 8


def main():
    rng = random.Random(20261125)
    cases = [grid_case(128, 128, 0, 0, 4.7038, "spacing", True, (10, 10), (10, 10), (5, 5), False)]  # worked example
    cases += list(structured())
    cases += list(linspace_precision(40))
    cases += list(randomised(rng, 2200))
    cases += list(centroids(rng, 600))
    cases = [complete(c) for c in cases]
    # Big grids repeat the same arithmetic many times; keep a few of them so the fixture stays small.
    big = 0
    kept = []
    for c in cases:
        n = len(c.get("cells", ())) // 4
        if n > MAX_CELLS_PER_CASE:
            big += 1
            if big > BIG_CASES_KEPT or n > 2000:
                continue
        kept.append(c)
    cases = kept
    for i, c in enumerate(cases):
        c["id"] = i
    text = json.dumps({"generator": "make_grid_cases.py", "baseline": "shared/bench/lsst_numpy_baseline.py",
                       "cases": cases}, separators=(",", ":"))
    # one case per line keeps diffs readable
    text = text.replace(',{"w":', ',\n{"w":')
    OUT.write_text(text + "\n")
    errors = sum(1 for c in cases if "error" in c)
    boxes = sum(len(c.get("cells", ())) // 4 for c in cases)
    print("%d cases (%d errors, %d cells) -> %s (%d bytes)" % (len(cases), errors, boxes, OUT, len(text)), file=sys.stderr)


if __name__ == "__main__":
    main()
