import ArgumentParser
import Foundation
import InfraChecks
import InfraModel
import InfraPipeline
import InfraReference
import InfraReport

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate and analyse: gaps, duplicates, single points of failure, gauge breaks.",
        discussion: """
        Builds one dependency graph over every organisation given (and the national components) \
        and reports, top to bottom: a summary, baseline gaps per organisation, the top single \
        points of failure, consolidation candidates, gauge breaks, then every finding.

        Examples:
          infra scan examples/vasternorrland
          infra scan --org sundsvall examples/vasternorrland     # one organisation, whole graph
          infra scan --format markdown inventories/ >> "$GITHUB_STEP_SUMMARY"
          infra scan --country inventories/                     # also: who has no inventory
        """)

    @OptionGroup var inputs: InputOptions

    @Option(help: "Output format: text, json, markdown, sarif, github.")
    var format: ScanFormat = .text

    @Option(help: "Use this baseline file (`baseline: {kommun: [...], ...}`) instead of the built-in one.")
    var baseline: String?

    @Option(help: "Narrow the report to one organisation id (the graph stays whole).")
    var org: String?

    @Flag(help: "Country scope: also report municipalities and regions with no inventory.")
    var country = false

    @Option(help: "Report items whose risk score (dependent services, critical ones ×4) exceeds N.")
    var spof: Int = 25

    @Option(help: "Exit with 1 on errors only (error) or also on warnings (warning).")
    var failOn: FailOn = .error

    func run() throws {
        var options = inputs.pipelineOptions()
        options.analysis = true
        options.checkOptions.country = country
        options.checkOptions.spofThreshold = spof
        if let baseline { options.vocabulary.baseline = try loadBaseline(baseline) }
        let result = try inputs.run(options)
        if let org, result.catalog.organisation(org) == nil {
            let near = Suggest.nearest(to: org, in: result.catalog.organisations.map(\.id))
            throw InputProblem("--org \(org): no such organisation in the scan" + (near.map { " — did you mean `\($0)`?" } ?? ""))
        }
        let start = Date()
        let findings = result.findings(for: org)
        var summary = result.summary
        summary.errors = 0; summary.warnings = 0; summary.infos = 0
        summary.count(findings)
        if let org, let o = result.catalog.organisation(org) {
            summary.organisations = 1
            summary.items = result.catalog.organisations[o].items.count
        }
        let overview = result.overview(focus: org, findings: findings)
        var narrowed = result
        narrowed.findings = findings
        narrowed.summary = summary
        let text = ScanRenderer.render(overview, report(narrowed), as: format.findingsFormat, options: renderOptions(narrowed, format.findingsFormat))
        write(text)
        reportTimings(result, renderStart: start, if: inputs.timings)
        if let code = failureCode(for: summary, failOn: failOn) { throw code }
    }
}

enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, sarif, github
    var findingsFormat: FindingsFormat { FindingsFormat(rawValue: rawValue)! }
}

func loadBaseline(_ path: String) throws -> Baseline {
    guard let data = FileManager.default.contents(atPath: path) else { throw InputProblem("\(path): cannot read baseline file") }
    do {
        return try VocabularyReader.baseline(String(decoding: data, as: UTF8.self), file: path)
    } catch {
        throw InputProblem("\(error)")
    }
}
