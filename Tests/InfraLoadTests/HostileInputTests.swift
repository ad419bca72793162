import Foundation
import Testing
@testable import InfraLoad
import InfraModel

// Files a user (or an attacker) can put in front of `infra`: each must end in a clear
// finding, never a crash, a hang or unbounded memory. Timings are not asserted; these
// run in well under a second each when the limits work.

private let header = "inventory: 1\norganisation: {id: a}\n"

/// Expects exactly one error of `rule`, at `line` when given, labelled with the file.
@discardableResult
private func expectError(_ r: FileResult, _ rule: RuleID, line: Int? = nil,
                         sourceLocation: SourceLocation = #_sourceLocation) -> Finding? {
    let matching = r.findings.filter { $0.rule == rule && $0.severity == .error }
    #expect(matching.count == 1, "expected one \(rule) error:\n\(r.dump)", sourceLocation: sourceLocation)
    guard let f = matching.first else { return nil }
    if let line { #expect(f.line == line, "\(f)", sourceLocation: sourceLocation) }
    #expect((f.line ?? 0) >= 1 && (f.column ?? 0) >= 1, "\(f)", sourceLocation: sourceLocation)
    #expect(f.file == "kommun.yaml", sourceLocation: sourceLocation)
    #expect(r.skippedReason == nil, sourceLocation: sourceLocation)
    return f
}

@Suite("Resource limits")
struct LimitTests {
    @Test func billionLaughs() throws {
        // 10 levels of 9 aliases each: 9^9 ≈ 387 million strings when expanded.
        var text = header + "x-0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ")
            text += "x-\(level): &l\(level) [\(refs)]\n"
        }
        text += "soft:\n  - {id: x, name: X, capability: c, tags: *l9}\n"
        let r = parse(text)
        expectError(r, .yamlLimit)
        #expect(r.inventory == nil)
    }

    @Test func billionLaughsThroughMergeKeys() throws {
        var text = header + "x-0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}\n"
        for level in 1...9 {
            let refs = (0..<9).map { "k\($0): *m\(level - 1)" }.joined(separator: ", ")
            text += "x-\(level): &m\(level) {\(refs)}\n"
        }
        text += "soft:\n  - {id: x, name: X, capability: c, <<: *m9}\n"
        expectError(parse(text), .yamlLimit)
    }

    @Test func manyAliasesOfAModestAnchor() throws {
        // Not nested at all, just wide: 6,000 aliases of a 200-entry list (1.2 million events).
        let list = (0..<200).map { "v\($0)" }.joined(separator: ", ")
        let refs = Array(repeating: "*big", count: 6_000).joined(separator: ", ")
        let text = header + "x-big: &big [\(list)]\nsoft:\n  - {id: x, name: X, capability: c, tags: [\(refs)]}\n"
        expectError(parse(text), .yamlLimit)
    }

    @Test func aFewAliasesAreFine() throws {
        let text = header + "x-deps: &deps [a, b]\nsoft:\n" + (0..<50).map { "  - {id: x\($0), name: X, capability: c, depends_on: *deps}\n" }.joined()
        let r = parse(text)
        #expect(r.findings.isEmpty, "\(r.dump)")
        #expect(r.inventory?.items.count == 50)
    }

    @Test func deepFlowSequences() throws {
        let depth = 10_000
        let text = header + "x-deep: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        expectError(parse(text), .yamlLimit, line: 3)
    }

    @Test func deepUnclosedFlowSequencesAtTopLevel() throws {
        // Not even an inventory and not even finished: still a limit, not a stack overflow.
        let r = parse(String(repeating: "[", count: 10_000))
        #expect(r.errors.contains { $0.rule == .yamlLimit || $0.rule == .yamlSyntax }, "\(r.dump)")
        #expect(r.errors.allSatisfy { $0.line == 1 })
    }

    @Test func deepFlowMappings() throws {
        let depth = 10_000
        let text = header + "x-deep: " + String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth) + "\n"
        expectError(parse(text), .yamlLimit, line: 3)
    }

    @Test func deepBlockMappings() throws {
        var text = header + "x-deep:\n"
        for level in 1...500 { text += String(repeating: " ", count: level) + "a:\n" }
        expectError(parse(text), .yamlLimit)
    }

    @Test func realisticNestingIsFine() throws {
        let r = parse(header + "x-meta: " + String(repeating: "[", count: 30) + String(repeating: "]", count: 30) + "\n")
        #expect(r.findings.isEmpty, "\(r.dump)")
    }

    @Test func fiftyMegabyteScalar() throws {
        var bytes = Array((header + "soft:\n  - id: x\n    name: X\n    capability: c\n    notes: ").utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "a"), count: 50_000_000)
        bytes.append(10)
        let r = Loader.parse(bytes: bytes, path: "kommun.yaml")
        expectError(r, .yamlLimit, line: 7)
    }

    @Test func longKeyOverACustomLimit() throws {
        var limits = ReadLimits()
        limits.maxScalarBytes = 100
        let ok = parse(header + "x-" + String(repeating: "k", count: 98) + ": 1\n", limits: limits)
        #expect(ok.findings.isEmpty, "\(ok.dump)")
        let tooLong = parse(header + "x-" + String(repeating: "k", count: 99) + ": 1\n", limits: limits)
        expectError(tooLong, .yamlLimit, line: 3)
    }

    @Test func fileLargerThanTheLimitIsNotRead() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var limits = ReadLimits()
        limits.maxFileBytes = 1_000
        let small = dir.appendingPathComponent("small.yaml"), big = dir.appendingPathComponent("big.yaml")
        try write(header, to: small)
        try write(header + "x-pad: " + String(repeating: "p", count: 1_000) + "\n", to: big)
        let results = try Loader.load(files: [small.path, big.path], limits: limits)
        #expect(results[0].findings.isEmpty && results[0].inventory != nil, "\(results[0].dump)")
        let r = results[1]
        #expect(r.inventory == nil)
        let f = try #require(r.findings.first)
        #expect(r.findings.count == 1)
        #expect(f.rule == .yamlLimit)
        #expect(f.severity == .error)
        #expect(f.file == big.path)
    }

    @Test func fileExactlyAtTheLimitIsRead() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = header + "x-pad: " + String(repeating: "p", count: 100) + "\n"
        var limits = ReadLimits()
        limits.maxFileBytes = text.utf8.count
        let url = dir.appendingPathComponent("a.yaml")
        try write(text, to: url)
        let r = try #require(try Loader.load(files: [url.path], limits: limits).first)
        #expect(r.findings.isEmpty, "\(r.dump)")
        #expect(r.inventory != nil)
    }
}

