import Foundation
import InfraDraw
import InfraGraph
import InfraModel
import Testing

/// Mermaid output checked against the flowchart grammar (mermaid-js, flow.jison), and, where
/// the machine has it, by Mermaid's own parser.
@Suite("Mermaid")
struct MermaidTests {
    /// Every view of the fixture, and a picture of names made to break Mermaid.
    static func diagrams() throws -> [(String, DrawGraph)] {
        let catalog = Fixture.catalog()
        let all = try Selection().pick(from: catalog)
        return [
            ("items", try Fixture.itemGraph()),
            ("org", try Fixture.itemGraph(Selection(organisation: "sundsvall"))),
            ("focus", try Fixture.itemGraph(Selection(focus: "inera/siths", depth: 2))),
            ("layer", try Fixture.itemGraph(Selection(layer: .soft))),
            ("capability", AggregateView.capability(all.items, catalog: catalog, vocabulary: Fixture.vocabulary, title: "by capability")),
            ("organisation", AggregateView.organisation(all.items, catalog: catalog, title: "by organisation")),
            ("county", AggregateView.county(all.items, catalog: catalog, sweden: Fixture.sweden, title: "by county")),
            ("hostile", hostile()),
            ("empty", DrawGraph(kind: .items, title: "nothing")),
        ]
    }

    /// Names that end or confuse Mermaid's labels, ids and statements.
    static let hostileNames = [
        #"Webb "Mina sidor" & <tjänster> #1; \ åäö ÅÄÖ é"#,
        "end", "subgraph", "style", "classDef", "class", "click", "linkStyle", "default", "graph", "flowchart",
        "Byt direction LR nu", "DIRECTION TB", "[a] {b} (c) ((d)) [[e]] [(f)] (-g-) [/h/] |i| ; : ::: , *",
        "a --> b ~~~ c -.- d === e", "%% not a comment", "%%{init: {}}%%", "`markdown` **fet**", "#quot; #35; &amp;",
        "tab\there", "rad ett\nrad två", "★ ⚠ ↻ ⚡ 🚀", " ", "",
    ]

