/// Strongly connected components (Tarjan, iterative so deep chains cannot
/// overflow the stack). Components come out in reverse topological order of the
/// graph: a component is numbered after every component it can reach.
public struct Components: Sendable {
    /// Component number of each node.
    public var componentOf: [Int32]
    /// Members of each component.
    public var members: [[Int32]]

    public var count: Int { members.count }

    public init(_ g: Adjacency, nodeCount n: Int) {
        var index = [Int32](repeating: -1, count: n)
        var low = [Int32](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var componentOf = [Int32](repeating: -1, count: n)
        var members: [[Int32]] = []
        var stack: [Int32] = []
        var call: [(node: Int32, edge: Int32)] = []
        var next: Int32 = 0
        for root in 0..<n where index[root] < 0 {
            call.append((Int32(root), g.start[root]))
            index[root] = next; low[root] = next; next += 1
            stack.append(Int32(root)); onStack[root] = true
            while let frame = call.last {
                let v = Int(frame.node)
                let end = g.start[v + 1]
                var e = frame.edge
                var descended = false
                while e < end {
                    let w = Int(g.targets[Int(e)])
                    e += 1
                    if index[w] < 0 {
                        call[call.count - 1].edge = e
                        index[w] = next; low[w] = next; next += 1
                        stack.append(Int32(w)); onStack[w] = true
                        call.append((Int32(w), g.start[w]))
                        descended = true
                        break
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                }
                if descended { continue }
                call.removeLast()
                if let parent = call.last { low[Int(parent.node)] = min(low[Int(parent.node)], low[v]) }
                if low[v] == index[v] {
                    var component: [Int32] = []
                    let c = Int32(members.count)
                    while let w = stack.popLast() {
                        onStack[Int(w)] = false
                        componentOf[Int(w)] = c
                        component.append(w)
                        if Int(w) == v { break }
                    }
                    members.append(component)
                }
            }
        }
        self.componentOf = componentOf
        self.members = members
    }
}

public enum GraphSearch {
    /// Nodes from which some source can be reached along `g`, walking `reverse`
    /// (the reversed graph) breadth-first, only through nodes `passable` allows.
    public static func reaching(_ sources: [Int], reverse: Adjacency, nodeCount n: Int,
                                passable: (Int) -> Bool) -> [Bool] {
        var seen = [Bool](repeating: false, count: n)
        var queue: [Int32] = []
        queue.reserveCapacity(n)
        for s in sources where !seen[s] {
            seen[s] = true
            queue.append(Int32(s))
        }
        var head = 0
        while head < queue.count {
            let v = Int(queue[head])
            head += 1
            for w in reverse.neighbours(v) where !seen[Int(w)] && passable(Int(w)) {
                seen[Int(w)] = true
                queue.append(w)
            }
        }
        return seen
    }

    /// Breadth-first from `start` along `g`; returns each reached node's parent
    /// (the node it was reached from), -1 for `start`, -2 for unreached.
    public static func parents(from start: Int, along g: Adjacency, nodeCount n: Int) -> [Int32] {
        var parent = [Int32](repeating: -2, count: n)
        parent[start] = -1
        var queue: [Int32] = [Int32(start)]
        var head = 0
        while head < queue.count {
            let v = Int(queue[head])
            head += 1
            for w in g.neighbours(v) where parent[Int(w)] == -2 {
                parent[Int(w)] = Int32(v)
                queue.append(w)
            }
        }
        return parent
    }

    /// The path start → … → node recovered from `parents`.
    public static func path(to node: Int, parents: [Int32]) -> [Int] {
        var path: [Int] = []
        var v = node
        while v >= 0 {
            path.append(v)
            v = Int(parents[v])
        }
        return path.reversed()
    }
}

/// How many services transitively depend on each item: the blast radius. Exact.
///
/// Counted by a walk down from each service (see `bySearchFromServices`), which is
/// linear when what each service depends on is small, as in real inventories. Graphs
/// where it is not (long chains of services) fall back to bitsets, whose cost does not
/// depend on that:
///
/// On the condensed graph (cycles
/// collapsed), each component carries the set of services above it as one small
/// bitset per organisation (most dependencies stay inside one organisation, so most
/// sets touch one or two). A national hub's set is one bitset per organisation that
/// uses it — at most a few thousand words — instead of a search per item.
public struct BlastRadius: Sendable {
    /// Services (other than the item itself) that depend on the item, directly or not.
    public var services: [Int32]
    /// Of those, the critical ones.
    public var critical: [Int32]

    public init(catalog: Catalog, components: Components, isService: (Int) -> Bool, isCritical: (Int) -> Bool) {
        if let counted = Self.bySearchFromServices(catalog, isService: isService, isCritical: isCritical) {
            self.init(services: counted.0, critical: counted.1)
        } else {
            self.init(bitsets: catalog, components: components, isService: isService, isCritical: isCritical)
        }
    }

    init(services: [Int32], critical: [Int32]) {
        self.services = services
        self.critical = critical
    }

    /// Counts by walking down from every service: each item the walk reaches gains one.
    /// What a service depends on, transitively, is a few dozen items in real inventories,
    /// so this is linear in practice and grows with the country, where the bitsets below
    /// grow with the services per organisation at every hub. Gives up (nil) past a budget
    /// of visits, for graphs of long service chains, and the bitsets take over.
    static func bySearchFromServices(_ catalog: Catalog, isService: (Int) -> Bool,
                                     isCritical: (Int) -> Bool) -> ([Int32], [Int32])? {
        let n = catalog.items.count
        let budget = 64 * max(n, 1024)
        var services = [Int32](repeating: 0, count: n)
        var critical = [Int32](repeating: 0, count: n)
        var stamp = [Int32](repeating: -1, count: n)
        var stack: [Int32] = []
        var visits = 0
        for s in 0..<n where isService(s) {
            let isCrit = isCritical(s)
            stamp[s] = Int32(s)
            stack.append(Int32(s))
            while let v = stack.popLast() {
                for w in catalog.dependencies.neighbours(Int(v)) where stamp[Int(w)] != Int32(s) {
                    stamp[Int(w)] = Int32(s)
                    services[Int(w)] += 1
                    if isCrit { critical[Int(w)] += 1 }
                    stack.append(w)
                }
                visits += 1
                if visits > budget { return nil }
            }
        }
        return (services, critical)
    }

    /// The same counts from bitsets on the condensed graph (see the type's comment).
    ///
    /// The services are taken `window` at a time, one pass over the graph each, and the
    /// counts added up: a component keeps at most `window / 64` words, so memory stays
    /// bounded where every set holds every service above it (a chain of 60,000 services
    /// needed 450 MB in one pass). The default window keeps that under ~128 MiB.
    init(bitsets catalog: Catalog, components: Components, isService: (Int) -> Bool, isCritical: (Int) -> Bool,
         window: Int? = nil) {
        let n = catalog.items.count
        let serviceList = (0..<n).filter(isService)  // catalogue order: each organisation's are consecutive
        let window = max(1, window ?? max(64, (1 << 30) / max(n, 1)))
        var serviceCount = [Int32](repeating: 0, count: components.count)
        var criticalCount = [Int32](repeating: 0, count: components.count)
        var bit = [Int32](repeating: -1, count: n)
        var lo = 0
        while lo < serviceList.count {
            let batch = serviceList[lo..<min(lo + window, serviceList.count)]
            Self.countPass(batch, catalog, components, bit: &bit, isCritical: isCritical,
                           serviceCount: &serviceCount, criticalCount: &criticalCount)
            for i in batch { bit[i] = -1 }
            lo += window
        }

        var services = [Int32](repeating: 0, count: n)
        var critical = [Int32](repeating: 0, count: n)
        for v in 0..<n {
            let c = Int(components.componentOf[v])
            // The item itself is not among the services that depend on it.
            let selfService: Int32 = isService(v) ? 1 : 0
            services[v] = serviceCount[c] - selfService
            critical[v] = criticalCount[c] - (selfService == 1 && isCritical(v) ? 1 : 0)
        }
        self.services = services
        self.critical = critical
    }

    /// One pass of `init(bitsets:)`: the services of `batch` (bit numbers in `bit`) counted
    /// into every component they depend on.
    private static func countPass(_ batch: ArraySlice<Int>, _ catalog: Catalog, _ components: Components, bit: inout [Int32],
                                  isCritical: (Int) -> Bool, serviceCount: inout [Int32], criticalCount: inout [Int32]) {
        let orgCount = catalog.organisations.count
        // Each organisation's services in the batch get consecutive bit numbers within the organisation.
        var perOrganisation = [Int](repeating: 0, count: orgCount)
        for i in batch {
            let o = Int(catalog.items[i].organisation)
            bit[i] = Int32(perOrganisation[o])
            perOrganisation[o] += 1
        }
        var wordBase = [Int](repeating: 0, count: orgCount + 1)
        for o in 0..<orgCount { wordBase[o + 1] = wordBase[o] + (perOrganisation[o] + 63) / 64 }
        var criticalMask = [UInt64](repeating: 0, count: wordBase[orgCount])
        for i in batch where isCritical(i) {
            let o = Int(catalog.items[i].organisation)
            criticalMask[wordBase[o] + Int(bit[i]) / 64] |= 1 << UInt64(bit[i] % 64)
        }

        // Per component: the organisations touched (sorted) and their words, stored in two
        // flat arrays (component c owns orgs[orgStart[c]..<orgStart[c+1]] and the words
        // from wordStart[c]): one array per component cost an allocation per item.
        var orgStart = [Int](repeating: 0, count: components.count + 1)
        var wordStart = [Int](repeating: 0, count: components.count + 1)
        var orgsFlat: [Int32] = []
        var wordsFlat: [UInt64] = []
        var scratch = [UInt64](repeating: 0, count: wordBase[orgCount])
        var touched = [Bool](repeating: false, count: orgCount)
        var touchedList: [Int32] = []

        // Components are numbered dependencies-first; walk them dependents-first, so
        // every dependent's set is complete (and stored) before it is merged.
        var done = 0
        var order = [Int](repeating: 0, count: components.count)  // component → its slot in the flat arrays
        for c in stride(from: components.count - 1, through: 0, by: -1) {
            touchedList.removeAll(keepingCapacity: true)
            func touch(_ o: Int) {
                if !touched[o] {
                    touched[o] = true
                    touchedList.append(Int32(o))
                }
            }
            for v32 in components.members[c] {
                let v = Int(v32)
                if bit[v] >= 0 {
                    let o = Int(catalog.items[v].organisation)
                    touch(o)
                    scratch[wordBase[o] + Int(bit[v]) / 64] |= 1 << UInt64(bit[v] % 64)
                }
                for u in catalog.dependents.neighbours(v) {
                    let cu = Int(components.componentOf[Int(u)])
                    if cu == c { continue }
                    let slot = order[cu]
                    var offset = wordStart[slot]
                    for o32 in orgsFlat[orgStart[slot]..<orgStart[slot + 1]] {
                        let o = Int(o32)
                        touch(o)
                        let width = wordBase[o + 1] - wordBase[o]
                        for k in 0..<width { scratch[wordBase[o] + k] |= wordsFlat[offset + k] }
                        offset += width
                    }
                }
            }
            touchedList.sort()
            var total = 0, crit = 0
            for o32 in touchedList {
                let o = Int(o32)
                touched[o] = false
                for k in wordBase[o]..<wordBase[o + 1] {
                    let w = scratch[k]
                    wordsFlat.append(w)
                    total += w.nonzeroBitCount
                    crit += (w & criticalMask[k]).nonzeroBitCount
                    scratch[k] = 0
                }
            }
            orgsFlat.append(contentsOf: touchedList)
            order[c] = done
            orgStart[done + 1] = orgsFlat.count
            wordStart[done + 1] = wordsFlat.count
            done += 1
            serviceCount[c] += Int32(total)
            criticalCount[c] += Int32(crit)
        }
    }
}
