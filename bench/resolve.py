"""Entity resolution benchmark: lagesbild and Splink side by side in one run on the same files.

- linkage of two files of about N_LINK records each (default 10 000 × 10 000);
- deduplication of one file of N_DEDUPE records (default 1 000 000).

The files come from our seeded generator (`cargo run --release -p lagesbild-resolve --example
synth`, people with Swedish names written with typos, lost å/ä/ö, swapped name order, moved
addresses, households sharing surname, address and phone; a `cluster` column holds the truth).
Splink (PyPI, DuckDB backend) runs with the configuration its documentation recommends for
person data: the columns cleaned first (lower case, dates parsed to ISO, phones to digits with
the country code, personnummer to 12 digits), NameComparison on first and last name with term
frequency adjustment, DateOfBirthComparison, exact matches on personnummer, phone, e-mail,
postcode and city; blocking on first+last name, last name+birth date, first name+birth date,
postcode+first name and phone; λ from a deterministic rule (recall 0.7), u from 1e6 random
pairs, m by EM in two sessions (blocked on names, then on birth date); clusters at 0.9.
Ours runs the `lagesbild link` and `lagesbild dedupe` commands on the raw files, threshold 0.9.
Both are scored the same way: pairwise precision, recall and F1 of the clusters (dedupe) or of
the pairs above the threshold (link) against the truth. Wall time covers reading the files,
cleaning, training, scoring and clustering.

Splink comes from PyPI into a throwaway virtualenv (a peer, never a dependency):

    python3 bench/resolve.py [N_LINK] [N_DEDUPE]      # defaults 10000 1000000

Figures go to bench/out/resolve.txt.
"""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
VENV = os.path.join(OUT, "resolvevenv")
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))


def ensure_splink():
    try:
        import splink  # noqa: F401
        return
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "splink"], check=True)
    os.execv(py, [py] + sys.argv)


def build():
    subprocess.run(
        ["cargo", "build", "--release", "-j", "2", "--bin", "lagesbild",
         "-p", "lagesbild-cli", "-p", "lagesbild-resolve", "--example", "synth"],
        cwd=ROOT, check=True)
    return (os.path.join(TARGET, "release", "lagesbild"),
            os.path.join(TARGET, "release", "examples", "synth"))


CLEAN = """
create or replace table {name} as
with raw as (select * from read_csv('{path}', all_varchar = true, header = true)),
p as (
  select *,
    regexp_replace(coalesce(personnummer, ''), '[^0-9]', '', 'g') as pnr_digits,
    regexp_replace(coalesce(split_part(phone, '|', 1), ''), '[^0-9]', '', 'g') as ph
  from raw)
select
  id as unique_id,
  nullif(lower(trim(first_name)), '') as first_name,
  nullif(lower(trim(last_name)), '') as last_name,
  cast(cast(coalesce(try_strptime(birth_date, '%Y-%m-%d'), try_strptime(birth_date, '%Y%m%d'),
                     try_strptime(birth_date, '%d.%m.%Y')) as date) as varchar) as dob,
  case when length(pnr_digits) = 12 then pnr_digits
       when length(pnr_digits) = 10 then
         (case when cast(left(pnr_digits, 2) as integer) > 26 then '19' else '20' end) || pnr_digits
  end as personnummer,
  case when ph = '' then null
       when ph like '00%' then substr(ph, 3)
       when ph like '0%' then '46' || substr(ph, 2)
       else ph end as phone,
  nullif(lower(split_part(email, '|', 1)), '') as email,
  nullif(regexp_replace(coalesce(postcode, ''), '[^0-9]', '', 'g'), '') as postcode,
  nullif(lower(city), '') as city,
  "cluster" as truth
from p
"""


def splink_run(con, tables, link_type):
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    db_api = DuckDBAPI(connection=con)
    frames = [db_api.register(t, table_name=f"in_{t}") for t in tables]
    settings = SettingsCreator(
        link_type=link_type,
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "last_name"),
            block_on("last_name", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
            block_on("phone"),
        ],
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("personnummer"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("email"),
            cl.ExactMatch("postcode"),
            cl.ExactMatch("city"),
        ],
        additional_columns_to_retain=["truth"],
    )
    linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level=30)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "dob")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "last_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    pairs = linker.inference.predict(threshold_match_probability=0.9)
    clusters = None
    if link_type == "dedupe_only":
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            pairs, threshold_match_probability=0.9)
    return pairs, clusters