    static func hostile() -> DrawGraph {
        var graph = DrawGraph(kind: .items, title: #"Title "quoted" #1 <b> & end"#)
        let layers: [Layer] = [.services, .soft, .hard]
        for (g, name) in ["Org \"A\" [x] end", "direction LR"].enumerated() {
            graph.groups.append(DrawGraph.Group(id: "org\(g)", name: name, outside: g == 1, national: g == 1))
        }
        for (k, name) in hostileNames.enumerated() {
            var node = DrawGraph.Node(id: "org\(k % 2)/item-\(k)", name: name, layer: layers[k % 3], tooltip: name)
            node.group = k % 2
            node.outside = k % 2 == 1
            node.critical = k % 5 == 0
            node.status = [.active, .planned, .retired, .active][k % 4]
            node.ungrounded = k % 7 == 0
            node.inCycle = k % 11 == 0
            node.blast = k
            node.detail = k % 6 == 0 ? #"detail "x" #2"# : nil
            graph.nodes.append(node)
        }
        for k in 1..<graph.nodes.count {
            var edge = DrawGraph.Edge(source: k - 1, target: k)
            edge.upward = k % 3 == 0
            edge.crossOrganisation = true
            edge.inCycle = k % 4 == 0
            graph.edges.append(edge)
        }
        return graph
    }

    @Test("every line is one of the flowchart statements the writer may write, with safe ids and labels")
    func grammar() throws {
        for (name, graph) in try Self.diagrams() {
            let problems = Self.check(MermaidWriter.write(graph), graph: graph)
            #expect(problems.isEmpty, "\(name): \(problems.prefix(5).joined(separator: "; "))")
        }
    }

    @Test("the checker catches what Mermaid would refuse")
    func checkerCatches() {
        let bad = [
            "flowchart TB\n  end[\"x\"]\n",                      // `end` as an id
            "flowchart TB\n  n0[\"say \"hi\"\"]\n",              // a quote inside a label
            "flowchart TB\n  n0[\"C# raw\"]\n",                  // `#` outside an entity code
            "flowchart TB\n  n0[\"Byt direction LR\"]\n",        // the direction trap
            "flowchart TB\n  n0[\"a\"]\n  n0 --> n1\n",          // an undeclared id
            "flowchart TB\n  subgraph S[\"s\"]\n",               // an unclosed subgraph
            "flowchart TB\n  n0[\"a\"]\n  n0 --> n0\n  linkStyle 3 stroke:#f00\n",  // linkStyle out of range
            "graph LR\n  n0[\"a\"]\n",                           // not what the writer writes
        ]
        for text in bad { #expect(!Self.check(text, graph: nil).isEmpty, "\(text)") }
        #expect(Self.check("flowchart TB\n  n0[\"C#35; ok\"]\n", graph: nil).isEmpty)
    }

    @Test("labels: Swedish letters as they are, the rest as entity codes; `direction` defused")
    func escaping() {
        #expect(MermaidWriter.escape("Ånge kommun åäö") == "Ånge kommun åäö")
        #expect(MermaidWriter.escape(#"a "b" #1 <c> & `d`"#) == "a #quot;b#quot; #35;1 #lt;c#gt; #amp; #96;d#96;")
        #expect(MermaidWriter.escape("Byt direction LR") == "Byt #100;irection LR")
        #expect(MermaidWriter.escape("DIRECTION") == "#68;IRECTION")
        #expect(MermaidWriter.escape("direct") == "direct")
        #expect(MermaidWriter.escape("rad\nett\ttab") == "rad ett tab")
    }

    @Test("an item picture with more links than Mermaid draws is counted as such")
    func linkLimit() throws {
        let graph = try Fixture.itemGraph()
        #expect(MermaidWriter.linkCount(graph) == graph.edges.count + 2)   // two invisible links stack three layers
        #expect(MermaidWriter.maxEdges == 500)
    }

    @Test("Mermaid's own parser accepts every diagram (where node, jsdom and mermaid.min.js are installed)",
          .enabled(if: MermaidParser.available != nil, "needs node, node-jsdom and mermaid.min.js (MERMAID_JS)"))
    func mermaidParser() throws {
        let parser = try #require(MermaidParser.available)
        var files: [URL] = []
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("infra-mermaid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, graph) in try Self.diagrams() {
            let file = directory.appendingPathComponent(name + ".mmd")
            try MermaidWriter.write(graph).write(to: file, atomically: true, encoding: .utf8)
            files.append(file)
        }
        // A control the parser must refuse, so that a checker that accepts everything fails.
        let control = directory.appendingPathComponent("control.mmd")
        try "flowchart TB\n  n0[\"a\"] --> end\n".write(to: control, atomically: true, encoding: .utf8)
        let results = try parser.parse(files + [control])
        for file in files { #expect(results[file.path] == "ok", "\(file.lastPathComponent): \(results[file.path] ?? "no answer")") }
        #expect(results[control.path]?.hasPrefix("error") == true)
    }

    // MARK: the grammar check

    /// Words Mermaid's flowchart lexer reads as keywords where an id would stand.
    static let keywords: Set<String> = ["end", "subgraph", "graph", "flowchart", "flowchart-elk", "style", "default", "linkStyle",
                                        "interpolate", "classDef", "class", "click", "call", "href", "direction",
                                        "_self", "_blank", "_parent", "_top", "accTitle", "accDescr"]

    /// Problems with `text` as a Mermaid flowchart of the shape MermaidWriter writes: each
    /// line one statement (comment, `flowchart TB`, `subgraph ID["…"]`, `direction TB`, `end`,
    /// `ID["…"]`, `ID --> ID`, `ID -->|N| ID`, `ID ~~~ ID …`, `classDef`, `class`, `linkStyle`);
    /// ids plain words that are not keywords; labels without quotes or backquotes, `#` only in
    /// Mermaid's entity codes, `<` and `>` only in `<br/>`, no `direction` + TB/BT/LR/RL on a
    /// line; every linked or classed id declared, subgraphs balanced and unique; link count
    /// and `linkStyle` indices within Mermaid's limits.
    static func check(_ text: String, graph: DrawGraph?) -> [String] {
        var problems: [String] = []
        let id = try! Regex("^[A-Za-z_][A-Za-z0-9_]*$")
        func plainID(_ s: Substring) -> Bool { s.wholeMatch(of: id) != nil && !keywords.contains(String(s)) }
        let entity = try! Regex("^#([0-9]+|[a-zA-Z]+);")
        func label(_ s: Substring, _ where_: String) {
            if s.contains("\"") || s.contains("`") { problems.append("\(where_): quote or backquote in a label") }
            var rest = s[...]
            while let hash = rest.firstIndex(of: "#") {
                let tail = rest[hash...]
                if let match = tail.prefixMatch(of: entity) {
                    let code = String(match.output[1].substring ?? "")
                    let named = ["quot", "amp", "lt", "gt", "nbsp", "apos"]
                    if !(code.allSatisfy(\.isNumber) || named.contains(code)) { problems.append("\(where_): unknown entity #\(code);") }
                    rest = tail[match.range.upperBound...]
                } else {
                    problems.append("\(where_): `#` outside an entity code")
                    rest = tail.dropFirst()
                }
            }
            if s.replacingOccurrences(of: "<br/>", with: "").contains(where: { $0 == "<" || $0 == ">" }) {
                problems.append("\(where_): `<` or `>` in a label")
            }
            if s.contains(where: { $0 == "\n" || $0 == "\r" }) { problems.append("\(where_): line break in a label") }
        }
        // flow.jison: `.*direction\s+(TB|BT|RL|LR)` is tried before anything else on a line.
        let direction = try! Regex("direction\\s+(TB|BT|RL|LR)")

        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var sawHeader = false
        var declared = Set<String>(), subgraphs = Set<String>(), classes = Set<String>()
        var depth = 0, links = 0
        var used: [String] = [], classUses: [String] = [], styled: [Int] = []
        for (n, line) in lines.enumerated() where !line.isEmpty {
            let at = "line \(n + 1)"
            if line.hasPrefix("%%") {
                if line.hasPrefix("%%{") { problems.append("\(at): a comment that reads as a directive") }
                continue
            }
            if !sawHeader {
                if line != "flowchart TB" { problems.append("\(at): expected `flowchart TB`, found `\(line)`") }
                sawHeader = true
                continue
            }
            if line == "direction TB" { continue }
            if line.firstMatch(of: direction) != nil { problems.append("\(at): `direction` trap in `\(line)`") }
            if line == "end" {
                depth -= 1
                if depth < 0 { problems.append("\(at): `end` without a subgraph") }
                continue
            }
            if line.hasPrefix("subgraph ") {
                let rest = line.dropFirst("subgraph ".count)
                guard let open = rest.firstIndex(of: "["), rest.hasSuffix("\"]"), rest[rest.index(after: open)] == "\"" else {
                    problems.append("\(at): subgraph without a quoted title")
                    continue
                }
                let sid = rest[..<open]
                if !plainID(sid) { problems.append("\(at): subgraph id `\(sid)`") }
                if !subgraphs.insert(String(sid)).inserted { problems.append("\(at): subgraph `\(sid)` twice") }
                label(rest[rest.index(open, offsetBy: 2)..<rest.index(rest.endIndex, offsetBy: -2)], at)
                depth += 1
                continue
            }
            if line.hasPrefix("classDef ") {
                let parts = line.split(separator: " ", maxSplits: 2)
                if parts.count != 3 || !plainID(parts[1]) { problems.append("\(at): classDef") } else { classes.insert(String(parts[1])) }
                continue
            }
            if line.hasPrefix("class ") {
                let parts = line.split(separator: " ")
                if parts.count != 3 { problems.append("\(at): class statement"); continue }
                for member in parts[1].split(separator: ",") {
                    if !plainID(member) { problems.append("\(at): class member `\(member)`") }
                    used.append(String(member))
                }
                classUses.append(String(parts[2]))
                continue
            }
            if line.hasPrefix("linkStyle ") {
                let parts = line.split(separator: " ", maxSplits: 2)
                guard parts.count == 3 else { problems.append("\(at): linkStyle"); continue }
                for index in parts[1].split(separator: ",") {
                    guard let i = Int(index) else { problems.append("\(at): linkStyle index `\(index)`"); continue }
                    styled.append(i)
                }
                continue
            }
            if let open = line.firstIndex(of: "["), line.index(after: open) < line.endIndex, line[line.index(after: open)] == "\"",
               line[..<open].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                let nid = line[..<open]
                guard line.hasSuffix("\"]") else { problems.append("\(at): node label not closed"); continue }
                if !plainID(nid) { problems.append("\(at): node id `\(nid)`") }
                if !declared.insert(String(nid)).inserted { problems.append("\(at): node `\(nid)` twice") }
                label(line[line.index(open, offsetBy: 2)..<line.index(line.endIndex, offsetBy: -2)], at)
                continue
            }
            if line.contains(" ~~~ ") {
                let ends = line.components(separatedBy: " ~~~ ")
                for end in ends where !plainID(end[...]) || !subgraphs.contains(end) { problems.append("\(at): invisible link to `\(end)`") }
                links += ends.count - 1
                continue
            }
            if let arrow = line.range(of: " -->") {
                let source = line[..<arrow.lowerBound]
                var rest = line[arrow.upperBound...]
                if rest.hasPrefix("|") {
                    let body = rest.dropFirst()
                    guard let close = body.firstIndex(of: "|"), Int(body[..<close]) != nil else {
                        problems.append("\(at): edge text")
                        continue
                    }
                    rest = body[body.index(after: close)...]
                }
                guard rest.hasPrefix(" ") else { problems.append("\(at): link `\(line)`"); continue }
                let target = rest.dropFirst()
                for end in [source, target] {
                    if !plainID(end) { problems.append("\(at): link end `\(end)`") }
                    used.append(String(end))
                }
                links += 1
                continue
            }
            problems.append("\(at): not a statement the writer writes: `\(line)`")
        }
        if !sawHeader { problems.append("no `flowchart TB`") }
        if depth != 0 { problems.append("\(depth) subgraph(s) not closed") }
        for u in used where !declared.contains(u) { problems.append("`\(u)` used but not declared") }
        for c in classUses where !classes.contains(c) { problems.append("class `\(c)` has no classDef") }
        if links > MermaidWriter.maxEdges { problems.append("\(links) links; Mermaid draws at most \(MermaidWriter.maxEdges)") }
        for i in styled where i < 0 || i >= links { problems.append("linkStyle \(i) of \(links) links") }
        if let graph, graph.nodes.count != declared.count { problems.append("\(declared.count) nodes declared for \(graph.nodes.count)") }
        return problems
    }
}

/// Mermaid's own parser (`mermaid.parse`), run by node with jsdom for the DOM Mermaid's
/// sanitiser expects: Debian `nodejs` and `node-jsdom`, and `mermaid.min.js` (e.g. from the
/// PyPI package artoo-mermaid) at `$MERMAID_JS` or /usr/local/share/mermaid/mermaid.min.js.
struct MermaidParser {
    let node: String
    let mermaid: String

    static let available: MermaidParser? = {
        let fm = FileManager.default
        let env = ProcessInfo.processInfo.environment
        let candidates = [env["MERMAID_JS"], "/usr/local/share/mermaid/mermaid.min.js", "/usr/share/javascript/mermaid/mermaid.min.js"]
        guard let mermaid = candidates.compactMap({ $0 }).first(where: { fm.fileExists(atPath: $0) }),
              let node = ["/usr/bin/node", "/usr/local/bin/node", "/usr/bin/nodejs"].first(where: { fm.isExecutableFile(atPath: $0) }),
              fm.fileExists(atPath: "/usr/share/nodejs/jsdom") || env["NODE_PATH"] != nil
        else { return nil }
        return MermaidParser(node: node, mermaid: mermaid)
    }()

    /// The script: loads Mermaid into a jsdom window and parses each file; prints
    /// `ok PATH` or `error PATH: message` per file.
    static let script = #"""
    const fs = require('fs');
    const vm = require('vm');
    const { JSDOM } = require('jsdom');
    const dom = new JSDOM('<!DOCTYPE html><body></body>', { pretendToBeVisual: true });
    for (const key of ['window', 'document', 'navigator', 'Element', 'HTMLElement', 'Node', 'DocumentFragment', 'DOMParser',
                       'NodeFilter', 'NamedNodeMap', 'HTMLFormElement', 'HTMLTemplateElement', 'Text', 'Comment']) {
      if (!(key in globalThis) || ['window', 'document', 'navigator'].includes(key)) {
        Object.defineProperty(globalThis, key, { value: key === 'window' ? dom.window : dom.window[key], configurable: true, writable: true });
      }
    }
    vm.runInThisContext(fs.readFileSync(process.argv[2], 'utf8'));
    let mermaid = globalThis.mermaid ?? globalThis.__esbuild_esm_mermaid_nm?.mermaid;
    if (mermaid && mermaid.default) mermaid = mermaid.default;
    (async () => {
      for (const file of process.argv.slice(3)) {
        try { await mermaid.parse(fs.readFileSync(file, 'utf8')); console.log('ok ' + file); }
        catch (e) { console.log('error ' + file + ': ' + String(e.message || e).split('\n').join(' | ')); }
      }
    })();
    """#

    /// File path → "ok" or "error: …".
    func parse(_ files: [URL]) throws -> [String: String] {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("infra-mermaid-check-\(UUID().uuidString).js")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: node)
        process.arguments = [script.path, mermaid] + files.map(\.path)
        var environment = ProcessInfo.processInfo.environment
        environment["NODE_PATH"] = [environment["NODE_PATH"], "/usr/share/nodejs"].compactMap { $0 }.joined(separator: ":")
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var results: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            for file in files {
                if line == "ok " + file.path { results[file.path] = "ok" }
                if line.hasPrefix("error " + file.path + ":") { results[file.path] = "error" + line.dropFirst(("error " + file.path).count) }
            }
        }
        return results
    }
}
