#!/usr/bin/env python3
"""Side-by-side comparison of dengar's text analyzer with PySastrawi, in one run.

1. Speed on the same posts (benches/posts.txt, written for the benchmark): PySastrawi's stemmer
   uncached and cached, its stop-word remover, and the usual Python pipeline (stop words +
   cached stemming), against `dengar analyze --lines --json` on the same posts (wall clock of
   the process, start-up and JSON output included) and dengar's stemmer alone, uncached.
2. Stemmer agreement on inflected words drawn from real text: the most frequent distinct
   affix-shaped words that are not roots, from the evaluation texts (read at run time, never
   copied), stemmed by PySastrawi and by dengar's stemmer (examples/stem_words.rs: the word
   as given, without dengar's slang normalisation). Reports % agreement (distinct words and
   token-weighted) and the disagreements by class, with examples.
3. Whole analyzer: stems after dengar's normalisation against PySastrawi's on the words of real
   posts, with the differences classed by cause (slang/Banjar, elongation, reduplication, the
   -kan rule).
4. Stop words: which negations and complaint markers PySastrawi's stop-word list removes.

Usage:  python3 benches/compare_sastrawi.py [--eval-dir DIR] [--words N] [--repeat R]
Skips cleanly (exit 0, with a message) when Python's Sastrawi package is missing (pip install
PySastrawi), when cargo/the dengar binaries are unavailable, or, for part 2 only, when the
evaluation texts are absent. Results and their discussion: docs/text-bench.md.
"""

import argparse
import collections
import csv
import os
import platform
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POSTS = os.path.join(ROOT, "benches", "posts.txt")
DEFAULT_EVAL = os.environ.get("DENGAR_EVAL_DIR", os.path.join(ROOT, "..", "shared", "eval"))

PREFIX = re.compile(r"^(me|di|ke|se|be|te|pe|ku|kau)")
SUFFIX = re.compile(r"(lah|kah|tah|pun|ku|mu|nya|i|kan|an)$")
WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
COMPLAINT_WORDS = ["tidak", "tak", "belum", "bukan", "jangan", "kok", "masih", "tolong", "mohon",
                   "kapan", "kenapa", "mengapa", "bagaimana", "sudah", "lagi", "segera", "harus"]


def skip(msg):
    print(f"skip: {msg}")
    sys.exit(0)


def load_sastrawi():
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
        from Sastrawi.Stemmer.Stemmer import Stemmer
        from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
        from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory
    except ImportError:
        skip("PySastrawi is not installed (pip install PySastrawi)")
    factory = StemmerFactory()
    uncached = Stemmer(ArrayDictionary(factory.get_words()))
    cached = factory.create_stemmer()
    swf = StopWordRemoverFactory()
    return uncached, cached, swf.create_stop_word_remover(), set(swf.get_stop_words())


def binaries():
    dengar = os.path.join(ROOT, "target", "release", "dengar")
    examples = os.path.join(ROOT, "target", "release", "examples")
    stem_words = os.path.join(examples, "stem_words")
    analyze_posts = os.path.join(examples, "analyze_posts")
    if not all(os.path.exists(p) for p in (dengar, stem_words, analyze_posts)):
        cmd = ["cargo", "build", "--release", "--bin", "dengar", "--example", "stem_words",
               "--example", "analyze_posts"]
        print("building:", " ".join(cmd), file=sys.stderr)
        try:
            subprocess.run(cmd, cwd=ROOT, check=True)
        except (OSError, subprocess.CalledProcessError) as e:
            skip(f"cannot build the dengar binaries ({e})")
    return dengar, stem_words, analyze_posts


def rate(n, seconds):
    return n / seconds if seconds > 0 else float("inf")


def speed(posts, repeat, uncached, cached, remover, dengar, analyze_posts):
    batch = posts * repeat
    rows = []

    t = time.perf_counter()
    for p in batch:
        uncached.stem(p)
    rows.append(("PySastrawi stemmer, uncached (`Stemmer.stem`)", rate(len(batch), time.perf_counter() - t)))

    for p in posts:  # warm the cache with every distinct word
        cached.stem(p)
    t = time.perf_counter()
    for p in batch:
        cached.stem(p)
    rows.append(("PySastrawi stemmer, cached, warm (`create_stemmer`)", rate(len(batch), time.perf_counter() - t)))

    t = time.perf_counter()
    for p in batch:
        remover.remove(p)
    rows.append(("PySastrawi stop-word remover", rate(len(batch), time.perf_counter() - t)))

    t = time.perf_counter()
    for p in batch:
        cached.stem(remover.remove(p))
    rows.append(("PySastrawi stop words + cached stemming", rate(len(batch), time.perf_counter() - t)))

    out = subprocess.run([analyze_posts], input=("\n".join(posts) + "\n").encode(),
                         capture_output=True, check=True)
    rows.append(("dengar analyzer in-process: segment, normalise, stop words, stem every word "
                 "(examples/analyze_posts.rs)", float(out.stdout.decode().strip())))

    data = ("\n".join(batch) + "\n").encode()
    t = time.perf_counter()
    out = subprocess.run([dengar, "analyze", "--lines", "--json"], input=data, capture_output=True, check=True)
    elapsed = time.perf_counter() - t
    lines = out.stdout.count(b"\n")
    if lines != len(batch):
        raise SystemExit(f"dengar printed {lines} lines for {len(batch)} posts")
    rows.append(("dengar analyze --lines --json (process, JSON output included)", rate(len(batch), elapsed)))
    return len(batch), rows


