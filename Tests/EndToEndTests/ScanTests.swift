import Foundation
import Testing

@Suite("scan: the clean Västernorrland examples")
struct ScanCleanExamplesTests {
    let path = "examples/vasternorrland"

    @Test("text: exit 0 and every section of the overview")
    func text() throws {
        let r = try run(["scan", path])
        #expect(r.exit == 0, "\(r)")
        for section in ["Baseline gaps", "Largest blast radius", "Consolidation candidates", "Gauge breaks", "Findings"] {
            #expect(r.stdout.split(separator: "\n").contains { $0.hasPrefix(section) }, "no section `\(section)`\n\(r.stdout)")
        }
        let last = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("0 errors, 0 warnings"), "summary line: \(last)")
        #expect(!r.stdout.contains("\u{1B}["), "colour escape codes written to a file that is not a terminal")
    }

    @Test("colour on a terminal only, and not with NO_COLOR set or on TERM=dumb")
    func colourOnTerminal() throws {
        let escape = "\u{1B}["
        // An empty NO_COLOR does not count (no-color.org); any other value does. (The test
        // runner's environment carries a NO_COLOR of its own, so every case sets it.)
        let terminal = try run(["scan", path], environment: ["TERM": "xterm", "NO_COLOR": ""], onTerminal: true)
        #expect(terminal.exit == 0 && terminal.stdout.contains(escape), "\(terminal)")
        for environment in [["TERM": "xterm", "NO_COLOR": "1"], ["TERM": "dumb", "NO_COLOR": ""]] {
            let plain = try run(["scan", path], environment: environment, onTerminal: true)
            #expect(plain.exit == 0 && !plain.stdout.contains(escape) && plain.stdout.contains("Largest blast radius"), "\(environment): \(plain)")
        }
    }

    @Test("json: overview of 4 organisations, no errors or warnings")
    func json() throws {
        let r = try run(["scan", path, "--format", "json"])
        #expect(r.exit == 0, "\(r)")
        let report = try Report(r.stdout)
        #expect(Set(report.object.keys) == ["findings", "summary", "failed", "overview"])
        #expect(Set(report.summary.keys) == summaryKeys)
        let overview = try #require(report.object["overview"] as? [String: Any])
        #expect(overview["organisations"] as? Int == 4)
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.warnings.isEmpty, "\(report.warnings)")
        for f in report.findings {
            #expect(Set(f.raw.keys) == findingKeys, "\(f)")
        }
        // What text and Markdown list, counted: the findings of those rules.
        #expect(overview["consolidation_candidates"] as? Int == report.findings.filter { $0.rule == "consolidation-candidate" }.count)
        #expect(overview["gauge_breaks"] as? Int == report.findings.filter { $0.rule == "gauge-break" }.count)
        #expect((overview["consolidation_candidates"] as? Int ?? 0) > 0, "the examples share products")
        // The hotspots: at most ten, highest risk score first.
        let hotspots = try #require(overview["largest_blast_radius"] as? [[String: Any]])
        let scores = hotspots.compactMap { $0["score"] as? Int }
        #expect(!hotspots.isEmpty && hotspots.count <= 10 && scores.count == hotspots.count, "\(hotspots)")
        #expect(scores == scores.sorted(by: >), "not ranked by score: \(scores)")
        for h in hotspots {
            let services = try #require(h["services"] as? Int), critical = try #require(h["critical"] as? Int)
            #expect(h["score"] as? Int == services + 3 * critical, "critical items weigh four times: \(h)")
        }
    }

    @Test("--format junit, as validate's: one test case per file, the errors a failure, the exit code the same; with a baseline, passed")
    func junit() throws {
        let broken = try run(["scan", "examples/broken", "--format", "junit"])
        #expect(broken.exit == 1, "\(broken)")
        #expect(broken.stdout.hasPrefix("<?xml") && broken.stdout.contains("<testcase classname=\"infra\" name=\"examples/broken/broken.yaml\">"))
        // scan adds the upward dependency to validate's eight.
        #expect(broken.stdout.contains("<failure message=\"9 errors:"), "\(broken.stdout.prefix(600))")
        try withTemporaryDirectory { dir in
            let baseline = dir.appendingPathComponent("baseline.json").path
            #expect(try run(["scan", "examples/broken", "--write-baseline", baseline]).exit == 0)
            let accepted = try run(["scan", "examples/broken", "--format", "junit", "--baseline-findings", baseline])
            #expect(accepted.exit == 0 && !accepted.stdout.contains("<failure"), "\(accepted)")
        }
    }

    @Test("the largest blast radii are marked single points of failure exactly when a finding says so")
    func blastRadiusAgreesWithFindings() throws {
        // The overview listed its top ten under "Single points of failure" whatever their score,
        // while the findings (above --spof) said none of them was one.
        for spof in [25, 20, 12] {
            let json = try Report(try run(["scan", path, "--spof", String(spof), "--format", "json"]).stdout)
            let overview = try #require(json.object["overview"] as? [String: Any])
            #expect(overview["spof_threshold"] as? Int == spof)
            let hotspots = try #require(overview["largest_blast_radius"] as? [[String: Any]])
            let flagged = Set(json.findings.filter { $0.rule == "single-point-of-failure" }.map { "\($0.organisation ?? "")/\($0.item ?? "")" })
            let marked = Set(hotspots.filter { $0["above_spof_threshold"] as? Bool == true }.compactMap { $0["item"] as? String })
            #expect(marked == flagged.intersection(hotspots.compactMap { $0["item"] as? String }), "--spof \(spof): \(hotspots)")
            for h in hotspots { #expect(h["above_spof_threshold"] as? Bool == ((h["score"] as? Int ?? 0) > spof), "\(h)") }

            let text = try run(["scan", path, "--spof", String(spof)]).stdout
            let markedLines = Set(text.split(separator: "\n").filter { $0.hasSuffix("single point of failure") }
                .compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) })
            #expect(markedLines == marked, "--spof \(spof):\n\(text)")
        }
    }

    @Test("--org sundsvall narrows the findings to Sundsvall")
    func org() throws {
        let r = try run(["scan", path, "--org", "sundsvall", "--format", "json"])
        #expect(r.exit == 0, "\(r)")
        let report = try Report(r.stdout)
        #expect(!report.findings.isEmpty, "expected at least one finding about sundsvall")
        for f in report.findings {
            #expect(f.organisation == "sundsvall" || f.related.contains { $0.hasPrefix("sundsvall/") },
                    "finding not about sundsvall: \(f)")
        }
        let overview = try #require(report.object["overview"] as? [String: Any])
        #expect(overview["organisations"] as? Int == 1)
        for spof in overview["largest_blast_radius"] as? [[String: Any]] ?? [] {
            #expect((spof["item"] as? String)?.hasPrefix("sundsvall/") == true, "\(spof)")
        }

        // Findings about other organisations are dropped: the full scan has one that --org removes.
        let all = try Report(try run(["scan", path, "--format", "json"]).stdout)
        #expect(report.findings.count <= all.findings.count)
    }

    @Test("--org keeps a file no organisation could be read from: one of its files unreadable fails the run")
    func orgKeepsUnreadableFiles() throws {
        try withTemporaryDirectory { dir in
            for name in try FileManager.default.contentsOfDirectory(atPath: path) where name.hasSuffix(".yaml") {
                try FileManager.default.copyItem(atPath: "\(path)/\(name)", toPath: dir.appendingPathComponent(name).path)
            }
            // Meant as part of Ånge, but the YAML is broken, so nothing in it is read.
            try write(["ange-extra.yaml": "inventory: 1\norganisation: {id: ange}\nservices:\n  - id: x\n    name: \"unclosed\n"], in: dir)
            let r = try run(["scan", ".", "--org", "ange", "--format", "json"], cwd: dir)
            #expect(r.exit == 1, "\(r)")
            let report = try Report(r.stdout)
            #expect(report.findings.contains { $0.rule == "yaml-syntax" && $0.file?.hasSuffix("ange-extra.yaml") == true }, "\(r.stdout)")
            let github = try run(["scan", ".", "--org", "ange", "--format", "github"], cwd: dir)
            #expect(github.exit == 1 && github.stdout.contains("::error file=ange-extra.yaml,line=5"), "\(github)")
        }
    }

    @Test("--org nosuch exits 2")
    func orgUnknown() throws {
        let r = try run(["scan", path, "--org", "nosuch"])
        #expect(r.exit == 2, "\(r)")
        #expect(r.stderr.contains("nosuch"), "\(r)")
    }

    @Test("a scan of files that are no inventories says so, instead of 'every organisation has its baseline'")
    func noOrganisation() throws {
        try withTemporaryDirectory { dir in
            try write(["ci.yaml": "on: push\njobs: {}\n"], in: dir)
            let r = try run(["scan", "ci.yaml"], cwd: dir)
            #expect(r.stdout.contains("none (no organisation scanned)") && !r.stdout.contains("every organisation"), "\(r)")
        }
    }

    @Test("other formats: sarif, github and markdown exit 0 and are well-formed")
    func otherFormats() throws {
        let sarif = try run(["scan", path, "--format", "sarif"])
        #expect(sarif.exit == 0, "\(sarif)")
        #expect(try jsonObject(sarif.stdout)["version"] as? String == "2.1.0")
        let github = try run(["scan", path, "--format", "github"])
        #expect(github.exit == 0, "\(github)")
        for line in github.stdout.split(separator: "\n") {
            #expect(line.hasPrefix("::notice") || line.hasPrefix("::group") || line.hasPrefix("::endgroup"), "\(line)")
        }
        let markdown = try run(["scan", path, "--format", "markdown"])
        #expect(markdown.exit == 0, "\(markdown)")
        #expect(markdown.stdout.contains("#"), "no markdown headings:\n\(markdown.stdout.prefix(500))")
        // The verdict first, as a pull request's reader looks for it, then the overview, then the findings.
        let headings = markdown.stdout.split(separator: "\n").filter { $0.hasPrefix("#") }.map(String.init)
        #expect(headings.first == "## infra: passed" && headings.dropFirst().first == "## infra scan overview" && headings.last == "### Findings",
                "\(headings)")
    }
}

