import Foundation
import InfraModel

/// One snapshot being written, in one open transaction (`BEGIN IMMEDIATE … COMMIT`). Its
/// parts can be added as they become ready — the organisations, items and dependencies once
/// the model is exported, the findings and coverage after the checks — and nothing is
/// visible to anyone until `commit`. Any error, or dropping the writer without committing,
/// rolls the whole snapshot back.
///
/// Ids are planned here while the write lock is held: the snapshot's id, the new
/// organisation versions' ids and one consecutive range of item ids for each, so that a
/// dependency (a pair of positions in the snapshot's item list) becomes a pair of row ids
/// without asking back. (Item rows are inserted in that order and numbered by SQLite, one
/// past the largest id, which saves a lookup per row; the last id is checked against the plan.) SQLite checks a foreign key by opening a cursor on the
/// parent for every row, which for a country (~1M references) costs more than the inserts;
/// the rows written here are consistent by construction (every position is checked against
/// the item count), so the row-by-row checks are off until the writer is done, and on
/// again for everything else.
///
/// Use it from one thread at a time. `HistoryStore.save` is the one-call form.
public final class SnapshotWriter {
    let store: HistoryStore
    private var db: Connection { store.db }
    /// The snapshot's id.
    public let id: Int64
    /// New item rows get ids from `base + 1` on.
    private let base: Int64
    /// Set once the organisations are written (`model`), which `commit` needs.
    private var modelWritten = false
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
            base = try store.db.integer("SELECT coalesce(max(id), 0) FROM item_versions") ?? 0
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

    /// The organisations and their items, and the dependencies as positions in the
    /// snapshot's item list (organisations in order, their items in order); any order,
    /// duplicates dropped. `dependsOn` of the items is not read.
    ///
    /// An organisation whose header, items and resolved dependencies are exactly as in a
    /// version already stored is not written again: the snapshot lists that version.
    public func model(_ source: ModelSource, edges: [(from: Int32, to: Int32)]) throws(StoreError) {
        let packed: [UInt64]
        do throws(EdgeProblem) {
            packed = try Snapshot.packed(edges, items: source.itemCounts.reduce(0, +))
        } catch {
            cancel()
            throw StoreError(.sqlite, "\(store.path): \(error.message); nothing saved")
        }
        try model(source, packed: packed)
    }

    /// Organisation versions written and reused by `model`.
    public private(set) var versionsWritten = 0, versionsReused = 0

    /// `edges`: `from << 32 | to` positions, sorted, without duplicates, each checked
    /// against the item count (`Snapshot.packed`, `Snapshot.positionalEdges`).
    func model(_ source: ModelSource, packed edges: [UInt64]) throws(StoreError) {
        try step { () throws(StoreError) in
            try write(source, ModelLayout(source, edges: edges))
        }
    }