@Suite("Encodings")
struct EncodingTests {
    @Test func invalidUTF8InTheMiddleOfAValue() throws {
        var bytes = Array((header + "soft:\n  - id: x\n    name: Sk").utf8)
        bytes += [0xE4, 0x72]  // Latin-1 "är": not UTF-8
        bytes += Array("gård\n    capability: c\n".utf8)
        let r = Loader.parse(bytes: bytes, path: "kommun.yaml")
        expectError(r, .fileEncoding, line: 5)
        #expect(r.inventory == nil)
    }

    @Test("a Latin-1 letter is told at its own column, as the letter it is there, with a way to convert the file")
    func latin1LetterNamedAtItsColumn() throws {
        // "  name: Å" in Latin-1: 0xC5 then "nge"; libyaml complains at the "n" after it.
        let bytes = Array("inventory: 1\norganisation:\n  id: ange\n  name: ".utf8) + [0xC5] + Array("nge kommun\n".utf8)
        let f = expectError(Loader.parse(bytes: bytes, path: "kommun.yaml"), .fileEncoding, line: 4)
        #expect(f?.column == 9)
        #expect(f?.message.contains("0xC5") == true && f?.message.contains("`Å`") == true, "\(f?.message ?? "")")
        #expect(f?.help?.contains("iconv -f WINDOWS-1252 -t UTF-8") == true)
    }

    @Test("a Latin-1 letter pasted into a UTF-8 file is to be typed again: converting the file would garble its other letters")
    func latin1LetterInAUTF8File() throws {
        // Ånge in UTF-8 on line 4; "fibernät" pasted from a Windows-1252 document on line 8.
        let bytes = Array("inventory: 1\norganisation:\n  id: ange\n  name: Ånge kommun\nhard:\n  - id: fiber\n    capability: fiber\n    name: Stadsn".utf8)
            + [0xE4] + Array("t\n".utf8)
        let f = expectError(Loader.parse(bytes: bytes, path: "kommun.yaml"), .fileEncoding, line: 8)
        #expect(f?.column == 17)
        #expect(f?.message.contains("`ä`, while the rest of the file is UTF-8") == true, "\(f?.message ?? "")")
        #expect(f?.help?.contains("type that character again (`ä`)") == true, "\(f?.help ?? "")")
        #expect(f?.help?.contains("iconv") == false)
    }

    @Test func utf8CharacterCutShortIsNotCalledLatin1() throws {
        // "€" is E2 82 AC; without its last byte it is broken UTF-8, not Latin-1 text.
        let bytes = Array("inventory: 1\norganisation:\n  name: x".utf8) + [0xE2, 0x82] + Array("y\n".utf8)
        let f = expectError(Loader.parse(bytes: bytes, path: "kommun.yaml"), .fileEncoding, line: 3)
        #expect(f?.column == 10)
        #expect(f?.message.contains("cut short") == true, "\(f?.message ?? "")")
        #expect(f?.help?.contains("iconv") == false)
    }

    @Test func invalidUTF8FarIntoALargeFile() throws {
        // libyaml decodes ahead of the parser; the line must still be the byte's own.
        var text = header + "soft:\n"
        for i in 0..<2_000 { text += "  - {id: x\(i), name: X, capability: c}\n" }
        var bytes = Array(text.utf8)
        bytes += Array("  - {id: y, name: ".utf8) + [0xFF] + Array("}\n".utf8)
        let f = expectError(Loader.parse(bytes: bytes, path: "kommun.yaml"), .fileEncoding, line: 2_004)
        #expect(f?.column == 19)
    }

    @Test func badBytePositionWithCarriageReturns() throws {
        // CR alone and CR LF end lines for libyaml; the byte's position counts them the same way.
        for lineBreak in ["\r", "\r\n"] {
            let text = ["inventory: 1", "organisation:", "  name: \"éé\u{1B}\""].joined(separator: lineBreak) + lineBreak
            let f = expectError(Loader.parse(bytes: Array(text.utf8), path: "kommun.yaml"), .fileEncoding, line: 3)
            #expect(f?.column == 12)
        }
    }

    @Test("U+0085, U+2028 and U+2029 do not end lines in positions (libyaml counts them, editors, GitHub and SARIF do not)",
          arguments: ["\u{2028}", "\u{2029}", "\u{85}"])
    func unusualLineSeparators(_ separator: String) throws {
        // Two of them before the mistake: libyaml's line is then 2 ahead of the file's.
        let text = header + "soft:\n  - id: x\n    name: \"a\(separator)b\"\n    notes: \"c\(separator)d\"\n    nme: y\n"
        let r = parse(text)
        let f = try #require(r.findings(.unknownKey).first, "\(r.dump)")
        #expect(f.line == 7 && f.column == 5, "\(r.dump)")
        // A separator in a comment ends the comment for YAML: the error is on its own line,
        // at the text after it, and says why.
        let comment = parse(header + "# note\(separator) more\nsoft: []\n")
        let e = expectError(comment, .yamlSyntax, line: 3)
        #expect(e?.column == 9, "\(comment.dump)")
        #expect(e?.help?.contains("U+2028") == true, "\(comment.dump)")
    }