@Suite("scan --stale-months")
struct StaleMonthsTests {
    @Test("an item reviewed 8 months ago is stale with --stale-months 6, not with the default 12; a bad value exits 2")
    func threshold() throws {
        let reviewed = Calendar(identifier: .gregorian).date(byAdding: .month, value: -8, to: Date())!
        let day = ISO8601DateFormatter.string(from: reviewed, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        let text = """
            inventory: 1
            organisation: {id: acme, name: Acme, type: annan}
            hard:
              - {id: dc, name: DC, capability: datacenter, reviewed: \(day)}
            """
        try withTemporaryDirectory { dir in
            try write(["acme.yaml": text], in: dir)
            func stale(_ extra: [String]) throws -> [JSONFinding] {
                let r = try run(["scan", "acme.yaml", "--no-national", "--format", "json"] + extra, cwd: dir)
                return try Report(r.stdout).findings.filter { $0.rule == "stale-review" }
            }
            #expect(try stale([]).isEmpty)
            let six = try stale(["--stale-months", "6"])
            #expect(six.count == 1 && six.first?.message.contains("more than 6 months ago") == true && six.first?.line == 4, "\(six)")
            let bad = try run(["scan", "acme.yaml", "--stale-months", "0"], cwd: dir)
            #expect(bad.exit == 2 && bad.stderr.contains("--stale-months"), "\(bad)")
        }
    }
}

@Suite("scan: a fixture with exactly known problems")
struct ScanFixtureTests {
    struct Key: Hashable, CustomStringConvertible {
        let rule: String, organisation: String?, item: String?
        init(_ rule: String, _ organisation: String?, _ item: String?) {
            self.rule = rule; self.organisation = organisation; self.item = item
        }
        var description: String { "\(rule) \(organisation ?? "-")/\(item ?? "-")" }
    }