    private func write(_ source: ModelSource, _ layout: ModelLayout) throws(StoreError) {
        guard !modelWritten else {
            throw StoreError(.sqlite, "\(store.path): the snapshot's organisations were already written; nothing saved")
        }
        modelWritten = true

        let count = source.ids.count
        var firstRow = [Int64](repeating: 0, count: count)
        var version = [Int64](repeating: 0, count: count)
        var isNew = [Bool](repeating: false, count: count)
        // An organisation stored already, as it is now, is listed as that version; a new
        // version gets the next id, and its items the next consecutive range of row ids.
        let stored = try StoredVersions(db)
        var nextVersion = try db.integer("SELECT coalesce(max(id), 0) FROM organisation_versions") ?? 0
        var nextRow = base
        let org = try db.prepare("""
            INSERT INTO organisation_versions (id, organisation, name, type, code, county, org_number, parent, members, national,
                                               files, items, first_item_id, digest)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var files = FileIDs(db)
        let items = BatchInsert(db, ItemRows.insert, columns: ItemRows.columns, rowsPerBatch: 1)

        // Organisations come exported, with their digests and a new version's item rows, a
        // batch ahead: made on the other core while SQLite writes the batch before.
        try inParallelBatches(count, batch: 8, { indices in
            indices.map { o in PreparedOrganisation(source, o, layout, stored: stored) }
        }, emit: { (batch: [PreparedOrganisation]) throws(StoreError) in
            for prepared in batch {
                let o = prepared.index, x = prepared.organisation
                guard let rows = prepared.rows else {
                    let reused = prepared.stored!
                    version[o] = reused.id
                    firstRow[o] = reused.firstRow
                    continue
                }

                isNew[o] = true
                nextVersion += 1
                version[o] = nextVersion
                firstRow[o] = nextRow + 1
                nextRow += Int64(x.items.count)
                versionsWritten += 1
                org.bind(1, version[o])
                org.bind(2, x.id)
                org.bind(3, x.name)
                org.bind(4, x.type)
                org.bind(5, x.code)
                org.bind(6, x.county)
                org.bind(7, x.orgNumber)
                org.bind(8, x.parent)
                org.bind(9, JSONText.array(x.members))
                org.bind(10, x.national)
                org.bind(11, JSONText.array(x.files))
                org.bind(12, x.items.count)
                org.bind(13, x.items.isEmpty ? Binding.null : .int(firstRow[o]))
                org.bind(14, Int64(bitPattern: prepared.digest))
                try org.run()

                var fileIDs: [Int64] = []
                for path in rows.paths { fileIDs.append(try files.id(path)) }
                rows.complete(version: version[o], fileIDs: fileIDs)
                try items.insert(rows.batch)
            }
        })
        // SQLite numbered the rows (one more than the largest id each time); they must be the
        // ids planned above, which the dependencies below point at.
        if nextRow > base, try db.integer("SELECT max(id) FROM item_versions") != nextRow {
            throw StoreError(.sqlite, "\(store.path): the items were not numbered as planned; nothing saved")
        }
        store.flushAhead()
        versionsReused = count - versionsWritten

        // The dependencies of the new versions; one that points into a reused version points
        // at that version's row. (Written once every organisation's rows are known: a
        // dependency may point at an organisation written after its own.)
        func row(_ position: Int) -> Int64 {
            let o = Int(layout.organisation[position])
            return firstRow[o] + Int64(position - layout.start[o])
        }
        var newEdges = 0
        for o in 0..<count where isNew[o] { newEdges += layout.edgeStart[o + 1] - layout.edgeStart[o] }
        let deps = BatchInsert(db, "INSERT INTO item_dependencies (from_item_id, to_item_id)", columns: 2)
        try deps.announce(newEdges)
        for o in 0..<count where isNew[o] {
            for e in layout.edges[layout.edgeStart[o]..<layout.edgeStart[o + 1]] {
                deps.int(1, row(Int(e >> 32)))
                deps.int(2, row(Int(e & 0xFFFF_FFFF)))
                try deps.endRow()
            }
        }
        try deps.finish()
        store.flushAhead()

        try list(version, in: "snapshot_organisations", as: "organisation_version_id")
    }

    /// The snapshot's rows of a list table (`snapshot_id`, `position`, `column`): `ids` in order.
    private func list(_ ids: [Int64], in table: String, as column: String) throws(StoreError) {
        let listed = BatchInsert(db, "INSERT INTO \(table) (snapshot_id, position, \(column))",
                                     columns: 3)
        try listed.announce(ids.count)
        for (position, value) in ids.enumerated() {
            listed.int(1, id)
            listed.int(2, position)
            listed.int(3, value)
            try listed.endRow()
        }
        try listed.finish()
    }

    /// Every finding of the scan, in report order. A finding stored already, exactly as it
    /// is (an earlier snapshot had it), is listed, not written again.
    public func findings(_ findings: [Finding]) throws(StoreError) {
        try self.findings(PreparedFindings(findings))
    }

    /// The same, with the findings' fingerprints and digests computed beforehand (on any thread).
    public func findings(_ prepared: PreparedFindings) throws(StoreError) {
        try step { () throws(StoreError) in
            let (findings, fingerprints, related, digests) = (prepared.findings, prepared.fingerprints, prepared.related,
                                                              prepared.digests)
            let find = try db.prepare("SELECT id FROM finding_records WHERE digest = ? AND fingerprint = ? ORDER BY id DESC LIMIT 1")
            var record = [Int64](repeating: 0, count: findings.count)
            var written: [Int64: Int64] = [:]  // digest → the record this save wrote
            var next = try db.integer("SELECT coalesce(max(id), 0) FROM finding_records") ?? 0
            var new: [Int] = []
            for k in findings.indices {
                if let id = written[digests[k]] {
                    record[k] = id
                    continue
                }
                find.bind(1, digests[k])
                find.bind(2, fingerprints[k])
                if try find.step() {
                    record[k] = find.int64(0)
                } else {
                    next += 1
                    record[k] = next
                    written[digests[k]] = next
                    new.append(k)
                }
                find.reset()
            }
            let rows = BatchInsert(db, """
                INSERT INTO finding_records (id, fingerprint, rule, severity, message, organisation, item, related, file, line, "column",
                                             help, digest)
                """, columns: 13)
            try rows.announce(new.count)
            for k in new {
                let f = findings[k]
                rows.int(1, record[k])
                rows.text(2, fingerprints[k])
                rows.text(3, f.rule.rawValue)
                rows.text(4, f.severity.rawValue)
                rows.text(5, f.message)
                rows.text(6, f.organisation)
                rows.text(7, f.item)
                rows.text(8, related[k])
                rows.text(9, f.file)
                rows.int(10, f.line)
                rows.int(11, f.column)
                rows.text(12, f.help)
                rows.int(13, digests[k])
                try rows.endRow()
            }
            try rows.finish()
            try list(record, in: "snapshot_findings", as: "finding_id")
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
            guard modelWritten else {
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

/// The organisations a snapshot stores, handed to `SnapshotWriter.model` one at a time:
/// `organisation(o)` is called once for each, on helper threads, a batch ahead of the
/// writing, so that the model is never copied whole (for the country, ~50 MB less at the
/// peak).
public struct ModelSource: Sendable {
    /// Per organisation, in order: its id and how many items it has.
    public var ids: [String]
    public var itemCounts: [Int]
    /// The id of the item at a position of the snapshot's item list (organisations in
    /// order, each one's items in order).
    public var itemID: @Sendable (Int) -> String
    /// Organisation `o` as stored; its items' `dependsOn` is not read.
    public var organisation: @Sendable (Int) -> ExportedOrganisation

    public init(ids: [String], itemCounts: [Int], itemID: @escaping @Sendable (Int) -> String,
                organisation: @escaping @Sendable (Int) -> ExportedOrganisation) {
        self.ids = ids
        self.itemCounts = itemCounts
        self.itemID = itemID
        self.organisation = organisation
    }

    /// A model held in memory.
    public init(_ organisations: [ExportedOrganisation]) {
        let itemIDs = organisations.flatMap { $0.items.map(\.id) }
        self.init(ids: organisations.map(\.id), itemCounts: organisations.map(\.items.count),
                  itemID: { itemIDs[$0] }, organisation: { organisations[$0] })
    }
}

/// One organisation made ready for writing (on a helper thread): as stored, its version
/// digest, and either the version stored already exactly like it or its item rows.
struct PreparedOrganisation {
    let index: Int
    let organisation: ExportedOrganisation
    let digest: UInt64
    let stored: StoredVersions.Version?
    let rows: ItemRows?

    init(_ source: ModelSource, _ o: Int, _ layout: ModelLayout, stored versions: StoredVersions) {
        index = o
        organisation = source.organisation(o)
        let texts = organisation.items.map(ItemFields.StoredTexts.init)
        digest = ModelLayout.versionDigest(organisation, texts: texts, first: layout.start[o],
                                           edges: layout.edges[layout.edgeStart[o]..<layout.edgeStart[o + 1]],
                                           refHash: layout.refHash)
        stored = versions.latest(organisation.id, digest: digest, items: organisation.items.count)
        rows = stored == nil ? ItemRows(organisation.items, texts: texts) : nil
    }
}

/// The latest stored version of each organisation, digest and item count: what a new
/// snapshot lists instead of writing an organisation again. Read once per save (a few
/// thousand rows even for a year of weekly snapshots), so that the helper threads know which
/// organisations need their item rows made.
struct StoredVersions: Sendable {
    struct Version: Sendable {
        let id: Int64
        /// Its first item's row id (0 when it has no items).
        let firstRow: Int64
    }
    private struct Key: Hashable {
        let organisation: String, digest: Int64, items: Int
    }
    private var latest: [Key: Version] = [:]

    init(_ db: Connection) throws(StoreError) {
        // A NULL digest (a version migrated from schema 2) is never reused.
        let all = try db.prepare("SELECT organisation, digest, items, id, first_item_id FROM organisation_versions "
                                 + "WHERE digest IS NOT NULL ORDER BY id")
        while try all.step() {
            latest[Key(organisation: all.text(0), digest: all.int64(1), items: all.int(2))] =
                Version(id: all.int64(3), firstRow: all.isNull(4) ? 0 : all.int64(4))
        }
    }

    func latest(_ organisation: String, digest: UInt64, items: Int) -> Version? {
        latest[Key(organisation: organisation, digest: Int64(bitPattern: digest), items: items)]
    }
}

/// A new organisation version's `item_versions` rows, made on a helper thread with two
/// placeholders the saving thread fills in (`complete`): the version's id, not yet planned,
/// and each row's file id, not yet known (the row holds its path's position in `paths`).
/// Making them beside the saving thread leaves it only SQLite's part of the work.
final class ItemRows: @unchecked Sendable {
    static let insert = """
        INSERT INTO item_versions (organisation_version_id, item, layer, name, capability, status, end_of_support,
                                   product, vendor, standards, critical, coverage, reviewed, sensitivity, tags, notes,
                                   file_id, line, digest)
        """
    static let columns = 19
    private static let versionColumn = 0, fileColumn = 16

    let batch: RowBatch
    /// The files the items are in, each once, in order.
    private(set) var paths: [String] = []

    init(_ list: [ExportedItem], texts: [ItemFields.StoredTexts]) {
        batch = RowBatch(columns: Self.columns, capacity: list.count, textBytes: list.count * 96)
        // Fields are read in place (list[k].name), not by copying each item out of the array.
        for k in list.indices {
            batch.integer(0)  // the version, filled in by `complete`
            batch.text(list[k].id)
            batch.text(list[k].layer.rawValue)
            batch.text(list[k].name)
            batch.text(list[k].capability)
            batch.text(list[k].status.rawValue)
            batch.text(list[k].endOfSupport)
            batch.text(list[k].product)
            batch.text(list[k].vendor)
            batch.text(texts[k].standards)
            batch.integer(list[k].critical ? 1 : 0)
            batch.text(texts[k].coverage)
            batch.text(list[k].reviewed)
            batch.text(list[k].sensitivity.rawValue)
            batch.text(texts[k].tags)
            batch.text(list[k].notes)
            batch.integer(Int64(position(of: list[k].file)))  // the file, by `complete`
            batch.integer(Int64(list[k].line))
            batch.integer(texts[k].digest)
            batch.endRow()
        }
    }

    // Items come file by file: the last path answers almost every time.
    private func position(of path: String) -> Int {
        if let last = paths.last, last == path { return paths.count - 1 }
        if let known = paths.firstIndex(of: path) { return known }
        paths.append(path)
        return paths.count - 1
    }

    /// Puts in the version's id and the file ids (`fileIDs[k]` for `paths[k]`).
    func complete(version: Int64, fileIDs: [Int64]) {
        for row in 0..<batch.count {
            batch.setInteger(row: row, column: Self.versionColumn, version)
            let path = Int(batch.integer(row: row, column: Self.fileColumn))
            batch.setInteger(row: row, column: Self.fileColumn, fileIDs[path])
        }
    }
}

/// Where everything of a model is: the input to `SnapshotWriter.write`.
struct ModelLayout: Sendable {
    /// Per organisation: the position of its first item (one more entry: the end).
    var start: [Int] = [0]
    /// Per item position: its organisation.
    var organisation: [Int32] = []
    /// `from << 32 | to`, sorted; `edgeStart[o]..<edgeStart[o + 1]` leave organisation `o`.
    let edges: [UInt64]
    var edgeStart: [Int] = []
    /// Per item position, the hash of what a dependency on it names (`org/item`).
    var refHash: [UInt64] = []

    init(_ source: ModelSource, edges: [UInt64]) {
        self.edges = edges
        for (o, n) in source.itemCounts.enumerated() {
            start.append(start[o] + n)
            organisation.append(contentsOf: repeatElement(Int32(o), count: n))
        }
        var e = 0
        for o in source.ids.indices {
            while e < edges.count, Int(edges[e] >> 32) < start[o] { e += 1 }
            edgeStart.append(e)
        }
        edgeStart.append(edges.count)
        let start = start
        refHash = Array(source.ids.indices).parallelChunks(minimumLength: 16) { chunk in
            var hashes: [UInt64] = []
            for o in chunk {
                for position in start[o]..<start[o + 1] {
                    var h = FieldDigest()
                    h.add(source.ids[o])
                    h.add(source.itemID(position))
                    hashes.append(h.value)
                }
            }
            return hashes
        }.flatMap { $0 }
    }

    /// Everything an organisation version stores: its header, every item's id, compared
    /// fields (their digest), file and line, and per item the organisation and item ids its
    /// dependencies resolve to (a sum of their hashes, so their order does not matter).
    static func versionDigest(_ o: ExportedOrganisation, texts: [ItemFields.StoredTexts],
                              first: Int, edges: ArraySlice<UInt64>, refHash: [UInt64]) -> UInt64 {
        var h = FieldDigest()
        h.add(o.id)
        h.add(o.name)
        h.add(o.type)
        h.add(o.code)
        h.add(o.county)
        h.add(o.orgNumber)
        h.add(o.parent)
        h.add(JSONText.array(o.members))
        h.add(number: o.national ? 1 : 0)
        h.add(JSONText.array(o.files))
        h.add(number: Int64(o.items.count))
        var e = edges.startIndex
        // By index: `for item in o.items` would copy every item (a retain per field).
        for k in o.items.indices {
            h.add(o.items[k].id)
            h.add(number: texts[k].digest)
            h.add(o.items[k].file)
            h.add(number: Int64(o.items[k].line))
            var targets: UInt64 = 0, count: Int64 = 0
            while e < edges.endIndex, Int(edges[e] >> 32) == first + k {
                targets &+= refHash[Int(edges[e] & 0xFFFF_FFFF)]
                count += 1
                e += 1
            }
            h.add(number: count)
            h.add(number: Int64(bitPattern: targets))
        }
        return h.value
    }
}

/// A scan's findings made ready for `SnapshotWriter.findings`: their fingerprints
/// (`Fingerprint.of`), `related` lists as JSON and digests, computed over the cores (a
/// country has ~10,000 findings) and on any thread, e.g. while the model is being written.
public struct PreparedFindings: Sendable {
    let findings: [Finding]
    let fingerprints: [String]
    let related: [String]
    let digests: [Int64]

    public init(_ findings: [Finding]) {
        self.findings = findings
        let parts = findings.parallelChunks(minimumLength: 512) { chunk in
            chunk.map { f -> (String, String, Int64) in
                let fingerprint = Fingerprint.of(f), related = JSONText.array(f.related)
                return (fingerprint, related,
                        Int64(bitPattern: FindingDigest.of(f, fingerprint: fingerprint, related: related)))
            }
        }.flatMap { $0 }
        fingerprints = parts.map(\.0)
        related = parts.map(\.1)
        digests = parts.map(\.2)
    }
}

/// `finding_records.digest`: every stored column of a finding, so that equal digests mean
/// the same finding (with the fingerprint compared as well).
enum FindingDigest {
    static func of(_ f: Finding, fingerprint: String, related: String) -> UInt64 {
        var h = FieldDigest()
        h.add(fingerprint)
        h.add(f.rule.rawValue)
        h.add(f.severity.rawValue)
        h.add(f.message)
        h.add(f.organisation)
        h.add(f.item)
        h.add(related)
        h.add(f.file)
        if let line = f.line { h.add(number: Int64(line)) } else { h.addNull() }
        if let column = f.column { h.add(number: Int64(column)) } else { h.addNull() }
        h.add(f.help)
        return h.value
    }
}
