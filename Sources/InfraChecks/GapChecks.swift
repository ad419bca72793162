import InfraGraph
import InfraModel

/// What is missing: grounding in hard infrastructure, baseline capabilities,
/// healthy dependencies, and (country scope) whole inventories.
public struct GapCheck: Check {
    public init() {}
    public var usesGraphFacts: Bool { true }

    static let kommunHeader = """
        inventory: 1
        organisation:
          id: upplands-vasby
          name: Upplands Väsby kommun
          type: kommun
          code: "0114"

        """

    public var rules: [RuleDescription] {
        [
            RuleDescription(.ungrounded, .gaps, .warning, title: "Ungrounded item",
                            rationale: "Every service and every piece of soft infrastructure runs somewhere: on a network, in a data centre, in the cloud. An item with no path down to an active hard item hides a dependency nobody has written down.",
                            failing: Example(Ex.org("soft:\n  - id: arkiv\n    name: E-arkiv\n    capability: e-archive")),
                            passing: Example(Ex.org("soft:\n  - id: arkiv\n    name: E-arkiv\n    capability: e-archive\n    depends_on: [moln]\nhard:\n  - id: moln\n    name: Molndrift\n    capability: cloud-hosting"))),
            RuleDescription(.baselineMissing, .gaps, .warning, title: "Baseline capability missing",
                            rationale: "Each organisation type is expected to have a baseline of capabilities (a kommun: citizen and staff e-ID, e-signature, secure messaging, digital mailbox, e-archive, broadband …). A capability counts as present when the organisation runs it or directly uses another organisation's, such as Inera's SITHS.",
                            failing: Example(Self.kommunHeader + "soft:\n  - id: siths\n    name: SITHS\n    capability: eid-staff\n    depends_on: [inera/siths]\n"),
                            passing: Example(Self.kommunHeader + """
                            services:
                              - {id: skolplattform, name: Skolplattform, capability: school-platform, depends_on: [wan]}
                              - {id: verksamhetssystem, name: Verksamhetssystem, capability: social-care-records, depends_on: [wan]}
                              - {id: trygghetslarm, name: Trygghetslarm, capability: digital-safety-alarm, depends_on: [wan]}
                            soft:
                              - {id: bankid, name: BankID, capability: eid-citizen, depends_on: [bankid/bankid, wan]}
                              - {id: siths, name: SITHS, capability: eid-staff, depends_on: [inera/siths, wan]}
                              - {id: underskrift, name: E-underskrift, capability: e-signature, depends_on: [wan]}
                              - {id: sdk, name: SDK, capability: secure-messaging, depends_on: [digg/sdk, wan]}
                              - {id: digital-post, name: Digital post, capability: digital-mailbox, depends_on: [digg/mina-meddelanden, wan]}
                              - {id: e-arkiv, name: E-arkiv, capability: e-archive, depends_on: [wan]}
                            hard:
                              - {id: wan, name: Kommunnät, capability: wan}
                              - {id: bredband, name: Bredband, capability: broadband-access}

                            """)),
            RuleDescription(.dependsOnRetired, .gaps, .warning, title: "Depends on a retired item",
                            rationale: "An active item that still depends on something retired is running on borrowed time, or the inventory is out of date.",
                            failing: Example(Ex.chain(hard: "  - id: gammal\n    name: Gammalt nät\n    capability: wan\n    status: retired\n  - id: wifi\n    name: Wifi\n    capability: wifi\n    depends_on: [gammal]")),
                            passing: Example(Ex.chain(hard: "  - id: gammal\n    name: Gammalt nät\n    capability: wan\n    status: retired\n  - id: wifi\n    name: Wifi\n    capability: wifi\n    depends_on: [datacenter]"))),
            RuleDescription(.dependsOnUnsupported, .gaps, .warning, title: "Depends on an item past its end of support",
                            rationale: "A dependency whose end_of_support has passed no longer gets security fixes; everything above it inherits the risk.",
                            failing: Example(Ex.chain(hard: "  - id: server\n    name: Server\n    capability: datacenter\n    end_of_support: 2020-01-31\n  - id: wifi\n    name: Wifi\n    capability: wifi\n    depends_on: [server]")),
                            passing: Example(Ex.chain(hard: "  - id: server\n    name: Server\n    capability: datacenter\n    end_of_support: 2099-01-31\n  - id: wifi\n    name: Wifi\n    capability: wifi\n    depends_on: [server]"))),
            RuleDescription(.dependsOnPlanned, .gaps, .warning, title: "Depends on an item that is only planned",
                            rationale: "An active item cannot rest on something that does not exist yet; either the item is not really active or the dependency is already running.",
                            failing: Example(Ex.chain(hard: "  - id: nytt\n    name: Nytt nät\n    capability: wan\n    status: planned\n  - id: wifi\n    name: Wifi\n    capability: wifi\n    depends_on: [nytt]")),
                            passing: Example(Ex.chain(hard: "  - id: nytt\n    name: Nytt nät\n    capability: wan\n    status: planned\n    depends_on: [datacenter]"))),
            RuleDescription(.missingInventory, .gaps, .warning, title: "Municipality or region without an inventory",
                            rationale: "At country scope (--country) coverage is counted against all 290 municipalities and 21 regions; one with no inventory is a blind spot.",
                            failing: Example(Self.kommunHeader + "hard: []\n", country: true),
                            passing: Example(Self.kommunHeader + "hard: []\n", country: false)),
        ]
    }

