import Foundation
import InfraModel
import Testing
@testable import InfraReport
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct JUnitTests {
    let files = ["inventory/kommuner/0180.yaml", "inventory/kommuner/1480.yaml", "inventory/national/bankid.yaml"]

    func render(_ report: FindingsReport = Fixture.report()) -> String {
        FindingsRenderer.render(report, as: .junit, options: RenderOptions(files: files))
    }

    @Test func structure() throws {
        let out = render()
        #expect(out.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"))
        let doc = try XMLDocument(data: Data(out.utf8), options: [])
        let root = try #require(doc.rootElement())
        #expect(root.name == "testsuites")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.count == 1)
        let suite = suites[0]
        #expect(suite.attribute(forName: "name")?.stringValue == "infra")
        #expect(suite.attribute(forName: "tests")?.stringValue == "4")
        #expect(suite.attribute(forName: "failures")?.stringValue == "2")

        let cases = suite.elements(forName: "testcase")
        #expect(cases.map { $0.attribute(forName: "name")?.stringValue } == files + ["(catalogue)"])
        #expect(cases.allSatisfy { $0.attribute(forName: "classname")?.stringValue == "infra" })

        let stockholm = cases[0]
        let failures = stockholm.elements(forName: "failure")
        #expect(failures.count == 1)
        #expect(failures[0].attribute(forName: "message")?.stringValue == "unknown key 'nmae'")
        #expect(failures[0].attribute(forName: "type")?.stringValue == "unknown-key")
        #expect(failures[0].stringValue?.contains("help: did you mean 'name'?") == true)
        let out0 = try #require(stockholm.elements(forName: "system-out").first?.stringValue)
        #expect(out0.contains("warning: dependency cycle: a → b → a [dependency-cycle]"))

        #expect(cases[1].children == nil || cases[1].childCount == 0)  // passed
        #expect(cases[2].elements(forName: "failure").isEmpty)
        #expect(cases[2].elements(forName: "system-out").first?.stringValue?.contains("info: not reviewed") == true)
        #expect(cases[3].elements(forName: "failure").first?.attribute(forName: "type")?.stringValue == "missing-inventory")
    }

    @Test("a file with several failing findings has one failure that counts and lists them all; a skipped file is skipped")
    func oneFailurePerFile() throws {
        let file = "inventory/kommuner/0180.yaml"
        func finding(_ rule: RuleID, _ severity: Severity, _ message: String, line: Int) -> Finding {
            Finding(rule: rule, severity: severity, message: message, file: file, position: TextPosition(line: line, column: 1))
        }
        let findings = [finding(.unknownKey, .error, "unknown key `nmae`", line: 3),
                        finding(.badEnum, .error, "`status` is \"activ\"", line: 7),
                        finding(.unknownKey, .error, "unknown key `ownr`", line: 9),
                        finding(.staleReview, .warning, "not reviewed", line: 11),
                        Finding(rule: .notAnInventory, severity: .info, message: "skipped: a GitHub workflow", file: "ci.yaml")]
        let out = FindingsRenderer.render(Fixture.report(findings), as: .junit, options: RenderOptions(files: [file, "ci.yaml"]))
        let doc = try XMLDocument(data: Data(out.utf8), options: [])
        let suite = try #require(doc.rootElement()?.elements(forName: "testsuite").first)
        #expect(suite.attribute(forName: "skipped")?.stringValue == "1")
        let cases = suite.elements(forName: "testcase")
        let failures = cases[0].elements(forName: "failure")
        #expect(failures.count == 1)
        #expect(failures.first?.attribute(forName: "message")?.stringValue == "3 errors: unknown key `nmae` (and 2 more)")
        #expect(failures.first?.attribute(forName: "type")?.stringValue == "unknown-key, bad-enum")
        for line in [3, 7, 9] { #expect(failures.first?.stringValue?.contains("\(file):\(line):1: error:") == true, "\(out)") }
        #expect(cases[0].elements(forName: "system-out").first?.stringValue?.contains("not reviewed") == true)
        #expect(cases[1].elements(forName: "skipped").first?.attribute(forName: "message")?.stringValue == "skipped: a GitHub workflow")

        // With --fail-on warning the warning is one of the failure's too.
        var strict = Fixture.report(findings)
        strict.failsOnWarnings = true
        let both = FindingsRenderer.render(strict, as: .junit, options: RenderOptions(files: [file, "ci.yaml"]))
        #expect(both.contains("message=\"3 errors, 1 warning: unknown key `nmae` (and 3 more)\""), "\(both)")
    }

    @Test func escaping() throws {
        let f = Finding(rule: .badValue, severity: .error, message: "a < b & \"c\" 'd' > e\nnext\u{1}",
                        file: "x<&>\".yaml", position: TextPosition(line: 1, column: 1))
        let out = render(Fixture.report([f]))
        #expect(!out.contains("\u{1}"))
        let doc = try XMLDocument(data: Data(out.utf8), options: [])
        let cases = try #require(doc.rootElement()?.elements(forName: "testsuite").first?.elements(forName: "testcase"))
        let tc = try #require(cases.first { $0.attribute(forName: "name")?.stringValue == "x<&>\".yaml" })
        let failure = try #require(tc.elements(forName: "failure").first)
        #expect(failure.attribute(forName: "message")?.stringValue == "a < b & \"c\" 'd' > e\nnext\u{FFFD}")
        #expect(failure.stringValue?.contains("a < b & \"c\" 'd' > e") == true)
    }

    @Test func xmlEscaper() {
        #expect(XML.text("<a & b>") == "&lt;a &amp; b&gt;")
        #expect(XML.attribute("\"x\"\n'y'\t") == "&quot;x&quot;&#10;&apos;y&apos;&#9;")
        #expect(XML.text("ok\u{0}\u{FFFE}") == "ok\u{FFFD}\u{FFFD}")
        #expect(XML.text("Örebro 🇸🇪") == "Örebro 🇸🇪")
    }
}
