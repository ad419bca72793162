import Foundation
import Testing
@testable import InfraLoad
import InfraModel

// Behaviour of the inventory loader that users rely on: where findings point,
// how scalars are typed by their field, and which schema errors are reported.
// The contract is /work/shared/design/inventory-format.md.

@Suite("Locations")
struct LocationTests {
    // Columns below are counted by hand; each line is written out so they can be checked.
    static let text = """
        inventory: 1
        organisation:
          id: upplands-vasby
          name: Upplands Väsby kommun
          type: kommun
        soft:
          - id: e-arkiv
            name: E-arkiv
            capability: e-archive
            standards: [fgs-paket, oais]
            depends_on:
              - datacenter
              - inera/siths
        hard:
          - {id: datacenter, name: Datahall, capability: datacenter}
          - {name: Skärgårdsnät, id: skargard, capability: fiber}

        """

    @Test func itemFieldsAreLocatedOneBased() throws {
        let r = parse(Self.text)
        #expect(r.findings.isEmpty, "\(r.dump)")
        let inv = try #require(r.inventory)
        #expect(inv.organisation.id == Located("upplands-vasby", at: at(3, 7)))
        let item = try #require(r.item("e-arkiv"))
        #expect(item.layer == .soft)
        #expect(item.id == Located("e-arkiv", at: at(7, 9)))
        #expect(item.position == at(7, 5))
        #expect(item.name == Located("E-arkiv", at: at(8, 11)))
        #expect(item.capability == Located("e-archive", at: at(9, 17)))
        #expect(item.standards == [Located("fgs-paket", at: at(10, 17)), Located("oais", at: at(10, 28))])
        #expect(item.dependsOn == [Located("datacenter", at: at(12, 9)), Located("inera/siths", at: at(13, 9))])
    }

    @Test func flowMappingItemsAreLocated() throws {
        let r = parse(Self.text)
        let dc = try #require(r.item("datacenter"))
        #expect(dc.layer == .hard)
        #expect(dc.position == at(15, 5))
        #expect(dc.id == Located("datacenter", at: at(15, 10)))
        #expect(dc.capability == Located("datacenter", at: at(15, 50)))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        // "Skärgårdsnät" is 12 characters but 15 bytes; editors count characters.
        let r = parse(Self.text)
        let item = try #require(r.item("skargard"))
        #expect(item.name?.position == at(16, 12))
        #expect(item.id.position == at(16, 30))
    }

    @Test func itemsKeepFileOrderAcrossLayers() throws {
        let r = parse(Self.text)
        #expect(r.inventory?.items.map(\.id.value) == ["e-arkiv", "datacenter", "skargard"])
        #expect(r.inventory?.file == "kommun.yaml")
        #expect(r.inventory?.version == 1)
    }

    @Test func windowsLineEndings() throws {
        let r = parse("inventory: 1\r\norganisation: {id: a}\r\nsoft:\r\n  - id: x\r\n    name: X\r\n    capability: c\r\n    bogus: 1\r\n")
        #expect(r.rules == [.unknownKey], "\(r.dump)")
        #expect(r.findings.first?.line == 7)
        #expect(r.findings.first?.column == 5)
        #expect(r.item("x")?.id == Located("x", at: at(4, 9)))
        #expect(r.item("x")?.name?.value == "X")
    }

