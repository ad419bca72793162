import Foundation
import InfraModel
import Testing
@testable import InfraReport

@Suite struct TextRendererTests {
    func text(_ report: FindingsReport = Fixture.report(), color: Bool = false, quiet: Bool = false) -> String {
        FindingsRenderer.render(report, as: .text,
                                options: RenderOptions(color: color, quiet: quiet, sourceLine: Fixture.sourceLine))
    }

    @Test func diagnosticLineSourceAndCaret() {
        let out = lines(text())
        let i = try! #require(out.firstIndex(of: "inventory/kommuner/0180.yaml:3:5: error: unknown key 'nmae' [unknown-key]"))
        #expect(out[i + 1] == "    " + "  - nmae: Stockholm")
        #expect(out[i + 2] == "    " + "    ^")
        #expect(out[i + 3] == "  help: did you mean 'name'?")
    }

    @Test func relatedAndOrder() {
        let out = text()
        let l = lines(out)
        let w = try! #require(l.firstIndex(of: "inventory/kommuner/0180.yaml:9:3: warning: dependency cycle: a → b → a [dependency-cycle]"))
        #expect(l[w + 1] == "  related: 0180/b, 1480/c")  // line 9 is not in the source: no quote, no caret
        let e = try! #require(l.firstIndex(where: { $0.hasPrefix("inventory/kommuner/0180.yaml:3:5:") }))
        let info = try! #require(l.firstIndex(of: "inventory/national/bankid.yaml: info: not reviewed since 2023-01-01 [stale-review]"))
        let catalogue = try! #require(l.firstIndex(of: "error: no inventory for kommun 2584 [missing-inventory]"))
        #expect(e < w && w < info && info < catalogue)
        #expect(l[info - 1] == "" && l[catalogue - 1] == "")  // a blank line between files
    }

    @Test func aLongRelatedListIsShortenedOnTheTerminal() {
        var ring = Fixture.cycle
        ring.related = (0..<5_000).map { "0180/x\($0)" }
        let l = lines(text(Fixture.report([ring])))
        let related = try! #require(l.first { $0.hasPrefix("  related: ") })
        #expect(related == "  related: " + (0..<20).map { "0180/x\($0)" }.joined(separator: ", ") + " and 4980 more")
        // 21 are all shown: "and 1 more" would save nothing.
        ring.related = (0..<21).map { "0180/x\($0)" }
        #expect(lines(text(Fixture.report([ring]))).contains("  related: " + ring.related.joined(separator: ", ")))
    }

    @Test func summaryLine() {
        let out = text()
        #expect(out.hasSuffix("\n2 errors, 1 warning, 1 info in 2 files (2 organisations, 3 items)\n"))

        var one = Summary()
        one.files = 1; one.organisations = 1; one.items = 1; one.errors = 1; one.warnings = 2; one.infos = 0
        let single = text(Fixture.report([], summary: one))
        #expect(single == "1 error, 2 warnings, 0 infos in 1 file (1 organisation, 1 item)\n")
    }

    @Test func quietPrintsOnlyErrorsAndSummary() {
        let out = text(quiet: true)
        #expect(out.contains("error: unknown key 'nmae'"))
        #expect(out.contains("error: no inventory for kommun 2584"))
        #expect(!out.contains("warning:"))
        #expect(!out.contains("info:"))
        #expect(out.contains("2 errors, 1 warning, 1 info in 2 files"))
    }

