import InfraGraph
import InfraModel

/// Cycles, upward and self dependencies: the shape of the graph itself.
public struct StructureCheck: Check {
    public init() {}
    public var usesGraphFacts: Bool { true }

    public var rules: [RuleDescription] {
        [
            RuleDescription(.dependencyCycle, .structure, .error, title: "Dependency cycle",
                            rationale: "Items that depend on each other in a ring cannot be started, restored or replaced one at a time; usually one of the dependencies is written the wrong way round.",
                            failing: Example(Ex.chain(soft: "  - id: a\n    name: A\n    capability: document-storage\n    depends_on: [b, datacenter]\n  - id: b\n    name: B\n    capability: document-storage\n    depends_on: [a]")),
                            passing: Example(Ex.chain(soft: "  - id: a\n    name: A\n    capability: document-storage\n    depends_on: [b, datacenter]\n  - id: b\n    name: B\n    capability: document-storage\n    depends_on: [datacenter]"))),
            RuleDescription(.upwardDependency, .structure, .error, title: "Dependency pointing up the layers",
                            rationale: "Services rest on soft infrastructure, which rests on hard infrastructure. A network that depends on a service, or an e-ID that depends on an e-service, turns the layers upside down and is almost always a reversed dependency.",
                            failing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fiber\n    capability: fiber-network\n    depends_on: [e-tjanster]")),
                            passing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fiber\n    capability: fiber-network\n    depends_on: [datacenter]"))),
            RuleDescription(.selfDependency, .structure, .error, title: "Item depends on itself",
                            rationale: "An item cannot be its own dependency; the reference was probably meant for another item.",
                            failing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fiber\n    capability: fiber-network\n    depends_on: [fiber]")),
                            passing: Example(Ex.chain(hard: "  - id: fiber\n    name: Fiber\n    capability: fiber-network"))),
        ]
    }

    public func run(_ ctx: CheckContext) -> [Finding] {
        let catalog = ctx.catalog
        let facts = ctx.graphFacts
        var out: [Finding] = []
        let user = { (i: Int) in !catalog.organisations[Int(catalog.items[i].organisation)].isNational }

        for members in facts.components.members where members.count > 1 {
            let sorted = members.map(Int.init).sorted()
            guard sorted.contains(where: user) else { continue }
            let first = sorted.first(where: user)!
            let ring = cyclePath(through: first, within: Set(sorted), catalog: catalog)
            // A ring of thousands would be a line of megabytes; `related` lists every member.
            let shown = ring.count <= Self.ringShown + 2 ? ring.map { catalog.ref($0) }
                : ring.prefix(Self.ringShown).map { catalog.ref($0) } + ["(\(ring.count - Self.ringShown - 1) more)", catalog.ref(first)]
            out.append(ctx.finding(.dependencyCycle, .error,
                                   "dependency cycle of \(sorted.count) items: " + shown.joined(separator: " → "),
                                   item: first, related: sorted.map { catalog.ref($0) },
                                   help: "find the dependency in the ring that points the wrong way and remove or reverse it"))
        }

        for v in 0..<catalog.items.count where user(v) {
            // Fields read in place: copying each Item (a dozen references) showed in profiles.
            let fromLayer = catalog.items[v].item.layer
            let edges = Int(catalog.dependencies.start[v])..<Int(catalog.dependencies.start[v + 1])
            for e in edges {
                let w = Int(catalog.dependencies.targets[e])
                let position = catalog.edgePositions[e]
                if w == v {
                    out.append(ctx.finding(.selfDependency, .error, "`\(catalog.itemID(v))` depends on itself",
                                           item: v, at: position, help: "remove `\(catalog.itemID(v))` from its own depends_on"))
                    continue
                }
                let toLayer = catalog.items[w].item.layer
                if toLayer.rank < fromLayer.rank {
                    out.append(ctx.finding(.upwardDependency, .error,
                                           "\(fromLayer.rawValue) item `\(catalog.itemID(v))` depends on \(toLayer.rawValue) item `\(catalog.ref(w))`, up the layers",
                                           item: v, at: position, related: [catalog.ref(w)],
                                           help: catalog.items[v].organisation == catalog.items[w].organisation
                                               ? "dependencies point down: services → soft → hard; reverse it (put `\(catalog.itemID(v))` in `\(catalog.itemID(w))`'s depends_on) if that is what is meant"
                                               // Another organisation's inventory (a national one is built in) is not this file's to edit.
                                               : "dependencies point down: services → soft → hard; `\(catalog.ref(w))` is another organisation's, so remove the reference, or point at an item of the \(fromLayer.rawValue) layer or below"))
                }
            }
        }
        return out
    }

    /// How many items of a ring its message names before "(N more)".
    static let ringShown = 10

    /// A shortest ring start → … → start inside one strongly connected component.
    func cyclePath(through start: Int, within members: Set<Int>, catalog: Catalog) -> [Int] {
        var parent: [Int: Int] = [start: -1]
        var queue = [start]
        var head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            for w32 in catalog.dependencies.neighbours(v) {
                let w = Int(w32)
                // A self-loop is a finding of its own; the ring goes round the component.
                guard w != v, members.contains(w) else { continue }
                if w == start {
                    var path = [start]
                    var x = v
                    while x != -1 {
                        path.append(x)
                        x = parent[x] ?? -1
                    }
                    return Array(path.reversed())
                }
                if parent[w] == nil {
                    parent[w] = v
                    queue.append(w)
                }
            }
        }
        return [start]
    }
}