    let expected: Set<Key> = [
        Key("dependency-cycle", "timra", "ring-a"),
        Key("upward-dependency", "timra", "natverk"),
        Key("self-dependency", "timra", "sjalv"),
        Key("ungrounded", "timra", "svavande"),
        Key("baseline-missing", "timra", nil),
        Key("gauge-break", "timra", "skolwebb"),
    ]

    func scan(_ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> (RunResult, Report) {
        try withTemporaryDirectory { dir in
            try write(ScanFixture.files, in: dir)
            let r = try run(["scan", "fixture", "--format", "json"] + extra, cwd: dir, sourceLocation: sourceLocation)
            return (r, try Report(r.stdout))
        }
    }

    @Test("exactly the expected errors and warnings, with their related items")
    func findings() throws {
        let (r, report) = try scan()
        #expect(r.exit == 1, "\(r)")
        let got = Set((report.errors + report.warnings).map { Key($0.rule, $0.organisation, $0.item) })
        #expect(got == expected, "unexpected: \(got.subtracting(expected)); missing: \(expected.subtracting(got))")
        #expect(report.errors.count + report.warnings.count == expected.count, "duplicated findings: \(report.findings)")
        #expect(Set(report.errors.map(\.rule)) == ["dependency-cycle", "upward-dependency", "self-dependency"])

        let cycle = try #require(report.findings.first { $0.rule == "dependency-cycle" })
        #expect(Set(cycle.related) == ["timra/ring-a", "timra/ring-b"])
        #expect(cycle.related.count == 2)

        let baseline = report.findings.filter { $0.rule == "baseline-missing" }
        #expect(baseline.count == 1)
        #expect(baseline.first?.message.contains("e-archive") == true, "\(baseline)")
        #expect(baseline.first?.file == "fixture/timra.yaml")

        let consolidation = report.findings.filter { $0.rule == "consolidation-candidate" }
        #expect(consolidation.count == 1, "\(report.findings)")
        #expect(Set(consolidation.first?.related ?? []) == ["timra/omsorg", "omsorgsbolaget/omsorg"])
        #expect(consolidation.first?.message.contains("2 organisations") == true, "\(consolidation)")

        let upward = try #require(report.findings.first { $0.rule == "upward-dependency" })
        #expect(upward.related == ["timra/portal"])
        let gauge = try #require(report.findings.first { $0.rule == "gauge-break" })
        #expect(Set(gauge.related) == ["timra/skolwebb", "timra/skolinloggning"])
        #expect(gauge.message.contains("oidc") && gauge.message.contains("saml2"), "\(gauge)")

        let overview = try #require(report.object["overview"] as? [String: Any])
        #expect(overview["organisations"] as? Int == 2)
        #expect(report.count("organisations") == 2)
        #expect(report.count("items") == 20)
    }

    @Test("findings point at the offending lines")
    func lines() throws {
        let (_, report) = try scan()
        let file = try withTemporaryDirectory { dir -> SourceLines in
            try write(ScanFixture.files, in: dir)
            return try SourceLines(dir.appendingPathComponent("fixture/timra.yaml"))
        }
        func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespaces) }
        let want: [(String, (line: Int, column: Int)?)] = [
            ("dependency-cycle", file.position(of: "id: ring-a") { trimmed($0) == "- id: ring-a" }),
            ("self-dependency", file.position(of: "sjalv,") { trimmed($0) == "depends_on: [sjalv, server]" }),
            ("upward-dependency", file.position(of: "portal]") { trimmed($0) == "depends_on: [portal]" }),
            ("ungrounded", file.position(of: "id: svavande") { trimmed($0) == "- id: svavande" }),
            ("gauge-break", file.position(of: "skolinloggning]") { trimmed($0) == "depends_on: [skolinloggning]" }),
        ]
        for (rule, position) in want {
            let p = try #require(position, "fixture text for \(rule) not found")
            let f = report.findings.first { $0.rule == rule }
            #expect(f?.file == "fixture/timra.yaml", "\(rule): \(String(describing: f))")
            #expect(f?.line == p.line, "\(rule): \(String(describing: f))")
        }
    }