    @Test func findingsPointAtTheOffendingKeyAndCarryTheFile() throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a}
            services:
              - id: x
                name: X
                capability: e-services
                  # a comment
                statsu: active

            """, path: "dir/a.yaml")
        let f = try #require(r.findings(.unknownKey).first, "\(r.dump)")
        #expect(f.line == 8)
        #expect(f.column == 5)
        #expect(f.file == "dir/a.yaml")
        #expect(f.severity == .error)
    }
}

@Suite("Scalars are typed by their field")
struct TypingTests {
    @Test func numbersBooleansAndDatesStayText() throws {
        let r = parse("""
            inventory: 1
            organisation:
              id: upplands-vasby
              name: 123
              type: kommun
              code: 0114
              county: 01
              org_number: 212000-0142
              contact: 0.5
            services:
              - id: skola
                name: 1.10
                capability: school-platform
                product: 1.10
                vendor: 0x1F
                tags: [yes, NO, on, 1e3, 0o14, .inf, 2027-06-30]
                notes: 2027-06-30
                x-version: 1.10

            """)
        #expect(r.findings.isEmpty, "\(r.dump)")
        let header = try #require(r.inventory?.organisation)
        #expect(header.name?.value == "123")
        #expect(header.code?.value == "0114")
        #expect(header.county?.value == "01")
        #expect(header.orgNumber?.value == "212000-0142")
        #expect(header.contact == "0.5")
        let item = try #require(r.item("skola"))
        #expect(item.name?.value == "1.10")
        #expect(item.product?.value == "1.10")
        #expect(item.vendor == "0x1F")
        #expect(item.tags == ["yes", "NO", "on", "1e3", "0o14", ".inf", "2027-06-30"])
        #expect(item.notes == "2027-06-30")
        #expect(item.extensions["x-version"] == "1.10")
    }

    @Test func quotedAndTaggedTextIsKeptAsWritten() throws {
        let r = parse("""
            inventory: "1"
            organisation: {id: a, name: 'Kommun A', type: kommun, code: "0114"}
            soft:
              - {id: x, name: !!str 0114, capability: e-archive, product: ! 007}

            """)
        #expect(r.findings.isEmpty, "\(r.dump)")
        #expect(r.inventory?.organisation.code?.value == "0114")
        #expect(r.item("x")?.name?.value == "0114")
        #expect(r.item("x")?.product?.value == "007")
    }

    @Test func idsThatLookLikeNumbersAreIDs() throws {
        let r = parse("""
            inventory: 1
            organisation: {id: 0114}
            hard:
              - {id: 2025, name: N, capability: fiber, depends_on: [0114/1, 010]}

            """)
        #expect(r.findings.isEmpty, "\(r.dump)")
        #expect(r.inventory?.organisation.id.value == "0114")
        #expect(r.item("2025")?.dependsOn.map(\.value) == ["0114/1", "010"])
    }

    @Test(arguments: [("true", true), ("false", false), ("\"true\"", true)])
    func critical(_ written: String, _ expected: Bool) throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a}
            soft:
              - {id: x, name: X, capability: e-archive, critical: \(written)}

            """)
        #expect(r.findings.isEmpty, "\(r.dump)")
        #expect(r.item("x")?.critical == expected)
    }

    @Test func criticalDefaultsToFalse() throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - {id: x, name: X, capability: e-archive}\n")
        #expect(r.item("x")?.critical == false)
    }

    @Test(arguments: ["maybe", "2", "[true]", "{a: b}"])
    func criticalThatIsNotABooleanIsWrongType(_ written: String) throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a}
            soft:
              - id: x
                name: X
                capability: e-archive
                critical: \(written)

            """)
        let f = try #require(r.findings(.wrongType).first, "\(r.dump)")
        #expect(r.errors.count == 1, "\(r.dump)")
        #expect(f.severity == .error)
        #expect(f.line == 7)
        #expect(f.column == 15)
        #expect(f.item == "x")
        // The rest of the item is still read.
        #expect(r.item("x")?.capability?.value == "e-archive")
    }
}

@Suite("A single value where a list belongs")
struct SingleValueListTests {
    @Test("the help's `[…]`, pasted back, reads as what was written: one text, or the values between its commas", arguments: [
        ("datacenter", ["datacenter"]), ("#skola", ["#skola"]), ("Skola: grundskola", ["Skola: grundskola"]), ("&skola", ["&skola"]),
        ("x]", ["x]"]), ("skola, vård", ["skola", "vård"]), ("k,wan", ["k", "wan"]), ("*ref", ["*ref"]), ("\"citat\"", ["\"citat\""]),
        ("a #b", ["a #b"]), ("!tag", ["!tag"]), ("#a, b", ["#a", "b"]),
    ])
    func helpReadsBack(_ value: String, _ meant: [String]) throws {
        // The value written quoted (any text), and the help's list put in its place.
        let quoted = "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        func file(_ tags: String) -> String {
            "inventory: 1\norganisation: {id: a}\nsoft:\n  - {id: x, name: X, capability: e-archive, tags: \(tags)}\n"
        }
        let r = parse(file(quoted))
        let f = try #require(r.findings(.wrongType).first, "\(r.dump)")
        let help = try #require(f.help)
        let list = try #require(help.firstRange(of: "tags: ").map { String(help[$0.upperBound...].dropLast()) }, "\(help)")
        let fixed = parse(file(list))
        #expect(fixed.findings.isEmpty, "\(list): \(fixed.dump)")
        #expect(fixed.item("x")?.tags == meant, "\(list)")
    }
}

@Suite("A misspelt key beside the real one")
struct MisspeltBesideRealKeyTests {
    @Test("`dependson:` next to `depends_on:` is told to move its entries over (renamed, one would be lost); alone, to be renamed")
    func moveInsteadOfRename() throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a, name: A, type: annan, nmae: B}
            soft:
              - {id: x, name: X, capability: e-archive, depends_on: [y], dependson: [z]}
              - {id: y, name: Y, capability: e-archive, dependson: [z]}
            """)
        let unknown = r.findings(.unknownKey)
        #expect(unknown.count == 3, "\(r.dump)")
        #expect(unknown.first { $0.line == 2 }?.help == "the header has `name:` already (only one is read): move what this one holds into it, then delete this line")
        #expect(unknown.first { $0.line == 4 }?.help == "this item has `depends_on:` already (only one is read): move what this one holds into it, then delete this line")
        #expect(unknown.first { $0.line == 5 }?.help == "rename it to `depends_on` (a key of your own would start with `x-`)")
    }
}

@Suite("Dates")
struct DateTests {
    static func item(reviewed: String) -> FileResult {
        parse("""
            inventory: 1
            organisation: {id: a}
            soft:
              - id: x
                name: X
                capability: e-archive
                reviewed: \(reviewed)

            """)
    }

    @Test(arguments: [
        ("2027-06-30", CalendarDate(year: 2027, month: 6, day: 30)),
        ("\"2027-06-30\"", CalendarDate(year: 2027, month: 6, day: 30)),
        ("2024-02-29", CalendarDate(year: 2024, month: 2, day: 29)),  // leap year
        ("2000-02-29", CalendarDate(year: 2000, month: 2, day: 29)),  // divisible by 400: leap
        ("2026-12-31", CalendarDate(year: 2026, month: 12, day: 31)),
    ])
    func validDates(_ written: String, _ expected: CalendarDate) throws {
        let r = Self.item(reviewed: written)
        #expect(r.findings.isEmpty, "\(r.dump)")
        #expect(r.item("x")?.reviewed == Located(expected, at: at(7, 15)))
    }

    @Test(arguments: [
        "2027-02-30", "2023-02-29",  // not a leap year
        "1900-02-29",                // divisible by 100 but not 400: not a leap year
        "2027-06-31", "2027-13-01", "2027-00-10", "2027-6-30", "30/06/2027", "soon", "2027-06-30T12:00:00Z",
    ])
    func impossibleOrMalformedDatesAreBadDate(_ written: String) throws {
        let r = Self.item(reviewed: written)
        let f = try #require(r.findings(.badDate).first, "\(r.dump)")
        #expect(r.findings.count == 1, "\(r.dump)")
        #expect(f.severity == .error)
        #expect(f.line == 7)
        #expect(f.column == 15)
        #expect(f.message.contains(written))
        #expect(f.item == "x")
        #expect(f.organisation == "a")
        #expect(r.item("x")?.reviewed == nil)
    }

