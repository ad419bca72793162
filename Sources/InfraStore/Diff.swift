import InfraModel

import InfraModel

extension InventoryChanges {
    /// What changed from snapshot `a` to snapshot `b` (or the inventories on disk: a
    /// snapshot with `info.id` 0, not saved, is a side without a snapshot id).
    public init(from a: Snapshot, to b: Snapshot) {
        func side(_ s: SnapshotInfo) -> Side {
            let saved = s.id > 0
            return Side(snapshot: saved ? s.id : nil, takenAt: saved ? s.takenAtText : nil, gitCommit: s.gitCommit, paths: s.paths)
        }
        self.init(old: side(a.info), new: side(b.info))
        compareModel(a.organisations, b.organisations)
        compareFindings(a.findings, b.findings)
        compareCoverage(a.coverage, b.coverage)
    }

    // MARK: - Organisations, items, dependencies

    private mutating func compareModel(_ a: [ExportedOrganisation], _ b: [ExportedOrganisation]) {
        var oldIndex: [String: Int] = [:]
        oldIndex.reserveCapacity(a.count)
        for (i, o) in a.enumerated() { oldIndex[o.id] = i }
        var seen = Set<String>()
        for o in b {
            seen.insert(o.id)
            guard let i = oldIndex[o.id] else {
                organisationsAdded.append(o.id)
                for item in o.items {
                    itemsAdded.append(o.id + "/" + item.id)
                    for to in item.dependsOn { dependenciesAdded.append(Dependency(from: o.id + "/" + item.id, to: to)) }
                }
                continue
            }
            let before = a[i]
            let fields = Self.fields(before, o)
            if !fields.isEmpty { organisationsChanged.append(Change(ref: o.id, fields: fields)) }
            compareItems(of: o.id, before.items, o.items)
        }
        for o in a where !seen.contains(o.id) {
            organisationsRemoved.append(o.id)
            for item in o.items {
                itemsRemoved.append(o.id + "/" + item.id)
                for to in item.dependsOn { dependenciesRemoved.append(Dependency(from: o.id + "/" + item.id, to: to)) }
            }
        }
        organisationsAdded.sort()
        organisationsRemoved.sort()
        organisationsChanged.sort { $0.ref < $1.ref }
        itemsAdded.sort()
        itemsRemoved.sort()
        itemsChanged.sort { $0.ref < $1.ref }
        dependenciesAdded.sort()
        dependenciesRemoved.sort()
    }

    private mutating func compareItems(of org: String, _ a: [ExportedItem], _ b: [ExportedItem]) {
        // Most organisations keep their items in the same order: match by position first,
        // and only look ids up when they differ.
        var oldIndex: [String: Int]?
        var matched = [Bool](repeating: false, count: a.count)
        for k in b.indices {
            let id = b[k].id
            var i: Int? = k < a.count && a[k].id == id ? k : nil
            if i == nil {
                if oldIndex == nil {
                    var index: [String: Int] = [:]
                    index.reserveCapacity(a.count)
                    for (n, item) in a.enumerated() { index[item.id] = n }
                    oldIndex = index
                }
                i = oldIndex![id]
            }
            guard let i else {
                let ref = org + "/" + id
                itemsAdded.append(ref)
                for to in b[k].dependsOn { dependenciesAdded.append(Dependency(from: ref, to: to)) }
                continue
            }
            matched[i] = true
            let fields = Self.fields(a[i], b[k])
            if !fields.isEmpty { itemsChanged.append(Change(ref: org + "/" + id, fields: fields)) }
            if a[i].dependsOn != b[k].dependsOn {
                let ref = org + "/" + id
                let was = Set(a[i].dependsOn), now = Set(b[k].dependsOn)
                for to in now.subtracting(was) { dependenciesAdded.append(Dependency(from: ref, to: to)) }
                for to in was.subtracting(now) { dependenciesRemoved.append(Dependency(from: ref, to: to)) }
            }
        }
        for (i, item) in a.enumerated() where !matched[i] {
            let ref = org + "/" + item.id
            itemsRemoved.append(ref)
            for to in item.dependsOn { dependenciesRemoved.append(Dependency(from: ref, to: to)) }
        }
    }

    private static func list(_ values: [String]) -> String? { values.isEmpty ? nil : values.joined(separator: ", ") }

    /// The header fields; the files an organisation is split over are not compared.
    static func fields(_ a: ExportedOrganisation, _ b: ExportedOrganisation) -> [FieldChange] {
        var out: [FieldChange] = []
        func check(_ field: String, _ x: String?, _ y: String?) {
            if x != y { out.append(FieldChange(field: field, old: x, new: y)) }
        }
        check("name", a.name, b.name)
        check("type", a.type, b.type)
        check("code", a.code, b.code)
        check("county", a.county, b.county)
        check("org_number", a.orgNumber, b.orgNumber)
        check("parent", a.parent, b.parent)
        check("members", list(a.members), list(b.members))
        check("national", String(a.national), String(b.national))
        return out
    }

