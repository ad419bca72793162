import Foundation
import InfraModel
import InfraReport

/// How the DOT text is laid out: the engine it is written for and the font.
public struct DOTOptions: Sendable {
    /// `dot` gets bands and clusters, `osage` bands and boxes as a grid; force-directed engines
    /// (sfdp, neato …) get overlap removal.
    public var engine: String
    /// A font that has å, ä, ö (and ★ ⚠ ↻ ⚡): DejaVu Sans (Debian: fonts-dejavu-core).
    public var fontname: String
    public var legend: Bool
    /// Pixels per inch of PNG output (Graphviz's `dpi`; nil: its default, 96).
    public var dpi: Int?

    public init(engine: String = "dot", fontname: String = "DejaVu Sans", legend: Bool = true, dpi: Int? = nil) {
        self.engine = engine
        self.fontname = fontname
        self.legend = legend
        self.dpi = dpi
    }

    /// Bands and organisation boxes ranked by the dependencies (`dot`).
    var layered: Bool { engine == "dot" }
    /// Bands and boxes packed as a grid (`osage`): items too many to layer readably.
    var grid: Bool { engine == "osage" }
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
        case "bolag": "#f6dff0"
        case "forbund": "#e4e1f5"
        case "national": outsideFill
        default: "#f2efe1"
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

/// One attribute value of a DOT statement: text, or an HTML-like label (`<…>`).
public enum DOTValue: Sendable, ExpressibleByStringLiteral {
    case text(String)
    case html(String)

    public init(stringLiteral value: String) { self = .text(value) }
}

/// A statement's attributes, in order.
public typealias DOTAttributes = [(String, DOTValue)]

/// What kind of default an attribute statement sets (`graph [..]`, `node [..]`, `edge [..]`).
public enum DOTKind: Sendable { case graph, node, edge }

/// Where the DOT writer's statements go: DOT text (`DOTText`), or a Graphviz graph built
/// in memory (`Graphviz.render(_:…)`), so a picture is laid out without writing and
/// re-parsing its text. Both see the same statements in the same order, which is what
/// Graphviz's layout depends on.
public protocol DOTSink {
    /// `graph [..]`, `node [..]` or `edge [..]` in the current (sub)graph; in a subgraph,
    /// graph attributes are the subgraph's own (`label=…;`).
    mutating func attributes(_ kind: DOTKind, _ list: DOTAttributes)
    /// `subgraph "name" {`, or `{` for an anonymous one (nil).
    mutating func beginSubgraph(_ name: String?)
    mutating func endSubgraph()
    mutating func node(_ id: String, _ list: DOTAttributes)
    mutating func edge(_ tail: String, _ head: String, _ list: DOTAttributes)
}

/// DOT text.
public struct DOTText: DOTSink {
    public private(set) var text: String
    private var depth = 1

    public init(name: String = "infra") {
        text = "digraph \(name) {\n"
        text.reserveCapacity(1 << 16)
    }

    public mutating func finish() -> String {
        text += "}\n"
        return text
    }

    private var indent: String { String(repeating: "  ", count: depth) }

    public mutating func attributes(_ kind: DOTKind, _ list: DOTAttributes) {
        if depth > 1 && kind == .graph {
            text += indent
            for (k, v) in list { text += k + "=" + Self.value(v, of: k) + "; " }
            text.removeLast()
            text += "\n"
            return
        }
        text += indent + (kind == .graph ? "graph" : kind == .node ? "node" : "edge") + " [" + Self.list(list) + "];\n"
    }

    public mutating func beginSubgraph(_ name: String?) {
        text += indent + (name.map { "subgraph " + DOTWriter.quote($0) + " {\n" } ?? "{\n")
        depth += 1
    }

    public mutating func endSubgraph() {
        depth -= 1
        text += indent + "}\n"
    }

    public mutating func node(_ id: String, _ list: DOTAttributes) {
        text += indent + DOTWriter.quote(id)
        text += list.isEmpty ? ";\n" : " [" + Self.list(list) + "];\n"
    }

    public mutating func edge(_ tail: String, _ head: String, _ list: DOTAttributes) {
        text += indent + DOTWriter.quote(tail) + " -> " + DOTWriter.quote(head)
        text += list.isEmpty ? ";\n" : " [" + Self.list(list) + "];\n"
    }

    static func list(_ list: DOTAttributes) -> String {
        var out = ""
        for (k, v) in list {
            if !out.isEmpty { out += ", " }
            out += k + "=" + value(v, of: k)
        }
        return out
    }

    /// Attribute `name`'s value: numbers and plain words bare, everything else quoted; HTML in `<…>`.
    static func value(_ v: DOTValue, of name: String) -> String {
        switch v {
        case .html(let h): return "<" + h + ">"
        case .text(let t): return isBare(t) ? t : DOTWriter.quote(DOTWriter.textForAttribute(name, t))
        }
    }

    /// A DOT ID that needs no quotes: a word (letters, digits, `_`, not starting with a
    /// digit, not a keyword) or a numeral (`-`? digits with at most one `.`).
    static func isBare(_ t: String) -> Bool {
        let bytes = Array(t.utf8)
        guard let first = bytes.first else { return false }
        func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        func letter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F }
        if letter(first) {
            return bytes.allSatisfy { letter($0) || digit($0) }
                && !["node", "edge", "graph", "digraph", "subgraph", "strict"].contains(t.lowercased())
        }
        let body = first == 0x2D ? bytes.dropFirst() : bytes[...]
        return body.contains(where: digit) && body.allSatisfy { digit($0) || $0 == 0x2E } && body.filter { $0 == 0x2E }.count <= 1
    }
}

