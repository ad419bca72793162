import CSQLite
import Foundation
import InfraModel

/// The history database: snapshots of scans in one SQLite file (schema in Schema.swift and
/// docs/history.md).
///
/// Opening never damages a file that is not ours: the header, `application_id` and
/// `user_version` are read first, and only an infra database (or an empty new file) is
/// written to. Writers take the lock with `BEGIN IMMEDIATE` and wait for each other (WAL
/// journal, busy timeout), so concurrent `infra scan --save` runs both succeed; a snapshot
/// is written in one transaction and rolled back whole on any error.
public final class HistoryStore {
    public let path: String
    let db: Connection

    /// How long a writer waits for another one before giving up.
    public static let busyTimeoutMilliseconds: Int32 = 30_000

    /// Opens the database at `path`. With `create`, a missing or empty file becomes a new
    /// database; without, a missing file is an error (the reading commands).
    public init(path: String, create: Bool) throws(StoreError) {
        self.path = path
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue { throw StoreError(.notSQLite, "\(path): is a directory, not a history database") }
        if !exists, !create {
            throw StoreError(.missing, "\(path): no such history database; record a snapshot with `infra scan PATH --save \(path)`")
        }
        if exists { try Self.checkHeader(path) }

        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        db = try Connection(path: path, flags: flags)
        sqlite3_busy_timeout(db.handle, Self.busyTimeoutMilliseconds)
        try db.execute("PRAGMA foreign_keys = ON")

        switch try identify() {
        case .ours(let version):
            if version < Schema.version { try migrate() }
        case .empty:
            guard create else {
                throw StoreError(.missing, "\(path): holds no snapshots yet; record one with `infra scan PATH --save \(path)`")
            }
            // Bigger pages: a snapshot is a few hundred thousand rows written in one go.
            try db.execute("PRAGMA page_size = 16384")
            try migrate()
        }
        try enableWAL()
        try db.execute("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")
    }

    // MARK: - Opening safely