    @Test("a file skipped for lacking `inventory:` while plainly an inventory is a warning at the key spelt almost like it")
    func inventoryKeyMisspelt() throws {
        for (text, line) in [("inventroy: 1\norganisation: {id: a}\nsoft: []\n", 1), ("# x\nInventory: 1\norganisation: {id: a}\n", 2)] {
            let r = parse(text)
            // Skipped, as the format says, with one note: a warning, as the organisation drops out.
            #expect(r.inventory == nil && r.skippedReason != nil && r.findings.count == 1, "\(r.dump)")
            let f = try #require(r.findings.first)
            #expect(f.rule == .inventoryKeyMissing && f.severity == .warning && f.line == line, "\(r.dump)")
            #expect(f.message.hasSuffix("is spelt almost like `inventory:`, which every inventory has; the file is skipped"), "\(f.message)")
        }
        #expect(parse("name: CI\non: [push]\n").skippedReason == "it has no top-level `inventory:` key")
        // The version under another name: renamed as the help says, the file is read.
        for key in ["version", "inventory_version"] {
            let r = parse("\(key): 1\norganisation: {id: a, name: A, type: annan}\n")
            let f = try #require(r.findings.first, "\(r.dump)")
            #expect(f.rule == .inventoryKeyMissing && f.line == 1 && f.help == "write it `inventory: 1`", "\(r.dump)")
            #expect(f.message == "`\(key):` gives a version where `inventory:`, which every inventory has, belongs; the file is skipped")
        }
        #expect(parse("inventory: 1\norganisation: {id: a, name: A, type: annan}\n").findings.isEmpty)
    }

    @Test("a list where a boolean or a date belongs is told as such, not as text")
    func wrongTypeSaysWhatBelongs() throws {
        let r = parse(header + "soft:\n  - {id: x, name: X, capability: e-archive, critical: [true], end_of_support: [2020-01-01]}\n")
        let messages = r.findings(.wrongType).map(\.message)
        #expect(messages.contains("`critical` must be true or false, not a list"), "\(r.dump)")
        #expect(messages.contains("`end_of_support` must be a YYYY-MM-DD date, not a list"), "\(r.dump)")
    }

    @Test("a required key written with a wrong or empty value is not also reported missing (whose help, followed, made a duplicate key)")
    func writtenButWrongIsNotMissing() throws {
        let r = parse("inventory: 1\norganisation: {id: a, name: A, type: Kommun}\nservices:\n  - id: x\n    name:\n    capability: e-archive\n"
                      + "  - id: y\n    name: [Y, Z]\n    capability: e-archive\n  - id: z\n    capability: e-archive\n")
        let missing = r.findings(.missingRequired).map { "\($0.line ?? 0): \($0.message)" }
        #expect(missing == ["5: item `x` has an empty `name:`", "10: item `z` has no `name`"], "\(r.dump)")
        #expect(r.findings(.badEnum).count == 1 && r.findings(.wrongType).count == 1, "\(r.dump)")
    }