/// Writes a `DrawGraph` as Graphviz DOT statements: text (`write`), or into any `DOTSink`.
///
/// Items, layered (`dot`): three bands (clusters per layer) top to bottom, each holding one
/// cluster per organisation; invisible zero-weight edges through one anchor per band keep
/// every band below the one above without pulling nodes sideways. Upward dependencies do
/// not constrain the ranking (`constraint=false`) and are drawn red and bold.
///
/// Items, as a grid (`osage`, for pictures too large to layer readably): each band is a box
/// holding a box per organisation, which holds a box per capability (its items in rows);
/// dependencies are straight lines beneath the nodes, up to `gridEdgeLimit` of them; above,
/// only those that are findings (upward, in a cycle), and the legend says how many are not
/// drawn. (A 400-item kommun's 1,154 straight lines ran along the rows of boxes and read as
/// dependencies between neighbours that had none.)
public enum DOTWriter {
    public static func write(_ graph: DrawGraph, options: DOTOptions = DOTOptions()) -> String {
        // Named by its title: an SVG's <title>, which a browser shows on the tab, is the graph's name.
        var text = DOTText(name: "\"" + graphName(graph.title).replacingOccurrences(of: "\"", with: "\\\"") + "\"")
        emit(graph, options: options, into: &text)
        return text.finish()
    }

    /// The picture's statements, in the order `write` prints them.
    public static func emit<S: DOTSink>(_ graph: DrawGraph, options: DOTOptions = DOTOptions(), into out: inout S) {
        let grid = options.grid && graph.kind == .items
        var attributes: DOTAttributes = [("fontname", .text(options.fontname)), ("charset", "UTF-8"), ("pad", "0.3")]
        if options.layered {
            // Nodes drawn over the lines: an arrow passing a box does not strike through its text.
            attributes += [("rankdir", "TB"), ("nodesep", "0.18"), ("ranksep", "0.45"), ("newrank", "true"), ("outputorder", "edgesfirst")]
        } else if grid {
            attributes += [("layout", "osage"), ("pack", "14"), ("packmode", "array_lu1"), ("splines", "line"),
                           ("outputorder", "edgesfirst")]
        } else {
            if options.engine != "dot" { attributes.append(("layout", .text(options.engine))) }
            attributes += [("overlap", "prism"), ("overlap_scaling", "-4"), ("splines", "false"), ("outputorder", "edgesfirst"),
                           ("K", "1.2")]
        }
        attributes += [("labelloc", "b"), ("labeljust", "l"), ("fontsize", .text(graph.kind == .items ? "12" : "20")),
                       ("tooltip", .text(graph.title))]
        if let dpi = options.dpi { attributes.append(("dpi", .text(String(dpi)))) }
        if options.legend { attributes.append(("label", .html(legend(graph, undrawn: grid ? undrawnGridEdges(graph) : 0)))) }
        out.attributes(.graph, attributes)
        out.attributes(.node, [("fontname", .text(options.fontname)), ("fontsize", "11"), ("shape", "box"),
                               ("style", "rounded,filled"), ("margin", .text(nodeMargin(penwidth: 1))), ("color", .text(Palette.border)),
                               ("penwidth", "1")])
        out.attributes(.edge, [("fontname", .text(options.fontname)), ("fontsize", "9"), ("color", .text(Palette.edge)),
                               ("arrowsize", "0.6"), ("penwidth", "0.8")])

        switch graph.kind {
        case .items:
            if grid { writeItemGrid(graph, options: options, into: &out) } else { writeItems(graph, options: options, into: &out) }
        case .capability: writeCapabilities(graph, options: options, into: &out)
        case .organisation, .county: writeFlat(graph, options: options, into: &out)
        }
    }

    // MARK: items

