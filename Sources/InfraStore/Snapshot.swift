import Foundation
import InfraModel

/// Where and when a snapshot was taken, and its counts: one row of `snapshots`.
public struct SnapshotInfo: Sendable, Hashable {
    /// The row id; 0 for a snapshot not (yet) saved, e.g. the inventories on disk in `infra diff`.
    public var id: Int64
    /// UTC, whole seconds.
    public var takenAt: Date
    public var paths: [String]
    public var gitCommit: String?
    public var toolVersion: String
    public var national: Bool
    /// The scan options that shape the findings, as a JSON object (the command decides what goes in).
    public var settings: String
    public var files: Int
    public var organisations: Int
    public var items: Int
    public var dependencies: Int
    public var errors: Int
    public var warnings: Int
    public var infos: Int

    public init(id: Int64 = 0, takenAt: Date, paths: [String], gitCommit: String?, toolVersion: String, national: Bool,
                settings: String = "{}", files: Int, organisations: Int, items: Int, dependencies: Int, errors: Int, warnings: Int, infos: Int) {
        self.id = id
        self.takenAt = Date(timeIntervalSince1970: takenAt.timeIntervalSince1970.rounded(.down))
        self.paths = paths
        self.gitCommit = gitCommit
        self.toolVersion = toolVersion
        self.national = national
        self.settings = settings
        self.files = files
        self.organisations = organisations
        self.items = items
        self.dependencies = dependencies
        self.errors = errors
        self.warnings = warnings
        self.infos = infos
    }

    /// `2025-03-01T09:30:00Z`.
    public var takenAtText: String { Timestamp.format(takenAt) }
}

/// One capability's or standard's coverage among one organisation type: one row of `coverage`.
public struct CoverageRecord: Sendable, Hashable {
    public var term: String
    public var isStandard: Bool
    public var name: String
    public var layer: String?
    public var organisationType: String
    public var covered: Int
    public var inventoried: Int
    public var total: Int?
    public var populationCovered: Int?
    public var populationTotal: Int?

    public init(term: String, isStandard: Bool, name: String, layer: String?, organisationType: String, covered: Int,
                inventoried: Int, total: Int?, populationCovered: Int?, populationTotal: Int?) {
        self.term = term
        self.isStandard = isStandard
        self.name = name
        self.layer = layer
        self.organisationType = organisationType
        self.covered = covered
        self.inventoried = inventoried
        self.total = total
        self.populationCovered = populationCovered
        self.populationTotal = populationTotal
    }

    /// Covered out of all of the type in Sweden, or else out of those inventoried (nil when none).
    public var share: Double? {
        let of = total ?? inventoried
        return of > 0 ? Double(covered) / Double(of) : nil
    }

    public var populationShare: Double? {
        guard let populationCovered, let populationTotal, populationTotal > 0 else { return nil }
        return Double(populationCovered) / Double(populationTotal)
    }

    /// The rows of a coverage table (`PipelineResult.coverage(byCounty: false)`), one per
    /// capability or standard and organisation type.
    public static func records(_ table: CoverageTable) -> [CoverageRecord] {
        var records: [CoverageRecord] = []
        for row in table.rows {
            for (type, cell) in row.byType {
                records.append(CoverageRecord(
                    term: row.term, isStandard: row.isStandard, name: row.name, layer: row.layer?.rawValue,
                    organisationType: type.rawValue, covered: cell.covered, inventoried: cell.inventoried, total: cell.total,
                    populationCovered: cell.populationCovered, populationTotal: cell.populationTotal))
            }
        }
        return records
    }

    /// The figures, as a cell of the coverage table.
    public var cell: CoverageTable.Cell {
        CoverageTable.Cell(covered: covered, inventoried: inventoried, total: total,
                           populationCovered: populationCovered, populationTotal: populationTotal)
    }
}

/// Everything a scan recorded: the resolved model (as `infra export` gives it, with
/// restricted items masked), the findings and the coverage table.
public struct Snapshot: Sendable {
    public var info: SnapshotInfo
    public var organisations: [ExportedOrganisation]
    public var findings: [Finding]
    public var coverage: [CoverageRecord]
    /// Optional: the dependencies as positions in the flattened item list (organisations in
    /// order, their items in order), when the caller has them (the catalogue's graph). When
    /// given they are the snapshot's dependencies and the items' `dependsOn` is not read
    /// (it may be left empty, which spares building an `org/item` string per edge);
    /// without them `dependsOn` is resolved.
    public var edges: [(from: Int32, to: Int32)]?

    public init(info: SnapshotInfo, organisations: [ExportedOrganisation], findings: [Finding], coverage: [CoverageRecord]) {
        self.info = info
        self.organisations = organisations
        self.findings = findings
        self.coverage = coverage
    }