    @Test("a real date written another common way is told what it needs, with the date as it is written",
          arguments: [("2024-1-5", "needs two digits for the month and the day", "2024-01-05"),
                      ("2024-01-05T10:00:00Z", "has a time of day", "2024-01-05"),
                      ("2024-01-05 10:00", "has a time of day", "2024-01-05"),
                      ("2024/01/05", "is written with other separators", "2024-01-05"),
                      ("2024.1.5", "is written with other separators", "2024-01-05"),
                      ("20270630", "has no hyphens", "2027-06-30"), ("30/06/2027", "puts the day first", "2027-06-30"),
                      ("30.6.2027", "puts the day first", "2027-06-30")])
    func nearDatesSayWhatToWrite(_ written: String, why: String, date: String) throws {
        let f = try #require(Self.item(reviewed: written).findings(.badDate).first)
        #expect(f.message == "`reviewed` \"\(written)\" \(why); dates are written YYYY-MM-DD", "\(f.message)")
        #expect(f.help == "write it \(date)")
    }

    @Test("an impossible date or one in another order gets the general help", arguments: ["2024-02-30", "05/01/2024", "2024-13-1", "soon"])
    func otherBadDatesGetTheGeneralHelp(_ written: String) throws {
        let f = try #require(Self.item(reviewed: written).findings(.badDate).first)
        // `reviewed` is the day it was checked: no fixed example, which would age into stale-review.
        #expect(f.message.hasSuffix("is not a valid date") && f.help == "write the day it was last checked, as YYYY-MM-DD", "\(f)")
    }

