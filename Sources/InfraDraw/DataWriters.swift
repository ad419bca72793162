import InfraModel
import InfraReport

/// The attributes the data formats (node-link JSON and GraphML) write for every node and
/// edge: one list per graph (by its kind; `focus` in a `--focus` view), read by both
/// writers, so the two carry the same attributes under the same names with the same values.
/// (`id`, and an edge's `source` and `target`, are the formats' own structure: keys in JSON,
/// XML attributes in GraphML.)
public enum DataAttributes {
    public typealias NodeAttribute = DataAttribute<DrawGraph.Node>
    public typealias EdgeAttribute = DataAttribute<DrawGraph.Edge>

    public static func nodes(of graph: DrawGraph) -> [NodeAttribute] {
        let kind = graph.kind
        let common: [NodeAttribute] = [
            .string("name") { $0.name },
            .string("layer") { $0.layer?.rawValue },
            .string("organisation") { $0.organisation },
        ]
        switch kind {
        case .items:
            var list = common + [
                .string("capability") { $0.capability },
                .string("status") { $0.status.rawValue },
                .bool("critical") { $0.critical },
                .bool("national") { $0.national },
                .bool("in_focus") { !$0.outside },
                .bool("ungrounded") { $0.ungrounded },
                .bool("in_cycle") { $0.inCycle },
                .int("blast_radius") { $0.blast },
                .int("blast_radius_critical") { $0.blastCritical },
            ]
            if graph.nodes.contains(where: \.focal) {
                // On the item `--focus` names only.
                list.append(NodeAttribute(name: "focus", type: .boolean, omittedWhenNil: true, graphMLDefault: "false") {
                    $0.focal ? .bool(true) : nil
                })
            }
            return list
        case .capability, .organisation, .county:
            var list = common
            if kind == .organisation { list.append(.string("organisation_type") { $0.organisationType }) }
            list += [
                .string("capability") { $0.capability },
                .bool("national") { $0.national },
                .int("weight") { $0.weight },
                .string("detail") { $0.detail },
            ]
            if kind != .county {
                // A national node is drawn by the organisations relying on it where that is more
                // than its weight: the data says so too.
                list.append(NodeAttribute(name: "relied_on_by", type: .int, omittedWhenNil: true, graphMLDefault: "0") { node in
                    node.reliedOnBy > 0 ? .int(node.reliedOnBy) : nil
                })
            }
            if kind == .county {
                // Not on the nodes for state agencies and national components.
                list.append(NodeAttribute(name: "coverage", type: .double, omittedWhenNil: true) { node in
                    node.share.map { .double(($0 * 1000).rounded() / 1000) }
                })
            }
            return list
        }
    }

    public static let edges: [EdgeAttribute] = [
        .int("weight") { $0.weight },
        .bool("upward") { $0.upward },
        .bool("cross_organisation") { $0.crossOrganisation },
        .bool("in_cycle") { $0.inCycle },
    ]
}

/// One attribute of the nodes (or edges) in the data formats.
public struct DataAttribute<Element>: Sendable {
    /// GraphML's `attr.type`; in JSON a boolean, a number or a string.
    public enum ValueType: String, Sendable { case boolean, int, double, string }

    public enum Value: Sendable {
        case bool(Bool), int(Int), double(Double), string(String)

        var json: JSONValue {
            switch self {
            case let .bool(b): .bool(b)
            case let .int(i): .int(i)
            case let .double(d): .double(d)
            case let .string(s): .string(s)
            }
        }

        /// GraphML's `<data>` text, unescaped; numbers as JSON writes them.
        var text: String {
            switch self {
            case let .bool(b): String(b)
            case let .int(i): String(i)
            case let .double(d): JSONWriter.format(d)
            case let .string(s): s
            }
        }
    }

    public let name: String
    public let type: ValueType
    /// Where the value is nil JSON leaves the key out instead of writing `null`. (GraphML
    /// writes no `<data>` for a nil value either way.)
    public var omittedWhenNil = false
    /// GraphML's `<default>` for the key: the value of a node without `<data>` for it.
    public var graphMLDefault: String?
    public let value: @Sendable (Element) -> Value?

    static func string(_ name: String, _ value: @escaping @Sendable (Element) -> String?) -> Self {
        Self(name: name, type: .string) { value($0).map(Value.string) }
    }

    static func bool(_ name: String, _ value: @escaping @Sendable (Element) -> Bool) -> Self {
        Self(name: name, type: .boolean) { .bool(value($0)) }
    }

    static func int(_ name: String, _ value: @escaping @Sendable (Element) -> Int) -> Self {
        Self(name: name, type: .int) { .int(value($0)) }
    }
}

