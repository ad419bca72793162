@testable import InfraChecks
import InfraLoad
import InfraModel
import InfraPipeline
import Testing

/// Runs an example's files through the whole pipeline (load → resolve → all checks).
func scan(_ example: Example, today: CalendarDate = CalendarDate(year: 2026, month: 6, day: 1)) -> PipelineResult {
    var options = PipelineOptions(today: today)
    options.analysis = true
    options.checkOptions.country = example.country
    let files = example.resolved(today: today).map { Loader.parse(bytes: Array($0.yaml.utf8), path: $0.name) }
    return Pipeline.run(files: files, options: options)
}

@Suite("Every rule's own examples")
struct RuleExampleTests {
    static let rules = Checks.rules

    @Test("the failing example triggers the rule", arguments: rules.map(\.id.rawValue))
    func failingExampleFails(_ id: String) throws {
        let rule = try #require(Checks.rule(id))
        let result = scan(rule.failing)
        let hits = result.findings.filter { $0.rule == rule.id }
        #expect(!hits.isEmpty, "rule \(id) did not fire on its failing example; findings: \(result.findings.map(\.rule.rawValue))")
        #expect(hits.allSatisfy { $0.severity == rule.severity }, "rule \(id) fired with another severity than it declares")
    }

    @Test("the passing example does not trigger the rule", arguments: rules.map(\.id.rawValue))
    func passingExamplePasses(_ id: String) throws {
        let rule = try #require(Checks.rule(id))
        let result = scan(rule.passing)
        let hits = result.findings.filter { $0.rule == rule.id }
        #expect(hits.isEmpty, "rule \(id) fired on its passing example: \(hits.map(\.message))")
    }

    @Test("rule ids are unique and every reported rule is described")
    func catalogueIsComplete() {
        let ids = Self.rules.map(\.id)
        #expect(Set(ids).count == ids.count)
        let described = Set(ids)
        // Every RuleID constant in InfraModel must be described (explain, SARIF).
        let declared: [RuleID] = [
            .yamlSyntax, .yamlLimit, .customTag, .multipleDocuments, .fileEncoding, .duplicateKey, .notAnInventory,
            .unsupportedVersion, .unknownKey, .wrongType, .missingRequired, .badEnum, .badID, .badDate, .badValue,
            .duplicateID, .duplicateHeader, .missingHeader, .unknownCode, .nameMismatch, .countyMismatch,
            .orgNumberChecksum, .unresolvedReference, .wrongLayer, .unknownCapability, .unknownStandard,
            .coverageOutsideHard, .dependencyCycle, .upwardDependency, .selfDependency, .ungrounded, .baselineMissing,
            .dependsOnRetired, .dependsOnUnsupported, .dependsOnPlanned, .missingInventory, .duplicateUnique,
            .sharedProduct, .nationalAlternative, .staleReview, .reviewedInFuture, .endOfSupportSoon, .endOfSupportPassed,
            .singlePointOfFailure, .gaugeBreak,
        ]
        for id in declared {
            #expect(described.contains(id), "rule \(id) has no description")
        }
    }
}

@Suite("Gauge breaks")
struct GaugeBreakTests {
    @Test("each standard is named once however often an item lists it; one finding per dependency; other families and unknown ids ignored")
    func standardsOnceEach() throws {
        let result = scan(Example("""
            inventory: 1
            organisation: {id: o, name: O, type: annan}
            soft:
              - {id: idp, name: IdP, capability: identity-federation, standards: [saml2, saml2, saml2, x-own]}
              - {id: a, name: A, capability: identity-federation, standards: [oidc, oidc, sambi], depends_on: [idp]}
              - {id: b, name: B, capability: identity-federation, standards: [oidc, saml2], depends_on: [idp]}
            """))
        let breaks = result.findings.filter { $0.rule == .gaugeBreak }
        #expect(breaks.count == 1, "\(breaks.map(\.message))")
        #expect(breaks.first?.item == "a")
        #expect(breaks.first?.message.hasSuffix("identity-federation: oidc against saml2") == true, "\(breaks.map(\.message))")
    }
}

