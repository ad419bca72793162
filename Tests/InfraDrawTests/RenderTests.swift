import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import InfraDraw
import InfraGraph
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
