import InfraModel

/// What a picture shows, independent of the output format: nodes (items, or aggregates
/// such as capabilities or counties), their groups (organisations), and the edges.
/// Built by `ItemView` or `AggregateView`, written by the DOT/Mermaid/JSON/GraphML writers.
public struct DrawGraph: Sendable {
    public enum Kind: String, Sendable {
        /// One node per item, grouped by organisation.
        case items
        /// One node per capability.
        case capability
        /// One node per organisation.
        case organisation = "org"
        /// One node per county (plus the agencies and national components).
        case county
    }

    public struct Node: Sendable {
        /// Stable id: `org/item` for items, `capability:id`, `org:id`, `county:NN` for aggregates.
        public var id: String
        /// What the picture prints: the item's (or capability's, county's) name.
        public var name: String
        /// Band: nil for aggregates drawn without bands (organisations, counties).
        public var layer: Layer?
        /// Index into `groups` (the organisation of an item), or -1.
        public var group: Int = -1
        public var organisation: String?
        /// Aggregate by organisation: the organisation's type (`kommun`, `region`, …), nil when it has none.
        public var organisationType: String?
        public var capability: String?
        public var status: ItemStatus = .active
        public var critical = false
        /// Drawn as context (grey): national components, organisations outside the focus.
        public var outside = false
        /// A national component's item, a national organisation, the county picture's node for
        /// the national components, a capability only national components have.
        public var national = false
        /// The item `--focus` named.
        public var focal = false
        /// No path to a running hard item through running items.
        public var ungrounded = false
        /// Member of a dependency cycle.
        public var inCycle = false
        /// Running services that depend on the item (blast radius), all organisations.
        public var blast = 0
        /// Of those, critical ones.
        public var blastCritical = 0
        /// Aggregates: what the node's size stands for (organisations, items …).
        public var weight = 0
        /// Aggregates, a national node: how many other organisations depend on it (what sizes
        /// it where that is more than `weight`, counted before the lightest edges are dropped).
        public var reliedOnBy = 0
        /// Aggregates: a second line under the name (e.g. "12 organisations").
        public var detail: String?
        /// Aggregates: a share 0…1 shown as fill intensity (county coverage).
        public var share: Double?
        /// Text for the tooltip (hover in SVG).
        public var tooltip: String

        public init(id: String, name: String, layer: Layer?, tooltip: String) {
            self.id = id
            self.name = name
            self.layer = layer
            self.tooltip = tooltip
        }
    }

    public struct Edge: Sendable, Hashable {
        public var source: Int
        public var target: Int
        /// Dependencies this edge stands for (1 for items).
        public var weight: Int = 1
        /// From a lower layer to a higher one: a finding, drawn red.
        public var upward = false
        public var crossOrganisation = false
        /// Both ends in the same dependency cycle.
        public var inCycle = false

        public init(source: Int, target: Int) {
            self.source = source
            self.target = target
        }
    }

    /// An organisation as a cluster.
    public struct Group: Sendable {
        public var id: String
        public var name: String
        public var outside: Bool
        public var national: Bool

        public init(id: String, name: String, outside: Bool, national: Bool) {
            self.id = id
            self.name = name
            self.outside = outside
            self.national = national
        }
    }

    public var kind: Kind
    public var title: String
    public var nodes: [Node] = []
    public var edges: [Edge] = []
    public var groups: [Group] = []
    /// Blast radius from which an item counts as a single point of failure (drawn heavier).
    public var spofThreshold = 25
    /// Capability id → its name in the vocabulary (the grid picture titles its boxes with it).
    public var capabilityNames: [String: String] = [:]
    /// Notes about what was left out or changed, for stderr.
    public var notes: [String] = []

    public init(kind: Kind, title: String) {
        self.kind = kind
        self.title = title
    }

    /// Keeps the `limit` heaviest edges (ties: in order), drops the rest; returns how many
    /// were dropped and the largest weight among them. A country aggregate has hundreds of
    /// one-dependency links that only grey the picture; the data formats keep them all.
    @discardableResult
    public mutating func keepStrongestEdges(_ limit: Int) -> (dropped: Int, maxDroppedWeight: Int) {
        guard edges.count > limit else { return (0, 0) }
        let order = edges.indices.sorted { (edges[$0].weight, -$0) > (edges[$1].weight, -$1) }
        let kept = Set(order.prefix(limit))
        let droppedWeight = order.dropFirst(limit).map { edges[$0].weight }.max() ?? 0
        let dropped = edges.count - limit
        edges = edges.indices.filter(kept.contains).map { edges[$0] }
        return (dropped, droppedWeight)
    }

    /// Layers that hold at least one node, top to bottom.
    public var layersPresent: [Layer] {
        let present = Set(nodes.compactMap(\.layer))
        return Layer.allCases.filter(present.contains)
    }

    public var maxWeight: Int { nodes.map(\.weight).max() ?? 0 }
    public var maxEdgeWeight: Int { edges.map(\.weight).max() ?? 0 }
}