    @Test("SARIF: a finding's related items are related locations, each at the line of its id, in its own file")
    func sarifRelatedLocations() throws {
        try withTemporaryDirectory { dir in
            try write(ScanFixture.files, in: dir)
            let r = try run(["scan", "fixture", "--format", "sarif"], cwd: dir)
            let run = try #require((try jsonObject(r.stdout)["runs"] as? [[String: Any]])?.first, "\(r)")
            let results = try #require(run["results"] as? [[String: Any]])
            // (file, line) of `- id: ITEM` in the fixture.
            func place(_ ref: String) throws -> (String, Int) {
                let item = String(ref.split(separator: "/")[1])
                for (name, text) in ScanFixture.files where name.hasSuffix(".yaml") {
                    let lines = text.components(separatedBy: "\n")
                    if let k = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "- id: \(item)" }),
                       text.contains("id: \(ref.split(separator: "/")[0])") {
                        return (name, k + 1)
                    }
                }
                throw ParseFailure(description: "no `- id:` line for \(ref)")
            }
            for rule in ["consolidation-candidate", "dependency-cycle"] {
                let result = try #require(results.first { $0["ruleId"] as? String == rule }, "\(rule)")
                let related = try #require((result["properties"] as? [String: Any])?["related"] as? [String])
                let locations = try #require(result["relatedLocations"] as? [[String: Any]], "\(result)")
                #expect(locations.count == related.count)
                for (k, location) in locations.enumerated() {
                    #expect(location["id"] as? Int == k)
                    let ref = related[k]
                    #expect((location["message"] as? [String: Any])?["text"] as? String == ref)
                    let physical = try #require(location["physicalLocation"] as? [String: Any])
                    let uri = (physical["artifactLocation"] as? [String: Any])?["uri"] as? String
                    let line = (physical["region"] as? [String: Any])?["startLine"] as? Int
                    let (file, want) = try place(ref)
                    #expect(uri == file && line == want, "\(ref): \(physical)")
                }
            }
            // The files of the two organisations of the consolidation candidate both appear.
            let consolidation = try #require(results.first { $0["ruleId"] as? String == "consolidation-candidate" })
            let files = Set(((consolidation["relatedLocations"] as? [[String: Any]]) ?? []).compactMap {
                (($0["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String
            })
            #expect(files.count == 2, "\(files)")
        }
    }

    @Test("text output: the baseline section names the missing capability, sections list the problems")
    func text() throws {
        try withTemporaryDirectory { dir in
            try write(ScanFixture.files, in: dir)
            let r = try run(["scan", "fixture"], cwd: dir)
            #expect(r.exit == 1, "\(r)")
            let sections = r.stdout.components(separatedBy: "\n\n")
            let baseline = sections.first { $0.hasPrefix("Baseline gaps") } ?? ""
            #expect(baseline.contains("timra") && baseline.contains("e-archive"), "\(baseline)")
            let consolidation = sections.first { $0.hasPrefix("Consolidation candidates") } ?? ""
            #expect(consolidation.lowercased().contains("lifecare"), "\(consolidation)")
            let gauge = sections.first { $0.hasPrefix("Gauge breaks") } ?? ""
            #expect(gauge.contains("skolwebb"), "\(gauge)")
            #expect(r.stdout.contains("fixture/timra.yaml:"), "\(r)")

            // Accepted by a baseline, findings leave the report, not the overview of the inventories.
            #expect(try run(["scan", "fixture", "--write-baseline", "baseline.json"], cwd: dir).exit == 0)
            let accepted = try run(["scan", "fixture", "--baseline-findings", "baseline.json"], cwd: dir)
            let acceptedSections = accepted.stdout.components(separatedBy: "\n\n")
            for name in ["Baseline gaps", "Consolidation candidates", "Gauge breaks"] {
                #expect(acceptedSections.first { $0.hasPrefix(name) } == sections.first { $0.hasPrefix(name) }, "\(name): \(accepted.stdout)")
            }

            // Counts read as English in the overview, as they do in the summary line ("1 info").
            let header = r.stdout.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("findings") } ?? ""
            #expect(header.contains("3 errors") && header.contains("3 warnings"), "\(header)")
            #expect(header.contains("1 info") && !header.contains("1 infos"), "overview header: \(header)")
            #expect(!r.stdout.contains(": 1 services"), "single points of failure say `1 services`:\n\(r.stdout)")
        }
    }

