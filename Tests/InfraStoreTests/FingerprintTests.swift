import Foundation
import InfraModel
import Testing
@testable import InfraStore

@Suite("fingerprints and the findings baseline")
struct FingerprintTests {
    @Test("FNV-1a 64 has its published values")
    func fnv() {
        var h = FNV1a64()
        #expect(h.hex == "cbf29ce484222325")
        h.add("a")
        #expect(h.hex == "af63dc4c8601ec8c")
        var foobar = FNV1a64()
        foobar.add("foobar")
        #expect(foobar.hex == "85944171f73967e8")
    }

    @Test("line numbers and unquoted numbers do not count; quoted ids do")
    func normalise() {
        #expect(Fingerprint.normalise("item id `diarium` is already used in a/kommun.yaml:46")
                    == "item id `diarium` is already used in FILE")
        #expect(Fingerprint.normalise("item id `diarium` is already used in ./inv/a/kommun.yaml:46")
                    == "item id `diarium` is already used in FILE")
        #expect(Fingerprint.normalise("organisation `x` already has a full header in x2.yml:7")
                    == "organisation `x` already has a full header in FILE")
        #expect(Fingerprint.normalise("did not find expected key while parsing a block mapping at line 12")
                    == "did not find expected key while parsing a block mapping at line #")
        #expect(Fingerprint.normalise("37 services depend on `server-01` (4 critical)") == "# services depend on `server-01` (# critical)")
        #expect(Fingerprint.normalise("`id` \"E_Arkiv2\" is not a valid id") == "`id` \"E_Arkiv2\" is not a valid id")
        #expect(Fingerprint.normalise("uses ipv6 and h264") == "uses ipv6 and h264")
    }

    func finding(_ rule: RuleID = "duplicate-id", message: String, line: Int = 3, organisation: String? = "kommun-a",
                 item: String? = "diarium", related: [String] = [], file: String? = "a.yaml") -> Finding {
        Finding(rule: rule, severity: .error, message: message, file: file, position: TextPosition(line: line, column: 5),
                organisation: organisation, item: item, related: related)
    }

    @Test("a finding keeps its fingerprint when lines move")
    func stableAcrossLines() {
        let a = finding(message: "item id `diarium` is already used in a.yaml:10", line: 20)
        let b = finding(message: "item id `diarium` is already used in a.yaml:14", line: 31)
        #expect(Fingerprint.of(a) == Fingerprint.of(b))
        #expect(Fingerprint.of(a).count == 16)
        // …but not when it is about something else.
        #expect(Fingerprint.of(a) != Fingerprint.of(finding(message: "item id `arkiv` is already used in a.yaml:10", item: "arkiv")))
        #expect(Fingerprint.of(a) != Fingerprint.of(finding("bad-id", message: "item id `diarium` is already used in a.yaml:10")))
    }

    @Test("a duplicate keeps its fingerprint when the other copy moves to another file or its file is renamed")
    func stableAcrossFiles() {
        let fingerprints = Set(["a.yaml", "c.yaml", "inv/renamed one.yaml"].map {
            Fingerprint.of(finding(message: "item id `diarium` is already used in \($0):10", file: "b.yaml"))
        })
        #expect(fingerprints.count == 1)
    }

    /// A one-entry baseline as an earlier infra wrote it: `subject` as it was then, and its fingerprint.
    static func baselineWrittenBefore(rule: String, subject: String, message: String) throws -> FindingsBaseline {
        let fingerprint = Fingerprint.of(rule: rule, organisation: "kommun-a", item: "diarium", subject: subject)
        let text = """
            {"version": 1, "findings": [{"fingerprint": "\(fingerprint)", "rule": "\(rule)", "organisation": "kommun-a", \
            "item": "diarium", "subject": "\(subject)", "message": "\(message)"}]}
            """
        return try FindingsBaseline.parse(Data(text.utf8), file: "old.json")
    }

    @Test("a baseline written when a duplicate's subject named the other file still accepts it")
    func baselineFromBefore() throws {
        let now = finding(message: "item id `diarium` is already used in inv/c.yaml:5")
        // As infra wrote it before: the file's name in the subject, and the fingerprint of that.
        let baseline = try Self.baselineWrittenBefore(rule: "duplicate-id", subject: "item id `diarium` is already used in a.yaml",
                                                      message: "item id `diarium` is already used in a.yaml:3")
        let match = baseline.match([now])
        #expect(match.new.isEmpty && match.accepted.count == 1 && match.gone.isEmpty, "\(match)")
        #expect(baseline.entries.first?.subject == "item id `diarium` is already used in FILE")
    }

    @Test("infra's suggestion is not part of a fingerprint: adding an unrelated item that becomes the nearest id brings nothing back")
    func suggestionsLeftOut() {
        let before = finding("unresolved-reference", message: "`molntjnst` refers to no item in this scan — did you mean `molntjanst`?")
        let after = finding("unresolved-reference", message: "`molntjnst` refers to no item in this scan — did you mean `amolntjnst`?")
        let none = finding("unresolved-reference", message: "`molntjnst` refers to no item in this scan")
        #expect(Fingerprint.of(before) == Fingerprint.of(after) && Fingerprint.of(after) == Fingerprint.of(none))
        // What the user wrote still counts.
        #expect(Fingerprint.of(before) != Fingerprint.of(finding("unresolved-reference", message: "`molntjns` refers to no item in this scan")))
    }

    @Test("the suggestion is cut at the first ` — ` (a spaced em dash), not at a dash without spaces")
    func suggestionCut() {
        #expect(Fingerprint.withoutSuggestion("`Växjö` is unknown — did you mean `Växjö kommun`?") == "`Växjö` is unknown")
        #expect(Fingerprint.withoutSuggestion("a — b — c") == "a")
        #expect(Fingerprint.withoutSuggestion("ends with a dash — ") == "ends with a dash")
        #expect(Fingerprint.withoutSuggestion(" — at the start") == "")
        for kept in ["no suggestion", "`a—b` has no spaces", "a - b", "a – b (en dash)", "a —", ""] {
            #expect(Fingerprint.withoutSuggestion(kept) == kept)
        }
    }

    @Test("a baseline written when subjects held the suggestion still accepts the finding whatever it suggests now")
    func baselineFromBeforeSuggestionsLeftOut() throws {
        let oldSubject = "`molntjnst` refers to no item in this scan — did you mean `molntjanst`?"
        let baseline = try Self.baselineWrittenBefore(rule: "unresolved-reference", subject: oldSubject, message: oldSubject)
        let now = finding("unresolved-reference", message: "`molntjnst` refers to no item in this scan — did you mean `amolntjnst`?")
        let match = baseline.match([now])
        #expect(match.new.isEmpty && match.accepted.count == 1 && match.gone.isEmpty, "\(match)")
        #expect(baseline.entries.first?.subject == "`molntjnst` refers to no item in this scan")
    }

    @Test("a finding keeps its fingerprint whichever directory the scan ran from")
    func stableAcrossDirectories() {
        let paths = ["inv/a.yaml", "./inv/a.yaml", "a.yaml", "/ci/work/inv/a.yaml"]
        let duplicates = Set(paths.map { Fingerprint.of(finding(message: "item id `diarium` is already used in \($0):10", file: $0)) })
        #expect(duplicates.count == 1)
        let unreadable = Set(paths.map { Fingerprint.of(finding("yaml-syntax", message: "bad indentation", organisation: nil, item: nil, file: $0)) })
        #expect(unreadable.count == 1)
        // Another file is another finding.
        #expect(!unreadable.contains(Fingerprint.of(finding("yaml-syntax", message: "bad indentation", organisation: nil, item: nil, file: "b.yaml"))))
    }

    @Test("a group finding is the same whichever member file order makes its item")
    func groups() {
        let first = finding("dependency-cycle", message: "dependency cycle of 2 items: kommun-a/x → kommun-a/y → kommun-a/x",
                            item: "x", related: ["kommun-a/x", "kommun-a/y"])
        let reordered = finding("dependency-cycle", message: "dependency cycle of 2 items: kommun-a/y → kommun-a/x → kommun-a/y",
                                item: "y", related: ["kommun-a/y", "kommun-a/x"])
        #expect(Fingerprint.of(first) == Fingerprint.of(reordered))
        let other = finding("dependency-cycle", message: "dependency cycle of 2 items: kommun-a/x → kommun-a/z",
                            item: "x", related: ["kommun-a/x", "kommun-a/z"])
        #expect(Fingerprint.of(first) != Fingerprint.of(other))
    }

    @Test("a finding without an organisation is anchored to its file")
    func fileFindings() {
        let a = finding("yaml-syntax", message: "mapping values are not allowed here", organisation: nil, item: nil, file: "a.yaml")
        let b = finding("yaml-syntax", message: "mapping values are not allowed here", organisation: nil, item: nil, file: "b.yaml")
        #expect(Fingerprint.of(a) != Fingerprint.of(b))
    }

    @Test("baseline: matching counts fingerprints; gone entries are reported")
    func baselineMatch() {
        let x = finding(message: "a `x`", item: "x"), y = finding(message: "a `y`", item: "y"), z = finding(message: "a `z`", item: "z")
        let baseline = FindingsBaseline(findings: [x, y, y])
        let match = baseline.match([y, z, y, y, x])
        #expect(match.new == [z, y], "the third y is beyond the two accepted")
        #expect(match.accepted == [y, y, x])
        #expect(match.gone.isEmpty)
        let shrunk = baseline.match([y])
        #expect(shrunk.new.isEmpty)
        #expect(shrunk.gone.count == 2, "x and one of the two y")
        #expect(Set(shrunk.gone.map(\.fingerprint)) == [Fingerprint.of(x), Fingerprint.of(y)])
    }

    @Test("baseline file: written, read back, versioned")
    func baselineFile() throws {
        let findings = [finding(message: "line \"quoted\"\nnext `x`", item: "x"), finding("yaml-syntax", message: "bad", organisation: nil, item: nil)]
        let baseline = FindingsBaseline(findings: findings)
        let text = baseline.text()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["version"] as? Int == 1)
        let list = try #require(object["findings"] as? [[String: Any]])
        #expect(list.count == 2)
        #expect(Set(list[0].keys) == ["fingerprint", "rule", "organisation", "item", "subject", "message"])
        let back = try FindingsBaseline.parse(Data(text.utf8), file: "b.json")
        #expect(back.entries == baseline.entries)
        #expect(back.match(findings).new.isEmpty)

        #expect(throws: FindingsBaseline.FormatError.self) { try FindingsBaseline.parse(Data("{\"version\": 2, \"findings\": []}".utf8), file: "b.json") }
        #expect(throws: FindingsBaseline.FormatError.self) { try FindingsBaseline.parse(Data("[1, 2]".utf8), file: "b.json") }
        #expect(throws: FindingsBaseline.FormatError.self) { try FindingsBaseline.parse(Data("{\"version\": 1, \"findings\": [{}]}".utf8), file: "b.json") }
        #expect(FindingsBaseline(findings: []).text() == "{\n  \"version\": 1,\n  \"findings\": []\n}\n")
    }

    @Test("JSON text lists survive odd characters")
    func jsonText() {
        let values = ["plain", "quote \" and \\ backslash", "tab\tnewline\n", "\u{1}control", "åäö 🙂", ""]
        #expect(JSONText.parseArray(JSONText.array(values)) == values)
        let object = JSONText.parseObject(JSONText.object([("a\"b", 0.25), ("2281", 1)]))
        #expect(object.map(\.key) == ["a\"b", "2281"])
        #expect(object.map(\.share) == [0.25, 1])
        let parsed = try? JSONSerialization.jsonObject(with: Data(JSONText.array(values).utf8)) as? [String]
        #expect(parsed == values, "the store's JSON is JSON for SQLite's json_each too")
    }
}
