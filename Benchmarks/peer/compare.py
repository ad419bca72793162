#!/usr/bin/env python3
"""Compare the peer's counts with infra's findings on the same files.

    python3 Benchmarks/peer/peer.py PATH... --details peer-details.json > peer.json
    infra scan --no-national --format json PATH... > scan.json
    python3 Benchmarks/peer/compare.py peer.json peer-details.json scan.json

Prints one line per count (peer, infra, agree) and, where both sides name the items,
whether they name the same ones. Exit 1 if a count where the definitions agree differs.
Standard library only.
"""

import json
import sys
from collections import Counter


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    peer = json.load(open(sys.argv[1], encoding="utf-8"))
    details = json.load(open(sys.argv[2], encoding="utf-8"))
    scan = json.load(open(sys.argv[3], encoding="utf-8"))
    findings = scan["findings"]
    rules = Counter(f["rule"] for f in findings)
    by_rule = lambda rule: [f for f in findings if f["rule"] == rule]
    ref = lambda f: f"{f['organisation']}/{f['item']}"

    ungrounded = by_rule("ungrounded")
    cycles = by_rule("dependency-cycle")
    groups = by_rule("consolidation-candidate")
    hard = set(details["hard_items"])
    spof_hard = {ref(f) for f in by_rule("single-point-of-failure") if ref(f) in hard}

    rows = [
        # name, peer, infra, same definition
        ("organisations", peer["organisations"], scan["summary"]["organisations"], True),
        ("items", peer["items"], scan["summary"]["items"], True),
        ("items per layer", peer["items_per_layer"], scan["overview"]["items"], True),
        ("dependencies (distinct resolved edges)", peer["dependencies"], scan["overview"]["dependencies"], True),
        ("dangling references", peer["dangling_refs"], rules["unresolved-reference"], True),
        ("cycles (SCC > 1 item, + self-loops)", peer["cycles"],
         rules["dependency-cycle"] + rules["self-dependency"], True),
        ("items in cycles", peer["cycle_items"], sum(len(f.get("related") or []) for f in cycles), True),
        ("ungrounded items (services + soft)", peer["ungrounded_items"], len(ungrounded), True),
        ("ungrounded services", peer["ungrounded_services"],
         sum(1 for f in ungrounded if f["message"].startswith("services item")), True),
        ("hard items above --spof", peer["hard_items_above_spof"], len(spof_hard), True),
        ("single-point-of-failure, all layers (infra only)", "–", rules["single-point-of-failure"], False),
        ("product groups", peer["product_groups"], len(groups), True),
        ("items in product groups", peer["product_group_items"],
         sum(len(f.get("related") or []) for f in groups), True),
    ]
    bad = 0
    width = max(len(r[0]) for r in rows)
    for name, p, i, same in rows:
        mark = ("yes" if p == i else "NO") if same else "–"
        bad += same and p != i
        show = lambda v: v if isinstance(v, str) else json.dumps(v)
        print(f"{name:<{width}}  peer {show(p):>12}  infra {show(i):>12}  {mark}")

    # The same items, not only the same numbers.
    sets = [
        ("ungrounded", set(details["ungrounded"]), {ref(f) for f in ungrounded}),
        ("cycles", {frozenset(c) for c in details["cycles"]}, {frozenset(f["related"]) for f in cycles}),
        ("hard items above --spof", set(details["hard_items_above_spof"]), spof_hard),
        ("product groups", {frozenset(g["items"]) for g in details["product_groups"]},
         {frozenset(f["related"]) for f in groups}),
    ]
    for name, p, i in sets:
        same = p == i
        bad += not same
        print(f"same {name}: {'yes' if same else f'NO (peer only {len(p - i)}, infra only {len(i - p)})'}")
    # Infra's own view of the peer's widest hard item, when infra lists it among its top items.
    widest = peer.get("widest_blast_radius") or {}
    for row in scan["overview"].get("largest_blast_radius", []):
        if row["item"] == widest.get("item"):
            ok = (row["services"], row["critical"]) == (widest["services"], widest["critical"])
            bad += not ok
            print(f"widest blast radius {widest['item']}: peer {widest['services']} services "
                  f"({widest['critical']} critical), infra {row['services']} ({row['critical']}) "
                  f"{'yes' if ok else 'NO'}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
