/// The three layers of the shared digital infrastructure for welfare, top to bottom.
public enum Layer: String, CaseIterable, Sendable, Comparable, Codable {
    case services   // smart välfärd
    case soft       // mjuk infrastruktur
    case hard       // hård infrastruktur

    /// 0 for services, 2 for hard: a dependency should never go to a smaller rank.
    public var rank: Int {
        switch self {
        case .services: 0
        case .soft: 1
        case .hard: 2
        }
    }

    public var title: String {
        switch self {
        case .services: "Services (smart välfärd)"
        case .soft: "Soft infrastructure (mjuk infrastruktur)"
        case .hard: "Hard infrastructure (hård infrastruktur)"
        }
    }

    public static func < (a: Layer, b: Layer) -> Bool { a.rank < b.rank }
}

public enum OrganisationType: String, CaseIterable, Sendable, Codable {
    case kommun, region, myndighet, bolag, forbund, annan
}

public enum ItemStatus: String, CaseIterable, Sendable, Codable {
    case planned, active, retiring, retired

    /// Retiring items still run and still provide their capability.
    public var isRunning: Bool { self == .active || self == .retiring }
}

public enum Sensitivity: String, CaseIterable, Sendable, Codable {
    case `public`, `internal`, restricted
}

/// A term of the capability vocabulary (inventory/capabilities.yaml).
public struct Capability: Sendable, Hashable {
    public var id: String
    public var layer: Layer
    public var unique: Bool
    public var swedishName: String
    public var englishName: String
    public var description: String

    public init(id: String, layer: Layer, unique: Bool, swedishName: String, englishName: String, description: String) {
        self.id = id
        self.layer = layer
        self.unique = unique
        self.swedishName = swedishName
        self.englishName = englishName
        self.description = description
    }
}

/// A term of the standards vocabulary (inventory/standards.yaml). Standards of one
/// family are alternatives: two parties using different ones do not interoperate.
public struct Standard: Sendable, Hashable {
    public var id: String
    public var family: String
    public var name: String
    public var description: String

    public init(id: String, family: String, name: String, description: String) {
        self.id = id
        self.family = family
        self.name = name
        self.description = description
    }
}

/// Which capabilities each organisation type is expected to have.
public struct Baseline: Sendable, Hashable {
    public var expected: [OrganisationType: [String]]
    public init(expected: [OrganisationType: [String]]) { self.expected = expected }

    /// The capabilities expected of an organisation of `type` with `code`, in baseline order.
    /// Gotland's kommun is also its region (coverage counts it so): unless `regionScanned`
    /// (a region 09 inventory is there), it has the region's baseline too.
    public func expected(of type: OrganisationType, code: String?, regionScanned: Bool = false) -> [String] {
        var list = expected[type] ?? []
        if type == .kommun, code == Sweden.gotlandKommun, !regionScanned {
            for id in expected[.region] ?? [] where !list.contains(id) { list.append(id) }
        }
        return list
    }
}

/// Everything the checks know besides the inventories themselves.
public struct Vocabulary: Sendable {
    public var capabilities: [String: Capability]
    public var standards: [String: Standard]
    public var baseline: Baseline

    public init(capabilities: [Capability], standards: [Standard], baseline: Baseline) {
        self.capabilities = Dictionary(capabilities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.standards = Dictionary(standards.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.baseline = baseline
    }
}