def pairwise(tp, predicted, actual):
    p = tp / predicted if predicted else 1.0
    r = tp / actual if actual else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def cluster_score(con, pred_sql, truth_table):
    """pred_sql: (id, cluster) rows; truth_table has unique_id, truth."""
    q = f"""
    with j as (select t.truth, p.cl from ({pred_sql}) p(id, cl) join {truth_table} t on t.unique_id = p.id)
    select
      (select sum(n * (n - 1) / 2) from (select count(*) n from j group by truth, cl)),
      (select sum(n * (n - 1) / 2) from (select count(*) n from j group by cl)),
      (select sum(n * (n - 1) / 2) from (select count(*) n from j group by truth))
    """
    tp, pred, act = con.execute(q).fetchone()
    return pairwise(tp or 0, pred or 0, act or 0)


def link_score(con, pairs_sql):
    """pairs_sql: (left id, right id) rows; truth in tables l and r."""
    q = f"""
    select
      (select count(*) from ({pairs_sql}) p(a, b) join l on l.unique_id = p.a join r on r.unique_id = p.b where l.truth = r.truth),
      (select count(*) from ({pairs_sql}) p(a, b)),
      (select sum(x.n * y.n) from (select truth, count(*) n from l group by truth) x join (select truth, count(*) n from r group by truth) y using (truth))
    """
    tp, pred, act = con.execute(q).fetchone()
    return pairwise(tp or 0, pred or 0, act or 0)


def main():
    ensure_splink()
    import duckdb
    import splink

    n_link = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    n_dedupe = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    os.makedirs(OUT, exist_ok=True)
    lagesbild, synth = build()
    lines = []

    def say(s):
        print(s, flush=True)
        lines.append(s)

    say(f"entity resolution benchmark, {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, "
        f"{os.cpu_count()} cores, splink {splink.__version__}, duckdb {duckdb.__version__}")
    env = dict(os.environ, RAYON_NUM_THREADS=str(os.cpu_count()))

    # linkage
    left, right = os.path.join(OUT, f"link-{n_link}-left.csv"), os.path.join(OUT, f"link-{n_link}-right.csv")
    subprocess.run([synth, "link", str(n_link), left, right], check=True)
    con = duckdb.connect()
    t = time.perf_counter()
    con.sql(CLEAN.format(name="l", path=left))
    con.sql(CLEAN.format(name="r", path=right))
    pairs, _ = splink_run(con, ["l", "r"], "link_only")
    splink_link = time.perf_counter() - t
    s_p, s_r, s_f = link_score(con, f"""select case when source_dataset_l = 'in_l' then unique_id_l else unique_id_r end,
                                              case when source_dataset_l = 'in_l' then unique_id_r else unique_id_l end
                                       from {pairs.physical_name}""")
    out_pairs = os.path.join(OUT, f"link-{n_link}-pairs.csv")
    t = time.perf_counter()
    subprocess.run([lagesbild, "-q", "link", left, right, "--out", out_pairs, "--threshold", "0.9"], check=True, env=env)
    ours_link = time.perf_counter() - t
    o_p, o_r, o_f = link_score(con, f"select left_id, right_id from read_csv('{out_pairs}', all_varchar = true)")
    say(f"link {n_link}×{n_link}: lagesbild {ours_link:.2f} s P {o_p:.4f} R {o_r:.4f} F1 {o_f:.4f} | "
        f"splink {splink_link:.2f} s P {s_p:.4f} R {s_r:.4f} F1 {s_f:.4f} | time ratio {ours_link / splink_link:.3f}")
    con.close()

    # deduplication
    people = os.path.join(OUT, f"dedupe-{n_dedupe}.csv")
    subprocess.run([synth, "dedupe", str(n_dedupe), people], check=True)
    out_clusters = os.path.join(OUT, f"dedupe-{n_dedupe}-clusters.csv")
    t = time.perf_counter()
    subprocess.run([lagesbild, "-q", "dedupe", people, "--out", out_clusters, "--threshold", "0.9"], check=True, env=env)
    ours = time.perf_counter() - t
    con = duckdb.connect()
    con.sql(CLEAN.format(name="truth", path=people))
    o_p, o_r, o_f = cluster_score(con, f"select id, cluster_id from read_csv('{out_clusters}', all_varchar = true)", "truth")
    con.close()
    con = duckdb.connect()
    t = time.perf_counter()
    con.sql(CLEAN.format(name="d", path=people))
    _, clusters = splink_run(con, ["d"], "dedupe_only")
    splink_dedupe = time.perf_counter() - t
    s_p, s_r, s_f = cluster_score(con, f"select unique_id, cluster_id from {clusters.physical_name}", "d")
    say(f"dedupe {n_dedupe}: lagesbild {ours:.2f} s P {o_p:.4f} R {o_r:.4f} F1 {o_f:.4f} | "
        f"splink {splink_dedupe:.2f} s P {s_p:.4f} R {s_r:.4f} F1 {s_f:.4f} | time ratio {ours / splink_dedupe:.3f}")
    with open(os.path.join(OUT, "resolve.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