    @Test("names cannot send control sequences to the terminal or start lines of their own")
    func namesAreInert() throws {
        // A hard item named with an ESC sequence and a line break: the single points of
        // failure and impact printed them as they were.
        try withTemporaryDirectory { dir in
            var services = ""
            for k in 1...3 { services += "  - {id: s\(k), name: Tjänst \(k), capability: e-service, depends_on: [net]}\n" }
            let yaml = "inventory: 1\norganisation: {id: ange, name: Ånge kommun, type: kommun, code: \"2260\"}\n"
                + "services:\n" + services
                + "hard:\n  - {id: net, name: \"Net \\e[1;31mRED\\e[0m\\n  + ange/fake \\u202Eevil\", capability: wan}\n"
            try write(["inv/ange.yaml": yaml], in: dir)
            for args in [["scan", "inv", "--spof", "1"], ["impact", "ange/net", "inv"]] {
                let r = try run(args, cwd: dir)
                #expect(!r.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" }, "\(args[0]): \(r.stdout)")
                #expect(!r.stdout.contains("\n  + ange/fake"), "\(args[0]) let a name start a line:\n\(r.stdout)")
                #expect(r.stdout.contains("Net \u{FFFD}[1;31mRED"), "\(args[0]): \(r.stdout)")
            }
        }
    }