    @Test func endOfSupportIsADateToo() throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a}
            soft:
              - {id: x, name: X, capability: e-archive, end_of_support: 2027-06-30}
              - {id: y, name: Y, capability: e-archive, end_of_support: 2027-02-30}

            """)
        #expect(r.item("x")?.endOfSupport?.value == CalendarDate(year: 2027, month: 6, day: 30))
        #expect(r.findings(.badDate).map(\.item) == ["y"], "\(r.dump)")
        #expect(r.findings(.badDate).first?.line == 5)
    }
}

@Suite("Enumerations")
struct EnumTests {
    @Test(arguments: ItemStatus.allCases)
    func everyStatusIsRead(_ status: ItemStatus) throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - {id: x, name: X, capability: e-archive, status: \(status.rawValue)}\n")
        #expect(r.findings.isEmpty, "\(r.dump)")
        #expect(r.item("x")?.status == status)
        #expect(r.item("x")?.statusPosition == at(4, 53))
    }

    @Test func statusDefaultsToActive() throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - {id: x, name: X, capability: e-archive}\n")
        #expect(r.item("x")?.status == .active)
    }

    @Test(arguments: [("activ", "active"), ("Retired", "retired"), ("planed", "planned"), ("retird", "retired")])
    func badStatusSuggestsTheNearest(_ written: String, _ suggestion: String) throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a}
            soft:
              - id: x
                name: X
                capability: e-archive
                status: '\(written)'

            """)
        let f = try #require(r.findings(.badEnum).first, "\(r.dump)")
        #expect(r.findings.count == 1, "\(r.dump)")
        #expect(f.severity == .error)
        #expect(f.line == 7)
        #expect(f.column == 13)
        #expect(f.item == "x")
        #expect(f.message.contains("did you mean `\(suggestion)`"), "\(f.message)")
    }

    @Test func unrelatedStatusListsTheOptionsWithoutAGuess() throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - {id: x, name: X, capability: e-archive, status: production}\n")
        let f = try #require(r.findings(.badEnum).first, "\(r.dump)")
        #expect(!f.message.contains("did you mean"))
        for option in ["planned", "active", "retiring", "retired"] { #expect(f.message.contains(option)) }
    }

    @Test func organisationTypeAndSensitivityAreEnums() throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a, name: A, type: kommunn}
            soft:
              - {id: x, name: X, capability: e-archive, sensitivity: restricted}
              - {id: y, name: Y, capability: e-archive, sensitivity: secret}

            """)
        #expect(r.item("x")?.sensitivity == .restricted)
        #expect(r.item("y")?.sensitivity == .internal)
        let enums = r.findings(.badEnum)
        #expect(enums.count == 2, "\(r.dump)")
        #expect(enums.contains { $0.line == 2 && $0.message.contains("did you mean `kommun`") && $0.item == nil })
        #expect(enums.contains { $0.line == 5 && $0.item == "y" })
    }
}

@Suite("Unknown keys and extensions")
struct KeyTests {
    /// Keys are recognised from libyaml's bytes; everything else is text, however close.
    @Test func keysAreRecognisedByTheirExactBytes() {
        func match(_ text: String) -> Key {
            let bytes = Array(text.utf8) + [0]  // never empty: libyaml hands over a pointer even for ""
            return bytes.withUnsafeBufferPointer { Key.match($0.baseAddress!, count: $0.count - 1) }
        }
        for key in Key.allCases where key != .other {
            #expect(key.name == String(describing: key), "the spelling of \(key)")
            #expect(match(key.name) == key, "\(key.name)")
            #expect(match(key.name + "s") == .other, "\(key.name)s")
            #expect(match(String(key.name.dropLast())) == .other, "\(key.name) without its last letter")
            #expect(match(key.name.uppercased()) == .other, "\(key.name) in capitals")
        }
        // Same length and first letter as a key (the lookup's buckets), one letter off.
        for near in ["coveragf", "criticam", "nama", "idx", "i", "", "statue", "soff", "hardd", "tagz", "ärende", "nöme"] {
            #expect(match(near) == .other, "\(near)")
        }
    }

    @Test(arguments: [
        ("dependson", "depends_on"), ("capabilty", "capability"), ("Name", "name"), ("end_of_suport", "end_of_support"),
        ("standard", "standards"), ("sensitivty", "sensitivity"),
    ])
    func unknownItemKeySuggestsTheNearest(_ key: String, _ suggestion: String) throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a}
            soft:
              - id: x
                name: X
                capability: e-archive
                \(key): [y]

            """)
        let f = try #require(r.findings(.unknownKey).first, "\(r.dump)")
        #expect(r.findings.count == 1, "\(r.dump)")
        #expect(f.severity == .error)
        #expect(f.line == 7)
        #expect(f.column == 5)
        #expect(f.message.contains("did you mean `\(suggestion)`"), "\(f.message)")
        #expect(f.item == "x")
        #expect(f.organisation == "a")
    }

    @Test func unknownHeaderAndTopLevelKeysSuggestToo() throws {
        let r = parse("""
            inventory: 1
            organisation:
              id: a
              nmae: A
              type: kommun
            servics: []

            """)
        let unknown = r.findings(.unknownKey)
        #expect(unknown.count == 2, "\(r.dump)")
        #expect(unknown.contains { $0.line == 4 && $0.column == 3 && $0.message.contains("`name`") })
        #expect(unknown.contains { $0.line == 6 && $0.column == 1 && $0.message.contains("`services`") })
    }

    @Test func farOffKeysGetNoGuessAndTheirValueIsSkipped() throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a}
            soft:
              - id: x
                name: X
                capability: e-archive
                kostnadsställe:
                  nested: {deeper: [1, 2, {bad: key}]}
                vendor: V

            """)
        let f = try #require(r.findings(.unknownKey).first, "\(r.dump)")
        #expect(r.findings.count == 1, "\(r.dump)")
        #expect(!f.message.contains("did you mean"))
        #expect(r.item("x")?.vendor == "V")
    }

    @Test func extensionKeysAreAcceptedAndKeptEverywhere() throws {
        let r = parse("""
            inventory: 1
            x-generated-by: script.py
            x-anything: {nested: [1, 2], deep: {x: y}}
            organisation:
              id: a
              name: A
              type: kommun
              x-contact-person: Anna Andersson
              x-budget: {2026: 100}
            soft:
              - id: x
                name: X
                capability: x-own-capability
                x-cost: 1200
                x-meta: {a: [1, 2]}
                x-: empty suffix

            """)
        #expect(r.findings.isEmpty, "\(r.dump)")
        let header = try #require(r.inventory?.organisation)
        #expect(header.extensions["x-contact-person"] == "Anna Andersson")
        #expect(header.extensions["x-budget"] != nil)
        let item = try #require(r.item("x"))
        #expect(item.extensions["x-cost"] == "1200")
        #expect(item.extensions["x-meta"] != nil)
        #expect(item.capability?.value == "x-own-capability")
    }

    @Test func extensionKeysInsideCoverageAreAccepted() throws {
        // "Keys starting with `x-` are extensions, kept and ignored, anywhere."
        let r = parse("""
            inventory: 1
            organisation: {id: a}
            hard:
              - id: stadsnat
                name: Stadsnät
                capability: city-network
                coverage:
                  households: 0.97
                  x-source: PTS bredbandskartläggning 2025

            """)
        #expect(r.errors.isEmpty, "\(r.dump)")
        #expect(r.item("stadsnat")?.coverage == ["households": 0.97])
    }
}

@Suite("Required fields, version and headers")
struct RequiredTests {
    @Test func itemWithoutIDIsReportedAndDropped() throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a}
            services:
              - name: Nameless
                capability: e-services
              - {id: y, name: Y, capability: e-services}

            """)
        let f = try #require(r.findings(.missingRequired).first, "\(r.dump)")
        #expect(r.findings.count == 1, "\(r.dump)")
        #expect(f.line == 4)
        #expect(f.message.contains("id"))
        #expect(f.organisation == "a")
        #expect(f.item == nil)
        #expect(r.inventory?.items.map(\.id.value) == ["y"])
    }

    @Test(arguments: ["name", "capability"])
    func itemWithoutNameOrCapability(_ missing: String) throws {
        let fields = ["name": "name: X", "capability": "capability: e-archive"].filter { $0.key != missing }.values
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - id: x\n" + fields.map { "    \($0)\n" }.joined())
        let f = try #require(r.findings(.missingRequired).first, "\(r.dump)")
        #expect(r.findings.count == 1, "\(r.dump)")
        #expect(f.message.contains("`\(missing)`"))
        #expect(f.line == 4)
        #expect(f.item == "x")
        #expect(f.organisation == "a")
        // The item is still there for later checks.
        #expect(r.item("x") != nil)
    }

    @Test func emptyNameCountsAsMissing() throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - {id: x, name: , capability: e-archive}\n")
        #expect(r.findings(.missingRequired).count == 1, "\(r.dump)")
    }

    @Test func organisationWithoutID() throws {
        let r = parse("inventory: 1\norganisation:\n  name: Kommun A\n  type: kommun\nsoft: []\n")
        let f = try #require(r.findings(.missingRequired).first, "\(r.dump)")
        #expect(f.line == 3)
        #expect(f.message.contains("id"))
        #expect(r.inventory == nil)
        #expect(r.skippedReason == nil)
    }

    @Test func inventoryWithoutOrganisation() throws {
        let r = parse("inventory: 1\nsoft:\n  - {id: x, name: X, capability: e-archive}\n")
        let f = try #require(r.findings(.missingRequired).first, "\(r.dump)")
        #expect(f.severity == .error)
        #expect(f.line == 1)
        #expect(f.message.contains("organisation"))
        #expect(r.inventory == nil)
        #expect(r.skippedReason == nil)
    }

    @Test func organisationThatIsNotAMapping() throws {
        let r = parse("inventory: 1\norganisation: kommun-a\n")
        #expect(r.findings(.wrongType).first?.line == 2, "\(r.dump)")
        #expect(r.inventory == nil)
    }

    @Test func fullHeaderNeedsNameAndType() throws {
        let r = parse("inventory: 1\norganisation: {id: a, name: Kommun A}\n")
        let f = try #require(r.findings(.missingRequired).first, "\(r.dump)")
        #expect(f.message.contains("type"))
        #expect(r.inventory?.organisation.isFull == true)
    }

    @Test func splitFileHeaderWithOnlyAnID() throws {
        let r = parse("inventory: 1\norganisation: {id: region-stockholm}\nsoft:\n  - {id: siths, name: SITHS, capability: staff-eid}\n")
        #expect(r.findings.isEmpty, "\(r.dump)")
        let header = try #require(r.inventory?.organisation)
        #expect(header.isFull == false)
        #expect(header.id.value == "region-stockholm")
        #expect(r.inventory?.items.count == 1)
    }

    @Test func fullHeaderIsFull() throws {
        let r = parse("""
            inventory: 1
            organisation:
              id: upplands-vasby
              name: Upplands Väsby kommun
              type: kommun
              code: "0114"
              org_number: "212000-0142"
              county: "01"
              parent: null
              members: [a, b]
              contact: it@example.se

            """)
        #expect(r.findings.isEmpty, "\(r.dump)")
        let h = try #require(r.inventory?.organisation)
        #expect(h.isFull)
        #expect(h.type?.value == .kommun)
        #expect(h.parent == nil)
        #expect(h.members.map(\.value) == ["a", "b"])
        #expect(h.contact == "it@example.se")
    }

    @Test(arguments: ["2", "0", "\"2.0\"", "v1", "1.1"])
    func unsupportedVersion(_ written: String) throws {
        let r = parse("inventory: \(written)\norganisation: {id: a}\n")
        let f = try #require(r.findings(.unsupportedVersion).first, "\(r.dump)")
        #expect(f.severity == .error)
        #expect(f.line == 1)
        #expect(f.column == 12)
        #expect(r.inventory == nil)
        #expect(r.skippedReason == nil)
    }

    @Test func unsupportedVersionIsTheOnlyError() throws {
        // A future format's keys mean nothing to the version-1 schema: reporting them as
        // unknown keys buries the one finding that matters.
        let r = parse("""
            inventory: 2
            organisation: {id: a, kind: kommun}
            layers:
              soft: []

            """)
        #expect(r.rules == [.unsupportedVersion], "\(r.dump)")
    }

    @Test(arguments: ["", "~", "[1]", "{version: 1}"])
    func anInventoryKeyWithoutAVersionIsAnErrorNotASkip(_ written: String) throws {
        // The contract: `inventory:` is the format version; "any other value: clear error".
        // A file that has the key is meant to be an inventory and must not be skipped silently.
        let r = parse("inventory: \(written)\norganisation: {id: a}\nsoft: []\n")
        #expect(r.skippedReason == nil, "\(r.dump)")
        #expect(r.errors.contains { $0.line == 1 }, "\(r.dump)")
        #expect(r.inventory == nil)
    }

    @Test func badIDsAreReportedButTheItemIsKept() throws {
        let r = parse("inventory: 1\norganisation: {id: Kommun_A}\nsoft:\n  - {id: E-Arkiv, name: X, capability: e-archive}\n")
        let bad = r.findings(.badID)
        #expect(bad.count == 2, "\(r.dump)")
        #expect(bad.contains { $0.line == 2 && $0.column == 20 })
        #expect(bad.contains { $0.line == 4 && $0.column == 10 && $0.item == "E-Arkiv" && ($0.help ?? "").contains("e-arkiv") })
        #expect(r.item("E-Arkiv") != nil)
    }

    @Test("a bad id's suggestion folds letters as init does: Nordic and other Latin letters are kept, not dropped",
          arguments: [("Café-Øst", "cafe-ost"), ("ÆRØ", "aero"), ("Straße", "strasse"), ("ŁÓDŹ", "lodz"), ("Västerås Stad", "vasteras-stad")])
    func badIDSuggestion(written: String, suggested: String) throws {
        // The loader had its own folding, which made `cafe-st`, `r`, `stra-e` and `d` of these.
        let r = parse("inventory: 1\norganisation: {id: o}\nsoft:\n  - {id: \"\(written)\", name: X, capability: e-archive}\n")
        let help = try #require(r.findings(.badID).first?.help, "\(r.dump)")
        #expect(help.hasSuffix("e.g. `\(suggested)`"), "\(help)")
        #expect(IDRules.id(written) == suggested)
    }
}

