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
                            rationale: "When many organisations each run their own copy of the same product for the same capability, a shared installation (a kommunalförbund, the region, a joint procurement) may serve them at lower cost. Product names are compared without case, punctuation or suffixes such as AB; the vendor is shown (the one most of them name) but not compared, as it is often left out or written differently.",
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
        let unique = catalog.capabilityIDs.map { ctx.vocabulary.capabilities[$0]?.unique == true }
        for o in users {
            var byCapability: [Int32: [Int]] = [:]
            for i in catalog.organisations[o].items {
                let code = catalog.capabilityIndex[i]
                guard code >= 0, unique[Int(code)], catalog.items[i].item.status == .active else { continue }
                byCapability[code, default: []].append(i)
            }
            for (code, items) in byCapability.sorted(by: { $0.key < $1.key }) where items.count > 1 {
                let cap = catalog.capabilityIDs[Int(code)]
                out.append(ctx.finding(.duplicateUnique, .warning,
                                       "\(items.count) active items of `\(cap)`, which an organisation normally runs once: "
                                           + items.map { "`\(catalog.items[$0].item.id.value)`" }.joinedShort(),
                                       item: items[1], related: items.map { catalog.ref($0) },
                                       help: "mark the one being replaced `status: retiring`, or merge them"))
            }
        }

        // The same product across organisations: group by capability + normalised product.
        // Kept small: most (capability, product) pairs occur in one organisation only.
        // Organisations are visited one after another, so counting changes of `lastOrganisation`
        // counts distinct organisations without a set.
        struct Group { var items: [Int] = []; var organisations = 0; var lastOrganisation = -1; var product = "" }
        struct GroupKey: Hashable { var capability: Int32; var product: Int32 }
        var groups: [Group] = []
        var groupOf: [GroupKey: Int] = [:]
        // Product names recur thousands of times: normalise each distinct spelling once,
        // and number the normalised names so groups are keyed by two integers.
        var productCode: [String: Int32] = [:]
        var normalisedCode: [String: Int32] = [:]
        // Sized up front: growing a table of tens of thousands of names rehashes them all.
        let expected = max(4096, catalog.items.count / 4)
        productCode.reserveCapacity(expected)
        normalisedCode.reserveCapacity(expected)
        groupOf.reserveCapacity(expected)
        // A national provider the user's files added to is not one more organisation running
        // its own copy (Navet at Skatteverket and a kommun's use of it).
        for o in users where !catalog.organisations[o].joinsBuiltIn {
            for i in catalog.organisations[o].items {
                let capability = catalog.capabilityIndex[i]
                // A restricted item's product is withheld wherever its data is shared (exports,
                // snapshots, findings): grouped with others, it could be read from theirs.
                guard capability >= 0, let product = catalog.items[i].item.product?.value,
                      catalog.items[i].item.status.isRunning, catalog.items[i].item.sensitivity != .restricted else { continue }
                let code: Int32
                if let known = productCode[product] { code = known } else {
                    let name = Self.normalise(product)
                    // Nothing left of it (`-`, `?`): no product to share.
                    code = name.isEmpty ? -1 : normalisedCode[name] ?? Int32(normalisedCode.count)
                    if code >= 0 { normalisedCode[name] = code }
                    productCode[product] = code
                }
                guard code >= 0 else { continue }
                let key = GroupKey(capability: capability, product: code)
                let g: Int
                if let known = groupOf[key] { g = known } else {
                    g = groups.count
                    groupOf[key] = g
                    groups.append(Group(product: product))
                }
                groups[g].items.append(i)
                if groups[g].lastOrganisation != o {
                    groups[g].lastOrganisation = o
                    groups[g].organisations += 1
                }
            }
        }
        let shared = groups.filter { $0.organisations >= Self.minimumOrganisations }
        for g in shared.sorted(by: { ($0.product, $0.items[0]) < ($1.product, $1.items[0]) }) {
            var counties = Set<String>()
            var vendors: [String: Int] = [:]
            for i in g.items {
                if let county = county(of: Int(catalog.items[i].organisation), ctx) { counties.insert(county) }
                if let vendor = catalog.items[i].item.vendor { vendors[vendor, default: 0] += 1 }
            }
            let first = g.items[0]
            let cap = catalog.items[first].item.capability?.value ?? ""
            let vendor = vendors.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
            let where_ = counties.isEmpty ? "" : " in " + (counties.count == 1 ? "county " : "counties ") + counties.sorted().joined(separator: ", ")
            let what = g.product + (vendor.map { " (\($0))" } ?? "")
            out.append(ctx.finding(.sharedProduct, .info,
                                   "\(what) is run separately for `\(cap)` by \(g.organisations) organisations\(where_)",
                                   item: first, related: g.items.map { catalog.ref($0) },
                                   help: "consider a shared installation or joint procurement (kommunalförbund, region, national)"))
        }

        // Own implementations of a capability a national component provides.
        // Every national component of each capability (staff e-ID: SITHS and EFOS), all named.
        var national: [Int32: [String]] = [:]
        for org in catalog.organisations where org.isNational {
            for i in org.items where catalog.items[i].item.status.isRunning && catalog.capabilityIndex[i] >= 0 {
                let code = catalog.capabilityIndex[i]
                if Self.nationallyProvided.contains(catalog.capabilityIDs[Int(code)]) {
                    national[code, default: []].append(catalog.ref(i))
                }
            }
        }
        for o in users where !national.isEmpty {
            for i in catalog.organisations[o].items {
                let code = catalog.capabilityIndex[i]
                guard code >= 0, let components = national[code], catalog.items[i].item.status.isRunning else { continue }
                let item = catalog.items[i].item
                let cap = catalog.capabilityIDs[Int(code)]
                // Using a national component of the same capability is not building one's own.
                let usesShared = catalog.dependencies.neighbours(i).contains { w in
                    catalog.capabilityIndex[Int(w)] == code && Int(catalog.items[Int(w)].organisation) != o
                }
                if !usesShared {
                    out.append(ctx.finding(.nationalAlternative, .info,
                                           "`\(item.id.value)` is an own `\(cap)`; "
                                               + (components.count == 1 ? "the national component `\(components[0])` provides it"
                                                  : "national components provide it: " + components.map { "`\($0)`" }.joined(separator: ", ")),
                                           item: i, related: components,
                                           help: components.count == 1
                                               ? "if it wraps the national component, add `\(components[0])` to depends_on; otherwise consider moving to it"
                                               : "if it wraps one of them, add that one to depends_on; otherwise consider moving to one"))
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
    static let companySuffixes: Set<String> = [
        "ab", "aktiebolag", "publ", "inc", "ltd", "llc", "gmbh", "oy", "oyj", "as", "asa", "sverige", "sweden", "nordic",
    ]

    /// `companySuffixes` as UTF-8, compared with the last word's bytes as they are.
    static let companySuffixBytes: [[UInt8]] = companySuffixes.map { Array($0.utf8) }

    public static func normalise(_ name: String) -> String {
        // Built as UTF-8 bytes, with Unicode properties looked up only for non-ASCII
        // letters: this runs once per distinct product spelling of the whole country
        // (tens of thousands when every kommun names its own installation). Names in
        // ASCII and Latin-1 (Swedish: å ä ö é) are read from their bytes directly.
        var words = name.utf8.withContiguousStorageIfAvailable { utf8 -> NormalisedWords? in
            var words = NormalisedWords(capacity: utf8.count)
            var k = 0
            while k < utf8.count {
                let v = utf8[k]
                if v < 0x80 {
                    words.ascii(v)
                    k += 1
                } else if v == 0xC3, k + 1 < utf8.count, utf8[k + 1] & 0xC0 == 0x80 {
                    // U+00C0…U+00FF, two bytes.
                    words.latin1(Unicode.Scalar(0xC0 | (utf8[k + 1] & 0x3F)))
                    k += 2
                } else {
                    return nil  // anything else: decoded as Unicode scalars below
                }
            }
            return words
        } ?? nil
        if words == nil {
            var all = NormalisedWords(capacity: name.utf8.count)
            for scalar in name.unicodeScalars { all.scalar(scalar) }
            words = all
        }
        var result = words!
        while result.starts.count > 1, let last = result.starts.last,
              companySuffixBytes.contains(where: { result.bytes[last...].elementsEqual($0) }) {
            result.bytes.removeSubrange(last...)
            result.starts.removeLast()
        }
        return String(decoding: result.bytes, as: UTF8.self)
    }
}

/// A name being normalised: its lowercased letters and digits, and where each word starts.
struct NormalisedWords {
    var bytes: [UInt8] = []
    var starts: [Int] = []
    var inWord = false

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func startWord() {
        if !inWord {
            starts.append(bytes.count)
            inWord = true
        }
    }

    mutating func ascii(_ v: UInt8) {
        if v >= 65 && v <= 90 {
            startWord()
            bytes.append(v + 32)
        } else if (v >= 97 && v <= 122) || (v >= 48 && v <= 57) {
            startWord()
            bytes.append(v)
        } else if v == 32 || v == 9 {
            inWord = false
        }
        // Other punctuation (- . , & ') joins: "Life-care" and "Lifecare" are one.
    }

    /// U+00C0…U+00FF: Latin-1 letters (å ä ö é ü …) lowercased directly, Unicode's tables
    /// are slow; × and ÷ are not letters.
    mutating func latin1(_ scalar: Unicode.Scalar) {
        guard scalar.value != 0xD7 && scalar.value != 0xF7 else { return }
        startWord()
        let lower = scalar.value <= 0xDE && scalar.value != 0xDF ? scalar.value + 0x20 : scalar.value
        bytes.append(0xC0 | UInt8(lower >> 6))  // two-byte UTF-8
        bytes.append(0x80 | UInt8(lower & 0x3F))
    }

    mutating func scalar(_ scalar: Unicode.Scalar) {
        if scalar.isASCII {
            ascii(UInt8(scalar.value))
        } else if scalar.value >= 0xC0 && scalar.value <= 0xFF {
            latin1(scalar)
        } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
            startWord()
            bytes.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
        } else if scalar.properties.isWhitespace {
            inWord = false
        }
    }
}