    @Test("--spof sets the single-point-of-failure threshold")
    func spof() throws {
        // timra/server carries 5 services (skolplattform, omsorg, trygghetslarm, skolwebb, portal).
        let (_, low) = try scan(["--spof", "4"])
        let spof = low.findings.filter { $0.rule == "single-point-of-failure" }
        #expect(spof.map { Key($0.rule, $0.organisation, $0.item) } == [Key("single-point-of-failure", "timra", "server")],
                "\(spof)")
        let (_, high) = try scan(["--spof", "5"])
        #expect(!high.findings.contains { $0.rule == "single-point-of-failure" })
    }

    @Test("--baseline FILE replaces the shipped baseline")
    func baselineFile() throws {
        try withTemporaryDirectory { dir in
            try write(ScanFixture.files, in: dir)
            try write(["baseline.yaml": "baseline:\n  kommun: [eid-citizen, eid-staff, school-platform]\n"], in: dir)
            let r = try run(["scan", "fixture", "--baseline", "baseline.yaml", "--format", "json"], cwd: dir)
            #expect(r.exit == 1, "\(r)")
            let report = try Report(r.stdout)
            #expect(!report.findings.contains { $0.rule == "baseline-missing" }, "\(report.findings)")

            try write(["strict.yaml": "baseline:\n  kommun: [eid-citizen, e-archive, telehealth]\n"], in: dir)
            let strict = try Report(try run(["scan", "fixture", "--baseline", "strict.yaml", "--format", "json"], cwd: dir).stdout)
            let missing = strict.findings.filter { $0.rule == "baseline-missing" }
            #expect(missing.count == 2, "\(missing)")
            #expect(missing.contains { $0.message.contains("`telehealth`") } && missing.contains { $0.message.contains("`e-archive`") })
        }
    }

    @Test("--org omsorgsbolaget keeps the shared-product finding and drops timra's own problems")
    func org() throws {
        let (r, report) = try scan(["--org", "omsorgsbolaget"])
        #expect(r.exit == 0, "\(r)")
        #expect(report.errors.isEmpty && report.warnings.isEmpty, "\(report.findings)")
        #expect(report.findings.contains { $0.rule == "consolidation-candidate" }, "\(report.findings)")
    }

    @Test("validate does not run the structure and gap checks, scan does")
    func validateVersusScan() throws {
        try withTemporaryDirectory { dir in
            try write(ScanFixture.files, in: dir)
            let r = try run(["validate", "fixture", "--format", "json"], cwd: dir)
            #expect(r.exit == 0, "\(r)")
            #expect(try Report(r.stdout).findings.filter { $0.severity != "info" }.isEmpty)
        }
    }
}