    /// A snapshot of a scan: `organisations` from `PipelineResult.export`, `coverage` from
    /// `PipelineResult.coverage(byCounty: false)`. The counts come from `summary`, except
    /// dependencies, counted over the scanned (not national) organisations' items.
    ///
    /// `edges`: the dependencies as positions (see `edges`), when the caller has them.
    public init(organisations: [ExportedOrganisation], findings: [Finding], summary: Summary, coverage: CoverageTable,
                paths: [String], gitCommit: String?, toolVersion: String, settings: String = "{}", takenAt: Date = Date(),
                edges: [(from: Int32, to: Int32)]? = nil) {
        var dependencies = 0
        if let edges {
            // Positions of the national organisations' items, which are not counted.
            var national = [Bool]()
            national.reserveCapacity(organisations.reduce(0) { $0 + $1.items.count })
            for o in organisations { national.append(contentsOf: repeatElement(o.national, count: o.items.count)) }
            for e in edges where Int(e.from) < national.count && !national[Int(e.from)] { dependencies += 1 }
        } else {
            for o in organisations where !o.national {
                for i in o.items { dependencies += i.dependsOn.count }
            }
        }
        let records = CoverageRecord.records(coverage)
        self.init(
            info: SnapshotInfo(takenAt: takenAt, paths: paths, gitCommit: gitCommit, toolVersion: toolVersion,
                               national: organisations.contains { $0.national }, settings: settings, files: summary.files,
                               organisations: summary.organisations, items: summary.items, dependencies: dependencies,
                               errors: summary.errors, warnings: summary.warnings, infos: summary.infos),
            organisations: organisations, findings: findings, coverage: records)
        self.edges = edges
    }
}

/// A dependency the snapshot cannot place among its own items.
struct EdgeProblem: Error {
    var message: String
}

extension Snapshot {
    /// How many items, over all organisations.
    var itemCount: Int { organisations.reduce(0) { $0 + $1.items.count } }

    /// The dependencies as positions in the flattened item list, `from << 32 | to`, sorted
    /// and without duplicates: from `edges` when given, else by resolving `dependsOn`. A
    /// position or reference outside the snapshot's items is a problem.
    func positionalEdges() throws(EdgeProblem) -> [UInt64] {
        let total = itemCount
        var out: [UInt64] = []
        if let edges {
            return try Self.packed(edges, items: total)
        } else {
            var position: [String: UInt32] = [:]
            position.reserveCapacity(total)
            var n: UInt32 = 0
            for o in organisations {
                for i in o.items {
                    position[o.id + "/" + i.id] = n
                    n += 1
                }
            }
            n = 0
            for o in organisations {
                for i in o.items {
                    for ref in i.dependsOn {
                        guard let to = position[ref] else {
                            throw EdgeProblem(message: "\(o.id)/\(i.id) depends on \(ref), which is not in the snapshot")
                        }
                        out.append(UInt64(n) << 32 | UInt64(to))
                    }
                    n += 1
                }
            }
        }
        return Self.sortedUnique(out)
    }

    /// Dependencies given as positions, `from << 32 | to`, sorted and without duplicates;
    /// a position outside the `items` items is a problem.
    static func packed(_ edges: [(from: Int32, to: Int32)], items total: Int) throws(EdgeProblem) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(edges.count)
        for e in edges {
            guard e.from >= 0, e.to >= 0, Int(e.from) < total, Int(e.to) < total else {
                throw EdgeProblem(message: "a dependency of the snapshot points outside its items")
            }
            out.append(UInt64(UInt32(e.from)) << 32 | UInt64(UInt32(e.to)))
        }
        return sortedUnique(out)
    }

    static func sortedUnique(_ edges: [UInt64]) -> [UInt64] {
        var out = edges
        // Often sorted already (scan --save gives them so); checking costs little beside sorting.
        if !zip(out, out.dropFirst()).allSatisfy({ $0 < $1 }) { out.sort() }
        var unique = 0
        for k in out.indices where unique == 0 || out[unique - 1] != out[k] {
            out[unique] = out[k]
            unique += 1
        }
        out.removeLast(out.count - unique)
        return out
    }
}

/// One point of `infra trend`: a capability's coverage among one organisation type in one snapshot.
public struct TrendPoint: Sendable, Hashable {
    public var snapshot: SnapshotInfo
    public var record: CoverageRecord
}

enum Timestamp {
    static func format(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        var seconds = time_t(t)
        gmtime_r(&seconds, &tm)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1, Int(tm.tm_mday),
                      Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec))
    }

    static func parse(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int($0) }
        guard parts.count == 6 else { return nil }
        var tm = tm()
        tm.tm_year = Int32(parts[0] - 1900)
        tm.tm_mon = Int32(parts[1] - 1)
        tm.tm_mday = Int32(parts[2])
        tm.tm_hour = Int32(parts[3])
        tm.tm_min = Int32(parts[4])
        tm.tm_sec = Int32(parts[5])
        return Date(timeIntervalSince1970: TimeInterval(timegm(&tm)))
    }
}
