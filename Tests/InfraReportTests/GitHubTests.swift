import Foundation
import InfraModel
import Testing
@testable import InfraReport

@Suite struct GitHubTests {
    @Test func oneCommandPerFinding() {
        let out = FindingsRenderer.render(Fixture.report(), as: .github, options: RenderOptions())
        #expect(lines(out) == [
            // The help on a line of its own (%0A), where the annotation is read.
            "::error file=inventory/kommuner/0180.yaml,line=3,col=5,title=unknown-key::unknown key 'nmae'%0Ahelp: did you mean 'name'?",
            "::warning file=inventory/kommuner/0180.yaml,line=9,col=3,title=dependency-cycle::dependency cycle: a → b → a",
            "::notice file=inventory/national/bankid.yaml,title=stale-review::not reviewed since 2023-01-01",
            "::error title=missing-inventory::no inventory for kommun 2584",
            "",
        ])
    }

    @Test func escaping() {
        let f = Finding(rule: "odd:rule,x", severity: .error, message: "100% sure\r\nsecond: line, really",
                        file: "dir,with:odd%/f\nile.yaml", position: TextPosition(line: 1, column: 2))
        let out = FindingsRenderer.render(Fixture.report([f]), as: .github, options: RenderOptions())
        #expect(out == "::error file=dir%2Cwith%3Aodd%25/f%0Aile.yaml,line=1,col=2,title=odd%3Arule%2Cx"
            + "::100%25 sure%0D%0Asecond: line, really\n")
        #expect(GitHubRenderer.escapeData("a:b,c%\n") == "a:b,c%25%0A")
        #expect(GitHubRenderer.escapeProperty("a:b,c%\r") == "a%3Ab%2Cc%25%0D")
        // The log GitHub shows interprets ANSI sequences: control characters do not reach it.
        #expect(GitHubRenderer.escapeData("a\u{1B}[31m\u{0}\u{7}\u{9B}b") == "a\u{FFFD}[31m\u{FFFD}\u{FFFD}\u{FFFD}b")
    }

    @Test func lineWithoutColumn() {
        var f = Fixture.unknownKey
        f.column = nil
        #expect(GitHubRenderer.command(f) == "::error file=inventory/kommuner/0180.yaml,line=3,title=unknown-key::unknown key 'nmae'%0Ahelp: did you mean 'name'?")
    }

    @Test("beyond GitHub's 10 annotations of a kind a step, the first command of the kind says how many there are")
    func overflowSaid() {
        let errors = (1...12).map { Finding(rule: .unknownKey, severity: .error, message: "e\($0)", file: "a.yaml", position: TextPosition(line: $0, column: 1)) }
        let warnings = (1...10).map { Finding(rule: .dependencyCycle, severity: .warning, message: "w\($0)", file: "a.yaml") }
        let infos = (1...11).map { Finding(rule: .staleReview, severity: .info, message: "i\($0)", file: "a.yaml") }
        let out = lines(FindingsRenderer.render(Fixture.report(errors + warnings + infos), as: .github, options: RenderOptions()))
        #expect(out.count == 2 + errors.count + warnings.count + infos.count + 1)
        #expect(out[0] == "::error title=infra%3A 12 errors::12 errors: GitHub annotates 10 errors a step, so only the first 9 are annotated; "
            + "all are in this step's log, and `--format sarif` uploads every one to code scanning")
        #expect(out[1].hasPrefix("::notice title=infra%3A 11 infos::11 infos: GitHub annotates 10 notices a step, so only the first 9"), "\(out[1])")
        // Exactly 10 warnings all fit: no word about them.
        #expect(!out.contains { $0.contains("10 warnings") })
        #expect(out[2].hasPrefix("::error file=a.yaml,line=1,col=1,title=unknown-key::e1"))

        // `--strict-baseline`'s error comes before the findings and takes a place too.
        var strict = Fixture.report(Array(errors.prefix(9)))
        strict.disappeared = ["self-dependency timra/sjalv: `sjalv` depends on itself"]
        let nine = lines(FindingsRenderer.render(strict, as: .github, options: RenderOptions()))
        #expect(nine.count == 11 && nine[0].hasPrefix("::error title=strict-baseline::"), "10 error commands in all: \(nine)")
        strict.findings = Array(errors.prefix(10))
        let ten = lines(FindingsRenderer.render(strict, as: .github, options: RenderOptions()))
        #expect(ten[0].hasPrefix("::error title=infra%3A 10 errors::10 errors: GitHub annotates 10 errors a step, so only the first 8 are annotated"),
                "\(ten[0])")
        #expect(ten[1].hasPrefix("::error title=strict-baseline::") && ten[2].hasSuffix("::e1"))
    }

    @Test("annotation paths are made from the checkout (GITHUB_WORKSPACE) when the file is under it")
    func pathsFromTheWorkspace() {
        let ws = "/home/runner/work/repo/repo"
        #expect(GitHubRenderer.inWorkspace("../examples/a.yaml", workspace: ws, from: ws + "/inventories") == "examples/a.yaml")
        #expect(GitHubRenderer.inWorkspace("kommun.yaml", workspace: ws, from: ws + "/inventories") == "inventories/kommun.yaml")
        #expect(GitHubRenderer.inWorkspace(ws + "/x/./b.yaml", workspace: ws, from: "/tmp") == "x/b.yaml")
        // Outside the checkout, or without one: as given.
        #expect(GitHubRenderer.inWorkspace("/etc/other.yaml", workspace: ws, from: ws) == "/etc/other.yaml")
        #expect(GitHubRenderer.inWorkspace("../../elsewhere.yaml", workspace: ws, from: ws) == "../../elsewhere.yaml")
        #expect(GitHubRenderer.inWorkspace("a.yaml", workspace: nil, from: "/x") == "a.yaml")
        var options = RenderOptions()
        options.workspace = ws
        options.sourceRoot = ws + "/inventories"
        let out = FindingsRenderer.render(Fixture.report([Fixture.unknownKey]), as: .github, options: options)
        #expect(out.hasPrefix("::error file=inventories/inventory/kommuner/0180.yaml,line=3,col=5,"), "\(out)")
    }

    @Test func noFindingsNoOutput() {
        #expect(FindingsRenderer.render(Fixture.report([]), as: .github, options: RenderOptions()) == "")
    }

    @Test("with --fail-on warning and warnings only, an error annotation says why the step fails")
    func failOnWarningSaysWhy() {
        var summary = Summary()
        summary.count([Fixture.cycle])
        var report = Fixture.report([Fixture.cycle], summary: summary)
        #expect(!lines(FindingsRenderer.render(report, as: .github, options: RenderOptions())).contains { $0.hasPrefix("::error") })
        report.failsOnWarnings = true
        let out = lines(FindingsRenderer.render(report, as: .github, options: RenderOptions()))
        #expect(out.first == "::error title=infra%3A --fail-on warning::1 warning fails this run (--fail-on warning)", "\(out)")
        #expect(out.contains { $0.hasPrefix("::warning file=inventory/kommuner/0180.yaml") })
        // With errors among the findings, their own annotations say it.
        report.findings.append(Fixture.unknownKey)
        report.summary.count([Fixture.unknownKey])
        #expect(!FindingsRenderer.render(report, as: .github, options: RenderOptions()).contains("--fail-on warning"))
    }
}
