import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

let findingKeys: Set<String> = ["rule", "severity", "message", "file", "line", "column", "organisation", "item", "related", "help"]
let summaryKeys: Set<String> = ["files", "organisations", "items", "errors", "warnings", "infos"]

func xmlDocument(_ text: String) throws -> XMLDocument {
    try XMLDocument(data: Data(text.utf8), options: [])
}

func elements(named name: String, in document: XMLDocument) throws -> [XMLElement] {
    try document.nodes(forXPath: "//\(name)").compactMap { $0 as? XMLElement }
}

// MARK: - The clean example set

@Suite("validate: the clean Västernorrland examples")
struct ValidateCleanExamplesTests {
    let path = "examples/vasternorrland"

    @Test("text: exit 0 and a summary line with 0 errors and 0 warnings")
    func text() throws {
        let r = try run(["validate", path])
        #expect(r.exit == 0, "\(r)")
        let last = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("0 errors, 0 warnings"), "summary line: \(last)")
        #expect(last.contains("5 files"), "summary line: \(last)")
        #expect(!r.stdout.contains("\u{1B}["), "colour escape codes written to a file that is not a terminal")
    }

    @Test("json: parses, summary.errors == 0 and the documented key set")
    func json() throws {
        let r = try run(["validate", path, "--format", "json"])
        #expect(r.exit == 0, "\(r)")
        let report = try Report(r.stdout)
        #expect(Set(report.object.keys) == ["findings", "summary", "failed"])
        #expect(Set(report.summary.keys) == summaryKeys)
        #expect(report.count("errors") == 0)
        #expect(report.count("warnings") == 0)
        #expect(report.count("files") == 5)
        #expect(report.count("organisations") == 4)
        for f in report.findings {
            #expect(Set(f.raw.keys) == findingKeys, "\(f)")
        }
    }

    @Test("sarif: version 2.1.0, rules listed, no results")
    func sarif() throws {
        let r = try run(["validate", path, "--format", "sarif"])
        #expect(r.exit == 0, "\(r)")
        let sarif = try jsonObject(r.stdout)
        #expect(sarif["version"] as? String == "2.1.0")
        let runs = try #require(sarif["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(!rules.isEmpty)
        #expect(rules.allSatisfy { ($0["id"] as? String)?.isEmpty == false })
        let results = try #require(runs.first?["results"] as? [Any])
        #expect(results.isEmpty, "results: \(results)")
        // validate and scan upload under categories of their own, so neither replaces the other.
        #expect((runs.first?["automationDetails"] as? [String: Any])?["id"] as? String == "infra/validate/")
        let scan = try jsonObject(try run(["scan", path, "--format", "sarif"]).stdout)
        #expect(((scan["runs"] as? [[String: Any]])?.first?["automationDetails"] as? [String: Any])?["id"] as? String == "infra/scan/")
    }

    @Test("github: no annotations other than notices")
    func github() throws {
        let r = try run(["validate", path, "--format", "github"])
        #expect(r.exit == 0, "\(r)")
        for line in r.stdout.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            #expect(line.hasPrefix("::notice"), "unexpected line: \(line)")
        }
        // Nothing to annotate is nothing written, not an empty line in the log.
        try withTemporaryDirectory { dir in
            try write(["a.yaml": "inventory: 1\norganisation: {id: a, name: A, type: annan}\nhard:\n  - {id: x, name: X, capability: datacenter}\n"], in: dir)
            let clean = try run(["validate", "--no-national", "a.yaml", "--format", "github"], cwd: dir)
            #expect(clean.exit == 0 && clean.stdout.isEmpty, "\(clean)")
        }
    }

    @Test("junit: well-formed XML with one testcase per file and no failures")
    func junit() throws {
        let r = try run(["validate", path, "--format", "junit"])
        #expect(r.exit == 0, "\(r)")
        let doc = try xmlDocument(r.stdout)
        let cases = try elements(named: "testcase", in: doc)
        #expect(cases.count == 5)
        let names = Set(cases.compactMap { $0.attribute(forName: "name")?.stringValue })
        #expect(names == [
            "examples/vasternorrland/ange.yaml",
            "examples/vasternorrland/digital-samverkan-vn.yaml",
            "examples/vasternorrland/region-vasternorrland.yaml",
            "examples/vasternorrland/sundsvall/integrations.yaml",
            "examples/vasternorrland/sundsvall/sundsvall.yaml",
        ])
        #expect(try elements(named: "failure", in: doc).isEmpty)
        #expect(try elements(named: "error", in: doc).isEmpty)
    }
}

