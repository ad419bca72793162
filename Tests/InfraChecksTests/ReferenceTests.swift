import Foundation
import InfraChecks
import InfraModel
@testable import InfraPipeline
@testable import InfraReference
import Testing

@Suite("Shipped reference data")
struct ReferenceTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the executable embeds exactly what inventory/ holds (run `make embed` after editing)")
    func embeddedMatchesInventory() throws {
        let dir = Self.repo.appendingPathComponent("inventory")
        let walker = try #require(FileManager.default.enumerator(atPath: dir.path))
        var onDisk: [String: String] = [:]
        while let rel = walker.nextObject() as? String {
            guard rel.hasSuffix(".yaml") || rel.hasSuffix(".csv") else { continue }
            onDisk[rel] = try String(contentsOf: dir.appendingPathComponent(rel), encoding: .utf8)
        }
        let embedded = Dictionary(uniqueKeysWithValues: Embedded.files.map { ($0.path, $0.text) })
        #expect(Set(onDisk.keys) == Set(embedded.keys))
        for (path, text) in onDisk { #expect(embedded[path] == text, "\(path) differs from its embedded copy") }
    }

    @Test("the standards vocabulary fits coverage's bit per standard (64)")
    func standardsFitTheirBits() {
        #expect(Reference.vocabulary.standards.count <= 64, "coverage keeps each standard as a bit of a UInt64")
        #expect(Set(PipelineResult.standardBits(Reference.vocabulary).values).count == Reference.vocabulary.standards.count)
    }

    @Test("Sweden: 290 municipalities, 21 regions, SCB population 2024-12-31")
    func sweden() {
        let s = Reference.sweden
        #expect(s.municipalities.count == 290)
        #expect(Set(s.municipalities.map(\.code)).count == 290)
        #expect(s.regions.count == 21)
        #expect(s.totalPopulation == 10_587_710)
        #expect(s.populationDate == "2024-12-31")
        #expect(s.municipalityByCode["0114"]?.name == "Upplands Väsby")
        #expect(s.municipalityByCode["2281"]?.countyCode == "22")
    }

    @Test("a municipality's name as an organisation is the genitive the municipalities use themselves")
    func officialNames() throws {
        let s = Reference.sweden
        // As published in Sweden's data portal (reference/real/dataportal_kommuner_orgnumbers.csv).
        let published = ["2281": "Sundsvalls kommun", "0380": "Uppsala kommun", "1490": "Borås kommun", "2080": "Falu kommun",
                         "1440": "Ale kommun", "2023": "Malung-Sälens kommun", "0305": "Håbo kommun", "1780": "Karlstads kommun",
                         "0114": "Upplands Väsby kommun", "1462": "Lilla Edets kommun", "2284": "Örnsköldsviks kommun"]
        for (code, name) in published {
            let m = try #require(s.municipalityByCode[code])
            #expect(m.officialName == name, "\(code)")
            // The header check accepts the name a municipality goes by.
            let header = "inventory: 1\norganisation:\n  id: kommunen\n  name: \(name)\n  type: kommun\n  code: \"\(code)\"\nhard: []\n"
            #expect(scan(Example(header)).findings.filter { $0.rule == .nameMismatch }.isEmpty, "\(name)")
        }
    }

    @Test("the core vocabulary ids exist with their layer, unique flag and family")
    func vocabulary() {
        let v = Reference.vocabulary
        let expected: [(String, Layer, Bool)] = [
            ("school-platform", .services, true), ("e-service", .services, false), ("healthcare-records", .services, true),
            ("patient-portal", .services, false), ("eid-citizen", .soft, false), ("eid-staff", .soft, false),
            ("e-signature", .soft, true), ("secure-messaging", .soft, true), ("e-archive", .soft, true),
            ("digital-mailbox", .soft, false), ("broadband-access", .hard, false), ("wan", .hard, true),
            ("city-network", .hard, false), ("datacenter", .hard, false),
        ]
        for (id, layer, unique) in expected {
            #expect(v.capabilities[id]?.layer == layer, "\(id) layer")
            #expect(v.capabilities[id]?.unique == unique, "\(id) unique")
        }
        for (id, family) in [("saml2", "identity-federation"), ("oidc", "identity-federation"), ("fhir-r4", "health-records"),
                             ("hl7v2", "health-records"), ("fgs-paket", "archive-package"), ("ss12000", "school-data")] {
            #expect(v.standards[id]?.family == family, "\(id) family")
        }
        #expect(v.baseline.expected[.kommun]?.contains("e-archive") == true)
        #expect(v.baseline.expected[.region]?.contains("healthcare-records") == true)
        #expect(v.baseline.expected[.myndighet] == ["eid-staff", "e-signature", "secure-messaging", "e-archive"])
    }

    @Test("national inventories load without findings and provide the well-known components")
    func national() {
        for file in Reference.nationalInventories {
            #expect(file.findings.isEmpty, "\(file.path): \(file.findings.map(\.message))")
            #expect(file.inventory?.isNational == true)
        }
        let refs = Set(Reference.nationalInventories.compactMap(\.inventory).flatMap { inv in
            inv.items.map { inv.organisation.id.value + "/" + $0.id.value }
        })
        for ref in ["inera/siths", "digg/mina-meddelanden", "digg/sdk", "bankid/bankid", "forsakringskassan/efos", "inera/1177"] {
            #expect(refs.contains(ref), "\(ref) missing")
        }
    }
}
