import Foundation
import InfraModel
import Testing
@testable import InfraReport

@Suite struct JSONTests {
    @Test func findingsJSONShape() throws {
        let out = FindingsRenderer.render(Fixture.report(), as: .json, options: RenderOptions())
        let root = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(Set(root.keys) == ["findings", "summary", "failed"])
        #expect(root["failed"] as? Bool == true, "the fixture has errors")

        let findings = try #require(root["findings"] as? [[String: Any]])
        #expect(findings.count == 4)
        let keys: Set<String> = ["rule", "severity", "message", "file", "line", "column", "organisation", "item", "related", "help"]
        for f in findings { #expect(Set(f.keys) == keys) }

        let first = findings[0]
        #expect(first["rule"] as? String == "unknown-key")
        #expect(first["severity"] as? String == "error")
        #expect(first["message"] as? String == "unknown key 'nmae'")
        #expect(first["file"] as? String == "inventory/kommuner/0180.yaml")
        #expect(first["line"] as? Int == 3)
        #expect(first["column"] as? Int == 5)
        #expect(first["organisation"] as? String == "0180")
        #expect(first["item"] as? String == "e-tjanstekort")
        #expect((first["related"] as? [String]) == [])
        #expect(first["help"] as? String == "did you mean 'name'?")
        // Fingerprints only with a findings baseline, where they join the two.
        var withBaseline = Fixture.report()
        withBaseline.baselineFile = "accepted.json"
        let joined = try #require((try JSONSerialization.jsonObject(with: Data(FindingsRenderer.render(withBaseline, as: .json, options: RenderOptions()).utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        #expect(joined.first?["fingerprint"] as? String == Fingerprint.of(Fixture.unknownKey))

        #expect(findings[1]["related"] as? [String] == ["0180/b", "1480/c"])
        #expect(findings[1]["help"] is NSNull)

        let info = findings[2]
        #expect(info["severity"] as? String == "info")
        #expect(info["line"] is NSNull)
        #expect(info["column"] is NSNull)

        let last = findings[3]
        for key in ["file", "line", "column", "organisation", "item", "help"] {
            #expect(last[key] is NSNull, "\(key) should be null")
        }

        let summary = try #require(root["summary"] as? [String: Int])
        #expect(summary == ["files": 2, "organisations": 2, "items": 3, "errors": 2, "warnings": 1, "infos": 1])
    }

    @Test func findingsJSONKeyOrderAndFormatting() {
        let out = FindingsRenderer.render(Fixture.report([Fixture.cycle]), as: .json, options: RenderOptions())
        let order = ["\"findings\"", "\"rule\"", "\"severity\"", "\"message\"", "\"file\"", "\"line\"", "\"column\"",
                     "\"organisation\"", "\"item\"", "\"related\"", "\"help\"", "\"summary\"", "\"files\"",
                     "\"organisations\"", "\"items\"", "\"errors\"", "\"warnings\"", "\"infos\""]
        let positions = order.map { out.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
        #expect(out.hasPrefix("{\n  \"findings\": [\n    {\n      \"rule\": \"dependency-cycle\",\n"))
        #expect(out.contains("\"message\": \"dependency cycle: a → b → a\""))  // not \u-escaped
        #expect(out.contains("\"0180/b\""))  // "/" not escaped
        #expect(out.contains("\"help\": null"))
        #expect(out.hasSuffix("}\n"))
    }

    @Test func emptyFindings() throws {
        let out = FindingsRenderer.render(Fixture.report([], summary: Summary()), as: .json, options: RenderOptions())
        #expect(out.contains("\"findings\": []"))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect((root["findings"] as? [Any])?.isEmpty == true)
    }

    @Test func writerEscaping() throws {
        #expect(JSONWriter.quote("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONWriter.quote("line\nnext\ttab\r") == #""line\nnext\ttab\r""#)
        #expect(JSONWriter.quote("\u{0}\u{1}\u{1F}\u{7F}") == #""\u0000\u0001\u001f\u007f""#)
        #expect(JSONWriter.quote("Göteborg/Malmö 🇸🇪") == "\"Göteborg/Malmö 🇸🇪\"")
        #expect(JSONWriter.escape("a/b") == "a/b")

        // Round trip of every awkward character through JSONSerialization.
        var nasty = ""
        for v in 0..<0x80 { nasty.unicodeScalars.append(Unicode.Scalar(UInt8(v))) }
        nasty += "åäöÅÄÖ\u{2028}\u{2029}\u{FEFF}😀"
        let doc = JSONWriter.write(["s": .string(nasty)])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(doc.utf8)) as? [String: String])
        #expect(parsed["s"] == nasty)
    }