    @Test("a blank name or capability (`\"\"`, spaces) is told as empty, like a key with nothing after it")
    func blankRequiredTextIsEmpty() throws {
        let r = parse("inventory: 1\norganisation: {id: a, name: \"  \", type: kommun}\nservices:\n  - id: x\n    name: \"\"\n    capability: ''\n")
        let missing = r.findings(.missingRequired).map { "\($0.line ?? 0): \($0.message)" }
        #expect(missing == ["2: the organisation header has an empty `name:`", "5: item `x` has an empty `name:`",
                            "6: item `x` has an empty `capability:`"], "\(r.dump)")
        // A header with a blank name is a full header (as in the JSON Schema), so its type is asked for too.
        let partial = parse("inventory: 1\norganisation: {id: a, name: \"\"}\n")
        #expect(partial.findings(.missingRequired).map(\.message) == ["the organisation header has an empty `name:`",
                                                                      "the organisation header has a name but no `type`"], "\(partial.dump)")
    }

    @Test("a required key misspelt (`Name:`) is told once, as the unknown key to rename, not also as missing")
    func misspeltRequiredKeyIsNotAlsoMissing() throws {
        let r = parse("inventory: 1\norganisation:\n  id: a\n  Name: A\n  type: kommun\nservices:\n  - id: x\n    name: X\n    capabilty: e-archive\n")
        #expect(r.findings(.unknownKey).map(\.message) == ["unknown key `Name` — did you mean `name`?",
                                                          "unknown key `capabilty` — did you mean `capability`?"], "\(r.dump)")
        #expect(r.findings(.missingRequired).isEmpty, "\(r.dump)")
        // A key that is nothing like a required one leaves the missing one reported.
        #expect(parse("inventory: 1\norganisation: {id: a, type: kommun, colour: red}\n").findings(.missingRequired).count == 1)
    }

    @Test("a second list of items under the same layer key says its items are left out, and to move them into the first")
    func duplicateLayerKey() throws {
        let r = parse(header + "services:\n  - {id: a, name: A, capability: e-archive}\nhard: []\nservices:\n  - {id: b, name: B, capability: e-archive}\n")
        let f = try #require(r.findings(.duplicateKey).first, "\(r.dump)")
        #expect(f.line == 6 && f.message.hasSuffix("only the first is read, so the items under this one are left out"), "\(r.dump)")
        #expect(f.help == "move the items under this `services:` into the first `services:` list, then delete this line")
        #expect(r.inventory?.items.map(\.id.value) == ["a"])
        let other = parse(header + "soft:\n  - {id: a, name: A, name: B, capability: e-archive}\n")
        // Any other key: one is kept, with what the other said (a second `organisation:` or
        // `depends_on:` would lose its contents if a line were just removed).
        #expect(other.findings(.duplicateKey).first?.help == "keep one `name:`: put what this one says into the first (only the first is read), then delete this one", "\(other.dump)")
    }

    @Test("a decimal comma in a `{…}` coverage is an error that says so, not a share of 0")
    func decimalCommaInCoverage() throws {
        let r = parse(header + "hard:\n  - id: n\n    name: N\n    capability: broadband-access\n    coverage: {households: 0,97}\n")
        let f = try #require(r.findings(.badValue).first, "\(r.dump)")
        #expect(f.message.contains("decimal comma") && f.help == "write the share with a decimal point, e.g. 0.97", "\(r.dump)")
        #expect(f.line == 7, "\(r.dump)")
        let list = parse(header + "hard:\n  - id: n\n    name: N\n    capability: broadband-access\n    coverage: {households: [0.9]}\n")
        #expect(list.findings(.wrongType).first?.message.contains("a share such as 0.97") == true, "\(list.dump)")
    }

    @Test("a share with a no-break space before % or a decimal comma says which, as both look right")
    func shareTypography() throws {
        func message(_ value: String) -> String? {
            parse(header + "hard:\n  - id: n\n    name: N\n    capability: broadband-access\n    coverage:\n      households: \(value)\n")
                .findings(.badValue).first?.message
        }
        #expect(message("\"97\u{A0}%\"")?.hasSuffix("no-break space (U+A0), which word processors put before %; use a plain space or none") == true)
        #expect(message("\"97\u{202F}%\"")?.contains("U+202F") == true)
        #expect(message("0,97")?.hasSuffix(": a decimal comma; shares are written with a decimal point") == true)
        #expect(message("\"97,5 %\"")?.contains("decimal comma") == true)
        #expect(message("\"97 %\"") == nil)  // a plain space is fine
    }

    @Test("a `---` with nothing after it is an empty second document, and the help says to delete it")
    func trailingDocumentMarker() throws {
        let r = parse(header + "soft: []\n---\n")
        let f = try #require(r.findings(.multipleDocuments).first, "\(r.dump)")
        #expect(f.help == "delete the `---` line" && f.line == 4, "\(r.dump)")
        let two = parse(header + "soft: []\n---\n" + header)
        #expect(two.findings(.multipleDocuments).first?.help == "split the documents into separate files", "\(two.dump)")
    }

    @Test func utf8ByteOrderMarkIsAccepted() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((header + "soft:\n  - {id: x, name: Väsby, capability: c}\n").utf8)
        let r = Loader.parse(bytes: bytes, path: "kommun.yaml")
        #expect(r.findings.isEmpty, "\(r.dump)")
        #expect(r.inventory?.organisation.id == Located("a", at: at(2, 20)))
        #expect(r.item("x")?.name?.value == "Väsby")
        // The mark does not shift the first line's columns.
        let v = Loader.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("inventory: 2\norganisation: {id: a}\n".utf8), path: "kommun.yaml")
        #expect(v.findings(.unsupportedVersion).first?.column == 12, "\(v.dump)")
    }

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var out: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let hi = UInt8(unit >> 8), lo = UInt8(unit & 0xFF)
            out += bigEndian ? [hi, lo] : [lo, hi]
        }
        return out
    }

    @Test(arguments: [false, true])
    func utf16WithByteOrderMark(_ bigEndian: Bool) throws {
        let bytes = Self.utf16(header + "soft: []\n", bigEndian: bigEndian)
        let r = Loader.parse(bytes: bytes, path: "kommun.yaml")
        let f = expectError(r, .fileEncoding, line: 1)
        #expect(f?.message.contains("UTF-16") == true)
        #expect(r.inventory == nil)
        #expect(r.findings.count == 1)
    }

    @Test("UTF-16 without a byte-order mark is named as UTF-16, not as a control character", arguments: [false, true])
    func utf16WithoutByteOrderMark(_ bigEndian: Bool) throws {
        let bytes = Array(Self.utf16(header + "soft: []\n", bigEndian: bigEndian).dropFirst(2))
        let r = Loader.parse(bytes: bytes, path: "kommun.yaml")
        let f = expectError(r, .fileEncoding, line: 1)
        #expect(f?.message == "the file looks like UTF-16 (\(bigEndian ? "big" : "little")-endian, a NUL byte beside every letter); inventories are UTF-8")
        #expect(r.inventory == nil && r.findings.count == 1, "\(r.dump)")
    }

    @Test func utf32WithByteOrderMark() throws {
        var bytes: [UInt8] = [0xFF, 0xFE, 0x00, 0x00]
        for scalar in header.unicodeScalars { bytes += [UInt8(scalar.value & 0xFF), 0, 0, 0] }
        let r = Loader.parse(bytes: bytes, path: "kommun.yaml")
        let f = expectError(r, .fileEncoding, line: 1)
        #expect(f?.message.contains("UTF-32") == true)
    }

    @Test func nulBytes() throws {
        let bytes = Array("inventory: 1\norganisation:\n  id: a".utf8) + [0] + Array("b\n".utf8)
        let r = Loader.parse(bytes: bytes, path: "kommun.yaml")
        let f = try #require(r.errors.first, "\(r.dump)")
        #expect(f.line == 3)
        #expect(r.inventory == nil)
    }

    @Test func controlCharacters() throws {
        let bytes = Array((header + "soft:\n  - {id: x, name: \"A").utf8) + [0x07] + Array("B\", capability: c}\n".utf8)
        let r = Loader.parse(bytes: bytes, path: "kommun.yaml")
        #expect(r.errors.first?.line == 4, "\(r.dump)")
    }
}

