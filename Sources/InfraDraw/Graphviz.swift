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

/// Graphviz's C libraries, called in process: a picture (or DOT text) in, SVG/PNG/PDF bytes out.
///
/// Graphviz keeps global state (the error channel, the cgraph dictionaries), so every
/// call is serialised behind one lock. One Graphviz context serves every call, as the
/// `dot` command's serves every graph it reads: plugins and fonts are loaded once.
public enum Graphviz {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var sharedContext: OpaquePointer?

    /// The layout engines a caller may name (`--engine`).
    public static let engines = ["dot", "sfdp", "neato", "fdp", "circo", "twopi", "osage", "patchwork"]

    /// Lays out `graph` as `DOTWriter` draws it, with `options.engine`, and renders it as
    /// `format`. The graph is built in memory statement by statement, exactly as Graphviz's
    /// parser builds it from `DOTWriter.write`'s text, without writing or parsing the text.
    /// With `bands`, horizontal bands are painted behind the drawing once the layout has
    /// placed the nodes. `release: false` leaves the laid-out graph to the end of the process,
    /// as the `dot` command does (for a command that exits once the picture is written).
    public static func render(_ graph: DrawGraph, options: DOTOptions = DOTOptions(), format: RenderFormat,
                              bands: Bands? = nil, release: Bool = true) throws(GraphvizError) -> [UInt8] {
        try render(engine: options.engine, format: format, bands: bands, release: release) {
            // The name as the DOT text has it: an organisation's name may hold a backslash or a control character.
            guard var builder = CGraphBuilder(name: DOTWriter.graphName(graph.title)) else { return nil }
            DOTWriter.emit(graph, options: options, into: &builder)
            return builder.root
        }
    }

    /// Lays out `dot` (DOT text) with `engine` and renders it as `format`. With `bands`,
    /// horizontal bands are painted behind the drawing once the layout has placed the nodes.
    public static func render(dot: String, engine: String = "dot", format: RenderFormat,
                              bands: Bands? = nil) throws(GraphvizError) -> [UInt8] {
        try render(engine: engine, format: format, bands: bands, release: true) { dot.withCString { agmemread($0) } }
    }

    /// Loads the fonts, the text layout and the renderer a picture in `format` needs, by
    /// drawing a one-node graph: done ahead (e.g. while the inventories load), the picture
    /// itself starts with everything in place. (Laid out with `dot`, which keeps no state
    /// between layouts; `sfdp`'s first layout in a process differs from its later ones.)
    public static func prepare(format: RenderFormat, fontname: String = DOTOptions().fontname) {
        let dot = "digraph { node [fontname=\(DOTWriter.quote(fontname)), shape=box]; a [label=<Å <B>ö</B>>]; }"
        // Runs beside the caller's own work: it must not point stderr elsewhere meanwhile
        // (a one-node graph gives the router nothing to warn about).
        _ = try? render(engine: "dot", format: format, bands: nil, release: true, silence: false) { dot.withCString { agmemread($0) } }
    }

    private static func context() throws(GraphvizError) -> OpaquePointer {
        if let sharedContext { return sharedContext }
        guard let gvc = gvContext() else { throw GraphvizError("Graphviz could not create a context") }
        sharedContext = gvc
        return gvc
    }

