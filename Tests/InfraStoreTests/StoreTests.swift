import Foundation
import InfraModel
import Synchronization
import Testing
@testable import InfraStore

/// A model with every field filled somewhere: two kommuner, a national organisation,
/// dependencies within and across organisations, findings and coverage.
func richSnapshot() -> Snapshot {
    var archive = item("e-arkiv", layer: .soft, name: "E-arkiv \"Public 360\"", capability: "e-archive",
                       dependsOn: ["kommun-a/server", "nat/bankid"], standards: ["fgs-paket", "oais"], tags: ["arkiv", "ny"],
                       notes: "line one\nline two\ttab", file: "a/kommun-a.yaml", line: 12)
    archive.endOfSupport = "2030-12-31"
    archive.product = "Public 360"
    archive.vendor = "Tieto\\Evry"
    archive.critical = true
    archive.reviewed = "2025-01-15"
    archive.sensitivity = .public
    var fibre = item("server", layer: .hard, name: "Serverhall", capability: "datacenter", file: "a/kommun-a.yaml", line: 30)
    fibre.coverage = [("2281", 0.5), ("2262", 1.0)]
    let a = organisation("kommun-a", code: "2281", items: [
        item("portal", name: "E-tjänster", capability: "e-service", status: .retiring, dependsOn: ["kommun-a/e-arkiv", "kommun-a/server"],
             file: "a/kommun-a.yaml", line: 5),
        archive, fibre,
    ])
    var b = organisation("kommun-b", code: "2262", items: [
        item("portal", capability: "e-service", status: .planned, dependsOn: ["kommun-a/e-arkiv"], file: "b.yaml", line: 4),
    ])
    b.orgNumber = "212000-2411"
    b.county = "22"
    b.parent = nil
    b.members = ["x", "y"]
    b.files = ["b.yaml", "b2.yaml"]
    let national = organisation("nat", type: "myndighet", national: true, items: [item("bankid", layer: .soft, file: "(built-in)/nat.yaml")])
    let findings = [
        Finding(rule: "dependency-cycle", severity: .error, message: "dependency cycle of 2 items: kommun-a/x → kommun-a/y",
                file: "a/kommun-a.yaml", position: TextPosition(line: 5, column: 7), organisation: "kommun-a", item: "portal",
                related: ["kommun-a/portal", "kommun-a/e-arkiv"], help: "fix it"),
        Finding(rule: "yaml-syntax", severity: .error, message: "bad at line 3", file: "c.yaml", position: TextPosition(line: 3, column: 1)),
        Finding(rule: "ungrounded", severity: .info, message: "`portal` has no path", organisation: "kommun-b", item: "portal"),
    ]
    return snapshot([national, a, b], findings: findings, coverage: [
        coverage("e-archive", "kommun", covered: 2, of: 290, inventoried: 2, population: 150_000, populationTotal: 10_500_000),
        coverage("e-archive", "region", covered: 0, of: 21, inventoried: 0, population: 0, populationTotal: 10_500_000),
        coverage("fgs-paket", "kommun", covered: 1, of: 290, inventoried: 2, standard: true),
    ])
}

/// Items compared field by field; dependencies as sets (the store keeps them in item order).
func expectSameModel(_ a: [ExportedOrganisation], _ b: [ExportedOrganisation], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.map(\.id) == b.map(\.id), sourceLocation: sourceLocation)
    for (x, y) in zip(a, b) {
        #expect(x.name == y.name && x.type == y.type && x.code == y.code && x.county == y.county && x.orgNumber == y.orgNumber
                    && x.parent == y.parent && x.members == y.members && x.national == y.national && x.files == y.files,
                "organisation \(x.id)", sourceLocation: sourceLocation)
        #expect(x.items.map(\.id) == y.items.map(\.id), sourceLocation: sourceLocation)
        for (i, j) in zip(x.items, y.items) {
            let same = i.layer == j.layer && i.name == j.name && i.capability == j.capability && i.status == j.status
                && i.endOfSupport == j.endOfSupport && i.product == j.product && i.vendor == j.vendor && i.standards == j.standards
                && i.critical == j.critical && i.reviewed == j.reviewed && i.sensitivity == j.sensitivity && i.tags == j.tags
                && i.notes == j.notes && i.file == j.file && i.line == j.line
                && i.coverage.map(\.key) == j.coverage.map(\.key) && i.coverage.map(\.share) == j.coverage.map(\.share)
                && Set(i.dependsOn) == Set(j.dependsOn) && i.dependsOn.count == j.dependsOn.count
            #expect(same, "item \(x.id)/\(i.id): \(i) vs \(j)", sourceLocation: sourceLocation)
        }
    }
}

/// An empty database as infra with schema version 1 made it, for the rows a test inserts.
func versionOneDatabase(at path: String) throws -> Connection {
    let db = try Connection(path: path, flags: 0x2 | 0x4)  // SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
    try db.execute("PRAGMA page_size = 16384; PRAGMA journal_mode = WAL")
    try db.execute("PRAGMA application_id = \(Schema.applicationID)")
    try db.execute(Schema.version1)
    try db.execute("PRAGMA user_version = 1")
    return db
}

