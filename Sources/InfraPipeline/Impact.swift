import InfraGraph
import InfraModel

/// What breaks if one item fails: every running service that depends on it, directly or
/// through running items (as the blast radius counts), with one dependency path each
/// (found breadth-first, so shortest). An item that is not running breaks nothing.
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
    /// The failing item's status: one that is not running (planned, retired) breaks nothing.
    public var status: ItemStatus
    public var services: [Hit]

    /// `includeRestricted`: show the names of restricted items (withheld otherwise).
    public init(of target: Int, in catalog: Catalog, includeRestricted: Bool = false) {
        item = catalog.ref(target)
        name = catalog.shownName(target, includeRestricted: includeRestricted)
        status = catalog.items[target].item.status
        // Nothing is reached from an item that is not running.
        let running = { (v: Int) in catalog.items[v].item.status.isRunning }
        let live = running(target)
        let parents = GraphSearch.parents(from: target, along: catalog.dependents, nodeCount: catalog.items.count,
                                          passable: { live && running($0) })
        let steps = Self.steps(parents)
        var hits: [Hit] = []
        for v in 0..<catalog.items.count where v != target && parents[v] != -2 {
            let entry = catalog.items[v].item
            guard entry.layer == .services, entry.status.isRunning else { continue }
            // A path of thousands of steps (a chain of services) is shortened, or a chain of
            // n services would print n² refs: its first steps, "(N more)", the failing item.
            var path: [String] = []
            var x = v
            while x >= 0, path.count < Self.stepsShown || steps[v] <= Self.stepsShown + 1 {
                path.append(catalog.ref(x))
                x = Int(parents[x])
            }
            if x >= 0 { path += ["(\(Int(steps[x])) more)", item] }
            hits.append(Hit(service: catalog.ref(v), name: catalog.shownName(v, includeRestricted: includeRestricted),
                            organisation: catalog.organisationOf(v).id, critical: entry.critical, path: path))
        }
        services = hits.sorted { ($0.organisation, $0.service) < ($1.organisation, $1.service) }
    }

    /// How many steps of a path are shown before "(N more)".
    static let stepsShown = 10

    /// Per node reached, the steps from it to the start of the search (0 for the start):
    /// each found once, by walking up to a node already known.
    static func steps(_ parents: [Int32]) -> [Int32] {
        var steps = [Int32](repeating: -1, count: parents.count)
        var walk: [Int] = []
        for v in parents.indices where parents[v] != -2 && steps[v] < 0 {
            var x = v
            while x >= 0, steps[x] < 0 {
                walk.append(x)
                x = Int(parents[x])
            }
            var known = x >= 0 ? steps[x] : -1  // -1: the walk ended past the start
            while let y = walk.popLast() {
                known += 1
                steps[y] = known
            }
        }
        return steps
    }
}
