#!/usr/bin/env python3
"""Side-by-side comparison of dengar's classifier with the pipelines Indonesian projects use.

Runs, on the fixed splits in ../shared/eval (see its README.md), in one go:
  complaint (Bandung tweets; false alarms on the EmoT tweets) and agency (Surabaya complaints):
  - scikit-learn TF-IDF word 1-2 + logistic regression,
  - scikit-learn TF-IDF word 1-2 + char_wb 2-5 + logistic regression,
  - PySastrawi stemming + TF-IDF + LinearSVC,
  - fastText supervised,
  - dengar (`dengar eval --json`, release build), trained on the train rows only, settings
    chosen by time-forward cross-validation inside train;
  - complaint only: dengar trained on the train rows plus the project's own corpus
    (`--extra-train data/training`, written by the project, never from ../shared), the same
    cross-validation choosing the settings (the corpus rows train every fold, never validate).
and writes the tables into BENCHMARKS.md between the `classifier` markers.

The peers' hyper-parameters are the ones ../shared/eval/README.md reports as chosen by
cross-validation inside train. Throughput: raw text to label, one thread, after warm-up, on the
test texts replicated to --replicate texts (dengar's number is `dengar eval`'s own timing of the
test rows; `dengar classify` end-to-end throughput is measured separately, see BENCHMARKS.md).

Skips cleanly (exit 0 with a message) without ../shared/eval, and skips a peer whose Python
package is missing (install: pip install scikit-learn PySastrawi fasttext-wheel).

Usage: python3 benches/compare_peers.py [--shared ../shared] [--dengar target/release/dengar]
                                         [--replicate 200000] [--no-write] [--only dengar,...]
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = "<!-- classifier:begin -->"
END = "<!-- classifier:end -->"


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def throughput(predict, texts, replicate):
    """Texts per second of `predict` over `texts` repeated to `replicate`, one thread."""
    predict(texts[:1000])  # warm-up
    reps = max(1, replicate // max(1, len(texts)))
    batch = texts * reps
    t = time.perf_counter()
    predict(batch)
    return len(batch) / (time.perf_counter() - t)


def binary_metrics(gold, pred):
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    tn = len(gold) - tp - fp - fn
    pr = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    npv = tn / (tn + fn) if tn + fn else 0.0
    spec = tn / (tn + fp) if tn + fp else 0.0
    f0 = 2 * npv * spec / (npv + spec) if npv + spec else 0.0
    return {"precision": pr, "recall": rc, "f1": f1, "macro_f1": (f1 + f0) / 2}


def multi_metrics(gold, ranked):
    acc = sum(1 for g, r in zip(gold, ranked) if r[0] == g) / len(gold)
    top3 = sum(1 for g, r in zip(gold, ranked) if g in r[:3]) / len(gold)
    f1s = []
    for c in sorted(set(gold)):
        tp = sum(1 for g, r in zip(gold, ranked) if g == c and r[0] == c)
        pn = sum(1 for r in ranked if r[0] == c)
        gn = sum(1 for g in gold if g == c)
        p = tp / pn if pn else 0.0
        r_ = tp / gn if gn else 0.0
        f1s.append(2 * p * r_ / (p + r_) if p + r_ else 0.0)
    return {"accuracy": acc, "macro_f1": sum(f1s) / len(f1s), "top3": top3}


# ---- peers -------------------------------------------------------------------------------

def sk_pipeline(kind, task):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    if kind == "word":
        vec = TfidfVectorizer(ngram_range=(1, 2))
        c = 10 if task == "complaint" else 100
        return make_pipeline(vec, LogisticRegression(C=c, max_iter=3000))
    if kind == "wordchar":
        vec = make_union(TfidfVectorizer(ngram_range=(1, 2)),
                         TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)))
        c = 3 if task == "complaint" else 30
        return make_pipeline(vec, LogisticRegression(C=c, max_iter=3000))
    if kind == "sastrawi":
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
        stemmer = StemmerFactory().create_stemmer()
        cache = {}

        def stem(text):
            out = []
            for w in text.lower().split():
                if w not in cache:
                    cache[w] = stemmer.stem(w)
                out.append(cache[w])
            return " ".join(out)

        vec = TfidfVectorizer(preprocessor=stem, ngram_range=(1, 2))
        c = 0.3 if task == "complaint" else 1.0
        return make_pipeline(vec, LinearSVC(C=c,
                             class_weight=None if task == "complaint" else "balanced"))
    raise ValueError(kind)


def run_sklearn(kind, task, train, test, negatives, replicate):
    model = sk_pipeline(kind, task)
    if task == "complaint":
        model.fit([r["text"] for r in train], [int(r["label"]) for r in train])
        pred = model.predict([r["text"] for r in test])
        m = binary_metrics([r["label"] == "1" for r in test], [p == 1 for p in pred])
        m["false_alarms"] = sum(model.predict([r["text"] for r in negatives])) / len(negatives)
    else:
        model.fit([r["text"] for r in train], [r["agency"] for r in train])
        scores = model.decision_function([r["text"] for r in test])
        classes = list(model.classes_)
        ranked = [[classes[i] for i in sorted(range(len(classes)), key=lambda k: -s[k])[:3]]
                  for s in scores]
        m = multi_metrics([r["agency"] for r in test], ranked)
    m["texts_per_sec"] = throughput(model.predict, [r["text"] for r in test], replicate)
    return m


def run_fasttext(task, train, test, negatives, replicate):
    import fasttext

    def clean(t):
        return " ".join(t.lower().split())

    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        for r in train:
            lab = r["label"] if task == "complaint" else r["agency"]
            f.write(f"__label__{lab} {clean(r['text'])}\n")
        path = f.name
    lr = 0.25 if task == "complaint" else 1.0
    model = fasttext.train_supervised(path, epoch=25, lr=lr, thread=1, seed=1, verbose=0)
    os.unlink(path)

    def predict(texts):
        return model.predict([clean(t) for t in texts], k=3)[0]

    labels = predict([r["text"] for r in test])
    if task == "complaint":
        gold = [r["label"] == "1" for r in test]
        m = binary_metrics(gold, [l[0] == "__label__1" for l in labels])
        neg = predict([r["text"] for r in negatives])
        m["false_alarms"] = sum(1 for l in neg if l[0] == "__label__1") / len(negatives)
    else:
        ranked = [[x.replace("__label__", "") for x in l] for l in labels]
        m = multi_metrics([r["agency"] for r in test], ranked)
    m["texts_per_sec"] = throughput(predict, [r["text"] for r in test], replicate)
    return m


# The complaint grid for the run with the project corpus: its cross-validation peaked at the
# default grid's weakest alpha (0.1), so the grid reaches lower.
EXTRA_ALPHAS = "0.025,0.05,0.1,0.2,0.4,0.8,1.6,3.2"


def run_dengar(binary, task, ev, shared, extra=False):
    """`dengar eval` on a split; with `extra`, the project corpus `data/training` joins the
    training rows of every fold and of the final model (`--extra-train`)."""
    args = [binary, "eval", "--dataset", os.path.join(ev, f"{'bandung-complaint' if task == 'complaint' else 'surabaya-agency'}.csv"),
            "--task", task, "--json"]
    if extra:
        args += ["--extra-train", os.path.join(ROOT, "data", "training"), "--alphas", EXTRA_ALPHAS]
    if task == "complaint":
        args += ["--negatives", os.path.join(ev, "emot-negatives.csv")]
        nusax = os.path.join(shared, "lexicons", "nusax-banjarese")
        for part in ("train", "valid", "test"):
            p = os.path.join(nusax, f"senti_indonesian_{part}.csv")
            if os.path.exists(p):
                args += ["--proxy-negatives", p]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    r = json.loads(out)
    if task == "complaint":
        m = dict(r["complaint"])
        m["false_alarms"] = r.get("false_alarm_rate")
        m["ece"] = r["calibration"]["ece"]
        m["threshold"] = r.get("threshold")
    else:
        m = {k: r["agency"][k] for k in ("accuracy", "macro_f1", "top3")}
    m["texts_per_sec"] = r["texts_per_sec"]
    m["settings"] = {k: r["settings"].get(k) for k in ("alpha", "idf", "block_norm", "class_weight", "trainer")}
    return m


# ---- table -------------------------------------------------------------------------------

def table(results):
    lines = []
    lines.append("Complaint (Bandung test, 1,427 tweets; false alarms on the 440 EmoT tweets):\n")
    lines.append("| pipeline | P | R | F1 | macro-F1 | false alarms | texts/s |")
    lines.append("|---|---|---|---|---|---|---|")
    for name, task, m in results:
        if task != "complaint":
            continue
        if "skipped" in m:
            lines.append(f"| {name} | skipped: {m['skipped']} | | | | | |")
            continue
        fa = f"{m['false_alarms']:.3f}" if m.get("false_alarms") is not None else ""
        lines.append(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
                     f"{m['macro_f1']:.3f} | {fa} | {m['texts_per_sec']:,.0f} |")
    lines.append("\nAgency (Surabaya test, 3,820 complaints, 19 agencies):\n")
    lines.append("| pipeline | accuracy | macro-F1 | top-3 | texts/s |")
    lines.append("|---|---|---|---|---|")
    for name, task, m in results:
        if task != "agency":
            continue
        if "skipped" in m:
            lines.append(f"| {name} | skipped: {m['skipped']} | | | |")
            continue
        lines.append(f"| {name} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | {m['top3']:.3f} | "
                     f"{m['texts_per_sec']:,.0f} |")
    return "\n".join(lines) + "\n"


def write_benchmarks(text, stamp):
    path = os.path.join(ROOT, "BENCHMARKS.md")
    body = f"{BEGIN}\n_Written by `benches/compare_peers.py` on {stamp}._\n\n{text}{END}"
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Benchmarks\n"
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + body + old[old.index(END) + len(END):]
    else:
        new = old.rstrip() + "\n\n## Classifier versus peer pipelines\n\n" + body + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--dengar", default=os.path.join(ROOT, "target", "release", "dengar"))
    ap.add_argument("--replicate", type=int, default=200_000)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--only", default="", help="comma-separated: word,wordchar,sastrawi,fasttext,dengar,dengar-extra")
    ap.add_argument("--tasks", default="complaint,agency")
    a = ap.parse_args()
    ev = os.path.join(a.shared, "eval")
    if not os.path.exists(os.path.join(ev, "bandung-complaint.csv")):
        print(f"skipped: {ev} not found (the evaluation splits live outside the repository)")
        return 0
    only = set(filter(None, a.only.split(",")))
    want = lambda k: not only or k in only
    results = []
    for task in a.tasks.split(","):
        name = "bandung-complaint.csv" if task == "complaint" else "surabaya-agency.csv"
        rows = read(os.path.join(ev, name))
        train = [r for r in rows if r["split"] == "train"]
        test = [r for r in rows if r["split"] == "test"]
        negatives = read(os.path.join(ev, "emot-negatives.csv"))
        peers = [
            ("TF-IDF word 1-2 + logistic regression (scikit-learn)", "word"),
            ("TF-IDF word + char_wb 2-5 + logistic regression (scikit-learn)", "wordchar"),
            ("PySastrawi + TF-IDF + LinearSVC", "sastrawi"),
            ("fastText supervised", "fasttext"),
        ]
        for label, kind in peers:
            if not want(kind):
                continue
            print(f"{task}: {label} ...", file=sys.stderr)
            try:
                if kind == "fasttext":
                    m = run_fasttext(task, train, test, negatives, a.replicate)
                else:
                    m = run_sklearn(kind, task, train, test, negatives, a.replicate)
            except ImportError as e:
                m = {"skipped": f"not installed ({e.name})"}
            results.append((label, task, m))
        runs = [("dengar, train rows only", "dengar", False)]
        if task == "complaint":
            runs.append(("dengar, train rows + project corpus (`--extra-train data/training`)",
                         "dengar-extra", True))
        for label, kind, extra in runs:
            if not want(kind):
                continue
            print(f"{task}: {label} ...", file=sys.stderr)
            if os.path.exists(a.dengar):
                m = run_dengar(a.dengar, task, ev, a.shared, extra=extra)
            else:
                m = {"skipped": f"{a.dengar} not built (cargo build --release)"}
            results.append((label, task, m))
    text = table(results)
    print(text)
    print(json.dumps([{"pipeline": n, "task": t, **m} for n, t, m in results], indent=1, default=str),
          file=sys.stderr)
    if not a.no_write:
        write_benchmarks(text, time.strftime("%Y-%m-%d"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
