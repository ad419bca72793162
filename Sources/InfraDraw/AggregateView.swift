import InfraGraph
import InfraModel

/// How `--aggregate` folds items into one node each.
public enum Aggregation: String, Sendable, CaseIterable {
    case capability, org, county
}

/// The whole country as one readable picture: items folded into capabilities,
/// organisations or counties; edges weighted by the dependencies they stand for.
public enum AggregateView {
    /// One node per capability (in its layer's band), sized by how many organisations have it
    /// (a running item providing it); edges weighted by the dependencies between capabilities.
    public static func capability(_ items: [Int], catalog: Catalog, vocabulary: Vocabulary, title: String) -> DrawGraph {
        var graph = DrawGraph(kind: .capability, title: title)
        // Key: capability index, or -1 - layer rank for items without one.
        var nodeOf: [Int32: Int] = [:]
        var organisations: [Set<Int32>] = []
        var itemCounts: [Int] = []
        var layerVotes: [[Int]] = []
        var keyOfItem = [Int32](repeating: Int32.min, count: catalog.items.count)
        for i in items {
            let entry = catalog.items[i]
            let c = catalog.capabilityIndex[i]
            let key = c >= 0 ? c : -1 - Int32(entry.item.layer.rank)
            keyOfItem[i] = key
            let k: Int
            if let existing = nodeOf[key] {
                k = existing
            } else {
                k = graph.nodes.count
                nodeOf[key] = k
                let id = c >= 0 ? catalog.capabilityIDs[Int(c)] : nil
                let term = id.flatMap { vocabulary.capabilities[$0] }
                var node = DrawGraph.Node(id: id.map { "capability:" + $0 } ?? "capability:(none-\(entry.item.layer.rawValue))",
                                          name: term?.swedishName ?? id ?? "(no capability)",
                                          layer: term?.layer ?? entry.item.layer, tooltip: "")
                node.capability = id
                graph.nodes.append(node)
                organisations.append([])
                itemCounts.append(0)
                layerVotes.append([0, 0, 0])
            }
            itemCounts[k] += 1
            layerVotes[k][entry.item.layer.rank] += 1
            if entry.item.status.isRunning { organisations[k].insert(entry.organisation) }
        }
        for k in graph.nodes.indices {
            let orgs = organisations[k].count
            if graph.nodes[k].capability.flatMap({ vocabulary.capabilities[$0] }) == nil,
               let rank = layerVotes[k].indices.max(by: { layerVotes[k][$0] < layerVotes[k][$1] }) {
                graph.nodes[k].layer = Layer.allCases[rank]
            }
            graph.nodes[k].weight = orgs
            graph.nodes[k].national = organisations[k].allSatisfy { catalog.organisations[Int($0)].isNational } && !organisations[k].isEmpty
            graph.nodes[k].outside = graph.nodes[k].national
            graph.nodes[k].detail = "\(grouped(orgs)) organisation\(orgs == 1 ? "" : "s")"
            let english = graph.nodes[k].capability.flatMap { vocabulary.capabilities[$0]?.englishName }
            graph.nodes[k].tooltip = [graph.nodes[k].capability ?? "items without a capability", english,
                                      "\(orgs) organisation\(orgs == 1 ? "" : "s") with a running item",
                                      "\(itemCounts[k]) item\(itemCounts[k] == 1 ? "" : "s")"]
                .compactMap { $0 }.joined(separator: " · ")
        }
        let capabilityNode = { (i: Int) -> Int? in keyOfItem[i] == Int32.min ? nil : nodeOf[keyOfItem[i]]! }
        let selected = selection(items, catalog)
        graph.edges = weightedEdges(items, catalog, nodeCount: graph.nodes.count, selected: selected, node: capabilityNode)
        countReliance(&graph, items, catalog, selected: selected, capabilityNode)
        for k in graph.edges.indices {
            if let a = graph.nodes[graph.edges[k].source].layer, let b = graph.nodes[graph.edges[k].target].layer {
                graph.edges[k].upward = b < a
            }
        }
        return graph
    }

