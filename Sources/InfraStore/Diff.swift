import CSQLite
import Foundation
import InfraModel

// `infra diff`: the changes between two snapshots, or a snapshot and the inventories on
// disk, as an `InventoryChanges` (InfraModel) for InfraReport to render.
//
// A country snapshot is ~250,000 items and ~735,000 dependencies. Comparing them as
// `ExportedItem` values with `org/item` strings would make a few million Strings only to
// find that almost all are equal. So each side is first reduced to a `ModelImage`: per
// item its organisation, its id bytes and a 64-bit digest of its compared fields (read in
// place from SQLite's rows, or from the values in memory, hashed the same way), and the
// dependencies as pairs of item positions. Items are matched by organisation and id
// through a hash table; only items whose digests differ have their fields read and
// compared one by one; dependencies are compared as sorted integers once the old
// positions are mapped to the new ones. Strings are made only for what changed.

extension InventoryChanges {
    /// The changes from `old` to `new`, both in memory. A snapshot with `info.id` 0 (not
    /// saved) is a side without a snapshot id: the inventories on disk.
    public init(from old: Snapshot, to new: Snapshot) {
        do {
            self = try Comparison.changes(State(old), State(new))
        } catch {
            preconditionFailure("snapshots in memory are compared without reading the database: \(error)")
        }
    }
}

extension HistoryStore {
    /// The changes from snapshot `old` to snapshot `new`. The two are read side by side, on
    /// this connection and on a second one.
    public func changes(from old: Int64, to new: Int64) throws(StoreError) -> InventoryChanges {
        // Both ids are checked first, so a wrong one is reported before any work.
        _ = try snapshotInfo(old)
        _ = try snapshotInfo(new)
        let second = try HistoryStore(path: path, create: false)
        // Each thread writes its own slot, under the slots' lock: two threads assigning into
        // one Swift array at once is a data race (it crashed `infra diff` about 1 run in 50).
        let results = ParallelSlots<Result<State, StoreError>>(count: 2)
        nonisolated(unsafe) let stores = [self, second]
        let ids = [old, new]
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            do throws(StoreError) {
                results.set(i, .success(try stores[i].state(ids[i])))
            } catch {
                results.set(i, .failure(error))
            }
        }
        return try Comparison.changes(try results.values[0]!.get(), try results.values[1]!.get())
    }

    /// The changes from snapshot `old` to `current`, a snapshot in memory (the inventories on disk).
    public func changes(from old: Int64, to current: Snapshot) throws(StoreError) -> InventoryChanges {
        try Comparison.changes(try state(old), State(current))
    }

    /// One snapshot as the comparison reads it.
    func state(_ id: Int64) throws(StoreError) -> State {
        let info = try snapshotInfo(id)
        var image = ModelImage()
        let stored = try storedOrganisations(id)
        image.organisations = stored.map { ($0.organisation, $0.header) }
        image.reserve(items: stored.reduce(0) { $0 + $1.count })

        // Per item position, its row (for the fields of changed items).
        var rowIDs: [Int64] = []
        rowIDs.reserveCapacity(image.count)
        let s = try db.prepare("SELECT id, organisation_version_id, item, digest FROM item_versions WHERE id BETWEEN ? AND ? ORDER BY id")
        for (o, org) in stored.enumerated() {
            try readItems(of: org, snapshot: id, s) { () throws(StoreError) in
                rowIDs.append(s.int64(0))
                image.addItem(organisation: Int32(o), row: s, id: 2, digest: 3)
            }
        }
        let edges = try storedEdges(stored, snapshot: id, ref: { image.ref($0) })
        image.edges = edges

        let findings = try findingRows(snapshot: id)
        return State(info: info, image: image, findings: findings,
                     coverage: try coverageRecords("WHERE snapshot_id = ?", [.int(id)]).map(\.record),
                     fields: .stored(self, rowIDs))
    }

    /// The compared fields of the item with row id `rowID` (ItemFields order).
    func itemFields(_ rowID: Int64) throws(StoreError) -> [String?] {
        let s = try db.prepare("SELECT \(ItemFields.columns) FROM item_versions WHERE id = ?")
        s.bind(1, rowID)
        guard try s.step() else { throw StoreError(.notFound, "\(path): no item \(rowID)") }
        return (0..<Int32(ItemFields.names.count)).map { c in
            Int(c) == ItemFields.critical ? (s.int64(c) == 0 ? "0" : "1") : s.optionalText(c)
        }
    }
}