    /// Long arrays (a country's findings): the text must be exactly each element as a
    /// short array writes it, commas and indentation included.
    @Test(arguments: [2_047, 2_048, 10_007])
    func longArraysWrittenInChunksReadAsOne(count: Int) throws {
        func element(_ i: Int) -> JSONValue {
            switch i % 3 {
            case 0: return .object([("n", .int(i)), ("s", .string("rad \(i)\n")), ("e", .array([]))])
            case 1: return .int(i)
            default: return .array([.int(i), .null])
            }
        }
        let elements = (0..<count).map(element)
        for pretty in [true, false] {
            let text = JSONWriter.write(["findings": .array(elements), "summary": ["n": .int(count)]], pretty: pretty)
            var expected = pretty ? "{\n  \"findings\": [" : "{\"findings\":["
            for (i, e) in elements.enumerated() {
                if i > 0 { expected += "," }
                // Each element on its own, as the writer writes a short array's element.
                let alone = JSONWriter.write(["x": .array([e])], pretty: pretty)
                let inner = pretty
                    ? String(alone.dropFirst("{\n  \"x\": [".count).dropLast("\n  ]\n}".count))
                    : String(alone.dropFirst("{\"x\":[".count).dropLast("]}".count))
                expected += inner  // at the same depth as in "findings"
            }
            expected += pretty ? "\n  ],\n  \"summary\": {\n    \"n\": \(count)\n  }\n}" : "],\"summary\":{\"n\":\(count)}}"
            #expect(text == expected)
            let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect((root["findings"] as? [Any])?.count == count)
        }
    }

    /// Streamed documents (a country's export or item graph) are the same bytes as the
    /// document written whole, pretty or compact, whatever the batches.
    @Test(arguments: [true, false])
    func streamedObjectsAreTheWholeDocument(pretty: Bool) {
        let element: @Sendable (Int) -> JSONValue = { i in
            i % 2 == 0 ? .object([("id", .string("n\(i)")), ("w", .int(i)), ("tags", .array([]))]) : .string("s\"\(i)")
        }
        let whole = JSONWriter.write(.object([
            ("directed", true), ("nodes", .array((0..<5_000).map(element))), ("empty", .array([])),
            ("graph", .object([("kind", "items")])), ("links", .array((0..<3).map(element))),
        ]), pretty: pretty) + "\n"
        for batch in [1, 999, 16_384] {
            var bytes: [UInt8] = []
            JSONWriter.stream([
                ("directed", .value(true)), ("nodes", .elements(count: 5_000, batch: batch, make: element)),
                ("empty", .elements(count: 0, batch: batch, make: element)),
                ("graph", .value(.object([("kind", "items")]))), ("links", .elements(count: 3, batch: batch, make: element)),
            ], pretty: pretty) { (piece: [UInt8]) in bytes.append(contentsOf: piece) }
            #expect(String(decoding: bytes, as: UTF8.self) == whole, "batch \(batch)")
        }
        var empty: [UInt8] = []
        JSONWriter.stream([], pretty: pretty) { (piece: [UInt8]) in empty.append(contentsOf: piece) }
        #expect(String(decoding: empty, as: UTF8.self) == "{}\n")
    }

    @Test func writerValues() {
        let v: JSONValue = ["a": 1, "b": [true, false, nil], "c": 1.5, "d": [:], "e": [], "f": .double(2), "g": .double(.nan)]
        #expect(JSONWriter.write(v, pretty: false) == #"{"a":1,"b":[true,false,null],"c":1.5,"d":{},"e":[],"f":2,"g":null}"#)
        #expect(JSONWriter.write(["a": [1, 2]]) == "{\n  \"a\": [\n    1,\n    2\n  ]\n}")
    }
}
