import CGraphviz
import Foundation

/// A layout or rendering failure inside Graphviz.
public struct GraphvizError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Output formats Graphviz renders in process.
public enum RenderFormat: String, Sendable, CaseIterable {
    case svg, png, pdf

    /// PNG and PDF are bytes, not text: never written to a terminal.
    public var isBinary: Bool { self != .svg }
}

/// Graphviz's C libraries, called in process: DOT text in, SVG/PNG/PDF bytes out.
///
/// Graphviz keeps global state (the error channel, the cgraph dictionaries), so every
/// call is serialised behind one lock; a call creates and frees its own context.
public enum Graphviz {
    private static let lock = NSLock()

    /// The layout engines a caller may name (`--engine`).
    public static let engines = ["dot", "sfdp", "neato", "fdp", "circo", "twopi", "osage", "patchwork"]

    /// Lays out `dot` with `engine` and renders it as `format`. With `bands`, horizontal
    /// bands are painted behind the drawing once the layout has placed the nodes.
    public static func render(dot: String, engine: String = "dot", format: RenderFormat,
                              bands: Bands? = nil) throws(GraphvizError) -> [UInt8] {
        guard engines.contains(engine) else {
            throw GraphvizError("unknown layout engine `\(engine)` (one of: \(engines.joined(separator: ", ")))")
        }
        lock.lock()
        defer { lock.unlock() }
        ErrorLog.shared.reset()
        _ = agseterrf(collectGraphvizMessage)
        defer { _ = agseterrf(nil) }

        guard let gvc = gvContext() else { throw GraphvizError("Graphviz could not create a context") }
        defer { _ = gvFreeContext(gvc) }
        // Graphviz's path planner prints routing fallbacks ("triangulation failed") straight
        // to stderr, not through the error function; the edge is still drawn. Keep them off
        // the user's terminal while Graphviz works.
        let quiet = StderrSilencer()
        defer { quiet.restore() }

        guard let graph = dot.withCString({ agmemread($0) }) else {
            throw GraphvizError("Graphviz could not read the DOT text" + ErrorLog.shared.suffix())
        }
        defer { _ = agclose(graph) }
        try layout(gvc, graph, engine)
        if let bands {
            // Graphviz reads `_background` before the layout, but the bands need the layout's
            // positions: write the positions into the graph's attributes, compute the bands,
            // and lay the same graph out again keeping every position and spline as it is
            // (`nop2`, i.e. neato -n2), now with the bands behind it.
            attach_attrs(graph)
            if let background = bands.background(of: graph) {
                _ = gvFreeLayout(gvc, graph)
                set(UnsafeMutableRawPointer(graph), "_background", background)
                try layout(gvc, graph, "nop2")
            }
        }
        defer { _ = gvFreeLayout(gvc, graph) }
        return try renderData(gvc, graph, format.rawValue)
    }

    private static func layout(_ gvc: OpaquePointer, _ graph: UnsafeMutablePointer<Agraph_t>, _ engine: String) throws(GraphvizError) {
        guard gvLayout(gvc, graph, engine) == 0 else {
            throw GraphvizError("Graphviz layout with `\(engine)` failed" + ErrorLog.shared.suffix())
        }
    }

    private static func renderData(_ gvc: OpaquePointer, _ graph: UnsafeMutablePointer<Agraph_t>, _ format: String) throws(GraphvizError) -> [UInt8] {
        var data: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        let status = gvRenderData(gvc, graph, format, &data, &length)
        defer { if let data { gvFreeRenderData(data) } }
        guard status == 0, let data else {
            throw GraphvizError("Graphviz could not render \(format.uppercased())"
                + " (is the `graphviz` package with its cairo plugin installed?)" + ErrorLog.shared.suffix())
        }
        return data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            Array(UnsafeBufferPointer(start: $0, count: Int(length)))
        }
    }

    static func get(_ object: UnsafeMutableRawPointer, _ name: String) -> String? {
        name.withCString { agget(object, UnsafeMutablePointer(mutating: $0)) }.map { String(cString: $0) }
    }

    static func set(_ object: UnsafeMutableRawPointer, _ name: String, _ value: String) {
        name.withCString { n in
            value.withCString { v in
                "".withCString { d in
                    _ = agsafeset(object, UnsafeMutablePointer(mutating: n), UnsafeMutablePointer(mutating: v),
                                  UnsafeMutablePointer(mutating: d))
                }
            }
        }
    }

    /// Whether Graphviz's own parser accepts `dot` (the round-trip check of the DOT writer).
    /// Returns nil when it does, else Graphviz's message.
    public static func parseProblem(dot: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        ErrorLog.shared.reset()
        _ = agseterrf(collectGraphvizMessage)
        defer { _ = agseterrf(nil) }
        guard let graph = dot.withCString({ agmemread($0) }) else {
            let messages = ErrorLog.shared.messages.joined()
            return messages.isEmpty ? "not a graph" : messages.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = agclose(graph)
        return nil
    }

    /// Warnings Graphviz printed during the last call (font substitutions and the like).
    public static var lastMessages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return ErrorLog.shared.messages
    }
}

