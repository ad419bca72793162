#!/usr/bin/env python3
"""Independent check of a generated country against its PLANTED.json.

    python3 Benchmarks/verify_country.py OUTDIR                    # recompute from the YAML
    python3 Benchmarks/verify_country.py OUTDIR --findings F.json  # compare infra's findings

Without --findings:
Reads every inventory under OUTDIR plus inventory/national/ with PyYAML (C loader),
recomputes each kind of problem the generator plants, the way docs/design describe
them, and compares with PLANTED.json. Also checks that nothing unplanned is there:
upward or self dependencies, capabilities in the wrong layer, unknown terms,
active items depending on planned/retired ones. Exit 1 on any difference.

It does not use infra: it tests the generator, so that differences between infra's
findings and PLANTED.json point at infra. (About 1 minute for scale 1.)

With --findings F.json (the output of `infra scan --format json` or `infra validate
--format json` on OUTDIR, with the national inventories loaded): compares infra's
findings rule by rule with PLANTED.json, and lists the findings of rules nothing was
planted for. Exit 1 on any difference in a planted rule.
"""

import glob
import json
import os
import re
import sys
from collections import Counter, defaultdict

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("verify_country.py needs PyYAML (python3 -m pip install pyyaml)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INV = os.path.join(ROOT, "inventory")
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LAYERS = ("services", "soft", "hard")
RANK = {"services": 0, "soft": 1, "hard": 2}


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


def norm(s):
    s = re.sub(r"\s+", " ", (s or "").strip().lower())
    return re.sub(r" ab$", "", s)


def compare_findings(out, path):
    planted = json.load(open(os.path.join(out, "PLANTED.json"), encoding="utf-8"))["planted"]
    d = json.load(open(path, encoding="utf-8"))
    fs = d["findings"]
    by_rule = defaultdict(list)
    for f in fs:
        by_rule[f["rule"]].append(f)
    tick = lambda m: re.findall(r"`([^`]*)`", m)

    def rel(f):
        return frozenset(f.get("related") or [])

    checks = {
        "unresolved-reference": (
            {(x["org"], x["item"], x["ref"]) for x in planted["dangling_references"]},
            lambda f: (f["organisation"], f["item"], tick(f["message"])[0])),
        "dependency-cycle": (
            {frozenset(f"{x['org']}/{i}" for i in x["items"]) for x in planted["dependency_cycles"]}, rel),
        "ungrounded": (
            {(x["org"], x["item"]) for x in planted["ungrounded_items"]},
            lambda f: (f["organisation"], f["item"])),
        "gauge-break": (
            {frozenset((x["from"], x["to"])) for x in planted["gauge_breaks"]}, rel),
        "duplicate-unique-capability": (
            {(x["org"], x["capability"]) for x in planted["duplicate_unique_capability"]},
            lambda f: (f["organisation"], tick(f["message"])[0])),
        "baseline-missing": (
            {(x["org"], x["capability"]) for x in planted["baseline_gaps"]},
            lambda f: (f["organisation"], tick(f["message"])[0])),
        "consolidation-candidate": (
            {frozenset(f"{x['org']}/{x['item']}" for x in planted["shared_products"] if x["group"] == g)
             for g in {x["group"] for x in planted["shared_products"]}}, rel),
    }
    bad = 0
    print(f"{'rule':32s} {'planted':>8s} {'found':>8s}  result")
    for rule, (want, key) in checks.items():
        got = [key(f) for f in by_rule.get(rule, [])]
        gotset = set(got)
        ok = gotset == want and len(got) == len(gotset)
        bad += not ok
        print(f"{rule:32s} {len(want):8d} {len(got):8d}  {'ok' if ok else 'DIFFERENT'}")
        if not ok:
            for x in sorted(map(str, gotset - want))[:5]:
                print(f"    found, not planted: {x}")
            for x in sorted(map(str, want - gotset))[:5]:
                print(f"    planted, not found: {x}")
            if len(got) != len(gotset):
                print(f"    {len(got) - len(gotset)} reported more than once")
    others = Counter((f["rule"], f["severity"]) for f in fs if f["rule"] not in checks)
    for (rule, sev), n in sorted(others.items()):
        print(f"{rule:32s} {'-':>8s} {n:8d}  not planted ({sev})")
    if bad:
        print(f"{bad} planted rule(s) differ")
        sys.exit(1)
    print("every planted problem was found exactly once, and nothing else in those rules")


def main():
    if "--findings" in sys.argv:
        i = sys.argv.index("--findings")
        args = sys.argv[1:i] + sys.argv[i + 2:]
        return compare_findings(args[0], sys.argv[i + 1])
    out = sys.argv[1]
    caps = {c["id"]: c for c in load(os.path.join(INV, "capabilities.yaml"))["capabilities"]}
    stds = {s["id"]: s["family"] for s in load(os.path.join(INV, "standards.yaml"))["standards"]}
    baseline = load(os.path.join(INV, "baseline.yaml"))["baseline"]
    planted = json.load(open(os.path.join(out, "PLANTED.json"), encoding="utf-8"))

    orgs = {}      # id -> (type, national)
    items = []     # (org, id, layer, cap, status, standards, deps, product, vendor)
    files = sorted(glob.glob(os.path.join(INV, "national", "*.yaml"))) + \
        sorted(glob.glob(os.path.join(out, "**", "*.yaml"), recursive=True))
    for path in files:
        d = load(path)
        o = d["organisation"]
        nat = path.startswith(os.path.join(INV, "national"))
        orgs[o["id"]] = (o.get("type"), nat)
        for layer in LAYERS:
            for it in d.get(layer) or []:
                items.append((o["id"], str(it["id"]), layer, it["capability"], it.get("status", "active"),
                              it.get("standards") or [], [str(x) for x in it.get("depends_on") or []],
                              it.get("product"), it.get("vendor")))
    index = {(it[0], it[1]): n for n, it in enumerate(items)}
    problems = []

    def bad(msg):
        problems.append(msg)

    # references
    edges = [[] for _ in items]
    dangling = set()
    for n, it in enumerate(items):
        for ref in it[6]:
            key = tuple(ref.split("/", 1)) if "/" in ref else (it[0], ref)
            t = index.get(key)
            if t is None:
                dangling.add((it[0], it[1], ref))
            else:
                edges[n].append(t)
    want = {(x["org"], x["item"], x["ref"]) for x in planted["planted"]["dangling_references"]}
    if dangling != want:
        bad(f"dangling references: {len(dangling)} found, {len(want)} planted; "
            f"extra {sorted(dangling - want)[:5]}, missing {sorted(want - dangling)[:5]}")

    # vocabulary, layers, self/upward, planned/retired targets
    for n, it in enumerate(items):
        org, iid, layer, cap, status = it[:5]
        c = caps.get(cap)
        if c is None:
            bad(f"{org}/{iid}: unknown capability {cap}")
        elif c["layer"] != layer:
            bad(f"{org}/{iid}: capability {cap} in layer {layer}")
        for s in it[5]:
            if s not in stds:
                bad(f"{org}/{iid}: unknown standard {s}")
        for t in edges[n]:
            if t == n:
                bad(f"{org}/{iid}: depends on itself")
            if RANK[items[t][2]] < RANK[layer]:
                bad(f"{org}/{iid}: upward dependency on {items[t][0]}/{items[t][1]}")
            if status == "active" and items[t][4] != "active":
                bad(f"{org}/{iid}: active item depends on {items[t][4]} {items[t][0]}/{items[t][1]}")

    # cycles: strongly connected components with more than one item (iterative Tarjan)
    idx, low, on, stack, sccs, counter = {}, {}, set(), [], [], [0]
    for root in range(len(items)):
        if root in idx:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                idx[v] = low[v] = counter[0]
                counter[0] += 1
                stack.append(v)
                on.add(v)
            recurse = False
            for j in range(i, len(edges[v])):
                w = edges[v][j]
                if w not in idx:
                    work.append((v, j + 1))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on:
                    low[v] = min(low[v], idx[w])
            if recurse:
                continue
            if low[v] == idx[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    sccs.append(comp)
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
    found = {(items[c[0]][0], frozenset(items[x][1] for x in c)) for c in sccs}
    want = {(x["org"], frozenset(x["items"])) for x in planted["planted"]["dependency_cycles"]}
    if found != want:
        bad(f"cycles: {len(found)} found, {len(want)} planted; extra {list(found - want)[:3]}")

    # ungrounded: service/soft items with no path to an active hard item
    rev = [[] for _ in items]
    for n, es in enumerate(edges):
        for t in es:
            rev[t].append(n)
    grounded = [False] * len(items)
    todo = [n for n, it in enumerate(items) if it[2] == "hard" and it[4] == "active"]
    for n in todo:
        grounded[n] = True
    while todo:
        t = todo.pop()
        for s in rev[t]:
            if not grounded[s] and items[s][4] == "active":
                grounded[s] = True
                todo.append(s)
    found = {(it[0], it[1]) for n, it in enumerate(items)
             if it[2] != "hard" and it[4] == "active" and not grounded[n]}
    want = {(x["org"], x["item"]) for x in planted["planted"]["ungrounded_items"]}
    if found != want:
        bad(f"ungrounded: {len(found)} found, {len(want)} planted; extra {sorted(found - want)[:5]}")

    # gauge breaks
    found = set()
    for n, it in enumerate(items):
        fa = defaultdict(set)
        for s in it[5]:
            fa[stds.get(s)].add(s)
        if not fa:
            continue
        for t in edges[n]:
            fb = defaultdict(set)
            for s in items[t][5]:
                fb[stds.get(s)].add(s)
            for fam in fa.keys() & fb.keys():
                if not fa[fam] & fb[fam]:
                    found.add((f"{it[0]}/{it[1]}", f"{items[t][0]}/{items[t][1]}"))
    want = {(x["from"], x["to"]) for x in planted["planted"]["gauge_breaks"]}
    if found != want:
        bad(f"gauge breaks: {len(found)} found, {len(want)} planted; extra {sorted(found - want)[:5]}")

    # duplicate unique capabilities (own active items)
    per = Counter((it[0], it[3]) for it in items if it[4] == "active" and caps.get(it[3], {}).get("unique")
                  and not orgs[it[0]][1])
    found = {k for k, v in per.items() if v > 1}
    want = {(x["org"], x["capability"]) for x in planted["planted"]["duplicate_unique_capability"]}
    if found != want:
        bad(f"duplicate unique: {len(found)} found, {len(want)} planted; extra {sorted(found - want)[:5]}")

    # baseline gaps
    has = defaultdict(set)
    for n, it in enumerate(items):
        if it[4] != "active":
            continue
        has[it[0]].add(it[3])
        for t in edges[n]:
            if items[t][0] != it[0] and items[t][4] == "active":
                has[it[0]].add(items[t][3])
    found = set()
    for oid, (otype, nat) in orgs.items():
        if nat:
            continue
        for cap in baseline.get(otype, []):
            if cap not in has[oid]:
                found.add((oid, cap))
    want = {(x["org"], x["capability"]) for x in planted["planted"]["baseline_gaps"]}
    if found != want:
        bad(f"baseline gaps: {len(found)} found, {len(want)} planted; extra {sorted(found - want)[:5]}")

    # the same product run by several organisations
    groups = defaultdict(set)
    for it in items:
        if it[7] and not orgs[it[0]][1] and it[4] == "active":
            groups[(norm(it[7]), norm(it[8]), it[3])].add(it[0])
    found = {k: len(v) for k, v in groups.items() if len(v) > 1}
    want = Counter()
    for x in planted["planted"]["shared_products"]:
        want[(norm(x["product"]), norm(x["vendor"]), x["capability"])] += 1
    if found != dict(want):
        bad(f"shared products: found {found}, planted {dict(want)}")

    s = planted["summary"]
    user_items = sum(1 for it in items if not orgs[it[0]][1])
    print(f"verified {len(files)} files, {user_items:,} items, {sum(len(it[6]) for it in items):,} references: "
          f"{len(dangling)} dangling, {len(sccs)} cycles, gauge {s['gauge_breaks']}, "
          f"ungrounded {s['ungrounded_items']}, duplicates {s['duplicate_unique_capability']}, "
          f"gaps {s['baseline_gaps']}, product groups {s['shared_product_groups']}")
    for p in problems[:50]:
        print("MISMATCH:", p)
    if problems:
        print(f"{len(problems)} problem(s)")
        sys.exit(1)
    print("everything matches PLANTED.json")


if __name__ == "__main__":
    main()
