import Foundation
import InfraModel
import Testing
@testable import InfraReport

@Suite struct SARIFTests {
    func parse(_ report: FindingsReport, files: [String] = []) throws -> [String: Any] {
        let out = FindingsRenderer.render(report, as: .sarif, options: RenderOptions(files: files))
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }

    @Test func documentShape() throws {
        let root = try parse(Fixture.report())
        #expect(root["version"] as? String == "2.1.0")
        #expect(root["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
        let runs = try #require(root["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let driver = try #require((runs[0]["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "infra")
        #expect(driver["version"] as? String == "0.1.0")
        #expect(driver["informationUri"] is String)

        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == Fixture.rules.map(\.id.rawValue))
        let first = rules[0]
        #expect(first["name"] as? String == "UnknownKey")
        #expect((first["shortDescription"] as? [String: Any])?["text"] as? String == "Unknown key")
        #expect((first["fullDescription"] as? [String: Any])?["text"] as? String == "Keys not in the schema are usually typos.")
        #expect((first["defaultConfiguration"] as? [String: Any])?["level"] as? String == "error")
        #expect(first["helpUri"] as? String == "https://example.org/rules/unknown-key")
        #expect(rules[1]["helpUri"] == nil)
        // Code scanning shows a rule's `help` (and no other help) beside its results.
        for rule in rules {
            let help = try #require((rule["help"] as? [String: Any])?["text"] as? String, "\(rule)")
            #expect(help.contains("infra explain \(rule["id"] as? String ?? "?")"), "\(help)")
        }
        #expect((first["help"] as? [String: Any])?["text"] as? String
            == "Keys not in the schema are usually typos.\n\n`infra explain unknown-key` prints a failing and a passing example.")
        #expect((rules[2]["defaultConfiguration"] as? [String: Any])?["level"] as? String == "note")
    }

    @Test func resultsPointAtTheirRules() throws {
        let root = try parse(Fixture.report())
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 4)
        for r in results {
            let index = try #require(r["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == r["ruleId"] as? String)
        }
        #expect(results.map { $0["level"] as? String } == ["error", "warning", "note", "error"])

        let first = results[0]
        #expect(first["ruleId"] as? String == "unknown-key")
        #expect(first["ruleIndex"] as? Int == 0)
        #expect((first["message"] as? [String: Any])?["text"] as? String == "unknown key 'nmae'")
        let location = try #require((first["locations"] as? [[String: Any]])?.first)
        let physical = try #require(location["physicalLocation"] as? [String: Any])
        let artifact = try #require(physical["artifactLocation"] as? [String: Any])
        #expect(artifact["uri"] as? String == "inventory/kommuner/0180.yaml")
        #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
        let region = try #require(physical["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 3)
        #expect(region["startColumn"] as? Int == 5)
        let properties = try #require(first["properties"] as? [String: Any])
        #expect(properties["organisation"] as? String == "0180")
        #expect(properties["item"] as? String == "e-tjanstekort")
        #expect((results[1]["properties"] as? [String: Any])?["related"] as? [String] == ["0180/b", "1480/c"])

        // No line: no region. No file: no physical location.
        let info = try #require((results[2]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect(info["region"] == nil)
        // No file (a kommun without an inventory): placed at the scan's directory, as GitHub's
        // code scanning refuses an upload with any result that has no file location.
        let anchored = try #require((results[3]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((anchored["artifactLocation"] as? [String: Any])?["uri"] as? String == ".")
        #expect(anchored["region"] == nil)
        let inDirectory = try parse(Fixture.report(), files: ["inv/kommuner/a.yaml", "inv/kommuner/b.yaml", "inv/regioner/c.yaml"])
        let lastResult = try #require(((inDirectory["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.last)
        let placed = (lastResult["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
        #expect((placed?["artifactLocation"] as? [String: Any])?["uri"] as? String == "inv", "\(lastResult)")
    }

    @Test func fingerprintsIgnorePositionsAndNeverRepeat() throws {
        var moved = Fixture.unknownKey
        moved.line = 40
        moved.column = 1
        var other = Fixture.unknownKey
        other.item = "another"
        // The same slip in two files without an organisation (broken YAML), and the same
        // finding twice in one place: four results, four fingerprints.
        let broken = ["a.yaml", "b.yaml"].map { Finding(rule: .yamlSyntax, severity: .error, message: "bad indentation", file: $0) }
        let findings = [Fixture.unknownKey, moved, other] + broken + [broken[0]]
        let fingerprints = SARIFRenderer.fingerprints(findings)
        #expect(fingerprints[0] == Fingerprint.of(Fixture.unknownKey) + ":1")
        #expect(fingerprints[1] == Fingerprint.of(Fixture.unknownKey) + ":2", "moved: the same finding, its second occurrence")
        #expect(fingerprints[2].hasSuffix(":1") && fingerprints[2] != fingerprints[0])
        #expect(fingerprints[3] != fingerprints[4] && fingerprints[5] == Fingerprint.of(broken[0]) + ":2")
        #expect(Set(fingerprints).count == findings.count)

        let root = try parse(Fixture.report())
        let result = try #require(((root["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first)
        let fp = try #require(result["partialFingerprints"] as? [String: String])
        #expect(fp == ["infra/v2": Fingerprint.of(Fixture.unknownKey) + ":1"])
    }

    @Test("with a findings baseline, accepted findings are suppressed results in report order, fingerprinted as without it")
    func acceptedFindingsAreSuppressed() throws {
        let results = { (report: FindingsReport) throws -> [[String: Any]] in
            try #require(((try self.parse(report))["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        }
        let plain = try results(Fixture.report())
        var report = Fixture.report([Fixture.stale, Fixture.unknownKey])
        report.baselineFile = "ci/accepted.json"
        report.accepted = [Fixture.catalogue, Fixture.cycle]
        let marked = try results(report)
        let text = { (r: [String: Any]) in (r["message"] as? [String: Any])?["text"] as? String }
        #expect(marked.map(text) == plain.map(text))
        #expect(marked.map { $0["partialFingerprints"] as? [String: String] } == plain.map { $0["partialFingerprints"] as? [String: String] })
        let states = marked.map { $0["baselineState"] as? String }
        #expect(states == plain.map { r in
            let rule = r["ruleId"] as? String
            return rule == Fixture.catalogue.rule.rawValue || rule == Fixture.cycle.rule.rawValue ? "unchanged" : "new"
        })
        for result in marked {
            let suppressions = result["suppressions"] as? [[String: Any]]
            if result["baselineState"] as? String == "new" {
                #expect(suppressions == nil)
            } else {
                #expect(suppressions?.count == 1)
                #expect(suppressions?.first?["kind"] as? String == "external")
                #expect(suppressions?.first?["status"] as? String == "accepted")
                #expect(suppressions?.first?["justification"] as? String == "accepted in the findings baseline ci/accepted.json")
            }
        }
        #expect(plain.allSatisfy { $0["baselineState"] == nil && $0["suppressions"] == nil })
    }

    @Test func ruleMissingFromTheCatalogueIsAdded() throws {
        let f = Finding(rule: "not-in-catalogue", severity: .warning, message: "m", file: "a b#c.yaml")
        let root = try parse(Fixture.report([f]))
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.count == Fixture.rules.count + 1)
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        let index = try #require(result["ruleIndex"] as? Int)
        #expect(rules[index]["id"] as? String == "not-in-catalogue")
        let uri = ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            .flatMap { $0["artifactLocation"] as? [String: Any] }?["uri"] as? String
        #expect(uri == "a%20b%23c.yaml")
    }

    @Test("message text: braces doubled (single ones are placeholders), the brackets of a would-be link escaped")
    func messageText() throws {
        #expect(SARIFRenderer.messageText("`status` is \"{0}\"") == "`status` is \"{{0}}\"")
        #expect(SARIFRenderer.messageText("see [here](1) now") == "see \\[here\\](1) now")
        #expect(SARIFRenderer.messageText("tags [a, b] are text") == "tags [a, b] are text")
        let f = Finding(rule: .badEnum, severity: .error, message: "x {1} [y](2)", file: "a.yaml", position: TextPosition(line: 1, column: 1))
        let run = try #require((try parse(Fixture.report([f]))["runs"] as? [[String: Any]])?.first)
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect((result["message"] as? [String: Any])?["text"] as? String == "x {{1}} \\[y\\](2)")
    }

    @Test("related items become related locations where they are located: in order, numbered, at most 100")
    func relatedLocations() throws {
        func results(_ findings: [Finding], locate: (@Sendable (String) -> SARIFRenderer.Place?)?) throws -> [[String: Any]] {
            var options = RenderOptions()
            options.locate = locate
            let out = FindingsRenderer.render(Fixture.report(findings), as: .sarif, options: options)
            let root = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            return try #require(((root["runs"] as? [[String: Any]])?.first?["results"]) as? [[String: Any]])
        }
        // Without a way to locate them (or for a finding without related items): none.
        #expect(try results([Fixture.cycle], locate: nil)[0]["relatedLocations"] == nil)
        #expect(try results([Fixture.unknownKey], locate: { _ in ("x.yaml", 1, 1) })[0]["relatedLocations"] == nil)

        // 0180/b is located, 1480/c is not (a built-in item): only b, numbered from 0.
        let located = try results([Fixture.cycle], locate: { $0 == "0180/b" ? ("inventory/kommuner/0180.yaml", 14, 5) : nil })
        let related = try #require(located[0]["relatedLocations"] as? [[String: Any]])
        #expect(related.count == 1)
        #expect(related[0]["id"] as? Int == 0)
        #expect((related[0]["message"] as? [String: Any])?["text"] as? String == "0180/b")
        let physical = try #require(related[0]["physicalLocation"] as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "inventory/kommuner/0180.yaml")
        #expect((physical["artifactLocation"] as? [String: Any])?["uriBaseId"] as? String == "%SRCROOT%")
        #expect((physical["region"] as? [String: Any])?["startLine"] as? Int == 14)
        #expect((physical["region"] as? [String: Any])?["startColumn"] as? Int == 5)
        let logical = (related[0]["logicalLocations"] as? [[String: Any]])?.first
        #expect(logical?["fullyQualifiedName"] as? String == "0180/b" && logical?["kind"] as? String == "member")
        // The result's own location is unchanged.
        let own = ((located[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
        #expect(own?["startLine"] as? Int == 9)

        // A product shared by 150 organisations: the first 100 (what code scanning keeps); properties list all.
        var wide = Fixture.cycle
        wide.related = (1...150).map { "org\($0)/x" }
        let many = try results([wide], locate: { ref in ("\(ref.split(separator: "/")[0]).yaml", 2, 3) })
        let locations = try #require(many[0]["relatedLocations"] as? [[String: Any]])
        #expect(locations.count == SARIFRenderer.relatedLocationLimit && locations.count == 100)
        #expect(locations.map { $0["id"] as? Int } == Array(0..<100))
        #expect((locations[99]["message"] as? [String: Any])?["text"] as? String == "org100/x")
        #expect(((many[0]["properties"] as? [String: Any])?["related"] as? [String])?.count == 150)
    }

    @Test func uris() {
        #expect(SARIFRenderer.uri(forPath: "inventory/kommuner/0180.yaml") == "inventory/kommuner/0180.yaml")
        #expect(SARIFRenderer.uri(forPath: "inventory/malmö.yaml") == "inventory/malm%C3%B6.yaml")
        #expect(SARIFRenderer.uri(forPath: "/abs/x.yaml") == "file:///abs/x.yaml")
        // Code scanning matches a relative URI against the repository's paths as they are.
        #expect(SARIFRenderer.uri(forPath: "./inventory/x.yaml") == "inventory/x.yaml")
        #expect(SARIFRenderer.uri(forPath: "inventory/../examples/./x.yaml") == "examples/x.yaml")
        #expect(SARIFRenderer.uri(forPath: "../other/x.yaml") == "../other/x.yaml")
        #expect(SARIFRenderer.uri(forPath: ".") == ".")
    }

    @Test("%SRCROOT% is resolved in originalUriBaseIds when the directory is known, and left out otherwise")
    func sourceRoot() throws {
        let out = FindingsRenderer.render(Fixture.report(), as: .sarif, options: RenderOptions(files: []))
        #expect(!out.contains("originalUriBaseIds"))
        var options = RenderOptions()
        options.sourceRoot = "/home/ci/repo"
        let root = try #require(try JSONSerialization.jsonObject(with: Data(FindingsRenderer.render(Fixture.report(), as: .sarif, options: options).utf8)) as? [String: Any])
        let run = try #require((root["runs"] as? [[String: Any]])?.first)
        let base = try #require((run["originalUriBaseIds"] as? [String: Any])?["%SRCROOT%"] as? [String: Any])
        #expect(base["uri"] as? String == "file:///home/ci/repo/")
    }
}