    /// One node per organisation, sized by its items; edges weighted by cross-organisation dependencies.
    public static func organisation(_ items: [Int], catalog: Catalog, title: String) -> DrawGraph {
        var graph = DrawGraph(kind: .organisation, title: title)
        var nodeOf = [Int](repeating: -1, count: catalog.organisations.count)
        var itemCounts: [Int] = []
        for i in items {
            let o = Int(catalog.items[i].organisation)
            if nodeOf[o] < 0 {
                nodeOf[o] = graph.nodes.count
                let org = catalog.organisations[o]
                var node = DrawGraph.Node(id: "org:" + org.id, name: org.name, layer: nil, tooltip: "")
                node.organisation = org.id
                node.organisationType = org.type?.rawValue
                node.national = org.isNational
                node.outside = org.isNational
                graph.nodes.append(node)
                itemCounts.append(0)
            }
            itemCounts[nodeOf[o]] += 1
        }
        for k in graph.nodes.indices {
            let org = catalog.organisations[catalog.organisation(graph.nodes[k].organisation!)!]
            graph.nodes[k].weight = itemCounts[k]
            graph.nodes[k].detail = "\(grouped(itemCounts[k])) item\(itemCounts[k] == 1 ? "" : "s")"
            graph.nodes[k].tooltip = "\(org.name) (\(org.id)) · \(org.type?.rawValue ?? (org.isNational ? "national" : "organisation"))"
                + " · \(itemCounts[k]) item\(itemCounts[k] == 1 ? "" : "s")"
        }
        let organisationNode = { (i: Int) -> Int? in
            let o = Int(catalog.items[i].organisation)
            return nodeOf[o] >= 0 ? nodeOf[o] : nil
        }
        let selected = selection(items, catalog)
        graph.edges = weightedEdges(items, catalog, nodeCount: graph.nodes.count, selected: selected, node: organisationNode)
            .map(\.acrossOrganisations)
        countReliance(&graph, items, catalog, selected: selected, organisationNode)
        return graph
    }

    /// For each national node, how many other organisations have an item depending on one of
    /// its items: the country leans on BankID through 651 edges of weight 1, each too light to
    /// be kept among the heaviest, so the edges alone do not show it. Said under its name too.
    private static func countReliance(_ graph: inout DrawGraph, _ items: [Int], _ catalog: Catalog, selected: [Bool],
                                      _ node: (Int) -> Int?) {
        var reliant: [Int: Set<Int32>] = [:]
        for i in items {
            let from = catalog.items[i].organisation
            for t in catalog.dependencies.neighbours(i) where selected[Int(t)] {
                guard let d = node(Int(t)), graph.nodes[d].national, catalog.items[Int(t)].organisation != from else { continue }
                reliant[d, default: []].insert(from)
            }
        }
        for (k, organisations) in reliant {
            graph.nodes[k].reliedOnBy = organisations.count
            let count = organisations.count
            graph.nodes[k].detail = (graph.nodes[k].detail.map { $0 + " · " } ?? "")
                + "relied on by \(grouped(count)) organisation\(count == 1 ? "" : "s")"
            graph.nodes[k].tooltip += " · relied on by \(count) organisation\(count == 1 ? "" : "s")"
        }
    }

