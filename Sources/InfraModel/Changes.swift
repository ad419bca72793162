/// What changed between two recorded states of the inventories: two snapshots, or a
/// snapshot and the inventories on disk. `InfraStore` computes it, `InfraReport` renders
/// it (`infra diff`); it is plain values, nothing here knows where they came from.
///
/// Lists are sorted (refs alphabetically, findings in report order), so the same two
/// states always give the same changes.
public struct InventoryChanges: Sendable {
    /// One of the two states compared.
    public struct Side: Sendable, Hashable {
        /// The snapshot id; nil for the inventories on disk.
        public var snapshot: Int64?
        public var takenAt: String?
        public var gitCommit: String?
        public var paths: [String]

        public init(snapshot: Int64?, takenAt: String?, gitCommit: String?, paths: [String]) {
            self.snapshot = snapshot
            self.takenAt = takenAt
            self.gitCommit = gitCommit
            self.paths = paths
        }

        /// "snapshot 3 (2025-03-01T09:30:00Z, 1a2b3c4)" or "the inventories on disk".
        public var label: String {
            guard let snapshot else { return "the inventories on disk" }
            let detail = [takenAt, gitCommit.map(shortCommit)].compactMap { $0 }
            return "snapshot \(snapshot)" + (detail.isEmpty ? "" : " (" + detail.joined(separator: ", ") + ")")
        }
    }

    /// One field of an organisation or item, before and after (nil: not set), as words
    /// (`old`, `new`) and, for JSON, as what it is: a list, true or false, or text.
    public struct FieldChange: Sendable, Hashable {
        public enum Kind: Sendable, Hashable { case text, list, flag }
        public var field: String
        public var old: String?
        public var new: String?
        public var kind: Kind
        /// `.list`: the entries, before and after (empty: none).
        public var oldList: [String], newList: [String]

        public init(field: String, old: String?, new: String?) {
            self.field = field
            self.old = old
            self.new = new
            kind = .text
            oldList = []
            newList = []
        }

        /// A list field: shown as its entries joined by ", ".
        public init(field: String, oldList: [String], newList: [String]) {
            self.init(field: field, old: oldList.isEmpty ? nil : oldList.joined(separator: ", "),
                      new: newList.isEmpty ? nil : newList.joined(separator: ", "))
            kind = .list
            self.oldList = oldList
            self.newList = newList
        }

        /// A true-or-false field.
        public init(field: String, old: Bool, new: Bool) {
            self.init(field: field, old: String(old), new: String(new))
            kind = .flag
        }
    }

    /// An organisation (`id`) or item (`org/item`) present in both, with the fields that differ.
    public struct Change: Sendable, Hashable {
        public var ref: String
        public var fields: [FieldChange]

        public init(ref: String, fields: [FieldChange]) {
            self.ref = ref
            self.fields = fields
        }
    }

    /// A resolved `depends_on` edge, `org/item` → `org/item`.
    public struct Dependency: Sendable, Hashable, Comparable {
        public var from: String
        public var to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }

        public static func < (a: Dependency, b: Dependency) -> Bool { (a.from, a.to) < (b.from, b.to) }
    }

    /// A finding that appeared or disappeared, with the fingerprint it was matched by.
    public struct FindingChange: Sendable, Hashable {
        public var fingerprint: String
        public var finding: Finding

        public init(fingerprint: String, finding: Finding) {
            self.fingerprint = fingerprint
            self.finding = finding
        }
    }

    /// A capability's or standard's coverage among one organisation type, before and after
    /// (nil: not in that state's coverage table).
    public struct CoverageChange: Sendable, Hashable {
        public var term: String
        public var isStandard: Bool
        public var name: String
        public var organisationType: String
        public var old: CoverageTable.Cell?
        public var new: CoverageTable.Cell?

        public init(term: String, isStandard: Bool, name: String, organisationType: String,
                    old: CoverageTable.Cell?, new: CoverageTable.Cell?) {
            self.term = term
            self.isStandard = isStandard
            self.name = name
            self.organisationType = organisationType
            self.old = old
            self.new = new
        }

        /// Up: more organisations covered or more population, and neither fewer. Down: the
        /// other way round. Mixed: one up and the other down (a small kommun gained, a big one
        /// lost). Same: neither changed (another figure did, such as the total).
        public var direction: Direction {
            let a = old?.covered ?? 0, b = new?.covered ?? 0
            let pa = old?.populationCovered ?? 0, pb = new?.populationCovered ?? 0
            switch ((b - a).signum(), (pb - pa).signum()) {
            case (0, 0): return .same
            case (-1, 1), (1, -1): return .mixed
            case (1, _), (_, 1): return .up
            default: return .down
            }
        }

        public enum Direction: String, Sendable { case up, down, mixed, same }
    }

    public var old: Side
    public var new: Side
    public var organisationsAdded: [String] = []
    public var organisationsRemoved: [String] = []
    public var organisationsChanged: [Change] = []
    public var itemsAdded: [String] = []
    public var itemsRemoved: [String] = []
    public var itemsChanged: [Change] = []
    public var dependenciesAdded: [Dependency] = []
    public var dependenciesRemoved: [Dependency] = []
    public var findingsAppeared: [FindingChange] = []
    public var findingsDisappeared: [FindingChange] = []
    public var coverage: [CoverageChange] = []
    /// What a reader needs to read the changes right: a side that could not read a file (its
    /// items show as added or removed), two snapshots scanned with different settings.
    public var notes: [String] = []

    public init(old: Side, new: Side) {
        self.old = old
        self.new = new
    }

    public var isEmpty: Bool {
        organisationsAdded.isEmpty && organisationsRemoved.isEmpty && organisationsChanged.isEmpty
            && itemsAdded.isEmpty && itemsRemoved.isEmpty && itemsChanged.isEmpty
            && dependenciesAdded.isEmpty && dependenciesRemoved.isEmpty
            && findingsAppeared.isEmpty && findingsDisappeared.isEmpty && coverage.isEmpty
    }
}

/// A git commit as people read it: its first seven digits, and `-dirty` when the scanned
/// files differed from it (`infra scan --save` records `COMMIT-dirty` then).
public func shortCommit(_ commit: String) -> String {
    String(commit.prefix(7)) + (commit.hasSuffix(dirtySuffix) ? dirtySuffix : "")
}

/// What `infra scan --save` appends to the commit when the scanned files had uncommitted changes.
public let dirtySuffix = "-dirty"
