import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `infra graph`, run as a user runs it: the built executable on the examples.
@Suite("graph: the executable on the examples")
struct GraphCommandTests {
    let clean = "examples/vasternorrland"

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("infra-graph-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("SVG and PNG files: exit 0, real pictures with the three layer bands")
    func pictures() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("g.svg"), png = dir.appendingPathComponent("g.png")
        let r1 = try run(["graph", clean, "--org", "sundsvall", "--output", svg.path])
        #expect(r1.exit == 0, "\(r1)")
        let text = try String(contentsOf: svg, encoding: .utf8)
        #expect(text.contains("<svg"), "not SVG: \(text.prefix(200))")
        for band in ["Services", "Soft infrastructure", "Hard infrastructure"] {
            #expect(text.localizedCaseInsensitiveContains(band), "no band `\(band)` in the SVG")
        }
        let r2 = try run(["graph", clean, "--org", "sundsvall", "--format", "png", "--output", png.path])
        #expect(r2.exit == 0, "\(r2)")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        #expect(!r1.stderr.contains("whose name says") && !r2.stderr.contains("whose name says"), "\(r1.stderr)\(r2.stderr)")
        // --format wins over the file's name, and infra says the two disagree.
        let misnamed = dir.appendingPathComponent("misnamed.svg")
        let r3 = try run(["graph", clean, "--org", "sundsvall", "--format", "png", "--output", misnamed.path])
        #expect(r3.exit == 0 && r3.stderr.contains("writing PNG as asked (--format png) into \(misnamed.path), whose name says SVG"), "\(r3)")
        #expect(try Data(contentsOf: misnamed).starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
    }

