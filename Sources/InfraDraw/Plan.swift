import Foundation

/// The output formats of `infra graph`.
public enum GraphFormat: String, Sendable, CaseIterable {
    case svg, png, pdf, dot, mermaid, json, graphml

    /// Laid out and rendered by Graphviz in process.
    public var render: RenderFormat? { RenderFormat(rawValue: rawValue) }

    /// Bytes that do not belong on a terminal.
    public var isBinary: Bool { render?.isBinary ?? false }

    /// A picture (laid out), as opposed to data for other tools.
    public var isPicture: Bool { render != nil || self == .dot || self == .mermaid }

    /// The format a file name asks for: `.svg`, `.png`, `.pdf`, `.dot`/`.gv`, `.mmd`/`.mermaid`, `.json`, `.graphml`.
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "svg": self = .svg
        case "png": self = .png
        case "pdf": self = .pdf
        case "dot", "gv": self = .dot
        case "mmd", "mermaid": self = .mermaid
        case "json": self = .json
        case "graphml": self = .graphml
        default: return nil
        }
    }
}

/// How big a picture may get before it is folded, and which engine draws it.
///
/// Measured on this machine (docs/graph.md), `dot -Tsvg` on the layered item view (bands,
/// organisation boxes) of one municipality: 407 items and 1,133 dependencies 3.6 s and a
/// picture 290 inches wide, 967/2,697 41 s. So the layered picture (`dot`) is for up to
/// `layeredItems` items and `layeredEdges` dependencies; larger item pictures are a grid of
/// capability boxes in the three bands (`osage`, a fraction of a second for 1,000 items).
/// Past `aggregateAbove` items the picture is one node per capability unless
/// `--aggregate none` asks for every item.
public enum DrawLimits {
    /// Items above which the default picture folds into capabilities.
    public static let aggregateAbove = 1_500
    /// Items the layered picture (`dot`) draws readably, in about a second.
    public static let layeredItems = 200
    /// Dependencies the layered picture routes in about a second.
    public static let layeredEdges = 600
    /// Nodes `dot` lays out in about 5 s; larger aggregates use `sfdp`.
    public static let dotLimit = 600
    /// Edges `dot` routes in about 5 s (its cost follows the edges as much as the nodes).
    public static let dotEdgeLimit = 1_600
    /// Estimated layout seconds above which a terminal gets a progress note.
    public static let progressAfter = 1.5
    /// Estimated layout seconds above which a log (stderr not a terminal) gets the note too.
    public static let logProgressAfter = 20.0
    /// Edges a folded picture keeps (the heaviest); the data formats keep all.
    public static let aggregateEdges = 150
    /// Nodes `sfdp` lays out in a few seconds. Past them its packing of the many unlinked
    /// nodes a folded picture has grows about quadratically (organisations: 700 in 1.7 s,
    /// 1,000 in 3.6 s, 1,400 in 7.5 s, 2,000 in 17 s; 20,000 not in 2 minutes), so larger
    /// aggregates are laid out as a grid (`osage`: 20,000 in 2 s).
    public static let sfdpLimit = 1_000

    /// The engine for a picture of `kind` with `nodes` nodes and `edges` edges when none is
    /// asked for: items layered (`dot`) or, when many, as a grid (`osage`); aggregates
    /// layered, force-directed (`sfdp`) when too many for `dot`, a grid when too many for that.
    public static func engine(kind: DrawGraph.Kind, nodes: Int, edges: Int) -> String {
        if kind == .items { return nodes <= layeredItems && edges <= layeredEdges ? "dot" : "osage" }
        if nodes <= dotLimit && edges <= dotEdgeLimit { return "dot" }
        return nodes <= sfdpLimit ? "sfdp" : "osage"
    }

    /// The engines whose times were measured; `estimatedSeconds` guesses for the others
    /// (circo, neato, twopi …), which can take many minutes on a big graph.
    public static let measuredEngines: Set<String> = ["dot", "sfdp", "osage"]

    /// A rough layout time fitted to the measurements above: `dot` grows about with
    /// (nodes + edges)^2.5, `sfdp` with (nodes + edges)^2.2, `osage` about linearly.
    public static func estimatedSeconds(nodes: Int, edges: Int, engine: String) -> Double {
        let size = Double(nodes + edges)
        switch engine {
        case "dot": return 3.5 * pow(size / 1_500, 2.5)
        case "sfdp": return 2.7 * pow(size / 1_000, 2.2)
        case "osage": return 0.1 * size / 1_000
        default: return 2 * pow(size / 1_500, 2.5)
        }
    }
}