@Suite("history store: snapshots in SQLite")
struct StoreTests {
    @Test("a snapshot comes back as it was saved")
    func roundTrip() throws {
        try withDatabasePath { dir, path in
            let original = richSnapshot()
            let id = try HistoryStore(path: path, create: true).save(original)
            #expect(id == 1)

            let store = try HistoryStore(path: path, create: false)
            let loaded = try store.load(id)
            var expectedInfo = original.info
            expectedInfo.id = id
            #expect(loaded.info == expectedInfo)
            #expect(loaded.info.dependencies == 5, "the scanned organisations' edges: 4 in kommun-a, 1 in kommun-b")
            expectSameModel(loaded.organisations, original.organisations)
            #expect(loaded.findings == original.findings)
            #expect(loaded.coverage == original.coverage)
        }
    }

    @Test("a file nobody may write (mode 444) is read without locks or -wal/-shm files, saved into by nobody, root included; a change under the reader is told")
    func readOnlyFile() throws {
        try withDatabasePath { dir, path in
            _ = try HistoryStore(path: path, create: true).save(richSnapshot())
            chmod(path, 0o444)
            #expect(throws: StoreError.self) { try HistoryStore(path: path, create: true) }
            let reader = try HistoryStore(path: path, create: false)
            #expect(try reader.snapshots().count == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix("-wal") || $0.hasSuffix("-shm") }.isEmpty)
            try reader.verifyUnchanged()
            // A save that changed the file meanwhile (its time, here): what was read may mix old and new pages.
            var times = [timespec(tv_sec: 1, tv_nsec: 0), timespec(tv_sec: 1, tv_nsec: 0)]
            utimensat(AT_FDCWD, path, &times, 0)
            #expect(throws: StoreError.self) { try reader.verifyUnchanged() }
        }
    }

    @Test("snapshots get increasing ids; history lists them oldest first")
    func several() throws {
        try withDatabasePath { dir, path in
            let store = try HistoryStore(path: path, create: true)
            var s = richSnapshot()
            for n in 0..<3 {
                s.info.takenAt = Date(timeIntervalSince1970: 1_740_000_000 + Double(n) * 86400)
                try store.save(s)
            }
            #expect(try store.snapshots().map(\.id) == [1, 2, 3])
            #expect(try store.latestIDs(2) == [2, 3])
            #expect(try store.snapshots().map(\.takenAtText) == ["2025-02-19T21:20:00Z", "2025-02-20T21:20:00Z", "2025-02-21T21:20:00Z"])
            // Each snapshot's items and dependencies are its own.
            for id in Int64(1)...3 { expectSameModel(try store.load(id).organisations, s.organisations) }
            let trend = try store.trend("e-archive")
            #expect(trend.map(\.snapshot.id) == [1, 1, 2, 2, 3, 3])
            #expect(trend.map(\.record.organisationType) == ["kommun", "region", "kommun", "region", "kommun", "region"])
            #expect(Set(try store.terms()) == ["e-archive", "fgs-paket"])
        }
    }

    @Test("coverage_trend's percentages are not rounded: 289 of 290 kommuner's population is not 100, one small kommun's not 0")
    func coverageTrendUnrounded() throws {
        try withDatabasePath { _, path in
            let store = try HistoryStore(path: path, create: true)
            var s = richSnapshot()
            s.coverage = [coverage("e-archive", "kommun", covered: 289, of: 290, population: 10_585_416, populationTotal: 10_587_710),
                          coverage("fgs-paket", "kommun", covered: 1, of: 290, population: 2_294, populationTotal: 10_587_710)]
            try store.save(s)
            let read = try store.db.prepare("SELECT percent_covered, percent_population FROM coverage_trend ORDER BY term")
            var rows: [(Double, Double)] = []
            while try read.step() { rows.append((read.double(0), read.double(1))) }
            #expect(rows.count == 2)
            #expect(rows.first.map { $0.0 < 100 && $0.1 < 100 && $0.1 > 99.97 } == true, "\(rows)")
            #expect(rows.last.map { $0.0 > 0.34 && $0.0 < 0.35 && $0.1 > 0 && $0.1 < 0.03 } == true, "\(rows)")
        }
    }

