import InfraGraph
import InfraModel

/// Entries nobody has looked at, and support that is ending.
public struct StalenessCheck: Check {
    public init() {}

    public var rules: [RuleDescription] {
        let hard = { (extra: String) in Ex.chain(hard: "  - id: wifi\n    name: Wifi\n    capability: wifi\n" + extra) }
        return [
            RuleDescription(.staleReview, .staleness, .warning, title: "Entry not reviewed for a long time",
                            rationale: "An inventory is only as good as its last check; entries whose `reviewed` date is older than 12 months are likely out of date.",
                            failing: Example(hard("    reviewed: 2019-05-01")),
                            passing: Example(hard("    reviewed: {{today}}"))),
            RuleDescription(.reviewedInFuture, .staleness, .warning, title: "Review date in the future",
                            rationale: "`reviewed` is when the entry was last checked, so it cannot lie ahead. A date in the future is a slip (2062 for 2026) that would keep the entry from ever being reported as not reviewed. A date one day ahead is accepted: Swedish time runs ahead of UTC, by which infra counts days.",
                            failing: Example(hard("    reviewed: 2099-05-01")),
                            passing: Example(hard("    reviewed: {{today}}"))),
            RuleDescription(.endOfSupportSoon, .staleness, .info, title: "End of support within six months",
                            rationale: "Replacing infrastructure takes procurement time; six months' notice is the least.",
                            failing: Example(hard("    end_of_support: {{today+3m}}")),
                            passing: Example(hard("    end_of_support: 2099-12-31"))),
            RuleDescription(.endOfSupportPassed, .staleness, .warning, title: "End of support has passed",
                            rationale: "Past its end of support an item gets no security fixes.",
                            failing: Example(hard("    end_of_support: 2020-12-31")),
                            passing: Example(hard("    end_of_support: 2099-12-31"))),
        ]
    }

    public func run(_ ctx: CheckContext) -> [Finding] {
        let today = ctx.options.today
        let staleBefore = today.adding(months: -ctx.options.staleMonths)
        let soon = today.adding(months: 6)
        let tomorrow = today.nextDay
        var out: [Finding] = []
        for o in ctx.userOrganisations {
            for i in ctx.catalog.organisations[o].items {
                // Fields read in place: copying each Item (a dozen references) showed in profiles.
                guard ctx.catalog.items[i].item.status != .retired else { continue }
                if let reviewed = ctx.catalog.items[i].item.reviewed, reviewed.value < staleBefore {
                    out.append(ctx.finding(.staleReview, .warning,
                                           "`\(ctx.catalog.itemID(i))` was last reviewed \(reviewed.value), more than \(ctx.options.staleMonths) month\(ctx.options.staleMonths == 1 ? "" : "s") ago",
                                           item: i, at: reviewed.position, help: "check the entry and update `reviewed:`"))
                } else if let reviewed = ctx.catalog.items[i].item.reviewed, tomorrow < reviewed.value {
                    out.append(ctx.finding(.reviewedInFuture, .warning,
                                           "`\(ctx.catalog.itemID(i))` says it was reviewed \(reviewed.value), which is in the future",
                                           item: i, at: reviewed.position, help: "write the date the entry was last checked (today is \(today) UTC)"))
                }
                if let eos = ctx.catalog.items[i].item.endOfSupport {
                    if eos.value < today {
                        out.append(ctx.finding(.endOfSupportPassed, .warning,
                                               "support for `\(ctx.catalog.itemID(i))` ended \(eos.value)",
                                               item: i, at: eos.position, help: "replace it, and mark it `retired` once nothing uses it (it is reported while it runs, `retiring` included)"))
                    } else if eos.value < soon {
                        out.append(ctx.finding(.endOfSupportSoon, .info,
                                               "support for `\(ctx.catalog.itemID(i))` ends \(eos.value), within six months",
                                               item: i, at: eos.position, help: "plan the replacement now"))
                    }
                }
            }
        }
        return out
    }
}

/// Single points of failure: items that many services depend on.
public struct RiskCheck: Check {
    public init() {}
    public var usesGraphFacts: Bool { true }

    /// Critical services weigh this many times an ordinary one.
    public static let criticalWeight = 4

    public static func score(services: Int32, critical: Int32) -> Int {
        Int(services) + (criticalWeight - 1) * Int(critical)
    }

