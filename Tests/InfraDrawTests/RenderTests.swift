import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import InfraDraw
import InfraGraph
import InfraLoad
import InfraModel
import Testing

@Suite("Rendering through Graphviz in process")
struct RenderTests {
    /// Items and dependencies the whole-fixture picture must show: every item of the two
    /// municipalities, the national item they use (not the national item behind it).
    static func expected() -> (nodes: Set<String>, edges: Set<String>) {
        let catalog = Fixture.catalog()
        let nodes = Set(catalog.items.indices.map { catalog.ref($0) }).subtracting(["inera/drift"])
        let edges = Fixture.dependencyIDs(catalog).filter { !$0.contains("inera/drift") }
        return (nodes, edges)
    }

    @Test("SVG is XML with a node per item (id = org/item) and an edge per dependency")
    func svg() throws {
        let graph = try Fixture.itemGraph()
        let bytes = try Graphviz.render(dot: DOTWriter.write(graph), format: .svg, bands: DOTWriter.bands(for: graph))
        let document = try XMLDocument(data: Data(bytes))
        let root = try #require(document.rootElement())
        #expect(root.name == "svg")
        var nodeIDs = Set<String>(), edgeIDs = Set<String>(), titles = Set<String>()
        var polygonsBeforeNodes = 0
        func walk(_ element: XMLElement) {
            let cls = attr(element, "class")
            let id = attr(element, "id")
            if cls == "node", let id {
                nodeIDs.insert(id)
                if let title = element.elements(forName: "title").first?.stringValue { titles.insert(title) }
            }
            if cls == "edge", let id { edgeIDs.insert(id) }
            if element.name == "polygon", nodeIDs.isEmpty { polygonsBeforeNodes += 1 }
            for child in element.children ?? [] { if let e = child as? XMLElement { walk(e) } }
        }
        walk(root)
        let (nodes, edges) = Self.expected()
        // Band labels are nodes too; every item is there under its org/item id and title.
        #expect(nodeIDs.subtracting(["band:services", "band:soft", "band:hard"]) == nodes)
        #expect(titles.isSuperset(of: nodes))
        #expect(edgeIDs == edges)
        // Background, then one band per layer, before any node.
        #expect(polygonsBeforeNodes >= 4)
        let text = String(decoding: bytes, as: UTF8.self)
        // The name, wrapped in two lines, escaped for XML, Swedish letters as they are.
        #expect(text.contains(">Webb &quot;Mina sidor&quot; &amp;<"))
        #expect(text.contains(">&lt;tjänster&gt; #1 \\ åäö<"))
        #expect(text.contains("fill=\"#f3faf1\""))   // the soft band
    }

    @Test("The graph built in memory lays out and renders exactly as its DOT text does",
          arguments: ["dot", "osage"])
    func inMemoryEqualsText(engine: String) throws {
        let catalog = Fixture.catalog()
        let all = try Selection().pick(from: catalog)
        let graphs = [
            try Fixture.itemGraph(),
            try Fixture.itemGraph(Selection(focus: "inera/siths", depth: 2)),
            AggregateView.capability(all.items, catalog: catalog, vocabulary: Fixture.vocabulary, title: "by capability"),
            AggregateView.county(all.items, catalog: catalog, sweden: Fixture.sweden, title: "by county"),
        ]
        // (Not sfdp: its layout depends on the sfdp layouts before it in the process, which
        // tests running in parallel make vary. The command draws one picture per process, as
        // the `dot` command does.)
        for graph in graphs {
            let options = DOTOptions(engine: engine)
            let bands = DOTWriter.bands(for: graph, options: options)
            let fromText = try Graphviz.render(dot: DOTWriter.write(graph, options: options), engine: engine, format: .svg, bands: bands)
            let inMemory = try Graphviz.render(graph, options: options, format: .svg, bands: bands)
            let kept = try Graphviz.render(graph, options: options, format: .svg, bands: bands, release: false)
            // Graphviz orders subgraphs by the addresses of their names' strings, so clusters may
            // be written in another order within one long-lived process; the drawing is the same.
            #expect(Self.lines(fromText) == Self.lines(inMemory), "\(graph.kind) with \(engine)")
            #expect(Self.lines(kept) == Self.lines(inMemory), "\(graph.kind) with \(engine)")
        }
    }