    private static func render(engine: String, format: RenderFormat, bands: Bands?, release: Bool, silence: Bool = true,
                               build: () -> UnsafeMutablePointer<Agraph_t>?) throws(GraphvizError) -> [UInt8] {
        guard engines.contains(engine) else {
            throw GraphvizError("unknown layout engine `\(engine)` (one of: \(engines.joined(separator: ", ")))")
        }
        lock.lock()
        defer { lock.unlock() }
        ErrorLog.shared.reset()
        _ = agseterrf(collectGraphvizMessage)
        defer { _ = agseterrf(nil) }

        let gvc = try context()
        // Graphviz's path planner prints routing fallbacks ("triangulation failed") straight
        // to stderr, not through the error function; the edge is still drawn. Keep them off
        // the user's terminal while Graphviz works.
        let quiet = silence ? StderrSilencer() : nil
        defer { quiet?.restore() }

        guard let graph = build() else {
            throw GraphvizError("Graphviz could not read the DOT text" + ErrorLog.shared.suffix())
        }
        var laidOut = false
        defer {
            if release {
                if laidOut { _ = gvFreeLayout(gvc, graph) }
                _ = agclose(graph)
            }
        }
        try layout(gvc, graph, engine)
        laidOut = true
        if let bands, !bands.boxes.isEmpty { bands.widen(graph) }
        if let bands, let background = bands.background(of: graph) {
            // Graphviz parses `_background` into the drawing before the layout, but the bands
            // need the layout's positions. Set the attribute now and parse it into the laid-out
            // graph's drawing directly (`init_xdot`), so the graph is laid out once, as `dot`
            // does. Where libgvc does not export `init_xdot`, lay it out again keeping every
            // position and spline (`nop2`, i.e. neato -n2).
            set(UnsafeMutableRawPointer(graph), "_background", background)
            if !XDot.attachBackground(graph) {
                attach_attrs(graph)
                _ = gvFreeLayout(gvc, graph)
                laidOut = false
                try layout(gvc, graph, "nop2")
                laidOut = true
            }
        }
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

/// Horizontal bands across a drawing. Layered pictures: each band spans the drawing's width
/// and the height of the nodes assigned to it (Graphviz's `_background`, drawn before
/// everything). Grid pictures: the bands are boxes (clusters) already; they are widened to
/// the widest of them, so that they read as bands.
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
    /// Grid pictures: the names of the bands' clusters (children of the root graph).
    public var boxes: [String]

    public init(bands: [Band], bandOfNode: [String: Int], boxes: [String] = []) {
        self.bands = bands
        self.bandOfNode = bandOfNode
        self.boxes = boxes
    }

    /// Widens the band clusters to the widest of them (their left edges are aligned by the
    /// packing), once the layout has placed them; the renderer draws a cluster's box from
    /// its laid-out bounding box.
    func widen(_ graph: UnsafeMutablePointer<Agraph_t>) {
        let infos = boxes.compactMap { name in
            name.withCString { agsubg(graph, UnsafeMutablePointer(mutating: $0), 0) }.flatMap { Layout.graphInfo($0) }
        }
        guard let right = infos.map({ $0.pointee.bb.UR.x }).max(), let left = infos.map({ $0.pointee.bb.LL.x }).min() else { return }
        for info in infos {
            info.pointee.bb.LL.x = left
            info.pointee.bb.UR.x = right
        }
    }

    /// xdot drawing operations for the bands, from the laid-out graph's positions (read from
    /// Graphviz's own records, so nothing has to be written back into attributes first).
    func background(of graph: UnsafeMutablePointer<Agraph_t>) -> String? {
        guard let info = Layout.graphInfo(graph) else { return nil }
        let bb = info.pointee.bb
        var low = [Double](repeating: .infinity, count: bands.count)
        var high = [Double](repeating: -.infinity, count: bands.count)
        var node = agfstnode(graph)
        while let n = node {
            defer { node = agnxtnode(graph, n) }
            guard let name = agnameof(UnsafeMutableRawPointer(n)).map({ String(cString: $0) }),
                  let band = bandOfNode[name],
                  let nodeInfo = Layout.nodeInfo(n)
            else { continue }
            let y = nodeInfo.pointee.coord.y, half = nodeInfo.pointee.height * 36
            low[band] = min(low[band], y - half)
            high[band] = max(high[band], y + half)
        }
        let present = bands.indices.filter { low[$0] <= high[$0] }
        guard !present.isEmpty else { return nil }
        var ops = ""
        // Neighbouring bands meet halfway across the gap between them (y grows upwards).
        for (k, b) in present.enumerated() {
            let top = k == 0 ? bb.UR.y : (low[present[k - 1]] + high[b]) / 2
            let bottom = k == present.count - 1 ? low[b] - 12 : (low[b] + high[present[k + 1]]) / 2
            let (x0, x1) = (bb.LL.x, bb.UR.x)
            func f(_ d: Double) -> String { String(Int(d.rounded())) }
            ops += "c \(bands[b].border.utf8.count) -\(bands[b].border) C \(bands[b].fill.utf8.count) -\(bands[b].fill) "
            ops += "P 4 \(f(x0)) \(f(bottom)) \(f(x1)) \(f(bottom)) \(f(x1)) \(f(top)) \(f(x0)) \(f(top)) "
        }
        return ops
    }

}

/// Graphviz's layout records (`types.h`): what the GD_ and ND_ macros of its C code read.
enum Layout {
    static func graphInfo(_ graph: UnsafeMutablePointer<Agraph_t>) -> UnsafeMutablePointer<Agraphinfo_t>? {
        record(UnsafeMutableRawPointer(graph), "Agraphinfo_t", as: Agraphinfo_t.self)
    }

    static func nodeInfo(_ node: UnsafeMutablePointer<Agnode_t>) -> UnsafeMutablePointer<Agnodeinfo_t>? {
        record(UnsafeMutableRawPointer(node), "Agnodeinfo_t", as: Agnodeinfo_t.self)
    }

    private static func record<T>(_ object: UnsafeMutableRawPointer, _ name: String, as: T.Type) -> UnsafeMutablePointer<T>? {
        name.withCString { aggetrec(object, UnsafeMutablePointer(mutating: $0), 0) }
            .map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: T.self) }
    }
}

/// libgvc's xdot parser for a graph's background, which its headers do not declare.
enum XDot {
    private typealias InitXDot = @convention(c) (UnsafeMutablePointer<Agraph_t>?) -> UnsafeMutableRawPointer?
    private typealias FreeXDot = @convention(c) (UnsafeMutableRawPointer?) -> Void

    private static let functions: (InitXDot, FreeXDot)? = {
        guard let handle = dlopen(nil, RTLD_NOW),
              let initXDot = dlsym(handle, "init_xdot"), let freeXDot = dlsym(handle, "freeXDot")
        else { return nil }
        return (unsafeBitCast(initXDot, to: InitXDot.self), unsafeBitCast(freeXDot, to: FreeXDot.self))
    }()