@Suite("Dependency cycles")
struct DependencyCycleTests {
    @Test("a long ring is named by its first ten items and how many more; related lists every member", arguments: [5, 50])
    func longRing(count: Int) throws {
        var yaml = "inventory: 1\norganisation: {id: o, name: O, type: annan}\nsoft:\n"
        for i in 0..<count { yaml += "  - {id: x\(i), name: X, capability: document-storage, depends_on: [x\((i + 1) % count)]}\n" }
        let cycles = scan(Example(yaml)).findings.filter { $0.rule == .dependencyCycle }
        let f = try #require(cycles.first)
        #expect(cycles.count == 1)
        #expect(f.related.count == count)
        if count <= 11 {
            #expect(f.message.hasSuffix((0..<count).map { "o/x\($0)" }.joined(separator: " → ") + " → o/x0"), "\(f.message)")
        } else {
            let named = (0..<10).map { "o/x\($0)" }.joined(separator: " → ")
            #expect(f.message == "dependency cycle of \(count) items: \(named) → (\(count - 10) more) → o/x0", "\(f.message)")
        }
    }
}

extension DependencyCycleTests {
    @Test("a member that also depends on itself: the ring shown goes round the cycle, not round the self-loop")
    func ringBesideSelfLoop() throws {
        // The ring's search took the self-loop for the way back and printed "o/s → o/s".
        let findings = scan(Example("""
            inventory: 1
            organisation: {id: o, name: O, type: annan}
            soft:
              - {id: s, name: S, capability: document-storage, depends_on: [s, h]}
              - {id: h, name: H, capability: document-storage, depends_on: [s]}
            """)).findings
        let cycle = try #require(findings.first { $0.rule == .dependencyCycle })
        #expect(cycle.message == "dependency cycle of 2 items: o/s → o/h → o/s", "\(cycle.message)")
        #expect(findings.contains { $0.rule == .selfDependency && $0.item == "s" })
    }
}

@Suite("Duplicates")
struct DuplicateUniqueTests {
    @Test("many active items of a one-per-organisation capability: the message names ten and counts the rest; related has all")
    func manyNamedShort() throws {
        var yaml = "inventory: 1\norganisation: {id: o, name: O, type: annan}\nsoft:\n"
        for i in 0..<30 { yaml += "  - {id: arkiv-\(i), name: A, capability: e-archive}\n" }
        let f = try #require(scan(Example(yaml)).findings.first { $0.rule == .duplicateUnique })
        #expect(f.message.hasPrefix("30 active items of `e-archive`"))
        #expect(f.message.hasSuffix("`arkiv-9` and 20 more"), "\(f.message)")
        #expect(f.related.count == 30)
    }
}

@Suite("Organisation numbers")
struct OrgNumberTests {
    @Test("a wrong check digit: the help names the register and the digit the number would end in")
    func checkDigit() throws {
        // The help said "write it as NNNNNN-NNNN", which it already was.
        let problem = try #require(HeaderCheck.orgNumberProblem("212000-0143"))
        #expect(problem.message == "has a wrong check digit (Luhn)")
        #expect(problem.help.contains("Bolagsverket") && problem.help.contains("ends in 2"), "\(problem.help)")
        #expect(HeaderCheck.orgNumberProblem("212000-0142") == nil)
        #expect(HeaderCheck.orgNumberProblem("21200-00142")?.message == "is not of the form NNNNNN-NNNN")
    }

    @Test("ten digits without the hyphen: the format is NNNNNN-NNNN, and the message writes it so")
    func withoutHyphen() throws {
        let problem = try #require(HeaderCheck.orgNumberProblem("2120000142"))
        #expect(problem.message == "has no hyphen: write \"212000-0142\"")
        #expect(problem.help.contains("NNNNNN-NNNN"))
        // Following the message leaves no problem; a wrong check digit is said as well.
        #expect(HeaderCheck.orgNumberProblem("212000-0142") == nil)
        #expect(HeaderCheck.orgNumberProblem("2120000143")?.message == "has no hyphen: write \"212000-0143\" (and it has a wrong check digit (Luhn))")
        // Other registers' forms of the same number.
        #expect(HeaderCheck.orgNumberProblem("16212000-0142")?.message == "has the prefix 16 of the twelve-digit form: write \"212000-0142\"")
        #expect(HeaderCheck.orgNumberProblem("SE212000014201")?.message == "is a VAT number: write \"212000-0142\"")
        #expect(HeaderCheck.orgNumberProblem("212000 0142")?.message == "has a space where the hyphen belongs: write \"212000-0142\"")
    }
}

