/// Every rule id infra reports. Descriptions, rationale and examples live in
/// InfraChecks' rule catalogue (`infra explain RULE`); the ids live here so every
/// stage can name them.
extension RuleID {
    // validation: reading the file
    public static let yamlSyntax: RuleID = "yaml-syntax"
    public static let yamlLimit: RuleID = "yaml-limit"
    public static let customTag: RuleID = "custom-tag"
    public static let multipleDocuments: RuleID = "multiple-documents"
    public static let fileEncoding: RuleID = "file-encoding"
    public static let duplicateKey: RuleID = "duplicate-key"
    public static let notAnInventory: RuleID = "not-an-inventory"
    public static let noInventory: RuleID = "no-inventory"
    public static let inventoryKeyMissing: RuleID = "inventory-key-missing"
    public static let unsupportedVersion: RuleID = "unsupported-version"
    // validation: the schema
    public static let unknownKey: RuleID = "unknown-key"
    public static let wrongType: RuleID = "wrong-type"
    public static let missingRequired: RuleID = "missing-required"
    public static let badEnum: RuleID = "bad-enum"
    public static let badID: RuleID = "bad-id"
    public static let badDate: RuleID = "bad-date"
    public static let badValue: RuleID = "bad-value"
    // validation: across files and against the reference data
    public static let duplicateID: RuleID = "duplicate-id"
    public static let duplicateHeader: RuleID = "duplicate-header"
    public static let missingHeader: RuleID = "missing-header"
    public static let unknownCode: RuleID = "unknown-code"
    public static let duplicateCode: RuleID = "duplicate-code"
    public static let nameMismatch: RuleID = "name-mismatch"
    public static let countyMismatch: RuleID = "county-mismatch"
    public static let orgNumberChecksum: RuleID = "org-number-checksum"
    public static let unresolvedReference: RuleID = "unresolved-reference"
    public static let wrongLayer: RuleID = "capability-wrong-layer"
    public static let unknownCapability: RuleID = "unknown-capability"
    public static let unknownStandard: RuleID = "unknown-standard"
    public static let coverageOutsideHard: RuleID = "coverage-outside-hard"
    // structure
    public static let dependencyCycle: RuleID = "dependency-cycle"
    public static let upwardDependency: RuleID = "upward-dependency"
    public static let selfDependency: RuleID = "self-dependency"
    // gaps
    public static let ungrounded: RuleID = "ungrounded"
    public static let baselineMissing: RuleID = "baseline-missing"
    public static let dependsOnRetired: RuleID = "depends-on-retired"
    public static let dependsOnUnsupported: RuleID = "depends-on-unsupported"
    public static let dependsOnPlanned: RuleID = "depends-on-planned"
    public static let missingInventory: RuleID = "missing-inventory"
    // duplicates
    public static let duplicateUnique: RuleID = "duplicate-unique-capability"
    public static let sharedProduct: RuleID = "consolidation-candidate"
    public static let nationalAlternative: RuleID = "national-component-available"
    // staleness
    public static let staleReview: RuleID = "stale-review"
    public static let reviewedInFuture: RuleID = "reviewed-in-future"
    public static let endOfSupportSoon: RuleID = "end-of-support-soon"
    public static let endOfSupportPassed: RuleID = "end-of-support-passed"
    // risk
    public static let singlePointOfFailure: RuleID = "single-point-of-failure"
    // gauge breaks (spårvidd)
    public static let gaugeBreak: RuleID = "gauge-break"
}

extension RuleID {
    /// Rules whose error means the file's inventory was not read at all (it stops at the
    /// break): none of its items are in the scan.
    public static let stopsReading: Set<RuleID> = [.yamlSyntax, .yamlLimit, .customTag, .fileEncoding, .unsupportedVersion]
}

/// An inventory file the scan could not read, and whose items it therefore lacks.
public struct UnreadFile: Sendable, Hashable {
    public var file: String
    /// The organisation, when its header was read before the break (`FileResult`; a stored
    /// finding does not say it).
    public var organisation: String?

    public init(file: String, organisation: String?) {
        self.file = file
        self.organisation = organisation
    }

    /// The start of a help for a finding that an unread file may explain (a dangling
    /// reference into its organisation, a baseline capability it may hold).
    public static func mayHold(_ files: [String]) -> String {
        "fix \(files.map { "`\($0)`" }.joinedShort(first: 3)) first, which could not be read (its error is reported there) and may hold it; else "
    }
}

extension Array where Element == Finding {
    /// The files these findings say could not be read, each once, in order. Their items are
    /// missing, not removed: a diff or a snapshot must say so.
    public var unreadFiles: [UnreadFile] {
        var seen = Set<String>(), files: [UnreadFile] = []
        for f in self where f.severity == .error && RuleID.stopsReading.contains(f.rule) {
            guard let file = f.file, seen.insert(file).inserted else { continue }
            files.append(UnreadFile(file: file, organisation: nil))
        }
        return files
    }
}