/// An organisation's header fields, as compared.
struct OrganisationHeader: Equatable {
    var name: String
    var type: String?
    var code: String?
    var county: String?
    var orgNumber: String?
    var parent: String?
    var members: [String]
    var national: Bool
}

/// A snapshot's organisations, items and dependencies, compactly (see the top of this file).
struct ModelImage {
    /// Organisation id and header, in snapshot order.
    var organisations: [(id: String, header: OrganisationHeader)] = []
    /// Per item, in snapshot order: its organisation (an index into `organisations`), the
    /// digest of its compared fields, and where its id starts in `ids` (one more entry: the end).
    var itemOrganisation: [Int32] = []
    var digest: [UInt64] = []
    var idStart: [Int32] = [0]
    var ids: [UInt8] = []
    /// Dependencies as `from << 32 | to` item positions, sorted, without duplicates.
    var edges: [UInt64] = []

    var count: Int { itemOrganisation.count }

    mutating func reserve(items: Int) {
        itemOrganisation.reserveCapacity(items)
        digest.reserveCapacity(items)
        idStart.reserveCapacity(items + 1)
        ids.reserveCapacity(items * 20)
    }

    /// An item from the current row of `s`: its id and its `items.digest`, read in place.
    mutating func addItem(organisation: Int32, row s: Statement, id column: Int32, digest: Int32) {
        itemOrganisation.append(organisation)
        if let p = sqlite3_column_text(s.handle, column) {
            ids.append(contentsOf: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s.handle, column))))
        }
        idStart.append(Int32(ids.count))
        self.digest.append(UInt64(bitPattern: s.int64(digest)))
    }

    /// An item in memory, with the digest the store would give it.
    mutating func addItem(organisation: Int32, _ item: ExportedItem) {
        itemOrganisation.append(organisation)
        var id = item.id
        id.withUTF8 { ids.append(contentsOf: $0) }
        idStart.append(Int32(ids.count))
        digest.append(UInt64(bitPattern: ItemFields.StoredTexts(item).digest))
    }

    func idRange(_ k: Int) -> Range<Int> { Int(idStart[k])..<Int(idStart[k + 1]) }

    func id(_ k: Int) -> String { String(decoding: ids[idRange(k)], as: UTF8.self) }

    /// `org/item`.
    func ref(_ k: Int) -> String { organisations[Int(itemOrganisation[k])].id + "/" + id(k) }

    /// FNV-1a over the organisation index and the item id.
    func keyHash(organisation: Int32, _ k: Int) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(UInt32(bitPattern: organisation))
        h = h &* 0x100_0000_01b3
        for b in ids[idRange(k)] {
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
        }
        return h
    }
}

extension ModelImage {
    /// The model of a snapshot in memory.
    init(_ snapshot: Snapshot) {
        self.init()
        reserve(items: snapshot.itemCount)
        for (o, org) in snapshot.organisations.enumerated() {
            organisations.append((org.id, OrganisationHeader(
                name: org.name, type: org.type, code: org.code, county: org.county, orgNumber: org.orgNumber,
                parent: org.parent, members: org.members, national: org.national)))
            for item in org.items { addItem(organisation: Int32(o), item) }
        }
        // A snapshot that cannot place its dependencies could not have been saved either;
        // compared, it has none.
        edges = (try? snapshot.positionalEdges()) ?? []
    }
}

/// One side of a comparison.
struct State {
    /// Where an item's fields are read when its digest differs from the other side's.
    enum Fields {
        /// Saved: the items' row ids, by position.
        case stored(HistoryStore, [Int64])
        /// In memory.
        case memory(Snapshot)
    }

    var info: SnapshotInfo
    var image: ModelImage
    var findings: [(fingerprint: String, finding: Finding)]
    var coverage: [CoverageRecord]
    var fields: Fields
    /// For `.memory`: position → (organisation, index in its items).
    private var positions: [(organisation: Int32, item: Int32)] = []

