"""Graph benchmark, lagesbild-graph and igraph side by side in one run on the same graphs.

- a Barabási–Albert graph of 1M nodes and ~5M edges (igraph's generator, m = 5): PageRank,
  connected components, Leiden (modularity, 2 iterations), with the largest difference between
  the two PageRank vectors and both modularities;
- a Barabási–Albert graph of 100k nodes: exact betweenness.

igraph comes from PyPI into a throwaway virtualenv (a peer, never a dependency):

    python3 bench/graph.py [NODES] [BETWEENNESS_NODES]     # defaults 1000000 100000

Figures go to bench/out/graph.txt.
"""
import glob
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
VENV = os.path.join(OUT, "graphvenv")


def ensure_igraph():
    try:
        import igraph  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "igraph"], check=True)
    os.execv(py, [py] + sys.argv)


def main():
    ensure_igraph()
    import igraph as ig

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    bn = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    os.makedirs(OUT, exist_ok=True)
    lines = []

    def say(s):
        print(s, flush=True)
        lines.append(s)

    say(f"graph benchmark, {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, {os.cpu_count()} cores, igraph {ig.__version__}")
    g = ig.Graph.Barabasi(n, 5, directed=False, start_from=None)
    g.simplify()
    edges_file = os.path.join(OUT, f"ba-{n}.csv")
    with open(edges_file, "w") as f:
        for a, b in g.get_edgelist():
            f.write(f"{a},{b}\n")
    bg = ig.Graph.Barabasi(bn, 5, directed=False)
    bg.simplify()
    b_file = os.path.join(OUT, f"ba-{bn}.csv")
    with open(b_file, "w") as f:
        for a, b in bg.get_edgelist():
            f.write(f"{a},{b}\n")
    say(f"graphs: {g.vcount()} nodes / {g.ecount()} edges; {bg.vcount()} nodes / {bg.ecount()} edges")

    t = time.perf_counter(); pr = g.pagerank(damping=0.85); t_pr = time.perf_counter() - t
    t = time.perf_counter(); comps = g.connected_components(); t_cc = time.perf_counter() - t
    t = time.perf_counter()
    part = g.community_leiden(objective_function="modularity", n_iterations=2)
    t_le = time.perf_counter() - t
    q_ig = g.modularity(part.membership)
    # as many runs as ours makes by default (until a run gains < 0.002): 4 on this graph
    t = time.perf_counter()
    part4 = g.community_leiden(objective_function="modularity", n_iterations=4)
    t_le4 = time.perf_counter() - t
    q_ig4 = g.modularity(part4.membership)
    t = time.perf_counter(); bc = bg.betweenness(directed=False); t_bc = time.perf_counter() - t

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "lagesbild-graph", "--benches"], cwd=ROOT, check=True)
    exe = max(glob.glob(os.path.join(ROOT, "target", "release", "deps", "graph-*")), key=os.path.getmtime)
    exe = [e for e in glob.glob(os.path.join(ROOT, "target", "release", "deps", "graph-*")) if not e.endswith(".d")]
    exe = max(exe, key=os.path.getmtime)
    pr_file = os.path.join(OUT, "pagerank.txt")
    res = subprocess.run([exe, "--bench", edges_file, "--betweenness", b_file, "--pagerank-out", pr_file],
                         check=True, capture_output=True, text=True)
    ours = json.loads(res.stdout.strip().splitlines()[-1])
    res2 = subprocess.run([exe, "--bench", edges_file, "--no-betweenness", "--leiden-iterations", "2"],
                          check=True, capture_output=True, text=True)
    ours2 = json.loads(res2.stdout.strip().splitlines()[-1])
    with open(pr_file) as f:
        our_pr = [float(x) for x in f]
    diff = max(abs(a - b) for a, b in zip(our_pr, pr))
    nbc = (bg.vcount() - 1) * (bg.vcount() - 2) / 2
    ig_bc_max = max(bc) / nbc

    say(f"PageRank:    lagesbild {ours['pagerank_s']:.2f} s ({ours['pagerank_iterations']} iterations), igraph {t_pr:.2f} s: ratio {ours['pagerank_s'] / t_pr:.2f}; largest difference {diff:.2e}")
    say(f"components:  lagesbild {ours['components_s']:.2f} s, igraph {t_cc:.2f} s: ratio {ours['components_s'] / t_cc:.2f}; {ours['components']} vs {len(comps)}")
    say(f"Leiden:      lagesbild (default, runs until one gains < 0.002) {ours['leiden_s']:.2f} s, modularity {ours['leiden_modularity']:.4f} ({ours['leiden_communities']} communities); igraph (default, 2 runs) {t_le:.2f} s, modularity {q_ig:.4f} ({len(part)} communities): time ratio {ours['leiden_s'] / t_le:.2f}")
    say(f"Leiden, 2 runs each: lagesbild {ours2['leiden_s']:.2f} s, modularity {ours2['leiden_modularity']:.4f}; igraph {t_le:.2f} s, {q_ig:.4f}")
    say(f"Leiden, igraph 4 runs: {t_le4:.2f} s, modularity {q_ig4:.4f}")
    say(f"betweenness: lagesbild {ours['betweenness_s']:.2f} s, igraph {t_bc:.2f} s on {bg.vcount()} nodes: ratio {ours['betweenness_s'] / t_bc:.2f}; largest normalised value {ours['betweenness_max']:.6f} vs {ig_bc_max:.6f}")
    say(f"load (CSR from the edge list in memory): lagesbild {ours['build_s']:.2f} s")
    with open(os.path.join(OUT, "graph.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
