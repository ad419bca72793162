import InfraChecks
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
            .sharedProduct, .nationalAlternative, .staleReview, .endOfSupportSoon, .endOfSupportPassed,
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
