import Foundation
import InfraModel

/// One snapshot being written, in one open transaction (`BEGIN IMMEDIATE … COMMIT`). Its
/// parts can be added as they become ready — the dependencies as soon as the graph is
/// resolved, the items once they are exported, the findings and coverage after the checks
/// — and nothing is visible to anyone until `commit`. Any error, or dropping the writer
/// without committing, rolls the whole snapshot back.
///
/// Ids are given here, not left to SQLite, while the write lock is held: the snapshot's
/// id, and one consecutive range of item ids, so that a dependency (a pair of positions in
/// the snapshot's item list) becomes a pair of ids without asking back. SQLite checks a
/// foreign key by opening a cursor on the parent for every row, which for a country (~1M
/// references) costs more than the inserts; the rows written here are consistent by
/// construction (every position is checked against the item count), so the row-by-row
/// checks are off until the writer is done, and on again for everything else.
///
/// Use it from one thread at a time. `HistoryStore.save` is the one-call form.
public final class SnapshotWriter {
    let store: HistoryStore
    private var db: Connection { store.db }
    /// The snapshot's id.
    public let id: Int64
    /// Item ids are `base + 1 + position`.
    private let base: Int64
    private var items: Int?
    private var open = true

    /// Takes the write lock (waiting for another writer, up to the busy timeout) and
    /// allocates the snapshot's id.
    public init(_ store: HistoryStore) throws(StoreError) {
        self.store = store
        try store.db.execute("PRAGMA foreign_keys = OFF")
        do throws(StoreError) {
            try store.db.execute("BEGIN IMMEDIATE")
        } catch {
            try? store.db.execute("PRAGMA foreign_keys = ON")
            throw error
        }
        do throws(StoreError) {
            id = (try store.db.integer("SELECT coalesce(max(id), 0) + 1 FROM snapshots") ?? 1)
            base = try store.db.integer("SELECT coalesce(max(id), 0) FROM items") ?? 0
        } catch {
            Self.rollback(store.db)
            throw error
        }
    }

    deinit {
        if open { Self.rollback(db) }
    }

    private static func rollback(_ db: Connection) {
        if !db.isAutocommit { try? db.execute("ROLLBACK") }
        try? db.execute("PRAGMA foreign_keys = ON")
    }

    /// Rolls the snapshot back.
    public func cancel() {
        guard open else { return }
        open = false
        Self.rollback(db)
    }