@Suite("explain")
struct ExplainTests {
    /// Rule rows of `infra explain --list`: "  rule-id   severity   Title".
    func listedRules() throws -> [(id: String, title: String)] {
        let r = try run(["explain", "--list"])
        #expect(r.exit == 0, "\(r)")
        var rules: [(String, String)] = []
        for line in r.stdout.split(separator: "\n") where line.hasPrefix(" ") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 3, ["error", "warning", "info"].contains(String(parts[1])) else { continue }
            rules.append((String(parts[0]), parts[2...].joined(separator: " ")))
        }
        return rules
    }

    @Test("explain unresolved-reference prints the title, Fails: and Passes:")
    func explainRule() throws {
        let title = try listedRules().first { $0.id == "unresolved-reference" }?.title
        #expect(title != nil)
        let r = try run(["explain", "unresolved-reference"])
        #expect(r.exit == 0, "\(r)")
        #expect(r.stdout.hasPrefix("unresolved-reference"), "\(r.stdout.prefix(200))")
        if let title { #expect(r.stdout.contains(title), "title `\(title)` missing") }
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let fails = lines.firstIndex { $0.hasPrefix("Fails:") }, passes = lines.firstIndex { $0.hasPrefix("Passes:") }
        #expect(fails != nil && passes != nil, "\(r.stdout)")
        if let fails, let passes {
            #expect(fails < passes)
            #expect(lines[fails..<passes].contains { $0.contains("inventory: 1") }, "Fails: block has no inventory")
            #expect(lines[passes...].contains { $0.contains("inventory: 1") }, "Passes: block has no inventory")
        }
    }

    @Test("explain --list lists at least 40 rules with unique ids")
    func list() throws {
        let rules = try listedRules()
        #expect(rules.count >= 40, "only \(rules.count) rules")
        #expect(Set(rules.map(\.id)).count == rules.count, "duplicate rule ids")
        for id in ["yaml-syntax", "unknown-key", "unresolved-reference", "dependency-cycle", "baseline-missing",
                   "consolidation-candidate", "gauge-break", "not-an-inventory"] {
            #expect(rules.contains { $0.id == id }, "\(id) not listed")
        }
    }

    @Test("every listed rule can be explained")
    func everyRule() throws {
        for rule in try listedRules() {
            let r = try run(["explain", rule.id])
            #expect(r.exit == 0, "explain \(rule.id): \(r)")
            #expect(r.stdout.contains(rule.title), "explain \(rule.id) lacks its title")
        }
    }

    @Test("the lines in which the failing and the passing example differ are marked, and only those")
    func differencesMarked() throws {
        let r = try run(["explain", "stale-review"])
        let marked = r.stdout.split(separator: "\n").filter { $0.hasSuffix("  # ◀") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(marked.count == 2 && marked.allSatisfy { $0.hasPrefix("reviewed: ") }, "\(r.stdout)")
        #expect(r.stdout.contains("`# ◀` marks the lines in which the two examples differ."))
        // Thirty services against five: too many to mark, so none are.
        let many = try run(["explain", "single-point-of-failure"])
        #expect(!many.stdout.contains("◀"), "\(many.stdout)")
    }

    @Test("every rule's examples, pasted from explain's output into files and scanned, fail and pass as they say")
    func examplesAsPrinted() throws {
        for rule in try listedRules() {
            let r = try run(["explain", rule.id])
            // Sections start at "Fails…:" and "Passes…:"; files are the lines indented by two
            // spaces, several of them separated by "  # name".
            var sections: [(label: String, files: [(String, String)])] = []
            for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
                if line.hasPrefix("Fails") || line.hasPrefix("Passes") {
                    sections.append((line, [("example.yaml", "")]))
                } else if !sections.isEmpty, line.hasPrefix("  # "), line.hasSuffix(".yaml") {
                    if sections[sections.count - 1].files.last?.1.isEmpty == true { sections[sections.count - 1].files.removeLast() }
                    sections[sections.count - 1].files.append((String(line.dropFirst(4)), ""))
                } else if !sections.isEmpty {
                    let n = sections[sections.count - 1].files.count - 1
                    sections[sections.count - 1].files[n].1 += String(line.dropFirst(2)) + "\n"
                }
            }
            #expect(sections.count == 2, "\(rule.id): \(r.stdout)")
            for (label, files) in sections {
                try withTemporaryDirectory { dir in
                    try write(Dictionary(uniqueKeysWithValues: files.map { ("ex/" + $0.0, $0.1) }), in: dir)
                    let scan = try run(["scan", "ex", "--format", "json"] + (label.contains("with --country") ? ["--country"] : []), cwd: dir)
                    let fired = try Report(scan.stdout).findings.contains { $0.rule == rule.id }
                    #expect(fired == label.hasPrefix("Fails"), "\(rule.id), \(label) \(fired ? "fires" : "does not fire"): \(files)")
                }
            }
        }
    }

    @Test("explain nosuch exits 2")
    func unknown() throws {
        let r = try run(["explain", "nosuch"])
        #expect(r.exit == 2, "\(r)")
        #expect(!r.stderr.isEmpty)
    }
}

