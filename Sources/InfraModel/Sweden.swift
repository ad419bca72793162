/// A municipality from SCB's list (inventory/sweden/municipalities.csv).
public struct Municipality: Sendable, Hashable {
    public var code: String          // kommunkod, 4 digits
    public var name: String
    public var countyCode: String    // länskod, 2 digits
    public var countyName: String
    public var population: Int
    public var orgNumber: String?

    public init(code: String, name: String, countyCode: String, countyName: String, population: Int, orgNumber: String?) {
        self.code = code
        self.name = name
        self.countyCode = countyCode
        self.countyName = countyName
        self.population = population
        self.orgNumber = orgNumber
    }

    /// The name the municipality goes by as an organisation, as the Swedish genitive makes
    /// it: "Sundsvalls kommun", "Uppsala kommun", "Borås kommun", "Falu kommun". SCB's list
    /// gives only the place ("Sundsvall"). The rule (an s after a final consonant other than
    /// s, x or z) and the one exception (Falun) give all 57 names of the municipalities in
    /// Sweden's data portal (reference/real/dataportal_kommuner_orgnumbers.csv).
    public var officialName: String {
        if name == "Falun" { return "Falu kommun" }
        guard let last = name.lowercased().last, !"sxzaeiouyåäö".contains(last) else { return name + " kommun" }
        return name + "s kommun"
    }
}

/// A region (county council) from inventory/sweden/regions.csv.
public struct Region: Sendable, Hashable {
    public var countyCode: String
    public var countyName: String
    public var name: String

    public init(countyCode: String, countyName: String, name: String) {
        self.countyCode = countyCode
        self.countyName = countyName
        self.name = name
    }
}

/// Sweden's municipalities and regions, the denominator of every coverage figure.
public struct Sweden: Sendable {
    public var municipalities: [Municipality]
    public var regions: [Region]
    /// The date the population figures refer to, e.g. "2024-12-31" (SCB).
    public var populationDate: String
    public let municipalityByCode: [String: Municipality]
    public let regionByCode: [String: Region]
    /// Each municipality's name and official name in lower case, in `municipalities` order:
    /// for finding the kommun a header's name names without lowering 580 names each time.
    public let lowercasedMunicipalityNames: [(name: String, officialName: String)]

    public init(municipalities: [Municipality], regions: [Region], populationDate: String) {
        self.municipalities = municipalities
        self.regions = regions
        self.populationDate = populationDate
        self.municipalityByCode = Dictionary(municipalities.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        self.regionByCode = Dictionary(regions.map { ($0.countyCode, $0) }, uniquingKeysWith: { a, _ in a })
        self.lowercasedMunicipalityNames = municipalities.map { ($0.name.lowercased(), $0.officialName.lowercased()) }
    }

    /// Population of a county: the sum of its municipalities.
    public func population(ofCounty code: String) -> Int {
        municipalities.lazy.filter { $0.countyCode == code }.reduce(0) { $0 + $1.population }
    }

    public var totalPopulation: Int { municipalities.reduce(0) { $0 + $1.population } }

    /// Region Gotland is Gotlands kommun acting with a region's responsibilities: where no
    /// region 09 inventory is scanned, kommun 0980's stands for both (coverage, `--country`,
    /// the baseline, the county picture).
    public static let gotlandKommun = "0980", gotlandRegion = "09"
}
