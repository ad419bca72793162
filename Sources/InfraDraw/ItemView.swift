import InfraGraph
import InfraModel

/// Which part of the graph to draw (`--org`, `--focus`/`--depth`, `--layer`, `--capability`).
public struct Selection: Sendable {
    /// One organisation and everything it touches one step out.
    public var organisation: String?
    /// An item (`org/item`) and its neighbourhood up and down to `depth`.
    public var focus: String?
    public var depth = 2
    public var layer: Layer?
    public var capability: String?

    public init(organisation: String? = nil, focus: String? = nil, depth: Int = 2, layer: Layer? = nil,
                capability: String? = nil) {
        self.organisation = organisation
        self.focus = focus
        self.depth = depth
        self.layer = layer
        self.capability = capability
    }

    /// Nothing narrows the picture: everything scanned is drawn.
    public var isWholeScan: Bool { organisation == nil && focus == nil && layer == nil && capability == nil }
}

/// A selection that names something the scan does not have.
public struct SelectionError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The items a selection picks: the focus and its context (drawn grey).
public struct SelectedItems: Sendable {
    /// Catalog indices, ascending (so grouped by organisation).
    public var items: [Int]
    /// Per entry of `items`: in the focus (not context).
    public var inFocus: [Bool]
    /// The `--focus` item.
    public var focal: Int?
    public var title: String
    /// National components were asked for (`--org` of a national organisation, a capability
    /// only they have): drawn in their layer's colour, not grey like national context.
    public var nationalInFocus = false

    public var count: Int { items.count }
}

extension Selection {
    /// Resolves the selection against the catalogue. `includeRestricted`: a focal item's
    /// name in the title even when it is restricted (withheld otherwise).
    public func pick(from catalog: Catalog, includeRestricted: Bool = false) throws(SelectionError) -> SelectedItems {
        let n = catalog.items.count
        var focusSet = [Bool](repeating: false, count: n)
        var addContext = true
        var focal: Int?
        var title = "All inventories"
        var nationalLeftOut = false, nationalInFocus = false

        if let ref = focus {
            guard let target = catalog.resolve(ref) else { throw SelectionError(catalog.unknownItemMessage(ref)) }
            focal = target
            focusSet[target] = true
            // Upstream (what it depends on) and downstream (what depends on it), separately:
            // an undirected walk would pull in every sibling of a shared component.
            for adjacency in [catalog.dependencies, catalog.dependents] {
                var frontier = [target]
                var seen = Set([target])
                for _ in 0..<max(0, depth) {
                    var next: [Int] = []
                    for v in frontier {
                        for w in adjacency.neighbours(v) where seen.insert(Int(w)).inserted {
                            next.append(Int(w))
                            focusSet[Int(w)] = true
                        }
                    }
                    frontier = next
                }
            }
            addContext = false
            let name = catalog.shownName(target, includeRestricted: includeRestricted)
            title = "\(name) (\(catalog.ref(target))) · \(depth) step\(depth == 1 ? "" : "s") up and down"
        } else if let org = organisation {
            guard let o = catalog.organisation(org) else {
                let near = Suggest.nearest(to: org, in: catalog.organisations.map(\.id))
                throw SelectionError("\(org): no such organisation in the scan" + (near.map { " — did you mean `\($0)`?" } ?? ""))
            }
            for i in catalog.organisations[o].items { focusSet[i] = true }
            title = catalog.organisations[o].name
            nationalInFocus = catalog.organisations[o].isNational
        } else {
            let users = catalog.organisations.filter { !$0.isNational }
            for org in (users.isEmpty ? catalog.organisations : users) {
                for i in org.items { focusSet[i] = true }
            }
            nationalLeftOut = !users.isEmpty
            // One kommun's inventory: its picture says whose it is.
            if users.count == 1 { title = users[0].name }
        }

        if let capability {
            guard catalog.capabilityIDs.contains(capability) else {
                let near = Suggest.nearest(to: capability, in: catalog.capabilityIDs)
                throw SelectionError("\(capability): no item in the scan has this capability"
                    + (near.map { " — did you mean `\($0)`?" } ?? ""))
            }
            for i in 0..<n where focusSet[i] && catalog.items[i].item.capability?.value != capability {
                focusSet[i] = false
            }
            // A capability only national components have (eid-citizen: BankID, Freja eID+):
            // those components, with everything in the scan that depends on them around them.
            if nationalLeftOut, !focusSet.contains(true) {
                nationalInFocus = true
                for org in catalog.organisations where org.isNational {
                    for i in org.items where catalog.items[i].item.capability?.value == capability { focusSet[i] = true }
                }
            }
            if let focal { focusSet[focal] = true }
            title += " · capability \(capability)"
        }
        if let layer {
            for i in 0..<n where focusSet[i] && catalog.items[i].item.layer != layer { focusSet[i] = false }
            title += " · \(layer.title)"
        }

        var drawn = focusSet
        if addContext {
            for i in 0..<n where focusSet[i] {
                for w in catalog.dependencies.neighbours(i) { drawn[Int(w)] = true }
                for w in catalog.dependents.neighbours(i) { drawn[Int(w)] = true }
            }
            if let layer {
                for i in 0..<n where drawn[i] && catalog.items[i].item.layer != layer { drawn[i] = false }
            }
        }
        let items = (0..<n).filter { drawn[$0] }
        return SelectedItems(items: items, inFocus: items.map { focusSet[$0] }, focal: focal, title: title,
                             nationalInFocus: nationalInFocus)
    }
}

