import Foundation
import InfraModel

/// How the DOT text is laid out: the engine it is written for and the font.
public struct DOTOptions: Sendable {
    /// `dot` gets bands and clusters; force-directed engines (sfdp, neato …) get overlap removal.
    public var engine: String
    /// A font that has å, ä, ö (and ★ ⚠ ↻ ⚡): DejaVu Sans (Debian: fonts-dejavu-core).
    public var fontname: String
    public var legend: Bool

    public init(engine: String = "dot", fontname: String = "DejaVu Sans", legend: Bool = true) {
        self.engine = engine
        self.fontname = fontname
        self.legend = legend
    }

    var layered: Bool { engine == "dot" }
}

/// The colours and line styles every format shares (DOT, Mermaid classes).
public enum Palette {
    public static func fill(_ layer: Layer?) -> String {
        switch layer {
        case .services: "#d6e6f7"
        case .soft: "#d9f0d3"
        case .hard: "#fbe3c8"
        case nil: "#e8e8f4"
        }
    }

    public static func band(_ layer: Layer) -> (fill: String, border: String) {
        switch layer {
        case .services: ("#f2f7fd", "#9fbfe3")
        case .soft: ("#f3faf1", "#a6d49a")
        case .hard: ("#fdf6ee", "#e8bd8c")
        }
    }

    /// Band titles: the band's colour, dark enough to read.
    public static func bandTitle(_ layer: Layer) -> String {
        switch layer {
        case .services: "#2b5d94"
        case .soft: "#3b7a2e"
        case .hard: "#a0591b"
        }
    }

    public static let outsideFill = "#eeeeee"
    public static let outsideText = "#666666"
    public static let outsideBorder = "#999999"
    public static let focalFill = "#ffe27a"
    public static let border = "#4d4d4d"
    public static let ungrounded = "#d62728"
    public static let cycle = "#8e44ad"
    public static let upward = "#d62728"
    public static let crossOrganisation = "#2166ac"
    public static let edge = "#555555"
    public static let faded = "#9a9a9a"

    public static func organisationType(_ type: String?) -> String {
        switch type {
        case "kommun": "#d6e6f7"
        case "region": "#d9f0d3"
        case "myndighet": "#fbe3c8"
        case "national": outsideFill
        default: "#e8e8f4"
        }
    }

    /// White → green by coverage share.
    public static func coverage(_ share: Double) -> String {
        let s = min(1, max(0, share))
        let from = (247.0, 247.0, 247.0), to = (35.0, 139.0, 69.0)
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * s).rounded()) }
        return hex(mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
    }

    static func hex(_ r: Int, _ g: Int, _ b: Int) -> String {
        let digits = Array("0123456789abcdef")
        return "#" + [r, g, b].map { String([digits[$0 >> 4], digits[$0 & 15]]) }.joined()
    }
}

/// Writes a `DrawGraph` as Graphviz DOT text.
///
/// Items: three bands (clusters per layer) top to bottom, each holding one cluster per
/// organisation; invisible zero-weight edges through one anchor per band keep every band
/// below the one above without pulling nodes sideways. Upward dependencies do not constrain
/// the ranking (`constraint=false`) and are drawn red and bold.
public enum DOTWriter {
    public static func write(_ graph: DrawGraph, options: DOTOptions = DOTOptions()) -> String {
        var out = "digraph infra {\n"
        let font = quote(options.fontname)
        out += "  graph [fontname=\(font), charset=\"UTF-8\", pad=\"0.3\", "
        if options.layered {
            out += "rankdir=TB, nodesep=0.18, ranksep=0.45, newrank=true, "
        } else {
            out += "overlap=prism, overlap_scaling=-4, splines=false, outputorder=edgesfirst, K=1.2, "
        }
        out += "labelloc=b, labeljust=l, fontsize=\(graph.kind == .items ? 12 : 20), tooltip=\(quote(graph.title))"
        if options.legend { out += ", label=<\(legend(graph))>" }
        out += "];\n"
        out += "  node [fontname=\(font), fontsize=11, shape=box, style=\"rounded,filled\", margin=\"0.10,0.04\", "
            + "color=\"\(Palette.border)\", penwidth=1];\n"
        out += "  edge [fontname=\(font), fontsize=9, color=\"\(Palette.edge)\", arrowsize=0.6, penwidth=0.8];\n"

        switch graph.kind {
        case .items: writeItems(graph, options: options, into: &out)
        case .capability: writeCapabilities(graph, options: options, into: &out)
        case .organisation, .county: writeFlat(graph, options: options, into: &out)
        }
        out += "}\n"
        return out
    }