    @Test("Backslashes show as written and control characters as spaces, in labels and tooltips, both ways")
    func backslashesAndControlCharacters() throws {
        // Graphviz reads `\G` as the graph's name and `\N` as the node's, in labels and (twice
        // over) in tooltips; a control character in a tooltip made the SVG invalid XML.
        let yaml = "inventory: 1\norganisation: {id: drift, name: \"Drift C:\\\\Gemensam\\x01\", type: annan}\n"
            + "hard:\n  - {id: nas, name: 'Filserver \\\\NAS01\\N \\E', capability: datacenter}\n"
        let inventory = try #require(Loader.parse(bytes: Array(yaml.utf8), path: "drift.yaml").inventory)
        let catalog = Catalog(inventories: [inventory])
        let graph = ItemView.build(try Selection().pick(from: catalog), catalog: catalog, facts: GraphFacts(catalog: catalog))
        let bands = DOTWriter.bands(for: graph)
        let fromText = try Graphviz.render(dot: DOTWriter.write(graph), format: .svg, bands: bands)
        let inMemory = try Graphviz.render(graph, format: .svg, bands: bands)
        #expect(Self.lines(fromText) == Self.lines(inMemory))
        let root = try #require(try XMLDocument(data: Data(inMemory)).rootElement())
        var texts: [String] = [], titles: [String] = [], titleElements: [String] = []
        func walk(_ element: XMLElement) {
            if element.name == "text", let t = element.stringValue { texts.append(t) }
            if element.name == "title", let t = element.stringValue { titleElements.append(t) }
            for a in element.attributes ?? [] where a.name?.hasSuffix("title") == true { titles.append(a.stringValue ?? "") }
            for child in element.children ?? [] { if let e = child as? XMLElement { walk(e) } }
        }
        walk(root)
        #expect(texts.contains("Drift C:\\Gemensam "), "\(texts)")
        #expect(texts.contains { $0.hasSuffix("\\\\NAS01\\N \\E") }, "\(texts)")
        #expect(titles.contains { $0.contains("Drift C:\\Gemensam ") }, "\(titles)")
        // The graph's name, which a browser shows on the tab, as written too.
        #expect(titleElements.first == "Drift C:\\Gemensam ", "\(titleElements)")
    }

    static func lines(_ svg: [UInt8]) -> [Substring] {
        String(decoding: svg, as: UTF8.self).split(separator: "\n").sorted()
    }

