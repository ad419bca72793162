import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import InfraDraw
import InfraGraph
import InfraModel
import Testing

@Suite("DOT, Mermaid, JSON and GraphML writers")
struct WriterTests {
    @Test("DOT of every view is accepted by Graphviz's parser (round trip)")
    func dotRoundTrip() throws {
        let catalog = Fixture.catalog()
        let all = try Selection().pick(from: catalog)
        let graphs = [
            try Fixture.itemGraph(),
            try Fixture.itemGraph(Selection(organisation: "sundsvall")),
            try Fixture.itemGraph(Selection(focus: "inera/siths", depth: 2)),
            try Fixture.itemGraph(Selection(layer: .soft)),
            AggregateView.capability(all.items, catalog: catalog, vocabulary: Fixture.vocabulary, title: "by capability"),
            AggregateView.organisation(all.items, catalog: catalog, title: "by organisation"),
            AggregateView.county(all.items, catalog: catalog, sweden: Fixture.sweden, title: "by county"),
        ]
        for graph in graphs {
            for engine in ["dot", "sfdp", "osage"] {
                let dot = DOTWriter.write(graph, options: DOTOptions(engine: engine))
                #expect(Graphviz.parseProblem(dot: dot) == nil, "\(graph.kind) \(engine)")
            }
        }
        #expect(Graphviz.parseProblem(dot: "digraph { \"unterminated }") != nil)
    }

