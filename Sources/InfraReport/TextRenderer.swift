import InfraModel

/// Compiler-style diagnostics:
///
///     inventory/kommuner/0180.yaml:12:5: error: unknown key 'nmae' [unknown-key]
///         nmae: Stockholm
///         ^
///       help: did you mean 'name'?
///       related: 0180/e-tjanstekort
///
///     1 error, 0 warnings, 0 infos in 1 file (1 organisation, 3 items)
public enum TextRenderer {
    /// Indent of the quoted source line and its caret line.
    static let sourceIndent = "    "

    static func render(_ report: FindingsReport, options: RenderOptions) -> String {
        Terminal.render(color: options.color) { style in
            render(report, options: options, style: style)
        }
    }

    private static func render(_ report: FindingsReport, options: RenderOptions, style: Styler) -> String {
        var findings = report.sortedFindings
        if options.quiet { findings = findings.filter { report.fails($0.severity) } }

        var out = ""
        var previousFile: String?? = .none  // .none: nothing printed yet
        let lines = QuotedLine(options.sourceLine)
        for finding in findings {
            if let previousFile, previousFile != finding.file {
                out.append("\n")  // a blank line between files
            }
            previousFile = .some(finding.file)
            out.append(diagnostic(finding, lines: lines, style: style))
        }
        if !findings.isEmpty { out.append("\n") }
        out.append(style.bold(report.summary.line(unread: report.findings.unreadFiles.count)))
        out.append("\n")
        return out
    }

    /// One finding as a compiler prints it. What comes from the files (names in messages, the
    /// path) is `inline`: a value cannot start a line that looks like another diagnostic.
    static func diagnostic(_ finding: Finding, lines: QuotedLine, style: Styler) -> String {
        var out = ""
        if let location = finding.locationText {
            out.append(style.bold(inline(location)))
            out.append(": ")
        }
        out.append(style.severity(finding.severity, finding.severity.word))
        out.append(": ")
        out.append(style.bold(inline(finding.message)))
        out.append(" ")
        out.append(style.dim("[\(finding.rule.rawValue)]"))
        out.append("\n")

        if let file = finding.file, let line = finding.line, line > 0,
           let (excerpt, shifted) = lines.window(file, line, column: finding.column ?? 1),
           !isMostlyUnprintable(excerpt)  // UTF-16 read as bytes: a line of � says nothing
        {
            let text = printable(excerpt)
            out.append(sourceIndent)
            out.append(text)
            out.append("\n")
            if finding.column != nil, let column = Optional(shifted), column > 0 {
                out.append(sourceIndent)
                out.append(caretIndent(for: text, column: column))
                out.append(style.severity(finding.severity, "^"))
                out.append("\n")
            }
        }
        if let help = finding.help, !help.isEmpty {
            out.append("  ")
            out.append(style.cyan("help:"))
            out.append(" ")
            out.append(inline(help))
            out.append("\n")
        }
        if !finding.related.isEmpty {
            out.append("  ")
            out.append(style.dim("related:"))
            out.append(" ")
            out.append(inline(finding.related.joinedShort(first: 20)))
            out.append("\n")
        }
        return out
    }

    /// Long lines (a 50 MB scalar, 10,000 nested brackets) are cut to a window around
    /// the column, marked with "…", so one finding never prints megabytes.
    /// (`QuotedLine` cuts them.)
    static let maxExcerpt = 160

    /// The whitespace that puts a caret under 1-based `column` of `line`.
    ///
    /// Columns count Unicode scalars, as the loader does (libyaml counts characters,
    /// not bytes). Tabs are kept as tabs so the caret lines up whatever the tab width;
    /// combining marks take no room; wide characters (CJK, emoji) take two cells, as
    /// terminals draw them; every other scalar becomes one space. A column past the end
    /// of the line puts the caret just after the last character.
    static func caretIndent(for line: String, column: Int) -> String {
        var indent = ""
        var remaining = column - 1
        for scalar in line.unicodeScalars {
            guard remaining > 0 else { break }
            remaining -= 1
            if scalar == "\t" {
                indent.append("\t")
            } else if isZeroWidth(scalar) {
                continue
            } else {
                indent.append(isWide(scalar) ? "  " : " ")
            }
        }
        return indent
    }

