import InfraModel
import InfraReport

/// Node-link JSON as D3 and networkx (`node_link_graph`) read it. Indented for people up
/// to `prettyLimit` nodes; compact beyond (a country is 250,000 nodes).
public enum NodeLinkJSON {
    public static let prettyLimit = 5_000

    public static func write(_ graph: DrawGraph) -> String {
        var out: [UInt8] = []
        write(graph) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The document handed to `sink` in pieces, nodes and links made and written in
    /// parallel batches (a country's graph is ~180 MB).
    public static func write<E: Error>(_ graph: DrawGraph, to sink: ([UInt8]) throws(E) -> Void) throws(E) {
        try JSONWriter.stream([
            ("directed", .value(true)),
            ("multigraph", .value(false)),
            ("graph", .value(.object([("kind", .string(graph.kind.rawValue)), ("title", .string(graph.title))]))),
            ("nodes", .elements(count: graph.nodes.count, batch: 16_384, make: { node(graph, $0) })),
            ("links", .elements(count: graph.edges.count, batch: 16_384, make: { link(graph, $0) })),
        ], pretty: graph.nodes.count <= prettyLimit, to: sink)
    }

    static func node(_ graph: DrawGraph, _ k: Int) -> JSONValue {
        let n = graph.nodes[k]
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

    static func link(_ graph: DrawGraph, _ k: Int) -> JSONValue {
        let e = graph.edges[k]
        return .object([
            ("source", .string(graph.nodes[e.source].id)),
            ("target", .string(graph.nodes[e.target].id)),
            ("weight", .int(e.weight)),
            ("upward", .bool(e.upward)),
            ("cross_organisation", .bool(e.crossOrganisation)),
            ("in_cycle", .bool(e.inCycle)),
        ])
    }
}

/// GraphML for Gephi and yEd: every attribute declared with a `<key>`.
public enum GraphMLWriter {
    public static func write(_ graph: DrawGraph) -> String {
        var out: [UInt8] = []
        write(graph) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The document handed to `sink` in pieces, nodes and edges written in parallel
    /// batches (a country's graph is ~400 MB of GraphML).
    public static func write<E: Error>(_ graph: DrawGraph, to sink: ([UInt8]) throws(E) -> Void) throws(E) {
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
        try sink(Array(out.utf8))
        try inBatches(graph.nodes.count, to: sink) { k, out in node(graph, k, into: &out) }
        try inBatches(graph.edges.count, to: sink) { k, out in edge(graph, k, into: &out) }
        try sink(Array("  </graph>\n</graphml>\n".utf8))
    }

    /// Elements 0..<count written by `element`, a batch at a time, each batch over the cores.
    static func inBatches<E: Error>(_ count: Int, to sink: ([UInt8]) throws(E) -> Void,
                                    _ element: @escaping @Sendable (Int, inout [UInt8]) -> Void) throws(E) {
        try inParallelBatches(count, batch: 16_384, minimumChunk: 1024, { indices -> [UInt8] in
            var bytes: [UInt8] = []
            for k in indices { element(k, &bytes) }
            return bytes
        }, emit: sink)
    }

    static func node(_ graph: DrawGraph, _ k: Int, into out: inout [UInt8]) {
        let n = graph.nodes[k]
        out.append(contentsOf: "    <node id=\"\(attribute(n.id))\">\n".utf8)
        func data(_ key: String, _ value: String?) {
            if let value { out.append(contentsOf: "      <data key=\"n_\(key)\">\(text(value))</data>\n".utf8) }
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
        out.append(contentsOf: "    </node>\n".utf8)
    }

    static func edge(_ graph: DrawGraph, _ k: Int, into out: inout [UInt8]) {
        let e = graph.edges[k]
        out.append(contentsOf: ("    <edge id=\"e\(k)\" source=\"\(attribute(graph.nodes[e.source].id))\" "
            + "target=\"\(attribute(graph.nodes[e.target].id))\">\n").utf8)
        out.append(contentsOf: "      <data key=\"e_weight\">\(e.weight)</data>\n".utf8)
        out.append(contentsOf: "      <data key=\"e_upward\">\(e.upward)</data>\n".utf8)
        out.append(contentsOf: "      <data key=\"e_cross_organisation\">\(e.crossOrganisation)</data>\n".utf8)
        out.append(contentsOf: "      <data key=\"e_in_cycle\">\(e.inCycle)</data>\n".utf8)
        out.append(contentsOf: "    </edge>\n".utf8)
    }

    // XML escaping is InfraReport's (JUnit and SARIF use the same).
    static func text(_ s: String) -> String { XML.text(s) }
    static func attribute(_ s: String) -> String { XML.attribute(s) }
}