@Suite("Files that are not inventories")
struct NotAnInventoryTests {
    @Test(arguments: [
        // docker-compose: `services` is also an inventory key, with a different shape.
        "version: \"3.8\"\nservices:\n  web:\n    image: nginx\n    ports: [\"80:80\"]\n",
        // A GitHub Actions workflow (`on:` is a YAML 1.1 boolean elsewhere).
        "name: CI\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
        // Kubernetes manifests: several documents.
        "apiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: Pod\n",
    ])
    func skippedWithOneInfoNote(_ text: String) throws {
        let r = parse(text, path: "other.yaml")
        #expect(r.inventory == nil)
        #expect(r.skippedReason != nil)
        #expect(r.findings.count == 1, "\(r.dump)")
        let f = try #require(r.findings.first)
        #expect(f.rule == .notAnInventory)
        #expect(f.severity == .info)
        #expect(f.file == "other.yaml")
    }

    @Test("an `organisation:` header without `inventory: 1` is skipped too, with a warning: the organisation would drop out unseen")
    func organisationWithoutInventoryKey() throws {
        let r = parse("organisation: {id: a}\nsoft:\n  - {id: x, name: X, capability: e-archive, bogus: 1}\n", path: "other.yaml")
        #expect(r.inventory == nil && r.skippedReason != nil)
        #expect(r.findings.count == 1, "\(r.dump)")
        let f = try #require(r.findings.first)
        #expect(f.rule == .inventoryKeyMissing && f.severity == .warning && f.line == 1 && f.file == "other.yaml")
        // Above `organisation:`, not "first": a file may start with `---` or `%YAML`.
        #expect(f.help == "add the line `inventory: 1` above `organisation:`")
        let marked = parse("---\norganisation: {id: a}\n")
        let fixed = parse("---\ninventory: 1\norganisation: {id: a, name: A, type: annan}\n")
        #expect(marked.findings.first?.rule == .inventoryKeyMissing && fixed.findings.isEmpty && fixed.inventory != nil, "\(fixed.dump)")
    }

