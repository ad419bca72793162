import Foundation
import InfraDraw
import InfraGraph
import InfraLoad
import InfraModel

/// Small inventories with everything a picture marks: two municipalities and a national
/// component, an upward dependency, a cycle, planned and retired items, an ungrounded
/// item, critical services, Swedish letters and characters that need escaping.
enum Fixture {
    static let national = """
    inventory: 1
    organisation: {id: inera, name: Inera AB, type: bolag}
    soft:
      - {id: siths, name: SITHS e-tjänstekort, capability: eid-staff, depends_on: [drift], critical: true}
    hard:
      - {id: drift, name: Drift av Ineras tjänster, capability: datacenter}
    """

    static let sundsvall = """
    inventory: 1
    organisation: {id: sundsvall, name: Sundsvalls kommun, type: kommun, code: "2281"}
    services:
      - id: omsorg
        name: Verksamhetssystem för omsorg
        capability: social-care-records
        critical: true
        depends_on: [e-arkiv, inera/siths, serverhall]
      - id: webb
        name: 'Webb "Mina sidor" & <tjänster> #1 \\ åäö'
        capability: citizen-portal
        depends_on: [serverhall]
      - id: bygglov
        name: Ansökan om bygglov
        capability: e-service
        status: planned
        depends_on: [omsorg]
    soft:
      - {id: e-arkiv, name: E-arkiv, capability: e-archive, depends_on: [serverhall, rapport]}
      - {id: ring-a, name: Ring A, capability: integration, depends_on: [ring-b]}
      - {id: ring-b, name: Ring B, capability: integration, depends_on: [ring-a, serverhall]}
      - {id: gammal, name: Gammalt system, capability: integration, status: retired, depends_on: [serverhall]}
      - {id: lost, name: Utan grund, capability: integration}
    hard:
      - {id: serverhall, name: Serverhall, capability: datacenter}
      - {id: rapport, name: Rapportverktyg, capability: datacenter, depends_on: [omsorg]}
    """

    static let ange = """
    inventory: 1
    organisation: {id: ange, name: Ånge kommun, type: kommun, code: "2260"}
    services:
      - {id: omsorg, name: Omsorgssystem, capability: social-care-records, depends_on: [inera/siths, serverhall]}
      - {id: webb, name: Kommunens webbplats, capability: citizen-portal, depends_on: [serverhall]}
    hard:
      - {id: serverhall, name: Serverhall, capability: datacenter}
    """

    static func catalog() -> Catalog {
        var national = Loader.parse(bytes: Array(national.utf8), path: "inera.yaml").inventory!
        national.isNational = true
        let others = [sundsvall, ange].enumerated().map {
            Loader.parse(bytes: Array($1.utf8), path: "f\($0).yaml").inventory!
        }
        return Catalog(inventories: [national] + others)
    }

    static let vocabulary = Vocabulary(
        capabilities: [
            Capability(id: "social-care-records", layer: .services, unique: true, swedishName: "Verksamhetssystem omsorg",
                       englishName: "Social care records", description: ""),
            Capability(id: "citizen-portal", layer: .services, unique: false, swedishName: "Invånarwebb",
                       englishName: "Citizen portal", description: ""),
            Capability(id: "e-service", layer: .services, unique: false, swedishName: "E-tjänst", englishName: "E-service", description: ""),
            Capability(id: "e-archive", layer: .soft, unique: true, swedishName: "E-arkiv", englishName: "E-archive", description: ""),
            Capability(id: "integration", layer: .soft, unique: false, swedishName: "Integration", englishName: "Integration", description: ""),
            Capability(id: "eid-staff", layer: .soft, unique: false, swedishName: "E-legitimation", englishName: "eID", description: ""),
            Capability(id: "datacenter", layer: .hard, unique: false, swedishName: "Datacenter", englishName: "Datacenter", description: ""),
        ],
        standards: [], baseline: Baseline(expected: [:]))

    static let sweden = Sweden(
        municipalities: [
            Municipality(code: "2281", name: "Sundsvall", countyCode: "22", countyName: "Västernorrlands län", population: 99_000, orgNumber: nil),
            Municipality(code: "2260", name: "Ånge", countyCode: "22", countyName: "Västernorrlands län", population: 9_000, orgNumber: nil),
            Municipality(code: "2262", name: "Timrå", countyCode: "22", countyName: "Västernorrlands län", population: 18_000, orgNumber: nil),
            Municipality(code: "2480", name: "Umeå", countyCode: "24", countyName: "Västerbottens län", population: 130_000, orgNumber: nil),
        ],
        regions: [
            Region(countyCode: "22", countyName: "Västernorrlands län", name: "Region Västernorrland"),
            Region(countyCode: "24", countyName: "Västerbottens län", name: "Region Västerbotten"),
        ],
        populationDate: "2024-12-31")

    /// The whole fixture, item by item.
    static func itemGraph(_ selection: Selection = Selection()) throws -> DrawGraph {
        let catalog = catalog()
        return ItemView.build(try selection.pick(from: catalog), catalog: catalog, facts: GraphFacts(catalog: catalog))
    }

    /// Every dependency of the fixture as `org/a->org/b`.
    static func dependencyIDs(_ catalog: Catalog) -> Set<String> {
        var ids = Set<String>()
        for i in catalog.items.indices {
            for t in catalog.dependencies.neighbours(i) { ids.insert(catalog.ref(i) + "->" + catalog.ref(Int(t))) }
        }
        return ids
    }
}

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An attribute's value. (FoundationXML's `attribute(forName:)` finds nothing on elements
/// in a default namespace, as in SVG and GraphML; the attribute list has them.)
func attr(_ element: XMLElement, _ name: String) -> String? {
    element.attributes?.first { $0.name == name }?.stringValue
}