    static func writeItems<S: DOTSink>(_ graph: DrawGraph, options: DOTOptions, into out: inout S) {
        let layers = graph.layersPresent
        let depth = bandDepth(graph)
        if options.layered {
            writeBandLabels(layers, options: options, into: &out)
            // One column per organisation, its items stacked by layer; the band order below
            // aligns the layers of all columns.
            var members: [Int: [Layer: [Int]]] = [:]
            for (k, node) in graph.nodes.enumerated() { members[node.group, default: [:]][node.layer ?? .soft, default: []].append(k) }
            for g in members.keys.sorted(by: { groupOrder(graph, $0) < groupOrder(graph, $1) }) {
                let group = g >= 0 ? graph.groups[g] : nil
                if let group {
                    out.beginSubgraph("cluster_org_\(g)")
                    // Outside organisations: square and dashed. (Rounded and dashed together
                    // makes cairo clear the box's inside in PNG output.)
                    out.attributes(.graph, [
                        ("id", .text("org:" + group.id)), ("tooltip", .text(groupLabel(group))),
                        ("label", .html(html(groupLabel(group)))), ("fontname", .text(bold(options))),
                        ("fontsize", "15"), ("labeljust", "l"), ("labelloc", "t"),
                        ("style", group.outside ? "dashed" : "rounded"),
                        ("color", .text(group.outside ? Palette.outsideBorder : "#5a5a5a")),
                        ("fontcolor", .text(group.outside ? Palette.outsideText : "#222222")), ("penwidth", "1.4"), ("margin", "10"),
                    ])
                }
                for layer in layers {
                    guard let list = members[g]?[layer] else { continue }
                    for k in list { itemNode(graph.nodes[k], graph: graph, into: &out) }
                    if graph.nodes.count <= gridLimit { writeGrid(list, graph: graph, depth: depth, into: &out) }
                }
                if group != nil { out.endSubgraph() }
            }
            writeBandOrder(graph, layers: layers, into: &out)
        } else {
            for node in graph.nodes { itemNode(node, graph: graph, into: &out) }
        }
        for edge in graph.edges { itemEdge(edge, graph: graph, layered: options.layered, into: &out) }
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

    /// Up to this many nodes, wide rows of the layered picture fold into a grid. (Larger item
    /// pictures are drawn as a grid of capability boxes instead: `DrawLimits.layeredItems`.)
    static let gridLimit = 250

    /// A cluster whose nodes would all sit on one rank becomes a grid: nodes of the same
    /// band depth are chained `row[j - width] -> row[j]` by invisible edges, so a wide row
    /// folds into several and the picture keeps a readable aspect ratio.
    static func writeGrid<S: DOTSink>(_ members: [Int], graph: DrawGraph, depth: [Int], into out: inout S) {
        var rows: [Int: [Int]] = [:]
        for k in members { rows[depth[k], default: []].append(k) }
        for d in rows.keys.sorted() {
            let row = rows[d]!
            let width = max(4, Int((Double(row.count) * 1.6).squareRoot().rounded(.up)))
            guard row.count > width else { continue }
            for j in width..<row.count {
                out.edge(graph.nodes[row[j - width]].id, graph.nodes[row[j]].id, [("style", "invis"), ("weight", "0")])
            }
        }
    }

    static func groupLabel(_ group: DrawGraph.Group) -> String {
        group.national ? "\(group.name) (national)" : group.name
    }

    static func anchor(_ layer: Layer) -> String { "_band_" + layer.rawValue }

    /// What is done to the bands once the layout has placed the nodes: layered pictures of
    /// items or capabilities get band backgrounds (band labels count as their band); grid
    /// pictures get their band boxes widened to one width. Nil for the others.
    public static func bands(for graph: DrawGraph, options: DOTOptions = DOTOptions()) -> Bands? {
        let layers = graph.layersPresent
        guard !layers.isEmpty else { return nil }
        if options.grid && graph.kind == .items { return Bands(bands: [], bandOfNode: [:], boxes: layers.map(gridBand)) }
        guard options.layered, graph.kind == .items || graph.kind == .capability else { return nil }
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
    static func writeBandLabels<S: DOTSink>(_ layers: [Layer], options: DOTOptions, into out: inout S) {
        out.beginSubgraph("cluster_bands")
        out.attributes(.graph, [("id", "bands"), ("label", ""), ("style", "invis")])
        for layer in layers {
            out.node("_label_" + layer.rawValue, [
                ("id", .text("band:" + layer.rawValue)), ("shape", "plaintext"), ("style", ""), ("fontsize", "22"),
                ("fontcolor", .text(Palette.bandTitle(layer))), ("label", .html(bandTitleLines(layer))), ("fontname", .text(bold(options))),
                ("tooltip", .text(layer.title)),
            ])
        }
        out.endSubgraph()
        for layer in layers {
            out.node(anchor(layer), [("shape", "point"), ("style", "invis"), ("width", "0.01"), ("height", "0.01"), ("label", "")])
            out.beginSubgraph(nil)
            out.attributes(.graph, [("rank", "same")])
            out.node(anchor(layer), [])
            out.node("_label_" + layer.rawValue, [])
            out.endSubgraph()
        }
    }

    /// Invisible edges: every node of a band that has no same-band dependency (the band's
    /// last rank) points to the next band's anchor; the anchor points to every node of its
    /// band that no same-band node depends on (the band's first rank). Cycle members get both.
    static func writeBandOrder<S: DOTSink>(_ graph: DrawGraph, layers: [Layer], flat: Bool = false, into out: inout S) {
        guard layers.count > 1 else { return }
        var sameLayerOut = [Bool](repeating: false, count: graph.nodes.count)
        var sameLayerIn = [Bool](repeating: false, count: graph.nodes.count)
        for e in graph.edges where !flat && graph.nodes[e.source].layer == graph.nodes[e.target].layer && e.source != e.target {
            sameLayerOut[e.source] = true
            sameLayerIn[e.target] = true
        }
        for (k, node) in graph.nodes.enumerated() {
            guard let layer = node.layer, let li = layers.firstIndex(of: layer) else { continue }
            if li + 1 < layers.count && (!sameLayerOut[k] || node.inCycle) {
                out.edge(node.id, anchor(layers[li + 1]), [("style", "invis"), ("weight", "0")])
            }
            if !sameLayerIn[k] || node.inCycle {
                out.edge(anchor(layer), node.id, li == 0 ? [("style", "invis"), ("weight", "0"), ("minlen", "0")]
                    : [("style", "invis"), ("weight", "0")])
            }
        }
    }

    // MARK: items as a grid

    /// Capabilities with at least this many items of one organisation in one band get their
    /// own box; the organisation's other items share one unframed box, most depended on first.
    static let capabilityBoxMinimum = 3

    /// Bands stacked top to bottom (`packmode=array_lu1`: one left-aligned column, ordered
    /// by `sortv`), each a filled box titled with the band's name; in a band, a row of boxes
    /// for the organisations in focus and a row for the others; in an organisation's box, a
    /// box per capability (largest first), its items in rows. Nothing here ranks nodes by
    /// their edges, so a band is as deep as its largest box, not as its longest chain of
    /// dependencies, and dependencies are straight lines beneath the nodes.
    static func writeItemGrid<S: DOTSink>(_ graph: DrawGraph, options: DOTOptions, into out: inout S) {
        var members: [Layer: [Int: [Int]]] = [:]
        for (k, node) in graph.nodes.enumerated() { members[node.layer ?? .soft, default: [:]][node.group, default: []].append(k) }
        var box = 0
        for (b, layer) in graph.layersPresent.enumerated() {
            guard let groups = members[layer] else { continue }
            let band = Palette.band(layer)
            out.beginSubgraph(gridBand(layer))
            out.attributes(.graph, [
                ("id", .text("band:" + layer.rawValue)), ("sortv", .text(String(b + 1))), ("tooltip", .text(layer.title)),
                ("label", .html(html(layer.title))), ("fontname", .text(bold(options))), ("fontsize", "22"), ("fontcolor", .text(Palette.bandTitle(layer))),
                ("labeljust", "l"), ("labelloc", "t"), ("style", "filled"), ("fillcolor", .text(band.fill)),
                ("color", .text(band.border)), ("penwidth", "1.2"), ("margin", "14"), ("packmode", "array_lu1"),
            ])
            let ordered = groups.keys.sorted { groupOrder(graph, $0) < groupOrder(graph, $1) }
            let rows = [ordered.filter { $0 < 0 || !graph.groups[$0].outside }, ordered.filter { $0 >= 0 && graph.groups[$0].outside }]
            for (r, row) in rows.enumerated() where !row.isEmpty {
                // In focus: side by side (up to four, else a square-ish grid); the others in rows of six.
                let columns = r == 0 ? (row.count <= 4 ? row.count : Int(Double(row.count).squareRoot().rounded(.up))) : min(row.count, 6)
                out.beginSubgraph("cluster_row_\(layer.rawValue)_\(r)")
                // (Subgraphs inherit their parent's attributes: every box names its own id and tooltip.)
                out.attributes(.graph, [("id", .text("band:\(layer.rawValue)/\(r == 0 ? "focus" : "others")")), ("tooltip", ""),
                                        ("sortv", .text(String(r + 1))), ("label", ""), ("style", "invis"), ("margin", "0"),
                                        ("packmode", .text("array_tu\(columns)"))])
                for (order, g) in row.enumerated() {
                    writeOrganisationBox(g, layer: layer, members: groups[g]!, sortv: order + 1, graph: graph, options: options, box: &box, into: &out)
                }
                out.endSubgraph()
            }
            out.endSubgraph()
        }
        let all = graph.edges.count <= gridEdgeLimit
        for edge in graph.edges where all || edge.upward || edge.inCycle {
            itemEdge(edge, graph: graph, layered: false, faint: true, into: &out)
        }
    }

    /// The most dependencies a grid picture draws as lines.
    public static let gridEdgeLimit = 200

    /// How many of the grid picture's dependencies are not drawn.
    static func undrawnGridEdges(_ graph: DrawGraph) -> Int {
        graph.edges.count <= gridEdgeLimit ? 0 : graph.edges.count { !$0.upward && !$0.inCycle }
    }

    /// The name of a band's box in the grid picture.
    static func gridBand(_ layer: Layer) -> String { "cluster_band_" + layer.rawValue }

    /// One organisation's box in one band of the grid picture: a box per capability with at
    /// least `capabilityBoxMinimum` items (largest first), the rest in one unframed box
    /// (most depended on first), each box's items in rows.
    static func writeOrganisationBox<S: DOTSink>(_ g: Int, layer: Layer, members list: [Int], sortv: Int, graph: DrawGraph,
                                                 options: DOTOptions, box: inout Int, into out: inout S) {
        let group = g >= 0 ? graph.groups[g] : nil
        out.beginSubgraph("cluster_org_\(g)_\(layer.rawValue)")
        var attributes: DOTAttributes = [("sortv", .text(String(sortv))), ("margin", "10"), ("packmode", "array_u")]
        if let group {
            attributes += [
                ("id", .text("org:" + group.id + "/" + layer.rawValue)), ("tooltip", .text(groupLabel(group))),
                ("label", .html(html(groupLabel(group)))), ("fontname", .text(bold(options))), ("fontsize", "15"), ("labeljust", "l"),
                ("labelloc", "t"), ("style", group.outside ? "dashed,filled" : "rounded,filled"), ("fillcolor", "#ffffff"),
                ("color", .text(group.outside ? Palette.outsideBorder : "#5a5a5a")),
                ("fontcolor", .text(group.outside ? Palette.outsideText : "#222222")), ("penwidth", "1.4"),
            ]
        } else {
            attributes += [("id", .text("org:(none)/" + layer.rawValue)), ("tooltip", ""), ("label", ""), ("style", "invis")]
        }
        out.attributes(.graph, attributes)
        var byCapability: [String: [Int]] = [:]
        for k in list { byCapability[graph.nodes[k].capability ?? "", default: []].append(k) }
        var boxes = byCapability.filter { $0.value.count >= capabilityBoxMinimum }
            .sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
        let loose = list.filter { (byCapability[graph.nodes[$0].capability ?? ""]?.count ?? 0) < capabilityBoxMinimum }
            .sorted { (graph.nodes[$0].blast, -$0) > (graph.nodes[$1].blast, -$1) }
        if !loose.isEmpty { boxes.insert(("", loose), at: 0) }
        for (position, (capability, items)) in boxes.enumerated() {
            box += 1
            let columns = max(1, Int((Double(items.count) * 2.2).squareRoot().rounded(.up)))
            out.beginSubgraph("cluster_cap_\(box)")
            var boxAttributes: DOTAttributes = [("sortv", .text(String(position + 1))),
                                                 ("packmode", .text("array_u\(columns)")), ("margin", "8")]
            let owner = (group?.id ?? "(none)") + "/" + layer.rawValue
            if capability.isEmpty {
                boxAttributes += [("id", .text("capability:" + owner + "/(others)")), ("tooltip", ""), ("label", ""), ("style", "invis")]
            } else {
                let name = graph.capabilityNames[capability] ?? capability
                boxAttributes += [
                    ("id", .text("capability:" + owner + "/" + capability)),
                    ("label", .html("\(html(name)) <FONT COLOR=\"#777777\">· \(items.count)</FONT>")),
                    ("tooltip", .text("\(name) (\(capability)): \(items.count) items")),
                    ("fontsize", "12"), ("labeljust", "l"), ("labelloc", "t"), ("style", "rounded,dashed"),
                    ("color", "#9a9a9a"), ("fontcolor", "#333333"),
                ]
            }
            out.attributes(.graph, boxAttributes)
            for (j, k) in items.enumerated() { itemNode(graph.nodes[k], graph: graph, sortv: j + 1, into: &out) }
            out.endSubgraph()
        }
        out.endSubgraph()
    }

    static func itemNode<S: DOTSink>(_ node: DrawGraph.Node, graph: DrawGraph, sortv: Int? = nil, into out: inout S) {
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

        var style = "rounded,filled"
        if node.status == .planned { style += ",dashed" }
        if node.status == .retired { style += ",dotted" }
        let fill = node.focal ? Palette.focalFill
            : node.status == .retired ? "#f7f7f7"
            : node.outside ? Palette.outsideFill : Palette.fill(node.layer)
        let border = node.ungrounded ? Palette.ungrounded
            : node.inCycle ? Palette.cycle
            : node.outside || faded ? Palette.outsideBorder : Palette.border
        var penwidth = blastWidth(node.blast)
        if node.critical { penwidth = max(penwidth, 2.2) }
        if node.ungrounded || node.inCycle { penwidth = max(penwidth, 2) }
        if node.focal { penwidth = max(penwidth, 3) }
        var attributes: DOTAttributes = [
            ("id", .text(node.id)),
            ("label", .html(label)),
            ("tooltip", .text(node.tooltip)),
            ("fillcolor", .text(fill)),
            ("style", .text(style)),
            ("penwidth", .text(number(penwidth))),
        ]
        // Half a border lies inside the box: a thick one needs the room, or the first line touches it.
        if penwidth > 1 { attributes.append(("margin", .text(nodeMargin(penwidth: penwidth)))) }
        if border != Palette.border { attributes.append(("color", .text(border))) }
        if node.outside || faded { attributes.append(("fontcolor", .text(node.status == .retired ? Palette.faded : Palette.outsideText))) }
        if spof { attributes.append(("fontsize", "13")) }
        if node.focal { attributes.append(("peripheries", "2")) }
        if let sortv { attributes.append(("sortv", .text(String(sortv)))) }
        out.node(node.id, attributes)
    }

    /// `faint`: ordinary dependencies drawn light (a grid picture has many straight lines
    /// across it); the marked ones keep their colour.
    static func itemEdge<S: DOTSink>(_ edge: DrawGraph.Edge, graph: DrawGraph, layered: Bool, faint: Bool = false, into out: inout S) {
        let source = graph.nodes[edge.source], target = graph.nodes[edge.target]
        var attributes: DOTAttributes = [
            ("id", .text(source.id + "->" + target.id)),
            ("tooltip", .text(source.id + " → " + target.id + (edge.upward ? " (upward dependency)" : ""))),
        ]
        if edge.upward {
            attributes += [("color", .text(Palette.upward)), ("penwidth", "2.6"), ("arrowsize", "0.9")]
            if layered { attributes.append(("constraint", "false")) }
        } else if edge.inCycle {
            attributes += [("color", .text(Palette.cycle)), ("penwidth", "1.6")]
        } else if source.outside && target.outside {
            attributes.append(("color", faint ? "#b0b0b060" : "#b0b0b0"))
        } else if edge.crossOrganisation {
            attributes += [("color", .text(faint ? Palette.crossOrganisation + "90" : Palette.crossOrganisation)), ("penwidth", "1.1")]
        } else if faint {
            attributes.append(("color", .text(Palette.edge + "50")))
        }
        if target.status == .planned || target.status == .retired || source.status == .planned || source.status == .retired {
            attributes.append(("style", "dashed"))
        }
        out.edge(source.id, target.id, attributes)
    }

    // MARK: aggregates

    /// How large each node of an aggregate picture is drawn, 0…1: by its weight (organisations,
    /// items), but a node the others depend on — a national component, a capability only
    /// national components have — by what depends on it where that is more. Sized by its own
    /// few items, the hub the whole country leans on was the smallest node in the picture.
    static func scales(_ graph: DrawGraph) -> [Double] {
        let maxWeight = Double(max(1, graph.maxWeight))
        return graph.nodes.indices.map { k in
            let own = (Double(graph.nodes[k].weight) / maxWeight).squareRoot()
            guard graph.nodes[k].national || graph.nodes[k].outside, graph.kind != .county else { return own }
            // The organisations relying on it, on the scale of the others' weight (organisations
            // having a capability; an organisation's items), at most the largest node.
            return max(own, min(1, Double(graph.nodes[k].reliedOnBy) / maxWeight).squareRoot())
        }
    }

    static func writeCapabilities<S: DOTSink>(_ graph: DrawGraph, options: DOTOptions, into out: inout S) {
        let layers = graph.layersPresent
        let scaleOf = scales(graph)
        func node(_ k: Int) {
            let node = graph.nodes[k], scale = scaleOf[k]
            var label = wrap(node.name, width: 20).map(html).joined(separator: "<BR/>")
            if let detail = node.detail { label += "<BR/><FONT POINT-SIZE=\"\(number(8 + 4 * scale))\">\(html(detail))</FONT>" }
            out.node(node.id, [
                ("id", .text(node.id)), ("label", .html(label)), ("tooltip", .text(node.tooltip)),
                ("fillcolor", .text(node.outside ? Palette.outsideFill : Palette.fill(node.layer))),
                ("fontsize", .text(number(10 + 14 * scale))), ("penwidth", .text(number(0.8 + 3 * scale))),
                ("margin", .text("\(number(0.08 + 0.14 * scale)),\(number(0.04 + 0.08 * scale))")),
            ])
        }
        if options.layered {
            writeBandLabels(layers, options: options, into: &out)
            for layer in layers {
                // Largest first, folded into rows: edges inside a band do not rank its nodes
                // (a chain of capabilities would stack the band into a tower).
                let members = graph.nodes.indices.filter { graph.nodes[$0].layer == layer }
                    .sorted { graph.nodes[$0].weight > graph.nodes[$1].weight }
                for k in members { node(k) }
                let width = max(4, Int((Double(members.count) * 2.5).squareRoot().rounded(.up)))
                if members.count > width {
                    for j in width..<members.count {
                        out.edge(graph.nodes[members[j - width]].id, graph.nodes[members[j]].id, [("style", "invis"), ("weight", "2")])
                    }
                }
            }
            writeBandOrder(graph, layers: layers, flat: true, into: &out)
        } else {
            for k in graph.nodes.indices { node(k) }
        }
        writeWeightedEdges(graph, layered: options.layered, into: &out)
    }

    static func writeFlat<S: DOTSink>(_ graph: DrawGraph, options: DOTOptions, into out: inout S) {
        let scaleOf = scales(graph)
        for (k, node) in graph.nodes.enumerated() {
            let scale = scaleOf[k]
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
                fill = Palette.organisationType(node.national ? "national" : node.organisationType)
            }
            var label = wrap(node.name, width: 22).map(html).joined(separator: "<BR/>")
            if let detail = node.detail { label += "<BR/><FONT POINT-SIZE=\"9\">\(html(detail))</FONT>" }
            let fontsize = graph.kind == .county ? 13 : 9 + 12 * scale
            var attributes: DOTAttributes = [
                ("id", .text(node.id)), ("label", .html(label)), ("tooltip", .text(node.tooltip)),
                ("fillcolor", .text(fill)), ("fontcolor", .text(fontcolor)), ("fontsize", .text(number(fontsize))),
                ("penwidth", .text(number(0.8 + 2 * scale))),
            ]
            if node.outside { attributes += [("style", "rounded,filled,dashed"), ("color", .text(Palette.outsideBorder))] }
            out.node(node.id, attributes)
        }
        if graph.kind == .county && options.layered {
            // Counties in rows of seven (by county code), agencies and national components below.
            let counties = graph.nodes.indices.filter { !graph.nodes[$0].outside }
            let width = 7
            if counties.count > width {
                for j in width..<counties.count {
                    out.edge(graph.nodes[counties[j - width]].id, graph.nodes[counties[j]].id, [("style", "invis"), ("weight", "5")])
                }
            }
            // Each row in county-code order, left to right (dot orders a rank's nodes to cross
            // fewer edges otherwise, which scattered Stockholm among the others): flat edges
            // from one to the next.
            for start in stride(from: 0, to: counties.count, by: width) {
                let row = counties[start..<min(start + width, counties.count)]
                guard row.count > 1 else { continue }
                out.beginSubgraph(nil)
                out.attributes(.graph, [("rank", "same")])
                for (a, b) in zip(row, row.dropFirst()) { out.edge(graph.nodes[a].id, graph.nodes[b].id, [("style", "invis")]) }
                out.endSubgraph()
            }
            let bottom = graph.nodes.filter(\.outside).map(\.id)
            if !bottom.isEmpty {
                for k in counties.suffix(width) {
                    for b in bottom { out.edge(graph.nodes[k].id, b, [("style", "invis"), ("weight", "0")]) }
                }
                out.beginSubgraph(nil)
                out.attributes(.graph, [("rank", "same")])
                for b in bottom { out.node(b, []) }
                out.endSubgraph()
            }
        }
        writeWeightedEdges(graph, layered: options.layered, into: &out)
    }

    static func writeWeightedEdges<S: DOTSink>(_ graph: DrawGraph, layered: Bool, into out: inout S) {
        let maxEdge = max(1, graph.maxEdgeWeight)
        // Label the heaviest edges with their count; all have it as tooltip.
        let labelled = Set(graph.edges.indices.sorted { graph.edges[$0].weight > graph.edges[$1].weight }.prefix(24))
        for (k, edge) in graph.edges.enumerated() {
            let source = graph.nodes[edge.source], target = graph.nodes[edge.target]
            let scale = (Double(edge.weight) / Double(maxEdge)).squareRoot()
            var attributes: DOTAttributes = [
                ("id", .text(source.id + "->" + target.id)),
                ("tooltip", .text("\(source.name) → \(target.name): \(edge.weight) dependenc\(edge.weight == 1 ? "y" : "ies")")),
                ("penwidth", .text(number(0.4 + 6 * scale))),
                ("arrowsize", .text(number(0.4 + 0.6 * scale))),
                ("weight", .text(String(max(1, Int(10 * scale))))),
            ]
            let sameBand = source.layer != nil && source.layer == target.layer
            if layered && (edge.upward || sameBand) { attributes.append(("constraint", "false")) }
            if edge.upward {
                attributes.append(("color", .text("\(Palette.upward)c0")))
            } else {
                attributes.append(("color", .text("#333333\(scale > 0.5 ? "c0" : scale > 0.2 ? "90" : "50")")))
            }
            if labelled.contains(k) && graph.edges.count > 1 && layered {
                attributes.append(("label", .text(grouped(edge.weight))))
                attributes.append(("fontcolor", "#444444"))
            }
            out.edge(source.id, target.id, attributes)
        }
    }

    /// An item's border width: it grows with the services that depend on it, slowly (1 to 6).
    static func blastWidth(_ blast: Int) -> Double { 1 + min(5, 0.55 * log2(1 + Double(blast))) }

    // MARK: legend

    /// `undrawn`: dependencies the picture leaves out (a large grid), said instead of their lines.
    static func legend(_ graph: DrawGraph, undrawn: Int = 0) -> String {
        var rows: [[String]] = []
        func box(_ text: String, fill: String = "#ffffff", border: String = Palette.border, style: String = "rounded",
                 font: String? = nil, width: Int = 1) -> String {
            let content = font.map { "<FONT COLOR=\"\($0)\">\(html(text))</FONT>" } ?? html(text)
            return "<TD BORDER=\"\(width)\" STYLE=\"\(style)\" BGCOLOR=\"\(fill)\" COLOR=\"\(border)\">\(content)</TD>"
        }
        func line(_ text: String, color: String, bold: Bool = false, dashed: Bool = false) -> String {
            let arrow = bold ? "<B>━━▶</B>" : dashed ? "- - ▶" : "──▶"
            return "<TD><FONT COLOR=\"\(color)\">\(arrow)</FONT> \(html(text))</TD>"
        }
        switch graph.kind {
        case .items:
            // Every mark drawn is explained, and only those: a picture of the hard layer lists
            // no service box, one without cycles no cycle mark.
            let nodes = graph.nodes, edges = undrawn > 0 ? graph.edges.filter { $0.upward || $0.inCycle } : graph.edges
            let layers = Set(nodes.compactMap(\.layer))
            var first: [String] = []
            for (layer, text) in [(Layer.services, "service"), (.soft, "soft infrastructure"), (.hard, "hard infrastructure")] where layers.contains(layer) {
                first.append(box(text, fill: Palette.fill(layer)))
            }
            if nodes.contains(where: \.outside) {
                first.append(box("national / outside the focus", fill: Palette.outsideFill, border: Palette.outsideBorder, font: Palette.outsideText))
            }
            if nodes.contains(where: \.focal) { first.append(box("the item in focus", fill: Palette.focalFill, width: 3)) }
            if nodes.contains(where: \.critical) { first.append(box("★ critical (samhällsviktig)", width: 2)) }
            // The mark as this picture's largest blast radius shows it (marked from 3 on).
            if let most = nodes.map(\.blast).max(), most >= 3 {
                first.append(box("⚡ \(most) services depend on it (marked from 3) — border width = blast radius", border: Palette.border,
                                 style: "rounded", width: Int(blastWidth(most).rounded())))
            }
            rows.append(first)
            var second: [String] = []
            if nodes.contains(where: { $0.status == .planned }) { second.append(box("planned", style: "dashed")) }
            if nodes.contains(where: { $0.status == .retired }) { second.append(box("retired", fill: "#f7f7f7", style: "dotted", font: Palette.faded)) }
            if nodes.contains(where: \.ungrounded) { second.append(box("⚠ ungrounded", border: Palette.ungrounded)) }
            if nodes.contains(where: \.inCycle) { second.append(box("↻ dependency cycle", border: Palette.cycle)) }
            if undrawn > 0 {
                second.append("<TD>\(html("\(grouped(undrawn)) dependencies not drawn (too many lines for this grid): --focus ORG/ITEM or --engine dot draws them"))</TD>")
            }
            if !edges.isEmpty, undrawn == 0 { second.append(line("dependency", color: Palette.edge)) }
            if edges.contains(where: \.crossOrganisation) { second.append(line("dependency, across organisations", color: Palette.crossOrganisation)) }
            let resting = { (e: DrawGraph.Edge) in [e.source, e.target].contains { nodes[$0].status == .planned || nodes[$0].status == .retired } }
            if edges.contains(where: resting) { second.append(line("to or from a planned or retired item", color: Palette.edge, dashed: true)) }
            if edges.contains(where: \.upward) { second.append(line("upward dependency (a finding)", color: Palette.upward, bold: true)) }
            if !second.isEmpty { rows.append(second) }
        case .capability:
            var first = [box("service capability", fill: Palette.fill(.services)),
                         box("soft infrastructure", fill: Palette.fill(.soft)), box("hard infrastructure", fill: Palette.fill(.hard))]
            if graph.nodes.contains(where: \.outside) {
                first.append(box("only national components have it", fill: Palette.outsideFill, border: Palette.outsideBorder, style: "dashed"))
            }
            rows.append(first + ["<TD>node size: organisations with a running item of the capability (of one only national components have: the organisations relying on it)</TD>",
                                 "<TD>edge width and number: dependencies between items of the two capabilities</TD>",
                                 line("upward", color: Palette.upward, bold: true)])
        case .organisation:
            // The types drawn, in the order of the format's list.
            let drawn = Set(graph.nodes.filter { !$0.national }.compactMap(\.organisationType))
            let types = OrganisationType.allCases.map(\.rawValue).filter(drawn.contains).map {
                box($0, fill: Palette.organisationType($0))
            }
            rows.append(types + [box("national component", fill: Palette.outsideFill, border: Palette.outsideBorder, style: "dashed"),
                                 "<TD>node size: items (a national component's: the organisations relying on it) · edge width: dependencies between the organisations</TD>"])
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

    /// Graphviz reads text attributes as escString (`\\` is one backslash, `\G` the graph's
    /// name …) and a tooltip twice over: its backslashes are doubled once more here, so that
    /// `C:\Gemensam` shows as written, not as "C:" and the graph's name.
    public static func textForAttribute(_ name: String, _ t: String) -> String {
        name.hasSuffix("tooltip") && t.utf8.contains(0x5C) ? t.replacingOccurrences(of: "\\", with: "\\\\") : t
    }

    /// A title as the graph's name (the SVG's `<title>`). Unlike a label's, a name's backslashes
    /// are read as written, so only what the DOT text cannot hold changes: control characters
    /// become spaces, and a space follows a final backslash (which would escape the closing `"`).
    public static func graphName(_ title: String) -> String {
        var name = String(String.UnicodeScalarView(title.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F ? " " : $0
        }))
        if name.hasSuffix("\\") { name += " " }
        return name
    }

    /// `s` as a DOT double-quoted string: `"` and `\` escaped, line breaks as `\n`.
    public static func quote(_ s: String) -> String { "\"" + escString(s, quoted: true) + "\"" }

    /// `s` as Graphviz should hold it in an escString attribute (a label, a tooltip, an id):
    /// `\` doubled, line breaks as `\n`, other control characters as spaces (they are not
    /// allowed in the SVG's XML); with `quoted`, `"` escaped too, for DOT text.
    public static func escString(_ s: String, quoted: Bool = false) -> String {
        // Almost every id and tooltip needs no escaping: copy it whole.
        if !s.utf8.contains(where: { ($0 == 0x22 && quoted) || $0 == 0x5C || $0 < 0x20 || $0 == 0x7F }) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"" where quoted: out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": break
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Text for an HTML-like label (Graphviz parses it as XML).
    public static func html(_ s: String) -> String { XML.graphvizLabel(s) }

    /// Breaks a name into lines of about `width` characters at spaces.
    static func wrap(_ text: String, width: Int) -> [String] {
        if text.unicodeScalars.count <= width && !text.contains("  ") && text.first != " " && text.last != " " { return [text] }
        var lines: [String] = []
        var current = ""
        var currentLength = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let length = word.unicodeScalars.count
            if currentLength > 0 && currentLength + 1 + length > width {
                lines.append(current)
                current = String(word)
                currentLength = length
            } else {
                current += currentLength == 0 ? String(word) : " " + word
                currentLength += currentLength == 0 ? length : 1 + length
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// A band's title in the layered picture's column of titles, on two lines ("Soft
    /// infrastructure", "(mjuk infrastruktur)") aligned left: on one line, centred, the
    /// column took up to half the width of a small picture.
    static func bandTitleLines(_ layer: Layer) -> String {
        let title = layer.title
        guard let open = title.range(of: " (") else { return html(title) + "<BR ALIGN=\"LEFT\"/>" }
        return html(String(title[..<open.lowerBound])) + "<BR ALIGN=\"LEFT\"/>"
            + html(String(title[title.index(after: open.lowerBound)...])) + "<BR ALIGN=\"LEFT\"/>"
    }

    /// The bold face of the picture's font. Titles are set in it rather than with `<B>`, which
    /// Graphviz measured in the regular face, so bold titles ran over their boxes' borders.
    static func bold(_ options: DOTOptions) -> String { options.fontname + " Bold" }

    /// A node's margin in inches (horizontal, vertical), with room for the half of its border
    /// that lies inside the box.
    static func nodeMargin(penwidth: Double) -> String {
        "\(number(0.10 + penwidth / 144)),\(number(0.05 + penwidth / 144))"
    }

    static func number(_ d: Double) -> String {
        let rounded = (d * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