@Suite("--timings: stage times and memory on stderr")
struct TimingsTests {
    @Test("scan --timings: the report is unchanged; stderr has each stage's time and the memory after it")
    func scanTimings() throws {
        let plain = try run(["scan", "examples/vasternorrland", "--format", "json"])
        let timed = try run(["scan", "examples/vasternorrland", "--format", "json", "--timings"])
        #expect(timed.exit == plain.exit, "\(timed)")
        #expect(timed.stdout == plain.stdout, "--timings changed the report on stdout")

        let lines = timed.stderr.split(separator: "\n").map(String.init)
        let stages = try #require(lines.first { $0.hasPrefix("load ") }, "no stage line: \(timed.stderr)")
        for stage in ["load", "resolve", "check", "render"] {
            #expect(stages.contains("\(stage) ") && stages.contains(" s"), "no `\(stage)` time in: \(stages)")
        }
        // Linux reports memory through /proc: resident MiB after each stage, and the peak.
        guard FileManager.default.fileExists(atPath: "/proc/self/statm") else { return }
        let memory = try #require(lines.first { $0.hasPrefix("memory (resident after each stage) ") }, "\(timed.stderr)")
        var mebibytes: [String: Int] = [:]
        for part in memory.dropFirst("memory (resident after each stage) ".count).components(separatedBy: " · ") {
            let words = part.split(separator: " ")
            if words.count == 3, words[2] == "MiB", let n = Int(words[1]) { mebibytes[String(words[0])] = n }
        }
        #expect(Set(mebibytes.keys) == ["load", "resolve", "check", "render", "peak"], "\(memory)")
        #expect(!memory.contains("malloc tuned"), "a small input does not restart with tuned malloc: \(memory)")
        let peak = mebibytes["peak"] ?? 0
        for (stage, n) in mebibytes {
            #expect(n > 0 && n <= peak, "\(stage): \(n) MiB against a peak of \(peak) MiB")
        }
    }

    @Test("a big input restarts infra with tuned malloc: same report, said in --timings; INFRA_MALLOC_TUNING=off keeps it as it is")
    func mallocTuning() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self/exe") else { return }
        let arguments = ["scan", "examples/vasternorrland", "--format", "json", "--timings"]
        // The threshold lowered to 1 byte, so that the examples count as a big input.
        let tuned = try run(arguments, environment: ["INFRA_MALLOC_TUNING_MIN_BYTES": "1", "GLIBC_TUNABLES": ""])
        let untuned = try run(arguments, environment: ["INFRA_MALLOC_TUNING_MIN_BYTES": "1", "INFRA_MALLOC_TUNING": "off",
                                                       "GLIBC_TUNABLES": ""])
        #expect(tuned.exit == untuned.exit, "\(tuned)")
        #expect(tuned.stdout == untuned.stdout, "the restarted run reports the same, once")
        #expect(tuned.stderr.contains("malloc tuned for a big input"), "\(tuned.stderr)")
        #expect(!untuned.stderr.contains("malloc tuned"), "\(untuned.stderr)")
        // A caller who tunes malloc themselves is left alone.
        let own = try run(arguments, environment: ["INFRA_MALLOC_TUNING_MIN_BYTES": "1", "GLIBC_TUNABLES": "glibc.malloc.hugetlb=0"])
        #expect(own.stdout == untuned.stdout)
        #expect(!own.stderr.contains("malloc tuned"), "\(own.stderr)")
    }
}
