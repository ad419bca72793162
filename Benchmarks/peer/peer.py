#!/usr/bin/env python3
"""The peer: the country analysis a national analyst would write without infra.

    python3 Benchmarks/peer/peer.py PATH... [--capabilities FILE] [--spof N] [--details FILE]

Reads the same inventory files as `infra scan` (files and directories, walked
recursively for .yaml/.yml) with PyYAML's C loader, merges organisations split over
files, resolves references, builds a networkx DiGraph and answers four questions:

- cycles: strongly connected components of two or more items, and self-loops;
- ungrounded items: running services and soft items with no path, through running
  items only, to a running hard-layer item (infra's `ungrounded`); the services
  among them are reported separately;
- blast radius of every hard-layer item: the items and organisations that depend on
  it directly or transitively, and infra's risk score (running services + 3 × critical
  ones) with the items above --spof (infra's `single-point-of-failure`, hard items only);
- product groups: running items grouped by capability and normalised product, run by
  two or more organisations (infra's `consolidation-candidate`).

Prints a JSON summary on stdout. The national inventories are not built in: pass
inventory/national as a path, as the benchmark does with `infra scan --no-national`.
Every organisation read is analysed alike. Requirements: Benchmarks/peer/requirements.txt.
"""

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict, deque

import networkx as nx
import yaml

try:
    Loader = yaml.CSafeLoader
except AttributeError:
    sys.exit("peer.py: this PyYAML has no C loader (yaml.CSafeLoader): it was built without libyaml. "
             "Install a PyYAML wheel with the C extension (pip install -r Benchmarks/peer/requirements.txt).")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAYERS = ("services", "soft", "hard")
COMPANY_SUFFIXES = {"ab", "aktiebolag", "publ", "inc", "ltd", "llc", "gmbh", "oy", "oyj",
                    "as", "asa", "sverige", "sweden", "nordic"}


def inventory_files(paths):
    """Files named on the command line, and .yaml/.yml files under directories
    (sorted, hidden files and directories skipped), each path once."""
    seen, files = set(), []
    for path in paths:
        if os.path.isdir(path):
            found = []
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                found += [os.path.join(dirpath, f) for f in filenames
                          if not f.startswith(".") and f.endswith((".yaml", ".yml"))]
            found.sort()
        elif os.path.exists(path):
            found = [path]
        else:
            sys.exit(f"peer.py: {path}: no such file or directory")
        for f in found:
            if f not in seen:
                seen.add(f)
                files.append(f)
    return files


def text(value):
    """A scalar as text (ids like 1177 come back from YAML as numbers)."""
    return None if value is None else str(value)


def normalise_product(name):
    """"Lifecare AB", " Life-care " -> "lifecare", as infra compares products."""
    words = ["".join(ch for ch in word if ch.isalnum()) for word in name.lower().split()]
    words = [w for w in words if w]
    while len(words) > 1 and words[-1] in COMPANY_SUFFIXES:
        words.pop()
    return "".join(words)


def load_capability_layers(path):
    with open(path, "rb") as f:
        doc = yaml.load(f, Loader=Loader)
    return {c["id"]: c["layer"] for c in doc["capabilities"]}


def load(files):
    """Organisations by id, merged over files: header (first full one) and items (first of each id)."""
    orgs = {}
    skipped = 0
    for path in files:
        with open(path, "rb") as f:
            doc = yaml.load(f, Loader=Loader)
        if not isinstance(doc, dict) or "inventory" not in doc or text(doc["inventory"]) != "1":
            skipped += 1
            continue
        header = doc.get("organisation")
        if not isinstance(header, dict) or header.get("id") is None:
            skipped += 1
            continue
        oid = text(header["id"])
        org = orgs.setdefault(oid, {"header": None, "items": {}, "files": []})
        org["files"].append(path)
        if org["header"] is None and ("name" in header or "type" in header):
            org["header"] = header
        for layer in LAYERS:
            for item in doc.get(layer) or []:
                if not isinstance(item, dict) or item.get("id") is None:
                    continue
                iid = text(item["id"])
                if iid not in org["items"]:
                    org["items"][iid] = (layer, item)
    return orgs, skipped


def resolve(ref, org):
    """`item` (same organisation) or `org/item`, split at the first slash."""
    if "/" in ref:
        return ref.split("/", 1)
    return org, ref


def build_graph(orgs, cap_layer):
    G = nx.DiGraph()
    layer_mismatch = 0
    for oid, org in orgs.items():
        for iid, (listed, item) in org["items"].items():
            capability = text(item.get("capability"))
            # The layer is the capability's; custom (x-) and unknown ones keep their list.
            layer = cap_layer.get(capability, listed)
            layer_mismatch += layer != listed
            status = text(item.get("status")) or "active"
            G.add_node(f"{oid}/{iid}", org=oid, layer=layer, capability=capability,
                       running=status not in ("planned", "retired"),
                       critical=item.get("critical") is True,
                       product=text(item.get("product")))
    references = dangling_items = dangling_orgs = 0
    for oid, org in orgs.items():
        for iid, (listed, item) in org["items"].items():
            for ref in item.get("depends_on") or []:
                if ref is None:
                    continue
                references += 1
                target_org, target_item = resolve(text(ref), oid)
                target = f"{target_org}/{target_item}"
                if target_org in orgs and target_item in orgs[target_org]["items"]:
                    G.add_edge(f"{oid}/{iid}", target)
                else:
                    dangling_items += 1
        header = org["header"] or {}
        for ref in [header.get("parent")] + list(header.get("members") or []):
            if ref is not None and text(ref) not in orgs:
                dangling_orgs += 1
    return G, dict(references=references, dangling_item_refs=dangling_items,
                   dangling_org_refs=dangling_orgs, layer_mismatch=layer_mismatch)