/// One node per item, organisations as groups.
public enum ItemView {
    /// `includeRestricted`: label restricted items with their names (withheld otherwise).
    public static func build(_ selected: SelectedItems, catalog: Catalog, facts: GraphFacts?,
                             spofThreshold: Int = 25, includeRestricted: Bool = false) -> DrawGraph {
        var graph = DrawGraph(kind: .items, title: selected.title)
        graph.spofThreshold = spofThreshold
        var nodeOf = [Int32](repeating: -1, count: catalog.items.count)
        var groupOf: [Int32: Int] = [:]
        var nontrivial = Set<Int32>()
        if let facts {
            for (c, members) in facts.components.members.enumerated() where members.count > 1 { nontrivial.insert(Int32(c)) }
        }
        func cycleComponent(_ i: Int) -> Int32? {
            guard let facts else { return nil }
            let c = facts.components.componentOf[i]
            if nontrivial.contains(c) { return c }
            return catalog.dependencies.neighbours(i).contains(Int32(i)) ? c : nil
        }

        for (k, i) in selected.items.enumerated() {
            let entry = catalog.items[i]
            let item = entry.item
            let org = catalog.organisations[Int(entry.organisation)]
            let outside = !selected.inFocus[k] || org.isNational && !selected.nationalInFocus && selected.focal != i
            let g: Int
            if let existing = groupOf[entry.organisation] {
                g = existing
                if !outside { graph.groups[g].outside = false }
            } else {
                g = graph.groups.count
                groupOf[entry.organisation] = g
                graph.groups.append(DrawGraph.Group(id: org.id, name: org.name, outside: outside, national: org.isNational))
            }
            let ref = catalog.ref(i)
            var node = DrawGraph.Node(id: ref, name: catalog.shownName(i, includeRestricted: includeRestricted), layer: item.layer, tooltip: "")
            node.group = g
            node.organisation = org.id
            node.capability = item.capability?.value
            node.status = item.status
            node.critical = item.critical
            node.outside = outside
            node.national = org.isNational
            node.focal = selected.focal == i
            if let facts {
                node.ungrounded = !facts.grounded[i] && item.status.isRunning
                node.inCycle = cycleComponent(i) != nil
                node.blast = Int(facts.blast.services[i])
                node.blastCritical = Int(facts.blast.critical[i])
            }
            node.tooltip = tooltip(ref: ref, node: node, org: org.name)
            nodeOf[i] = Int32(graph.nodes.count)
            graph.nodes.append(node)
        }

        for (k, i) in selected.items.enumerated() {
            for t in catalog.dependencies.neighbours(i) where nodeOf[Int(t)] >= 0 {
                let target = Int(nodeOf[Int(t)])
                var edge = DrawGraph.Edge(source: k, target: target)
                let from = catalog.items[i], to = catalog.items[Int(t)]
                edge.upward = to.item.layer.rank < from.item.layer.rank
                edge.crossOrganisation = from.organisation != to.organisation
                if let c = cycleComponent(i), c == cycleComponent(Int(t)) { edge.inCycle = true }
                graph.edges.append(edge)
            }
        }
        return graph
    }

    static func tooltip(ref: String, node: DrawGraph.Node, org: String) -> String {
        var parts = [ref, org]
        if let capability = node.capability { parts.append("capability: \(capability)") }
        parts.append("status: \(node.status.rawValue)")
        if node.critical { parts.append("critical (samhällsviktig)") }
        if node.blast > 0 {
            parts.append(node.blast == 1 ? "1 service depends on it" + (node.blastCritical == 1 ? " (critical)" : "")
                : "\(node.blast) services depend on it (\(node.blastCritical) critical)")
        }
        if node.ungrounded { parts.append("ungrounded: reaches no running hard infrastructure") }
        if node.inCycle { parts.append("in a dependency cycle") }
        return parts.joined(separator: " · ")
    }
}