    /// Every field of the inventory but `depends_on` (reported as dependencies added and
    /// removed). Where an item is written (file and line) is not part of it: moving an item
    /// to another file, or scanning from another directory, changes nothing.
    static func fields(_ a: ExportedItem, _ b: ExportedItem) -> [FieldChange] {
        var out: [FieldChange] = []
        func check(_ field: String, _ x: String?, _ y: String?) {
            if x != y { out.append(FieldChange(field: field, old: x, new: y)) }
        }
        if a.layer != b.layer { check("layer", a.layer.rawValue, b.layer.rawValue) }
        check("name", a.name, b.name)
        check("capability", a.capability, b.capability)
        if a.status != b.status { check("status", a.status.rawValue, b.status.rawValue) }
        check("end_of_support", a.endOfSupport, b.endOfSupport)
        check("product", a.product, b.product)
        check("vendor", a.vendor, b.vendor)
        if a.standards != b.standards { check("standards", list(a.standards), list(b.standards)) }
        if a.critical != b.critical { check("critical", String(a.critical), String(b.critical)) }
        if !a.coverage.elementsEqual(b.coverage, by: { $0.key == $1.key && $0.share == $1.share }) {
            check("coverage", list(a.coverage.map { "\($0.key): \($0.share)" }), list(b.coverage.map { "\($0.key): \($0.share)" }))
        }
        check("reviewed", a.reviewed, b.reviewed)
        if a.sensitivity != b.sensitivity { check("sensitivity", a.sensitivity.rawValue, b.sensitivity.rawValue) }
        if a.tags != b.tags { check("tags", list(a.tags), list(b.tags)) }
        check("notes", a.notes, b.notes)
        return out
    }

    // MARK: - Findings

    /// By fingerprint, counting: two findings with one fingerprint before and three after
    /// is one appeared.
    private mutating func compareFindings(_ a: [Finding], _ b: [Finding]) {
        let fa = a.map(Fingerprint.of), fb = b.map(Fingerprint.of)
        var before: [String: Int] = [:], after: [String: Int] = [:]
        for fp in fa { before[fp, default: 0] += 1 }
        for fp in fb { after[fp, default: 0] += 1 }
        var unmatched = before
        for (f, fp) in zip(b, fb) {
            if let n = unmatched[fp], n > 0 { unmatched[fp] = n - 1 } else { findingsAppeared.append(FindingChange(fingerprint: fp, finding: f)) }
        }
        unmatched = after
        for (f, fp) in zip(a, fa) {
            if let n = unmatched[fp], n > 0 { unmatched[fp] = n - 1 } else { findingsDisappeared.append(FindingChange(fingerprint: fp, finding: f)) }
        }
        findingsAppeared.sort { Finding.reportOrder($0.finding, $1.finding) }
        findingsDisappeared.sort { Finding.reportOrder($0.finding, $1.finding) }
    }

    // MARK: - Coverage

    private mutating func compareCoverage(_ a: [CoverageRecord], _ b: [CoverageRecord]) {
        struct Key: Hashable { var standard: Bool; var term: String; var type: String }
        var before: [Key: CoverageRecord] = [:]
        for r in a { before[Key(standard: r.isStandard, term: r.term, type: r.organisationType)] = r }
        var seen = Set<Key>()
        for r in b {
            let key = Key(standard: r.isStandard, term: r.term, type: r.organisationType)
            seen.insert(key)
            let old = before[key]
            if old?.covered != r.covered || old?.populationCovered != r.populationCovered {
                if old == nil && r.covered == 0 { continue }
                coverage.append(CoverageChange(term: r.term, isStandard: r.isStandard, name: r.name,
                                               organisationType: r.organisationType, old: old?.cell, new: r.cell))
            }
        }
        for r in a where !seen.contains(Key(standard: r.isStandard, term: r.term, type: r.organisationType)) && r.covered > 0 {
            coverage.append(CoverageChange(term: r.term, isStandard: r.isStandard, name: r.name,
                                           organisationType: r.organisationType, old: r.cell, new: nil))
        }
        let typeOrder = Dictionary(uniqueKeysWithValues: OrganisationType.allCases.enumerated().map { ($1.rawValue, $0) })
        coverage.sort {
            ($0.isStandard ? 1 : 0, $0.term, typeOrder[$0.organisationType] ?? 99)
                < ($1.isStandard ? 1 : 0, $1.term, typeOrder[$1.organisationType] ?? 99)
        }
    }
}