@Suite("Tags")
struct TagTests {
    @Test(arguments: [
        "    notes: !include other.yaml\n",
        "    x-run: !!python/object/apply:os.system [\"rm -rf /\"]\n",
        "    x-run: !!python/object:os.system {}\n",
        "    vendor: !custom {a: b}\n",
        "    tags: !!set {a, b}\n",
        "    notes: !!binary aGVsbG8=\n",
        "    notes: !<tag:example.com,2000:app/foo> x\n",
    ])
    func customTagsAreErrors(_ line: String) throws {
        let r = parse(header + "soft:\n  - id: x\n    name: X\n    capability: c\n" + line)
        let f = expectError(r, .customTag, line: 7)
        #expect(f?.column ?? 0 > 4)
        // The tag is what to fix: no wrong-type error for the same value besides it.
        #expect(r.findings(.wrongType).isEmpty, "\(r.dump)")
    }

    @Test("an item that is not a mapping is told in words, without a key's backticks")
    func itemNotAMapping() throws {
        let f = try #require(parse(header + "hard:\n  - just text\n").findings(.wrongType).first)
        #expect(f.message == "An item of hard must be a mapping with id, name and capability, not \"just text\"", "\(f.message)")
    }

    @Test func customTagOnTheOrganisationMapping() throws {
        let r = parse("inventory: 1\norganisation: !custom\n  id: a\n")
        expectError(r, .customTag, line: 2)
    }

    @Test func customTagDeclaredWithATagDirective() throws {
        let r = parse("%TAG !e! tag:example.com,2000:\n---\n" + header + "x-a: !e!foo bar\n")
        expectError(r, .customTag, line: 5)
    }

    @Test func coreTagsAreAllowed() throws {
        let r = parse("""
            inventory: 1
            organisation: !!map {id: a}
            soft: !!seq
              - {id: x, name: !!str 0114, capability: !!str c, critical: !!bool true, notes: !!null }

            """)
        #expect(r.findings.isEmpty, "\(r.dump)")
        #expect(r.item("x")?.name?.value == "0114")
    }
}

@Suite("Document structure")
struct DocumentTests {
    @Test func twoDocuments() throws {
        let r = parse(header + "---\ninventory: 1\norganisation: {id: b}\n")
        let f = expectError(r, .multipleDocuments, line: 3)
        // The first document's organisation is known: the finding belongs to it.
        #expect(f?.organisation == "a")
    }

    @Test func twoDocumentsWithExplicitMarkers() throws {
        let r = parse("---\n" + header + "...\n---\nsoft: []\n")
        expectError(r, .multipleDocuments, line: 5)
    }

    @Test func oneDocumentWithMarkersIsFine() throws {
        let r = parse("---\n" + header + "...\n")
        #expect(r.findings.isEmpty, "\(r.dump)")
        #expect(r.inventory != nil)
    }

    // (A list whose first entry is a mapping with `inventory:` is an inventory written as a
    // list entry: a warning, LoaderTests.inventoryAsListEntry.)
    @Test(arguments: [
        "[inventory, 1]\n",
        "inventory\n",
        "\"inventory: 1\"\n",
        "42\n",
        "",
        "\n\n   \n",
        "# only a comment\n",
        "---\n",
        "--- ~\n",
    ])
    func notAMappingIsSkipped(_ text: String) throws {
        let r = parse(text)
        #expect(r.inventory == nil)
        #expect(r.skippedReason != nil)
        #expect(r.rules == [.notAnInventory], "\(r.dump)")
        #expect(r.findings.first?.severity == .info)
    }

    /// A header whose name's quote is never closed on its line (line 4).
    static let openQuote = "inventory: 1\norganisation:\n  id: a\n  name: \"Upplands Väsby\n  type: kommun\n"

    @Test func unclosedDoubleQuote() throws {
        // The quote opens on line 4; libyaml only notices at the end of the file.
        expectError(parse(Self.openQuote + "soft: []\n"), .yamlSyntax, line: 4)
    }