extension DataAttribute {
    /// The element's attributes as JSON members: nil as `null`, or left out if `omittedWhenNil`.
    static func jsonMembers(_ attributes: [Self], of element: Element) -> [(String, JSONValue)] {
        attributes.compactMap { attribute in
            if let value = attribute.value(element) { return (attribute.name, value.json) }
            return attribute.omittedWhenNil ? nil : (attribute.name, .null)
        }
    }
}

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
        let nodeAttributes = DataAttributes.nodes(of: graph)
        try JSONWriter.stream([
            ("directed", .value(true)),
            ("multigraph", .value(false)),
            ("graph", .value(.object([("kind", .string(graph.kind.rawValue)), ("title", .string(graph.title))]))),
            ("nodes", .elements(count: graph.nodes.count, batch: 16_384, make: { node(graph, $0, nodeAttributes) })),
            ("links", .elements(count: graph.edges.count, batch: 16_384, make: { link(graph, $0) })),
        ], pretty: graph.nodes.count <= prettyLimit, to: sink)
    }

    static func node(_ graph: DrawGraph, _ k: Int, _ attributes: [DataAttributes.NodeAttribute]) -> JSONValue {
        let n = graph.nodes[k]
        return .object([("id", .string(n.id))] + DataAttribute.jsonMembers(attributes, of: n))
    }

    static func link(_ graph: DrawGraph, _ k: Int) -> JSONValue {
        let e = graph.edges[k]
        return .object([("source", .string(graph.nodes[e.source].id)), ("target", .string(graph.nodes[e.target].id))]
            + DataAttribute.jsonMembers(DataAttributes.edges, of: e))
    }
}

/// GraphML for Gephi and yEd: the attributes of node-link JSON, each declared with a `<key>`
/// (`n_NAME` for nodes, `e_NAME` for edges) of its type.
public enum GraphMLWriter {
    public static func write(_ graph: DrawGraph) -> String {
        var out: [UInt8] = []
        write(graph) { out.append(contentsOf: $0) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The document handed to `sink` in pieces, nodes and edges written in parallel
    /// batches (a country's graph is ~400 MB of GraphML).
    public static func write<E: Error>(_ graph: DrawGraph, to sink: ([UInt8]) throws(E) -> Void) throws(E) {
        let nodeAttributes = DataAttributes.nodes(of: graph)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            + "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
        func declare<Element>(_ attributes: [DataAttribute<Element>], for domain: String, prefix: String) {
            for a in attributes {
                out += "  <key id=\"\(prefix)\(a.name)\" for=\"\(domain)\" attr.name=\"\(a.name)\" attr.type=\"\(a.type.rawValue)\""
                if let fallback = a.graphMLDefault {
                    out += ">\n    <default>\(text(fallback))</default>\n  </key>\n"
                } else {
                    out += "/>\n"
                }
            }
        }
        declare(nodeAttributes, for: "node", prefix: "n_")
        declare(DataAttributes.edges, for: "edge", prefix: "e_")
        out += "  <graph id=\"\(attribute(graph.kind.rawValue))\" edgedefault=\"directed\">\n"
        out += "    <desc>\(text(graph.title))</desc>\n"
        try sink(Array(out.utf8))
        try inBatches(graph.nodes.count, to: sink) { k, out in
            let n = graph.nodes[k]
            out.append(contentsOf: "    <node id=\"\(attribute(n.id))\">\n".utf8)
            data(nodeAttributes, of: n, prefix: "n_", into: &out)
            out.append(contentsOf: "    </node>\n".utf8)
        }
        try inBatches(graph.edges.count, to: sink) { k, out in
            let e = graph.edges[k]
            out.append(contentsOf: ("    <edge id=\"e\(k)\" source=\"\(attribute(graph.nodes[e.source].id))\" "
                + "target=\"\(attribute(graph.nodes[e.target].id))\">\n").utf8)
            data(DataAttributes.edges, of: e, prefix: "e_", into: &out)
            out.append(contentsOf: "    </edge>\n".utf8)
        }
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

    /// A `<data>` per attribute with a value (none for nil).
    static func data<Element>(_ attributes: [DataAttribute<Element>], of element: Element, prefix: String,
                              into out: inout [UInt8]) {
        for a in attributes {
            if let value = a.value(element) {
                out.append(contentsOf: "      <data key=\"\(prefix)\(a.name)\">\(text(value.text))</data>\n".utf8)
            }
        }
    }

    // XML escaping is InfraReport's (JUnit and SARIF use the same).
    static func text(_ s: String) -> String { XML.text(s) }
    static func attribute(_ s: String) -> String { XML.attribute(s) }
}
