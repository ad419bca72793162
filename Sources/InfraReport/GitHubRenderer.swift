import InfraModel

/// GitHub Actions workflow commands, one line per finding:
/// `::error file=path,line=N,col=N,title=rule::message` (`::warning`, `::notice` for info).
enum GitHubRenderer {
    /// GitHub turns at most this many commands of each kind (error, warning, notice) in a
    /// step into annotations; the rest only show in the log.
    static let annotatedPerKind = 10

    /// `workspace`: the checkout (`GITHUB_WORKSPACE`); `directory`: where infra runs, which
    /// relative paths start from.
    static func render(_ report: FindingsReport, workspace: String? = nil, from directory: String? = nil) -> String {
        // Writing the baseline accepts every finding: no annotation fails or warns for one.
        if let written = report.writtenBaseline {
            let n = report.findings.count
            let message = "\(counted(n, "finding")) accepted into the findings baseline \(written); none fails this run"
            return n == 0 ? "" : "::notice title=\(escapeProperty("infra: baseline written"))::\(escapeData(message))\n"
        }
        // Run-level errors come before the findings, so that they are annotated however
        // many findings there are: `scan --strict-baseline`'s, which fails the run too.
        var first: [String] = []
        if !report.disappeared.isEmpty {
            let n = report.disappeared.count
            let message = report.disappearedHeadline + " (--strict-baseline); "
                + FindingsReport.shrinkAdvice(newFindings: report.findings.count, disappeared: report.disappeared.count) + ":\n"
                + report.disappeared.prefix(20).joined(separator: "\n") + (n > 20 ? "\n… and \(n - 20) more" : "")
            first.append("::error title=\(escapeProperty("strict-baseline"))::\(escapeData(message))")
        }
        // `--fail-on warning` with warnings only: the step fails, and an error says why (the
        // warning annotations alone do not).
        if report.failsOnWarnings, report.summary.errors == 0, report.summary.warnings > 0 {
            let n = report.summary.warnings
            first.append("::error title=\(escapeProperty("infra: --fail-on warning"))::\(escapeData("\(counted(n, "warning")) \(n == 1 ? "fails" : "fail") this run (--fail-on warning)"))")
        }
        // Beyond the limit, annotations are dropped without a word: the first of the kind
        // says so, where it is seen.
        var overflow: [String] = []
        for severity in [Severity.error, .warning, .info] {
            let n = report.findings.count { $0.severity == severity }
            let room = annotatedPerKind - 1 - (severity == .error ? first.count : 0)
            guard n > room + 1 else { continue }
            let kind = kindName(severity), noun = severity == .info ? "info" : kind
            let message = "\(n) \(noun)s: GitHub annotates \(annotatedPerKind) \(kind)s a step, so only the first "
                + "\(room) are annotated; all are in this step's log, and `--format sarif` uploads every one to code scanning"
            overflow.append("::\(kind) title=\(escapeProperty("infra: \(n) \(noun)s"))::\(escapeData(message))")
        }
        var out = ""
        for line in overflow + first {
            out.append(line)
            out.append("\n")
        }
        for finding in report.sortedFindings {
            out.append(command(finding, path: finding.file.map { inWorkspace($0, workspace: workspace, from: directory) }))
            out.append("\n")
        }
        return out
    }

    /// The workflow command of a severity.
    static func kindName(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "notice"
        }
    }

    /// A file's path from the checkout, when it is under it (`..` and `.` taken out);
    /// otherwise as given.
    static func inWorkspace(_ file: String, workspace: String?, from directory: String?) -> String {
        guard let workspace, workspace.hasPrefix("/") else { return file }
        let parts = normalisedSegments(file.hasPrefix("/") ? file : (directory ?? "/") + "/" + file)
        let root = normalisedSegments(workspace)
        guard parts.count > root.count, Array(parts.prefix(root.count)) == root else { return file }
        return parts.dropFirst(root.count).joined(separator: "/")
    }

    static func command(_ f: Finding, path: String? = nil) -> String {
        let name = kindName(f.severity)
        var properties: [(String, String)] = []
        if let file = path ?? f.file {
            properties.append(("file", file))
            if let line = f.line {
                properties.append(("line", String(line)))
                if let column = f.column { properties.append(("col", String(column))) }
            }
        }
        properties.append(("title", f.rule.rawValue))

        let props = properties.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
        // The help on a line of its own: what to do, where the annotation is read.
        let message = f.help.map { f.message + "\nhelp: " + $0 } ?? f.message
        return "::\(name) \(props)::\(escapeData(message))"
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
