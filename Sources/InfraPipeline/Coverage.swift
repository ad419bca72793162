import InfraChecks
import InfraGraph
import InfraModel

extension PipelineResult {
    /// The measure stage for `infra coverage`. An organisation has a capability (or a
    /// standard) when one of its running items provides it, or one of its running items
    /// directly depends on another organisation's running item that does — the baseline's
    /// rule. Municipalities and regions without an inventory count as not covered.
    public func coverage(byCounty: Bool) -> CoverageTable {
        let sweden = context.sweden
        let vocabulary = context.vocabulary
        var table = CoverageTable()
        table.populationDate = sweden.populationDate
        for m in sweden.municipalities { table.countyNames[m.countyCode] = m.countyName }

        let users = catalog.organisations.indices.filter { !catalog.organisations[$0].isNational }
        var capabilitiesOf: [Int: Set<String>] = [:]
        var standardsOf: [Int: UInt64] = [:]
        let standardBit = Self.standardBits(vocabulary)
        let itemStandards = standardsOfItems(standardBit)
        for o in users {
            capabilitiesOf[o] = GapCheck.capabilities(of: o, catalog)
            standardsOf[o] = standards(of: o, itemStandards)
        }

        // Which kommunkod / länskod each inventoried organisation stands for.
        func code(_ o: Int) -> String? { catalog.organisations[o].header.code?.value }
        let types = OrganisationType.allCases.filter { t in users.contains { catalog.organisations[$0].type == t } || t == .kommun || t == .region }
        func total(_ t: OrganisationType) -> Int? {
            switch t {
            case .kommun: sweden.municipalities.count
            case .region: sweden.regions.count
            default: nil
            }
        }
        func members(_ t: OrganisationType) -> [Int] { users.filter { catalog.organisations[$0].type == t } }

        // Gotland's kommun acts as its region: with no region 09 inventory, it stands in.
        var regionOrgs = members(.region)
        if !regionOrgs.contains(where: { code($0) == Sweden.gotlandRegion }),
           let gotland = members(.kommun).first(where: { code($0) == Sweden.gotlandKommun }) {
            regionOrgs.append(gotland)
        }
        func orgs(_ t: OrganisationType) -> [Int] { t == .region ? regionOrgs : members(t) }
        table.organisations = types.map { ($0, orgs($0).count, total($0)) }
        /// The kommunkod or länskod an organisation counts as, for type `t`.
        func area(_ o: Int, as t: OrganisationType) -> String? {
            guard let c = code(o) else { return nil }
            switch t {
            case .kommun: return sweden.municipalityByCode[c] != nil ? c : nil
            case .region: return c == Sweden.gotlandKommun ? Sweden.gotlandRegion : (sweden.regionByCode[c] != nil ? c : nil)
            default: return nil
            }
        }
        func population(ofArea a: String, as t: OrganisationType) -> Int {
            t == .kommun ? sweden.municipalityByCode[a]?.population ?? 0 : sweden.population(ofCounty: a)
        }

        func cell(_ t: OrganisationType, _ orgs: [Int], has: (Int) -> Bool, total: Int?, populationTotal: Int?) -> CoverageTable.Cell {
            var areas = Set<String>(), others = 0
            for o in orgs where has(o) {
                // Each kommunkod/länskod counts once, even if two inventories claim it.
                if let a = area(o, as: t) { areas.insert(a) } else { others += 1 }
            }
            let population = areas.reduce(0) { $0 + population(ofArea: $1, as: t) }
            return CoverageTable.Cell(covered: areas.count + others, inventoried: orgs.count, total: total,
                                      populationCovered: populationTotal == nil ? nil : population,
                                      populationTotal: populationTotal)
        }
        let swedenPopulation = sweden.totalPopulation

        func row(term: String, isStandard: Bool, name: String, layer: Layer?, has: @escaping (Int) -> Bool) -> CoverageTable.Row {
            let byType = types.map { t -> (type: OrganisationType, cell: CoverageTable.Cell) in
                let populationTotal: Int? = (t == .kommun || t == .region) ? swedenPopulation : nil
                return (t, cell(t, orgs(t), has: has, total: total(t), populationTotal: populationTotal))
            }
            var byCountyCells: [(county: String, cell: CoverageTable.Cell)] = []
            if byCounty {
                let kommuner = members(.kommun)
                for county in table.countyNames.keys.sorted() {
                    let inCounty = kommuner.filter { o in code(o).flatMap { sweden.municipalityByCode[$0]?.countyCode } == county }
                    let totalInCounty = sweden.municipalities.filter { $0.countyCode == county }.count
                    byCountyCells.append((county, cell(.kommun, inCounty, has: has, total: totalInCounty,
                                                       populationTotal: sweden.population(ofCounty: county))))
                }
            }
            return CoverageTable.Row(term: term, isStandard: isStandard, name: name, layer: layer,
                                     byType: byType, byCounty: byCountyCells)
        }

        let capabilities = vocabulary.capabilities.values.sorted { ($0.layer.rank, $0.id) < ($1.layer.rank, $1.id) }
        for c in capabilities {
            table.rows.append(row(term: c.id, isStandard: false, name: c.swedishName, layer: c.layer,
                                  has: { capabilitiesOf[$0]?.contains(c.id) == true }))
        }
        for s in vocabulary.standards.values.sorted(by: { ($0.family, $0.id) < ($1.family, $1.id) }) {
            table.rows.append(row(term: s.id, isStandard: true, name: s.name, layer: nil,
                                  has: { (standardsOf[$0] ?? 0) & (standardBit[s.id] ?? 0) != 0 }))
        }
        return table
    }

    /// A bit for each standard of the vocabulary (it has 19; a test holds it to 64).
    static func standardBits(_ vocabulary: Vocabulary) -> [String: UInt64] {
        Dictionary(uniqueKeysWithValues: vocabulary.standards.keys.sorted().prefix(64).enumerated().map { ($1, UInt64(1) << UInt64($0)) })
    }

    /// Each running item's standards as bits, read once (not once per dependency on it).
    func standardsOfItems(_ bit: [String: UInt64]) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: catalog.items.count)
        for i in catalog.items.indices where catalog.items[i].item.status.isRunning {
            for s in catalog.items[i].item.standards { bits[i] |= bit[s.value] ?? 0 }
        }
        return bits
    }

    /// Standards an organisation has, by the capabilities' rule: declared on one of its
    /// running items, or on another organisation's running item one of them depends on
    /// directly (a kommun's e-archive at a förbund that writes FGS packages).
    func standards(of o: Int, _ itemStandards: [UInt64]) -> UInt64 {
        var have: UInt64 = 0
        catalog.forEachProvided(by: o) { have |= itemStandards[$0] }
        return have
    }
}