// MARK: - The broken example

/// The 8 mistakes of examples/broken/broken.yaml that `validate` reports: rule, line, column.
/// Positions are found by searching the file for the offending text.
func brokenExpectations() throws -> [(rule: String, line: Int, column: Int, source: String)] {
    let file = try SourceLines(repoRoot.appendingPathComponent("examples/broken/broken.yaml"))
    func at(_ rule: String, _ token: String, occurrence: Int = 1, _ matching: @escaping (String) -> Bool) throws
        -> (rule: String, line: Int, column: Int, source: String) {
        let p = try #require(file.position(of: token, occurrence: occurrence, where: matching),
                             "`\(token)` not found in examples/broken/broken.yaml (was the example edited?)")
        return (rule, p.line, p.column, file.lines[p.line - 1])
    }
    func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }
    return [
        try at("org-number-checksum", "\"212000-0143\"") { $0.contains("org_number: \"212000-0143\"") },
        try at("unknown-key", "dependson") { trimmed($0).hasPrefix("dependson:") },
        try at("bad-enum", "activ") { trimmed($0) == "status: activ" },
        try at("bad-date", "2027-02-30") { trimmed($0) == "end_of_support: 2027-02-30" },
        try at("unresolved-reference", "inera/sith") { $0.contains("inera/sith,") },
        try at("capability-wrong-layer", "wifi") { trimmed($0) == "capability: wifi" },
        try at("duplicate-id", "diarium", occurrence: 2) { trimmed($0) == "- id: diarium" },
        try at("bad-id", "E_Arkiv") { trimmed($0) == "- id: E_Arkiv" },
    ]
}

@Suite("validate: the broken example")
struct ValidateBrokenExampleTests {
    let path = "examples/broken"
    let file = "examples/broken/broken.yaml"

    @Test("markdown: a failed heading, the counts and one row per finding, each at its line; the clean examples pass")
    func markdown() throws {
        let expected = try brokenExpectations()
        let r = try run(["validate", path, "--format", "markdown"])
        #expect(r.exit == 1, "\(r)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "## infra: failed", "\(r.stdout.prefix(300))")
        let rows = lines.filter { $0.hasPrefix("| error |") }
        #expect(rows.count == expected.count, "\(rows)")
        for e in expected {
            #expect(rows.contains { $0.contains("`\(file):\(e.line)`") && $0.contains("`\(e.rule)`") }, "no row for \(e.rule) at line \(e.line)")
        }
        let clean = try run(["validate", "examples/vasternorrland", "--format", "markdown"])
        #expect(clean.exit == 0 && clean.stdout.hasPrefix("## infra: passed"), "\(clean)")
    }