    @Test("a quote left open before another quoted value is told where it opens, not where libyaml stumbles")
    func unclosedQuoteBeforeAnotherQuote() throws {
        // The open quote on line 4 is closed by the first quote of line 6; libyaml then fails
        // at `2260"` on line 6.
        let r = parse(Self.openQuote + "  code: \"0114\"\n")
        let f = expectError(r, .yamlSyntax, line: 4)
        #expect(f?.column == 9)
        #expect(f?.message.contains("runs on to line 6") == true, "\(r.dump)")
        // A value quoted over two lines on purpose is read as YAML says.
        #expect(parse(header + "soft:\n  - id: x\n    name: \"Bredband\n      och fiber\"\n    capability: c\n")
            .errors.allSatisfy { $0.rule != .yamlSyntax })
    }

    @Test("items uncommented under a layer still written `services: []` (a starter's) are told so, and deleting the `[]` fixes it")
    func itemsUnderAnEmptyList() throws {
        let starter = header + "services: []  # Services\n# uncomment:\n  - id: skola\n    name: Skola\n    capability: school-platform\n"
        let f = expectError(parse(starter), .yamlSyntax, line: 5)
        #expect(f?.message == "a list item under `services: []` (line 3), which already says the list is empty", "\(f?.message ?? "")")
        #expect(f?.help?.contains("delete the `[]` after `services:` on line 3") == true)
        let followed = parse(starter.replacingOccurrences(of: "services: []", with: "services:"))
        #expect(followed.errors.isEmpty, "\(followed.dump)")
    }

    @Test("a key of an item written at the column of the list's dash is told as such")
    func keyAtTheDashColumn() throws {
        let r = parse(header + "services:\n  - id: skola\n    name: Skola\n    capability: school-platform\n  depends_on: [x]\n")
        let f = expectError(r, .yamlSyntax, line: 7)
        #expect(f?.message.contains("at the column of the list's `-`") == true, "\(r.dump)")
    }

    @Test func unclosedSingleQuote() throws {
        let r = parse(header + "soft:\n  - id: x\n    name: 'Bredband\n    capability: c\n")
        expectError(r, .yamlSyntax, line: 5)
    }

    @Test func unclosedFlowSequence() throws {
        let r = parse(header + "soft:\n  - {id: x, name: X, capability: c, depends_on: [a, b}\n")
        expectError(r, .yamlSyntax, line: 4)
    }

    @Test func errorAtTheEndOfAFileWithoutAFinalLineBreak() throws {
        // libyaml's mark was on line 2 of a one-line file; the bracket never closed is named.
        let f = expectError(parse("inventory: [1"), .yamlSyntax, line: 1)
        #expect(f?.column == 12)
    }

    @Test func overIndentedKey() throws {
        let r = parse("inventory: 1\norganisation:\n  id: a\n   name: b\n")
        let f = expectError(r, .yamlSyntax, line: 4)
        #expect(f?.column == 4)  // at the key, not at its colon
        #expect(f?.message.contains("indented deeper") == true, "\(r.dump)")
    }

    @Test func colonInsideAnUnquotedValue() throws {
        let r = parse(header + "soft:\n  - id: x\n    name: Arkiv: e-arkiv\n    capability: e-archive\n")
        let f = expectError(r, .yamlSyntax, line: 5)
        #expect(f?.column == 16)
        #expect(f?.message.contains("inside an unquoted value") == true, "\(r.dump)")
        #expect(f?.help?.contains("quotes") == true)
        // Quoted, the same value is fine.
        #expect(parse(header + "soft:\n  - id: x\n    name: \"Arkiv: e-arkiv\"\n    capability: e-archive\n").errors.isEmpty)
    }

    @Test func keyWithoutItsColonIsPointedAtWhereItIs() throws {
        // libyaml notices on the next line; the finding points at the key.
        let r = parse(header + "soft:\n  - id: x\n    name X\n    capability: c\n")
        let f = expectError(r, .yamlSyntax, line: 5)
        #expect(f?.column == 5)
        #expect(f?.message.contains("no ': '") == true, "\(r.dump)")
    }

    @Test(arguments: ["@", "`"])
    func reservedFirstCharacter(_ c: String) throws {
        let r = parse(header + "soft:\n  - id: x\n    name: \(c)foo\n    capability: c\n")
        let f = expectError(r, .yamlSyntax, line: 5)
        #expect(f?.message.contains("cannot start with `\(c)`") == true, "\(r.dump)")
    }

    @Test func underIndentedKeyInAnItem() throws {
        let r = parse(header + "soft:\n  - id: x\n   name: X\n    capability: c\n")
        expectError(r, .yamlSyntax, line: 5)
    }

    @Test func tabIndentation() throws {
        let r = parse(header + "soft:\n  - id: x\n\tname: X\n")
        expectError(r, .yamlSyntax, line: 5)
        #expect(r.errors.first?.column == 1)
        #expect(r.errors.first?.message.contains("tab") == true, "\(r.dump)")
        // A tab inside a value is text, not a problem.
        #expect(parse(header + "soft:\n  - id: x\n    name: \"A\\tB\"\n    capability: wan\n    notes: a\tb\n").errors.isEmpty)
    }

    @Test("syntax errors after Swedish letters are told as when there are none: libyaml's marks count characters, not bytes")
    func syntaxErrorsAfterNonASCII() throws {
        let swedish = "# Ånge kommuns inventarium, förvaltat av IT-enheten\n" + header
        for head in [header, swedish] {
            let shift = head == header ? 0 : 1
            let tab = expectError(parse(head + "soft:\n  - id: x\n\tname: X\n"), .yamlSyntax, line: 5 + shift)
            #expect(tab?.message == "a tab character here; YAML indents with spaces only", "\(tab?.message ?? "")")
            let deeper = expectError(parse(head + "soft:\n  - id: x\n    name: X\n     capability: c\n"), .yamlSyntax, line: 6 + shift)
            #expect(deeper?.message == "this key is indented deeper than the key above it" && deeper?.column == 6, "\(deeper?.message ?? "")")
        }
    }

    @Test("a key or an id with a character one cannot see names it: a pasted no-break space, a zero-width space")
    func invisibleCharactersNamed() throws {
        // "    name: X" with its first space a no-break space (U+00A0), as a web page pastes it.
        let nbsp = parse(header + "soft:\n  - id: x\n\u{A0}   name: X\n    capability: e-archive\n")
        let key = try #require(nbsp.findings(.unknownKey).first, "\(nbsp.dump)")
        #expect(key.message == "unknown key `\u{A0}   name`: it has a no-break space (U+00A0) at character 1, which YAML takes as part of the key")
        #expect(key.help?.hasPrefix("replace it with an ordinary space") == true)
        let zwsp = parse(header + "soft:\n  - {id: \"skol\u{200B}plattform\", name: X, capability: e-archive}\n")
        let id = try #require(zwsp.findings(.badID).first, "\(zwsp.dump)")
        #expect(id.message.hasSuffix("is not a valid id: it has a zero-width space (U+200B) at character 5"), "\(id.message)")
        #expect(Invisible.describe("a\u{A0}b\u{A0}c\u{FEFF}") == "a no-break space (U+00A0) at character 2 and 2 more like it")
        #expect(Invisible.describe("vanlig text, åäö") == nil)
    }

    @Test("a tab libyaml notices inside a value of its line is named at the tab")
    func tabNoticedInAValue() throws {
        let r = parse(header + "soft:\n  - id: x\n    name: X\n  \t  capability: c d\n")
        let f = expectError(r, .yamlSyntax, line: 6)
        #expect(f?.message.contains("tab character") == true && f?.help?.contains("replace the tab with spaces") == true, "\(r.dump)")
    }

    @Test("an unclosed `[` is told at the bracket, not where libyaml gives up")
    func unclosedFlowList() throws {
        let r = parse(header + "soft:\n  - id: x\n    name: X\n    capability: c\n    depends_on: [a, b\n  - id: y\n    name: Y\n")
        let f = expectError(r, .yamlSyntax, line: 7)
        #expect(f?.column == 17, "\(r.dump)")
        #expect(f?.message == "this `[` list is not closed on its line, or two of its values have no `,` between them")
        let mapping = expectError(parse(header + "soft:\n  - {id: x, name: X\n  - id: y\n"), .yamlSyntax, line: 4)
        #expect(mapping?.message.hasPrefix("this `{` mapping is not closed") == true && mapping?.column == 5, "\(mapping?.message ?? "")")
    }

    @Test func aliasToAnUndefinedAnchor() throws {
        let r = parse(header + "soft:\n  - id: x\n    name: *nowhere\n    capability: c\n")
        let f = try #require(r.errors.first, "\(r.dump)")
        #expect(r.errors.count == 1)
        #expect(f.line == 5)
        #expect(f.column == 11)
        #expect(f.message.contains("nowhere"))
        #expect(r.inventory == nil)
    }

    @Test func aliasToItsOwnAnchor() throws {
        // A recursive node: must be an error, not an endless expansion.
        let r = parse(header + "x-loop: &loop [a, *loop]\n")
        #expect(r.errors.count == 1, "\(r.dump)")
        #expect(r.errors.first?.line == 3)
    }

    @Test("a Windows-1252 dash or quote (0x80…0x9F) is named as such, with the conversion that fixes the file")
    func windows1252Punctuation() throws {
        let bytes = Array("inventory: 1\norganisation: {id: a, name: \"Acme ".utf8) + [0x96] + Array(" AB\", type: annan}\n".utf8)
        let f = try #require(Loader.parse(bytes: bytes, path: "k.yaml", limits: .standard).findings(.fileEncoding).first)
        #expect(f.message == "this byte (0x96) is not UTF-8; in Windows-1252 it is `–`, so the file is probably saved in it", "\(f.message)")
        #expect(f.help?.contains("iconv -f WINDOWS-1252 -t UTF-8") == true)
    }

    @Test("a bad id whose slug another item of the file has is suggested the next free one; renamed so, the file is clean")
    func badIDSuggestionIsFree() throws {
        let text = header + "hard:\n  - {id: Serverhall, name: S, capability: datacenter}\n  - {id: serverhall, name: S2, capability: datacenter}\n"
            + "  - {id: serverhall-2, name: S3, capability: datacenter}\n"
        let f = try #require(parse(text).findings(.badID).first)
        #expect(f.help?.hasSuffix("e.g. `serverhall-3` (`serverhall` is taken)") == true, "\(f.help ?? "")")
        let renamed = parse(text.replacingOccurrences(of: "id: Serverhall", with: "id: serverhall-3"))
        #expect(renamed.findings.isEmpty, "\(renamed.dump)")
        // A free slug is suggested as it is.
        #expect(parse(header + "hard:\n  - {id: Hall, name: H, capability: datacenter}\n").findings(.badID).first?.help?.hasSuffix("e.g. `hall`") == true)
        // Two bad ids with the same slug: the second is suggested the next one, so following both makes no duplicate.
        let two = header + "hard:\n  - {id: Server Hall, name: A, capability: datacenter}\n  - {id: server_hall, name: B, capability: datacenter}\n"
        let helps = parse(two).findings(.badID).map { $0.help ?? "" }
        #expect(helps.count == 2 && helps[0].hasSuffix("e.g. `server-hall`")
                && helps[1].hasSuffix("e.g. `server-hall-2` (`server-hall` is suggested above for another item)"), "\(helps)")
        let followed = parse(two.replacingOccurrences(of: "Server Hall", with: "server-hall").replacingOccurrences(of: "server_hall", with: "server-hall-2"))
        #expect(followed.findings.isEmpty, "\(followed.dump)")
    }

    @Test("': ' inside a value: the help quotes the value as written, and following it reads the file")
    func colonInValueQuoted() throws {
        let text = header + "hard:\n  - id: x\n    name: Felanmälan: POB\n    capability: datacenter\n"
        let f = try #require(parse(text).findings(.yamlSyntax).first, "\(parse(text).dump)")
        #expect(f.help == "put the whole value in quotes: `name: \"Felanmälan: POB\"`", "\(f.help ?? "")")
        let fixed = parse(text.replacingOccurrences(of: "name: Felanmälan: POB", with: "name: \"Felanmälan: POB\""))
        #expect(fixed.findings.isEmpty && fixed.item("x")?.name?.value == "Felanmälan: POB", "\(fixed.dump)")
        #expect(EventReader.quotedValue(line: "  - {id: a, name: b: c}").hasPrefix("e.g."))
    }

    @Test("small forms written right: a year below 1000 in four digits, a comment kept out of a quoted value, a stray continuation byte not called a character's start")
    func smallForms() throws {
        #expect(CalendarDate(year: 999, month: 12, day: 31).description == "0999-12-31")
        #expect(CalendarDate(year: 1, month: 1, day: 1).description == "0001-01-01")
        #expect(EventReader.quotedValue(line: "    name: Felanmälan: POB  # en kommentar") == "`name: \"Felanmälan: POB\"`")
        let bytes = Array("inventory: 1\norganisation: {id: a, name: \"x".utf8) + [0x81, 0x8D] + Array("\", type: annan}\n".utf8)
        let f = try #require(Loader.parse(bytes: bytes, path: "k.yaml", limits: .standard).findings(.fileEncoding).first)
        #expect(f.message.hasPrefix("this byte (0x81) is not UTF-8") && !f.message.contains("starts one"), "\(f.message)")
    }

    @Test("a key at the column of the list's dashes: its syntax error, not the item above's missing fields; `-id:` is told to take a space")
    func keyAtTheDashesColumn() throws {
        let under = parse(header + "hard:\n  - id: a\n  name: A\n    capability: datacenter\n")
        #expect(under.rules == [.yamlSyntax], "\(under.dump)")
        #expect(under.findings.first?.message.hasPrefix("this line is at the column of the list's `-`") == true && under.findings.first?.line == 5)
        // A missing field of an earlier item, before the break, stays.
        let earlier = parse(header + "hard:\n  - id: b\n    name: B\n  - id: a\n  name: A\n")
        #expect(earlier.rules.sorted { $0.rawValue < $1.rawValue } == [.missingRequired, .yamlSyntax], "\(earlier.dump)")
        #expect(earlier.findings(.missingRequired).first?.line == 4 && earlier.findings(.missingRequired).first?.message.contains("`b`") == true)
        let dash = parse(header + "hard:\n  - id: a\n    name: A\n    capability: datacenter\n  -id: b\n")
        let f = try #require(dash.findings(.yamlSyntax).first, "\(dash.dump)")
        #expect(f.message == "a `-` with no space after it does not start a list item" && f.line == 7 && f.help == "put a space after the `-` (`- id: …`)", "\(dash.dump)")
    }

    @Test("a key indented deeper than the one above: only the syntax error, not a bad id made of the two lines read as one")
    func deeperKeyTakesItsValueAlong() throws {
        let r = parse(header + "hard:\n  - id: datacenter\n      name: Datacenter\n    capability: datacenter\n")
        #expect(r.rules == [.yamlSyntax], "\(r.dump)")
        #expect(r.findings.first?.message == "this key is indented deeper than the key above it" && r.findings.first?.line == 5)
    }

    @Test func findingsBeforeASyntaxErrorAreKept() throws {
        let r = parse(header + "soft:\n  - {id: x, name: X, capability: c, bogus: 1}\n  - {id: y, name: \"unterminated}\n")
        #expect(r.findings(.unknownKey).count == 1, "\(r.dump)")
        #expect(r.findings(.yamlSyntax).count == 1)
    }

    @Test("broken YAML with no `inventory:` line gets its syntax error alone, not inventory-schema findings for what was read")
    func brokenOtherYAMLHasNoSchemaFindings() throws {
        for text in ["key: [unclosed\nother: 1\n", "{{- if .Values.enabled }}\nkind: Deployment\n"] {
            let r = parse(text)
            #expect(r.findings.map(\.rule) == [.yamlSyntax], "\(r.dump)")
        }
    }

    @Test("a Latin-1 file with no `inventory:` line gets its encoding error alone; an inventory keeps the findings read before it")
    func latinOtherYAMLHasNoSchemaFindings() throws {
        for bytes in [Array("foo: caf".utf8) + [0xE9, 0x0A], Array("foo: 1\ntitle: caf".utf8) + [0xE9, 0x0A]] {
            let r = Loader.parse(bytes: bytes, path: "other.yaml", limits: .standard)
            #expect(r.findings.map(\.rule) == [.fileEncoding], "\(r.dump)")
        }
        let inventory = Array("inventory: 1\nfoo: 1\ntitle: caf".utf8) + [0xE9, 0x0A]
        #expect(Set(Loader.parse(bytes: inventory, path: "k.yaml", limits: .standard).findings.map(\.rule)) == [.unknownKey, .fileEncoding])
    }
}

