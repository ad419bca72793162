import InfraGraph
import InfraModel

/// What breaks if one item fails: every running service that depends on it,
/// directly or not, with one dependency path each (found breadth-first, so shortest).
public struct Impact: Sendable {
    public struct Hit: Sendable {
        public var service: String
        public var name: String
        public var organisation: String
        public var critical: Bool
        /// service → … → the failing item, as `org/item`.
        public var path: [String]
    }

    public var item: String
    public var name: String
    public var services: [Hit]

    public init(of target: Int, in catalog: Catalog) {
        item = catalog.ref(target)
        name = catalog.items[target].item.name?.value ?? catalog.items[target].item.id.value
        let parents = GraphSearch.parents(from: target, along: catalog.dependents, nodeCount: catalog.items.count)
        var hits: [Hit] = []
        for v in 0..<catalog.items.count where v != target && parents[v] != -2 {
            let entry = catalog.items[v].item
            guard entry.layer == .services, entry.status.isRunning else { continue }
            let path = GraphSearch.path(to: v, parents: parents).reversed().map { catalog.ref($0) }
            hits.append(Hit(service: catalog.ref(v), name: entry.name?.value ?? entry.id.value,
                            organisation: catalog.organisationOf(v).id, critical: entry.critical, path: path))
        }
        services = hits.sorted { ($0.organisation, $0.service) < ($1.organisation, $1.service) }
    }
}