    @Test("json: exit 1 and exactly the expected rules at the expected lines and columns")
    func json() throws {
        let expected = try brokenExpectations()
        let r = try run(["validate", path, "--format", "json"])
        #expect(r.exit == 1, "\(r)")
        let report = try Report(r.stdout)
        #expect(Set(report.object.keys) == ["findings", "summary", "failed"])
        #expect(report.object["failed"] as? Bool == true, "the verdict, as the exit code gives it")
        #expect(Set(report.summary.keys) == summaryKeys)
        for f in report.findings {
            #expect(Set(f.raw.keys) == findingKeys, "\(f)")
            #expect(f.file == file, "\(f)")
            #expect(f.organisation == "upplands-vasby-broken", "\(f)")
            #expect(f.help?.isEmpty == false, "finding without help: \(f)")
        }
        let got = report.findings.map { "\($0.severity) \($0.rule) \($0.line ?? -1):\($0.column ?? -1)" }.sorted()
        let want = expected.map { "error \($0.rule) \($0.line):\($0.column)" }.sorted()
        #expect(got == want)
        #expect(report.count("errors") == 8)
        #expect(report.count("warnings") == 0)
        #expect(report.count("files") == 1)
        #expect(report.count("organisations") == 1)

        // The messages carry the suggestions a user acts on.
        let byRule = Dictionary(grouping: report.findings, by: \.rule)
        #expect(byRule["unknown-key"]?.first?.message.contains("depends_on") == true)
        #expect(byRule["bad-enum"]?.first?.message.contains("active") == true)
        #expect(byRule["unresolved-reference"]?.first?.message.contains("inera/siths") == true)
        #expect(byRule["unresolved-reference"]?.first?.item == "npo")
        #expect(byRule["duplicate-id"]?.first?.item == "diarium")
    }

