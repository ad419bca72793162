import InfraModel
@testable import InfraReport

enum Fixture {
    static let unknownKey = Finding(
        rule: .unknownKey, severity: .error, message: "unknown key 'nmae'",
        file: "inventory/kommuner/0180.yaml", position: TextPosition(line: 3, column: 5),
        organisation: "0180", item: "e-tjanstekort",
        help: "did you mean 'name'?")
    static let cycle = Finding(
        rule: .dependencyCycle, severity: .warning, message: "dependency cycle: a → b → a",
        file: "inventory/kommuner/0180.yaml", position: TextPosition(line: 9, column: 3),
        organisation: "0180", item: "a", related: ["0180/b", "1480/c"])
    static let stale = Finding(
        rule: .staleReview, severity: .info, message: "not reviewed since 2023-01-01",
        file: "inventory/national/bankid.yaml", organisation: "bankid", item: "bankid")
    static let catalogue = Finding(
        rule: .missingInventory, severity: .error, message: "no inventory for kommun 2584")

    static var findings: [Finding] { [catalogue, stale, cycle, unknownKey] }

    static var summary: Summary {
        var s = Summary()
        s.files = 2
        s.organisations = 2
        s.items = 3
        s.count(findings)
        return s
    }

    static let rules: [RuleInfo] = [
        RuleInfo(id: .unknownKey, title: "Unknown key", severity: .error,
                 rationale: "Keys not in the schema are usually typos.", helpURI: "https://example.org/rules/unknown-key"),
        RuleInfo(id: .dependencyCycle, title: "Dependency cycle", severity: .warning,
                 rationale: "Cycles make the layering meaningless."),
        RuleInfo(id: .staleReview, title: "Stale review", severity: .info, rationale: "Old data misleads."),
        RuleInfo(id: .missingInventory, title: "Missing inventory", severity: .error, rationale: "Every kommun needs one."),
    ]

    static func report(_ findings: [Finding]? = nil, summary: Summary? = nil) -> FindingsReport {
        FindingsReport(findings: findings ?? Self.findings, summary: summary ?? Self.summary,
                       rules: rules, toolVersion: "0.1.0")
    }

    static let sources: [String: [String]] = [
        "inventory/kommuner/0180.yaml": [
            "organisation: 0180",
            "items:",
            "  - nmae: Stockholm",
            "    id: e-tjanstekort",
        ],
    ]

    static let sourceLine: @Sendable (String, Int) -> String? = { file, line in
        guard let lines = sources[file], line >= 1, line <= lines.count else { return nil }
        return lines[line - 1]
    }
}

func lines(_ s: String) -> [String] {
    s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}