    public func run(_ ctx: CheckContext) -> [Finding] {
        let catalog = ctx.catalog
        let facts = ctx.graphFacts
        var out: [Finding] = []
        let users = ctx.userOrganisations
        var suggester: CapabilitySuggester?
        // Per capability, the national components providing it (running), named in the help
        // of a baseline gap they would fill, as `infra init` names them.
        var national: [String: [String]] = [:]
        for org in catalog.organisations where org.isNational {
            for i in org.items where catalog.items[i].item.status.isRunning {
                if let cap = catalog.items[i].item.capability?.value { national[cap, default: []].append(catalog.ref(i)) }
            }
        }

        var ground: BrokenGround?  // made when the first ungrounded item is met, for all of them
        for o in users {
            for i in catalog.organisations[o].items {
                // Fields read in place: copying each Item (a dozen references) showed in profiles.
                guard catalog.items[i].item.status.isRunning else { continue }
                let layer = catalog.items[i].item.layer
                if layer != .hard && !facts.grounded[i] {
                    var help = "add the network, data centre or cloud it runs on to depends_on (its own, or another organisation's as `org-id/item-id`)"
                    // It may reach a hard item already, through one that is not running: that is the fix.
                    if ground == nil {
                        // The grounded flag first: it rules out nearly every item without reading it.
                        var ungrounded: [Int] = []
                        for o in users {
                            for k in catalog.organisations[o].items where !facts.grounded[k] && catalog.items[k].item.status.isRunning
                                && catalog.items[k].item.layer != .hard { ungrounded.append(k) }
                        }
                        ground = BrokenGround(catalog, for: ungrounded)
                    }
                    if let (hard, stop) = ground!.path(from: i) {
                        let status = catalog.items[stop].item.status.rawValue
                        help = stop == hard
                            ? "`\(catalog.ref(hard))`, the hard item it rests on, is \(status): mark it active if it runs, or depend on one that does"
                            : "its path to the hard item `\(catalog.ref(hard))` goes through `\(catalog.ref(stop))`, which is \(status): mark that active if it runs, or depend on a running item instead"
                    }
                    out.append(ctx.finding(.ungrounded, .warning,
                                           "\(layer.rawValue) item `\(catalog.itemID(i))` has no path to an active hard-layer item",
                                           item: i, help: help))
                }
                let edges = Int(catalog.dependencies.start[i])..<Int(catalog.dependencies.start[i + 1])
                for e in edges {
                    let w = Int(catalog.dependencies.targets[e])
                    guard w != i else { continue }
                    let status = catalog.items[w].item.status
                    let endOfSupport = catalog.items[w].item.endOfSupport?.value
                    let passed = endOfSupport.map { $0 < ctx.options.today } ?? false
                    guard status == .retired || status == .planned || passed else { continue }
                    let position = catalog.edgePositions[e]
                    let ref = catalog.ref(w)
                    switch status {
                    case .retired:
                        out.append(ctx.finding(.dependsOnRetired, .warning, "`\(catalog.itemID(i))` depends on `\(ref)`, which is retired",
                                               item: i, at: position, related: [ref],
                                               help: "point the dependency at what replaced it, or mark `\(catalog.itemID(i))` retired too"))
                    case .planned:
                        out.append(ctx.finding(.dependsOnPlanned, .warning, "`\(catalog.itemID(i))` is active but depends on `\(ref)`, which is only planned",
                                               item: i, at: position, related: [ref],
                                               help: "mark `\(ref)` active if it is running, or depend on a running item instead (marked planned too, `\(catalog.itemID(i))` would pass the warning to what depends on it)"))
                    default:
                        if let eos = endOfSupport, passed {
                            out.append(ctx.finding(.dependsOnUnsupported, .warning,
                                                   "`\(catalog.itemID(i))` depends on `\(ref)`, whose support ended \(eos)",
                                                   item: i, at: position, related: [ref],
                                                   help: "plan the replacement of `\(ref)` or update its end_of_support"))
                        }
                    }
                }
            }
            // A national provider the user's files added to has no baseline of a user's own.
            if !catalog.organisations[o].joinsBuiltIn {
                out += baselineGaps(organisation: o, ctx, suggester: &suggester, national: national)
            }
        }

        if ctx.options.country {
            out += missingInventories(ctx)
        }
        return out
    }

