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

/// The CSV export is streamed the same way, into two files at once.
@Suite struct ExportCSVTests {
    @Test("a list cell splits back into its values on the unescaped ;, whatever they hold")
    func listCellsSplitBack() {
        let values = ["ss12000", "x-a;b", "c\\d", "t1,t2", "", "\\;"]
        let cell = ExportRenderer.listCell(values)
        #expect(cell == #"ss12000;x-a\;b;c\\d;t1,t2;;\\\;"#)
        // Split on a ; not escaped, then unescape.
        var parts: [String] = [], current = "", escaped = false
        for ch in cell {
            if escaped { current.append(ch); escaped = false } else if ch == "\\" { escaped = true }
            else if ch == ";" { parts.append(current); current = "" } else { current.append(ch) }
        }
        parts.append(current)
        #expect(parts == values)
        #expect(ExportRenderer.listCell(["a", "b"]) == "a;b")  // plain lists as before
    }

    @Test func quotingFollowsRFC4180() {
        var rows = CSVRows()
        for field in ["plain", "a,b", "say \"hej\"", "two\nlines", "cr\rhere", "crlf\r\nhere", "", "åäö"] { rows.field(field) }
        rows.endRow()
        rows.field("next")
        rows.endRow()
        #expect(String(decoding: rows.bytes, as: UTF8.self)
            == "plain,\"a,b\",\"say \"\"hej\"\"\",\"two\nlines\",\"cr\rhere\",\"crlf\r\nhere\",,åäö\nnext\n")
    }

    @Test("a text a spreadsheet would run as a formula gets a ' in front; numbers stay numbers")
    func formulasAreDisarmed() {
        var rows = CSVRows()
        for field in ["=HYPERLINK(\"http://evil\",\"click\")", "+cmd", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "-12", "+1.5", "-", "a=b", "42"] {
            rows.field(field)
        }
        rows.endRow()
        #expect(ExportCSVTests.parse(String(decoding: rows.bytes, as: UTF8.self)).first
            == ["'=HYPERLINK(\"http://evil\",\"click\")", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tTAB", "'\rCR", "-12", "+1.5", "'-", "a=b", "42"])
        // The coverage and trend tables' CSV fields are made the same way.
        #expect(CoverageRenderer.field("=1+1") == "'=1+1")
    }

    @Test(arguments: [0, 3, 65, 200])
    func batchesDoNotChangeTheFiles(count: Int) {
        let organisations = (0..<count).map(ExportJSONTests.organisation)
        func files(batch: Int) -> (items: String, edges: String, pieces: Int) {
            var items: [UInt8] = [], edges: [UInt8] = [], pieces = 0
            ExportRenderer.writeCSV(organisations, batch: batch,
                                    items: { (piece: [UInt8]) in items.append(contentsOf: piece); pieces += 1 },
                                    edges: { (piece: [UInt8]) in edges.append(contentsOf: piece) })
            return (String(decoding: items, as: UTF8.self), String(decoding: edges, as: UTF8.self), pieces)
        }
        let one = files(batch: 1), many = files(batch: 64)
        #expect(one.items == many.items && one.edges == many.edges)
        // Read back as CSV: every item one row of 18 fields (names hold quotes and a line
        // break), every dependency one edge row of 5.
        let items = Self.parse(one.items), edges = Self.parse(one.edges)
        #expect(items.first == ExportRenderer.itemsHeader.dropLast().components(separatedBy: ","))
        #expect(items.count == 1 + organisations.reduce(0) { $0 + $1.items.count })
        #expect(items.allSatisfy { $0.count == 18 }, "\(items.first { $0.count != 18 } ?? [])")
        #expect(edges.count == 1 + organisations.reduce(0) { $0 + $1.items.reduce(0) { $0 + $1.dependsOn.count } })
        #expect(edges.allSatisfy { $0.count == 5 })
        if items.count > 1 { #expect(items[1][6] == "Tjänst \"0\"\nrad två", "\(items[1])") }
        if count > 64 { #expect(one.pieces > many.pieces, "batches of one organisation should make more pieces") }
    }

    /// RFC 4180 rows (quoted fields may hold commas, doubled quotes and line breaks).
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" {
                row.append(field); rows.append(row); row = []; field = ""
            } else {
                field.append(c)
            }
        }
        return rows
    }
}