    @Test("a layout engine without an estimate on a big graph is announced, also when stderr is a log")
    func unestimatedEngineIsAnnounced() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let items = (0..<210).map { "  - id: h\($0)\n    name: H \($0)\n    capability: datacenter\n" }.joined()
        try write(["big.yaml": "inventory: 1\norganisation:\n  id: big\n  name: Big\n  type: annan\nhard:\n" + items], in: dir)
        let twopi = try run(["graph", "big.yaml", "--no-national", "--engine", "twopi", "-o", "big.svg"], cwd: dir)
        #expect(twopi.exit == 0 && twopi.stderr.contains("with twopi (no estimate for twopi: minutes on a graph this big)"), "\(twopi)")
        // The same picture with the default engine is quick and says nothing.
        let plain = try run(["graph", "big.yaml", "--no-national", "-o", "plain.svg"], cwd: dir)
        #expect(plain.exit == 0 && !plain.stderr.contains("laying out"), "\(plain)")
    }

    @Test("text formats on stdout: DOT, node-link JSON, GraphML, Mermaid")
    func textFormats() throws {
        let dot = try run(["graph", clean, "--format", "dot"])
        #expect(dot.exit == 0, "\(dot)")
        #expect(dot.stdout.hasPrefix("digraph") || dot.stdout.hasPrefix("strict digraph"), "\(dot.stdout.prefix(100))")

        let json = try run(["graph", clean, "--format", "json"])
        #expect(json.exit == 0, "\(json)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let nodes = try #require(root["nodes"] as? [[String: Any]])
        let links = try #require((root["links"] ?? root["edges"]) as? [[String: Any]])
        #expect(!nodes.isEmpty && !links.isEmpty, "\(root.keys)")

        let graphml = try run(["graph", clean, "--format", "graphml"])
        #expect(graphml.exit == 0 && graphml.stdout.contains("<graphml"), "\(graphml)")
        _ = try XMLDocument(xmlString: graphml.stdout)

        let mermaid = try run(["graph", clean, "--format", "mermaid"])
        // A %% comment with the title, then the diagram.
        let firstStatement = mermaid.stdout.split(separator: "\n").first { !$0.hasPrefix("%%") }
        #expect(mermaid.exit == 0 && firstStatement?.hasPrefix("flowchart") == true, "\(mermaid.stdout.prefix(100))")
    }

    @Test("--capability of one only national components have: they are the focus, with who depends on them")
    func nationalOnlyCapability() throws {
        let r = try run(["graph", clean, "--capability", "eid-citizen", "--format", "json"])
        #expect(r.exit == 0, "\(r)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let nodes = try #require(root["nodes"] as? [[String: Any]])
        let focus = nodes.filter { $0["in_focus"] as? Bool == true }.compactMap { $0["id"] as? String }
        #expect(focus.contains("bankid/bankid") && focus.contains("freja/freja-eid"), "\(focus)")
        #expect(nodes.contains { $0["id"] as? String == "sundsvall/legitimering" && $0["in_focus"] as? Bool == false })
    }

    @Test("JSON and GraphML name the same node attributes for every --aggregate; national components say so",
          arguments: ["none", "capability", "org", "county"])
    func dataFormatsAgree(_ aggregate: String) throws {
        let json = try run(["graph", clean, "--aggregate", aggregate, "--format", "json"])
        let graphml = try run(["graph", clean, "--aggregate", aggregate, "--format", "graphml"])
        #expect(json.exit == 0 && graphml.exit == 0, "\(json.stderr) \(graphml.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let nodes = try #require(root["nodes"] as? [[String: Any]])
        let document = try XMLDocument(xmlString: graphml.stdout)
        let keys = try #require(document.rootElement()).elements(forName: "key")
            .filter { $0.attributes?.first { $0.name == "for" }?.stringValue == "node" }
        let names = keys.compactMap { $0.attributes?.first { $0.name == "attr.name" }?.stringValue }
        #expect(Set(names + ["id"]) == Set(nodes.flatMap(\.keys)), "\(aggregate)")
        #expect(nodes.contains { $0["national"] as? Bool == true }, "\(aggregate): no national node")
        #expect(graphml.stdout.contains("<data key=\"n_national\">true</data>"))
        if aggregate == "org" {
            #expect(nodes.allSatisfy { $0["capability"] is NSNull })
            #expect(nodes.contains { $0["organisation_type"] as? String == "kommun" })
            #expect(!graphml.stdout.contains("<data key=\"n_capability\">"))
        }
    }

    @Test("broken inventories: the picture is still drawn, exit 1 with a pointer to validate")
    func brokenInventories() throws {
        let r = try run(["graph", "examples/broken", "--format", "dot"])
        #expect(r.exit == 1, "\(r)")
        #expect(r.stdout.contains("digraph"), "no picture drawn: \(r.stdout.prefix(200))")
        #expect(r.stderr.contains("infra validate"), "\(r.stderr)")
        // The picture itself says so in its title: it outlives the terminal it was made in.
        // (One organisation's inventory: the title names it.)
        #expect(r.stdout.hasPrefix("digraph \"Upplands Väsby kommun · 8 inventory errors: see infra validate\""), "\(r.stdout.prefix(200))")
        let clean = try run(["graph", "examples/vasternorrland", "--format", "dot"])
        #expect(clean.exit == 0 && clean.stdout.hasPrefix("digraph \"All inventories\" {"), "\(clean.stdout.prefix(200))")
    }

    @Test("usage problems exit 2 and write nothing: a YAML output, an unknown organisation")
    func usageProblems() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = dir.appendingPathComponent("sundsvall.yaml")
        let r1 = try run(["graph", clean, "--output", yaml.path])
        #expect(r1.exit == 2, "\(r1)")
        #expect(!FileManager.default.fileExists(atPath: yaml.path), "wrote over a .yaml path")

        let r2 = try run(["graph", clean, "--org", "sundsval"])
        #expect(r2.exit == 2, "\(r2)")
        #expect(r2.stderr.contains("sundsvall"), "no did-you-mean: \(r2.stderr)")
    }
}
