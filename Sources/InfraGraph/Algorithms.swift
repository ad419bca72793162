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

    /// Breadth-first from `start` along `g`, entering only `passable` nodes; returns each
    /// reached node's parent (the node it was reached from), -1 for `start`, -2 for unreached.
    public static func parents(from start: Int, along g: Adjacency, nodeCount n: Int,
                               passable: (Int) -> Bool = { _ in true }) -> [Int32] {
        var parent = [Int32](repeating: -2, count: n)
        parent[start] = -1
        var queue: [Int32] = [Int32(start)]
        var head = 0
        while head < queue.count {
            let v = Int(queue[head])
            head += 1
            for w in g.neighbours(v) where parent[Int(w)] == -2 && passable(Int(w)) {
                parent[Int(w)] = Int32(v)
                queue.append(w)
            }
        }
        return parent
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

    /// `passable`: the items a failure travels through (the running ones): a service that
    /// reaches an item only through a planned or retired one does not depend on it yet, or
    /// any more. An item that is not passable counts no services.
    public init(catalog: Catalog, components: Components, isService: (Int) -> Bool, isCritical: (Int) -> Bool,
                passable: (Int) -> Bool = { _ in true }) {
        if let counted = Self.bySearchFromServices(catalog, isService: isService, isCritical: isCritical, passable: passable) {
            self.init(services: counted.0, critical: counted.1)
        } else {
            self.init(bitsets: catalog, components: components, isService: isService, isCritical: isCritical, passable: passable)
        }
    }

    /// The bitsets below work on strongly connected components: with items that are not
    /// `passable`, on those of the graph between the passable ones.
    init(bitsets catalog: Catalog, components: Components, isService: (Int) -> Bool, isCritical: (Int) -> Bool,
         passable: (Int) -> Bool, words: Int? = nil) {
        let n = catalog.items.count
        if (0..<n).allSatisfy(passable) {
            self.init(bitsets: catalog, components: components, isService: isService, isCritical: isCritical, words: words)
            return
        }
        var passing = catalog
        passing.dependencies = catalog.dependencies.keeping(passable)
        passing.dependents = catalog.dependents.keeping(passable)
        self.init(bitsets: passing, components: Components(passing.dependencies, nodeCount: n),
                  isService: { passable($0) && isService($0) }, isCritical: isCritical, words: words)
        for v in 0..<n where !passable(v) { (services[v], critical[v]) = (0, 0) }
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
    static func bySearchFromServices(_ catalog: Catalog, isService: (Int) -> Bool, isCritical: (Int) -> Bool,
                                     passable: (Int) -> Bool = { _ in true }) -> ([Int32], [Int32])? {
        let n = catalog.items.count
        let budget = 64 * max(n, 1024)
        var services = [Int32](repeating: 0, count: n)
        var critical = [Int32](repeating: 0, count: n)
        var stamp = [Int32](repeating: -1, count: n)
        var stack: [Int32] = []
        var visits = 0
        for s in 0..<n where isService(s) && passable(s) {
            let isCrit = isCritical(s)
            stamp[s] = Int32(s)
            stack.append(Int32(s))
            while let v = stack.popLast() {
                for w in catalog.dependencies.neighbours(Int(v)) where stamp[Int(w)] != Int32(s) && passable(Int(w)) {
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
    /// The services are taken a window at a time, one pass over the graph each, and the
    /// counts added up, so that memory stays bounded where every set holds every service
    /// above it (a chain of 200,000 services needed 8.6 GB in one pass; 20,000 one-service
    /// organisations in a ring, 5 GB). A window's services take at most `words` words
    /// (per organisation, one per 64 of its services in the window), and a component's set
    /// never holds more; the default keeps all sets of a pass under ~128 MiB.
    init(bitsets catalog: Catalog, components: Components, isService: (Int) -> Bool, isCritical: (Int) -> Bool,
         words: Int? = nil) {
        let n = catalog.items.count
        let serviceList = (0..<n).filter(isService)  // catalogue order: each organisation's are consecutive
        let wordsPerWindow = max(1, words ?? (16 << 20) / max(components.count, 1))
        var pass = BitsetPass(catalog, components)
        var lo = 0
        while lo < serviceList.count {
            var hi = lo, used = 0, organisation = -1, inOrganisation = 0
            while hi < serviceList.count {
                let o = Int(catalog.items[serviceList[hi]].organisation)
                let newWord = o != organisation || inOrganisation % 64 == 0
                if newWord, used == wordsPerWindow { break }
                if o != organisation { (organisation, inOrganisation) = (o, 0) }
                if newWord { used += 1 }
                inOrganisation += 1
                hi += 1
            }
            pass.count(serviceList[lo..<hi], catalog, components, isCritical: isCritical)
            lo = hi
        }
        let (serviceCount, criticalCount) = (pass.serviceCount, pass.criticalCount)

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
}

/// One pass of `BlastRadius.init(bitsets:)`: the services of a window counted into every
/// component they depend on. Its buffers are made once and reused by every pass.
private struct BitsetPass {
    /// Per component: services (and critical ones) counted so far, over all passes.
    var serviceCount: [Int32]
    var criticalCount: [Int32]
    /// Per item: its bit number within its organisation in this window, or -1.
    private var bit: [Int32]
    private var perOrganisation: [Int]
    private var wordBase: [Int]
    private var touched: [Bool]
    private var touchedList: [Int32] = []
    /// Per component: its slot in the flat arrays, and the last component that merged it.
    private var order: [Int]
    private var mergedInto: [Int32]
    private var orgStart: [Int]
    private var wordStart: [Int]
    private var orgsFlat: [Int32] = []
    private var wordsFlat: [UInt64] = []
    /// Per slot: the services in its set, and the critical ones.
    private var slotTotal: [Int32]
    private var slotCritical: [Int32]
    /// The distinct other components that depend on the component at hand.
    private var dependentComponents: [Int] = []
    private var scratch: [UInt64] = []
    private var criticalMask: [UInt64] = []

    init(_ catalog: Catalog, _ components: Components) {
        let orgCount = catalog.organisations.count
        serviceCount = [Int32](repeating: 0, count: components.count)
        criticalCount = serviceCount
        bit = [Int32](repeating: -1, count: catalog.items.count)
        perOrganisation = [Int](repeating: 0, count: orgCount)
        wordBase = [Int](repeating: 0, count: orgCount + 1)
        touched = [Bool](repeating: false, count: orgCount)
        order = [Int](repeating: 0, count: components.count)
        mergedInto = [Int32](repeating: -1, count: components.count)
        orgStart = [Int](repeating: 0, count: components.count + 1)
        wordStart = orgStart
        slotTotal = [Int32](repeating: 0, count: components.count)
        slotCritical = slotTotal
    }

    mutating func count(_ batch: ArraySlice<Int>, _ catalog: Catalog, _ components: Components, isCritical: (Int) -> Bool) {
        let orgCount = catalog.organisations.count
        // Each organisation's services in the batch get consecutive bit numbers within the organisation.
        for o in 0..<orgCount { perOrganisation[o] = 0 }
        for i in batch {
            let o = Int(catalog.items[i].organisation)
            bit[i] = Int32(perOrganisation[o])
            perOrganisation[o] += 1
        }
        for o in 0..<orgCount { wordBase[o + 1] = wordBase[o] + (perOrganisation[o] + 63) / 64 }
        let width = wordBase[orgCount]
        if scratch.count < width { scratch = [UInt64](repeating: 0, count: width) }
        criticalMask.removeAll(keepingCapacity: true)
        criticalMask.append(contentsOf: repeatElement(0, count: width))
        for i in batch where isCritical(i) {
            let o = Int(catalog.items[i].organisation)
            criticalMask[wordBase[o] + Int(bit[i]) / 64] |= 1 << UInt64(bit[i] % 64)
        }
        // Per component: the organisations touched (sorted) and their words, stored in two
        // flat arrays (component c owns orgs[orgStart[c]..<orgStart[c+1]] and the words
        // from wordStart[c]): one array per component cost an allocation per item.
        orgsFlat.removeAll(keepingCapacity: true)
        wordsFlat.removeAll(keepingCapacity: true)
        for c in mergedInto.indices { mergedInto[c] = -1 }

        // Components are numbered dependencies-first; walk them dependents-first, so
        // every dependent's set is complete (and stored) before it is merged.
        var done = 0
        for c in stride(from: components.count - 1, through: 0, by: -1) {
            // The other components that depend on this one, each once (a hub has thousands
            // of dependents, often in one component), and whether it holds services itself.
            dependentComponents.removeAll(keepingCapacity: true)
            var ownServices = false
            for v32 in components.members[c] {
                if bit[Int(v32)] >= 0 { ownServices = true }
                for u in catalog.dependents.neighbours(Int(v32)) {
                    let cu = Int(components.componentOf[Int(u)])
                    if cu == c || mergedInto[cu] == Int32(c) { continue }
                    mergedInto[cu] = Int32(c)
                    dependentComponents.append(cu)
                }
            }
            // No services of its own and one dependent component: the same set, shared, not
            // copied (the items under one service, or a hub below one ring, are many).
            if !ownServices, dependentComponents.count == 1 {
                let slot = order[dependentComponents[0]]
                order[c] = slot
                serviceCount[c] += slotTotal[slot]
                criticalCount[c] += slotCritical[slot]
                continue
            }
            touchedList.removeAll(keepingCapacity: true)
            for v32 in components.members[c] where bit[Int(v32)] >= 0 {
                let v = Int(v32)
                let o = Int(catalog.items[v].organisation)
                touch(o)
                scratch[wordBase[o] + Int(bit[v]) / 64] |= 1 << UInt64(bit[v] % 64)
            }
            for cu in dependentComponents {
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
            slotTotal[done] = Int32(total)
            slotCritical[done] = Int32(crit)
            done += 1
            serviceCount[c] += Int32(total)
            criticalCount[c] += Int32(crit)
        }
        for i in batch { bit[i] = -1 }
    }

    private mutating func touch(_ o: Int) {
        if !touched[o] {
            touched[o] = true
            touchedList.append(Int32(o))
        }
    }
}