    // MARK: items

    static func writeItems(_ graph: DrawGraph, options: DOTOptions, into out: inout String) {
        let layers = graph.layersPresent
        let depth = bandDepth(graph)
        if options.layered {
            writeBandLabels(layers, into: &out)
            // One column per organisation, its items stacked by layer; the band order below
            // aligns the layers of all columns.
            var members: [Int: [Layer: [Int]]] = [:]
            for (k, node) in graph.nodes.enumerated() { members[node.group, default: [:]][node.layer ?? .soft, default: []].append(k) }
            for g in members.keys.sorted(by: { groupOrder(graph, $0) < groupOrder(graph, $1) }) {
                let group = g >= 0 ? graph.groups[g] : nil
                if let group {
                    out += "  subgraph \(quote("cluster_org_\(g)")) {\n"
                    out += "    id=\(quote("org:" + group.id)); label=<<B>\(html(groupLabel(group)))</B>>; fontsize=15; labeljust=l; labelloc=t; "
                    // Outside organisations: square and dashed. (Rounded and dashed together
                    // makes cairo clear the box's inside in PNG output.)
                    out += "style=\"" + (group.outside ? "dashed" : "rounded") + "\"; "
                    out += "color=\"\(group.outside ? Palette.outsideBorder : "#5a5a5a")\"; "
                    out += "fontcolor=\"\(group.outside ? Palette.outsideText : "#222222")\"; penwidth=1.4; margin=10;\n"
                }
                for layer in layers {
                    guard let list = members[g]?[layer] else { continue }
                    for k in list { out += "    " + itemNode(graph.nodes[k], graph: graph) + "\n" }
                    if graph.nodes.count <= gridLimit { writeGrid(list, graph: graph, depth: depth, into: &out) }
                }
                if group != nil { out += "  }\n" }
            }
            writeBandOrder(graph, layers: layers, into: &out)
        } else {
            for node in graph.nodes { out += "  " + itemNode(node, graph: graph) + "\n" }
        }
        for edge in graph.edges { out += "  " + itemEdge(edge, graph: graph, layered: options.layered) + "\n" }
    }

    /// Organisations in focus first (left), then the others, each in scan order.
    static func groupOrder(_ graph: DrawGraph, _ g: Int) -> (Int, Int) {
        (g >= 0 && graph.groups[g].outside ? 1 : 0, g)
    }