    /// One node per county with its coverage (kommuner inventoried of all kommuner, and
    /// whether the region is), plus one node for state agencies and one for national
    /// components; edges weighted by the dependencies between them.
    public static func county(_ items: [Int], catalog: Catalog, sweden: Sweden, title: String) -> DrawGraph {
        var graph = DrawGraph(kind: .county, title: title)
        var countyNames: [String: String] = [:]
        var kommunTotal: [String: Int] = [:]
        for m in sweden.municipalities {
            countyNames[m.countyCode] = m.countyName
            kommunTotal[m.countyCode, default: 0] += 1
        }
        for r in sweden.regions where countyNames[r.countyCode] == nil { countyNames[r.countyCode] = r.countyName }

        /// County code of an organisation, "~agencies" or "~national".
        func area(_ o: Int) -> String {
            let org = catalog.organisations[o]
            if org.isNational { return "~national" }
            let code = org.header.code?.value
            switch org.type {
            case .kommun:
                if let code, let m = sweden.municipalityByCode[code] { return m.countyCode }
            case .region:
                if let code, countyNames[code] != nil { return code }
            default: break
            }
            if let county = org.header.county?.value, countyNames[county] != nil { return county }
            return "~agencies"
        }
        let areaOfOrg = catalog.organisations.indices.map(area)

        var isPresent = [Bool](repeating: false, count: catalog.organisations.count)
        for i in items { isPresent[Int(catalog.items[i].organisation)] = true }
        let present = catalog.organisations.indices.filter { isPresent[$0] }
        var kommuner: [String: Set<String>] = [:]
        var region: [String: Bool] = [:]
        var orgCount: [String: Int] = [:]
        var itemCount: [String: Int] = [:]
        for o in present {
            let a = areaOfOrg[o]
            orgCount[a, default: 0] += 1
            let org = catalog.organisations[o]
            if org.type == .kommun, let code = org.header.code?.value, sweden.municipalityByCode[code] != nil {
                kommuner[a, default: []].insert(code)
                // Gotland's kommun is its region (as coverage and `scan --country` count it).
                if code == Sweden.gotlandKommun { region[a] = true }
            }
            if org.type == .region { region[a] = true }
        }
        for i in items { itemCount[areaOfOrg[Int(catalog.items[i].organisation)], default: 0] += 1 }

        var nodeOf: [String: Int] = [:]
        for code in countyNames.keys.sorted() {
            let covered = kommuner[code]?.count ?? 0
            let total = kommunTotal[code] ?? 0
            var node = DrawGraph.Node(id: "county:" + code, name: countyNames[code]!, layer: nil, tooltip: "")
            node.weight = covered
            node.share = total > 0 ? Double(covered) / Double(total) : 0
            let percent = total > 0 ? Int((Double(covered) * 100 / Double(total)).rounded()) : 0
            node.detail = "\(covered)/\(total) kommuner (\(percent) %) · region " + (region[code] == true ? "✓" : "–")
            node.tooltip = "län \(code) · \(orgCount[code] ?? 0) organisations inventoried · \(itemCount[code] ?? 0) items"
            nodeOf[code] = graph.nodes.count
            graph.nodes.append(node)
        }
        for (key, name) in [("~agencies", "State agencies and other organisations"), ("~national", "National components")]
        where orgCount[key] != nil {
            var node = DrawGraph.Node(id: "county:" + key.dropFirst(), name: name, layer: nil, tooltip: "")
            node.outside = true
            node.national = key == "~national"
            node.weight = orgCount[key]!
            node.detail = "\(grouped(orgCount[key]!)) organisation\(orgCount[key]! == 1 ? "" : "s") · \(grouped(itemCount[key] ?? 0)) items"
            node.tooltip = node.detail!
            nodeOf[key] = graph.nodes.count
            graph.nodes.append(node)
        }

        graph.edges = weightedEdges(items, catalog, nodeCount: graph.nodes.count, selected: selection(items, catalog)) { i in
            let o = Int(catalog.items[i].organisation)
            return isPresent[o] ? nodeOf[areaOfOrg[o]]! : nil
        }.map(\.acrossOrganisations)
        return graph
    }

    /// Whether each item of the catalogue is one of `items`.
    private static func selection(_ items: [Int], _ catalog: Catalog) -> [Bool] {
        var selected = [Bool](repeating: false, count: catalog.items.count)
        for i in items { selected[i] = true }
        return selected
    }

    /// One edge per pair of different nodes that the dependencies of `items` link, weighted
    /// by how many go that way, in node order. `node`: the node an item is drawn in, nil for
    /// one not in the picture (its dependencies are left out).
    /// `selected`: `selection(items, catalog)`. Only dependencies between items of the
    /// selection (`--capability`, `--layer` …) count: a target outside it would count wherever
    /// its organisation or county has a node.
    private static func weightedEdges(_ items: [Int], _ catalog: Catalog, nodeCount count: Int, selected: [Bool],
                                      node: (Int) -> Int?) -> [DrawGraph.Edge] {
        var weights: [Int: Int] = [:]   // source * count + target
        for i in items {
            guard let s = node(i) else { continue }
            for t in catalog.dependencies.neighbours(i) where selected[Int(t)] {
                if let d = node(Int(t)), d != s { weights[s * count + d, default: 0] += 1 }
            }
        }
        return weights.keys.sorted().map { key in
            var edge = DrawGraph.Edge(source: key / count, target: key % count)
            edge.weight = weights[key]!
            return edge
        }
    }
}

private extension DrawGraph.Edge {
    var acrossOrganisations: Self {
        var edge = self
        edge.crossOrganisation = true
        return edge
    }
}