    /// Capabilities an organisation has: running items of its own, and running items
    /// of other organisations that its running items depend on directly.
    public static func capabilities(of o: Int, _ catalog: Catalog) -> Set<String> {
        let have = capabilityMask(of: o, catalog)
        return Set(have.indices.lazy.filter { have[$0] }.map { catalog.capabilityIDs[$0] })
    }

    /// `capabilities(of:)` by capability code: `mask[code]` is true when the organisation has it.
    public static func capabilityMask(of o: Int, _ catalog: Catalog) -> [Bool] {
        var have = [Bool](repeating: false, count: catalog.capabilityIDs.count)
        let caps = catalog.capabilityIndex
        catalog.forEachProvided(by: o) { i in
            if caps[i] >= 0 { have[Int(caps[i])] = true }
        }
        return have
    }

    /// The baseline capabilities organisation `o` lacks, in baseline order.
    public static func missingBaseline(of o: Int, _ ctx: CheckContext) -> [String] {
        let org = ctx.catalog.organisations[o]
        guard let type = org.type else { return [] }
        let code = org.header.code?.value
        // (Whether a region 09 is scanned matters to Gotland's kommun only: looked for then.)
        let expected = ctx.vocabulary.baseline.expected(of: type, code: code, regionScanned: code == Sweden.gotlandKommun
            && ctx.catalog.organisations.contains { $0.type == .region && $0.header.code?.value == Sweden.gotlandRegion })
        guard !expected.isEmpty else { return [] }
        // Compared by code: no set of capability names per organisation (661 of them in a country).
        let have = capabilityMask(of: o, ctx.catalog)
        return expected.filter { id in ctx.catalog.capabilityCodes[id].map { !have[Int($0)] } ?? true }
    }

    /// `suggester`: made on first need (an organisation with gaps and custom capabilities), then kept.
    /// `national`: capability → the national components' items providing it.
    func baselineGaps(organisation o: Int, _ ctx: CheckContext, suggester: inout CapabilitySuggester?,
                      national: [String: [String]] = [:]) -> [Finding] {
        let org = ctx.catalog.organisations[o]
        guard let type = org.type else { return [] }
        let missing = Self.missingBaseline(of: o, ctx)
        guard !missing.isEmpty else { return [] }
        // A custom capability (`x-e-arkiv`) that is a vocabulary term in other words does not
        // count for the baseline; say which item it is, so the term can be used instead.
        var custom: [String: Int] = [:]  // the term it most likely means → the item
        for i in org.items {
            guard let cap = ctx.catalog.items[i].item.capability?.value, cap.hasPrefix("x-"), cap.count > 2 else { continue }
            if suggester == nil { suggester = CapabilitySuggester(ctx.vocabulary) }
            if let meant = suggester?.suggestion(for: String(cap.dropFirst(2))), custom[meant] == nil {
                custom[meant] = i
            }
        }
        return missing.map { cap in
            let name = ctx.vocabulary.capabilities[cap].map { " (\($0.swedishName))" } ?? ""
            var help = "add an active item with `capability: \(cap)`, or depend on another organisation's (e.g. a region's or a national component)"
            if let providers = national[cap], !providers.isEmpty {
                help = "depend on the national component that provides it (\(providers.prefix(3).map { "`\($0)`" }.joined(separator: ", "))) from the item that uses it, "
                    + "or add an active item with `capability: \(cap)` of your own"
            }
            if let i = custom[cap], let written = ctx.catalog.items[i].item.capability?.value {
                help = "`\(ctx.catalog.items[i].item.id.value)` has the custom capability `\(written)`, which counts for no baseline; if it is \(cap), write `capability: \(cap)` there. Else " + help
            }
            if let unread = ctx.catalog.unreadFiles[org.id] { help = UnreadFile.mayHold(unread) + help }
            return ctx.finding(.baselineMissing, .warning,
                               "baseline capability `\(cap)`\(name) is missing for \(type.rawValue) `\(org.id)`",
                               organisation: o, help: help)
        }
    }

