import ArgumentParser
import InfraGraph
import InfraModel
import InfraPipeline
import InfraReport

struct ImpactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "What breaks if an item fails: every service that depends on it, with the path.",
        discussion: """
        Each path is a shortest one. A path of more than 11 steps is shown as its first ten \
        items, "(N more)" and the failing item.

          infra impact inera/siths examples/vasternorrland
          infra impact sundsvall/wan examples/vasternorrland --format json
        """)

    @Argument(help: "The item that fails, as org/item (e.g. inera/siths).")
    var ref: String

    @OptionGroup var inputs: InputOptions

    @Option(help: "Output format: text or json.")
    var format: ImpactFormat = .text

    @Flag(help: "Show the names of items marked sensitivity: restricted (withheld by default).")
    var includeRestricted = false

    func run() throws {
        let result = try inputs.run(inputs.pipelineOptions())
        guard let target = result.catalog.resolve(ref) else { throw InputProblem(result.catalog.unknownItemMessage(ref)) }
        let impact = Impact(of: target, in: result.catalog, includeRestricted: includeRestricted)
        switch format {
        case .json:
            try write(JSONWriter.write(.object([
                ("item", .string(impact.item)),
                ("services", .strings(impact.services.map(\.service))),
                ("critical", .strings(impact.services.filter(\.critical).map(\.service))),
                ("paths", .object(impact.services.map { ($0.service, .strings($0.path)) })),
            ])))
        case .text:
            // A restricted item's name is withheld: "(restricted)" stands in for the parenthesis.
            let named = impact.name == Catalog.withheldName ? impact.name : "(\(TextRenderer.inline(impact.name)))"
            var out = "If \(impact.item) \(named) fails, \(impact.services.count) service"
                + (impact.services.count == 1 ? " loses" : "s lose") + " it (\(impact.services.filter(\.critical).count) critical):\n"
            var current = ""
            for hit in impact.services {
                if hit.organisation != current {
                    current = hit.organisation
                    out += "\n\(current)\n"
                }
                out += "  \(hit.critical ? "!" : " ") \(hit.service)  \(TextRenderer.inline(hit.name))\n"
                out += "      " + hit.path.joined(separator: " → ") + "\n"
            }
            if impact.services.isEmpty {
                out += impact.status.isRunning ? "  none\n" : "  none: it is \(impact.status.rawValue), not running\n"
            } else if impact.services.contains(where: \.critical) { out += "\n! = critical (samhällsviktig)\n" }
            try write(out)
        }
        try failIfErrors(result)
    }
}

enum ImpactFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