    @Test("a save that waits for another one's lock says so after a second, then saves when the lock is let go")
    func waitingIsAnnounced() throws {
        try withDatabasePath { dir, path in
            try HistoryStore(path: path, create: true).save(richSnapshot())
            let holder = try HistoryStore(path: path, create: true)
            let lock = try SnapshotWriter(holder)  // holds the write lock until cancelled
            let notices = Mutex<[(String, Date)]>([])
            nonisolated(unsafe) let waiter = try HistoryStore(path: path, create: true, waiting: { message in notices.withLock { $0.append((message, Date())) } })
            let started = Date()
            nonisolated(unsafe) var saved: Result<Int64, StoreError>?
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                do throws(StoreError) { saved = .success(try waiter.save(richSnapshot())) } catch { saved = .failure(error) }
                done.signal()
            }
            Thread.sleep(forTimeInterval: 1.6)
            let heard = notices.withLock { $0 }
            #expect(heard.count == 1, "one notice while waiting: \(heard.map(\.0))")
            #expect(heard.first?.0 == "\(path): another process is writing the database; waiting for it (up to 30 s)")
            if let when = heard.first?.1 { #expect(when.timeIntervalSince(started) >= 1, "not before a second has passed") }
            lock.cancel()
            #expect(done.wait(timeout: .now() + 10) == .success)
            #expect(try saved?.get() == 2)
            #expect(notices.withLock { $0.count } == 1, "said once")
        }
    }