    @Test("text: path:line:col: error:, the source line, an aligned caret and help:")
    func text() throws {
        let expected = try brokenExpectations()
        let r = try run(["validate", path])
        #expect(r.exit == 1, "\(r)")
        #expect(!r.stdout.contains("\u{1B}["), "colour escape codes written to a file that is not a terminal")
        let lines = r.stdout.components(separatedBy: "\n")
        for e in expected {
            let header = "\(file):\(e.line):\(e.column): error:"
            guard let h = lines.firstIndex(where: { $0.hasPrefix(header) }) else {
                Issue.record("no line starting `\(header)` for \(e.rule)\n\(r.stdout)")
                continue
            }
            #expect(lines[h].hasSuffix("[\(e.rule)]"), "\(lines[h])")
            // The next lines: the offending source line (indented), then a caret under the column.
            guard h + 2 < lines.count else {
                Issue.record("output ends after \(lines[h])")
                continue
            }
            let shown = lines[h + 1], caret = lines[h + 2]
            #expect(shown.hasSuffix(e.source), "source line for \(e.rule): got `\(shown)`, want it to end with `\(e.source)`")
            let indent = shown.count - e.source.count
            let caretColumn = caret.firstIndex(of: "^").map { caret.distance(from: caret.startIndex, to: $0) }
            #expect(caretColumn == indent + e.column - 1, "caret for \(e.rule) misplaced:\n\(shown)\n\(caret)")
            #expect(caret.trimmingCharacters(in: .whitespaces) == "^", "caret line: `\(caret)`")
            let rest = lines[(h + 3)...].prefix { !$0.hasPrefix(file) && !$0.isEmpty }
            #expect(rest.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("help:") },
                    "no help: after \(lines[h])")
        }
        #expect(lines.filter { $0.contains(": error:") }.count == 8)
        let last = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("8 errors, 0 warnings"), "summary line: \(last)")
    }

    @Test("text, CR LF line ends: the same source lines (without the CR) and carets")
    func textCRLF() throws {
        try withTemporaryDirectory { dir in
            let original = try String(contentsOf: repoRoot.appendingPathComponent(file), encoding: .utf8)
            let copy = dir.appendingPathComponent("broken.yaml")
            try original.replacingOccurrences(of: "\n", with: "\r\n").write(to: copy, atomically: true, encoding: .utf8)
            let lf = try run(["validate", path])
            let crlf = try run(["validate", copy.path])
            #expect(crlf.exit == 1, "\(crlf)")
            #expect(!crlf.stdout.contains("\r"), "a CR from the file reached the report")
            // Everything but the file's path is the same as for the LF original.
            #expect(crlf.stdout.replacingOccurrences(of: copy.path, with: file) == lf.stdout,
                    "CR LF:\n\(crlf.stdout)\nLF:\n\(lf.stdout)")
        }
    }

    @Test("github: ::error annotations with file and line")
    func github() throws {
        let expected = try brokenExpectations()
        let r = try run(["validate", path, "--format", "github"])
        #expect(r.exit == 1, "\(r)")
        let lines = r.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        #expect(lines.count == 8, "\(r.stdout)")
        for line in lines {
            #expect(line.hasPrefix("::error file=examples/broken/broken.yaml,line="), "\(line)")
        }
        for e in expected {
            #expect(lines.contains { $0.hasPrefix("::error file=\(file),line=\(e.line),") && $0.contains(e.rule) },
                    "no annotation for \(e.rule) at line \(e.line)")
        }
    }

    @Test("sarif: one result per error, each with its rule and line")
    func sarif() throws {
        let expected = try brokenExpectations()
        let r = try run(["validate", path, "--format", "sarif"])
        #expect(r.exit == 1, "\(r)")
        let sarif = try jsonObject(r.stdout)
        #expect(sarif["version"] as? String == "2.1.0")
        let run0 = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let results = try #require(run0["results"] as? [[String: Any]])
        #expect(results.count == 8)
        let driver = (run0["tool"] as? [String: Any])?["driver"] as? [String: Any]
        let ruleIDs = Set(((driver?["rules"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
        var got: [String] = []
        for result in results {
            let id = result["ruleId"] as? String ?? "?"
            #expect(ruleIDs.contains(id), "result rule \(id) is not among the driver's rules")
            #expect(result["level"] as? String == "error")
            let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            let uri = (location?["artifactLocation"] as? [String: Any])?["uri"] as? String
            #expect(uri == file)
            let line = (location?["region"] as? [String: Any])?["startLine"] as? Int ?? -1
            got.append("\(id) \(line)")
        }
        #expect(got.sorted() == expected.map { "\($0.rule) \($0.line)" }.sorted())
    }

    @Test("junit: well-formed XML, one testcase for the file, with failures")
    func junit() throws {
        let r = try run(["validate", path, "--format", "junit"])
        #expect(r.exit == 1, "\(r)")
        let doc = try xmlDocument(r.stdout)
        let cases = try elements(named: "testcase", in: doc)
        #expect(cases.count == 1)
        #expect(cases.first?.attribute(forName: "name")?.stringValue == file)
        // One failure (CI test views show one per test case) that lists every finding.
        let failures = try elements(named: "failure", in: doc)
        #expect(failures.count == 1)
        #expect(failures.first?.attribute(forName: "message")?.stringValue?.hasPrefix("8 errors: ") == true)
        for rule in try brokenExpectations().map(\.rule) {
            #expect(failures.first?.stringValue?.contains("[\(rule)]") == true, "\(rule)")
            #expect(failures.first?.attribute(forName: "type")?.stringValue?.contains(rule) == true, "\(rule)")
        }
    }

    @Test("--quiet still exits 1 on errors")
    func quiet() throws {
        let r = try run(["validate", path, "--quiet"])
        #expect(r.exit == 1, "\(r)")
    }
}

@Suite("validate: values shared through an alias")
struct ValidateAliasTests {
    @Test("a capability, standards or reference shared through an alias is one finding where it is written, naming the items")
    func oneFindingPerPlace() throws {
        let text = """
            inventory: 1
            organisation: {id: ange, name: Ånge kommun, type: kommun, code: "2260"}
            hard:
              - id: dc
                name: DC
                capability: &cap datacentre
                standards: &st [fgs]
                depends_on: &deps [nowhere]
              - id: dc2
                name: DC2
                capability: *cap
                standards: *st
                depends_on: *deps
            """
        try withTemporaryDirectory { dir in
            try write(["ange.yaml": text], in: dir)
            let r = try run(["validate", "ange.yaml", "--format", "json"], cwd: dir)
            let report = try Report(r.stdout)
            let want: [(rule: String, line: Int)] = [("unknown-capability", 6), ("unknown-standard", 7), ("unresolved-reference", 8)]
            #expect(report.findings.map(\.rule).sorted() == want.map(\.rule), "\(report.findings)")
            for (rule, line) in want {
                let f = try #require(report.findings.first { $0.rule == rule })
                #expect(f.line == line && f.file == "ange.yaml", "\(f)")
                #expect(f.message.hasSuffix("used by 2 items through an alias: `dc`, `dc2`") || f.message.hasSuffix("used by 2 items through an alias: `dc`, `dc2`)"), "\(f)")
            }
            #expect(report.count("warnings") == 2 && report.count("errors") == 1, "\(report.summary)")
            // No `related`: the items would become the fingerprint's subject, and a baseline
            // would lose the finding whenever one more item used the alias.
            #expect(report.findings.allSatisfy { $0.related.isEmpty }, "\(report.findings)")
            // The rule's own words stay first: the suggestion of the nearest capability is kept.
            #expect(report.findings.first { $0.rule == "unknown-capability" }?.message.contains("did you mean `datacenter`") == true)
        }
    }
}

@Suite("validate: an organisation split over several files")
struct ValidateSplitHeaderTests {
    @Test("a partial header's fields that the full header does not hold are errors at each field; repeating the full header's value is not")
    func partialHeaderFields() throws {
        let full = """
            inventory: 1
            organisation: {id: upplands-vasby, name: Upplands Väsby kommun, type: kommun, code: "0114"}
            hard:
              - {id: dc, name: DC, capability: datacenter}
            """
        let conflicting = """
            inventory: 1
            organisation: {id: upplands-vasby, code: "0180", parent: nowhere}
            hard:
              - {id: dc2, name: DC2, capability: datacenter}
            """
        let repeating = """
            inventory: 1
            organisation: {id: upplands-vasby, code: "0114"}
            hard:
              - {id: dc3, name: DC3, capability: datacenter}
            """
        try withTemporaryDirectory { dir in
            try write(["inv/a.yaml": full, "inv/b.yaml": conflicting, "inv/c.yaml": repeating], in: dir)
            let r = try run(["validate", "--no-national", "inv", "--format", "json"], cwd: dir)
            #expect(r.exit == 1, "\(r)")
            let report = try Report(r.stdout)
            #expect(report.findings.count == 2, "\(report.findings)")
            #expect(report.findings.allSatisfy { $0.rule == "duplicate-header" && $0.file == "inv/b.yaml" && $0.line == 2 })
            let code = try #require(report.findings.first { $0.message.hasPrefix("`code: \"0180\"`") })
            #expect(code.column == 42 && code.message.contains("(inv/a.yaml:2)") && code.message.hasSuffix("which has \"0114\""), "\(code)")
            let parent = try #require(report.findings.first { $0.message.hasPrefix("`parent: \"nowhere\"`") })
            #expect(parent.message.hasSuffix("which has no `parent`"), "\(parent)")
            // The items of all three files are merged into the one organisation.
            #expect(report.count("organisations") == 1 && report.count("items") == 3, "\(report.summary)")
        }
    }
}

@Suite("validate: a second header with a name")
struct ValidateSecondNamedHeaderTests {
    @Test("a split file's header with a name and no type is a duplicate header, not also a missing type; deleting the name fixes it")
    func nameInSecondHeader() throws {
        let full = "inventory: 1\norganisation: {id: acme, name: Acme, type: annan}\nhard:\n  - {id: a, name: A, capability: datacenter}\n"
        let second = "inventory: 1\norganisation: {id: acme, name: Acme}\nhard:\n  - {id: b, name: B, capability: datacenter}\n"
        try withTemporaryDirectory { dir in
            try write(["inv/a.yaml": full, "inv/b.yaml": second], in: dir)
            let r = try run(["validate", "--no-national", "inv", "--format", "json"], cwd: dir)
            #expect(try Report(r.stdout).findings.map(\.rule) == ["duplicate-header"], "\(r.stdout)")
            // Read first, the name-only header is still the duplicate: the complete one is used.
            try write(["inv/0.yaml": second, "inv/b.yaml": full], in: dir)
            try FileManager.default.removeItem(at: dir.appendingPathComponent("inv/a.yaml"))
            let first = try run(["validate", "--no-national", "inv", "--format", "json"], cwd: dir)
            let findings = try Report(first.stdout).findings
            #expect(findings.map(\.rule) == ["duplicate-header"] && findings.first?.file == "inv/0.yaml", "\(first.stdout)")
            try FileManager.default.removeItem(at: dir.appendingPathComponent("inv/0.yaml"))
            try write(["inv/a.yaml": full], in: dir)
            try write(["inv/b.yaml": second.replacingOccurrences(of: ", name: Acme}", with: "}")], in: dir)
            let fixed = try run(["validate", "--no-national", "inv", "--format", "json"], cwd: dir)
            let remaining = try Report(fixed.stdout).findings
            #expect(fixed.exit == 0 && remaining.isEmpty, "\(fixed.stdout)")
        }
    }
}

@Suite("github annotations")
struct GitHubAnnotationTests {
    @Test("file names and messages are escaped as GitHub workflow commands require")
    func escaping() throws {
        try withTemporaryDirectory { dir in
            try write(["we,ird:dir/f.yaml": header("x") + "hard:\n  - id: a\n    name: A\n    capability: \"data%centre\"\n"], in: dir)
            let r = try run(["validate", "we,ird:dir", "--format", "github"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 1, "\(r.stdout)")
            let line = lines.first ?? ""
            #expect(line.hasPrefix("::warning file=we%2Cird%3Adir/f.yaml,line=9,"), "\(line)")
            #expect(line.contains("data%25centre"), "`%` in the message not escaped: \(line)")
        }
    }

    @Test("in an Actions log a text report quoting what reads as a workflow command stops command processing around itself")
    func textReportCannotInjectCommands() throws {
        try withTemporaryDirectory { dir in
            try write(["f.yaml": header("x") + "\"::error file=README.md,line=1::all good\": 1\nhard:\n  - id: a\n    name: \"##[stop-commands]x\"\n"], in: dir)
            let actions = ["GITHUB_ACTIONS": "true", "NO_COLOR": "1"]
            // To the log (a terminal here; a pipe in Actions): between ::stop-commands::TOKEN and ::TOKEN::.
            let r = try run(["validate", "f.yaml", "--quiet"], cwd: dir, environment: actions, onTerminal: true)
            let lines = r.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
            let token = try #require(lines.first { $0.hasPrefix("::stop-commands::") }.map { String($0.dropFirst("::stop-commands::".count)) }, "\(r.stdout)")
            #expect(token.count >= 16, "a token the inventory cannot guess: \(token)")
            let start = try #require(lines.firstIndex(of: "::stop-commands::\(token)"))
            let end = try #require(lines.firstIndex(of: "::\(token)::"), "\(r.stdout)")
            let quoted = try #require(lines.firstIndex { $0.contains("::error file=README.md") }, "\(r.stdout)")
            #expect(start < quoted && quoted < end, "\(r.stdout)")
            // Into a file, or outside Actions, or as annotations: as it is.
            let file = try run(["validate", "f.yaml", "--quiet"], cwd: dir, environment: actions)
            #expect(!file.stdout.contains("stop-commands::") && file.stdout.contains("::error file=README.md"), "\(file)")
            let plain = try run(["validate", "f.yaml", "--quiet"], cwd: dir, environment: ["NO_COLOR": "1"], onTerminal: true)
            #expect(!plain.stdout.contains("::stop-commands::"), "\(plain)")
            let github = try run(["validate", "f.yaml", "--format", "github"], cwd: dir, environment: actions, onTerminal: true)
            #expect(!github.stdout.contains("::stop-commands::") && github.stdout.contains("::error file=f.yaml"), "\(github)")
        }
    }
}
