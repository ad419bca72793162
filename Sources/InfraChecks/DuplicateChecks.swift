import InfraGraph
import InfraModel

/// What is built more than once: inside one organisation, across organisations,
/// and beside a national shared component.
public struct DuplicateCheck: Check {
    public init() {}

    /// Organisations needed before a product counts as run "by several".
    public static let minimumOrganisations = 2

    /// Capabilities where a national component is meant to be used instead of one's own.
    /// Identity federations, integration platforms and the like are legitimately local too.
    public static let nationallyProvided: Set<String> = [
        "eid-citizen", "eid-staff", "digital-mailbox", "secure-messaging",
        "patient-portal", "health-information-exchange",
    ]

    public var rules: [RuleDescription] {
        let lifecare = { (id: String, vendor: String) in
            Ex.org("services:\n  - id: omsorg\n    name: Verksamhetssystem\n    capability: social-care-records\n    product: Lifecare\n    vendor: \(vendor)\n    depends_on: [dc]\nhard:\n  - id: dc\n    name: Datacenter\n    capability: datacenter", id: id)
        }
        return [
            RuleDescription(.duplicateUnique, .duplicates, .warning, title: "Two active items of a one-per-organisation capability",
                            rationale: "Some capabilities (e-archive, e-signature, school platform …) an organisation normally runs once. Two active ones are either a migration in progress (mark one retiring) or duplicated spending.",
                            failing: Example(Ex.chain(soft: "  - id: arkiv-1\n    name: E-arkiv\n    capability: e-archive\n    depends_on: [datacenter]\n  - id: arkiv-2\n    name: Nytt e-arkiv\n    capability: e-archive\n    depends_on: [datacenter]")),
                            passing: Example(Ex.chain(soft: "  - id: arkiv-1\n    name: E-arkiv\n    capability: e-archive\n    status: retiring\n    depends_on: [datacenter]\n  - id: arkiv-2\n    name: Nytt e-arkiv\n    capability: e-archive\n    depends_on: [datacenter]"))),
            RuleDescription(.sharedProduct, .duplicates, .info, title: "Same product run separately by several organisations",
                            rationale: "When many organisations each run their own copy of the same product for the same capability, a shared installation (a kommunalförbund, the region, a joint procurement) may serve them at lower cost. Product and vendor names are compared without case, punctuation or suffixes such as AB.",
                            failing: Example(files: [("a.yaml", lifecare("kommun-a", "Tietoevry AB")), ("b.yaml", lifecare("kommun-b", "TietoEVRY"))]),
                            passing: Example(files: [("a.yaml", lifecare("kommun-a", "Tietoevry AB"))])),
            RuleDescription(.nationalAlternative, .duplicates, .info, title: "Own implementation where a national component exists",
                            rationale: "National shared components (SITHS, Mina meddelanden, SDK, HSA …) exist so that each organisation need not build its own. An own item of the same capability that does not use the national one is worth a second look.",
                            failing: Example(Ex.chain(soft: "  - id: egen-post\n    name: Egen digital brevlåda\n    capability: digital-mailbox\n    depends_on: [datacenter]")),
                            passing: Example(Ex.chain(soft: "  - id: digital-post\n    name: Digital post\n    capability: digital-mailbox\n    depends_on: [digg/mina-meddelanden, datacenter]"))),
        ]
    }

