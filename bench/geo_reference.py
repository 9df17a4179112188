"""Reference values for lagesbild-geo's tests, from PySAL (esda, libpysal) and pyproj.

Writes, under crates/lagesbild-geo/tests/fixtures/:

- gistar.json: three cases of counts on cells with their neighbour lists and esda's
  G_Local(star=True, transform="B") z-scores: cells at random places with a distance band
  (libpysal DistanceBand, binary), a 20 x 20 lattice with queen contiguity (lat2W), and H3 cells
  at resolution 9 with k=1 rings (the h3 package). The Rust tests rebuild the weights from the
  cells where they can and compare z to 1e-9;
- sweref.json: WGS84 points across Sweden and their SWEREF 99 TM (EPSG:3006) coordinates from
  pyproj (PROJ's exact transverse Mercator), compared to the millimetre.

PySAL and pyproj are peers installed for this script only, never product dependencies. Run
with any python3; the script makes its own venv under bench/out/ the first time:

    python3 bench/geo_reference.py
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, "out", "geovenv")
PINS = ["esda==2.9.0", "libpysal==4.14.1", "pyproj==3.7.2", "h3==4.5.0", "numpy==2.4.6", "scipy==1.17.1"]


def ensure_venv():
    """Re-runs this script inside bench/out/geovenv, creating it when missing."""
    py = os.path.join(VENV, "bin", "python")
    if os.path.abspath(sys.prefix) == os.path.abspath(VENV):
        return
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
    subprocess.check_call([py, "-m", "pip", "install", "-q", *PINS])
    os.execv(py, [py, *sys.argv])


def gistar_cases():
    import numpy as np
    import h3
    import esda
    import libpysal
    from libpysal.weights import W, DistanceBand, lat2W

    rng = np.random.default_rng(20260601)
    cases = []

    def record(name, y, w, extra):
        g = esda.G_Local(y, w, transform="B", star=True, permutations=0)
        ids = list(w.id_order)
        index = {c: i for i, c in enumerate(ids)}
        neighbours = [sorted(index[j] for j in w.neighbors[c] if j != c) for c in ids]
        case = {"name": name, "y": [float(v) for v in y], "neighbours": neighbours,
                "z": [float(v) for v in g.Zs], "p_norm": [float(v) for v in g.p_norm]}
        case.update(extra)
        cases.append(case)

    # 1. 400 cells at random places (metres), a distance band of 600 m, a hot cluster
    n = 400
    xy = rng.uniform(0, 10_000, size=(n, 2))
    lam = 2 + 8 * np.exp(-((xy[:, 0] - 3000) ** 2 + (xy[:, 1] - 7000) ** 2) / (2 * 800 ** 2))
    y = rng.poisson(lam).astype(float)
    w = DistanceBand(xy, threshold=600.0, binary=True, silence_warnings=True)
    record("distance band", y, w, {"centres": xy.tolist(), "threshold": 600.0})

    # 2. a 20 x 20 lattice, queen contiguity, a hot corner and a cold stripe
    y = rng.poisson(3.0, size=400).astype(float)
    for r in range(4):
        for c in range(4):
            y[r * 20 + c] += 6
    y[200:220] = 0
    w = lat2W(20, 20, rook=False)
    record("lattice queen", y, w, {})

    # 3. H3 cells at resolution 9 around a point in Skåne, k = 1 rings
    centre = h3.latlng_to_cell(55.60, 13.00, 9)
    cells = sorted(h3.grid_disk(centre, 9))
    index = {c: i for i, c in enumerate(cells)}
    neighbours = {i: [index[d] for d in h3.grid_disk(c, 1) if d in index and d != c]
                  for i, c in enumerate(cells)}
    w = W(neighbours, silence_warnings=True)
    lat = np.array([h3.cell_to_latlng(c)[0] for c in cells])
    lon = np.array([h3.cell_to_latlng(c)[1] for c in cells])
    lam = 1 + 10 * np.exp(-((lat - 55.603) ** 2 / 0.002 ** 2 + (lon - 13.004) ** 2 / 0.004 ** 2))
    y = rng.poisson(lam).astype(float)
    record("h3 k-ring", y, w, {"cells": cells, "resolution": 9})
    return {"esda": esda.__version__, "libpysal": libpysal.__version__, "cases": cases}


def sweref_points():
    import pyproj

    t = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
    pts = []
    for lat, lon in [(55.34, 12.8), (55.6, 13.0), (56.05, 12.7), (57.7, 11.97), (59.33, 18.07),
                     (60.5, 15.0), (63.82, 20.26), (65.58, 22.15), (67.86, 20.23), (69.06, 20.55),
                     (58.0, 11.0), (56.2, 16.4), (62.0, 17.6), (68.0, 23.9), (61.0, 12.5)]:
        e, n = t.transform(lon, lat)
        pts.append({"lat": lat, "lon": lon, "easting": e, "northing": n})
    return {"pyproj": pyproj.__version__, "proj": pyproj.proj_version_str, "points": pts}


def main():
    ensure_venv()
    out = os.path.join(HERE, "..", "crates", "lagesbild-geo", "tests", "fixtures")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "gistar.json"), "w") as f:
        json.dump(gistar_cases(), f, separators=(",", ":"))
        f.write("\n")
    with open(os.path.join(out, "sweref.json"), "w") as f:
        json.dump(sweref_points(), f, indent=1)
        f.write("\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