    @Test("DOT strings escape quotes and backslashes; HTML labels escape markup")
    func dotEscaping() {
        #expect(DOTWriter.quote(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(DOTWriter.quote("två\nrader") == #""två\nrader""#)
        #expect(DOTWriter.html("<b> & \"q\"") == "&lt;b&gt; &amp; &quot;q&quot;")
        let dot = "digraph { \(DOTWriter.quote(#"x"\"#)) [label=<\(DOTWriter.html("<&>\"åäö"))>] }"
        #expect(Graphviz.parseProblem(dot: dot) == nil)
    }

    @Test("DOT text: words and numbers bare, everything else quoted, keywords quoted, HTML in angle brackets")
    func dotValues() {
        var text = DOTText()
        text.attributes(.graph, [("rankdir", "TB"), ("pad", "0.3"), ("x", "-1.5"), ("sortv", "12"), ("color", "#4d4d4d"),
                                 ("style", "rounded,filled"), ("a", "node"), ("b", "1.2.3"), ("c", ""), ("label", .html("<B>å</B>"))])
        text.beginSubgraph("cluster_x")
        text.attributes(.graph, [("label", "Sundsvalls \"kommun\"")])
        text.node("a/b", [])
        text.endSubgraph()
        text.edge("a/b", "c", [("style", "invis")])
        let dot = text.finish()
        #expect(dot.contains(##"graph [rankdir=TB, pad=0.3, x=-1.5, sortv=12, color="#4d4d4d", style="rounded,filled", a="node", b="1.2.3", c="", label=<<B>å</B>>];"##))
        #expect(dot.contains(#"subgraph "cluster_x" {"#) && dot.contains(#"label="Sundsvalls \"kommun\"";"#))
        #expect(dot.contains(#""a/b" -> "c" [style=invis];"#))
        #expect(Graphviz.parseProblem(dot: dot) == nil)
    }

    @Test("DOT marks what the picture shows: upward, cycle, planned, retired, ungrounded, critical")
    func dotMarks() throws {
        let graph = try Fixture.itemGraph()
        func node(_ id: String) -> DrawGraph.Node { graph.nodes.first { $0.id == id }! }
        #expect(node("sundsvall/ring-a").inCycle && node("sundsvall/ring-b").inCycle)
        #expect(node("sundsvall/lost").ungrounded)
        #expect(!node("sundsvall/omsorg").ungrounded)
        #expect(node("inera/siths").outside && !node("sundsvall/omsorg").outside)
        let upward = graph.edges.filter(\.upward).map { graph.nodes[$0.source].id + "->" + graph.nodes[$0.target].id }
        #expect(upward == ["sundsvall/rapport->sundsvall/omsorg"])
        let dot = DOTWriter.write(graph)
        let line = try #require(dot.split(separator: "\n").first { $0.contains("\"sundsvall/rapport\" -> \"sundsvall/omsorg\"") })
        #expect(line.contains("constraint=false") && line.contains("#d62728"))
        #expect(dot.contains("★ Verksamhetssystem för<BR/>omsorg"))
        #expect(dot.contains("⚠ ungrounded") && dot.contains("↻ cycle"))
        #expect(dot.contains("dashed") && dot.contains("dotted"))
        #expect(dot.contains("fontname=\"DejaVu Sans\""))
        #expect(dot.contains("Services (smart välfärd)") && dot.contains("Hard infrastructure (hård infrastruktur)"))
    }

    @Test("DOT room for text: nodes over the lines, bold titles measured in the bold face, margins that grow with the border")
    func dotRoom() throws {
        let graph = try Fixture.itemGraph()
        let dot = DOTWriter.write(graph)
        // Named by its title, which an SVG's <title> (a browser's tab) shows; it said "infra".
        #expect(dot.hasPrefix("digraph " + DOTWriter.quote(graph.title) + " {"), "\(dot.prefix(80))")
        // The layered picture's band titles on two lines, aligned left.
        #expect(dot.contains("Soft infrastructure<BR ALIGN=\"LEFT\"/>(mjuk infrastruktur)<BR ALIGN=\"LEFT\"/>"))
        // Layered too: an arrow passing a box was drawn over its text.
        #expect(dot.contains("outputorder=edgesfirst"), "\(dot.prefix(400))")
        // <B> in an HTML label was measured in the regular face: bold titles overran their boxes.
        let titles = dot.split(separator: "\n").filter { $0.contains("id=\"org:") || $0.contains("id=\"band:") }
        #expect(!titles.isEmpty && titles.allSatisfy { $0.contains("fontname=\"DejaVu Sans Bold\"") && !$0.contains("<B>") }, "\(titles)")
        // A node with a thick border (a critical one) gets a margin larger than the default's.
        let critical = try #require(dot.split(separator: "\n").first { $0.contains("★ Verksamhetssystem") })
        let margin = try #require(critical.firstMatch(of: /margin="([0-9.]+),([0-9.]+)"/)?.output)
        #expect(Double(margin.2)! > 0.06, "\(critical)")
    }

    @Test("the legend explains every mark the picture draws, and the focus only where there is one")
    func legendExplainsWhatIsDrawn() throws {
        let plain = DOTWriter.write(try Fixture.itemGraph())
        let focused = DOTWriter.write(try Fixture.itemGraph(Selection(focus: "inera/siths", depth: 1)))
        #expect(!plain.contains("the item in focus") && focused.contains("the item in focus"))
        // The plain within-organisation arrow and the dashed one were drawn but not explained.
        #expect(plain.contains("──▶</FONT> dependency</TD>") && plain.contains("to or from a planned or retired item"))
        // Marks the picture does not draw are not explained: the hard layer alone has no
        // service box and no cross-organisation arrow.
        let hard = DOTWriter.legend(try Fixture.itemGraph(Selection(layer: .hard)))
        #expect(hard.contains(">hard infrastructure</TD>") && !hard.contains(">service</TD>") && !hard.contains(">soft infrastructure</TD>"), "\(hard)")
        #expect(!hard.contains("upward dependency"), "\(hard)")
        // By organisation: each type drawn gets its own colour and a legend entry.
        let catalog = Fixture.catalog()
        let all = try Selection().pick(from: catalog)
        let byOrganisation = AggregateView.organisation(all.items, catalog: catalog, title: "by organisation")
        let types = Set(byOrganisation.nodes.filter { !$0.national }.compactMap(\.organisationType))
        let legend = DOTWriter.legend(byOrganisation)
        for type in types { #expect(legend.contains(">\(type)</TD>") && legend.contains(Palette.organisationType(type)), "\(type): \(legend)") }
        #expect(Set(OrganisationType.allCases.map { Palette.organisationType($0.rawValue) }).count == OrganisationType.allCases.count,
                "two organisation types share a colour")
    }

    @Test("counties are drawn in rows in county-code order: flat edges from each to the next, on one rank")
    func countiesInCodeOrder() throws {
        let catalog = Fixture.catalog()
        let all = try Selection().pick(from: catalog)
        let graph = AggregateView.county(all.items, catalog: catalog, sweden: Fixture.sweden, title: "t")
        let codes = graph.nodes.filter { !$0.outside }.map(\.id)
        #expect(codes.count >= 2 && codes == codes.sorted(), "\(codes)")
        let dot = DOTWriter.write(graph)
        for (a, b) in zip(codes, codes.dropFirst()) {
            #expect(dot.contains("\"\(a)\" -> \"\(b)\" [style=invis];"), "\(a) → \(b):\n\(dot)")
        }
        #expect(dot.contains("rank=same"))
    }

    @Test("the legend's blast-radius mark is the picture's largest, and is left out when no item is marked")
    func legendBlastMarkIsThePictures() throws {
        var graph = try Fixture.itemGraph()
        // The fixture's items carry at most 2 services: nothing is marked, nor explained.
        #expect(graph.nodes.allSatisfy { $0.blast < 3 } && !DOTWriter.legend(graph).contains("services depend on it"))
        graph.nodes[0].blast = 7
        #expect(DOTWriter.legend(graph).contains("⚡ 7 services depend on it"), "\(DOTWriter.legend(graph))")
        #expect(!DOTWriter.legend(graph).contains("30 services"))
    }

    @Test("by organisation, a national component is drawn by what depends on it, not by its few items")
    func hubsAreLarge() throws {
        let catalog = Fixture.catalog()
        let all = try Selection().pick(from: catalog)
        let graph = AggregateView.organisation(all.items, catalog: catalog, title: "by organisation")
        let scales = DOTWriter.scales(graph)
        let national = try #require(graph.nodes.indices.filter { graph.nodes[$0].national }
            .max { scales[$0] < scales[$1] })
        let ownOnly = (Double(graph.nodes[national].weight) / Double(max(1, graph.maxWeight))).squareRoot()
        #expect(scales[national] > ownOnly, "\(graph.nodes[national].id): \(scales[national]) vs \(ownOnly)")
        // Others keep their own size.
        for k in graph.nodes.indices where !graph.nodes[k].national && !graph.nodes[k].outside {
            #expect(scales[k] == (Double(graph.nodes[k].weight) / Double(max(1, graph.maxWeight))).squareRoot())
        }
    }

    @Test("a national node is as large as the organisations relying on it, also once its light edges are dropped, and says how many")
    func relianceOutlivesDroppedEdges() throws {
        let catalog = Fixture.catalog()
        let all = try Selection().pick(from: catalog)
        for var graph in [AggregateView.organisation(all.items, catalog: catalog, title: "by organisation"),
                          AggregateView.capability(all.items, catalog: catalog, vocabulary: Fixture.vocabulary, title: "by capability")] {
            // What the picture's own count must be: the other organisations with an item that
            // depends on one of the node's items.
            let national = try #require(graph.nodes.indices.first { graph.nodes[$0].national && graph.nodes[$0].reliedOnBy > 0 }, "\(graph.kind)")
            var reliant = Set<Int32>()
            for i in all.items {
                for t in catalog.dependencies.neighbours(i) where catalog.items[Int(t)].organisation != catalog.items[i].organisation {
                    let target = catalog.items[Int(t)]
                    let sameNode = graph.kind == .organisation
                        ? graph.nodes[national].organisation == catalog.organisations[Int(target.organisation)].id
                        : graph.nodes[national].capability == target.item.capability?.value
                    if sameNode { reliant.insert(catalog.items[i].organisation) }
                }
            }
            #expect(graph.nodes[national].reliedOnBy == reliant.count && reliant.count > 0)
            #expect(graph.nodes[national].detail?.hasSuffix("relied on by \(reliant.count) organisation\(reliant.count == 1 ? "" : "s")") == true,
                    "\(graph.nodes[national].detail ?? "")")
            let before = DOTWriter.scales(graph)[national]
            graph.keepStrongestEdges(0)
            #expect(DOTWriter.scales(graph)[national] == before, "\(graph.kind): the size followed the kept edges")
            #expect(before >= (Double(min(reliant.count, graph.maxWeight)) / Double(max(1, graph.maxWeight))).squareRoot())
        }
    }

    @Test("a grid with more dependencies than it draws readably draws the findings among them and says how many it left out")
    func gridLeavesOutTheCrowd() throws {
        var graph = try Fixture.itemGraph()
        let options = DOTOptions(engine: "osage")
        // Few: every dependency is a line, and the legend has no count of undrawn ones.
        let few = DOTWriter.write(graph, options: options)
        #expect(few.components(separatedBy: " -> ").count - 1 == graph.edges.count && !few.contains("not drawn"))
        // Many (the fixture's edges repeated past the limit), one of them upward: that one alone is drawn.
        let base = graph.edges
        while graph.edges.count <= DOTWriter.gridEdgeLimit { graph.edges += base }
        for k in graph.edges.indices { graph.edges[k].upward = false; graph.edges[k].inCycle = false }
        graph.edges[0].upward = true
        let many = DOTWriter.write(graph, options: options)
        #expect(many.components(separatedBy: " -> ").count - 1 == 1, "\(many.components(separatedBy: " -> ").count - 1) lines")
        #expect(many.contains("\(grouped(graph.edges.count - 1)) dependencies not drawn"), "\(DOTWriter.legend(graph, undrawn: graph.edges.count - 1))")
        #expect(many.contains("upward dependency (a finding)") && !many.contains("> dependency</TD>"))
        // The layered picture draws them all.
        #expect(DOTWriter.write(graph).components(separatedBy: " -> ").count - 1 >= graph.edges.count)
    }

    @Test("Mermaid: flowchart TB, three layer subgraphs, safe ids, declared links, escaped labels")
    func mermaid() throws {
        let graph = try Fixture.itemGraph()
        let text = MermaidWriter.write(graph)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.first { !$0.hasPrefix("%%") } == "flowchart TB")
        let layerSubgraphs = lines.filter { $0.hasPrefix("subgraph L_") }
        #expect(layerSubgraphs.count == 3)
        #expect(layerSubgraphs[0].contains("Services (smart välfärd)"))
        #expect(lines.filter { $0 == "end" }.count == lines.filter { $0.hasPrefix("subgraph ") }.count)

        let safe = try Regex("^[A-Za-z0-9_]+$")
        var declared = Set<String>()
        for line in lines where !line.hasPrefix("%%") && !line.hasPrefix("subgraph") && !line.hasPrefix("class") {
            if let open = line.firstIndex(of: "["), line.hasSuffix("\"]") {
                let id = String(line[..<open])
                #expect(id.wholeMatch(of: safe) != nil, "\(id)")
                declared.insert(id)
                let label = line[line.index(open, offsetBy: 2)..<line.index(line.endIndex, offsetBy: -2)]
                #expect(!label.contains("\""), "unescaped quote in \(label)")
            }
        }
        #expect(declared.count == graph.nodes.count)
        let links = lines.filter { $0.contains("-->") }
        #expect(links.count == graph.edges.count)
        for link in links {
            let parts = link.components(separatedBy: " --> ")
            #expect(parts.count == 2 && declared.contains(parts[0]) && declared.contains(parts[1]), "\(link)")
        }
        // Each node keeps its org/item in a comment; the awkward name is escaped.
        #expect(text.contains("%% n") && text.contains("= sundsvall/webb"))
        #expect(text.contains("Webb #quot;Mina sidor#quot; #amp; #lt;tjänster#gt; #35;1 \\ åäö"))
        #expect(text.contains("linkStyle") && text.contains("stroke:#d62728"))
    }

    @Test("JSON node-link data parses with every node and link")
    func json() throws {
        let graph = try Fixture.itemGraph()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(NodeLinkJSON.write(graph).utf8)) as? [String: Any])
        let nodes = try #require(object["nodes"] as? [[String: Any]])
        let links = try #require(object["links"] as? [[String: Any]])
        let expected = RenderTests.expected()
        #expect(nodes.count == expected.nodes.count)
        #expect(links.count == expected.edges.count)
        #expect(Set(nodes.compactMap { $0["id"] as? String }) == expected.nodes)
        #expect(Set(links.map { "\($0["source"]!)->\($0["target"]!)" }) == expected.edges)
        let omsorg = try #require(nodes.first { $0["id"] as? String == "sundsvall/omsorg" })
        #expect(omsorg["name"] as? String == "Verksamhetssystem för omsorg")
        #expect(omsorg["layer"] as? String == "services")
        #expect(omsorg["organisation"] as? String == "sundsvall")
        #expect(omsorg["capability"] as? String == "social-care-records")
        #expect(omsorg["status"] as? String == "active")
        #expect(object["directed"] as? Bool == true)
    }

    @Test("GraphML parses as XML with declared keys and every node and edge")
    func graphml() throws {
        let graph = try Fixture.itemGraph()
        let document = try XMLDocument(data: Data(GraphMLWriter.write(graph).utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "graphml")
        let keys = root.elements(forName: "key")
        let keyIDs = Set(keys.compactMap { attr($0, "id") })
        let g = try #require(root.elements(forName: "graph").first)
        let nodes = g.elements(forName: "node"), edges = g.elements(forName: "edge")
        #expect(nodes.count == graph.nodes.count && edges.count == graph.edges.count)
        for element in nodes + edges {
            for data in element.elements(forName: "data") {
                #expect(keyIDs.contains(attr(data, "key") ?? ""))
            }
        }
        let names = nodes.flatMap { $0.elements(forName: "data") }.filter { attr($0, "key") == "n_name" }
        #expect(names.contains { $0.stringValue == "Webb \"Mina sidor\" & <tjänster> #1 \\ åäö" })
    }
}