    @Test("an unknown snapshot id is notFound")
    func unknownID() throws {
        try withTemporaryDirectory { dir in
            let store = try HistoryStore(path: dir.appendingPathComponent("infra.db").path, create: true)
            #expect(throws: StoreError.self) { try store.load(7) }
            do { _ = try store.load(7) } catch let error as StoreError { #expect(error.kind == .notFound) }
        }
    }

    @Test("a reference to an item outside the snapshot rolls the whole snapshot back")
    func allOrNothing() throws {
        try withDatabasePath { dir, path in
            let store = try HistoryStore(path: path, create: true)
            try store.save(richSnapshot())
            var broken = richSnapshot()
            broken.organisations[2].items[0].dependsOn.append("nowhere/nothing")
            #expect(throws: StoreError.self) { try store.save(broken) }
            #expect(try store.snapshots().count == 1)
            // Nothing of the failed snapshot is left behind, and the next save works.
            #expect(try store.save(richSnapshot()) == 2)
            expectSameModel(try store.load(2).organisations, richSnapshot().organisations)
        }
    }

    @Test("dependencies given as positions are saved as the same edges")
    func positionalEdges() throws {
        try withTemporaryDirectory { dir in
            var s = richSnapshot()
            var position: [String: Int32] = [:]
            for o in s.organisations { for i in o.items { position[o.id + "/" + i.id] = Int32(position.count) } }
            var edges: [(from: Int32, to: Int32)] = []
            for o in s.organisations {
                for i in o.items { for d in i.dependsOn { edges.append((position[o.id + "/" + i.id]!, position[d]!)) } }
            }
            s.edges = edges.reversed()  // any order; duplicates are dropped
            s.edges!.append(edges[0])
            let store = try HistoryStore(path: dir.appendingPathComponent("infra.db").path, create: true)
            let id = try store.save(s)
            expectSameModel(try store.load(id).organisations, richSnapshot().organisations)

            s.edges = [(0, Int32(position.count))]
            #expect(throws: StoreError.self) { try store.save(s) }
            #expect(try store.snapshots().count == 1)
        }
    }

    @Test("an organisation that did not change is stored once; dependencies on changed ones still resolve by name")
    func unchangedOrganisationsAreShared() throws {
        try withTemporaryDirectory { dir in
            let store = try HistoryStore(path: dir.appendingPathComponent("infra.db").path, create: true)
            func count(_ table: String) throws -> Int64? { try store.db.integer("SELECT count(*) FROM \(table)") }
            // Three organisations; kommun-a depends on region/x, region/y and itself.
            func model(regionItems: [ExportedItem]) -> Snapshot {
                snapshot([
                    organisation("kommun-a", items: [
                        item("portal", dependsOn: ["region/x", "kommun-a/server"], file: "a.yaml", line: 2),
                        item("server", layer: .hard, dependsOn: ["region/y"], file: "a.yaml", line: 8),
                    ]),
                    organisation("region", type: "region", items: regionItems),
                    organisation("kommun-b", items: [item("portal", dependsOn: ["kommun-a/portal"], file: "b.yaml", line: 3)]),
                ])
            }
            let first = model(regionItems: [item("x", layer: .soft, file: "r.yaml", line: 2), item("y", layer: .hard, file: "r.yaml", line: 9)])
            let one = try store.save(first)
            #expect(try count("organisation_versions") == 3 && count("item_versions") == 5 && count("item_dependencies") == 4)

            // The same again: nothing but the listing is written.
            let two = try store.save(first)
            #expect(try count("organisation_versions") == 3 && count("item_versions") == 5 && count("item_dependencies") == 4)
            #expect(try count("snapshot_organisations") == 6)

            // The region changes (a new item first, so every row of it moves); the kommuner
            // do not, and their stored dependencies still point at the region's old rows.
            var changed = model(regionItems: [item("w", layer: .soft, file: "r.yaml", line: 2),
                                              item("x", layer: .soft, file: "r.yaml", line: 5), item("y", layer: .hard, file: "r.yaml", line: 9)])
            let three = try store.save(changed)
            #expect(try count("organisation_versions") == 4 && count("item_versions") == 8, "only the region is written again")
            expectSameModel(try store.load(three).organisations, changed.organisations)
            expectSameModel(try store.load(one).organisations, first.organisations)
            #expect(try store.db.integer("SELECT count(*) FROM dependency_refs WHERE snapshot_id = \(three) AND to_ref = 'region/x'") == 1)

            let d = try store.changes(from: two, to: three)
            #expect(d.itemsAdded == ["region/w"] && d.itemsRemoved.isEmpty && d.itemsChanged.isEmpty)
            #expect(d.dependenciesAdded.isEmpty && d.dependenciesRemoved.isEmpty)

            // region/y goes: kommun-a's dependency on it no longer resolves, so kommun-a is a
            // new version too (without that dependency); kommun-b is still shared.
            changed.organisations[1].items.removeLast()
            changed.organisations[0].items[1].dependsOn = []
            let four = try store.save(changed)
            #expect(try count("organisation_versions") == 6)
            expectSameModel(try store.load(four).organisations, changed.organisations)
            let e = try store.changes(from: three, to: four)
            #expect(e.itemsRemoved == ["region/y"])
            #expect(e.dependenciesRemoved == [.init(from: "kommun-a/server", to: "region/y")] && e.dependenciesAdded.isEmpty)
            #expect(try store.db.integer("""
                SELECT count(DISTINCT organisation_version_id) FROM snapshot_organisations WHERE snapshot_id IN (\(one), \(four))
                """) == 5)
        }
    }

    @Test("many organisations, written a batch at a time: changed ones stored anew, unchanged ones shared, every dependency kept")
    func manyOrganisationsInBatches() throws {
        // The writer takes organisations in batches of 8 while the next batch is prepared;
        // 40 organisations of 0 to 150 items (item rows go 64 to a statement) cross both.
        func model(changed: Set<Int>) -> Snapshot {
            snapshot((0..<40).map { o in
                organisation("org-\(o)", items: (0..<((o * 37) % 151)).map { k in
                    // Within the organisation, into the next one and into the first.
                    var dependsOn = k > 0 ? ["org-\(o)/i\(k - 1)"] : []
                    if o < 39, (((o + 1) * 37) % 151) > k { dependsOn.append("org-\(o + 1)/i\(k)") }
                    if k == 0, o > 0 { dependsOn.append("org-1/i0") }
                    return item("i\(k)", name: changed.contains(o) ? "Ändrad \(k)" : "Tjänst \(k)", dependsOn: dependsOn,
                                file: "org-\(o).yaml", line: 2 + k)
                })
            })
        }
        try withDatabasePath { _, path in
            let store = try HistoryStore(path: path, create: true)
            let first = model(changed: []), second = model(changed: [3, 17, 39])
            let one = try store.save(first)
            let two = try store.save(second)
            #expect(try store.db.integer("SELECT count(*) FROM organisation_versions") == 43, "40, then the 3 changed")
            expectSameModel(try store.load(one).organisations, first.organisations)
            expectSameModel(try store.load(two).organisations, second.organisations)
            let references = first.organisations.reduce(0) { $0 + $1.items.reduce(0) { $0 + $1.dependsOn.count } }
            #expect(try store.db.integer("SELECT count(*) FROM dependency_refs WHERE snapshot_id = \(two)") == Int64(references))
            let d = try store.changes(from: one, to: two)
            #expect(d.itemsAdded.isEmpty && d.itemsRemoved.isEmpty && d.dependenciesAdded.isEmpty && d.dependenciesRemoved.isEmpty)
            #expect(d.itemsChanged.count == [3, 17, 39].reduce(0) { $0 + ($1 * 37) % 151 })
        }
    }

    @Test("rows announced in pieces of any size are all inserted, in order, with NULL, empty and big texts as given; rows beyond the announced are refused")
    func batchInsertPieces() throws {
        try withDatabasePath { _, path in
            let db = try Connection(path: path, flags: 0x2 | 0x4)  // SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
            try db.execute("CREATE TABLE t (k INTEGER, v TEXT)")
            let rows = BatchInsert(db, "INSERT INTO t (k, v)", columns: 2, rowsPerBatch: 8)
            // NULL, '' and a text bigger than the batch's 1 MiB block for texts are three different values.
            let big = String(repeating: "å", count: 700_000)
            func value(_ k: Int) -> String? {
                switch k % 5 {
                case 0: nil
                case 1: ""
                case 2 where k == 47: big
                default: "värde \(k)"
                }
            }
            var added = 0
            for piece in [0, 3, 8, 1, 17, 0, 64, 5] {
                try rows.announce(piece)
                for _ in 0..<piece {
                    rows.int(1, added)
                    rows.text(2, value(added))
                    try rows.endRow()
                    added += 1
                }
            }
            try rows.finish()
            let read = try db.prepare("SELECT k, v, typeof(v) FROM t ORDER BY rowid")
            var got: [String] = []
            while try read.step() { got.append("\(read.int64(0)):\(read.optionalText(1) ?? "-"):\(read.optionalText(2) ?? "")") }
            #expect(got == (0..<added).map { "\($0):\(value($0) ?? "-"):\(value($0) == nil ? "null" : "text")" })

            #expect(throws: StoreError.self) { try rows.endRow() }  // nothing announced
            try rows.announce(2)
            rows.int(1, 0)
            rows.text(2, "x")
            try rows.endRow()
            #expect(throws: StoreError.self) { try rows.finish() }  // one announced row missing
        }
    }

    @Test("deleting snapshots removes what only they held, keeps what the others read, and never breaks a reference")
    func deleteSnapshots() throws {
        try withTemporaryDirectory { dir in
            let store = try HistoryStore(path: dir.appendingPathComponent("infra.db").path, create: true)
            func count(_ table: String) throws -> Int64? { try store.db.integer("SELECT count(*) FROM \(table)") }
            func model(_ regionItems: [String], finding: String) -> Snapshot {
                snapshot([organisation("kommun-a", items: [item("portal", dependsOn: ["region/x"])]),
                          organisation("region", type: "region", items: regionItems.map { item($0) })],
                         findings: [Finding(rule: "stale-review", severity: .warning, message: finding)])
            }
            let first = model(["x", "y"], finding: "old"), second = model(["w", "x", "y"], finding: "new")
            let one = try store.save(first)
            let two = try store.save(second)  // kommun-a is shared; its dependency points into the first region's rows
            #expect(try count("organisation_versions") == 3)

            let gone = try store.delete(snapshots: [one])
            #expect(gone == HistoryStore.Deleted(snapshots: 1, organisationVersions: 0, items: 0, findingRecords: 1))
            #expect(try store.snapshots().map(\.id) == [two])
            expectSameModel(try store.load(two).organisations, second.organisations)
            #expect(try store.db.integer("SELECT count(*) FROM dependency_refs WHERE to_ref = 'region/x'") == 1)
            // The first region is kept for kommun-a's dependency, but never reused whole.
            let three = try store.save(first)
            #expect(try count("organisation_versions") == 4)
            expectSameModel(try store.load(three).organisations, first.organisations)

            let rest = try store.delete(snapshots: [two, three])
            #expect(rest.snapshots == 2 && rest.organisationVersions == 4 && rest.items == 8 && rest.findingRecords == 2)
            for table in ["organisation_versions", "item_versions", "item_dependencies", "finding_records", "snapshot_findings"] {
                #expect(try count(table) == 0, "\(table)")
            }
            #expect(throws: StoreError.self) { try store.delete(snapshots: [99]) }
        }
    }

    @Test("organisations without items, and snapshots without organisations, are saved, shared and read back")
    func emptyOrganisations() throws {
        try withTemporaryDirectory { dir in
            let store = try HistoryStore(path: dir.appendingPathComponent("infra.db").path, create: true)
            let model = snapshot([organisation("tom", items: []),
                                  organisation("kommun-a", items: [item("x", dependsOn: ["kommun-a/y"]), item("y")]),
                                  organisation("tom-2", items: [])])
            let one = try store.save(model)
            let two = try store.save(model)
            #expect(try store.db.integer("SELECT count(*) FROM organisation_versions") == 3)
            for id in [one, two] { expectSameModel(try store.load(id).organisations, model.organisations) }
            let none = try store.save(snapshot([]))
            #expect(try store.load(none).organisations.isEmpty)
            let d = try store.changes(from: two, to: none)
            #expect(d.organisationsRemoved == ["kommun-a", "tom", "tom-2"] && d.itemsRemoved == ["kommun-a/x", "kommun-a/y"])
        }
    }

    @Test("a finding seen before is listed, not stored again; its snapshots still read it in report order")
    func findingsAreShared() throws {
        try withTemporaryDirectory { dir in
            let store = try HistoryStore(path: dir.appendingPathComponent("infra.db").path, create: true)
            func count(_ table: String) throws -> Int64? { try store.db.integer("SELECT count(*) FROM \(table)") }
            var s = richSnapshot()
            let one = try store.save(s)
            #expect(try count("finding_records") == 3 && count("snapshot_findings") == 3)
            let two = try store.save(s)
            #expect(try count("finding_records") == 3 && count("snapshot_findings") == 6)

            // One finding moves (another line), one is new and comes first, one is listed twice.
            s.findings[1].line = 4
            s.findings.insert(Finding(rule: "stale-review", severity: .warning, message: "last reviewed 2020-01-01",
                                      organisation: "kommun-b", item: "portal"), at: 0)
            s.findings.append(s.findings[3])
            let three = try store.save(s)
            #expect(try count("finding_records") == 5, "the moved finding and the new one")
            #expect(try store.load(three).findings.map(\.message) == s.findings.map(\.message))
            #expect(try store.load(three).findings.map(\.line) == s.findings.map(\.line))
            #expect(try store.load(one).findings.map(\.message) == richSnapshot().findings.map(\.message))
            let d = try store.changes(from: two, to: three)
            // Matching counts fingerprints: the second copy is one more than before.
            #expect(Set(d.findingsAppeared.map(\.finding.message)) == ["last reviewed 2020-01-01", "`portal` has no path"])
            #expect(d.findingsAppeared.count == 2 && d.findingsDisappeared.isEmpty)
            #expect(try store.db.integer("SELECT count(*) FROM latest_findings") == 5)
        }
    }

    @Test("a new database records the application id and the schema version")
    func identity() throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("infra.db")
            _ = try HistoryStore(path: url.path, create: true)
            let header = try Data(contentsOf: url).prefix(100)
            func field(_ offset: Int) -> UInt32 { header[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
            #expect(field(68) == UInt32(bitPattern: Schema.applicationID))
            #expect(field(60) == UInt32(Schema.version))
            #expect(header[18] == 2 && header[19] == 2, "WAL mode is recorded in the header")
        }
    }

    @Test("a version 1 database is migrated when opened: paths move to files, nothing is lost")
    func migrateFromVersion1() throws {
        try withDatabasePath { dir, path in
            do {
                // A database as infra with schema version 1 wrote it.
                let db = try versionOneDatabase(at: path)
                try db.execute("""
                    INSERT INTO snapshots VALUES (1, '2025-02-19T21:20:00Z', '["/inv"]', NULL, 'old', 0, '{}', 2, 2, 3, 2, 0, 1, 0);
                    INSERT INTO organisations (id, snapshot_id, organisation, name, type, members, national, files)
                        VALUES (1, 1, 'kommun-a', 'Kommun A', 'kommun', '[]', 0, '["/inv/a.yaml"]'),
                               (2, 1, 'kommun-b', 'Kommun B', 'kommun', '[]', 0, '["/inv/b.yaml"]');
                    INSERT INTO items (id, snapshot_id, organisation, item, layer, name, status, standards, critical, coverage,
                                       sensitivity, tags, file, line)
                        VALUES (1, 1, 'kommun-a', 'portal', 'services', 'Portal', 'active', '[]', 0, '{}', 'internal', '[]', '/inv/a.yaml', 3),
                               (2, 1, 'kommun-a', 'server', 'hard', 'Server', 'active', '[]', 1, '{}', 'internal', '[]', '/inv/a.yaml', 9),
                               (3, 1, 'kommun-b', 'portal', 'services', 'Portal', 'retiring', '["oidc"]', 0, '{}', 'internal', '[]', '/inv/b.yaml', 4);
                    INSERT INTO dependencies VALUES (1, 2), (3, 2);
                    INSERT INTO findings (snapshot_id, fingerprint, rule, severity, message, related)
                        VALUES (1, '0123456789abcdef', 'stale-review', 'warning', 'old', '[]');
                    """)
            }
            let store = try HistoryStore(path: path, create: false)
            #expect(try store.db.integer("PRAGMA user_version") == Int64(Schema.version))
            #expect(try store.db.integer("SELECT count(*) FROM files") == 2)
            #expect(try store.db.integer("SELECT count(*) FROM latest_items WHERE file = '/inv/a.yaml'") == 2)
            #expect(try store.db.integer("SELECT count(*) FROM dependency_refs WHERE to_ref = 'kommun-a/server'") == 2)
            let s = try store.db.prepare("PRAGMA foreign_key_check")
            #expect(try !s.step(), "foreign keys hold after the migration")

            let old = try store.load(1)
            #expect(old.organisations.map(\.id) == ["kommun-a", "kommun-b"])
            #expect(old.organisations[0].items.map(\.file) == ["/inv/a.yaml", "/inv/a.yaml"])
            #expect(old.organisations[1].items[0].dependsOn == ["kommun-a/server"])
            #expect(old.organisations[1].items[0].standards == ["oidc"])

            // New snapshots go on from there, and compare with the migrated one.
            var next = snapshot([organisation("kommun-a", items: [
                item("portal", name: "Portal", dependsOn: ["kommun-a/server"], file: "/inv/a.yaml", line: 3),
                item("server", layer: .hard, name: "Server", file: "/inv/a.yaml", line: 9),
            ])])
            next.organisations[0].items[1].critical = true
            next.organisations[0].name = "Kommun A"
            let id = try store.save(next)
            #expect(id == 2)
            let d = try store.changes(from: 1, to: id)
            #expect(d.organisationsRemoved == ["kommun-b"] && d.organisationsChanged.isEmpty && d.organisationsAdded.isEmpty)
            #expect(d.itemsRemoved == ["kommun-b/portal"] && d.itemsAdded.isEmpty && d.itemsChanged.isEmpty)
            #expect(d.dependenciesRemoved == [.init(from: "kommun-b/portal", to: "kommun-a/server")] && d.dependenciesAdded.isEmpty)
            #expect(d.findingsDisappeared.map(\.fingerprint) == ["0123456789abcdef"])
        }
    }

    @Test("a database whose items cannot become version 3's id ranges is refused, not half migrated")
    func migrationRefusesScatteredItems() throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("infra.db")
            do {
                let db = try versionOneDatabase(at: url.path)
                // kommun-a's items are rows 1 and 3, with kommun-b's between them: infra never
                // wrote that, but a hand-edited database could hold it.
                try db.execute("""
                    INSERT INTO snapshots VALUES (1, '2025-02-19T21:20:00Z', '["/inv"]', NULL, 'old', 0, '{}', 2, 2, 3, 0, 0, 0, 0);
                    INSERT INTO organisations (id, snapshot_id, organisation, name, type, members, national, files)
                        VALUES (1, 1, 'kommun-a', 'Kommun A', 'kommun', '[]', 0, '[]'), (2, 1, 'kommun-b', 'Kommun B', 'kommun', '[]', 0, '[]');
                    INSERT INTO items (id, snapshot_id, organisation, item, layer, name, status, standards, critical, coverage,
                                       sensitivity, tags, file, line)
                        VALUES (1, 1, 'kommun-a', 'x', 'services', 'X', 'active', '[]', 0, '{}', 'internal', '[]', '/inv/a.yaml', 3),
                               (2, 1, 'kommun-b', 'x', 'services', 'X', 'active', '[]', 0, '{}', 'internal', '[]', '/inv/b.yaml', 3),
                               (3, 1, 'kommun-a', 'y', 'services', 'Y', 'active', '[]', 0, '{}', 'internal', '[]', '/inv/a.yaml', 9);
                    """)
            }
            do {
                _ = try HistoryStore(path: url.path, create: false)
                Issue.record("opened a database it cannot migrate")
            } catch let error as StoreError {
                #expect(error.kind == .corrupt && error.message.contains("not stored together"), "\(error)")
            }
            let db = try Connection(path: url.path, flags: 0x2)
            #expect(try db.integer("PRAGMA user_version") == 1, "the migration was rolled back whole")
            #expect(try db.integer("SELECT count(*) FROM items") == 3)
        }
    }

    @Test("every SQL query in docs/history.md runs on a database infra wrote")
    func documentedQueries() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/history.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        var queries: [String] = []
        for block in text.components(separatedBy: "```sql\n").dropFirst() {
            let sql = block.components(separatedBy: "```")[0]
            queries += sql.components(separatedBy: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty && !$0.split(separator: "\n").allSatisfy { $0.hasPrefix("--") } }
        }
        #expect(queries.count >= 5)
        try withTemporaryDirectory { dir in
            let store = try HistoryStore(path: dir.appendingPathComponent("infra.db").path, create: true)
            for _ in 0..<4 { try store.save(richSnapshot()) }
            for query in queries {
                do {
                    let s = try store.db.prepare(query)
                    while try s.step() {}
                } catch {
                    Issue.record("\(error): \(query)")
                }
            }
            // The digests say snapshots 3 and 4 hold the same items.
            #expect(try store.db.integer("""
                SELECT count(*) FROM items a JOIN items b ON b.snapshot_id = 4 AND b.organisation = a.organisation AND b.item = a.item
                WHERE a.snapshot_id = 3 AND a.digest = b.digest
                """) == 5)
        }
    }

    @Test("reading commands do not create a database")
    func missing() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("none.db").path
            do {
                _ = try HistoryStore(path: path, create: false)
                Issue.record("opened a database that does not exist")
            } catch let error as StoreError {
                #expect(error.kind == .missing)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    /// Opening `url` (for writing) fails with `kind` and leaves the file byte for byte as it was.
    func expectRefused(_ url: URL, _ kind: StoreError.Kind, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try Data(contentsOf: url)
        do {
            let store = try HistoryStore(path: url.path, create: true)
            try store.save(richSnapshot())
            Issue.record("saved into \(url.lastPathComponent)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message.contains(url.path), sourceLocation: sourceLocation)
        }
        #expect(try Data(contentsOf: url) == before, "the file was changed", sourceLocation: sourceLocation)
    }

    @Test("files that are not infra databases are refused and left untouched")
    func refused() throws {
        try withTemporaryDirectory { dir in
            let text = dir.appendingPathComponent("notes.db")
            try Data("just some text, not a database\n".utf8).write(to: text)
            try expectRefused(text, .notSQLite)

            let short = dir.appendingPathComponent("short.db")
            try Data("SQLite format 3\0".utf8).write(to: short)
            try expectRefused(short, .notSQLite)

            // An infra database whose application_id says it belongs to another program.
            let foreign = dir.appendingPathComponent("foreign.db")
            try HistoryStore(path: foreign.path, create: true).save(richSnapshot())
            try patchHeader(foreign, offset: 68, value: 0x1234_5678)
            try expectRefused(foreign, .foreign)

            // A plain SQLite database with tables of its own (no application_id).
            let plain = dir.appendingPathComponent("plain.db")
            try HistoryStore(path: plain.path, create: true).save(richSnapshot())
            try patchHeader(plain, offset: 68, value: 0)
            try patchHeader(plain, offset: 60, value: 0)
            try expectRefused(plain, .foreign)

            let future = dir.appendingPathComponent("future.db")
            try HistoryStore(path: future.path, create: true).save(richSnapshot())
            try patchHeader(future, offset: 60, value: UInt32(Schema.version + 1))
            try expectRefused(future, .newerSchema)

            // Damaged: the schema pages overwritten; cut off after two pages.
            let damaged = dir.appendingPathComponent("damaged.db")
            try HistoryStore(path: damaged.path, create: true).save(richSnapshot())
            var bytes = try Data(contentsOf: damaged)
            for i in 100..<min(bytes.count, 8192) { bytes[i] = 0xA5 }
            try bytes.write(to: damaged)
            try expectRefused(damaged, .corrupt)

            let truncated = dir.appendingPathComponent("truncated.db")
            try HistoryStore(path: truncated.path, create: true).save(richSnapshot())
            try Data(contentsOf: truncated).prefix(8192).write(to: truncated)
            try expectRefused(truncated, .corrupt)
        }
    }

    @Test("a FIFO, a device or a directory is refused at once, not waited on", arguments: [false, true])
    func notARegularFile(create: Bool) throws {
        try withTemporaryDirectory { dir in
            // SQLite opening a FIFO with no writer would block forever.
            let fifo = dir.appendingPathComponent("pipe.db").path
            #expect(mkfifo(fifo, 0o644) == 0)
            for path in [fifo, "/dev/null", dir.path] {
                do throws(StoreError) {
                    _ = try HistoryStore(path: path, create: create)
                    Issue.record("opened \(path)")
                } catch {
                    #expect(error.kind == .notSQLite, "\(error)")
                    #expect(error.message.contains(path), "\(error)")
                }
            }
        }
    }

    @Test("an empty file becomes a new database")
    func emptyFile() throws {
        try withTemporaryDirectory { dir in
            let url = dir.appendingPathComponent("infra.db")
            try Data().write(to: url)
            let store = try HistoryStore(path: url.path, create: true)
            #expect(try store.save(richSnapshot()) == 1)
        }
    }

    /// The files in `dir`, sorted.
    func files(in dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test("a staged new database appears at its path only when published, whole and in WAL mode")
    func stagedNewDatabase() throws {
        try withDatabasePath { dir, path in
            let store = try HistoryStore(path: path, create: true, stageNewFile: true)
            let staging = try #require(store.stagingPath)
            #expect(staging.hasPrefix(path + ".new-"))
            #expect(try store.save(richSnapshot()) == 1)
            #expect(!FileManager.default.fileExists(atPath: path), "nothing at the path before publish")
            #expect(try store.publish())
            #expect(try files(in: dir).filter { $0.contains(".new-") } == [], "the staged name is gone")

            let reopened = try HistoryStore(path: path, create: false)
            let mode = try reopened.db.prepare("PRAGMA journal_mode")
            #expect(try mode.step())
            #expect(mode.text(0) == "wal")
            expectSameModel(try reopened.load(1).organisations, richSnapshot().organisations)
            #expect(try reopened.quickCheck() == nil)
            // A second staged open of an existing file stages nothing.
            let again = try HistoryStore(path: path, create: true, stageNewFile: true)
            #expect(again.stagingPath == nil)
            #expect(try again.save(richSnapshot()) == 2)
            #expect(try again.publish())
        }
    }

    @Test("a staged database dropped unpublished leaves nothing behind")
    func stagedUnpublished() throws {
        try withDatabasePath { dir, path in
            do {
                let store = try HistoryStore(path: path, create: true, stageNewFile: true)
                try store.save(richSnapshot())
                #expect(try files(in: dir).count >= 1)
            }
            #expect(try files(in: dir) == [])
        }
    }

    @Test("a staged database never replaces a database another process created meanwhile")
    func stagedLosesRace() throws {
        try withDatabasePath { dir, path in
            do {
                let staged = try HistoryStore(path: path, create: true, stageNewFile: true)
                try staged.save(snapshot([organisation("kommun-staged", items: [item("a")])]))
                let other = try HistoryStore(path: path, create: true)
                try other.save(snapshot([organisation("kommun-other", items: [item("b")])]))
                #expect(try staged.publish() == false, "the path is taken: the caller saves again into it")
            }
            #expect(try files(in: dir).filter { $0.contains(".new-") } == [])
            let store = try HistoryStore(path: path, create: false)
            #expect(try store.snapshots().count == 1)
            #expect(try store.load(1).organisations.map(\.id) == ["kommun-other"])
        }
    }

    @Test("two connections saving at once both succeed")
    func concurrentSaves() throws {
        try withDatabasePath { dir, path in
            nonisolated(unsafe) var errors: [String] = []
            let lock = NSLock()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do {
                    let store = try HistoryStore(path: path, create: true)
                    for _ in 0..<3 { try store.save(richSnapshot()) }
                } catch {
                    lock.lock()
                    errors.append("\(error)")
                    lock.unlock()
                }
            }
            #expect(errors.isEmpty, "\(errors)")
            let store = try HistoryStore(path: path, create: false)
            #expect(try store.snapshots().count == 12)
            for s in try store.snapshots() { expectSameModel(try store.load(s.id).organisations, richSnapshot().organisations) }
        }
    }
}
