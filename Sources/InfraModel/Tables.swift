/// The measured overview at the top of `infra scan`'s report: plain numbers and
/// names, computed by the pipeline, printed by the renderers.
public struct ScanOverview: Sendable {
    public struct BaselineGap: Sendable {
        public var organisation: String
        public var name: String
        public var missing: [String]
        public init(organisation: String, name: String, missing: [String]) {
            self.organisation = organisation
            self.name = name
            self.missing = missing
        }
    }

    public struct Hotspot: Sendable {
        public var ref: String
        public var name: String
        public var layer: Layer
        public var services: Int
        public var critical: Int
        public var score: Int
        public init(ref: String, name: String, layer: Layer, services: Int, critical: Int, score: Int) {
            self.ref = ref
            self.name = name
            self.layer = layer
            self.services = services
            self.critical = critical
            self.score = score
        }
    }

    public var organisations = 0
    public var itemsPerLayer: [Layer: Int] = [:]
    public var dependencies = 0
    public var crossOrganisationDependencies = 0
    public var baselineGaps: [BaselineGap] = []
    /// Items with the largest blast radius, largest first (whether or not above the threshold).
    public var hotspots: [Hotspot] = []
    /// The risk score above which an item is a single point of failure (`--spof`).
    public var spofThreshold = 25
    public var consolidation: [Finding] = []
    public var gaugeBreaks: [Finding] = []
    /// Set when the report is narrowed to one organisation (`--org`).
    public var focus: String?

    public init() {}
}

/// Coverage of capabilities and standards per organisation type (and county):
/// counts against the inventoried organisations and against all of Sweden.
public struct CoverageTable: Sendable {
    public struct Cell: Sendable, Hashable {
        public var covered: Int
        public var inventoried: Int
        /// All organisations of the type in Sweden (290 kommuner, 21 regioner); nil for other types.
        public var total: Int?
        public var populationCovered: Int?
        public var populationTotal: Int?
        public init(covered: Int, inventoried: Int, total: Int?, populationCovered: Int?, populationTotal: Int?) {
            self.covered = covered
            self.inventoried = inventoried
            self.total = total
            self.populationCovered = populationCovered
            self.populationTotal = populationTotal
        }
    }

    public struct Row: Sendable {
        /// A capability id, or a standard id when `isStandard`.
        public var term: String
        public var isStandard: Bool
        public var name: String
        public var layer: Layer?
        public var byType: [(type: OrganisationType, cell: Cell)]
        /// Filled with `--by county`: county code → kommun cell.
        public var byCounty: [(county: String, cell: Cell)]
        public init(term: String, isStandard: Bool, name: String, layer: Layer?,
                    byType: [(type: OrganisationType, cell: Cell)], byCounty: [(county: String, cell: Cell)]) {
            self.term = term
            self.isStandard = isStandard
            self.name = name
            self.layer = layer
            self.byType = byType
            self.byCounty = byCounty
        }
    }

    /// Per organisation type: (inventoried, total in Sweden).
    public var organisations: [(type: OrganisationType, inventoried: Int, total: Int?)] = []
    public var rows: [Row] = []
    public var countyNames: [String: String] = [:]
    /// The date population figures refer to (SCB), printed beside every population share.
    public var populationDate: String = ""

    public init() {}
}

/// The resolved model as analysts get it from `infra export`: every reference
/// written out as `org/item`.
public struct ExportedOrganisation: Sendable {
    public var id: String
    public var name: String
    public var type: String?
    public var code: String?
    public var county: String?
    public var orgNumber: String?
    public var parent: String?
    public var members: [String]
    public var national: Bool
    public var files: [String]
    public var items: [ExportedItem]
    /// The header's `x-` keys, by key (the format keeps them; no analysis reads them).
    public var extensions: [(key: String, value: String)] = []

    public init(id: String, name: String, type: String?, code: String?, county: String?, orgNumber: String?,
                parent: String?, members: [String], national: Bool, files: [String], items: [ExportedItem]) {
        self.id = id
        self.name = name
        self.type = type
        self.code = code
        self.county = county
        self.orgNumber = orgNumber
        self.parent = parent
        self.members = members
        self.national = national
        self.files = files
        self.items = items
    }
}

public struct ExportedItem: Sendable {
    public var id: String
    public var layer: Layer
    public var name: String
    public var capability: String?
    public var status: ItemStatus
    public var endOfSupport: String?
    public var product: String?
    public var vendor: String?
    public var standards: [String]
    public var critical: Bool
    public var dependsOn: [String]
    public var coverage: [(key: String, share: Double)]
    public var reviewed: String?
    public var sensitivity: Sensitivity
    public var tags: [String]
    public var notes: String?
    public var file: String
    public var line: Int
    /// The item's `x-` keys, by key; left out of a masked restricted item.
    public var extensions: [(key: String, value: String)] = []

    public init(id: String, layer: Layer, name: String, capability: String?, status: ItemStatus, endOfSupport: String?,
                product: String?, vendor: String?, standards: [String], critical: Bool, dependsOn: [String],
                coverage: [(key: String, share: Double)], reviewed: String?, sensitivity: Sensitivity, tags: [String],
                notes: String?, file: String, line: Int) {
        self.id = id
        self.layer = layer
        self.name = name
        self.capability = capability
        self.status = status
        self.endOfSupport = endOfSupport
        self.product = product
        self.vendor = vendor
        self.standards = standards
        self.critical = critical
        self.dependsOn = dependsOn
        self.coverage = coverage
        self.reviewed = reviewed
        self.sensitivity = sensitivity
        self.tags = tags
        self.notes = notes
        self.file = file
        self.line = line
    }
}