    @Test("an inventory written as a list's entry (`- inventory: 1`) is skipped with a warning where it starts; as the help says, it is read")
    func inventoryAsListEntry() throws {
        let inventory = "inventory: 1\norganisation: {id: a, name: A, type: annan}\nhard:\n  - {id: x, name: X, capability: datacenter}\n"
        let listed = "- " + inventory.split(separator: "\n").joined(separator: "\n  ") + "\n"
        let r = parse(listed, path: "a.yaml")
        #expect(r.inventory == nil && r.skippedReason != nil)
        let f = try #require(r.findings.first, "\(r.dump)")
        #expect(f.rule == .inventoryKeyMissing && f.severity == .warning && f.line == 1 && f.column == 3, "\(r.dump)")
        #expect(f.message.contains("written as an entry of a list (`- inventory:`)"), "\(f.message)")
        #expect(f.help == "delete the `- ` before the first key and the indentation it added to the lines below")
        let fixed = parse(inventory)
        #expect(fixed.findings.isEmpty && fixed.inventory != nil, "\(fixed.dump)")
        // Each key an entry of its own: the same warning.
        #expect(parse("- inventory: 1\n- organisation: {id: a}\n").findings.map(\.rule) == [.inventoryKeyMissing])
        // Another list is other YAML: skipped with a note, as before; every entry is read past.
        for other in ["- a\n- b\n", "- [a, [b]]\n- {inventory: 1}\n", "[]\n", "- {x: [1, 2], y: {z: 3}}\n- 2\n"] {
            let skipped = parse(other, path: "b.yaml")
            #expect(skipped.findings.map(\.rule) == [.notAnInventory], "\(other): \(skipped.dump)")
        }
    }

    @Test func otherYAMLWithCustomTagsIsSkippedToo() throws {
        // "A file whose top level has no `inventory:` key is not an inventory and is skipped
        // with a note (so a repo can keep other YAML)": CloudFormation templates and Ansible
        // vault files use tags. Skipping them executes nothing.
        let r = parse("""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  BucketName: !Ref Name

            """, path: "template.yaml")
        #expect(r.rules == [.notAnInventory], "\(r.dump)")
        #expect(r.errors.isEmpty)
    }
}