    @Test func noANSIWithoutColorAndANSIWithColor() {
        let plain = text(color: false)
        #expect(!plain.contains("\u{1B}["))
        let coloured = text(color: true)
        #expect(coloured.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[31"))  // red for errors
        #expect(coloured.contains("\u{1B}[33"))  // yellow for warnings
        #expect(coloured.contains("\u{1B}[36"))  // cyan for infos
        // Stripping the escapes gives back the plain text.
        let stripped = coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == plain)
    }

    @Test func caretCountsUnicodeScalarsWithSwedishLetters() {
        let line = "  ort: Håbo, Ängelholm, Örebro: fel"
        let column = Array(line.unicodeScalars).firstIndex(of: "f")! + 1
        #expect(column == 33)
        let finding = Finding(rule: .badValue, severity: .error, message: "bad", file: "x.yaml",
                              position: TextPosition(line: 1, column: column))
        let out = FindingsRenderer.render(
            Fixture.report([finding]), as: .text,
            options: RenderOptions(sourceLine: { _, _ in line }))
        let l = lines(out)
        #expect(l[0] == "x.yaml:1:33: error: bad [bad-value]")
        #expect(l[1] == "    " + line)
        #expect(l[2] == "    " + String(repeating: " ", count: 32) + "^")
        // The caret sits under the "f" when both lines are read as characters.
        #expect(Array(l[2]).firstIndex(of: "^") == Array(l[1]).firstIndex(of: "f"))
    }

    @Test("a long line quoted by many findings is read once and cut around each column, scalars counted")
    func longLineQuotedByManyFindings() {
        // 3,000 items on one line (a script's JSON), each with a Swedish letter before its mistake.
        let line = (0..<3000).map { "{\"id\": \"å\($0)\", \"status\": \"activ\"}" }.joined(separator: ", ")
        let scalars = Array(line.unicodeScalars)
        let columns = scalars.indices.filter { scalars[$0] == "v" && scalars[$0 - 1] == "i" }.map { $0 - 3 }  // the "a" of activ, 1-based
        #expect(columns.count == 3000)
        let findings = columns.map {
            Finding(rule: .badEnum, severity: .error, message: "bad", file: "x.json.yaml", position: TextPosition(line: 1, column: $0))
        }
        nonisolated(unsafe) var reads = 0
        let out = lines(FindingsRenderer.render(Fixture.report(findings), as: .text, options: RenderOptions(sourceLine: { _, _ in
            reads += 1
            return line
        })))
        #expect(reads == 1)
        for (k, column) in columns.enumerated() where k % 97 == 0 || k == columns.count - 1 {
            let quoted = out[1 + 3 * k], caret = out[2 + 3 * k]
            #expect(quoted.count <= 4 + TextRenderer.maxExcerpt + 2, "\(quoted.count)")
            #expect(quoted.hasPrefix("    …") == (column > TextRenderer.maxExcerpt / 2 + 1))
            // The caret sits under the "a" of "activ", wherever the window starts.
            let at = Array(caret).firstIndex(of: "^")!
            #expect(String(Array(quoted)[at..<(at + 5)]) == "activ", "finding \(k): \(quoted)\n\(caret)")
        }
    }

    @Test("a line that is mostly unprintable (UTF-16 read as bytes) is not quoted; one odd character is")
    func mostlyUnprintableLineNotQuoted() {
        let f = Finding(rule: .fileEncoding, severity: .error, message: "m", file: "x.yaml", position: TextPosition(line: 1, column: 1))
        let render = { (line: String) in lines(FindingsRenderer.render(Fixture.report([f]), as: .text, options: RenderOptions(sourceLine: { _, _ in line }))) }
        #expect(render("i\0n\0v\0e\0n\0t\0o\0r\0y\0:\0").count == 4, "header, blank, summary, end")
        #expect(render("  name: Stadsn\u{FFFD}t")[1] == "    " + "  name: Stadsn\u{FFFD}t")
    }

    @Test func caretKeepsTabsAndSkipsCombiningMarks() {
        #expect(TextRenderer.caretIndent(for: "\t\tkey: v", column: 3) == "\t\t")
        #expect(TextRenderer.caretIndent(for: "\tå: v", column: 4) == "\t  ")
        // "å" written as a + COMBINING RING ABOVE is two scalars but one column on screen.
        #expect(TextRenderer.caretIndent(for: "a\u{030A}b: v", column: 3) == " ")
        // Past the end of the line: just after the last character.
        #expect(TextRenderer.caretIndent(for: "ab", column: 10) == "  ")
        #expect(TextRenderer.caretIndent(for: "ab", column: 1) == "")
        // Wide characters take two cells on a terminal: the caret under `activ` after a name in
        // CJK or emoji stood 8 and 3 cells too far left.
        #expect(TextRenderer.caretIndent(for: "{name: \"学校\", status: activ}", column: 22) == String(repeating: " ", count: 23))
        #expect(TextRenderer.caretIndent(for: "{name: \"🏫\", status: activ}", column: 21) == String(repeating: " ", count: 21))
    }

    @Test func positionVariants() {
        let noColumn = Finding(rule: .badDate, severity: .warning, message: "m", file: "f.yaml",
                               position: TextPosition(line: 2, column: 0))
        var f = noColumn
        f.column = nil
        let out = lines(FindingsRenderer.render(
            Fixture.report([f]), as: .text, options: RenderOptions(sourceLine: { _, n in "line \(n)\r\n" })))
        #expect(out[0] == "f.yaml:2: warning: m [bad-date]")
        #expect(out[1] == "    line 2")  // the line break the reader left is trimmed
        #expect(out[2] == "")  // no caret without a column
    }

    @Test func controlCharactersFromInputAreNeutralised() {
        let f = Finding(rule: .unknownKey, severity: .error, message: "unknown key '\u{1B}[2Jx'",
                        file: "a.yaml", position: TextPosition(line: 1, column: 3), help: "bell\u{7}")
        let out = FindingsRenderer.render(
            Fixture.report([f]), as: .text, options: RenderOptions(sourceLine: { _, _ in "\u{1B}]0;x: 1" }))
        #expect(!out.contains("\u{1B}"))
        #expect(!out.contains("\u{7}"))
        let l = lines(out)
        #expect(l[0] == "a.yaml:1:3: error: unknown key '\u{FFFD}[2Jx' [unknown-key]")
        #expect(l[1] == "    \u{FFFD}]0;x: 1")
        #expect(l[2] == "      ^")
        #expect(l[3] == "  help: bell\u{FFFD}")
    }

    @Test func aValueCannotForgeADiagnosticLine() {
        // A capability written as "x\nsecrets.yaml:1:1: error: forged": one line, not two.
        let f = Finding(rule: .unknownCapability, severity: .warning, message: "unknown capability `x\nsecrets.yaml:1:1: error: forged`",
                        file: "a\nb.yaml", position: TextPosition(line: 4, column: 5))
        let out = FindingsRenderer.render(Fixture.report([f]), as: .text, options: RenderOptions())
        #expect(!lines(out).contains { $0.hasPrefix("secrets.yaml") || $0.hasPrefix("b.yaml") }, "\(out)")
        #expect(lines(out)[0] == "a\u{FFFD}b.yaml:4:5: warning: unknown capability `x\u{FFFD}secrets.yaml:1:1: error: forged` [unknown-capability]")
    }

    @Test func emptyReportIsJustTheSummary() {
        let out = text(Fixture.report([], summary: Summary()))
        #expect(out == "0 errors, 0 warnings, 0 infos in 0 files (0 organisations, 0 items)\n")
    }
}