    init(info: SnapshotInfo, image: ModelImage, findings: [(fingerprint: String, finding: Finding)], coverage: [CoverageRecord],
         fields: Fields) {
        self.info = info
        self.image = image
        self.findings = findings
        self.coverage = coverage
        self.fields = fields
        if case let .memory(snapshot) = fields {
            for (o, org) in snapshot.organisations.enumerated() {
                for k in org.items.indices { positions.append((Int32(o), Int32(k))) }
            }
        }
    }

    init(_ snapshot: Snapshot) {
        self.init(info: snapshot.info, image: ModelImage(snapshot),
                  findings: snapshot.findings.map { (Fingerprint.of($0), $0) }, coverage: snapshot.coverage,
                  fields: .memory(snapshot))
    }

    /// The compared fields of item `k`, as stored (ItemFields order).
    func fields(_ k: Int) throws(StoreError) -> [String?] {
        switch fields {
        case let .stored(store, rowIDs): return try store.itemFields(rowIDs[k])
        case let .memory(snapshot):
            let p = positions[k]
            return ItemFields.stored(snapshot.organisations[Int(p.organisation)].items[Int(p.item)])
        }
    }

    var side: InventoryChanges.Side {
        let saved = info.id > 0
        return InventoryChanges.Side(snapshot: saved ? info.id : nil, takenAt: saved ? info.takenAtText : nil,
                                     gitCommit: info.gitCommit, paths: info.paths)
    }
}

enum Comparison {
    static func changes(_ a: State, _ b: State) throws(StoreError) -> InventoryChanges {
        var d = InventoryChanges(old: a.side, new: b.side)
        try model(a, b, into: &d)
        findings(a.findings, b.findings, into: &d)
        coverage(a.coverage, b.coverage, into: &d)
        for (state, side, shown) in [(a, d.old, "added"), (b, d.new, "removed")] {
            let unread = state.findings.map(\.finding).unreadFiles
            guard !unread.isEmpty else { continue }
            let label = side.snapshot == nil ? "The inventories on disk" : "Snapshot \(side.snapshot!)"
            d.notes.append("\(label): \(unread.count == 1 ? "a file" : "\(unread.count) files") could not be read "
                + "(\(unread.map(\.file).joinedShort(first: 3))), so \(unread.count == 1 ? "its" : "their") items show as \(shown) here")
        }
        return d
    }

    // MARK: - Organisations, items, dependencies

