import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import InfraDraw
import Testing

/// Node-link JSON and GraphML carry the same attributes: parsed back, every view has the same
/// node and edge attribute names, and every node and edge the same values.
@Suite("JSON and GraphML: the same attributes")
struct DataFormatTests {
    /// The item views and every `--aggregate`.
    static let views = ["none", "focus", "capability", "org", "county"]

    static func graph(_ view: String) throws -> DrawGraph {
        let catalog = Fixture.catalog()
        let all = try Selection().pick(from: catalog)
        switch view {
        case "none": return try Fixture.itemGraph()
        case "focus": return try Fixture.itemGraph(Selection(focus: "inera/siths", depth: 1))
        case "capability": return AggregateView.capability(all.items, catalog: catalog, vocabulary: Fixture.vocabulary, title: "t")
        case "org": return AggregateView.organisation(all.items, catalog: catalog, title: "t")
        default: return AggregateView.county(all.items, catalog: catalog, sweden: Fixture.sweden, title: "t")
        }
    }

    /// The JSON's nodes and links, each as its keys and values (`null` as NSNull).
    struct JSONData {
        var nodes: [[String: Any]]
        var links: [[String: Any]]

        init(_ graph: DrawGraph) throws {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(NodeLinkJSON.write(graph).utf8)) as? [String: Any])
            nodes = try #require(object["nodes"] as? [[String: Any]])
            links = try #require(object["links"] as? [[String: Any]])
        }
    }

    /// The GraphML's declared keys and its nodes' and edges' `<data>`, by attribute name.
    struct GraphMLData {
        struct Key { var name: String; var type: String; var fallback: String? }
        /// Key id → key, for nodes and for edges.
        var nodeKeys: [String: Key] = [:]
        var edgeKeys: [String: Key] = [:]
        /// Per node: its id and its data (attribute name → text).
        var nodes: [(id: String, data: [String: String])] = []
        /// Per edge: source, target and its data.
        var edges: [(source: String, target: String, data: [String: String])] = []

        init(_ graph: DrawGraph) throws {
            let document = try XMLDocument(data: Data(GraphMLWriter.write(graph).utf8))
            let root = try #require(document.rootElement())
            for key in root.elements(forName: "key") {
                let id = try #require(attr(key, "id")), name = try #require(attr(key, "attr.name"))
                let type = try #require(attr(key, "attr.type"))
                let entry = Key(name: name, type: type, fallback: key.elements(forName: "default").first?.stringValue)
                switch attr(key, "for") {
                case "node": nodeKeys[id] = entry
                case "edge": edgeKeys[id] = entry
                default: Issue.record("key \(id) is for neither nodes nor edges")
                }
            }
            func data(_ element: XMLElement, _ keys: [String: Key]) throws -> [String: String] {
                var values: [String: String] = [:]
                for d in element.elements(forName: "data") {
                    let key = try #require(keys[attr(d, "key") ?? ""], "undeclared key \(attr(d, "key") ?? "")")
                    #expect(values[key.name] == nil, "two values of \(key.name)")
                    values[key.name] = d.stringValue ?? ""
                }
                return values
            }
            let g = try #require(root.elements(forName: "graph").first)
            for node in g.elements(forName: "node") {
                nodes.append((try #require(attr(node, "id")), try data(node, nodeKeys)))
            }
            for edge in g.elements(forName: "edge") {
                edges.append((try #require(attr(edge, "source")), try #require(attr(edge, "target")), try data(edge, edgeKeys)))
            }
        }
    }

    /// A GraphML text of `type` holds the value JSON has.
    static func same(_ json: Any, _ text: String, type: String) -> Bool {
        switch type {
        case "boolean": (text == "true" || text == "false") && (json as? Bool) == (text == "true") && !(json is String)
        case "int": Int(text) != nil && (json as? Int) == Int(text)
        case "double": Double(text) != nil && (json as? Double) == Double(text)
        case "string": (json as? String) == text
        default: false
        }
    }

    /// The JSON object's keys with a value (not null).
    static func valued(_ object: [String: Any]) -> [String: Any] { object.filter { !($0.value is NSNull) } }

    @Test("every view: GraphML declares exactly JSON's node and link keys, typed, and every node and edge has the same values",
          arguments: views)
    func sameAttributes(_ view: String) throws {
        let graph = try Self.graph(view)
        let json = try JSONData(graph), graphml = try GraphMLData(graph)

        // Names: the declared keys are JSON's keys, less the formats' own structure (id; source, target).
        let nodeKeys = graphml.nodeKeys.values, edgeKeys = graphml.edgeKeys.values
        #expect(Set(nodeKeys.map(\.name)).union(["id"]) == Set(json.nodes.flatMap(\.keys)))
        #expect(Set(edgeKeys.map(\.name)).union(["source", "target"]) == Set(json.links.flatMap(\.keys)))
        #expect(nodeKeys.count == Set(nodeKeys.map(\.name)).count && edgeKeys.count == Set(edgeKeys.map(\.name)).count)
        for (id, key) in graphml.nodeKeys { #expect(id == "n_" + key.name) }
        for (id, key) in graphml.edgeKeys { #expect(id == "e_" + key.name) }
        for key in Array(nodeKeys) + Array(edgeKeys) {
            #expect(["boolean", "int", "double", "string"].contains(key.type), "\(key.name): \(key.type)")
        }
        let nodeType = Dictionary(uniqueKeysWithValues: nodeKeys.map { ($0.name, $0.type) })
        let edgeType = Dictionary(uniqueKeysWithValues: edgeKeys.map { ($0.name, $0.type) })

        // Values, node by node: GraphML has a <data> where JSON has a value that is not null,
        // the same value, of the key's type. (Where GraphML's key has a default, `focus`, JSON
        // leaves the key out.)
        #expect(graphml.nodes.count == json.nodes.count && json.nodes.count == graph.nodes.count)
        for (node, object) in zip(graphml.nodes, json.nodes) {
            #expect(node.id == object["id"] as? String)
            var values = Self.valued(object)
            values["id"] = nil
            #expect(Set(node.data.keys) == Set(values.keys), "\(view) \(node.id)")
            for (name, text) in node.data {
                #expect(values[name].map { Self.same($0, text, type: nodeType[name] ?? "?") } == true,
                        "\(view) \(node.id) \(name): GraphML \(text), JSON \(String(describing: values[name]))")
            }
        }
        #expect(graphml.edges.count == json.links.count && json.links.count == graph.edges.count)
        for (edge, object) in zip(graphml.edges, json.links) {
            #expect(edge.source == object["source"] as? String && edge.target == object["target"] as? String)
            var values = Self.valued(object)
            values["source"] = nil
            values["target"] = nil
            #expect(Set(edge.data.keys) == Set(values.keys))
            for (name, text) in edge.data {
                #expect(values[name].map { Self.same($0, text, type: edgeType[name] ?? "?") } == true, "\(view) edge \(name)")
            }
        }
    }

    /// A node's value in both formats: (JSON's value, GraphML's text).
    static func values(_ view: String, node id: String, _ name: String) throws -> (json: Any?, graphml: String?) {
        let graph = try graph(view)
        let json = try JSONData(graph), graphml = try GraphMLData(graph)
        let object = try #require(json.nodes.first { $0["id"] as? String == id }, "\(view): no node \(id) in JSON")
        let node = try #require(graphml.nodes.first { $0.id == id }, "\(view): no node \(id) in GraphML")
        return (object[name], node.data[name])
    }

    @Test("national: true for the national components in every view, false for a municipality's")
    func national() throws {
        for (view, id) in [("none", "inera/siths"), ("focus", "inera/siths"), ("org", "org:inera"),
                           ("county", "county:national"), ("capability", "capability:eid-staff")] {
            let (json, graphml) = try Self.values(view, node: id, "national")
            #expect(json as? Bool == true && graphml == "true", "\(view) \(id)")
        }
        for (view, id) in [("none", "sundsvall/omsorg"), ("org", "org:sundsvall"), ("county", "county:22"),
                           ("capability", "capability:social-care-records")] {
            let (json, graphml) = try Self.values(view, node: id, "national")
            #expect(json as? Bool == false && graphml == "false", "\(view) \(id)")
        }
    }

    @Test("focus: on the item --focus names, in both formats; GraphML's default false for the others")
    func focus() throws {
        let graph = try Self.graph("focus")
        let json = try JSONData(graph), graphml = try GraphMLData(graph)
        #expect(json.nodes.filter { $0["focus"] != nil }.compactMap { $0["id"] as? String } == ["inera/siths"])
        #expect(json.nodes.first { $0["id"] as? String == "inera/siths" }?["focus"] as? Bool == true)
        #expect(graphml.nodes.filter { $0.data["focus"] != nil }.map(\.id) == ["inera/siths"])
        #expect(graphml.nodes.first { $0.id == "inera/siths" }?.data["focus"] == "true")
        let key = try #require(graphml.nodeKeys["n_focus"])
        #expect(key.type == "boolean" && key.fallback == "false")
    }

    @Test("--aggregate org: the organisation's type is organisation_type, not capability")
    func organisationType() throws {
        let graph = try Self.graph("org")
        let json = try JSONData(graph), graphml = try GraphMLData(graph)
        for (id, type) in [("org:inera", "bolag"), ("org:sundsvall", "kommun"), ("org:ange", "kommun")] {
            let (jsonType, graphmlType) = try Self.values("org", node: id, "organisation_type")
            #expect(jsonType as? String == type && graphmlType == type, "\(id)")
        }
        #expect(json.nodes.allSatisfy { $0["capability"] is NSNull })
        #expect(graphml.nodes.allSatisfy { $0.data["capability"] == nil })
        #expect(graphml.nodeKeys["n_organisation_type"]?.type == "string")
        // The other views have no organisation_type.
        for view in ["none", "capability", "county"] {
            #expect(try GraphMLData(Self.graph(view)).nodeKeys["n_organisation_type"] == nil)
            #expect(try JSONData(Self.graph(view)).nodes.allSatisfy { $0["organisation_type"] == nil })
        }
    }
}
