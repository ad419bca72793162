import ArgumentParser
import InfraModel
import InfraPipeline
import InfraReference
import InfraReport

struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Who has each capability and standard: per organisation type, against all of Sweden.",
        discussion: """
        For every capability and standard: how many organisations of each type have it, out of \
        those inventoried and out of all (290 kommuner, 21 regioner), and the share of the \
        population covered (SCB). Municipalities without an inventory count as not covered.

          infra coverage inventories/
          infra coverage --capability e-archive --capability eid-staff inventories/
          infra coverage --by county --format csv inventories/ > coverage.csv
        """)

    @OptionGroup var inputs: InputOptions

    @Option(help: "Output format: table, csv, markdown, json.")
    var format: CoverageFormatArgument = .table

    @Option(help: "Break the kommun figures down by: county.")
    var by: CoverageBreakdown?

    @Option(help: "Only this capability (repeat for more); with --standard, those too.")
    var capability: [String] = []

    @Option(help: "Only this standard (repeat for more); with --capability, those too.")
    var standard: [String] = []

    func run() throws {
        // Unknown terms are refused before the files are read.
        let vocabulary = Reference.vocabulary
        for (given, known, what) in [(capability, Array(vocabulary.capabilities.keys), "capability"),
                                     (standard, Array(vocabulary.standards.keys), "standard")] {
            for term in given where !known.contains(term) && !term.hasPrefix("x-") {
                let near = Suggest.nearest(to: term, in: known.sorted())
                throw InputProblem("--\(what) \(term): not a \(what) of the vocabulary" + (near.map { " — did you mean `\($0)`?" } ?? "")
                                   + " (`infra vocabulary` lists them)")
            }
        }
        var options = inputs.pipelineOptions()
        options.analysis = false
        let result = try inputs.run(options)
        var table = result.coverage(byCounty: by == .county)
        if !capability.isEmpty || !standard.isEmpty {
            table.rows = table.rows.filter { ($0.isStandard ? standard : capability).contains($0.term) }
        }
        try write(CoverageRenderer.render(table, as: format.value))
        try failIfErrors(result)
    }
}

enum CoverageFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case table, csv, markdown, json
    var value: CoverageFormat { CoverageFormat(rawValue: rawValue)! }
}

enum CoverageBreakdown: String, ExpressibleByArgument, CaseIterable {
    case county
}