    @Test("The grid picture: bands as boxes top to bottom, organisation boxes, capability boxes, every item and dependency")
    func grid() throws {
        var graph = try Fixture.itemGraph()
        graph.capabilityNames["integration"] = "Integration / tjänstegränssnitt"
        let options = DOTOptions(engine: "osage")
        let bands = try #require(DOTWriter.bands(for: graph, options: options))
        #expect(bands.bandOfNode.isEmpty && bands.boxes == ["cluster_band_services", "cluster_band_soft", "cluster_band_hard"])
        let dot = DOTWriter.write(graph, options: options)
        #expect(dot.contains("layout=osage") && dot.contains("splines=line"))
        #expect(Graphviz.parseProblem(dot: dot) == nil)
        let bytes = try Graphviz.render(graph, options: options, format: .svg, bands: bands)
        let document = try XMLDocument(data: Data(bytes))
        var nodeIDs = Set<String>(), edgeIDs = Set<String>(), clusters: [String: Double] = [:], widths: [String: Double] = [:]
        func walk(_ element: XMLElement) {
            let cls = attr(element, "class"), id = attr(element, "id")
            if cls == "node", let id { nodeIDs.insert(id) }
            if cls == "edge", let id { edgeIDs.insert(id) }
            if cls == "cluster", let id {
                #expect(clusters[id] == nil, "\(id) twice")
                // The top of the cluster's box (SVG y grows downwards; Graphviz's are negative).
                func outline(_ e: XMLElement) -> String? {
                    if e.name == "polygon" { return attr(e, "points") }
                    if e.name == "path" { return attr(e, "d") }
                    for child in e.children ?? [] { if let c = child as? XMLElement, let found = outline(c) { return found } }
                    return nil
                }
                let numbers = (outline(element) ?? "").split(whereSeparator: { " ,MCLZ".contains($0) }).enumerated()
                let ys = numbers.filter { $0.offset % 2 == 1 }.compactMap { Double($0.element) }
                let xs = numbers.filter { $0.offset % 2 == 0 }.compactMap { Double($0.element) }
                clusters[id] = ys.min() ?? .nan
                widths[id] = (xs.max() ?? 0) - (xs.min() ?? 0)
            }
            for child in element.children ?? [] { if let e = child as? XMLElement { walk(e) } }
        }
        walk(try #require(document.rootElement()))
        let (nodes, edges) = Self.expected()
        #expect(nodeIDs == nodes)
        #expect(edgeIDs == edges)
        // Three bands, services above soft above hard.
        let services = try #require(clusters["band:services"]), soft = try #require(clusters["band:soft"]),
            hard = try #require(clusters["band:hard"])
        #expect(services < soft && soft < hard, "\(clusters)")
        // … and as wide as each other (widened after the layout).
        #expect(widths["band:services"] == widths["band:soft"] && widths["band:soft"] == widths["band:hard"])
        // An organisation box per band it has items in; a box for a capability with 3 items.
        #expect(clusters.keys.contains("org:sundsvall/services") && clusters.keys.contains("org:sundsvall/soft")
            && clusters.keys.contains("org:inera/soft"))
        #expect(clusters.keys.contains("capability:sundsvall/soft/integration"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("Integration / tjänstegränssnitt"))
        #expect(text.contains("All inventories"))   // the legend's title
    }

    @Test("PNG has the PNG signature and a plausible size")
    func png() throws {
        let graph = try Fixture.itemGraph()
        let bytes = try Graphviz.render(dot: DOTWriter.write(graph), format: .png, bands: DOTWriter.bands(for: graph))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect((10_000...5_000_000).contains(bytes.count), "\(bytes.count) bytes")
        // IHDR: width and height of a legible picture of 15 items.
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect((400...8_000).contains(width) && (300...4_000).contains(height), "\(width)×\(height)")
    }

    @Test("PDF starts with %PDF")
    func pdf() throws {
        let graph = try Fixture.itemGraph()
        let bytes = try Graphviz.render(dot: DOTWriter.write(graph), format: .pdf)
        #expect(String(decoding: bytes.prefix(5), as: UTF8.self) == "%PDF-")
        #expect(bytes.count > 5_000)
    }

    @Test("every engine the command offers lays out the fixture", arguments: ["dot", "sfdp", "neato", "fdp"])
    func engines(engine: String) throws {
        let graph = try Fixture.itemGraph()
        let bytes = try Graphviz.render(dot: DOTWriter.write(graph, options: DOTOptions(engine: engine)), engine: engine, format: .svg)
        #expect(String(decoding: bytes, as: UTF8.self).contains("id=\"sundsvall/omsorg\""))
    }

    @Test("Graphviz errors become Swift errors with Graphviz's message")
    func errors() {
        #expect(throws: GraphvizError.self) { try Graphviz.render(dot: "digraph { a -> }", format: .svg) }
        do {
            _ = try Graphviz.render(dot: "digraph { a -> }", format: .svg)
        } catch {
            #expect(error.description.contains("could not read the DOT text"))
            #expect(error.description.contains("syntax error"))
        }
        #expect(throws: GraphvizError.self) { try Graphviz.render(dot: "digraph { a }", engine: "nonsense", format: .svg) }
        // The parser recovers: a good graph after a bad one still reads.
        #expect(Graphviz.parseProblem(dot: "digraph { a -> b }") == nil)
    }
}
