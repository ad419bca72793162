import ArgumentParser
import Foundation
import InfraDraw
import InfraGraph
import InfraModel
import InfraPipeline
import InfraReport

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the three layers: SVG, PNG, PDF (Graphviz in process), DOT, Mermaid, JSON or GraphML.",
        discussion: """
        Services on top, soft infrastructure in the middle, hard infrastructure at the bottom; \
        organisations as boxes, national components grey, upward dependencies red. More than \
        \(DrawLimits.aggregateAbove) items are drawn one node per capability unless --aggregate none.

          infra graph examples/vasternorrland -o graph.svg
          infra graph examples/vasternorrland --org sundsvall -o sundsvall.png
          infra graph examples/vasternorrland --focus inera/siths -o siths.pdf
          infra graph inventories/ --aggregate county -o counties.png
          infra graph examples/vasternorrland --format mermaid > graph.mmd
        """)

    @OptionGroup var inputs: InputOptions

    @Option(help: "Output format (default: from --output's extension, else svg).")
    var format: GraphFormatArgument?

    @Option(name: [.short, .long], help: "Write to this file instead of stdout (needed for png/pdf on a terminal).")
    var output: String?

    @Option(help: "Draw one organisation and what it touches one step out.")
    var org: String?

    @Option(help: "Draw one item (org/item) and its neighbourhood up and down.")
    var focus: String?

    // .unconditional: `--depth -1` is a value (refused below), not an unknown flag "-1".
    @Option(parsing: .unconditional, help: "Steps up and down from --focus (default 2).")
    var depth: Int?

    @Option(help: "Draw one layer only.")
    var layer: LayerArgument?

    @Option(help: "Draw only the items with this capability (and what they touch).")
    var capability: String?

    @Option(help: "One node per capability, organisation or county; none draws every item however many.")
    var aggregate: AggregateArgument?

    @Option(help: "Graphviz layout engine: dot (layered; default up to \(DrawLimits.layeredItems) items), osage (boxes per capability; default above), sfdp, neato, fdp …")
    var engine: String?

    @Option(parsing: .unconditional, help: "Pixels per inch of a PNG (default 96); e.g. 48 for a smaller file.")
    var dpi: Int?

    @Flag(help: "Label items marked sensitivity: restricted with their names (withheld by default).")
    var includeRestricted = false

    func run() throws {
        let format = try resolveFormat()
        if let dpi, !(10...600).contains(dpi) { throw InputProblem("--dpi \(dpi): give a resolution from 10 to 600") }
        if let engine, !Graphviz.engines.contains(engine) {
            throw InputProblem("--engine \(engine): unknown layout engine (one of: \(Graphviz.engines.joined(separator: ", ")))")
        }
        if let depth, depth < 0 { throw InputProblem("--depth must be 0 or more") }
        if depth != nil, focus == nil { throw InputProblem("--depth goes with --focus ORG/ITEM: the steps around that item") }
        if org != nil, focus != nil {
            throw InputProblem("--org and --focus each choose what to draw: --org an organisation and what it touches, --focus an item and its neighbourhood; give one")
        }

        // Graphviz loads its plugins and fonts on another core while the inventories load
        // (the picture waits for it: Graphviz's calls are serialised).
        if let render = format.render { Thread { Graphviz.prepare(format: render) }.start() }
        let result = try inputs.run(inputs.pipelineOptions())
        let renderStart = Date()
        let catalog = result.catalog
        let selection = Selection(organisation: org, focus: focus, depth: depth ?? 2, layer: layer?.value, capability: capability)
        let selected: SelectedItems
        do { selected = try selection.pick(from: catalog, includeRestricted: includeRestricted) } catch { throw InputProblem(error.description) }

        // Fold a picture too big to draw item by item, unless asked not to.
        var aggregation = aggregate?.value
        if aggregate == nil, format.isPicture, selected.count > DrawLimits.aggregateAbove {
            aggregation = .capability
            note("\(grouped(selected.count)) items (national components included) are more than \(grouped(DrawLimits.aggregateAbove)) to draw one by one; "
                + "drawing one node per capability (--aggregate capability). For every item: --aggregate none "
                + "(boxes per capability in the three bands), or narrow the picture with --org, --focus, --layer or --capability.")
        }

        func build(_ aggregation: Aggregation?) -> DrawGraph {
            switch aggregation {
            case nil:
                let facts = result.context.facts ?? GraphFacts(catalog: catalog)
                var graph = ItemView.build(selected, catalog: catalog, facts: facts,
                                           spofThreshold: result.context.options.spofThreshold, includeRestricted: includeRestricted)
                for capability in Set(graph.nodes.compactMap(\.capability)) {
                    if let term = result.context.vocabulary.capabilities[capability] { graph.capabilityNames[capability] = term.swedishName }
                }
                return graph
            case .capability?:
                return AggregateView.capability(selected.items, catalog: catalog, vocabulary: result.context.vocabulary,
                                                title: selected.title + " · by capability")
            case .org?:
                return AggregateView.organisation(selected.items, catalog: catalog, title: selected.title + " · by organisation")
            case .county?:
                return AggregateView.county(selected.items, catalog: catalog, sweden: result.context.sweden,
                                            title: selected.title + " · by county")
            }
        }
        var graph = build(aggregation)
        // Mermaid draws no diagram with more than 500 links: fold such an item picture too.
        if format == .mermaid, aggregate == nil, aggregation == nil, MermaidWriter.linkCount(graph) > MermaidWriter.maxEdges {
            note("\(grouped(graph.edges.count)) dependencies are more links than Mermaid draws (\(MermaidWriter.maxEdges)); "
                + "drawing one node per capability (--aggregate capability). --aggregate none writes every item anyway, "
                + "or narrow the picture with --org, --focus, --layer or --capability.")
            aggregation = .capability
            graph = build(aggregation)
        }
        if graph.nodes.isEmpty { note("nothing to draw: the selection holds no items") }
        // A picture outlives the terminal it was made in: it says that its inventories have errors
        // (references that did not resolve are missing from it), as the exit code does.
        if result.summary.errors > 0 {
            graph.title += " · \(counted(result.summary.errors, "inventory error")): see infra validate"
        }
        if aggregation != nil, format.isPicture {
            let total = graph.edges.count
            let limit = DrawLimits.aggregateEdges
            let (dropped, weakest) = graph.keepStrongestEdges(limit)
            if dropped > 0 {
                graph.title += " · the \(limit) strongest of \(grouped(total)) links"
                note("left out \(grouped(dropped)) weaker links (\(weakest) dependenc\(weakest == 1 ? "y" : "ies") or fewer each); "
                    + "--format json or graphml has all of them")
            }
        }

        let layoutEngine = engine ?? DrawLimits.engine(kind: graph.kind, nodes: graph.nodes.count, edges: graph.edges.count)
        if engine == nil, layoutEngine == "osage", graph.kind != .items, format.render != nil || format == .dot {
            note("\(grouped(graph.nodes.count)) nodes: laid out as a grid (osage), as sfdp would take too long "
                + "with more than \(grouped(DrawLimits.sfdpLimit)). --engine sfdp forces it.")
        } else if engine == nil, layoutEngine == "osage", format.render != nil || format == .dot {
            note("\(grouped(graph.nodes.count)) items and \(grouped(graph.edges.count)) dependencies are more than the layered "
                + "picture draws readably (\(DrawLimits.layeredItems) items, \(DrawLimits.layeredEdges) dependencies): "
                + "drawn as boxes per capability in the three bands (osage). --engine dot forces the layered layout.")
        } else if engine == nil, layoutEngine != "dot", format.render != nil || format == .dot {
            let lost = graph.kind == .capability ? "; without bands" : ""
            note("\(grouped(graph.nodes.count)) nodes and \(grouped(graph.edges.count)) edges: laid out with sfdp, "
                + "as dot would take too long\(lost). --engine dot forces the layered layout.")
        }
        if format == .mermaid, MermaidWriter.linkCount(graph) > MermaidWriter.maxEdges {
            note("\(grouped(MermaidWriter.linkCount(graph))) links: Mermaid draws at most \(MermaidWriter.maxEdges); "
                + "narrow the picture or use --aggregate.")
        }

        let dotOptions = DOTOptions(engine: layoutEngine, dpi: dpi)
        switch format {
        case .dot: try emit(text: DOTWriter.write(graph, options: dotOptions))
        case .mermaid: try emit(text: MermaidWriter.write(graph))
        // Streamed: a country's item graph is hundreds of MB.
        case .json: try emit { (sink: ([UInt8]) throws -> Void) in try NodeLinkJSON.write(graph, to: sink) }
        case .graphml: try emit { (sink: ([UInt8]) throws -> Void) in try GraphMLWriter.write(graph, to: sink) }
        case .svg, .png, .pdf:
            let seconds = DrawLimits.estimatedSeconds(nodes: graph.nodes.count, edges: graph.edges.count, engine: layoutEngine)
            let unknownAndBig = !DrawLimits.measuredEngines.contains(layoutEngine) && graph.nodes.count > DrawLimits.layeredItems
            // On a terminal as soon as it takes a moment; in a CI log only when it may take long.
            if (isatty(STDERR_FILENO) == 1 && seconds > DrawLimits.progressAfter) || seconds > DrawLimits.logProgressAfter || unknownAndBig {
                let time = unknownAndBig ? "no estimate for \(layoutEngine): minutes on a graph this big" : "about \(Int(seconds.rounded())) s"
                FileHandle.standardError.write(Data(("infra graph: laying out \(grouped(graph.nodes.count)) nodes and "
                    + "\(grouped(graph.edges.count)) edges with \(layoutEngine) (\(time))…\n").utf8))
            }
            let bytes: [UInt8]
            do {
                // Built in memory from the same statements `--format dot` writes: no DOT text.
                // The command exits once the picture is written: like `dot`, it leaves the
                // laid-out graph to the end of the process instead of freeing it first.
                bytes = try Graphviz.render(graph, options: dotOptions, format: format.render!,
                                            bands: DOTWriter.bands(for: graph, options: dotOptions), release: false)
            } catch {
                throw InputProblem(error.description)
            }
            try emit(bytes: bytes)
        }
        reportTimings(result, renderStart: renderStart, if: inputs.timings)
        // Drawn all the same, but a pipeline that renders pictures notices broken inventories.
        try failIfErrors(result)
    }

    func resolveFormat() throws -> GraphFormat {
        if let output {
            let lower = output.lowercased()
            if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
                throw InputProblem("--output \(output): a picture is not written to a .yaml or .yml name (inventories have them, "
                    + "and infra never writes over one); name it e.g. graph.svg")
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
                throw InputProblem("--output \(output) is a directory; give a file name such as "
                                   + (output.hasSuffix("/") ? output : output + "/") + "graph.svg")
            }
        }
        let chosen = format?.value ?? output.flatMap { GraphFormat(fileName: $0) } ?? .svg
        // --format png -o graph.svg: as asked, but a viewer going by the name would not open it.
        if let output, let named = GraphFormat(fileName: output), named != chosen {
            note("writing \(chosen.rawValue.uppercased()) as asked (--format \(chosen.rawValue)) into \(output), whose name says \(named.rawValue.uppercased())")
        }
        if output == nil, chosen.isBinary, isatty(STDOUT_FILENO) == 1 {
            throw InputProblem("\(chosen.rawValue.uppercased()) is binary and stdout is a terminal: "
                + "write it to a file with --output graph.\(chosen.rawValue) (or redirect: > graph.\(chosen.rawValue))")
        }
        return chosen
    }

    func emit(text: String) throws {
        if output == nil { try write(text) } else { try emit(bytes: Array(text.utf8)) }
    }

    /// Output made piece by piece, to --output or stdout.
    func emit(_ produce: (([UInt8]) throws -> Void) throws -> Void) throws {
        guard let output else {
            try produce { piece in try writeAll(piece, to: STDOUT_FILENO, name: "standard output") }
            return
        }
        try writeOutput(to: output, produce)
    }

    func emit(bytes: [UInt8]) throws {
        try emit { sink in try sink(bytes) }
    }

    func note(_ message: String) {
        FileHandle.standardError.write(Data("infra graph: \(message)\n".utf8))
    }
}

/// An enum option matched without regard to case (`--format SVG`, `--layer Hard`).
struct CaseInsensitive<Value: RawRepresentable & CaseIterable>: ExpressibleByArgument where Value.RawValue == String {
    var value: Value
    init?(argument: String) {
        guard let v = Value(rawValue: argument.lowercased()) else { return nil }
        value = v
    }
    static var allValueStrings: [String] { Value.allCases.map(\.rawValue) }
}

typealias GraphFormatArgument = CaseInsensitive<GraphFormat>
typealias LayerArgument = CaseInsensitive<Layer>

struct AggregateArgument: ExpressibleByArgument {
    /// nil: `none` (every item).
    var value: Aggregation?
    init?(argument: String) {
        if argument.lowercased() == "none" {
            value = nil
            return
        }
        guard let v = Aggregation(rawValue: argument.lowercased()) else { return nil }
        value = v
    }
    static var allValueStrings: [String] { ["none"] + Aggregation.allCases.map(\.rawValue) }
}