def read_eval_texts(eval_dir):
    texts = []
    for name in ("bandung-complaint.csv", "surabaya-agency.csv", "emot-negatives.csv"):
        path = os.path.join(eval_dir, name)
        if not os.path.exists(path):
            continue
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                texts.append(row.get("text") or "")
    return texts


def inflected_words(texts, roots, n):
    counts = collections.Counter()
    for t in texts:
        for w in WORD.findall(t.lower()):
            if len(w) < 5 or w in roots:
                continue
            if PREFIX.search(w) or SUFFIX.search(w) or "-" in w:
                counts[w] += 1
    return counts.most_common(n)


def dengar_stems(stem_words, words):
    data = ("\n".join(words) + "\n").encode()
    out = subprocess.run([stem_words], input=data, capture_output=True, check=True)
    stems = {}
    for line in out.stdout.decode().splitlines():
        w, _, s = line.partition("\t")
        stems[w] = s
    return stems, out.stderr.decode().strip()


def core_of(word):
    """The word without a particle and a possessive, as the stemmer peels them."""
    w = re.sub(r"-*(lah|kah|tah|pun)$", "", word)
    return re.sub(r"-*(ku|mu|nya)$", "", w)


def classify(word, ours, theirs):
    core = core_of(word)
    if core.endswith("kan") and word[:2] in ("ke", "pe", "be", "te"):
        if ours == core[:-3]:
            return "be…-kan: root + -kan (dengar) vs ber- + root (PySastrawi)"
        if ours.endswith("k"):
            return "ke-/pe-/ber-/ter- …-kan: root ending in k + -an (dengar) vs root + -kan (PySastrawi)"
    if ours == word:
        return "dengar keeps the word, PySastrawi strips it"
    if theirs == word:
        return "PySastrawi keeps the word, dengar strips it"
    return "both strip, different roots"


def agreement(eval_dir, n_words, uncached, roots, stem_words):
    texts = read_eval_texts(eval_dir)
    if not texts:
        print(f"\n(stemmer agreement skipped: no evaluation texts in {eval_dir})")
        return
    ranked = inflected_words(texts, roots, n_words)
    words = [w for w, _ in ranked]
    t = time.perf_counter()
    theirs = {w: uncached.stem(w) for w in words}
    py_rate = rate(len(words), time.perf_counter() - t)
    ours, timing = dengar_stems(stem_words, words)
    total_tokens = sum(c for _, c in ranked)
    same = [w for w in words if ours.get(w) == theirs[w]]
    same_tokens = sum(c for w, c in ranked if ours.get(w) == theirs[w])
    print(f"\n## Stemmer agreement with PySastrawi\n")
    print(f"{len(texts)} evaluation texts from {eval_dir} (read at run time, not stored);")
    print(f"{len(words)} distinct inflected words (length >= 5, not a root, affix-shaped: prefix")
    print(f"me/di/ke/se/be/te/pe/ku/kau, a suffix, or a hyphen), {total_tokens} occurrences.\n")
    print(f"| measure | value |\n|---|---|")
    print(f"| agreement, distinct words | {len(same)}/{len(words)} = {100 * len(same) / len(words):.2f}% |")
    print(f"| agreement, token-weighted | {100 * same_tokens / total_tokens:.2f}% |")
    print(f"| PySastrawi uncached, same words | {py_rate:,.0f} words/s |")
    print(f"| dengar stemmer uncached | {timing} |")
    classes = collections.defaultdict(list)
    freq = dict(ranked)
    for w in words:
        if ours.get(w) != theirs[w]:
            classes[classify(w, ours.get(w), theirs[w])].append(w)
    print("\n### Disagreements by class\n")
    if not classes:
        print("none")
    for cls, ws in sorted(classes.items(), key=lambda kv: -len(kv[1])):
        print(f"- **{cls}**: {len(ws)} words ({sum(freq[w] for w in ws)} occurrences), e.g. " +
              ", ".join(f"`{w}` → dengar `{ours.get(w)}` / PySastrawi `{theirs[w]}`" for w in ws[:40]))


