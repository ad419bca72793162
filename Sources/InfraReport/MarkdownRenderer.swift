import InfraModel

/// GitHub-flavoured Markdown for a pull-request comment or `$GITHUB_STEP_SUMMARY`:
/// a heading, a summary table, then one table row per finding (at most `rowLimit`).
enum MarkdownRenderer {
    static func render(_ report: FindingsReport, rowLimit: Int) -> String {
        verdict(report) + findings(report, rowLimit: rowLimit)
    }

    /// The heading with the run's verdict and the summary table: what a pull request's reader
    /// looks for first (`scan` puts its overview between this and the findings).
    static func verdict(_ report: FindingsReport) -> String {
        let s = report.summary
        var out = "## infra: \(report.failed ? "failed" : "passed")\n\n"
        out += "| Errors | Warnings | Infos | Files | Organisations | Items |\n"
        out += "|---:|---:|---:|---:|---:|---:|\n"
        out += "| \(s.errors) | \(s.warnings) | \(s.infos) | \(s.files) | \(s.organisations) | \(s.items) |\n\n"
        if let accepted = report.acceptedByBaseline, accepted > 0 {
            out += "\(counted(accepted, "finding")) accepted by the baseline (`--baseline-findings`) \(accepted == 1 ? "is" : "are") not counted or listed.\n\n"
        }
        if report.writingBaseline, !report.findings.isEmpty {
            out += "Every finding below is written to the baseline (`--write-baseline`), so none fails this run.\n\n"
        }
        return out
    }

    /// The findings, one table row each (at most `rowLimit`), and what else fails the run.
    static func findings(_ report: FindingsReport, rowLimit: Int) -> String {
        var out = ""
        let findings = report.sortedFindings
        if findings.isEmpty {
            out += "No findings.\n"
        } else {
            let limit = max(0, rowLimit)
            out += "| Severity | Location | Rule | Message |\n"
            out += "|---|---|---|---|\n"
            for f in findings.prefix(limit) {
                out += "| \(f.severity.word) | \(code(location(f))) | \(code(f.rule.rawValue)) | \(cell(message(f))) |\n"
            }
            if findings.count > limit {
                out += "\n… and \(findings.count - limit) more\n"
            }
        }
        if !report.disappeared.isEmpty {
            out += "\n**\(report.disappearedHeadline)** (`--strict-baseline`; "
                + FindingsReport.shrinkAdvice(newFindings: report.findings.count, disappeared: report.disappeared.count) { "`\($0)`" }
                + "):\n\n"
            for line in report.disappeared.prefix(max(0, rowLimit)) { out += "- \(cell(line))\n" }
            if report.disappeared.count > rowLimit { out += "- … and \(report.disappeared.count - rowLimit) more\n" }
        }
        if report.failsOnWarnings, report.summary.errors == 0, report.summary.warnings > 0 {
            out += "\nWarnings fail this run (`--fail-on warning`).\n"
        }
        out += "\n<sub>infra \(cell(report.toolVersion))</sub>\n"
        return out
    }

    /// `file:line`, `file`, `org/item` when there is no file, or empty.
    static func location(_ f: Finding) -> String {
        if let file = f.file { return f.line.map { "\(file):\($0)" } ?? file }
        if let organisation = f.organisation { return f.item.map { "\(organisation)/\($0)" } ?? organisation }
        return ""
    }

    static func message(_ f: Finding) -> String {
        var m = f.message
        if let help = f.help, !help.isEmpty { m += "\nhelp: \(help)" }
        return m
    }

    /// Text safe inside a table cell: `|` escaped, line breaks as `<br>`, `<`, `>` and `&`
    /// as entities (so they show as written, not as HTML), control characters as U+FFFD.
    /// Inside `code spans` (messages quote values so) nothing but `|` is escaped and a line
    /// break is a space: Markdown shows a code span's text as it is, entities included.
    static func cell(_ s: String) -> String {
        var out = ""
        var inCode = false
        let text = TextRenderer.printable(s.replacing("\r\n", with: "\n"))
        // Backticks pair up into code spans; an odd last one (a value holding a backtick
        // ends its span early) opens nothing: written `\``, so what follows stays escaped.
        var backticksLeft = text.unicodeScalars.reduce(0) { $0 + ($1 == "`" ? 1 : 0) }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "`" where !inCode && backticksLeft == 1:
                backticksLeft -= 1
                out.append("\\`")
            case "`": inCode.toggle(); backticksLeft -= 1; out.append("`")
            case "|": out.append("\\|")
            case "\n": out.append(inCode ? " " : "<br>")
            case "\\" where !inCode: out.append("\\\\")
            case "<" where !inCode: out.append("&lt;")
            case ">" where !inCode: out.append("&gt;")
            case "&" where !inCode: out.append("&amp;")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A code span for a cell: `|` still needs its backslash inside a table. Text with a
    /// backtick or a line break is written as a plain cell instead.
    static func code(_ s: String) -> String {
        if s.isEmpty { return "" }
        if s.contains("`") || s.contains("\n") || s.contains("\r") { return cell(s) }
        return "`" + s.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") + "`"
    }
}
