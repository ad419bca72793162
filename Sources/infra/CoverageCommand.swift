import ArgumentParser
import InfraPipeline
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
          infra coverage --by county --format csv inventories/ > coverage.csv
        """)

    @OptionGroup var inputs: InputOptions

    @Option(help: "Output format: table, csv, markdown, json.")
    var format: CoverageFormatArgument = .table

    @Option(help: "Break the kommun figures down by: county.")
    var by: CoverageBreakdown?

    func run() throws {
        var options = inputs.pipelineOptions()
        options.analysis = false
        let result = try inputs.run(options)
        try write(CoverageRenderer.render(result.coverage(byCounty: by == .county), as: format.value))
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
