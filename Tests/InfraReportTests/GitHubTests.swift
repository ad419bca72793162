import Foundation
import InfraModel
import Testing
@testable import InfraReport

@Suite struct GitHubTests {
    @Test func oneCommandPerFinding() {
        let out = FindingsRenderer.render(Fixture.report(), as: .github, options: RenderOptions())
        #expect(lines(out) == [
            "::error file=inventory/kommuner/0180.yaml,line=3,col=5,title=unknown-key::unknown key 'nmae'",
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
        #expect(GitHubRenderer.command(f) == "::error file=inventory/kommuner/0180.yaml,line=3,title=unknown-key::unknown key 'nmae'")
    }

    @Test func noFindingsNoOutput() {
        #expect(FindingsRenderer.render(Fixture.report([]), as: .github, options: RenderOptions()) == "")
    }
}
