import InfraModel

/// What a renderer needs to know about a rule: SARIF lists these in `tool.driver.rules`.
public struct RuleInfo: Sendable, Hashable {
    public var id: RuleID
    public var title: String
    public var severity: Severity
    public var rationale: String
    public var helpURI: String?

    public init(id: RuleID, title: String, severity: Severity, rationale: String, helpURI: String? = nil) {
        self.id = id
        self.title = title
        self.severity = severity
        self.rationale = rationale
        self.helpURI = helpURI
    }
}

/// Everything one validation or scan run reports.
public struct FindingsReport: Sendable {
    public var findings: [Finding]
    public var summary: Summary
    /// The rule catalogue (all rules, not only those that fired).
    public var rules: [RuleInfo]
    public var toolVersion: String
    /// The tool's home page, written to SARIF's `tool.driver.informationUri`.
    public var informationURI: String
    /// The command that ran (`scan`, `validate`): SARIF's `automationDetails.id` is
    /// `infra/COMMAND/`, so that code scanning keeps the two uploads apart.
    public var command: String?
    /// `--fail-on warning`: warnings fail the run too, so the reports that give a verdict
    /// (Markdown's heading, JUnit's failures, `--quiet` text) count them.
    public var failsOnWarnings = false
    /// `--strict-baseline`: accepted findings of the baseline that no longer occur, one line
    /// each (`rule org/item: message`); any of them fails the run.
    public var disappeared: [String] = []
    /// `--baseline-findings FILE`: the file, and the findings it accepted (not in
    /// `findings`). Only SARIF lists them (as suppressed); the other formats count them.
    public var baselineFile: String?
    public var accepted: [Finding] = []
    /// How many findings the baseline accepted; nil without one.
    public var acceptedByBaseline: Int? { baselineFile == nil ? nil : accepted.count }
    /// `--write-baseline FILE` (without `--baseline-findings`): every finding is being written
    /// to this baseline, so none fails the run. SARIF marks them accepted by it; GitHub gets
    /// one notice instead of an annotation each.
    public var writtenBaseline: String?
    public var writingBaseline: Bool { writtenBaseline != nil }

    /// "1 accepted finding of the baseline has disappeared" (`disappeared`'s count).
    public var disappearedHeadline: String {
        "\(counted(disappeared.count, "accepted finding")) of the baseline \(disappeared.count == 1 ? "has" : "have") disappeared"
    }

    /// What to do about `disappeared`. `--write-baseline` drops them, but accepts every finding
    /// of the scan: with new findings about, that is advice only once they are fixed.
    /// `flag` dresses the option's name (Markdown puts it in backticks).
    public static func shrinkAdvice(newFindings: Int, disappeared: Int, flag: (String) -> String = { $0 }) -> String {
        let write = flag("--write-baseline")
        return newFindings == 0 ? "write the baseline again with \(write) to drop \(disappeared == 1 ? "it" : "them")"
            : "once the \(newFindings) new finding\(newFindings == 1 ? " is" : "s are") fixed, write the baseline again with "
              + "\(write) (written now, it would accept \(newFindings == 1 ? "it" : "them") too)"
    }

    /// Whether the run fails (exit code 1) because of what this report holds.
    public var failed: Bool {
        !writingBaseline && (summary.errors > 0 || (failsOnWarnings && summary.warnings > 0) || !disappeared.isEmpty)
    }

    /// Whether a finding of this severity fails the run.
    public func fails(_ severity: Severity) -> Bool {
        !writingBaseline && (severity == .error || (failsOnWarnings && severity == .warning))
    }

    public static let defaultInformationURI = "https://github.com/infra-se/infra"

    public init(
        findings: [Finding], summary: Summary, rules: [RuleInfo] = [], toolVersion: String,
        informationURI: String = FindingsReport.defaultInformationURI
    ) {
        self.findings = findings
        self.summary = summary
        self.rules = rules
        self.toolVersion = toolVersion
        self.informationURI = informationURI
    }

    /// The findings in `Finding.reportOrder`.
    public var sortedFindings: [Finding] { findings.sorted(by: Finding.reportOrder) }
}