    static func model(_ sa: State, _ sb: State, into d: inout InventoryChanges) throws(StoreError) {
        let a = sa.image, b = sb.image
        // Organisations, by id (a few hundred).
        var newOrg: [String: Int32] = [:]
        for (i, o) in b.organisations.enumerated() { newOrg[o.id] = Int32(i) }
        var orgMap = [Int32](repeating: -1, count: a.organisations.count)
        var seen = [Bool](repeating: false, count: b.organisations.count)
        for (i, o) in a.organisations.enumerated() {
            guard let j = newOrg[o.id] else {
                d.organisationsRemoved.append(o.id)
                continue
            }
            orgMap[i] = j
            seen[Int(j)] = true
            let fields = headerChanges(o.header, b.organisations[Int(j)].header)
            if !fields.isEmpty { d.organisationsChanged.append(.init(ref: o.id, fields: fields)) }
        }
        for (j, o) in b.organisations.enumerated() where !seen[j] { d.organisationsAdded.append(o.id) }

        // Items, by (organisation, id): an open-addressing table over the new side's items.
        let capacity = max(16, (b.count * 2).nextPowerOfTwo)
        var table = [Int32](repeating: -1, count: capacity)
        let mask = UInt64(capacity - 1)
        for k in 0..<b.count {
            var slot = Int(b.keyHash(organisation: b.itemOrganisation[k], k) & mask)
            while table[slot] >= 0 { slot = (slot + 1) & Int(mask) }
            table[slot] = Int32(k)
        }
        var oldToNew = [Int32](repeating: -1, count: a.count)
        var matched = [Bool](repeating: false, count: b.count)
        var differing: [(old: Int, new: Int)] = []
        a.ids.withUnsafeBufferPointer { ai in
            b.ids.withUnsafeBufferPointer { bi in
                for k in 0..<a.count {
                    let org = orgMap[Int(a.itemOrganisation[k])]
                    guard org >= 0 else { continue }
                    let id = a.idRange(k)
                    var slot = Int(a.keyHash(organisation: org, k) & mask)
                    while table[slot] >= 0 {
                        let m = Int(table[slot])
                        let other = b.idRange(m)
                        if b.itemOrganisation[m] == org, other.count == id.count, !matched[m],
                           id.isEmpty || memcmp(ai.baseAddress! + id.lowerBound, bi.baseAddress! + other.lowerBound, id.count) == 0 {
                            oldToNew[k] = Int32(m)
                            matched[m] = true
                            if a.digest[k] != b.digest[m] { differing.append((k, m)) }
                            break
                        }
                        slot = (slot + 1) & Int(mask)
                    }
                }
            }
        }
        // Only items whose digests differ are read field by field.
        for (k, m) in differing {
            let fields = itemChanges(try sa.fields(k), try sb.fields(m))
            if !fields.isEmpty { d.itemsChanged.append(.init(ref: b.ref(m), fields: fields)) }
        }
        for k in 0..<a.count where oldToNew[k] < 0 { d.itemsRemoved.append(a.ref(k)) }
        for m in 0..<b.count where !matched[m] { d.itemsAdded.append(b.ref(m)) }

        // Dependencies: the old ones in new positions, then one merge of two sorted lists.
        var mapped: [UInt64] = []
        mapped.reserveCapacity(a.edges.count)
        for e in a.edges {
            let from = oldToNew[Int(e >> 32)], to = oldToNew[Int(e & 0xFFFF_FFFF)]
            if from >= 0, to >= 0 {
                mapped.append(UInt64(UInt32(from)) << 32 | UInt64(UInt32(to)))
            } else {
                d.dependenciesRemoved.append(.init(from: a.ref(Int(e >> 32)), to: a.ref(Int(e & 0xFFFF_FFFF))))
            }
        }
        mapped.sort()
        func edge(_ e: UInt64) -> InventoryChanges.Dependency {
            .init(from: b.ref(Int(e >> 32)), to: b.ref(Int(e & 0xFFFF_FFFF)))
        }
        var i = 0, j = 0
        let new = b.edges
        while i < mapped.count || j < new.count {
            if j == new.count || (i < mapped.count && mapped[i] < new[j]) {
                d.dependenciesRemoved.append(edge(mapped[i]))
                i += 1
            } else if i == mapped.count || new[j] < mapped[i] {
                d.dependenciesAdded.append(edge(new[j]))
                j += 1
            } else {
                i += 1
                j += 1
            }
        }

        d.organisationsAdded.sort()
        d.organisationsRemoved.sort()
        d.organisationsChanged.sort { $0.ref < $1.ref }
        d.itemsAdded.sort()
        d.itemsRemoved.sort()
        d.itemsChanged.sort { $0.ref < $1.ref }
        d.dependenciesAdded.sort()
        d.dependenciesRemoved.sort()
    }

    /// The header fields; the files an organisation is split over are not compared.
    static func headerChanges(_ a: OrganisationHeader, _ b: OrganisationHeader) -> [InventoryChanges.FieldChange] {
        guard a != b else { return [] }
        var out: [InventoryChanges.FieldChange] = []
        func check(_ field: String, _ x: String?, _ y: String?) {
            if x != y { out.append(.init(field: field, old: x, new: y)) }
        }
        check("name", a.name, b.name)
        check("type", a.type, b.type)
        check("code", a.code, b.code)
        check("county", a.county, b.county)
        check("org_number", a.orgNumber, b.orgNumber)
        check("parent", a.parent, b.parent)
        // Members are a set: the same ones in another order are no change.
        if a.members.sorted() != b.members.sorted() { out.append(.init(field: "members", oldList: a.members, newList: b.members)) }
        if a.national != b.national { out.append(.init(field: "national", old: a.national, new: b.national)) }
        return out
    }