@Suite("YAMLNode trees")
struct YAMLNodeTests {
    @Test func parsesTextWithoutImplicitTyping() throws {
        let node = try YAMLNode.parse("kommun: [e-archive, 0114]\nregion:\n  - yes\n")
        #expect(node.keys == ["kommun", "region"])
        #expect(node["kommun"]?.list?.map(\.text) == ["e-archive", "0114"])
        #expect(node["region"]?.list?.first?.text == "yes")
        #expect(node["region"]?.list?.first?.position == at(3, 5))
    }

    @Test func hostileInputThrowsTheSameLimits() throws {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { bomb += "b\(i): &a\(i) [" + Array(repeating: i == 1 ? "*a" : "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n" }
        #expect(throws: ReadError.self) { try YAMLNode.parse(bomb) }
        do {
            _ = try YAMLNode.parse(bomb)
        } catch {
            #expect(error.rule == .yamlLimit)
        }
        #expect(throws: ReadError.self) { try YAMLNode.parse(String(repeating: "[", count: 10_000)) }
        #expect(throws: ReadError.self) { try YAMLNode.parse("a: !include x.yaml\n") }
    }

    @Test func trailingGarbageAfterTheRootIsAnError() throws {
        // `--baseline FILE` is user input: a broken end of the file must not be ignored.
        #expect(throws: ReadError.self) { try YAMLNode.parse("[a, b]\n]\n") }
        #expect(throws: ReadError.self) { try YAMLNode.parse("kommun: [a]\n--- \nregion: [b]\n") }
        #expect(throws: ReadError.self) { try YAMLNode.parse("kommun: [a]\n...\nnot: [valid\n") }
    }
}