/// Horizontal bands behind a layered drawing: each band spans the drawing's width and the
/// height of the nodes assigned to it (Graphviz's `_background`, drawn before everything).
public struct Bands: Sendable {
    public struct Band: Sendable {
        public var fill: String
        public var border: String
        public init(fill: String, border: String) {
            self.fill = fill
            self.border = border
        }
    }

    public var bands: [Band]
    /// Node name → index into `bands`; nodes not named here do not widen a band.
    public var bandOfNode: [String: Int]

    public init(bands: [Band], bandOfNode: [String: Int]) {
        self.bands = bands
        self.bandOfNode = bandOfNode
    }

    /// xdot drawing operations for the bands, from the laid-out graph's positions.
    func background(of graph: UnsafeMutablePointer<Agraph_t>) -> String? {
        guard let bb = Graphviz.get(UnsafeMutableRawPointer(graph), "bb").map(Self.numbers), bb.count == 4 else { return nil }
        var low = [Double](repeating: .infinity, count: bands.count)
        var high = [Double](repeating: -.infinity, count: bands.count)
        var node = agfstnode(graph)
        while let n = node {
            defer { node = agnxtnode(graph, n) }
            guard let name = agnameof(UnsafeMutableRawPointer(n)).map({ String(cString: $0) }),
                  let band = bandOfNode[name],
                  let pos = Graphviz.get(UnsafeMutableRawPointer(n), "pos").map(Self.numbers), pos.count >= 2
            else { continue }
            let half = (Graphviz.get(UnsafeMutableRawPointer(n), "height").flatMap(Double.init) ?? 0.5) * 36
            low[band] = min(low[band], pos[1] - half)
            high[band] = max(high[band], pos[1] + half)
        }
        let present = bands.indices.filter { low[$0] <= high[$0] }
        guard !present.isEmpty else { return nil }
        var ops = ""
        // Neighbouring bands meet halfway across the gap between them (y grows upwards).
        for (k, b) in present.enumerated() {
            let top = k == 0 ? bb[3] : (low[present[k - 1]] + high[b]) / 2
            let bottom = k == present.count - 1 ? low[b] - 12 : (low[b] + high[present[k + 1]]) / 2
            let (x0, x1) = (bb[0], bb[2])
            func f(_ d: Double) -> String { String(Int(d.rounded())) }
            ops += "c \(bands[b].border.utf8.count) -\(bands[b].border) C \(bands[b].fill.utf8.count) -\(bands[b].fill) "
            ops += "P 4 \(f(x0)) \(f(bottom)) \(f(x1)) \(f(bottom)) \(f(x1)) \(f(top)) \(f(x0)) \(f(top)) "
        }
        return ops
    }

    static func numbers(_ text: String) -> [Double] {
        text.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Double($0) }
    }
}

/// Where Graphviz's error and warning messages go instead of stderr.
final class ErrorLog: @unchecked Sendable {
    static let shared = ErrorLog()
    private let lock = NSLock()
    private var stored: [String] = []

    func reset() {
        lock.lock()
        stored = []
        lock.unlock()
    }

    func append(_ message: String) {
        lock.lock()
        if stored.count < 50 { stored.append(message) }
        lock.unlock()
    }

    var messages: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    /// ": message" for an error text, or "" when Graphviz said nothing.
    func suffix() -> String {
        let text = messages.joined().trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ": " + text
    }
}

/// Graphviz's user error function: gets each message (already formatted).
private func collectGraphvizMessage(_ message: UnsafeMutablePointer<CChar>?) -> Int32 {
    if let message { ErrorLog.shared.append(String(cString: message)) }
    return 0
}

/// Points file descriptor 2 at /dev/null until `restore()`.
struct StderrSilencer {
    private let saved: Int32

    init() {
        fflush(nil)
        saved = dup(STDERR_FILENO)
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 {
            dup2(null, STDERR_FILENO)
            close(null)
        }
    }

    func restore() {
        guard saved >= 0 else { return }
        fflush(nil)
        dup2(saved, STDERR_FILENO)
        close(saved)
    }
}