/// The output formats of `infra validate` / `infra scan`.
public enum FindingsFormat: String, CaseIterable, Sendable {
    /// Compiler-style diagnostics for a terminal.
    case text
    /// A stable JSON document (`{"findings": [...], "summary": {...}}`).
    case json
    /// GitHub Actions workflow commands (`::error file=…::message`).
    case github
    /// SARIF 2.1.0, for code-scanning uploads.
    case sarif
    /// JUnit XML, one test case per checked file.
    case junit
    /// A Markdown summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    case markdown
}

/// How to render. Only `text` uses `color`, `quiet` and `sourceLine`; only `junit` uses `files`.
public struct RenderOptions: Sendable {
    /// ANSI colours in `text` output. Off unless asked for: the renderer never guesses from the terminal.
    public var color: Bool = false
    /// `text` only: print the findings that fail the run (errors; warnings too with
    /// `--fail-on warning`) and the summary line, nothing else.
    public var quiet: Bool = false
    /// Reads a source line for carets: (file, 1-based line) -> the text of that line
    /// (without its line break), or nil.
    public var sourceLine: @Sendable (String, Int) -> String? = { _, _ in nil }
    /// Every file checked, in order, for `junit` (one test case each, failing or not).
    public var files: [String] = []
    /// `markdown` only: at most this many finding rows, then an "… and N more" line.
    public var markdownRowLimit: Int = 500
    /// `sarif` only: the absolute directory relative paths start from (the current one),
    /// given as `%SRCROOT%` in `originalUriBaseIds`; left out when nil.
    public var sourceRoot: String?
    /// `github` only: the repository's checkout (`GITHUB_WORKSPACE`). GitHub places an
    /// annotation by its path from there, so a file under it is named that way, wherever
    /// infra ran (a job's `working-directory:`).
    public var workspace: String?
    /// `sarif` only: where an item named `org/item` is written (file, line, column), so that
    /// a result's `related` items become related locations a reader can follow.
    public var locate: (@Sendable (String) -> (file: String, line: Int, column: Int)?)?

    public init(
        color: Bool = false, quiet: Bool = false,
        sourceLine: @escaping @Sendable (String, Int) -> String? = { _, _ in nil },
        files: [String] = [], markdownRowLimit: Int = 500
    ) {
        self.color = color
        self.quiet = quiet
        self.sourceLine = sourceLine
        self.files = files
        self.markdownRowLimit = markdownRowLimit
    }
}

/// Renders a `FindingsReport`. Pure: a value in, a string out; nothing is printed.
///
/// Every non-empty result ends with exactly one newline, so write it with
/// `print(output, terminator: "")` (or straight to a file).
public enum FindingsRenderer {
    public static func render(_ report: FindingsReport, as format: FindingsFormat, options: RenderOptions = RenderOptions()) -> String {
        switch format {
        case .text: TextRenderer.render(report, options: options)
        case .json: FindingsJSON.render(report)
        case .github: GitHubRenderer.render(report, workspace: options.workspace, from: options.sourceRoot)
        case .sarif: SARIFRenderer.render(report, files: options.files, sourceRoot: options.sourceRoot, locate: options.locate)
        case .junit: JUnitRenderer.render(report, files: options.files)
        case .markdown: MarkdownRenderer.render(report, rowLimit: options.markdownRowLimit)
        }
    }
}

extension Severity {
    /// "error", "warning" or "info".
    var word: String { rawValue }
}

/// "1 error", "2 errors".
public func counted(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : (plural ?? singular + "s"))"
}

extension Summary {
    /// `N errors, N warnings, N infos in N files (N organisations, N items)`; `unread`: how many
    /// of the files could not be read (`1 not read; …`), whose items the counts lack.
    func line(unread: Int = 0) -> String {
        "\(counted(errors, "error")), \(counted(warnings, "warning")), \(counted(infos, "info")) in "
            + "\(counted(files, "file")) (\(unread > 0 ? "\(unread) not read; " : "")\(counted(organisations, "organisation")), \(counted(items, "item")))"
    }
}

extension Finding {
    /// `path:line:col`, `path:line`, `path`, or nil without a file.
    var locationText: String? {
        guard let file else { return nil }
        guard let line else { return file }
        guard let column else { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }
}
