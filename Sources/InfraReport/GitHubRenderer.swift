import InfraModel

/// GitHub Actions workflow commands, one line per finding:
/// `::error file=path,line=N,col=N,title=rule::message` (`::warning`, `::notice` for info).
enum GitHubRenderer {
    static func render(_ report: FindingsReport) -> String {
        var out = ""
        for finding in report.sortedFindings {
            out.append(command(finding))
            out.append("\n")
        }
        // `scan --strict-baseline`: the run fails for these too, so the check says why.
        if !report.disappeared.isEmpty {
            let n = report.disappeared.count
            let message = report.disappearedHeadline + " (--strict-baseline); "
                + FindingsReport.shrinkAdvice(newFindings: report.findings.count, disappeared: report.disappeared.count) + ":\n"
                + report.disappeared.prefix(20).joined(separator: "\n") + (n > 20 ? "\n… and \(n - 20) more" : "")
            out.append("::error title=\(escapeProperty("strict-baseline"))::\(escapeData(message))\n")
        }
        return out
    }

    static func command(_ f: Finding) -> String {
        let name = switch f.severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "notice"
        }
        var properties: [(String, String)] = []
        if let file = f.file {
            properties.append(("file", file))
            if let line = f.line {
                properties.append(("line", String(line)))
                if let column = f.column { properties.append(("col", String(column))) }
            }
        }
        properties.append(("title", f.rule.rawValue))

        let props = properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
        return "::\(name) \(props)::\(escapeData(f.message))"
    }

    /// The message part: `%`, CR and LF are percent-encoded.
    static func escapeData(_ s: String) -> String { escape(s, property: false) }

    /// A property value: as `escapeData`, plus `:` and `,`.
    static func escapeProperty(_ s: String) -> String { escape(s, property: true) }

    /// Control characters other than line breaks (ESC, NUL, C1, bidi overrides) become U+FFFD:
    /// the log GitHub shows interprets ANSI sequences.
    private static func escape(_ s: String, property: Bool) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "%": out.append("%25")
            case "\r": out.append("%0D")
            case "\n": out.append("%0A")
            case ":" where property: out.append("%3A")
            case "," where property: out.append("%2C")
            case _ where TextRenderer.isControl(scalar): out.append("\u{FFFD}")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