    /// Refuses, before SQLite opens it, a file that is not an SQLite database at all.
    static func checkHeader(_ path: String) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError(.sqlite, "\(path): cannot read the file")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        if header.isEmpty { return }  // an empty file: a new database
        let magic = Array("SQLite format 3\0".utf8)
        guard header.count == 100, Array(header.prefix(16)) == magic else {
            throw StoreError(.notSQLite, "\(path): not an SQLite database, so not an infra history database; refusing to touch it")
        }
    }

    enum Identity {
        case ours(version: Int)
        case empty
    }

    /// Ours (with the schema version), a new empty database, or an error for anything else.
    private func identify() throws(StoreError) -> Identity {
        // A damaged file fails here (SQLITE_CORRUPT or SQLITE_NOTADB), before anything is written.
        let applicationID: Int64, version: Int64, objects: Int64
        do {
            applicationID = try db.integer("PRAGMA application_id") ?? 0
            version = try db.integer("PRAGMA user_version") ?? 0
            objects = try db.integer("SELECT count(*) FROM sqlite_schema") ?? 0
        } catch where error.kind == .corrupt || error.kind == .notSQLite {
            let reason = String(cString: sqlite3_errmsg(db.handle))
            throw StoreError(error.kind, error.kind == .corrupt
                ? "\(path): the database is damaged (\(reason)); refusing to touch it"
                : "\(path): not an SQLite database (\(reason)); refusing to touch it")
        }
        if applicationID == Int64(Schema.applicationID) {
            if version > Int64(Schema.version) {
                throw StoreError(.newerSchema, "\(path): written by a newer infra (schema version \(version); this infra reads up to \(Schema.version)); refusing to touch it")
            }
            if version < 1 && objects > 0 {
                throw StoreError(.corrupt, "\(path): an infra history database without a schema version; refusing to touch it")
            }
            try checkTables(version: Int(version))
            return version == 0 ? .empty : .ours(version: Int(version))
        }
        if applicationID == 0 && version == 0 && objects == 0 { return .empty }
        throw StoreError(.foreign, "\(path): an SQLite database, but not an infra history database (application_id \(applicationID), \(objects) schema objects); refusing to touch it")
    }

    /// The tables the schema version promises must be there; a damaged schema is refused.
    private func checkTables(version: Int) throws(StoreError) {
        guard version >= 1 else { return }
        let s = try db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        var names = Set<String>()
        while try s.step() { names.insert(s.text(0)) }
        let missing = ["snapshots", "organisations", "items", "dependencies", "findings", "coverage"].filter { !names.contains($0) }
        if !missing.isEmpty {
            throw StoreError(.corrupt, "\(path): the infra history database lacks the table\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); refusing to touch it")
        }
    }

    /// Applies the missing migrations, in one transaction with the new version number.
    private func migrate() throws(StoreError) {
        try transaction { () throws(StoreError) in
            // Another process may have created or migrated the file while we waited for the lock.
            let applicationID = try db.integer("PRAGMA application_id") ?? 0
            var version = Int(try db.integer("PRAGMA user_version") ?? 0)
            if applicationID != Int64(Schema.applicationID) {
                let objects = try db.integer("SELECT count(*) FROM sqlite_schema") ?? 0
                guard applicationID == 0, version == 0, objects == 0 else {
                    throw StoreError(.foreign, "\(path): became a different database while opening; refusing to touch it")
                }
                try db.execute("PRAGMA application_id = \(Schema.applicationID)")
            }
            if version > Schema.version {
                throw StoreError(.newerSchema, "\(path): written by a newer infra (schema version \(version)); refusing to touch it")
            }
            while version < Schema.version {
                try db.execute(Schema.migrations[version])
                version += 1
            }
            try db.execute("PRAGMA user_version = \(version)")
        }
    }

    /// WAL lets readers go on while one process saves. Switching needs a moment alone with
    /// the file, so a busy answer (another process opening it too) is retried.
    private func enableWAL() throws(StoreError) {
        let deadline = Date().addingTimeInterval(Double(Self.busyTimeoutMilliseconds) / 1000)
        while true {
            do throws(StoreError) {
                let s = try db.prepare("PRAGMA journal_mode = WAL")
                _ = try s.step()
                if s.text(0).lowercased() == "wal" { return }
                throw StoreError(.sqlite, "\(path): cannot switch the database to WAL mode (got \(s.text(0)))")
            } catch {
                guard error.message.contains("locked") || error.message.contains("busy"), Date() < deadline else { throw error }
                usleep(20_000)
            }
        }
    }

    /// Runs `body` in `BEGIN IMMEDIATE … COMMIT`; any error rolls the whole transaction back.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try db.execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try db.execute("COMMIT")
            return value
        } catch {
            if !db.isAutocommit { try? db.execute("ROLLBACK") }
            throw error
        }
    }

    // MARK: - Writing

    /// Records `snapshot` and returns its id. All or nothing.
    @discardableResult
    public func save(_ snapshot: Snapshot) throws(StoreError) -> Int64 {
        // SQLite checks a foreign key by opening a cursor on the parent for every row, which
        // for a country (~1M references) costs more than the inserts. The snapshot's ids are
        // allocated here and every reference resolved from them, and `checkReferences` proves
        // the result in one range scan before COMMIT; so the row-by-row checks are off while
        // the snapshot is written, and on again for everything else on this connection.
        try db.execute("PRAGMA foreign_keys = OFF")
        defer { try? db.execute("PRAGMA foreign_keys = ON") }
        return try transaction { () throws(StoreError) in
            let (id, items) = try insert(snapshot)
            try checkReferences(id, items: items)
            return id
        }
    }

    /// Every dependency of the snapshot stays within its items, ids `items` (see `insert`).
    private func checkReferences(_ id: Int64, items: ClosedRange<Int64>?) throws(StoreError) {
        guard let items else { return }
        let dangling = try db.integer("""
            SELECT count(*) FROM dependencies WHERE from_item_id BETWEEN ?1 AND ?2 AND to_item_id NOT BETWEEN ?1 AND ?2
            """, [.int(items.lowerBound), .int(items.upperBound)]) ?? 0
        if dangling > 0 {
            throw StoreError(.sqlite, "\(path): snapshot \(id) has \(dangling) dependencies leaving the snapshot; nothing saved")
        }
    }

    /// Writes the rows; returns the snapshot id and its items' id range (nil when it has none).
    private func insert(_ snapshot: Snapshot) throws(StoreError) -> (id: Int64, items: ClosedRange<Int64>?) {
        let info = snapshot.info
        let s = try db.prepare("""
            INSERT INTO snapshots (taken_at, paths, git_commit, tool_version, national, settings, files, organisations, items,
                                   dependencies, errors, warnings, infos)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        s.bind(1, info.takenAtText)
        s.bind(2, JSONText.array(info.paths))
        s.bind(3, info.gitCommit)
        s.bind(4, info.toolVersion)
        s.bind(5, info.national)
        s.bind(6, info.settings)
        s.bind(7, info.files)
        s.bind(8, info.organisations)
        s.bind(9, info.items)
        s.bind(10, info.dependencies)
        s.bind(11, info.errors)
        s.bind(12, info.warnings)
        s.bind(13, info.infos)
        try s.run()
        let id = db.lastInsertRowID

        let org = try db.prepare("""
            INSERT INTO organisations (snapshot_id, organisation, name, type, code, county, org_number, parent, members, national, files)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for o in snapshot.organisations {
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

        // Item ids are given, not left to SQLite: the snapshot's items get the next ids in
        // order (we hold the write lock), so dependencies can name them without asking back.
        let base = try db.integer("SELECT coalesce(max(id), 0) FROM items") ?? 0
        let total = snapshot.organisations.reduce(0) { $0 + $1.items.count }
        let edges = snapshot.edges
        if let edges, edges.contains(where: { $0.from < 0 || $0.to < 0 || Int($0.from) >= total || Int($0.to) >= total }) {
            throw StoreError(.sqlite, "\(path): a dependency of the snapshot points outside its items; nothing saved")
        }
        // Without positional edges, `org/item` → id for resolving `dependsOn`.
        var itemIDs: [String: Int64] = [:]
        var next = base
        if edges == nil {
            itemIDs.reserveCapacity(total)
            for o in snapshot.organisations.indices {
                let org = snapshot.organisations[o].id
                let list = snapshot.organisations[o].items
                for k in list.indices {
                    next += 1
                    itemIDs[org + "/" + list[k].id] = next
                }
            }
        }
        let items = try BatchInsert(db, """
            INSERT INTO items (id, snapshot_id, organisation, item, layer, name, capability, status, end_of_support,
                               product, vendor, standards, critical, coverage, reviewed, sensitivity, tags, notes, file, line)
            """, columns: 20, rowsPerStatement: 64, total: total)
        // Resolved while the items are written (a reference outside the snapshot is an
        // error), sorted per item, duplicates dropped: the rows arrive in key order.
        var resolved: [(from: Int64, to: Int64)] = []
        var targets: [Int64] = []
        next = base
        // Fields are read in place (list[k].name), not by copying each item out of the array.
        for o in snapshot.organisations.indices {
            let org = snapshot.organisations[o].id
            let list = snapshot.organisations[o].items
            for k in list.indices {
                next += 1
                items.int(1, next)
                items.int(2, id)
                items.text(3, org)
                items.text(4, list[k].id)
                items.text(5, list[k].layer.rawValue)
                items.text(6, list[k].name)
                items.text(7, list[k].capability)
                items.text(8, list[k].status.rawValue)
                items.text(9, list[k].endOfSupport)
                items.text(10, list[k].product)
                items.text(11, list[k].vendor)
                items.text(12, list[k].standards.isEmpty ? "[]" : JSONText.array(list[k].standards))
                items.bool(13, list[k].critical)
                items.text(14, list[k].coverage.isEmpty ? "{}" : JSONText.object(list[k].coverage))
                items.text(15, list[k].reviewed)
                items.text(16, list[k].sensitivity.rawValue)
                items.text(17, list[k].tags.isEmpty ? "[]" : JSONText.array(list[k].tags))
                items.text(18, list[k].notes)
                items.text(19, list[k].file)
                items.int(20, list[k].line)
                try items.endRow()

                let refs = list[k].dependsOn
                guard edges == nil, !refs.isEmpty else { continue }
                targets.removeAll(keepingCapacity: true)
                for ref in refs {
                    // Every resolved reference names an item of the same snapshot; one that does
                    // not (a model built by hand) would break the foreign key, so it is an error.
                    guard let to = itemIDs[ref] else {
                        throw StoreError(.sqlite, "\(path): \(org)/\(list[k].id) depends on \(ref), which is not in the snapshot")
                    }
                    targets.append(to)
                }
                targets.sort()
                var previous: Int64 = -1
                for to in targets where to != previous {
                    resolved.append((next, to))
                    previous = to
                }
            }
        }
        try items.finish()

        if let given = edges {
            // Positions → ids, sorted by (from, to) and without duplicates: key order for the table.
            resolved = given.map { (base + 1 + Int64($0.from), base + 1 + Int64($0.to)) }
            resolved.sort { $0.from != $1.from ? $0.from < $1.from : $0.to < $1.to }
            var unique: [(from: Int64, to: Int64)] = []
            unique.reserveCapacity(resolved.count)
            for e in resolved where unique.last.map({ $0.from != e.from || $0.to != e.to }) ?? true { unique.append(e) }
            resolved = unique
        }
        let dependencies = try BatchInsert(db, "INSERT INTO dependencies (from_item_id, to_item_id)", columns: 2,
                                           rowsPerStatement: 500, total: resolved.count)
        for e in resolved {
            dependencies.int(1, e.from)
            dependencies.int(2, e.to)
            try dependencies.endRow()
        }
        try dependencies.finish()

        let findings = try BatchInsert(db, """
            INSERT INTO findings (snapshot_id, fingerprint, rule, severity, message, organisation, item, related, file, line, "column", help)
            """, columns: 12, rowsPerStatement: 100, total: snapshot.findings.count)
        for f in snapshot.findings {
            findings.int(1, id)
            findings.text(2, Fingerprint.of(f))
            findings.text(3, f.rule.rawValue)
            findings.text(4, f.severity.rawValue)
            findings.text(5, f.message)
            findings.text(6, f.organisation)
            findings.text(7, f.item)
            findings.text(8, JSONText.array(f.related))
            findings.text(9, f.file)
            findings.int(10, f.line)
            findings.int(11, f.column)
            findings.text(12, f.help)
            try findings.endRow()
        }
        try findings.finish()

        let coverage = try db.prepare("""
            INSERT INTO coverage (snapshot_id, kind, term, name, layer, organisation_type, covered, inventoried, total,
                                  population_covered, population_total)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        coverage.bind(1, id)
        for c in snapshot.coverage {
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
        return (id, total > 0 ? (base + 1)...(base + Int64(total)) : nil)
    }

    // MARK: - Reading

    private static let infoColumns = """
        id, taken_at, paths, git_commit, tool_version, national, settings, files, organisations, items, dependencies, errors, warnings, infos
        """

    private func info(_ s: Statement) -> SnapshotInfo {
        SnapshotInfo(id: s.int64(0), takenAt: Timestamp.parse(s.text(1)) ?? Date(timeIntervalSince1970: 0),
                     paths: JSONText.parseArray(s.text(2)), gitCommit: s.optionalText(3), toolVersion: s.text(4),
                     national: s.bool(5), settings: s.text(6), files: s.int(7), organisations: s.int(8), items: s.int(9),
                     dependencies: s.int(10), errors: s.int(11), warnings: s.int(12), infos: s.int(13))
    }

    /// Every snapshot, oldest first.
    public func snapshots() throws(StoreError) -> [SnapshotInfo] {
        let s = try db.prepare("SELECT \(Self.infoColumns) FROM snapshots ORDER BY id")
        var out: [SnapshotInfo] = []
        while try s.step() { out.append(info(s)) }
        return out
    }

    public func snapshotInfo(_ id: Int64) throws(StoreError) -> SnapshotInfo {
        let s = try db.prepare("SELECT \(Self.infoColumns) FROM snapshots WHERE id = ?")
        s.bind(1, id)
        guard try s.step() else {
            throw StoreError(.notFound, "\(path): no snapshot \(id); `infra history --db \(path)` lists them")
        }
        return info(s)
    }

    /// The ids of the last `count` snapshots, oldest first.
    public func latestIDs(_ count: Int) throws(StoreError) -> [Int64] {
        let s = try db.prepare("SELECT id FROM snapshots ORDER BY id DESC LIMIT ?")
        s.bind(1, count)
        var out: [Int64] = []
        while try s.step() { out.append(s.int64(0)) }
        return out.reversed()
    }

    /// A whole snapshot back as values. Dependencies come back in item order, not in the
    /// order of the inventory's `depends_on` lists.
    public func load(_ id: Int64) throws(StoreError) -> Snapshot {
        let info = try snapshotInfo(id)

        var organisations: [ExportedOrganisation] = []
        var orgIndex: [String: Int] = [:]
        let o = try db.prepare("""
            SELECT id, organisation, name, type, code, county, org_number, parent, members, national, files
            FROM organisations WHERE snapshot_id = ? ORDER BY id
            """)
        o.bind(1, id)
        while try o.step() {
            orgIndex[o.text(1)] = organisations.count
            organisations.append(ExportedOrganisation(
                id: o.text(1), name: o.text(2), type: o.optionalText(3), code: o.optionalText(4), county: o.optionalText(5),
                orgNumber: o.optionalText(6), parent: o.optionalText(7), members: JSONText.parseArray(o.text(8)),
                national: o.bool(9), files: JSONText.parseArray(o.text(10)), items: []))
        }

        // Item rows of one snapshot are contiguous (one transaction wrote them), so a rowid
        // range reads them in order without sorting.
        let range = try db.prepare("SELECT min(id), max(id) FROM items WHERE snapshot_id = ?")
        range.bind(1, id)
        _ = try range.step()
        if !range.isNull(0) {
            let low = range.int64(0), high = range.int64(1)
            var refs = [String](repeating: "", count: Int(high - low + 1))
            var where_ = [(org: Int, item: Int)](repeating: (-1, -1), count: refs.count)
            let s = try db.prepare("""
                SELECT id, organisation, item, layer, name, capability, status, end_of_support, product, vendor, standards,
                       critical, coverage, reviewed, sensitivity, tags, notes, file, line
                FROM items WHERE id BETWEEN ? AND ? AND +snapshot_id = ? ORDER BY id
                """)
            s.bind(1, low)
            s.bind(2, high)
            s.bind(3, id)
            // Rows come in id order, which is organisation order: look the organisation up
            // only when it changes.
            var lastOrg = "", lastIndex = -1
            // Values that repeat from row to row (files, capabilities, vendors, the enums) are
            // made into Strings once and reused while they stay the same.
            var files = TextCache(), capabilities = TextCache(), vendors = TextCache()
            var layers = TextCache(), statuses = TextCache(), sensitivities = TextCache()
            var layer = Layer.services, status = ItemStatus.active, sensitivity = Sensitivity.internal
            while try s.step() {
                if lastIndex < 0 || !s.text(1, equals: lastOrg) {
                    lastOrg = s.text(1)
                    lastIndex = orgIndex[lastOrg] ?? -1
                }
                guard lastIndex >= 0 else { continue }
                let oi = lastIndex
                if let text = layers.changed(s, 3) { layer = Layer(rawValue: text) ?? .services }
                if let text = statuses.changed(s, 6) { status = ItemStatus(rawValue: text) ?? .active }
                if let text = sensitivities.changed(s, 14) { sensitivity = Sensitivity(rawValue: text) ?? .internal }
                let item = ExportedItem(
                    id: s.text(2), layer: layer, name: s.text(4),
                    capability: capabilities.value(s, 5), status: status,
                    endOfSupport: s.optionalText(7), product: s.optionalText(8), vendor: vendors.value(s, 9),
                    standards: s.text(10, equals: "[]") ? [] : JSONText.parseArray(s.text(10)), critical: s.bool(11), dependsOn: [],
                    coverage: s.text(12, equals: "{}") ? [] : JSONText.parseObject(s.text(12)), reviewed: s.optionalText(13),
                    sensitivity: sensitivity, tags: s.text(15, equals: "[]") ? [] : JSONText.parseArray(s.text(15)),
                    notes: s.optionalText(16), file: files.value(s, 17) ?? "", line: s.int(18))
                let slot = Int(s.int64(0) - low)
                refs[slot] = organisations[oi].id + "/" + item.id
                where_[slot] = (oi, organisations[oi].items.count)
                organisations[oi].items.append(item)
            }
            let d = try db.prepare("SELECT from_item_id, to_item_id FROM dependencies WHERE from_item_id BETWEEN ? AND ?")
            d.bind(1, low)
            d.bind(2, high)
            while try d.step() {
                let from = Int(d.int64(0) - low), to = Int(d.int64(1) - low)
                guard to >= 0, to < refs.count, where_[from].org >= 0 else { continue }
                organisations[where_[from].org].items[where_[from].item].dependsOn.append(refs[to])
            }
        }

        var findings: [Finding] = []
        let f = try db.prepare("""
            SELECT rule, severity, message, file, line, "column", organisation, item, related, help
            FROM findings WHERE snapshot_id = ? ORDER BY id
            """)
        f.bind(1, id)
        while try f.step() {
            var finding = Finding(rule: RuleID(rawValue: f.text(0)), severity: Severity(rawValue: f.text(1)) ?? .error,
                                  message: f.text(2), file: f.optionalText(3), organisation: f.optionalText(6),
                                  item: f.optionalText(7), related: JSONText.parseArray(f.text(8)), help: f.optionalText(9))
            finding.line = f.optionalInt(4)
            finding.column = f.optionalInt(5)
            findings.append(finding)
        }

        let coverage = try coverageRecords("WHERE snapshot_id = ?", [.int(id)]).map(\.record)
        return Snapshot(info: info, organisations: organisations, findings: findings, coverage: coverage)
    }

    private func coverageRecords(_ filter: String, _ parameters: [Binding]) throws(StoreError) -> [(snapshot: Int64, record: CoverageRecord)] {
        let s = try db.prepare("""
            SELECT snapshot_id, kind, term, name, layer, organisation_type, covered, inventoried, total, population_covered, population_total
            FROM coverage \(filter) ORDER BY snapshot_id, id
            """)
        try s.bind(parameters)
        var out: [(snapshot: Int64, record: CoverageRecord)] = []
        while try s.step() {
            out.append((s.int64(0), CoverageRecord(
                term: s.text(2), isStandard: s.text(1) == "standard", name: s.text(3), layer: s.optionalText(4),
                organisationType: s.text(5), covered: s.int(6), inventoried: s.int(7), total: s.optionalInt(8),
                populationCovered: s.optionalInt(9), populationTotal: s.optionalInt(10))))
        }
        return out
    }

    /// The last text read from a column, kept as a String while the rows repeat it.
    struct TextCache {
        var last: String?
        var isNull = true
        var primed = false

        /// The column's value, reusing the previous String when the bytes are the same.
        mutating func value(_ s: Statement, _ column: Int32) -> String? {
            if s.isNull(column) {
                primed = true
                isNull = true
                last = nil
                return nil
            }
            if primed, !isNull, let last, s.text(column, equals: last) { return last }
            let text = s.text(column)
            primed = true
            isNull = false
            last = text
            return text
        }

        /// The column's value when it differs from the previous row's, else nil.
        mutating func changed(_ s: Statement, _ column: Int32) -> String? {
            if primed, !isNull, let last, s.text(column, equals: last) { return nil }
            return value(s, column) ?? ""
        }
    }

    /// A capability's (or standard's) coverage in every snapshot, oldest first.
    public func trend(_ term: String) throws(StoreError) -> [TrendPoint] {
        let infos = Dictionary(uniqueKeysWithValues: try snapshots().map { ($0.id, $0) })
        return try coverageRecords("WHERE term = ?", [.text(term)]).compactMap { row in
            infos[row.snapshot].map { TrendPoint(snapshot: $0, record: row.record) }
        }
    }

    /// Every capability and standard id recorded in any snapshot (for did-you-mean).
    public func terms() throws(StoreError) -> [String] {
        let s = try db.prepare("SELECT DISTINCT term FROM coverage")
        var out: [String] = []
        while try s.step() { out.append(s.text(0)) }
        return out
    }

    /// `PRAGMA quick_check`: nil when the file is sound, else SQLite's first complaint.
    public func quickCheck() throws(StoreError) -> String? {
        let s = try db.prepare("PRAGMA quick_check(1)")
        guard try s.step() else { return nil }
        let answer = s.text(0)
        return answer == "ok" ? nil : answer
    }
}