def cycles(G):
    components = [c for c in nx.strongly_connected_components(G) if len(c) > 1]
    self_loops = [n for n in nx.nodes_with_selfloops(G) if not any(n in c for c in components)]
    return components, self_loops


def ungrounded(G):
    """Running services/soft items that reach no running hard item through running items."""
    running = G.subgraph(n for n, d in G.nodes(data=True) if d["running"])
    grounded = {n for n, d in running.nodes(data=True) if d["layer"] == "hard"}
    queue = deque(grounded)
    while queue:
        for dependent in running.predecessors(queue.popleft()):
            if dependent not in grounded:
                grounded.add(dependent)
                queue.append(dependent)
    return sorted(n for n, d in running.nodes(data=True) if d["layer"] != "hard" and n not in grounded)


def blast_radius(G, spof):
    """For every hard item: what depends on it, directly or transitively."""
    out = {}
    for node, data in G.nodes(data=True):
        if data["layer"] != "hard":
            continue
        above = nx.ancestors(G, node)
        services = [a for a in above if G.nodes[a]["layer"] == "services" and G.nodes[a]["running"]]
        critical = sum(1 for a in services if G.nodes[a]["critical"])
        out[node] = dict(items=len(above), organisations=len({G.nodes[a]["org"] for a in above}),
                         services=len(services), critical=critical,
                         score=len(services) + 3 * critical)
    return out


def product_groups(G):
    groups = defaultdict(set)
    for node, data in G.nodes(data=True):
        if data["running"] and data["product"] is not None and data["capability"] is not None:
            groups[(data["capability"], normalise_product(data["product"]))].add(node)
    return {key: nodes for key, nodes in groups.items()
            if len({G.nodes[n]["org"] for n in nodes}) >= 2}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", help="inventory files and directories")
    ap.add_argument("--capabilities", default=os.path.join(ROOT, "inventory", "capabilities.yaml"))
    ap.add_argument("--spof", type=int, default=25, help="risk score above which a hard item counts (default 25)")
    ap.add_argument("--details", metavar="FILE", help="also write the lists behind the counts as JSON")
    args = ap.parse_args()

    clock = time.perf_counter()
    seconds = {}

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 3)
        clock = now

    cap_layer = load_capability_layers(args.capabilities)
    files = inventory_files(args.paths)
    orgs, skipped = load(files)
    lap("load")
    G, refs = build_graph(orgs, cap_layer)
    lap("resolve")
    rings, self_loops = cycles(G)
    lap("cycles")
    loose = ungrounded(G)
    lap("ungrounded")
    blast = blast_radius(G, args.spof)
    lap("blast_radius")
    products = product_groups(G)
    lap("product_groups")

    layers = Counter(d["layer"] for _, d in G.nodes(data=True))
    loose_services = [n for n in loose if G.nodes[n]["layer"] == "services"]
    spofs = sorted(n for n, b in blast.items() if b["score"] > args.spof)
    widest = max(blast.items(), key=lambda kv: (kv[1]["items"], kv[0]), default=(None, None))
    summary = {
        "files": len(files),
        "skipped_files": skipped,
        "organisations": len(orgs),
        "items": G.number_of_nodes(),
        "items_per_layer": {layer: layers[layer] for layer in LAYERS},
        "references": refs["references"],
        "dependencies": G.number_of_edges(),
        "dangling_refs": refs["dangling_item_refs"] + refs["dangling_org_refs"],
        "dangling_item_refs": refs["dangling_item_refs"],
        "dangling_org_refs": refs["dangling_org_refs"],
        "layer_differs_from_list": refs["layer_mismatch"],
        "cycles": len(rings) + len(self_loops),
        "cycle_components": len(rings),
        "cycle_items": sum(len(c) for c in rings),
        "self_loops": len(self_loops),
        "ungrounded_services": len(loose_services),
        "ungrounded_items": len(loose),
        "hard_items": len(blast),
        "hard_items_with_blast_radius": sum(1 for b in blast.values() if b["items"] > 0),
        "hard_items_above_spof": len(spofs),
        "widest_blast_radius": widest[0] and {"item": widest[0], **widest[1]},
        "product_groups": len(products),
        "product_group_items": sum(len(n) for n in products.values()),
        "seconds": seconds,
    }
    json.dump(summary, sys.stdout, indent=2, ensure_ascii=False)
    print()
    if args.details:
        with open(args.details, "w", encoding="utf-8") as f:
            json.dump({
                "cycles": [sorted(c) for c in rings] + [[n] for n in self_loops],
                "ungrounded": loose,
                "hard_items_above_spof": {n: blast[n] for n in spofs},
                "hard_items": sorted(blast),
                "product_groups": [{"capability": cap, "product": prod, "items": sorted(nodes)}
                                   for (cap, prod), nodes in sorted(products.items())],
            }, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
