import Foundation
import InfraModel
import Testing
@testable import InfraReport

@Suite struct MarkdownTests {
    @Test func summaryAndFindingsTables() {
        let out = FindingsRenderer.render(Fixture.report(), as: .markdown, options: RenderOptions())
        let l = lines(out)
        #expect(l[0].hasPrefix("## "))
        #expect(out.contains("| Errors | Warnings | Infos | Files | Organisations | Items |\n|---:|---:|---:|---:|---:|---:|\n| 2 | 1 | 1 | 2 | 2 | 3 |\n"))
        #expect(out.contains("| Severity | Location | Rule | Message |"))
        #expect(out.contains("| error | `inventory/kommuner/0180.yaml:3` | `unknown-key` | unknown key 'nmae'<br>help: did you mean 'name'? |"))
        #expect(out.contains("| info | `inventory/national/bankid.yaml` | `stale-review` | not reviewed since 2023-01-01 |"))
        #expect(out.contains("| error |  | `missing-inventory` | no inventory for kommun 2584 |"))
        // Every finding row has exactly the table's five unescaped pipes.
        for row in l where row.hasPrefix("| error") || row.hasPrefix("| warning") || row.hasPrefix("| info") {
            #expect(unescapedPipes(row) == 5)
        }
    }

    @Test func escapesPipesAndNewlines() {
        let f = Finding(rule: .badValue, severity: .warning, message: "a | b\nc <d>", file: "x|y.yaml",
                        position: TextPosition(line: 2, column: 1))
        let out = FindingsRenderer.render(Fixture.report([f]), as: .markdown, options: RenderOptions())
        #expect(out.contains("| warning | `x\\|y.yaml:2` | `bad-value` | a \\| b<br>c &lt;d&gt; |"))
        let row = lines(out).first { $0.hasPrefix("| warning") }!
        #expect(unescapedPipes(row) == 5)
    }

    @Test func codeSpansShowValuesAsWrittenAndControlsAreNeutralised() {
        // Markdown shows a code span's text as is: entities or <br> there would show literally.
        let f = Finding(rule: .unknownCapability, severity: .warning, message: "unknown capability `a<b&c\\d|e\nf` \u{1B}[31m<x>",
                        file: "m.yaml", position: TextPosition(line: 1, column: 1))
        let out = FindingsRenderer.render(Fixture.report([f]), as: .markdown, options: RenderOptions())
        #expect(out.contains("unknown capability `a<b&c\\d\\|e f` \u{FFFD}[31m&lt;x&gt; |"), "\(out)")
        #expect(!out.contains("\u{1B}"))
    }

    @Test("a value holding a backtick cannot leave the rest of the message unescaped")
    func strayBacktick() {
        let f = Finding(rule: .unknownCapability, severity: .warning, message: "unknown capability `a`b` <img src=x>",
                        file: "m.yaml", position: TextPosition(line: 1, column: 1))
        let out = FindingsRenderer.render(Fixture.report([f]), as: .markdown, options: RenderOptions())
        #expect(out.contains("unknown capability `a`b\\` &lt;img src=x&gt; |"), "\(out)")
        #expect(!out.contains("<img"))
    }

    @Test func capsRows() {
        let many = (0..<503).map { Finding(rule: .badValue, severity: .info, message: "m\($0)", file: "f.yaml",
                                           position: TextPosition(line: $0 + 1, column: 1)) }
        let out = FindingsRenderer.render(Fixture.report(many), as: .markdown, options: RenderOptions())
        #expect(lines(out).filter { $0.hasPrefix("| info |") }.count == 500)
        #expect(out.contains("… and 3 more"))
        #expect(out.contains("| info | `f.yaml:500` |"))
        #expect(!out.contains("| info | `f.yaml:501` |"))
    }

    @Test func noFindings() {
        let out = FindingsRenderer.render(Fixture.report([], summary: Summary()), as: .markdown, options: RenderOptions())
        #expect(out.contains("No findings."))
        #expect(!out.contains("| Severity |"))
    }

    func unescapedPipes(_ s: String) -> Int {
        var count = 0
        var escaped = false
        for c in s {
            if escaped { escaped = false; continue }
            if c == "\\" { escaped = true } else if c == "|" { count += 1 }
        }
        return count
    }
}
