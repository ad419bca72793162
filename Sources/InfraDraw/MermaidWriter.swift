import InfraModel

/// Writes a `DrawGraph` as a Mermaid flowchart (GitHub renders it in Markdown).
///
/// Node ids are `n0`, `n1` … (Mermaid ids must be plain words and not keywords such as
/// `end`; a comment above each node keeps its `org/item`). Labels are quoted, with `"`, `#`,
/// `<`, `>`, `&` and backquotes written as Mermaid entity codes (`#quot;`, `#35;` …), and the
/// `d` of the word `direction` too (see `escape`). The layers are three subgraphs, each
/// holding one subgraph per organisation.
public enum MermaidWriter {
    /// Mermaid refuses diagrams with more links than this, the invisible ones included
    /// (its `maxEdges`, which a diagram cannot raise; GitHub keeps the default).
    public static let maxEdges = 500

    /// The links `write` writes for `graph`: its edges and the invisible links stacking the layers.
    public static func linkCount(_ graph: DrawGraph) -> Int {
        graph.edges.count + max(0, graph.layersPresent.count - 1)
    }

    public static func write(_ graph: DrawGraph) -> String {
        var out = "%% infra graph: \(comment(graph.title))\n"
        out += "flowchart TB\n"
        func node(_ k: Int, indent: String) -> String {
            let n = graph.nodes[k]
            var label = escape(n.name)
            if n.critical { label = "★ " + label }
            var marks: [String] = []
            if n.status != .active { marks.append(n.status.rawValue) }
            if n.ungrounded { marks.append("⚠ ungrounded") }
            if n.inCycle { marks.append("↻ cycle") }
            if graph.kind == .items && n.blast >= 3 { marks.append("⚡ \(n.blast) services") }
            if let detail = n.detail { marks.append(detail) }
            if !marks.isEmpty { label += "<br/>" + marks.map(escape).joined(separator: " · ") }
            return "\(indent)%% n\(k) = \(comment(n.id))\n\(indent)n\(k)[\"\(label)\"]\n"
        }

        let layers = graph.layersPresent
        if !layers.isEmpty {
            for layer in layers {
                out += "  subgraph L_\(layer.rawValue)[\"\(escape(layer.title))\"]\n"
                out += "    direction TB\n"
                var byGroup: [Int: [Int]] = [:]
                for (k, n) in graph.nodes.enumerated() where n.layer == layer { byGroup[n.group, default: []].append(k) }
                for g in byGroup.keys.sorted(by: { DOTWriter.groupOrder(graph, $0) < DOTWriter.groupOrder(graph, $1) }) {
                    if g >= 0 {
                        let group = graph.groups[g]
                        let name = group.national ? "\(group.name) (national)" : group.name
                        out += "    subgraph G_\(layer.rawValue)_\(g)[\"\(escape(name))\"]\n"
                        for k in byGroup[g]! { out += node(k, indent: "      ") }
                        out += "    end\n"
                    } else {
                        for k in byGroup[g]! { out += node(k, indent: "    ") }
                    }
                }
                out += "  end\n"
            }
            for k in graph.nodes.indices where graph.nodes[k].layer == nil { out += node(k, indent: "  ") }
        } else {
            for k in graph.nodes.indices { out += node(k, indent: "  ") }
        }

        // Links, counted in order for linkStyle (invisible band links first).
        var linkIndex = 0
        var upward: [Int] = [], cross: [Int] = [], cycle: [Int] = []
        if layers.count > 1 {
            out += "  " + layers.map { "L_\($0.rawValue)" }.joined(separator: " ~~~ ") + "\n"
            linkIndex += layers.count - 1
        }
        let weighted = graph.kind != .items
        for e in graph.edges {
            let arrow = weighted ? "-->|\(e.weight)|" : "-->"
            out += "  n\(e.source) \(arrow) n\(e.target)\n"
            if e.upward { upward.append(linkIndex) } else if e.inCycle { cycle.append(linkIndex) }
            else if e.crossOrganisation && graph.kind == .items { cross.append(linkIndex) }
            linkIndex += 1
        }

        out += "  classDef services fill:\(Palette.fill(.services)),stroke:#4d4d4d,color:#111\n"
        out += "  classDef soft fill:\(Palette.fill(.soft)),stroke:#4d4d4d,color:#111\n"
        out += "  classDef hard fill:\(Palette.fill(.hard)),stroke:#4d4d4d,color:#111\n"
        out += "  classDef outside fill:\(Palette.outsideFill),stroke:\(Palette.outsideBorder),color:\(Palette.outsideText),stroke-dasharray:4 3\n"
        out += "  classDef planned stroke-dasharray:6 4\n"
        out += "  classDef retired fill:#f7f7f7,color:\(Palette.faded),stroke-dasharray:2 2\n"
        out += "  classDef flagged stroke:\(Palette.ungrounded),stroke-width:3px\n"
        out += "  classDef critical stroke-width:3px\n"
        func classLine(_ name: String, _ members: [Int]) {
            // Long class lists are split so no line grows without bound.
            var start = 0
            while start < members.count {
                let chunk = members[start..<min(members.count, start + 200)]
                out += "  class " + chunk.map { "n\($0)" }.joined(separator: ",") + " \(name)\n"
                start += 200
            }
        }
        let nodes = graph.nodes.indices
        for layer in Layer.allCases {
            classLine(layer.rawValue, nodes.filter { graph.nodes[$0].layer == layer && !graph.nodes[$0].outside })
        }
        classLine("outside", nodes.filter { graph.nodes[$0].outside })
        classLine("planned", nodes.filter { graph.nodes[$0].status == .planned })
        classLine("retired", nodes.filter { graph.nodes[$0].status == .retired })
        classLine("critical", nodes.filter { graph.nodes[$0].critical })
        classLine("flagged", nodes.filter { graph.nodes[$0].ungrounded || graph.nodes[$0].inCycle })
        if layers.count > 1 { out += "  linkStyle " + (0..<(layers.count - 1)).map(String.init).joined(separator: ",") + " stroke-width:0\n" }
        for (list, style) in [(upward, "stroke:\(Palette.upward),stroke-width:3px"),
                              (cycle, "stroke:\(Palette.cycle),stroke-width:2px"),
                              (cross, "stroke:\(Palette.crossOrganisation)")] where !list.isEmpty {
            out += "  linkStyle " + list.map(String.init).joined(separator: ",") + " " + style + "\n"
        }
        return out
    }