    /// Parses the graph's `_background` into its laid-out drawing, where the renderer paints
    /// it before everything else (what `graph_init` does before a layout). False when libgvc
    /// has no `init_xdot` or the graph has no drawing.
    static func attachBackground(_ graph: UnsafeMutablePointer<Agraph_t>) -> Bool {
        guard let (initXDot, freeXDot) = functions,
              let info = Layout.graphInfo(graph), let drawing = info.pointee.drawing
        else { return false }
        if let old = drawing.pointee.xdots { freeXDot(old) }
        drawing.pointee.xdots = initXDot(graph)
        return drawing.pointee.xdots != nil
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

/// Builds a Graphviz graph from the DOT writer's statements the way Graphviz's DOT parser
/// builds it from their text: nodes and edges created in the same order and in the same
/// (sub)graphs, an attribute first declared on the root graph with an empty default, then
/// set; `graph [..]` statements set the (sub)graph's own value and its subgraphs' default.
struct CGraphBuilder: DOTSink {
    let root: UnsafeMutablePointer<Agraph_t>
    private var stack: [UnsafeMutablePointer<Agraph_t>]

    init?(name: String) {
        // Graphviz's `Agdirected`: directed, not strict, loops allowed, a main graph.
        var directed = Agdesc_t()
        directed.directed = 1
        directed.maingraph = 1
        guard let g = name.withCString({ agopen(UnsafeMutablePointer(mutating: $0), directed, nil) }) else { return nil }
        root = g
        stack = [g]
    }

    private static func kind(_ kind: DOTKind) -> Int32 {
        switch kind {
        case .graph: Int32(AGRAPH)
        case .node: Int32(AGNODE)
        case .edge: Int32(AGEDGE)
        }
    }

    /// Symbols already looked up, by kind and name (node and edge attributes are only ever
    /// declared on the root graph, so one lookup serves every node and edge).
    private var symbols: [[String: UnsafeMutablePointer<Agsym_t>]] = [[:], [:], [:]]

    /// The attribute's symbol, declared on the root graph with an empty default if new.
    private mutating func symbol(_ kind: Int32, _ name: String) -> UnsafeMutablePointer<Agsym_t>? {
        let slot = Int(kind)
        if kind != Int32(AGRAPH), let sym = symbols[slot][name] { return sym }
        let sym = name.withCString { n -> UnsafeMutablePointer<Agsym_t>? in
            let n = UnsafeMutablePointer(mutating: n)
            if let sym = agattr(stack.last!, kind, n, nil) { return sym }
            return "".withCString { agattr(root, kind, n, UnsafeMutablePointer(mutating: $0)) }
        }
        if kind != Int32(AGRAPH), let sym { symbols[slot][name] = sym }
        return sym
    }

    /// Calls `body` with attribute `name`'s value as Graphviz holds it: the same as when it
    /// reads the DOT text `DOTWriter` writes (HTML labels marked as such).
    private func withValue<R>(_ value: DOTValue, of name: String, _ body: (UnsafeMutablePointer<CChar>) -> R) -> R {
        switch value {
        case .text(let t):
            return DOTWriter.escString(DOTWriter.textForAttribute(name, t)).withCString { body(UnsafeMutablePointer(mutating: $0)) }
        case .html(let h):
            let s = h.withCString { agstrdup_html(root, UnsafeMutablePointer(mutating: $0)) }!
            defer { _ = agstrfree(root, s) }
            return body(s)
        }
    }

    private mutating func set(_ object: UnsafeMutableRawPointer, _ kind: Int32, _ list: DOTAttributes) {
        for (name, value) in list {
            guard let sym = symbol(kind, name) else { continue }
            withValue(value, of: name) { _ = agxset(object, sym, $0) }
        }
    }

    mutating func attributes(_ kind: DOTKind, _ list: DOTAttributes) {
        let k = Self.kind(kind), g = stack.last!
        for (name, value) in list {
            _ = symbol(k, name)
            name.withCString { n in withValue(value, of: name) { _ = agattr(g, k, UnsafeMutablePointer(mutating: n), $0) } }
        }
    }

    mutating func beginSubgraph(_ name: String?) {
        let g = stack.last!
        let sub = name.map { n in n.withCString { agsubg(g, UnsafeMutablePointer(mutating: $0), 1) } } ?? agsubg(g, nil, 1)
        stack.append(sub ?? g)
    }

    mutating func endSubgraph() {
        if stack.count > 1 { stack.removeLast() }
    }

    private func node(_ id: String) -> UnsafeMutablePointer<Agnode_t>? {
        id.withCString { agnode(stack.last!, UnsafeMutablePointer(mutating: $0), 1) }
    }

    mutating func node(_ id: String, _ list: DOTAttributes) {
        guard let n = node(id) else { return }
        set(UnsafeMutableRawPointer(n), Int32(AGNODE), list)
    }

    mutating func edge(_ tail: String, _ head: String, _ list: DOTAttributes) {
        guard let t = node(tail), let h = node(head), let e = agedge(stack.last!, t, h, nil, 1) else { return }
        set(UnsafeMutableRawPointer(e), Int32(AGEDGE), list)
    }
}
