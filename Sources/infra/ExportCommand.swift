import ArgumentParser
import Foundation
import InfraPipeline
import InfraReport

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the resolved model for analysts: JSON, or CSV files of items and edges.",
        discussion: """
        Every reference is written out as org/item. Items marked `sensitivity: restricted` are \
        masked (name, product, vendor and notes withheld) unless --include-restricted.

          infra export --format json inventories/ > model.json
          infra export --format csv --output out/ inventories/    # out/items.csv, out/edges.csv
        """)

    @OptionGroup var inputs: InputOptions

    @Option(help: "Output format: json (stdout or --output FILE) or csv (two files into --output DIR).")
    var format: ExportFormat = .json

    @Option(help: "Where to write: a file for json, a directory for csv.")
    var output: String?

    @Flag(help: "Include the built-in national organisations in the export.")
    var includeNational = false

    @Flag(help: "Do not mask items marked sensitivity: restricted.")
    var includeRestricted = false

    func run() throws {
        let result = try inputs.run(inputs.pipelineOptions())
        let model = result.export(includeNational: includeNational, includeRestricted: includeRestricted)
        switch format {
        case .json:
            let text = ExportRenderer.json(model)
            if let output { try writeNew(text, to: output) } else { write(text) }
        case .csv:
            guard let output else { throw InputProblem("--format csv writes two files: give a directory with --output DIR") }
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            let (items, edges) = ExportRenderer.csv(model)
            try writeNew(items, to: (output as NSString).appendingPathComponent("items.csv"))
            try writeNew(edges, to: (output as NSString).appendingPathComponent("edges.csv"))
        }
        try failIfErrors(result)
    }
}

/// Writes a new output file; refuses to overwrite one of the inventories that was read.
func writeNew(_ text: String, to path: String) throws {
    if path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
        throw InputProblem("\(path): refusing to write output over a YAML file")
    }
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
        throw InputProblem("\(path): cannot write file")
    }
}

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case json, csv
}