    /// A label for inside `"…"`: Mermaid's entity codes for the characters that end or
    /// confuse a label. Everything else (å, ä, ö …) stays as it is.
    ///
    /// Mermaid's flowchart lexer (flow.jison) ends a quoted label only at `"`, starts a
    /// Markdown string at `` "` ``, and reads `#…;` as an entity code; so `"`, `` ` `` and `#`
    /// are written as codes, and `<`, `>`, `&` too (the label is HTML). One more trap: before
    /// anything else on a line, the lexer takes `direction` followed by TB, BT, LR or RL
    /// anywhere in the line as a direction statement, which silently drops a node or breaks
    /// a subgraph title; the word's first letter is therefore written as a code as well.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var scalars = Array(s.unicodeScalars)[...]
        while let scalar = scalars.first {
            if scalar == "d" || scalar == "D", scalars.count >= 9, Self.word(scalars.prefix(9)).lowercased() == "direction" {
                out += "#\(scalar.value);"
                scalars = scalars.dropFirst()
                continue
            }
            scalars = scalars.dropFirst()
            switch scalar {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "&": out += "#amp;"
            case "`": out += "#96;"
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    static func word(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// Text for a `%%` comment: one line.
    static func comment(_ s: String) -> String {
        String(s.unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : Character($0) })
    }
}