@Suite("Duplicate codes")
struct DuplicateCodeTests {
    @Test("following the help of duplicate-code leaves no finding (it used to lead to duplicate-header)")
    func helpWorks() throws {
        let first = ("a.yaml", """
            inventory: 1
            organisation: {id: are, name: Åre kommun, type: kommun, code: "2321"}
            soft:
              - {id: arkiv, name: E-arkiv, capability: e-archive}
            """)
        let second = { (header: String) in ("b.yaml", """
            inventory: 1
            organisation: \(header)
            soft:
              - {id: diarium, name: Diarium, capability: document-storage}
            """) }
        let before = scan(Example(files: [first, second("{id: are2, name: Åre kommun, type: kommun, code: \"2321\"}")])).findings
        let duplicate = try #require(before.first { $0.rule == .duplicateCode }, "\(before)")
        // Which of two files claiming one kommun is the copy infra cannot tell: the help says both ways.
        #expect(duplicate.help?.hasPrefix("if one of the two files is a copy of the other (a.yaml or this one), delete the copy") == true,
                "\(duplicate.help ?? "")")
        // The help gives the header to write, in backticks.
        let header = try #require(duplicate.help?.components(separatedBy: "`").dropFirst().first { $0.hasPrefix("organisation:") },
                                  "\(duplicate.help ?? "")")
        let after = scan(Example(files: [first, second(String(header.dropFirst("organisation: ".count)))])).findings
        #expect(after.filter { $0.severity == .error }.isEmpty, "\(after.map(\.message))")
    }
}

@Suite("Review dates")
struct ReviewDateTests {
    @Test("a review date after tomorrow (UTC) is told; tomorrow is not (Swedish time runs ahead of UTC)")
    func reviewedInFuture() throws {
        func rules(reviewed: String, today: CalendarDate) -> [RuleID] {
            let yaml = Ex.chain(hard: "  - id: wifi\n    name: Wifi\n    capability: wifi\n    reviewed: \(reviewed)")
            return scan(Example(yaml), today: today).findings.map(\.rule).filter { $0 == .reviewedInFuture || $0 == .staleReview }
        }
        let june = CalendarDate(year: 2026, month: 6, day: 1)
        #expect(rules(reviewed: "2026-06-02", today: june).isEmpty)
        #expect(rules(reviewed: "2026-06-03", today: june) == [.reviewedInFuture])
        #expect(rules(reviewed: "2062-06-01", today: june) == [.reviewedInFuture])
        // Across the end of a year: the 1st of January is tomorrow on the 31st of December.
        let newYearsEve = CalendarDate(year: 2026, month: 12, day: 31)
        #expect(rules(reviewed: "2027-01-01", today: newYearsEve).isEmpty)
        #expect(rules(reviewed: "2027-01-02", today: newYearsEve) == [.reviewedInFuture])
    }
}

@Suite("One organisation's view (scan --org)")
struct OrganisationViewTests {
    @Test("another organisation's single point of failure that the organisation rests on, directly or not, is in its view; one it does not rest on is not")
    func restedOnRisks() throws {
        var services = ""
        for n in 1...30 { services += "  - {id: tjanst-\(n), name: Tjänst \(n), capability: e-service, depends_on: [natet]}\n" }
        let b = Ex.org("services:\n" + services + "hard:\n  - {id: natet, name: Stadsnät, capability: municipal-network}", id: "kommun-b")
        // a rests on b's network through its own network; c depends on nothing of b's.
        let a = Ex.org("services:\n  - {id: skola, name: Skola, capability: school-platform, depends_on: [natet]}\n"
                       + "hard:\n  - {id: natet, name: Nät, capability: wan, depends_on: [kommun-b/natet]}", id: "kommun-a")
        let c = Ex.org("hard:\n  - {id: natet, name: Nät, capability: wan}", id: "kommun-c")
        let result = scan(Example(files: [("a.yaml", a), ("b.yaml", b), ("c.yaml", c)]))
        let spof = { (org: String) in result.findings(for: org).filter { $0.rule == .singlePointOfFailure }.map { "\($0.organisation!)/\($0.item!)" } }
        #expect(spof("kommun-b") == ["kommun-b/natet"])
        #expect(spof("kommun-a") == ["kommun-b/natet"])
        #expect(spof("kommun-c").isEmpty)
    }
}
