import InfraModel

/// What the analysis checks and reports share, computed once per scan:
/// cycles, grounding and blast radius.
public struct GraphFacts: Sendable {
    public var components: Components
    /// Item reaches an active hard item through running items.
    public var grounded: [Bool]
    public var blast: BlastRadius

    public init(catalog: Catalog) {
        let n = catalog.items.count
        components = Components(catalog.dependencies, nodeCount: n)
        let items = catalog.items
        // Read once: the searches ask for every edge they follow.
        let running = items.map { $0.item.status.isRunning }
        let activeHard = (0..<n).filter { items[$0].item.layer == .hard && running[$0] }
        grounded = GraphSearch.reaching(activeHard, reverse: catalog.dependents, nodeCount: n, passable: { running[$0] })
        blast = BlastRadius(catalog: catalog, components: components,
                            isService: { items[$0].item.layer == .services && running[$0] },
                            isCritical: { items[$0].item.critical },
                            passable: { running[$0] })
    }
}