    /// Drawn two cells wide by terminals: emoji shown as emoji, and East Asian wide and
    /// fullwidth characters (the ranges of Markus Kuhn's wcwidth).
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isEmojiPresentation { return true }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: true
        default: false
        }
    }

    /// Whether more than a third of a line's characters are controls (a NUL beside every
    /// letter of a UTF-16 file) or U+FFFD (bytes that were not UTF-8).
    static func isMostlyUnprintable(_ line: String) -> Bool {
        var bad = 0, all = 0
        for scalar in line.unicodeScalars {
            all += 1
            if scalar == "\u{FFFD}" || (isControl(scalar) && scalar != "\t") { bad += 1 }
        }
        return bad * 3 > all
    }

    /// Text from inventory files can hold anything; a terminal must not receive its
    /// control characters (an ESC could restyle or rewrite the screen). C0 controls other
    /// than tab and line feed, DEL, C1 controls and the bidirectional overrides and isolates
    /// (which reorder what the rest of the line shows) become U+FFFD, one scalar for one, so
    /// caret columns stay right.
    public static func printable(_ s: String) -> String { replacingControls(s, lineBreaks: false) }

    /// `printable` for text shown inside one line (a name, a value): line breaks and tabs
    /// become U+FFFD too, so a value cannot start a line of its own that looks like output.
    public static func inline(_ s: String) -> String { replacingControls(s, lineBreaks: true) }

    private static func replacingControls(_ s: String, lineBreaks: Bool) -> String {
        let replaced = { (c: Unicode.Scalar) in isControl(c) || (lineBreaks && (c == "\n" || c == "\t")) }
        // Names are nearly always plain: no copy then.
        guard s.unicodeScalars.contains(where: replaced) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if replaced(scalar) { out.append("\u{FFFD}") } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    static func isControl(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09, 0x0A: false
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    static func trimLineBreak(_ s: String) -> String {
        var s = Substring(s)
        while let last = s.unicodeScalars.last, last == "\n" || last == "\r" {
            s = Substring(s.unicodeScalars.dropLast())
        }
        return String(s)
    }
}

/// The source lines findings quote, each read once however many findings it has (they come
/// in file and line order), with where every 256th scalar of a long one starts: a window
/// of a 1 MB line, quoted by 20,000 findings, costs a few hundred steps each instead of a
/// pass over the line.
final class QuotedLine {
    struct Line {
        let text: String
        let count: Int
        /// Index of scalar k·256, for a line longer than the window.
        let marks: [String.Index]
        static let step = 256

        init(_ text: String) {
            self.text = text
            // A line of at most the window's bytes is quoted whole: nothing to count.
            guard text.utf8.count > TextRenderer.maxExcerpt else {
                (count, marks) = (text.unicodeScalars.count, [])
                return
            }
            var count = 0, marks: [String.Index] = []
            var i = text.unicodeScalars.startIndex
            while i < text.unicodeScalars.endIndex {
                if count % Self.step == 0 { marks.append(i) }
                count += 1
                i = text.unicodeScalars.index(after: i)
            }
            self.count = count
            self.marks = count > TextRenderer.maxExcerpt ? marks : []
        }

        private func index(_ k: Int) -> String.Index {
            guard k < count else { return text.endIndex }
            return text.unicodeScalars.index(marks[k / Self.step], offsetBy: k % Self.step)
        }

        /// The text to quote for `column` (1-based), cut around it with "…", and the column in it.
        func window(column: Int) -> (String, Int) {
            guard count > TextRenderer.maxExcerpt else { return (text, column) }
            let start = max(0, min(column - 1 - TextRenderer.maxExcerpt / 2, count - TextRenderer.maxExcerpt))
            let end = min(count, start + TextRenderer.maxExcerpt)
            var cut = start > 0 ? "…" : ""
            cut.unicodeScalars.append(contentsOf: text.unicodeScalars[index(start)..<index(end)])
            if end < count { cut += "…" }
            return (cut, column - start + (start > 0 ? 1 : 0))
        }
    }

    private let read: (String, Int) -> String?
    private var key: (file: String, line: Int)?
    private var current: Line?

    init(_ read: @escaping (String, Int) -> String?) { self.read = read }

    func window(_ file: String, _ line: Int, column: Int) -> (String, Int)? {
        if key?.file != file || key?.line != line {
            key = (file, line)
            current = read(file, line).map { Line(TextRenderer.trimLineBreak($0)) }
        }
        return current?.window(column: column)
    }
}