def pipeline_agreement(eval_dir, n_texts, uncached, dengar):
    """Stems of dengar's whole analyzer (normalise, then stem) against PySastrawi on the words
    of real posts, with the disagreements classed by what dengar did first."""
    texts = read_eval_texts(eval_dir)
    if not texts:
        return
    step = max(1, len(texts) // n_texts)
    sample = [" ".join(t.split()) for t in texts[::step]][:n_texts]
    out = subprocess.run([dengar, "analyze", "--lines", "--json"],
                         input=("\n".join(sample) + "\n").encode(), capture_output=True, check=True)
    import json
    theirs_cache = {}
    total = same = 0
    classes = collections.defaultdict(collections.Counter)
    for line in out.stdout.decode().splitlines():
        for tok in json.loads(line):
            if tok["kind"] != "word" or not tok["norm"]:
                continue
            surface = tok["text"].lower()
            if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", surface) or not re.search(r"[a-z]", surface):
                continue
            theirs = theirs_cache.get(surface)
            if theirs is None:
                theirs = theirs_cache[surface] = uncached.stem(surface)
            ours = tok["stem"]
            total += 1
            if ours == theirs:
                same += 1
                continue
            norm = tok["norm"]
            if norm == surface:
                cls = "same word, different stem (the -kan rule)"
            elif re.sub(r"([a-z])\1+", r"\1", surface) == re.sub(r"([a-z])\1+", r"\1", norm):
                cls = "elongation undone first (`bangettt` → `banget`)"
            elif "2" in surface:
                cls = "reduplication with 2 expanded first (`anak2` → `anak-anak`)"
            else:
                cls = "slang / Banjar / abbreviation normalised first (`gak` → `tidak`)"
            classes[cls][f"`{surface}` → `{norm}` → `{ours}` / PySastrawi `{theirs}`"] += 1
    print(f"\n## Whole analyzer vs PySastrawi on real posts\n")
    print(f"{len(sample)} evaluation texts (every {step}th), {total} word tokens written in [a-z0-9-]: "
          f"same stem for {same} = {100 * same / max(total, 1):.2f}%. Differences by cause:\n")
    for cls, examples in sorted(classes.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(examples.values())
        print(f"- **{cls}**: {n} tokens ({100 * n / max(total, 1):.2f}%), most frequent: " +
              ", ".join(f"{e} ×{c}" for e, c in examples.most_common(15)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval-dir", default=DEFAULT_EVAL)
    ap.add_argument("--words", type=int, default=6000, help="inflected words to compare (>= 5000)")
    ap.add_argument("--repeat", type=int, default=50, help="times the posts are repeated for timing")
    ap.add_argument("--texts", type=int, default=3000, help="real posts for the whole-analyzer comparison")
    args = ap.parse_args()

    uncached, cached, remover, stop_words = load_sastrawi()
    dengar, stem_words, analyze_posts = binaries()
    posts = [l.rstrip("\n") for l in open(POSTS, encoding="utf-8") if l.strip()]
    sizes = sorted(len(p.encode()) for p in posts)

    print("# dengar vs PySastrawi\n")
    print(f"machine: {platform.machine()}, {os.cpu_count()} logical CPUs, {platform.platform()}; "
          f"Python {platform.python_version()}")
    print(f"posts: {len(posts)} from benches/posts.txt, {sizes[0]}–{sizes[-1]} bytes "
          f"(median {sizes[len(sizes) // 2]})\n")
    n, rows = speed(posts, args.repeat, uncached, cached, remover, dengar, analyze_posts)
    print(f"## Speed, same posts, same run ({n} posts)\n")
    print("| pipeline | posts/s |\n|---|---|")
    for name, r in rows:
        print(f"| {name} | {r:,.0f} |")

    agreement(args.eval_dir, args.words, uncached, set(uncached.get_dictionary().words), stem_words)
    pipeline_agreement(args.eval_dir, args.texts, uncached, dengar)

    print("\n## Stop words: complaint words PySastrawi's list removes\n")
    removed = [w for w in COMPLAINT_WORDS if w in stop_words]
    print(f"PySastrawi removes {len(removed)} of {len(COMPLAINT_WORDS)}: " + ", ".join(f"`{w}`" for w in removed))
    print("dengar keeps all of them (src/text/stop.rs KEEP).")


if __name__ == "__main__":
    main()
