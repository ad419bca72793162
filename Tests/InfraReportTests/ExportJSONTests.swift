import Foundation
import InfraModel
import Testing
@testable import InfraReport

/// `infra export` streams a country's model (~200 MB) in pieces, organisations in parallel
/// batches: the pieces must add up to exactly the document written in one go.
@Suite struct ExportJSONTests {
    static func organisation(_ n: Int) -> ExportedOrganisation {
        let items = (0..<(n % 4)).map { k in
            ExportedItem(id: "item-\(k)", layer: k % 2 == 0 ? .services : .hard, name: "Tjänst \"\(k)\"\nrad två",
                         capability: k == 1 ? nil : "e-service", status: .active, endOfSupport: k == 2 ? "2027-06-30" : nil,
                         product: "Produkt \(n)", vendor: nil, standards: k == 0 ? [] : ["sdk", "siths"], critical: k == 3,
                         dependsOn: ["org-\(n)/item-0", "inera/siths"], coverage: k == 3 ? [("kommun", 0.97), ("x", 1)] : [],
                         reviewed: nil, sensitivity: .internal, tags: [], notes: k == 0 ? nil : "Anteckning ✓",
                         file: "inventories/org-\(n).yaml", line: 10 + k)
        }
        return ExportedOrganisation(id: "org-\(n)", name: "Organisation \(n)", type: n % 3 == 0 ? nil : "kommun",
                                    code: String(1000 + n), county: nil, orgNumber: "212000-0000", parent: nil,
                                    members: n % 5 == 0 ? ["a", "b"] : [], national: n == 7,
                                    files: ["inventories/org-\(n).yaml"], items: items)
    }

    /// The document as one JSON value, written whole: what the pieces must equal.
    static func whole(_ organisations: [ExportedOrganisation]) -> String {
        JSONWriter.write(.object([("organisations", .array(organisations.map(ExportRenderer.value)))])) + "\n"
    }

    @Test(arguments: [0, 1, 5, 64, 65, 200])
    func piecesMakeTheWholeDocument(count: Int) throws {
        let organisations = (0..<count).map(Self.organisation)
        for batch in [1, 7, 64] {
            var bytes: [UInt8] = []
            var pieces = 0
            ExportRenderer.writeJSON(organisations, batch: batch) { (piece: [UInt8]) in
                bytes.append(contentsOf: piece)
                pieces += 1
            }
            #expect(String(decoding: bytes, as: UTF8.self) == Self.whole(organisations), "batch \(batch)")
            if count > batch { #expect(pieces > 3, "not streamed in pieces: \(pieces)") }
        }
        let root = try #require(try JSONSerialization.jsonObject(with: Data(ExportRenderer.json(organisations).utf8)) as? [String: Any])
        #expect((root["organisations"] as? [Any])?.count == count)
    }
}
