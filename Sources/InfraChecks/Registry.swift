import InfraModel

/// Every check, in the order findings families are reported.
public enum Checks {
    /// What `infra validate` runs: the validation family only.
    public static let validation: [any Check] = [ReadingRules(), HeaderCheck(), VocabularyCheck()]
    /// What `infra scan` runs on top of validation.
    public static let analysis: [any Check] = [
        StructureCheck(), GapCheck(), DuplicateCheck(), StalenessCheck(), RiskCheck(), GaugeCheck(),
    ]

    public static var all: [any Check] { validation + analysis }

    /// Every rule infra can report, for `infra explain`, SARIF and the docs.
    public static var rules: [RuleDescription] { all.flatMap(\.rules) }

    public static func rule(_ id: String) -> RuleDescription? { rules.first { $0.id.rawValue == id } }

    /// Runs checks; each is independent of the others.
    public static func run(_ checks: [any Check], _ context: CheckContext) -> [Finding] {
        checks.flatMap { $0.run(context) }
    }
}