    /// Runs `body`; an error rolls the snapshot back.
    private func step<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        guard open else { throw StoreError(.sqlite, "\(store.path): the snapshot was already committed or rolled back") }
        do throws(StoreError) {
            return try body()
        } catch {
            cancel()
            throw error
        }
    }

    /// The number of items the snapshot will have; fixed by the first of `dependencies` and `model`.
    private func expect(items count: Int) throws(StoreError) {
        if let items, items != count {
            throw StoreError(.sqlite, "\(store.path): the snapshot has \(count) items, not \(items) as its dependencies said; nothing saved")
        }
        items = count
    }

    /// The dependencies, as positions in the snapshot's item list (organisations in order,
    /// their items in order) of `items` items. Any order; duplicates are dropped.
    public func dependencies(_ edges: [(from: Int32, to: Int32)], items count: Int) throws(StoreError) {
        var packed: [UInt64] = []
        packed.reserveCapacity(edges.count)
        for e in edges {
            guard e.from >= 0, e.to >= 0, Int(e.from) < count, Int(e.to) < count else {
                cancel()
                throw StoreError(.sqlite, "\(store.path): a dependency of the snapshot points outside its items; nothing saved")
            }
            packed.append(UInt64(UInt32(e.from)) << 32 | UInt64(UInt32(e.to)))
        }
        packed.sort()
        try dependencies(packed: packed, items: count)
    }

    /// `from << 32 | to` positions, sorted; checked against `count`.
    func dependencies(packed edges: [UInt64], items count: Int) throws(StoreError) {
        try step { () throws(StoreError) in
            try expect(items: count)
            // Sorted by (from, to) without duplicates: the rows arrive in key order.
            var unique = 0
            var previous = UInt64.max
            for e in edges where e != previous {
                guard Int(e >> 32) < count, Int(e & 0xFFFF_FFFF) < count else {
                    throw StoreError(.sqlite, "\(store.path): a dependency of the snapshot points outside its items; nothing saved")
                }
                unique += 1
                previous = e
            }
            let rows = try BatchInsert(db, "INSERT INTO dependencies (from_item_id, to_item_id)", columns: 2,
                                       rowsPerStatement: 500, total: unique)
            previous = UInt64.max
            for e in edges where e != previous {
                rows.int(1, base + 1 + Int64(e >> 32))
                rows.int(2, base + 1 + Int64(e & 0xFFFF_FFFF))
                try rows.endRow()
                previous = e
            }
            try rows.finish()
        }
    }

    /// The organisations and their items (`dependsOn` is not read: see `dependencies`).
    public func model(_ organisations: [ExportedOrganisation]) throws(StoreError) {
        try step { () throws(StoreError) in
            try expect(items: organisations.reduce(0) { $0 + $1.items.count })
            let org = try db.prepare("""
                INSERT INTO organisations (snapshot_id, organisation, name, type, code, county, org_number, parent, members, national, files)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for o in organisations {
                org.bind(1, id)
                org.bind(2, o.id)
                org.bind(3, o.name)
                org.bind(4, o.type)
                org.bind(5, o.code)
                org.bind(6, o.county)
                org.bind(7, o.orgNumber)
                org.bind(8, o.parent)
                org.bind(9, JSONText.array(o.members))
                org.bind(10, o.national)
                org.bind(11, JSONText.array(o.files))
                try org.run()
            }

            var files = FileIDs(db)
            let rows = try BatchInsert(db, """
                INSERT INTO items (id, snapshot_id, organisation, item, layer, name, capability, status, end_of_support,
                                   product, vendor, standards, critical, coverage, reviewed, sensitivity, tags, notes, file_id, line,
                                   digest)
                """, columns: 21, rowsPerStatement: 64, total: items ?? 0)
            var next = base
            // Fields are read in place (list[k].name), not by copying each item out of the array.
            for o in organisations.indices {
                let org = organisations[o].id
                let list = organisations[o].items
                for k in list.indices {
                    next += 1
                    rows.int(1, next)
                    rows.int(2, id)
                    rows.text(3, org)
                    rows.text(4, list[k].id)
                    rows.text(5, list[k].layer.rawValue)
                    rows.text(6, list[k].name)
                    rows.text(7, list[k].capability)
                    rows.text(8, list[k].status.rawValue)
                    rows.text(9, list[k].endOfSupport)
                    rows.text(10, list[k].product)
                    rows.text(11, list[k].vendor)
                    let standards = JSONText.array(list[k].standards), coverage = JSONText.object(list[k].coverage)
                    let tags = JSONText.array(list[k].tags)
                    rows.text(12, standards)
                    rows.bool(13, list[k].critical)
                    rows.text(14, coverage)
                    rows.text(15, list[k].reviewed)
                    rows.text(16, list[k].sensitivity.rawValue)
                    rows.text(17, tags)
                    rows.text(18, list[k].notes)
                    rows.int(19, try files.id(list[k].file))
                    rows.int(20, list[k].line)
                    rows.int(21, ItemFields.digest(list[k], standards: standards, coverage: coverage, tags: tags))
                    try rows.endRow()
                }
            }
            try rows.finish()
        }
    }

    /// Every finding of the scan, with its fingerprint (`Fingerprint.of` when not given).
    public func findings(_ findings: [Finding], fingerprints: [String]? = nil) throws(StoreError) {
        try step { () throws(StoreError) in
            let rows = try BatchInsert(db, """
                INSERT INTO findings (snapshot_id, fingerprint, rule, severity, message, organisation, item, related, file, line, "column", help)
                """, columns: 12, rowsPerStatement: 100, total: findings.count)
            for (k, f) in findings.enumerated() {
                rows.int(1, id)
                rows.text(2, fingerprints?[k] ?? Fingerprint.of(f))
                rows.text(3, f.rule.rawValue)
                rows.text(4, f.severity.rawValue)
                rows.text(5, f.message)
                rows.text(6, f.organisation)
                rows.text(7, f.item)
                rows.text(8, JSONText.array(f.related))
                rows.text(9, f.file)
                rows.int(10, f.line)
                rows.int(11, f.column)
                rows.text(12, f.help)
                try rows.endRow()
            }
            try rows.finish()
        }
    }

    /// The coverage table.
    public func coverage(_ records: [CoverageRecord]) throws(StoreError) {
        try step { () throws(StoreError) in
            let coverage = try db.prepare("""
                INSERT INTO coverage (snapshot_id, kind, term, name, layer, organisation_type, covered, inventoried, total,
                                      population_covered, population_total)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            coverage.bind(1, id)
            for c in records {
                coverage.bind(2, c.isStandard ? "standard" : "capability")
                coverage.bind(3, c.term)
                coverage.bind(4, c.name)
                coverage.bind(5, c.layer)
                coverage.bind(6, c.organisationType)
                coverage.bind(7, c.covered)
                coverage.bind(8, c.inventoried)
                coverage.bind(9, c.total)
                coverage.bind(10, c.populationCovered)
                coverage.bind(11, c.populationTotal)
                try coverage.run()
            }
        }
    }

    /// Records the snapshot's row (`info`; its id is ignored) and commits; returns the id.
    /// The model must have been written.
    @discardableResult
    public func commit(_ info: SnapshotInfo) throws(StoreError) -> Int64 {
        try step { () throws(StoreError) in
            guard items != nil else {
                throw StoreError(.sqlite, "\(store.path): a snapshot without its organisations and items; nothing saved")
            }
            let s = try db.prepare("""
                INSERT INTO snapshots (id, taken_at, paths, git_commit, tool_version, national, settings, files, organisations, items,
                                       dependencies, errors, warnings, infos)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            s.bind(1, id)
            s.bind(2, info.takenAtText)
            s.bind(3, JSONText.array(info.paths))
            s.bind(4, info.gitCommit)
            s.bind(5, info.toolVersion)
            s.bind(6, info.national)
            s.bind(7, info.settings)
            s.bind(8, info.files)
            s.bind(9, info.organisations)
            s.bind(10, info.items)
            s.bind(11, info.dependencies)
            s.bind(12, info.errors)
            s.bind(13, info.warnings)
            s.bind(14, info.infos)
            try s.run()
            try db.execute("COMMIT")
        }
        open = false
        try? db.execute("PRAGMA foreign_keys = ON")
        return id
    }
}

/// `files` rows for the paths items are written in: one per path, shared by every
/// snapshot. Items come file by file, so the last path answers most lookups.
struct FileIDs {
    let db: Connection
    var known: [String: Int64] = [:]
    var lastPath = ""
    var lastID: Int64 = -1
    var insert: Statement?
    var select: Statement?

    init(_ db: Connection) { self.db = db }

    mutating func id(_ path: String) throws(StoreError) -> Int64 {
        if lastID >= 0, path == lastPath { return lastID }
        if let id = known[path] {
            lastPath = path
            lastID = id
            return id
        }
        if insert == nil {
            insert = try db.prepare("INSERT INTO files (path) VALUES (?) ON CONFLICT (path) DO NOTHING")
            select = try db.prepare("SELECT id FROM files WHERE path = ?")
        }
        insert!.bind(1, path)
        try insert!.run()
        select!.bind(1, path)
        guard try select!.step() else { throw StoreError(.sqlite, "\(db.path): cannot record the file \(path)") }
        let id = select!.int64(0)
        select!.reset()
        known[path] = id
        lastPath = path
        lastID = id
        return id
    }
}
