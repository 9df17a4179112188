"""Gi* side by side with PySAL: our Gi* against esda.G_Local(star=True, transform="B") on the
same H3 cells and the same k-ring weights, from 1M generated events.

    python3 bench/geo.py [N]

Runs `cargo bench -p lagesbild-geo --bench geo -- N --export bench/out/geo` (our timings, and
the cells' counts, neighbour lists and z-scores), then, in the venv that
bench/geo_reference.py makes under bench/out/, builds the libpysal weights from the same lists
and times esda. Prints both times, the ratio and the largest difference of z; writes
bench/out/geo/result.json.
"""
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out", "geo")
VENV = os.path.join(HERE, "out", "geovenv")


def main():
    n = sys.argv[1] if len(sys.argv) > 1 else "1000000"
    if os.path.abspath(sys.prefix) != os.path.abspath(VENV):
        subprocess.check_call(["cargo", "bench", "-p", "lagesbild-geo", "--bench", "geo", "--",
                               n, "--export", OUT], cwd=ROOT)
        py = os.path.join(VENV, "bin", "python")
        if not os.path.exists(py):
            # the reference script makes the venv with the pinned peers
            subprocess.check_call([sys.executable, os.path.join(HERE, "geo_reference.py")])
        os.execv(py, [py, __file__, n, "--compare"])
    compare()


def compare():
    import numpy as np
    import scipy.sparse as sp
    import esda
    import libpysal

    y = np.loadtxt(os.path.join(OUT, "counts.txt"))
    offsets = np.loadtxt(os.path.join(OUT, "offsets.txt"), dtype=np.int64)
    neigh = np.loadtxt(os.path.join(OUT, "neighbours.txt"), dtype=np.int64)
    ours_z = np.loadtxt(os.path.join(OUT, "z.txt"))
    ours = json.load(open(os.path.join(OUT, "ours.json")))
    n = len(y)
    # the same binary weights, the cell itself left out (esda's star=True puts it back)
    rows = np.repeat(np.arange(n), np.diff(offsets))
    keep = rows != neigh
    m = sp.csr_matrix((np.ones(keep.sum()), (rows[keep], neigh[keep])), shape=(n, n))
    t = time.perf_counter()
    w = libpysal.weights.WSP(m).to_W(silence_warnings=True)
    t_w = time.perf_counter() - t
    t = time.perf_counter()
    g = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    t_g = time.perf_counter() - t
    diff = float(np.nanmax(np.abs(g.Zs - ours_z)))
    res = {
        "events": ours["events"], "cells": n, "esda": esda.__version__,
        "esda_weights_s": t_w, "esda_gistar_s": t_g,
        "ours_gistar_z_s": ours["gistar_z_s"], "ours_gistar_full_s": ours["gistar_full_s"],
        "ours_bin_s": ours["bin_s"], "ours_weights_s": ours["weights_s"],
        "ratio_gistar": t_g / ours["gistar_z_s"],
        "ratio_gistar_full": t_g / ours["gistar_full_s"],
        "ratio_weights_and_gistar": (t_w + t_g) / (ours["weights_s"] + ours["gistar_full_s"]),
        "max_abs_diff_z": diff,
    }
    json.dump(res, open(os.path.join(OUT, "result.json"), "w"), indent=1)
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    if "--compare" in sys.argv:
        compare()
    else:
        main()