    public func run(_ ctx: CheckContext) -> [Finding] {
        let catalog = ctx.catalog
        var out: [Finding] = []
        let users = ctx.userOrganisations

        // Unique capabilities run twice in one organisation.
        for o in users {
            var byCapability: [String: [Int]] = [:]
            for i in catalog.organisations[o].items {
                let item = catalog.items[i].item
                guard item.status == .active, let cap = item.capability?.value,
                      ctx.vocabulary.capabilities[cap]?.unique == true else { continue }
                byCapability[cap, default: []].append(i)
            }
            for (cap, items) in byCapability.sorted(by: { $0.key < $1.key }) where items.count > 1 {
                out.append(ctx.finding(.duplicateUnique, .warning,
                                       "\(items.count) active items of `\(cap)`, which an organisation normally runs once: "
                                           + items.map { "`\(catalog.items[$0].item.id.value)`" }.joined(separator: ", "),
                                       item: items[1], related: items.map { catalog.ref($0) },
                                       help: "mark the one being replaced `status: retiring`, or merge them"))
            }
        }

        // The same product across organisations: group by capability + normalised product.
        struct Group { var items: [Int] = []; var organisations = Set<Int32>(); var vendors: [String: Int] = [:]; var product = "" }
        var groups: [String: Group] = [:]
        for o in users {
            for i in catalog.organisations[o].items {
                let item = catalog.items[i].item
                guard item.status.isRunning, let product = item.product?.value, let cap = item.capability?.value else { continue }
                let key = cap + "\u{0}" + Self.normalise(product)
                var g = groups[key] ?? Group()
                if g.items.isEmpty { g.product = product }
                g.items.append(i)
                g.organisations.insert(Int32(o))
                if let vendor = item.vendor { g.vendors[vendor, default: 0] += 1 }
                groups[key] = g
            }
        }
        for (_, g) in groups.sorted(by: { $0.key < $1.key }) where g.organisations.count >= Self.minimumOrganisations {
            var counties = Set<String>()
            for o in g.organisations {
                if let county = county(of: Int(o), ctx) { counties.insert(county) }
            }
            let first = g.items[0]
            let cap = catalog.items[first].item.capability?.value ?? ""
            let vendor = g.vendors.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
            let where_ = counties.isEmpty ? "" : " in " + (counties.count == 1 ? "county " : "counties ") + counties.sorted().joined(separator: ", ")
            out.append(ctx.finding(.sharedProduct, .info,
                                   "\(g.product)\(vendor.map { " (\($0))" } ?? "") is run separately for `\(cap)` by \(g.organisations.count) organisations\(where_)",
                                   item: first, related: g.items.map { catalog.ref($0) },
                                   help: "consider a shared installation or joint procurement (kommunalförbund, region, national)"))
        }

        // Own implementations of a capability a national component provides.
        var national: [String: String] = [:]
        for org in catalog.organisations where org.isNational {
            for i in org.items {
                let item = catalog.items[i].item
                if item.status.isRunning, let cap = item.capability?.value, Self.nationallyProvided.contains(cap), national[cap] == nil {
                    national[cap] = catalog.ref(i)
                }
            }
        }
        for o in users {
            for i in catalog.organisations[o].items {
                let item = catalog.items[i].item
                guard item.status.isRunning, let cap = item.capability?.value, let component = national[cap] else { continue }
                // Using a national component of the same capability is not building one's own.
                let usesShared = catalog.dependencies.neighbours(i).contains { w in
                    let dep = catalog.items[Int(w)]
                    return Int(dep.organisation) != o && dep.item.capability?.value == cap
                }
                if !usesShared {
                    out.append(ctx.finding(.nationalAlternative, .info,
                                           "`\(item.id.value)` is an own `\(cap)`; the national component `\(component)` provides it",
                                           item: i, related: [component],
                                           help: "if it wraps the national component, add `\(component)` to depends_on; otherwise consider moving to it"))
                }
            }
        }
        return out
    }

    func county(of o: Int, _ ctx: CheckContext) -> String? {
        let h = ctx.catalog.organisations[o].header
        if let county = h.county?.value { return county }
        guard let code = h.code?.value else { return nil }
        switch h.type?.value {
        case .kommun: return ctx.sweden.municipalityByCode[code]?.countyCode
        case .region: return code
        default: return nil
        }
    }

    /// "Lifecare AB", "LIFECARE", " Life-care " → "lifecare": case, punctuation,
    /// whitespace and company suffixes do not make a different product.
    public static func normalise(_ name: String) -> String {
        var words: [String] = []
        var current = ""
        for ch in name.lowercased() {
            if ch.isLetter || ch.isNumber {
                current.append(ch)
            } else if ch.isWhitespace, !current.isEmpty {
                words.append(current)
                current = ""
            }
            // Punctuation (- . , & ') joins: "Life-care" and "Lifecare" are one.
        }
        if !current.isEmpty { words.append(current) }
        let suffixes: Set<String> = ["ab", "aktiebolag", "publ", "inc", "ltd", "llc", "gmbh", "oy", "oyj", "as", "asa", "a/s", "sverige", "sweden", "nordic"]
        while words.count > 1, let last = words.last, suffixes.contains(last) { words.removeLast() }
        return words.joined()
    }
}