    /// Field by field, in ItemFields order; the stored texts are compared, and shown as the diff words them.
    static func itemChanges(_ a: [String?], _ b: [String?]) -> [InventoryChanges.FieldChange] {
        var out: [InventoryChanges.FieldChange] = []
        for (k, name) in ItemFields.names.enumerated() where k < a.count && k < b.count && a[k] != b[k] {
            switch name {
            case "standards", "tags":
                // Sets as written: the same entries in another order are no change.
                let x = a[k].map(JSONText.parseArray) ?? [], y = b[k].map(JSONText.parseArray) ?? []
                if x.sorted() != y.sorted() { out.append(.init(field: name, oldList: x, newList: y)) }
            case "critical":
                out.append(.init(field: name, old: a[k] != "0", new: b[k] != "0"))
            default:
                let x = ItemFields.shown(k, a[k]), y = ItemFields.shown(k, b[k])
                if x != y { out.append(.init(field: name, old: x, new: y)) }
            }
        }
        return out
    }

    // MARK: - Findings

    /// By fingerprint, counting: two findings with one fingerprint before and three after
    /// is one appeared.
    static func findings(_ a: [(fingerprint: String, finding: Finding)], _ b: [(fingerprint: String, finding: Finding)],
                         into d: inout InventoryChanges) {
        var before = FingerprintCounts(a.map(\.fingerprint)), after = FingerprintCounts(b.map(\.fingerprint))
        d.findingsAppeared = before.take(b, fingerprint: \.fingerprint).unmatched.map { .init(fingerprint: $0.fingerprint, finding: $0.finding) }
        d.findingsDisappeared = after.take(a, fingerprint: \.fingerprint).unmatched.map { .init(fingerprint: $0.fingerprint, finding: $0.finding) }
        d.findingsAppeared.sort { Finding.reportOrder($0.finding, $1.finding) }
        d.findingsDisappeared.sort { Finding.reportOrder($0.finding, $1.finding) }
    }

    // MARK: - Coverage

    /// Every capability or standard and organisation type whose count, population or share
    /// covered differs (the share alone: one förbund of one → one of two inventoried, as
    /// `trend` shows it); a row only on one side counts when it covers anyone.
    static func coverage(_ a: [CoverageRecord], _ b: [CoverageRecord], into d: inout InventoryChanges) {
        struct Key: Hashable {
            var standard: Bool
            var term: String
            var type: String
        }
        func key(_ r: CoverageRecord) -> Key { Key(standard: r.isStandard, term: r.term, type: r.organisationType) }
        func change(_ r: CoverageRecord, old: CoverageRecord?, new: CoverageRecord?) -> InventoryChanges.CoverageChange {
            .init(term: r.term, isStandard: r.isStandard, name: r.name, organisationType: r.organisationType,
                  old: old?.cell, new: new?.cell)
        }
        var before: [Key: CoverageRecord] = [:]
        for r in a { before[key(r)] = r }
        var seen = Set<Key>()
        for r in b {
            seen.insert(key(r))
            let old = before[key(r)]
            if old?.covered != r.covered || old?.populationCovered != r.populationCovered
                || r.covered > 0 && old?.share != r.share {
                if old == nil && r.covered == 0 { continue }
                d.coverage.append(change(r, old: old, new: r))
            }
        }
        for r in a where !seen.contains(key(r)) && r.covered > 0 {
            d.coverage.append(change(r, old: r, new: nil))
        }
        // Capabilities before standards, by term, organisation types in their usual order.
        let typeOrder = Dictionary(uniqueKeysWithValues: OrganisationType.allCases.enumerated().map { ($1.rawValue, $0) })
        d.coverage.sort {
            ($0.isStandard ? 1 : 0, $0.term, typeOrder[$0.organisationType] ?? 99)
                < ($1.isStandard ? 1 : 0, $1.term, typeOrder[$1.organisationType] ?? 99)
        }
    }
}

private extension Int {
    var nextPowerOfTwo: Int {
        var n = 1
        while n < self { n <<= 1 }
        return n
    }
}