    public var rules: [RuleDescription] {
        var services = ""
        for n in 1...30 {
            services += "  - {id: tjanst-\(n), name: Tjänst \(n), capability: e-service, depends_on: [natet]}\n"
        }
        return [
            RuleDescription(.singlePointOfFailure, .risk, .warning, title: "Single point of failure",
                            rationale: "When one item carries many services, its failure takes them all down. The blast radius counts every service that depends on the item directly or through others, critical (samhällsviktiga) services weighing four times; above the threshold (--spof, default 25) the item is reported so that redundancy can be planned.",
                            failing: Example(Ex.org("services:\n" + services + "hard:\n  - {id: natet, name: Kommunnät, capability: wan}")),
                            passing: Example(Ex.org("services:\n" + services.split(separator: "\n").prefix(5).joined(separator: "\n") + "\nhard:\n  - {id: natet, name: Kommunnät, capability: wan}"))),
        ]
    }

    public func run(_ ctx: CheckContext) -> [Finding] {
        let facts = ctx.graphFacts
        let catalog = ctx.catalog
        var out: [Finding] = []
        for o in ctx.userOrganisations {
            for i in catalog.organisations[o].items {
                let services = facts.blast.services[i], critical = facts.blast.critical[i]
                let score = Self.score(services: services, critical: critical)
                guard score > ctx.options.spofThreshold else { continue }
                let item = catalog.items[i].item
                out.append(ctx.finding(.singlePointOfFailure, .warning,
                                       "\(services) service\(services == 1 ? " depends" : "s depend") on `\(item.id.value)`"
                                           + (critical > 0 ? " (\(critical) critical)" : "")
                                           + ", directly or not; risk score \(score) is above \(ctx.options.spofThreshold)",
                                       item: i,
                                       help: "plan redundancy for `\(item.id.value)`; `infra impact \(catalog.ref(i)) PATH…` (the paths scanned) lists what depends on it"))
            }
        }
        return out
    }
}

/// Spårvidd: a dependency between two items that use different standards of one family.
public struct GaugeCheck: Check {
    public init() {}

    public var rules: [RuleDescription] {
        let pair = { (a: String, b: String) in
            Ex.chain(services: "  - id: skolwebb\n    name: Skolwebb\n    capability: citizen-portal\n    standards: [\(a)]\n    depends_on: [skolinloggning]",
                     soft: "  - id: skolinloggning\n    name: Skolinloggning\n    capability: identity-federation\n    standards: [\(b)]\n    depends_on: [datacenter]")
        }
        return [
            RuleDescription(.gaugeBreak, .gauge, .warning, title: "Gauge break: different standards of one family",
                            rationale: "Like railways of different track gauges, two items that must work together but speak different standards of the same family (OIDC against SAML 2.0, FHIR against HL7v2) need an adapter or a migration. Items sharing at least one standard of the family are compatible.",
                            failing: Example(pair("oidc", "saml2")),
                            passing: Example(pair("oidc", "saml2, oidc"))),
        ]
    }

    public func run(_ ctx: CheckContext) -> [Finding] {
        let catalog = ctx.catalog
        let standards = ctx.vocabulary.standards
        var out: [Finding] = []
        // Per item, its known standards by family, each family's ids sorted and once: made once
        // per item, not per edge, and bounded by the vocabulary however long the item's list.
        var familiesOf: [Int: [String: [String]]] = [:]
        func families(_ i: Int) -> [String: [String]] {
            if let known = familiesOf[i] { return known }
            var grouped: [String: Set<String>] = [:]
            for id in catalog.items[i].item.standards {
                if let family = standards[id.value]?.family, !family.isEmpty { grouped[family, default: []].insert(id.value) }
            }
            let sorted = grouped.mapValues { $0.sorted() }
            familiesOf[i] = sorted
            return sorted
        }
        for o in ctx.userOrganisations {
            for i in catalog.organisations[o].items {
                guard !catalog.items[i].item.standards.isEmpty else { continue }
                let edges = Int(catalog.dependencies.start[i])..<Int(catalog.dependencies.start[i + 1])
                for e in edges {
                    let w = Int(catalog.dependencies.targets[e])
                    guard w != i, !catalog.items[w].item.standards.isEmpty else { continue }
                    let mine = families(i)
                    guard !mine.isEmpty else { break }
                    let theirs = families(w)
                    var broken: [String] = []
                    for (family, a) in mine {
                        if let b = theirs[family], Set(a).isDisjoint(with: b) {
                            broken.append("\(family): \(a.joined(separator: ", ")) against \(b.joined(separator: ", "))")
                        }
                    }
                    guard !broken.isEmpty else { continue }
                    out.append(ctx.finding(.gaugeBreak, .warning,
                                           "`\(catalog.items[i].item.id.value)` depends on `\(catalog.ref(w))` but they share no standard of "
                                               + broken.sorted().joined(separator: "; "),
                                           item: i, at: catalog.edgePositions[e], related: [catalog.ref(i), catalog.ref(w)],
                                           help: "agree on one standard of the family, or record the adapter between them as an item"))
                }
            }
        }
        return out
    }
}
