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
    /// Items with the largest blast radius, largest first.
    public var hotspots: [Hotspot] = []
    public var consolidation: [Finding] = []
    public var gaugeBreaks: [Finding] = []
    /// Set when the report is narrowed to one organisation (`--org`).
    public var focus: String?

    public init() {}
}