    /// Each node's depth inside its band: the longest chain of same-band dependencies above
    /// it (0 for a node no same-band node depends on). Cycle members count as 0.
    static func bandDepth(_ graph: DrawGraph) -> [Int] {
        let n = graph.nodes.count
        var indegree = [Int](repeating: 0, count: n)
        var next = [[Int]](repeating: [], count: n)
        for e in graph.edges where e.source != e.target && graph.nodes[e.source].layer == graph.nodes[e.target].layer {
            next[e.source].append(e.target)
            indegree[e.target] += 1
        }
        var depth = [Int](repeating: 0, count: n)
        var queue = (0..<n).filter { indegree[$0] == 0 }
        var head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            for w in next[v] {
                depth[w] = max(depth[w], depth[v] + 1)
                indegree[w] -= 1
                if indegree[w] == 0 { queue.append(w) }
            }
        }
        return depth
    }

    /// Up to this many nodes, wide rows fold into a grid. Past it the folding costs more than
    /// it gives: long edges fill every rank with virtual nodes anyway (and `dot` needs minutes
    /// for 400 items instead of seconds), so the picture stays wide.
    static let gridLimit = 250

    /// A cluster whose nodes would all sit on one rank becomes a grid: nodes of the same
    /// band depth are chained `row[j - width] -> row[j]` by invisible edges, so a wide row
    /// folds into several and the picture keeps a readable aspect ratio.
    static func writeGrid(_ members: [Int], graph: DrawGraph, depth: [Int], into out: inout String) {
        var rows: [Int: [Int]] = [:]
        for k in members { rows[depth[k], default: []].append(k) }
        for d in rows.keys.sorted() {
            let row = rows[d]!
            let width = max(4, Int((Double(row.count) * 1.6).squareRoot().rounded(.up)))
            guard row.count > width else { continue }
            for j in width..<row.count {
                out += "      \(quote(graph.nodes[row[j - width]].id)) -> \(quote(graph.nodes[row[j]].id)) [style=invis, weight=0];\n"
            }
        }
    }

    static func groupLabel(_ group: DrawGraph.Group) -> String {
        group.national ? "\(group.name) (national)" : group.name
    }

    static func anchor(_ layer: Layer) -> String { quote("_band_" + layer.rawValue) }

    /// The band backgrounds Graphviz paints once it has placed the nodes (layered pictures
    /// of items or capabilities; nil for the others). Band labels count as their band.
    public static func bands(for graph: DrawGraph, options: DOTOptions = DOTOptions()) -> Bands? {
        guard options.layered, graph.kind == .items || graph.kind == .capability else { return nil }
        let layers = graph.layersPresent
        guard !layers.isEmpty else { return nil }
        var bandOfNode: [String: Int] = [:]
        for (b, layer) in layers.enumerated() { bandOfNode["_label_" + layer.rawValue] = b }
        for node in graph.nodes {
            if let layer = node.layer, let b = layers.firstIndex(of: layer) { bandOfNode[node.id] = b }
        }
        return Bands(bands: layers.map { Bands.Band(fill: Palette.band($0).fill, border: Palette.band($0).border) },
                     bandOfNode: bandOfNode)
    }

    /// The band titles as a column of text on the left, each on the rank of its band's
    /// anchor (`newrank` lets a rank constraint reach into clusters), and the anchors.
    static func writeBandLabels(_ layers: [Layer], into out: inout String) {
        out += "  subgraph \"cluster_bands\" {\n    id=\"bands\"; label=\"\"; style=invis;\n"
        for layer in layers {
            out += "    \(quote("_label_" + layer.rawValue)) [id=\(quote("band:" + layer.rawValue)), shape=plaintext, style=\"\", "
                + "fontsize=22, fontcolor=\"\(Palette.bandTitle(layer))\", label=<<B>\(html(layer.title))</B>>, tooltip=\(quote(layer.title))];\n"
        }
        out += "  }\n"
        for layer in layers {
            out += "  \(anchor(layer)) [shape=point, style=invis, width=0.01, height=0.01, label=\"\"];\n"
            out += "  { rank=same; \(anchor(layer)); \(quote("_label_" + layer.rawValue)); }\n"
        }
    }

    /// Invisible edges: every node of a band that has no same-band dependency (the band's
    /// last rank) points to the next band's anchor; the anchor points to every node of its
    /// band that no same-band node depends on (the band's first rank). Cycle members get both.
    static func writeBandOrder(_ graph: DrawGraph, layers: [Layer], flat: Bool = false, into out: inout String) {
        guard layers.count > 1 else { return }
        var sameLayerOut = [Bool](repeating: false, count: graph.nodes.count)
        var sameLayerIn = [Bool](repeating: false, count: graph.nodes.count)
        for e in graph.edges where !flat && graph.nodes[e.source].layer == graph.nodes[e.target].layer && e.source != e.target {
            sameLayerOut[e.source] = true
            sameLayerIn[e.target] = true
        }
        for (k, node) in graph.nodes.enumerated() {
            guard let layer = node.layer, let li = layers.firstIndex(of: layer) else { continue }
            let id = quote(node.id)
            if li + 1 < layers.count && (!sameLayerOut[k] || node.inCycle) {
                out += "  \(id) -> \(anchor(layers[li + 1])) [style=invis, weight=0];\n"
            }
            if !sameLayerIn[k] || node.inCycle {
                out += "  \(anchor(layer)) -> \(id) [style=invis, weight=0\(li == 0 ? ", minlen=0" : "")];\n"
            }
        }

    }

    static func itemNode(_ node: DrawGraph.Node, graph: DrawGraph) -> String {
        var marks: [String] = []
        switch node.status {
        case .planned: marks.append("planned")
        case .retiring: marks.append("retiring")
        case .retired: marks.append("retired")
        case .active: break
        }
        if node.ungrounded { marks.append("⚠ ungrounded") }
        if node.inCycle { marks.append("↻ cycle") }
        let spof = node.blast >= graph.spofThreshold
        if node.blast >= 3 { marks.append("⚡ \(node.blast) services") }

        let faded = node.status == .retired || node.status == .planned
        var name = wrap(node.name, width: 24).map(html).joined(separator: "<BR/>")
        if node.critical { name = "★ " + name }
        if spof || node.focal { name = "<B>" + name + "</B>" }
        var label = name
        if !marks.isEmpty {
            label += "<BR/><FONT POINT-SIZE=\"8\" COLOR=\"\(node.ungrounded || node.inCycle ? "#a01818" : "#555555")\">"
                + marks.map(html).joined(separator: " · ") + "</FONT>"
        }

        var style = ["rounded", "filled"]
        if node.status == .planned { style.append("dashed") }
        if node.status == .retired { style.append("dotted") }
        let fill = node.focal ? Palette.focalFill
            : node.status == .retired ? "#f7f7f7"
            : node.outside ? Palette.outsideFill : Palette.fill(node.layer)
        let border = node.ungrounded ? Palette.ungrounded
            : node.inCycle ? Palette.cycle
            : node.outside || faded ? Palette.outsideBorder : Palette.border
        var penwidth = 1 + min(5, 0.55 * log2(1 + Double(node.blast)))
        if node.critical { penwidth = max(penwidth, 2.2) }
        if node.ungrounded || node.inCycle { penwidth = max(penwidth, 2) }
        if node.focal { penwidth = max(penwidth, 3) }
        var attributes = [
            "id=\(quote(node.id))",
            "label=<\(label)>",
            "tooltip=\(quote(node.tooltip))",
            "fillcolor=\"\(fill)\"",
            "style=\"\(style.joined(separator: ","))\"",
            "penwidth=\(number(penwidth))",
        ]
        if border != Palette.border { attributes.append("color=\"\(border)\"") }
        if node.outside || faded { attributes.append("fontcolor=\"\(node.status == .retired ? Palette.faded : Palette.outsideText)\"") }
        if spof { attributes.append("fontsize=13") }
        if node.focal { attributes.append("peripheries=2") }
        return "\(quote(node.id)) [\(attributes.joined(separator: ", "))];"
    }

    static func itemEdge(_ edge: DrawGraph.Edge, graph: DrawGraph, layered: Bool) -> String {
        let source = graph.nodes[edge.source], target = graph.nodes[edge.target]
        var attributes = [
            "id=\(quote(source.id + "->" + target.id))",
            "tooltip=\(quote(source.id + " → " + target.id + (edge.upward ? " (upward dependency)" : "")))",
        ]
        if edge.upward {
            attributes += ["color=\"\(Palette.upward)\"", "penwidth=2.6", "arrowsize=0.9"]
            if layered { attributes.append("constraint=false") }
        } else if edge.inCycle {
            attributes += ["color=\"\(Palette.cycle)\"", "penwidth=1.6"]
        } else if source.outside && target.outside {
            attributes.append("color=\"#b0b0b0\"")
        } else if edge.crossOrganisation {
            attributes += ["color=\"\(Palette.crossOrganisation)\"", "penwidth=1.1"]
        }
        if target.status == .planned || target.status == .retired || source.status == .planned || source.status == .retired {
            attributes.append("style=dashed")
        }
        return "\(quote(source.id)) -> \(quote(target.id)) [\(attributes.joined(separator: ", "))];"
    }

    // MARK: aggregates

    static func writeCapabilities(_ graph: DrawGraph, options: DOTOptions, into out: inout String) {
        let layers = graph.layersPresent
        let maxWeight = max(1, graph.maxWeight)
        func node(_ node: DrawGraph.Node) -> String {
            let scale = (Double(node.weight) / Double(maxWeight)).squareRoot()
            var label = wrap(node.name, width: 20).map(html).joined(separator: "<BR/>")
            if let detail = node.detail { label += "<BR/><FONT POINT-SIZE=\"\(number(8 + 4 * scale))\">\(html(detail))</FONT>" }
            return "\(quote(node.id)) [id=\(quote(node.id)), label=<\(label)>, tooltip=\(quote(node.tooltip)), "
                + "fillcolor=\"\(node.outside ? Palette.outsideFill : Palette.fill(node.layer))\", "
                + "fontsize=\(number(10 + 14 * scale)), penwidth=\(number(0.8 + 3 * scale)), "
                + "margin=\"\(number(0.08 + 0.14 * scale)),\(number(0.04 + 0.08 * scale))\"];"
        }
        if options.layered {
            writeBandLabels(layers, into: &out)
            for layer in layers {
                // Largest first, folded into rows: edges inside a band do not rank its nodes
                // (a chain of capabilities would stack the band into a tower).
                let members = graph.nodes.indices.filter { graph.nodes[$0].layer == layer }
                    .sorted { graph.nodes[$0].weight > graph.nodes[$1].weight }
                for k in members { out += "  " + node(graph.nodes[k]) + "\n" }
                let width = max(4, Int((Double(members.count) * 2.5).squareRoot().rounded(.up)))
                if members.count > width {
                    for j in width..<members.count {
                        out += "  \(quote(graph.nodes[members[j - width]].id)) -> \(quote(graph.nodes[members[j]].id)) [style=invis, weight=2];\n"
                    }
                }
            }
            writeBandOrder(graph, layers: layers, flat: true, into: &out)
        } else {
            for n in graph.nodes { out += "  " + node(n) + "\n" }
        }
        writeWeightedEdges(graph, layered: options.layered, into: &out)
    }

    static func writeFlat(_ graph: DrawGraph, options: DOTOptions, into out: inout String) {
        let maxWeight = max(1, graph.maxWeight)
        for node in graph.nodes {
            let scale = (Double(node.weight) / Double(maxWeight)).squareRoot()
            let fill: String
            var fontcolor = "#222222"
            if graph.kind == .county {
                if node.outside {
                    fill = Palette.outsideFill
                } else {
                    fill = Palette.coverage(node.share ?? 0)
                    if (node.share ?? 0) > 0.6 { fontcolor = "#ffffff" }
                }
            } else {
                fill = Palette.organisationType(node.capability)
            }
            var label = wrap(node.name, width: 22).map(html).joined(separator: "<BR/>")
            if let detail = node.detail { label += "<BR/><FONT POINT-SIZE=\"9\">\(html(detail))</FONT>" }
            let fontsize = graph.kind == .county ? 13 : 9 + 12 * scale
            out += "  \(quote(node.id)) [id=\(quote(node.id)), label=<\(label)>, tooltip=\(quote(node.tooltip)), "
                + "fillcolor=\"\(fill)\", fontcolor=\"\(fontcolor)\", fontsize=\(number(fontsize)), "
                + "penwidth=\(number(0.8 + 2 * scale))"
                + (node.outside ? ", style=\"rounded,filled,dashed\", color=\"\(Palette.outsideBorder)\"" : "") + "];\n"
        }
        if graph.kind == .county && options.layered {
            // Counties in rows of seven (by county code), agencies and national components below.
            let counties = graph.nodes.indices.filter { !graph.nodes[$0].outside }
            let width = 7
            if counties.count > width {
                for j in width..<counties.count {
                    out += "  \(quote(graph.nodes[counties[j - width]].id)) -> \(quote(graph.nodes[counties[j]].id)) [style=invis, weight=5];\n"
                }
            }
            let bottom = graph.nodes.filter(\.outside).map { quote($0.id) }
            if !bottom.isEmpty {
                for k in counties.suffix(width) {
                    for b in bottom { out += "  \(quote(graph.nodes[k].id)) -> \(b) [style=invis, weight=0];\n" }
                }
                out += "  { rank=same; \(bottom.joined(separator: "; ")); }\n"
            }
        }
        writeWeightedEdges(graph, layered: options.layered, into: &out)
    }

    static func writeWeightedEdges(_ graph: DrawGraph, layered: Bool, into out: inout String) {
        let maxEdge = max(1, graph.maxEdgeWeight)
        // Label the heaviest edges with their count; all have it as tooltip.
        let labelled = Set(graph.edges.indices.sorted { graph.edges[$0].weight > graph.edges[$1].weight }.prefix(24))
        for (k, edge) in graph.edges.enumerated() {
            let source = graph.nodes[edge.source], target = graph.nodes[edge.target]
            let scale = (Double(edge.weight) / Double(maxEdge)).squareRoot()
            var attributes = [
                "id=\(quote(source.id + "->" + target.id))",
                "tooltip=\(quote("\(source.name) → \(target.name): \(edge.weight) dependenc\(edge.weight == 1 ? "y" : "ies")"))",
                "penwidth=\(number(0.4 + 6 * scale))",
                "arrowsize=\(number(0.4 + 0.6 * scale))",
                "weight=\(max(1, Int(10 * scale)))",
            ]
            let sameBand = source.layer != nil && source.layer == target.layer
            if layered && (edge.upward || sameBand) { attributes.append("constraint=false") }
            if edge.upward {
                attributes.append("color=\"\(Palette.upward)c0\"")
            } else {
                attributes.append("color=\"#333333\(scale > 0.5 ? "c0" : scale > 0.2 ? "90" : "50")\"")
            }
            if labelled.contains(k) && graph.edges.count > 1 && layered {
                attributes.append("xlabel=\(quote(formatCount(edge.weight)))")
                attributes.append("fontcolor=\"#444444\"")
            }
            out += "  \(quote(source.id)) -> \(quote(target.id)) [\(attributes.joined(separator: ", "))];\n"
        }
    }

    // MARK: legend

    static func legend(_ graph: DrawGraph) -> String {
        var rows: [[String]] = []
        func box(_ text: String, fill: String = "#ffffff", border: String = Palette.border, style: String = "rounded",
                 font: String? = nil, width: Int = 1) -> String {
            let content = font.map { "<FONT COLOR=\"\($0)\">\(html(text))</FONT>" } ?? html(text)
            return "<TD BORDER=\"\(width)\" STYLE=\"\(style)\" BGCOLOR=\"\(fill)\" COLOR=\"\(border)\">\(content)</TD>"
        }
        func line(_ text: String, color: String, bold: Bool = false) -> String {
            let arrow = bold ? "<B>━━▶</B>" : "──▶"
            return "<TD><FONT COLOR=\"\(color)\">\(arrow)</FONT> \(html(text))</TD>"
        }
        switch graph.kind {
        case .items:
            rows.append([box("service", fill: Palette.fill(.services)), box("soft infrastructure", fill: Palette.fill(.soft)),
                         box("hard infrastructure", fill: Palette.fill(.hard)),
                         box("national / outside the focus", fill: Palette.outsideFill, border: Palette.outsideBorder,
                             font: Palette.outsideText),
                         box("★ critical (samhällsviktig)"), box("⚡ 30 services depend on it — border width = blast radius", border: Palette.border, style: "rounded", width: 3)])
            rows.append([box("planned", style: "dashed"), box("retired", fill: "#f7f7f7", style: "dotted", font: Palette.faded),
                         box("⚠ ungrounded", border: Palette.ungrounded), box("↻ dependency cycle", border: Palette.cycle),
                         line("dependency, across organisations", color: Palette.crossOrganisation),
                         line("upward dependency (a finding)", color: Palette.upward, bold: true)])
        case .capability:
            rows.append([box("service capability", fill: Palette.fill(.services)),
                         box("soft infrastructure", fill: Palette.fill(.soft)), box("hard infrastructure", fill: Palette.fill(.hard)),
                         "<TD>node size: organisations with a running item of the capability</TD>",
                         "<TD>edge width and number: dependencies between items of the two capabilities</TD>",
                         line("upward", color: Palette.upward, bold: true)])
        case .organisation:
            rows.append([box("kommun", fill: Palette.organisationType("kommun")),
                         box("region", fill: Palette.organisationType("region")),
                         box("myndighet", fill: Palette.organisationType("myndighet")),
                         box("national component", fill: Palette.outsideFill, border: Palette.outsideBorder, style: "dashed"),
                         "<TD>node size: items · edge width: dependencies between the organisations</TD>"])
        case .county:
            rows.append([box("0 %", fill: Palette.coverage(0)), box("25 %", fill: Palette.coverage(0.25)),
                         box("50 %", fill: Palette.coverage(0.5)), box("75 %", fill: Palette.coverage(0.75), font: "#ffffff"),
                         box("100 % of the county's kommuner inventoried", fill: Palette.coverage(1), font: "#ffffff"),
                         "<TD>edge width: dependencies between organisations of the two</TD>"])
        }
        let columns = rows.map(\.count).max() ?? 1
        var table = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"5\" CELLPADDING=\"4\">"
        table += "<TR><TD COLSPAN=\"\(columns)\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"\(graph.kind == .items ? 16 : 26)\"><B>\(html(graph.title))</B></FONT></TD></TR>"
        for row in rows { table += "<TR>" + row.joined() + "</TR>" }
        table += "</TABLE>"
        return table
    }

    // MARK: escaping

    /// `s` as a DOT double-quoted string: `"` and `\` escaped, line breaks as `\n`.
    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": break
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
        return out
    }

    /// Text for an HTML-like label (Graphviz parses it as XML).
    public static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                switch scalar.value {
                case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: out.unicodeScalars.append(scalar)
                default: out += " "
                }
            }
        }
        return out
    }

    /// Breaks a name into lines of about `width` characters at spaces.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = String(word)
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    static func number(_ d: Double) -> String {
        let rounded = (d * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func formatCount(_ n: Int) -> String {
        guard n >= 10_000 else { return String(n) }
        let s = String(n)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += " " }
            out.append(c)
        }
        return out
    }
}