@Suite("Views and limits")
struct ViewTests {
    @Test("--org draws the organisation and one step out, the rest styled outside")
    func organisation() throws {
        let graph = try Fixture.itemGraph(Selection(organisation: "ange"))
        let ids = Set(graph.nodes.map(\.id))
        #expect(ids == ["ange/omsorg", "ange/webb", "ange/serverhall", "inera/siths"])
        #expect(graph.nodes.filter(\.outside).map(\.id) == ["inera/siths"])
    }

    @Test("--focus walks up and down separately to --depth")
    func focus() throws {
        let one = try Fixture.itemGraph(Selection(focus: "inera/siths", depth: 1))
        #expect(Set(one.nodes.map(\.id)) == ["inera/siths", "inera/drift", "sundsvall/omsorg", "ange/omsorg"])
        #expect(one.nodes.first { $0.focal }?.id == "inera/siths")
        let two = try Fixture.itemGraph(Selection(focus: "inera/siths", depth: 2))
        // Up two: what depends on sundsvall/omsorg (bygglov, rapport); not omsorg's other dependencies.
        #expect(Set(two.nodes.map(\.id)) == ["inera/siths", "inera/drift", "sundsvall/omsorg", "ange/omsorg",
                                              "sundsvall/bygglov", "sundsvall/rapport"])
    }

    @Test("--layer and --capability narrow; unknown names are errors with a suggestion")
    func narrowing() throws {
        let soft = try Fixture.itemGraph(Selection(layer: .soft))
        #expect(soft.nodes.allSatisfy { $0.layer == .soft })
        #expect(soft.layersPresent == [.soft])
        let archive = try Fixture.itemGraph(Selection(capability: "e-archive"))
        #expect(archive.nodes.filter { !$0.outside }.map(\.id) == ["sundsvall/e-arkiv"])
        #expect(archive.nodes.count == 4)   // e-arkiv, serverhall, rapport, omsorg
        let catalog = Fixture.catalog()
        #expect(throws: SelectionError.self) { try Selection(organisation: "sundsval").pick(from: catalog) }
        do {
            _ = try Selection(focus: "inera/sith").pick(from: catalog)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("did you mean `inera/siths`"))
        }
    }

    @Test("--capability of one only national components have draws them, coloured, with what depends on them")
    func nationalOnlyCapability() throws {
        let graph = try Fixture.itemGraph(Selection(capability: "eid-staff"))
        #expect(Set(graph.nodes.map(\.id)) == ["inera/siths", "inera/drift", "sundsvall/omsorg", "ange/omsorg"])
        #expect(graph.nodes.filter { !$0.outside }.map(\.id) == ["inera/siths"])
        // A capability the municipalities have as well: theirs are the focus, national ones context.
        let datacenter = try Fixture.itemGraph(Selection(capability: "datacenter"))
        #expect(!datacenter.nodes.contains { $0.id == "inera/drift" })
        // --org of a national organisation: its items in colour.
        let inera = try Fixture.itemGraph(Selection(organisation: "inera"))
        #expect(inera.nodes.filter { !$0.outside }.map(\.id).sorted() == ["inera/drift", "inera/siths"])
    }

    @Test("--aggregate capability: one node per capability, sized by organisations, edges weighted")
    func capabilityAggregate() throws {
        let catalog = Fixture.catalog()
        let all = try Selection().pick(from: catalog)
        let graph = AggregateView.capability(all.items, catalog: catalog, vocabulary: Fixture.vocabulary, title: "t")
        let byID = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0) })
        #expect(Set(byID.keys) == ["capability:social-care-records", "capability:citizen-portal", "capability:e-service",
                                   "capability:e-archive", "capability:integration", "capability:eid-staff", "capability:datacenter"])
        #expect(byID["capability:social-care-records"]?.weight == 2)   // sundsvall and ange
        #expect(byID["capability:datacenter"]?.weight == 2)            // inera/drift is not drawn
        #expect(byID["capability:e-service"]?.weight == 0)             // only a planned item
        #expect(byID["capability:eid-staff"]?.weight == 1)             // inera
        #expect(byID["capability:social-care-records"]?.name == "Verksamhetssystem omsorg")
        #expect(byID["capability:e-archive"]?.layer == .soft)
        func weight(_ a: String, _ b: String) -> Int? {
            graph.edges.first { graph.nodes[$0.source].id == "capability:" + a && graph.nodes[$0.target].id == "capability:" + b }?.weight
        }
        #expect(weight("social-care-records", "datacenter") == 2)    // both omsorg → serverhall
        #expect(weight("social-care-records", "eid-staff") == 2)
        #expect(weight("citizen-portal", "datacenter") == 2)
        #expect(weight("integration", "datacenter") == 2)             // ring-b, gammal
        #expect(weight("datacenter", "social-care-records") == 1)     // rapport → omsorg, upward
        #expect(graph.edges.first { graph.nodes[$0.source].id == "capability:datacenter" }?.upward == true)
        #expect(weight("integration", "integration") == nil)          // inside one capability: no edge
        // The counts are edge labels, which the layout places on their edges (an `xlabel`,
        // placed afterwards, floated far from its edge in a country picture).
        let dot = DOTWriter.write(graph)
        #expect(dot.contains("\"capability:social-care-records\" -> \"capability:datacenter\" [") && dot.contains("label=2,"), "\(dot)")
        #expect(!dot.contains("xlabel"))
    }

    @Test("--aggregate org and county count organisations, items, coverage")
    func orgAndCounty() throws {
        let catalog = Fixture.catalog()
        let all = try Selection().pick(from: catalog)
        let orgs = AggregateView.organisation(all.items, catalog: catalog, title: "t")
        #expect(orgs.nodes.map(\.id) == ["org:inera", "org:sundsvall", "org:ange"])
        #expect(orgs.nodes.map(\.weight) == [1, 10, 3])
        let toInera = orgs.edges.filter { orgs.nodes[$0.target].id == "org:inera" }.map(\.weight)
        #expect(toInera == [1, 1])
        let counties = AggregateView.county(all.items, catalog: catalog, sweden: Fixture.sweden, title: "t")
        let vn = try #require(counties.nodes.first { $0.id == "county:22" })
        #expect(vn.weight == 2 && vn.detail?.hasPrefix("2/3 kommuner (67 %)") == true)
        #expect(counties.nodes.first { $0.id == "county:24" }?.weight == 0)
        #expect(counties.nodes.contains { $0.id == "county:national" && $0.outside })
        #expect(counties.edges.map(\.weight) == [2])   // two dependencies from län 22 to national components
    }

    @Test("keeping the strongest edges of an aggregate")
    func strongestEdges() throws {
        let catalog = Fixture.catalog()
        let all = try Selection().pick(from: catalog)
        var graph = AggregateView.capability(all.items, catalog: catalog, vocabulary: Fixture.vocabulary, title: "t")
        let before = graph.edges.count
        let (dropped, weakest) = graph.keepStrongestEdges(3)
        #expect(graph.edges.count == 3 && dropped == before - 3 && weakest <= graph.edges.map(\.weight).min()!)
    }

    @Test("formats from file names; engines and thresholds")
    func limits() {
        #expect(GraphFormat(fileName: "a/b.PNG") == .png)
        #expect(GraphFormat(fileName: "x.gv") == .dot)
        #expect(GraphFormat(fileName: "x.mmd") == .mermaid)
        #expect(GraphFormat(fileName: "x.yaml") == nil)
        #expect(GraphFormat.png.isBinary && GraphFormat.pdf.isBinary && !GraphFormat.svg.isBinary)
        #expect(DrawLimits.engine(kind: .items, nodes: 150, edges: 450) == "dot")
        #expect(DrawLimits.engine(kind: .items, nodes: 400, edges: 1_100) == "osage")
        #expect(DrawLimits.engine(kind: .items, nodes: 150, edges: 5_000) == "osage")
        #expect(DrawLimits.engine(kind: .capability, nodes: 400, edges: 1_100) == "dot")
        #expect(DrawLimits.engine(kind: .organisation, nodes: 1_000, edges: 150) == "sfdp")
        // Past 1,000 nodes sfdp's packing of unlinked nodes takes more than a few seconds (2,000:
        // 17 s; 20,000: minutes): a grid.
        #expect(DrawLimits.engine(kind: .organisation, nodes: 1_001, edges: 150) == "osage")
        #expect(DrawLimits.engine(kind: .organisation, nodes: 20_001, edges: 150) == "osage")
        // A folded picture sfdp lays out in seconds gets the progress note on a terminal.
        #expect(DrawLimits.estimatedSeconds(nodes: 1_000, edges: 150, engine: "sfdp") > DrawLimits.progressAfter)
        #expect(DrawLimits.estimatedSeconds(nodes: 300, edges: 150, engine: "sfdp") < DrawLimits.progressAfter)
        #expect(DrawLimits.engine(kind: .county, nodes: 500, edges: 5_000) == "sfdp")
        #expect(DrawLimits.estimatedSeconds(nodes: 400, edges: 1_100, engine: "dot") < 5)
        #expect(DrawLimits.estimatedSeconds(nodes: 1_500, edges: 4_500, engine: "osage") < 1)
        #expect(DrawLimits.estimatedSeconds(nodes: 2_000, edges: 6_000, engine: "dot") > 60)
    }
}
