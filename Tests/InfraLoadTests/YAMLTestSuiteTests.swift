import Foundation
import Testing
@testable import InfraLoad
import InfraModel

// Every case of the official yaml-test-suite (402 cases, Fixtures/yaml-test-suite/<ID>/in.yaml, copied from ../shared,
// with an empty `error` file for the 94 inputs a parser must reject) goes through both readers:
// `Loader.parse` (inventories) and `YAMLNode.parse` (vocabulary and --baseline files).
// Neither may crash; an invalid input must end in an error unless libyaml 0.2.5 itself
// accepts it; a valid input must not be called a syntax error unless libyaml 0.2.5 cannot
// read it. Where libyaml and the suite disagree the ids are listed below, so any change in
// behaviour (a libyaml upgrade, a loader change) shows up as a failing test.

@Suite("yaml-test-suite")
struct YAMLTestSuiteTests {
    struct Case: Sendable {
        var id: String
        var bytes: [UInt8]
        var mustFail: Bool
        var lineCount: Int { bytes.reduce(1) { $0 + ($1 == 10 ? 1 : 0) } }
    }

    /// Invalid YAML that libyaml 0.2.5 reads without complaint. The loader sees a clean
    /// event stream, finds no `inventory:` key and skips the file with a note.
    /// (The suite's README lists 16; 9HCY is the 16th, but it uses the custom tag `!foo`,
    /// which infra rejects as `custom-tag` before libyaml's leniency matters.)
    static let libyamlAcceptsInvalid: Set<String> = [
        // comments without the required whitespace before `#`
        "9JBA", "CVW2", "SU5Z", "X4QW",
        // directives: %YAML/%TAG variants and missing `...` before a directive
        "EB22", "MUS6-00", "MUS6-01", "RHX7",
        // indentation of flow/quoted content and block scalars
        "9C9N", "QB6E", "S98Z",
        // `-` as a plain scalar inside flow sequences
        "G5U8", "YJV2",
        // tabs that look like indentation
        "DK95-01", "Y79Y-003",
    ]

    /// Valid YAML 1.2 that libyaml 0.2.5 rejects with a parse error (the README's 51).
    /// infra reports these as `yaml-syntax`; none of these constructs is needed to write
    /// an inventory.
    static let libyamlRejectsValid: Set<String> = [
        // anchors/aliases with `:` or non-ASCII in the name, aliases as explicit keys
        "2SXE", "6M2F", "8XYN", "W5VH",
        // empty keys and `?` edge cases
        "2JQS", "CFD4", "FRK4", "M2N8-00", "NHX8", "NKF9", "S3PD", "UKK6-00", "SM9W-01",
        // flow mappings: `:` on the next line, adjacent values, multi-line keys, syntax chars
        "4ABK", "4MUZ-00", "4MUZ-01", "4MUZ-02", "58MP", "5MUD", "5T43", "9SA2", "HM87-00", "K3WX", "NJ66",
        "DBG4", "VJP3-01",
        // tabs as separation or inside indentation
        "6BCT", "6CA3", "96NN-00", "96NN-01", "A2M4", "DK95-00", "DK95-03", "DK95-04", "Q5MG",
        "Y79Y-001", "Y79Y-010", "R4YG",
        // zero-indented block scalars and comment-like lines in them
        "DK3J", "FP8R",
        // YAML 1.2 document markers: bare documents after `...`, `...` then content, 1.3 directives
        "7Z25", "HWV9", "M7A3", "QT73", "UT92", "W4TN",
        "2LFX", "6LVF", "BEC7", "MUS6-05", "MUS6-06",
    ]

    /// Valid YAML using tags other than YAML's core ones (`!!set`, `!!binary`, `!!omap`,
    /// `!local`, `tag:example.com,…`). infra never follows tags, so these are `custom-tag`
    /// errors by design (inventory-format.md: "Custom tags … are never executed or followed: error").
    static let validWithCustomTags: Set<String> = [
        "2XXW", "565N", "5TYM", "6CK3", "6WLZ", "7FWL", "9WXW", "C4HZ", "CC74", "CUP7", "J7PZ", "M5C3",
        "P76L", "UGM3", "Z67P", "Z9M4",
    ]

