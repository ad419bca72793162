import InfraModel
import InfraReport

/// Node-link JSON as D3 and networkx (`node_link_graph`) read it. Indented for people up
/// to `prettyLimit` nodes; compact beyond (a country is 250,000 nodes).
public enum NodeLinkJSON {
    public static let prettyLimit = 5_000

    public static func write(_ graph: DrawGraph) -> String {
        let nodes: [JSONValue] = graph.nodes.map { n in
            var fields: [(String, JSONValue)] = [
                ("id", .string(n.id)),
                ("name", .string(n.name)),
                ("layer", .string(n.layer?.rawValue)),
            ]
            if graph.kind == .items {
                fields += [
                    ("organisation", .string(n.organisation)),
                    ("capability", .string(n.capability)),
                    ("status", .string(n.status.rawValue)),
                    ("critical", .bool(n.critical)),
                    ("national", .bool(n.group >= 0 && graph.groups[n.group].national)),
                    ("in_focus", .bool(!n.outside)),
                    ("ungrounded", .bool(n.ungrounded)),
                    ("in_cycle", .bool(n.inCycle)),
                    ("blast_radius", .int(n.blast)),
                    ("blast_radius_critical", .int(n.blastCritical)),
                ]
                if n.focal { fields.append(("focus", .bool(true))) }
            } else {
                fields += [
                    ("organisation", .string(n.organisation)),
                    ("capability", .string(graph.kind == .capability ? n.capability : nil)),
                    ("weight", .int(n.weight)),
                    ("detail", .string(n.detail)),
                ]
                if let share = n.share { fields.append(("coverage", .double((share * 1000).rounded() / 1000))) }
            }
            return .object(fields)
        }
        let links: [JSONValue] = graph.edges.map { e in
            .object([
                ("source", .string(graph.nodes[e.source].id)),
                ("target", .string(graph.nodes[e.target].id)),
                ("weight", .int(e.weight)),
                ("upward", .bool(e.upward)),
                ("cross_organisation", .bool(e.crossOrganisation)),
                ("in_cycle", .bool(e.inCycle)),
            ])
        }
        return JSONWriter.write(.object([
            ("directed", true),
            ("multigraph", false),
            ("graph", .object([("kind", .string(graph.kind.rawValue)), ("title", .string(graph.title))])),
            ("nodes", .array(nodes)),
            ("links", .array(links)),
        ]), pretty: graph.nodes.count <= prettyLimit) + "\n"
    }
}

/// GraphML for Gephi and yEd: every attribute declared with a `<key>`.
public enum GraphMLWriter {
    public static func write(_ graph: DrawGraph) -> String {
        let nodeKeys: [(id: String, type: String)] = [
            ("name", "string"), ("layer", "string"), ("organisation", "string"), ("capability", "string"),
            ("status", "string"), ("critical", "boolean"), ("in_focus", "boolean"), ("ungrounded", "boolean"),
            ("in_cycle", "boolean"), ("blast_radius", "int"), ("weight", "int"), ("detail", "string"), ("coverage", "double"),
        ]
        let edgeKeys: [(id: String, type: String)] = [
            ("weight", "int"), ("upward", "boolean"), ("cross_organisation", "boolean"), ("in_cycle", "boolean"),
        ]
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            + "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
        for key in nodeKeys {
            out += "  <key id=\"n_\(key.id)\" for=\"node\" attr.name=\"\(key.id)\" attr.type=\"\(key.type)\"/>\n"
        }
        for key in edgeKeys {
            out += "  <key id=\"e_\(key.id)\" for=\"edge\" attr.name=\"\(key.id)\" attr.type=\"\(key.type)\"/>\n"
        }
        out += "  <graph id=\"\(attribute(graph.kind.rawValue))\" edgedefault=\"directed\">\n"
        out += "    <desc>\(text(graph.title))</desc>\n"
        for n in graph.nodes {
            out += "    <node id=\"\(attribute(n.id))\">\n"
            func data(_ key: String, _ value: String?) {
                if let value { out += "      <data key=\"n_\(key)\">\(text(value))</data>\n" }
            }
            data("name", n.name)
            data("layer", n.layer?.rawValue)
            data("organisation", n.organisation)
            data("capability", n.capability)
            if graph.kind == .items {
                data("status", n.status.rawValue)
                data("critical", String(n.critical))
                data("in_focus", String(!n.outside))
                data("ungrounded", String(n.ungrounded))
                data("in_cycle", String(n.inCycle))
                data("blast_radius", String(n.blast))
            } else {
                data("weight", String(n.weight))
                data("detail", n.detail)
                data("coverage", n.share.map { String($0) })
            }
            out += "    </node>\n"
        }
        for (k, e) in graph.edges.enumerated() {
            out += "    <edge id=\"e\(k)\" source=\"\(attribute(graph.nodes[e.source].id))\" "
                + "target=\"\(attribute(graph.nodes[e.target].id))\">\n"
            out += "      <data key=\"e_weight\">\(e.weight)</data>\n"
            out += "      <data key=\"e_upward\">\(e.upward)</data>\n"
            out += "      <data key=\"e_cross_organisation\">\(e.crossOrganisation)</data>\n"
            out += "      <data key=\"e_in_cycle\">\(e.inCycle)</data>\n"
            out += "    </edge>\n"
        }
        out += "  </graph>\n</graphml>\n"
        return out
    }

    // XML escaping is InfraReport's (JUnit and SARIF use the same).
    static func text(_ s: String) -> String { XML.text(s) }
    static func attribute(_ s: String) -> String { XML.attribute(s) }
}
