import Foundation
import InfraGraph
import InfraModel

public enum RuleFamily: String, CaseIterable, Sendable {
    case validation, structure, gaps, duplicates, staleness, risk, gauge
}

/// A tiny set of inventory files that shows a rule: the failing example must make
/// the rule fire and the passing one must not. Tests run both; `infra explain` prints them.
public struct Example: Sendable {
    public var files: [(name: String, yaml: String)]
    /// Scanned at country scope (`infra scan --country`).
    public var country = false

    public init(_ yaml: String, name: String = "example.yaml", country: Bool = false) {
        files = [(name, yaml)]
        self.country = country
    }
    public init(files: [(name: String, yaml: String)]) { self.files = files }

    /// The files with date placeholders filled in: `{{today}}` is `today`, `{{today+3m}}` three months from it,
    /// so that date-dependent examples stay true whenever they are run.
    public func resolved(today: CalendarDate) -> [(name: String, yaml: String)] {
        files.map { file in
            var yaml = file.yaml.replacingOccurrences(of: "{{today}}", with: today.description)
            for months in [3] {
                yaml = yaml.replacingOccurrences(of: "{{today+\(months)m}}", with: today.adding(months: months).description)
            }
            return (file.name, yaml)
        }
    }
}

/// Everything a user (and a SARIF consumer) needs to know about one rule.
public struct RuleDescription: Sendable {
    public var id: RuleID
    public var title: String
    public var severity: Severity
    public var family: RuleFamily
    public var rationale: String
    public var failing: Example
    public var passing: Example

    public init(_ id: RuleID, _ family: RuleFamily, _ severity: Severity, title: String, rationale: String,
                failing: Example, passing: Example) {
        self.id = id
        self.family = family
        self.severity = severity
        self.title = title
        self.rationale = rationale
        self.failing = failing
        self.passing = passing
    }
}

public struct CheckOptions: Sendable {
    /// "Today" for staleness and end-of-support; fixed in tests.
    public var today: CalendarDate
    /// Items with more dependent services than this are single points of failure.
    public var spofThreshold: Int = 25
    /// Country scope: report municipalities and regions with no inventory.
    public var country = false
    /// `reviewed` older than this many months is stale.
    public var staleMonths = 12

    public init(today: CalendarDate) { self.today = today }
}

public struct CheckContext: Sendable {
    public var catalog: Catalog
    public var vocabulary: Vocabulary
    public var sweden: Sweden
    public var options: CheckOptions
    /// Cycles, grounding and blast radius; computed only when analysis checks run.
    public var facts: GraphFacts?

    public init(catalog: Catalog, vocabulary: Vocabulary, sweden: Sweden, options: CheckOptions, analyse: Bool = false) {
        self.catalog = catalog
        self.vocabulary = vocabulary
        self.sweden = sweden
        self.options = options
        self.facts = analyse ? GraphFacts(catalog: catalog) : nil
    }

    /// The graph facts, computed on first need by a check run outside the pipeline.
    var graphFacts: GraphFacts { facts ?? GraphFacts(catalog: catalog) }

    /// A finding about item `i`, located at `position` (or the item's start).
    func finding(_ rule: RuleID, _ severity: Severity, _ message: String, item i: Int,
                 at position: TextPosition? = nil, related: [String] = [], help: String? = nil) -> Finding {
        let entry = catalog.items[i]
        return Finding(rule: rule, severity: severity, message: message, file: entry.file,
                       position: position ?? entry.item.position,
                       organisation: catalog.organisations[Int(entry.organisation)].id,
                       item: entry.item.id.value, related: related, help: help)
    }

    /// A finding about an organisation as a whole, located at its header.
    func finding(_ rule: RuleID, _ severity: Severity, _ message: String, organisation o: Int,
                 at position: TextPosition? = nil, related: [String] = [], help: String? = nil) -> Finding {
        let org = catalog.organisations[o]
        return Finding(rule: rule, severity: severity, message: message, file: org.headerFile,
                       position: position ?? org.header.position, organisation: org.id,
                       related: related, help: help)
    }

    /// The organisations the user scanned (not the built-in national ones).
    var userOrganisations: [Int] { catalog.organisations.indices.filter { !catalog.organisations[$0].isNational } }
}

/// A check: a small type that describes its rules and finds them in a catalogue.
/// Checks never print and never read files.
public protocol Check: Sendable {
    var rules: [RuleDescription] { get }
    /// Whether the check reads `context.facts` (cycles, grounding, blast radius).
    /// Checks that do not run while those are being computed.
    var usesGraphFacts: Bool { get }
    func run(_ context: CheckContext) -> [Finding]
}

extension Check {
    public var usesGraphFacts: Bool { false }
}