@Suite("Duplicate keys")
struct DuplicateKeyTests {
    @Test func duplicateKeyInAnItem() throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a}
            soft:
              - id: x
                name: X
                capability: e-archive
                name: Y

            """)
        let f = try #require(r.findings(.duplicateKey).first, "\(r.dump)")
        #expect(r.findings.count == 1, "\(r.dump)")
        #expect(f.severity == .error)
        #expect(f.line == 7)
        #expect(f.column == 5)
        #expect(f.message.contains("name"))
        #expect(f.item == "x")
        #expect(f.organisation == "a")
    }

    @Test("a repeated x- key is found among many others, before and after there are more than a list holds")
    func duplicateAmongManyExtensionKeys() throws {
        for count in [3, 40, 200] {
            let keys = (0..<count).map { "    x-k\($0): v\n" }.joined()
            let r = parse("inventory: 1\norganisation: {id: a, name: A, type: annan}\nhard:\n  - id: x\n    name: X\n    capability: datacenter\n"
                          + keys + "    x-k1: again\n    x-k\(count - 1): again\n")
            let lines = r.findings(.duplicateKey).map(\.line)
            #expect(lines == [7 + count, 8 + count], "\(count): \(r.dump)")
            #expect(r.findings.count == 2, "\(count): \(r.dump)")
        }
    }

    @Test func duplicateKeysAtTopLevelAndInTheHeader() throws {
        let r = parse("""
            inventory: 1
            organisation:
              id: a
              id: b
            soft:
              - {id: x, name: X, capability: e-archive}
            soft:
              - {id: y, name: Y, capability: e-archive}

            """)
        let dups = r.findings(.duplicateKey)
        #expect(dups.map(\.line) == [4, 7], "\(r.dump)")
    }

    @Test func sameKeyInDifferentMappingsIsFine() throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - {id: x, name: X, capability: c}\n  - {id: y, name: Y, capability: c}\n")
        #expect(r.findings.isEmpty, "\(r.dump)")
    }
}

@Suite("Anchors, aliases and merge keys")
struct AnchorTests {
    static let text = """
        inventory: 1
        x-defaults: &defaults
          status: retiring
          vendor: Tieto
          critical: true
          standards: [saml2]
        x-deps: &deps [datacenter, inera/siths]
        organisation: {id: kommun-a}
        services:
          - <<: *defaults
            id: skola
            name: Skolplattform
            capability: school-platform
            vendor: Evry
            depends_on: *deps
          - id: hemtjanst
            vendor: Egen
            <<: *defaults
            name: &hname Hemtjänst
            capability: home-care
          - id: hemtjanst-2
            name: *hname
            capability: home-care
            <<: [{status: planned, vendor: First}, *defaults]

        """

    @Test func aliasesExpandAndExplicitKeysWinOverMerges() throws {
        let r = parse(Self.text)
        #expect(r.findings.isEmpty, "\(r.dump)")
        let skola = try #require(r.item("skola"))
        #expect(skola.status == .retiring)
        #expect(skola.vendor == "Evry")  // explicit after the merge
        #expect(skola.critical)
        #expect(skola.standards.map(\.value) == ["saml2"])
        #expect(skola.dependsOn.map(\.value) == ["datacenter", "inera/siths"])
        let hem = try #require(r.item("hemtjanst"))
        #expect(hem.vendor == "Egen")  // explicit before the merge
        #expect(hem.status == .retiring)
        #expect(hem.critical)
    }

    @Test func earlierMappingsOfAMergeListWin() throws {
        let r = parse(Self.text)
        let item = try #require(r.item("hemtjanst-2"))
        #expect(item.name?.value == "Hemtjänst")
        #expect(item.status == .planned)
        #expect(item.vendor == "First")
        #expect(item.critical)  // from the second mapping of the list
    }

    @Test func mergedValuesAreLocatedWhereTheyAreWritten() throws {
        let r = parse(Self.text)
        // `standards: [saml2]` of the anchor is on line 6.
        #expect(r.item("skola")?.standards.first?.position == at(6, 15))
        #expect(r.item("skola")?.dependsOn.first?.position == at(7, 16))
    }

    @Test("a mistake in anchored defaults that several items merge is one finding where it is written, naming the items")
    func mistakeInMergedDefaultsOnce() throws {
        let r = parse("""
            inventory: 1
            organisation: {id: a}
            x-defaults: &defaults
              capability: wan
              status: activ
            hard:
              - <<: *defaults
                id: nat1
                name: Nät 1
              - <<: *defaults
                id: nat2
                name: Nät 2

            """)
        let found = r.findings(.badEnum)
        #expect(found.count == 1, "\(r.dump)")
        #expect(found.first?.line == 5)
        #expect(found.first?.message.hasSuffix("(used by 2 items through an alias: `nat1`, `nat2`)") == true, "\(found)")
    }

    @Test func mergingSomethingThatIsNotAMappingIsWrongType() throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - {id: x, name: X, capability: c, <<: text}\n")
        #expect(r.findings(.wrongType).count == 1, "\(r.dump)")
    }
}

@Suite("Coverage")
struct CoverageTests {
    @Test(arguments: [
        ("0.97", 0.97), ("\"97%\"", 0.97), ("97%", 0.97), ("0", 0.0), ("1", 1.0), ("100%", 1.0), ("\"12.5 %\"", 0.125),
    ])
    func shares(_ written: String, _ expected: Double) throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nhard:\n  - id: n\n    name: N\n    capability: fiber\n    coverage:\n      households: \(written)\n")
        #expect(r.findings.isEmpty, "\(r.dump)")
        let share = try #require(r.item("n")?.coverage["households"])
        #expect(abs(share - expected) < 1e-9)
    }

    @Test(arguments: ["1.2", "97", "-0.1", "150%", "abc", "\"\"", "[0.5]"])
    func badShares(_ written: String) throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nhard:\n  - id: n\n    name: N\n    capability: fiber\n    coverage:\n      households: \(written)\n      workplaces: 0.5\n")
        #expect(r.errors.count == 1, "\(r.dump)")
        let f = try #require(r.errors.first)
        #expect(f.rule == .badValue || (written == "[0.5]" && f.rule == .wrongType))
        #expect(f.line == 8)
        #expect(f.column == 19)
        #expect(f.item == "n")
        #expect(r.item("n")?.coverage == ["workplaces": 0.5])
    }

    @Test(arguments: [Layer.services, .soft])
    func coverageOutsideTheHardLayer(_ layer: Layer) throws {
        let r = parse("inventory: 1\norganisation: {id: a}\n\(layer.rawValue):\n  - id: x\n    name: X\n    capability: c\n    coverage: {households: 0.5}\n")
        let f = try #require(r.findings(.coverageOutsideHard).first, "\(r.dump)")
        #expect(r.findings.count == 1, "\(r.dump)")
        #expect(f.line == 7)
        #expect(f.column == 5)
        #expect(f.item == "x")
    }

    @Test func coverageThatIsNotAMapping() throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nhard:\n  - {id: n, name: N, capability: fiber, coverage: 0.9}\n")
        #expect(r.rules == [.wrongType], "\(r.dump)")
    }
}

@Suite("Lists")
struct ListTests {
    @Test(arguments: ["depends_on", "standards", "tags"])
    func aSingleValueWhereAListBelongsIsWrongType(_ field: String) throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - id: x\n    name: X\n    capability: c\n    \(field): single\n")
        let f = try #require(r.findings(.wrongType).first, "\(r.dump)")
        #expect(r.findings.count == 1, "\(r.dump)")
        #expect(f.line == 7)
        #expect(f.column == 7 + field.count)
        #expect(f.message.contains(field))
        #expect(f.item == "x")
    }

    @Test func aMappingWhereAListBelongsIsWrongType() throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - {id: x, name: X, capability: c, depends_on: {a: b}}\n")
        #expect(r.rules == [.wrongType], "\(r.dump)")
    }

    @Test func nestedListEntriesAreWrongType() throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - {id: x, name: X, capability: c, depends_on: [a, [b], c]}\n")
        #expect(r.rules == [.wrongType], "\(r.dump)")
        #expect(r.item("x")?.dependsOn.map(\.value) == ["a", "c"])
    }

    @Test func nullListsAreEmpty() throws {
        let r = parse("""
            inventory: 1
            organisation:
              id: a
              members:
            services:
            soft: ~
            hard:
              - id: x
                name: X
                capability: c
                depends_on:
                standards: null
                tags: []
                coverage:

            """)
        #expect(r.findings.isEmpty, "\(r.dump)")
        let item = try #require(r.item("x"))
        #expect(item.dependsOn.isEmpty)
        #expect(item.standards.isEmpty)
        #expect(item.tags.isEmpty)
        #expect(item.coverage.isEmpty)
        #expect(r.inventory?.items.count == 1)
    }

    @Test func aLayerThatIsNotAListIsWrongType() throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft: {id: x}\nhard: text\n")
        #expect(r.findings(.wrongType).map(\.line) == [3, 4], "\(r.dump)")
        #expect(r.inventory?.items.isEmpty == true)
    }

    @Test func anItemThatIsNotAMappingIsWrongType() throws {
        let r = parse("inventory: 1\norganisation: {id: a}\nsoft:\n  - just-an-id\n  - {id: y, name: Y, capability: c}\n")
        #expect(r.findings(.wrongType).map(\.line) == [4], "\(r.dump)")
        #expect(r.inventory?.items.map(\.id.value) == ["y"])
    }
}

@Suite("Findings carry organisation and item")
struct AttributionTests {
    @Test func itemsBeforeTheHeaderAndKeysBeforeTheID() throws {
        let r = parse("""
            inventory: 1
            soft:
              - naem: X
                id: first
                capability: c
              - id: second
                name: Y
                capability: c
                critical: perhaps
              - name: Z
                capability: c
                statsu: ok
            organisation:
              id: kommun-a
              x-ok: 1
              colour: blue
            x-top: 1
            bogus: 1

            """)
        func one(_ line: Int, _ rule: RuleID) throws -> Finding {
            try #require(r.findings.first { $0.line == line && $0.rule == rule }, "no \(rule) at line \(line):\n\(r.dump)")
        }
        #expect(try one(3, .unknownKey).item == "first")
        #expect(try one(9, .wrongType).item == "second")
        #expect(try one(10, .missingRequired).item == nil)  // that item has no id
        #expect(try one(12, .unknownKey).item == nil)
        #expect(try one(16, .unknownKey).item == nil)
        #expect(try one(18, .unknownKey).item == nil)
        // `naem` is told once, as the unknown key to rename (its did-you-mean is `name`), not also as a missing name.
        #expect(!r.findings.contains { $0.line == 3 && $0.rule == .missingRequired }, "\(r.dump)")
        #expect(r.findings.count == 6, "\(r.dump)")
        for f in r.findings {
            #expect(f.organisation == "kommun-a", "\(f)")
            #expect(f.file == "kommun.yaml")
        }
    }
}

@Suite("Finding files")
struct FileDiscoveryTests {
    @Test func walksDirectoriesRecursivelyForYAMLOnly() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["b.yaml", "a.yml", "sub/c.yaml", "sub/deeper/d.yml", "notes.txt", "e.yaml.bak", ".hidden.yaml", ".git/config.yaml"] {
            try write("x: 1\n", to: dir.appendingPathComponent(name))
        }
        let files = try Loader.yamlFiles(in: [dir.path])
        #expect(files == ["a.yml", "b.yaml", "sub/c.yaml", "sub/deeper/d.yml"].map { dir.path + "/" + $0 })
    }

    @Test func explicitFilesAreTakenAsGivenAndEachPathOnce() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("x: 1\n", to: dir.appendingPathComponent("a.yaml"))
        try write("x: 1\n", to: dir.appendingPathComponent("inventory.txt"))
        let a = dir.path + "/a.yaml", txt = dir.path + "/inventory.txt"
        let files = try Loader.yamlFiles(in: [txt, dir.path, a, dir.path + "/"])
        #expect(files == [txt, a])
    }

    @Test func missingPathIsAnInputError() throws {
        #expect(throws: InputError.self) { try Loader.yamlFiles(in: ["/nonexistent/infra-\(UUID().uuidString)"]) }
    }

    @Test func loadKeepsTheOrderAndLabelsWithThePath() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for i in 0..<20 {
            let url = dir.appendingPathComponent("org-\(i).yaml")
            try write("inventory: 1\norganisation: {id: org-\(i)}\nsoft:\n  - {id: x, name: X, capability: c, bogus: 1}\n", to: url)
            paths.append(url.path)
        }
        try write("just: yaml\n", to: dir.appendingPathComponent("other.yaml"))
        paths.append(dir.path + "/other.yaml")
        let results = try Loader.load(files: paths)
        #expect(results.map(\.path) == paths)
        for (i, r) in results.prefix(20).enumerated() {
            #expect(r.inventory?.organisation.id.value == "org-\(i)")
            #expect(r.findings.map(\.file) == [paths[i]])
        }
        #expect(results.last?.skippedReason != nil)
    }

    @Test func loadingAMissingFileIsAnInputError() throws {
        #expect(throws: InputError.self) { try Loader.load(files: ["/nonexistent/infra-\(UUID().uuidString).yaml"]) }
    }
}