    /// The suite: a copy kept beside this file (Fixtures/yaml-test-suite, with its LICENSE),
    /// so a clone anywhere runs it.
    static func suiteDirectory() throws -> URL {
        let suite = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/yaml-test-suite")
        var isDir: ObjCBool = false
        try #require(
            FileManager.default.fileExists(atPath: suite.path, isDirectory: &isDir) && isDir.boolValue,
            "the yaml-test-suite is missing: expected a directory at \(suite.path)")
        return suite
    }

    static func loadCases() throws -> [Case] {
        let suite = try suiteDirectory()
        let fm = FileManager.default
        let names = try fm.contentsOfDirectory(atPath: suite.path).sorted()
        var cases: [Case] = []
        for name in names {
            let dir = suite.appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else { continue }
            let input = dir.appendingPathComponent("in.yaml")
            let data = try #require(fm.contents(atPath: input.path), "case \(name) has no readable in.yaml")
            cases.append(Case(id: name, bytes: [UInt8](data),
                              mustFail: fm.fileExists(atPath: dir.appendingPathComponent("error").path)))
        }
        return cases
    }

    @Test func suiteIsThereAndComplete() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 400, "only \(cases.count) cases found")
        #expect(cases.filter(\.mustFail).count >= 90)
        let ids = Set(cases.map(\.id))
        for listed in Self.libyamlAcceptsInvalid.union(Self.libyamlRejectsValid).union(Self.validWithCustomTags) {
            #expect(ids.contains(listed), "listed case \(listed) is not in the suite")
        }
        for id in Self.libyamlAcceptsInvalid { #expect(cases.first { $0.id == id }?.mustFail == true, "\(id)") }
        for id in Self.libyamlRejectsValid.union(Self.validWithCustomTags) {
            #expect(cases.first { $0.id == id }?.mustFail == false, "\(id)")
        }
    }

    @Test func loaderOnEveryCase() throws {
        let cases = try Self.loadCases()
        try #require(!cases.isEmpty)
        var acceptedInvalid = Set<String>(), syntaxErrorOnValid = Set<String>(), customTagOnValid = Set<String>()
        var checked = 0
        for c in cases {
            let path = "\(c.id)/in.yaml"
            let r = Loader.parse(bytes: c.bytes, path: path)
            checked += 1
            let errors = r.errors
            for f in r.findings {
                #expect(f.file == path, "\(c.id): \(f)")
            }
            for f in errors {
                // Every error points into the file, 1-based.
                #expect((1...c.lineCount + 1).contains(f.line ?? 0) && (f.column ?? 0) >= 1, "\(c.id): \(f)")
            }
            if r.inventory != nil {
                Issue.record("\(c.id) was read as an inventory")
            }
            if errors.isEmpty {
                // The only clean outcome for these files: skipped with one note.
                #expect(r.skippedReason != nil && r.rules == [.notAnInventory], "\(c.id):\n\(r.dump)")
            } else {
                #expect(r.skippedReason == nil, "\(c.id)")
            }
            if c.mustFail {
                if errors.isEmpty { acceptedInvalid.insert(c.id) }
            } else {
                if errors.contains(where: { $0.rule == .yamlSyntax }) { syntaxErrorOnValid.insert(c.id) }
                if errors.contains(where: { $0.rule == .customTag }) { customTagOnValid.insert(c.id) }
                let explained = errors.filter { $0.rule == .yamlSyntax || $0.rule == .customTag }
                #expect(errors.isEmpty || !explained.isEmpty, "\(c.id): unexpected errors on valid YAML:\n\(r.dump)")
                #expect(!errors.contains { $0.rule == .yamlLimit || $0.rule == .fileEncoding }, "\(c.id):\n\(r.dump)")
            }
        }
        #expect(checked == cases.count)
        // Invalid files whose only other problem is a custom tag are skipped as "not an
        // inventory" like any tagged non-inventory YAML (CloudFormation, Ansible).
        let expectedAccepted = Self.libyamlAcceptsInvalid.union(["9HCY", "QLJ7"])
        #expect(acceptedInvalid == expectedAccepted,
                "newly accepted: \(acceptedInvalid.subtracting(expectedAccepted).sorted()), now rejected: \(expectedAccepted.subtracting(acceptedInvalid).sorted())")
        #expect(syntaxErrorOnValid == Self.libyamlRejectsValid,
                "newly rejected: \(syntaxErrorOnValid.subtracting(Self.libyamlRejectsValid).sorted()), now accepted: \(Self.libyamlRejectsValid.subtracting(syntaxErrorOnValid).sorted())")
        // Valid YAML with custom tags is not an inventory either: skipped, never an error.
        #expect(customTagOnValid.isEmpty, "custom-tag errors on non-inventory files: \(customTagOnValid.sorted())")
    }

    @Test func yamlNodeOnEveryCase() throws {
        let cases = try Self.loadCases()
        try #require(!cases.isEmpty)
        var acceptedInvalid = Set<String>(), syntaxErrorOnValid = Set<String>(), acceptedLibyamlRejects = Set<String>()
        for c in cases {
            let text = String(decoding: c.bytes, as: UTF8.self)
            var thrown: ReadError?
            do throws(ReadError) {
                _ = try YAMLNode.parse(text)
            } catch {
                thrown = error
                #expect(error.position.isKnown && Int(error.position.line) <= c.lineCount + 1, "\(c.id): \(error)")
            }
            if c.mustFail {
                if thrown == nil { acceptedInvalid.insert(c.id) }
            } else {
                if thrown?.rule == .yamlSyntax { syntaxErrorOnValid.insert(c.id) }
                if thrown == nil, Self.libyamlRejectsValid.contains(c.id) { acceptedLibyamlRejects.insert(c.id) }
            }
        }
        // Invalid input is rejected exactly where libyaml rejects it: the reader must see the
        // whole stream, not stop after the first node.
        // YAMLNode reads the whole stream, so it also rejects the directive and
        // multi-document cases libyaml lets through (EB22, MUS6-01, RHX7).
        #expect(acceptedInvalid == Self.libyamlAcceptsInvalid.subtracting(["EB22", "MUS6-01", "RHX7"]),
                "accepted although libyaml rejects them: \(acceptedInvalid.subtracting(Self.libyamlAcceptsInvalid).sorted()); now rejected: \(Self.libyamlAcceptsInvalid.subtracting(acceptedInvalid).sorted())")
        // A syntax error on valid YAML only where libyaml cannot read it...
        #expect(syntaxErrorOnValid.isSubset(of: Self.libyamlRejectsValid),
                "syntax errors on valid YAML libyaml reads: \(syntaxErrorOnValid.subtracting(Self.libyamlRejectsValid).sorted())")
        // ...and what libyaml cannot read is not silently half-read.
        #expect(acceptedLibyamlRejects.isEmpty,
                "libyaml rejects these, YAMLNode.parse returned a tree: \(acceptedLibyamlRejects.sorted())")
    }
}