    func missingInventories(_ ctx: CheckContext) -> [Finding] {
        var kommunCodes = Set<String>(), regionCodes = Set<String>()
        for org in ctx.catalog.organisations {
            guard let code = org.header.code?.value else { continue }
            if org.type == .kommun { kommunCodes.insert(code) }
            if org.type == .region { regionCodes.insert(code) }
        }
        var out: [Finding] = []
        for m in ctx.sweden.municipalities where !kommunCodes.contains(m.code) {
            out.append(Finding(rule: .missingInventory, severity: .warning,
                               message: "kommun \(m.code) \(m.name) (\(m.countyName), population \(m.population)) has no inventory",
                               help: "`infra init --kommun \(m.code)` prints a starter inventory" + (m.code == Sweden.gotlandKommun ? " (for Region Gotland too: the kommun is the region)" : "")))
        }
        for r in ctx.sweden.regions where !regionCodes.contains(r.countyCode) {
            // Gotland's kommun is its region: a Gotland kommun inventory covers both.
            if r.countyCode == Sweden.gotlandRegion && kommunCodes.contains(Sweden.gotlandKommun) { continue }
            out.append(Finding(rule: .missingInventory, severity: .warning,
                               message: "region \(r.countyCode) \(r.name) has no inventory",
                               help: r.countyCode == Sweden.gotlandRegion ? "Region Gotland is Gotlands kommun: `infra init --kommun 0980` prints one starter inventory for both"
                                   : "`infra init --region \(r.countyCode)` prints a starter inventory"))
        }
        return out
    }
}

/// For an ungrounded item that does reach a hard item through items of any status: the
/// nearest such hard item and the first item on the way to it that is not running, which
/// is what to fix. One breadth-first search back from the hard items the ungrounded items
/// reach answers all of them (a search from each was quadratic: a chain of 16,000 items
/// that never reached a hard one took 6 s).
struct BrokenGround {
    /// Per item reached: the nearest hard item, and the first item after it on the path
    /// there that is not running, the hard item included (-1: none). (Dictionaries: a
    /// country's few dozen ungrounded items reach a few hundred of its 250,000.)
    private var hard: [Int32: Int32] = [:], stop: [Int32: Int32] = [:]

    init(_ catalog: Catalog, for items: [Int]) {
        // What the items reach, up to the first hard item on each way, with its edges turned
        // round: all the search needs. (Not the catalogue's dependents: a national component's
        // are most of the country.)
        var reached = Set(items.map(Int32.init))
        var queue = items.map(Int32.init), head = 0
        var sources: [Int32] = []
        var dependents: [Int32: [Int32]] = [:]
        while head < queue.count {
            let u = queue[head]
            head += 1
            if catalog.items[Int(u)].item.layer == .hard {
                sources.append(u)
                continue
            }
            for v in catalog.dependencies.neighbours(Int(u)) {
                dependents[v, default: []].append(u)
                if reached.insert(v).inserted { queue.append(v) }
            }
        }
        sources.sort()
        for h in sources {
            hard[h] = h
            stop[h] = -1
        }
        queue = sources
        head = 0
        while head < queue.count {
            let u = queue[head]
            head += 1
            // (A path never passes through one hard item to another: those are all sources.)
            for v in dependents[u] ?? [] where hard[v] == nil {
                hard[v] = hard[u]
                stop[v] = catalog.items[Int(u)].item.status.isRunning ? stop[u] : u
                queue.append(v)
            }
        }
    }

    func path(from item: Int) -> (hard: Int, stop: Int)? {
        guard let h = hard[Int32(item)], let s = stop[Int32(item)], s >= 0 else { return nil }
        return (Int(h), Int(s))
    }
}
