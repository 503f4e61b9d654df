"""Convert the UniversalPetrarch Arabic dictionaries (MIT, openeventdata/UniversalPetrarch, branch arabic) into
khabar's compact event resources.

    python training/build_event_dicts.py [--src DIR]

Reads  ../shared/data/events/universalpetrarch_arabic/dictionaries/{CAMEO.ar.0.5.txt, agents.all.ar.txt,
       actor_dict_ar_v4.txt}
Writes khabar/resources/events/
       up_verbs.tsv   code <TAB> verb lemmas (|) <TAB> object words (space separated, all must follow the verb)
       agents.tsv     agent key (folded lemma words) <TAB> CAMEO agent code (GOV, MIL, REB, ...)
       actors.tsv     actor key (folded lemma words) <TAB> CAMEO actor code (latest dated) <TAB> display name

Keys are folded (khabar.text.normalize.fold, search view) with the article ال and a final ه (ة) removed from each
word, the same key that khabar.events.lexicon computes for text.  The hand-written resources (triggers.tsv,
agents_core.tsv, codes.tsv) are not touched.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from khabar.events.lexicon import phrase_key  # noqa: E402

SRC = ROOT.parent / "shared" / "data" / "events" / "universalpetrarch_arabic" / "dictionaries"  # ../shared
OUT = ROOT / "khabar" / "resources" / "events"
HEADER = ("# Derived from the UniversalPetrarch Arabic dictionaries (openeventdata/UniversalPetrarch, branch arabic),\n"
          "# Copyright (c) 2016 Open Event Data Alliance, MIT licence (see PROVENANCE.md). Converted by\n"
          "# training/build_event_dicts.py; keys are folded lemma words without the article.\n")
_CODE = re.compile(r"\[(\d{2,4})\]")


def _words(s: str) -> str:
    s = s.replace("_", " ").replace("+", " ")
    s = re.sub(r"[(){}\[\]*]", " ", s)
    return " ".join(w for w in s.split() if not w.startswith("&") and not w.startswith("#") and w != "هوو")


def convert_verbs(path: Path) -> list[tuple[str, str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    synsets: dict[str, list[str]] = {}
    cur_set = None
    out = []
    verbs: list[str] = []
    in_verbs = False
    for raw in lines:
        line = raw.rstrip()
        if "VERB PATTERNS" in line:
            in_verbs = True
            continue
        if not in_verbs:
            if line.startswith("&"):
                cur_set = line[1:].strip()
                synsets[cur_set] = []
            elif line.startswith("+") and cur_set:
                synsets[cur_set].append(_words(line[1:]))
            continue
        if line.startswith("---"):
            verbs = []
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        body = line.split("#", 1)[0]
        if line.startswith("-"):
            m = _CODE.search(body)
            if not m or not verbs:
                continue
            code = m.group(1)
            pat = body[:m.start()].lstrip("-").strip()
            objs = _words(pat)
            sets = re.findall(r"&([A-Z_]+)", pat)
            alts = [objs] if objs else []
            if not objs and sets:
                alts = [w for w in synsets.get(sets[0], [])[:40] if w]
            for o in alts:
                key = phrase_key(o)
                if key:
                    out.append((code, "|".join(sorted(set(verbs))), key))
        else:
            lemma = _words(body)
            if lemma:
                k = phrase_key(lemma.split()[0])
                if k and len(k) >= 2:
                    verbs.append(k)
    # dedupe
    seen, res = set(), []
    for r in out:
        if r not in seen:
            seen.add(r)
            res.append(r)
    return res


def convert_agents(path: Path) -> dict[str, str]:
    agents: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.search(r"\[~([A-Z]{3,9})\]\s*(?:#[^\u0600-\u06ff]*)?([\u0600-\u06ff][\u0600-\u06ff\s]*)", line)
        if not m or line.startswith("#"):
            continue
        key = phrase_key(m.group(2))
        if key and len(key.split()) <= 4:
            agents.setdefault(key, m.group(1)[:3])
    return agents


def convert_actors(path: Path) -> list[tuple[str, str, str]]:
    out: dict[str, tuple[str, str]] = {}
    name = None
    best: tuple[str, str] | None = None

    def flush():
        if name and best:
            key = phrase_key(name)
            if key and len(key.split()) <= 5:
                out.setdefault(key, (best[1], name))

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t" and "[" in line:
            m = re.search(r"\[([A-Z]{3,12})\s*(\d{8})?", line)
            if m and name:
                start = m.group(2) or "00000000"
                if start.startswith("1800"):
                    start = "00000000"
                if best is None or start >= best[0]:
                    best = (start, m.group(1))
            continue
        flush()
        m = re.match(r"\s*([^\[#]+?)\s*(?:\[([A-Z]{3,12})[^\]]*\])?\s*(?:#.*)?$", line)
        if not m:
            name, best = None, None
            continue
        name = m.group(1).replace("_", " ").strip()
        best = ("00000000", m.group(2)) if m.group(2) else None
    flush()
    return [(k, c, n) for k, (c, n) in out.items()]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=SRC)
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    verbs = convert_verbs(args.src / "CAMEO.ar.0.5.txt")
    with open(OUT / "up_verbs.tsv", "w", encoding="utf-8") as f:
        f.write(HEADER + "# code\tverb lemma keys (|)\tobject words (all must follow the verb, in order)\n")
        for code, vs, obj in verbs:
            f.write(f"{code}\t{vs}\t{obj}\n")
    agents = convert_agents(args.src / "agents.all.ar.txt")
    with open(OUT / "agents.tsv", "w", encoding="utf-8") as f:
        f.write(HEADER + "# agent key\tCAMEO agent code\n")
        for k in sorted(agents):
            f.write(f"{k}\t{agents[k]}\n")
    actors = convert_actors(args.src / "actor_dict_ar_v4.txt")
    with open(OUT / "actors.tsv", "w", encoding="utf-8") as f:
        f.write(HEADER + "# actor key\tCAMEO actor code (latest dated)\tdisplay name (lemma form)\n")
        for k, c, n in sorted(actors):
            f.write(f"{k}\t{c}\t{n}\n")
    print(f"up_verbs.tsv {len(verbs)} patterns, agents.tsv {len(agents)}, actors.tsv {len(actors)} -> {OUT}")


if __name__ == "__main__":
    main()
