import ArgumentParser
import Foundation
import InfraChecks
import InfraModel
import InfraPipeline
import InfraReference
import InfraReport

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check inventory files against the format, the vocabularies and each other.",
        discussion: """
        Reports every validation finding with file, line and column: YAML syntax, unknown keys, \
        wrong types, bad ids and dates, duplicate ids, unresolved references, codes not in \
        SCB's list, org numbers with a wrong check digit, capabilities in the wrong layer.

        Examples:
          infra validate inventories/
          # annotations in a GitHub workflow
          infra validate --format github kommun.yaml
          # for code scanning
          infra validate --format sarif . > infra.sarif
          # only findings not accepted in a baseline (from infra scan)
          infra validate --baseline-findings findings.json inventories/
        """)

    @OptionGroup var inputs: InputOptions

    @Option(help: "Output format: text, json, github, sarif, junit, markdown.")
    var format: ValidateFormat = .text

    @Option(help: "Exit with 1 on errors only (error) or also on warnings (warning).")
    var failOn: FailOn = .error

    @Flag(help: "Print only the findings that fail the run (errors; warnings too with --fail-on warning) and the summary (text format).")
    var quiet = false

    @Option(help: ArgumentHelp("Report, and fail on, only the findings not in this baseline file (from `infra scan --write-baseline`).",
                               valueName: "file"))
    var baselineFindings: String?

    func run() throws {
        let baseline = try baselineFindings.map(loadFindingsBaseline)
        var result = try inputs.run(inputs.pipelineOptions())
        let start = Date()
        // The baseline holds the scan's findings, of which validate's are a part: the rest
        // are not missing, so validate has no --strict-baseline.
        var accepted: [Finding] = []
        if let baseline, let file = baselineFindings {
            let match = baseline.match(result.findings)
            accepted = match.accepted
            noteAccepted(accepted.count, in: file, quiet: quiet)
            result = result.reporting(match.new)
        }
        var findings = report(result, command: "validate", failOn: failOn)
        findings.baselineFile = baselineFindings
        findings.accepted = accepted
        let text = render(findings, of: result, format: format.findingsFormat, quiet: quiet)
        try write(forActionsLog(text, format: format.findingsFormat))
        reportTimings(result, renderStart: start, if: inputs.timings)
        // Exit code 1 exactly when the report says the run failed.
        if findings.failed { throw ExitCode(1) }
    }
}

enum ValidateFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, github, sarif, junit, markdown
    var findingsFormat: FindingsFormat { FindingsFormat(rawValue: rawValue)! }
}

/// Renders a pipeline result's findings in any findings format.
func render(_ report: FindingsReport, of result: PipelineResult, format: FindingsFormat, quiet: Bool) -> String {
    FindingsRenderer.render(report, as: format, options: renderOptions(result, format, quiet: quiet))
}

/// The report of a run; with `failOn` and `disappeared` (`--strict-baseline`) it holds the
/// run's verdict (`failed`), which the reports show and the exit code follows.
func report(_ result: PipelineResult, command: String, failOn: FailOn = .error, disappeared: [String] = []) -> FindingsReport {
    let rules = Checks.rules.map {
        RuleInfo(id: $0.id, title: $0.title, severity: $0.severity, rationale: $0.rationale, helpURI: nil)
    }
    var report = FindingsReport(findings: result.findings, summary: result.summary, rules: rules, toolVersion: toolVersion)
    report.command = command
    report.failsOnWarnings = failOn == .warning
    report.disappeared = disappeared
    return report
}

func renderOptions(_ result: PipelineResult, _ format: FindingsFormat, quiet: Bool = false) -> RenderOptions {
    let lines = SourceLines()
    var options = RenderOptions()
    options.color = format == .text && useColor
    options.quiet = quiet
    options.sourceLine = { lines.line($0, $1) }
    options.files = result.files.map(\.path)
    options.sourceRoot = FileManager.default.currentDirectoryPath
    options.workspace = ProcessInfo.processInfo.environment["GITHUB_WORKSPACE"].flatMap { $0.isEmpty ? nil : $0 }
    if format == .sarif {
        let catalog = result.catalog
        // A built-in national item is in no file of the repository: it has no place to link to.
        options.locate = { ref in
            guard let i = catalog.resolve(ref), !catalog.items[i].file.hasPrefix(Reference.label) else { return nil }
            let position = catalog.items[i].item.id.position
            return (catalog.items[i].file, Int(position.line), Int(position.column))
        }
    }
    return options
}
