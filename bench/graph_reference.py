"""Reference values from networkx for lagesbild-graph's tests.

Writes crates/lagesbild-graph/tests/fixtures/networkx.json: for Zachary's karate club, the
Florentine families, a directed and an undirected random graph and a weighted one, the edges
and networkx's values of PageRank, eigenvector, closeness, harmonic and betweenness centrality,
core numbers, components, articulation points, bridges and global efficiency, converged tightly
so that a comparison to 1e-9 is meaningful. networkx is a peer, installed only for this script:

    python3 -m venv /tmp/nxvenv && /tmp/nxvenv/bin/pip install networkx==3.4.2 scipy numpy
    /tmp/nxvenv/bin/python bench/graph_reference.py
"""
import json
import os
import random

import networkx as nx


def values(g, weighted=False):
    w = "weight" if weighted else None
    out = {
        "pagerank": nx.pagerank(g, alpha=0.85, tol=1e-14, max_iter=10000, weight="weight"),
        "closeness": nx.closeness_centrality(g, distance=w),
        "harmonic": nx.harmonic_centrality(g, distance=w),
        "betweenness": nx.betweenness_centrality(g, normalized=True, weight=w),
    }
    try:
        out["eigenvector"] = nx.eigenvector_centrality(g, max_iter=100000, tol=1e-14, weight="weight")
    except nx.PowerIterationFailedConvergence:
        pass
    if not g.is_directed():
        out["core"] = nx.core_number(g)
        out["articulation"] = sorted(nx.articulation_points(g))
        out["bridges"] = sorted(sorted(e) for e in nx.bridges(g))
        out["components"] = nx.number_connected_components(g)
        out["efficiency"] = nx.global_efficiency(g)
    else:
        out["strong_components"] = nx.number_strongly_connected_components(g)
        out["weak_components"] = nx.number_weakly_connected_components(g)
    return out


def case(name, g, weighted=False):
    nodes = list(g.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    edges = [[index[u], index[v], d.get("weight", 1.0)] for u, v, d in g.edges(data=True)]
    vals = values(g, weighted)
    conv = {}
    for k, v in vals.items():
        if isinstance(v, dict):
            conv[k] = [v[n] for n in nodes]
        elif k == "articulation":
            conv[k] = sorted(index[n] for n in v)
        elif k == "bridges":
            conv[k] = sorted(sorted([index[a], index[b]]) for a, b in v)
        else:
            conv[k] = v
    return {"name": name, "directed": g.is_directed(), "weighted": weighted, "n": len(nodes),
            "names": [str(n) for n in nodes], "edges": edges, "values": conv}


def main():
    cases = []
    cases.append(case("karate", nx.karate_club_graph()))
    # karate with its weights (the number of contexts two members met in)
    cases.append(case("karate-weighted", nx.karate_club_graph(), weighted=True))
    cases.append(case("florentine", nx.florentine_families_graph()))
    cases.append(case("gnp-undirected", nx.gnp_random_graph(60, 0.06, seed=3)))
    cases.append(case("gnp-directed", nx.gnp_random_graph(50, 0.08, seed=5, directed=True)))
    rng = random.Random(11)
    g = nx.gnm_random_graph(40, 90, seed=11)
    for u, v in g.edges():
        g[u][v]["weight"] = rng.choice([1.0, 2.0, 3.0, 0.5])
    cases.append(case("gnm-weighted", g, weighted=True))
    path = os.path.join(os.path.dirname(__file__), "..", "crates", "lagesbild-graph", "tests",
                        "fixtures", "networkx.json")
    with open(path, "w") as f:
        json.dump({"networkx": nx.__version__, "cases": cases}, f)
    print(f"wrote {path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
