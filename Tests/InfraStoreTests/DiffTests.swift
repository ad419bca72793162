import Foundation
import InfraModel
import Testing
@testable import InfraStore

@Suite("diff between snapshots")
struct DiffTests {
    @Test("coverage goes up only when neither organisations nor population covered fell: a small kommun gained and a big one lost is mixed")
    func coverageDirection() {
        func change(_ old: (Int, Int), _ new: (Int, Int)) -> InventoryChanges.CoverageChange.Direction {
            let cell = { (c: (Int, Int)) in CoverageTable.Cell(covered: c.0, inventoried: 290, total: 290, populationCovered: c.1, populationTotal: 10_587_710) }
            return InventoryChanges.CoverageChange(term: "contact-center", isStandard: false, name: "Kontaktcenter", organisationType: "kommun",
                                                   old: cell(old), new: cell(new)).direction
        }
        #expect(change((1, 99_048), (2, 26_565)) == .mixed)
        #expect(change((2, 26_565), (1, 99_048)) == .mixed)
        #expect(change((1, 99_048), (2, 125_613)) == .up)
        #expect(change((2, 99_048), (2, 125_613)) == .up)
        #expect(change((2, 125_613), (1, 99_048)) == .down)
        #expect(change((2, 125_613), (2, 125_613)) == .same)
    }

    @Test("a share that changed with the same organisations covered is listed as `same`; a count of inventoried alone is not")
    func coverageShareOnly() {
        let old = snapshot([], coverage: [coverage("e-archive", "forbund", covered: 1, inventoried: 1),
                                          coverage("e-archive", "kommun", covered: 2, of: 290, inventoried: 2),
                                          coverage("wan", "forbund", covered: 0, inventoried: 1)])
        let new = snapshot([], coverage: [coverage("e-archive", "forbund", covered: 1, inventoried: 2),
                                          coverage("e-archive", "kommun", covered: 2, of: 290, inventoried: 3),
                                          coverage("wan", "forbund", covered: 0, inventoried: 2)])
        let d = InventoryChanges(from: old, to: new)
        #expect(d.coverage.map { "\($0.term) \($0.organisationType) \($0.direction)" } == ["e-archive forbund same"])
    }

    @Test("every kind of change, exactly")
    func everything() throws {
        let old = richSnapshot()
        var new = richSnapshot()
        // kommun-a: portal renamed and retired, e-arkiv loses its bankid dependency and
        // gains a tag; server removed; a new item depends on the portal.
        new.organisations[1].items[0].name = "Självservice"
        new.organisations[1].items[0].status = .retired
        new.organisations[1].items[0].dependsOn = ["kommun-a/e-arkiv"]
        new.organisations[1].items[1].dependsOn = ["kommun-a/server"]
        new.organisations[1].items[1].tags = ["arkiv"]
        new.organisations[1].items[1].line = 99             // moved: not a change
        new.organisations[1].items[1].file = "elsewhere.yaml" // nor this
        new.organisations[1].items.remove(at: 2)
        new.organisations[1].items[1].dependsOn = []
        new.organisations[1].items.append(item("ny", dependsOn: ["kommun-a/portal"]))
        // kommun-b: a new org number; kommun-c added.
        new.organisations[2].orgNumber = "212000-2429"
        new.organisations.append(organisation("kommun-c", items: [item("x")]))
        // Findings: the cycle found from its other member (same finding), the yaml error
        // fixed, a new one.
        new.findings[0].item = "e-arkiv"
        new.findings[0].line = 40
        new.findings[0].related = ["kommun-a/e-arkiv", "kommun-a/portal"]
        new.findings.remove(at: 1)
        new.findings.append(Finding(rule: "stale-review", severity: .warning, message: "`ny` was never reviewed",
                                    organisation: "kommun-a", item: "ny"))
        // Coverage: e-archive up among kommuner; fgs-paket down.
        new.coverage[0].covered = 3
        new.coverage[0].populationCovered = 200_000
        new.coverage[2].covered = 0

        let d = InventoryChanges(from: old, to: new)
        #expect(d.organisationsAdded == ["kommun-c"])
        #expect(d.organisationsRemoved == [])
        #expect(d.organisationsChanged == [.init(ref: "kommun-b", fields: [.init(field: "org_number", old: "212000-2411", new: "212000-2429")])])
        #expect(d.itemsAdded == ["kommun-a/ny", "kommun-c/x"])
        #expect(d.itemsRemoved == ["kommun-a/server"])
        #expect(d.itemsChanged == [
            .init(ref: "kommun-a/e-arkiv", fields: [.init(field: "tags", oldList: ["arkiv", "ny"], newList: ["arkiv"])]),
            .init(ref: "kommun-a/portal", fields: [.init(field: "name", old: "E-tjänster", new: "Självservice"),
                                                   .init(field: "status", old: "retiring", new: "retired")]),
        ])
        #expect(d.dependenciesAdded == [.init(from: "kommun-a/ny", to: "kommun-a/portal")])
        #expect(d.dependenciesRemoved == [
            .init(from: "kommun-a/e-arkiv", to: "kommun-a/server"), .init(from: "kommun-a/e-arkiv", to: "nat/bankid"),
            .init(from: "kommun-a/portal", to: "kommun-a/server"),
        ].sorted())
        #expect(d.findingsAppeared.map(\.finding.rule) == ["stale-review"])
        #expect(d.findingsDisappeared.map(\.finding.rule) == ["yaml-syntax"])
        #expect(d.coverage.map { "\($0.term) \($0.organisationType) \($0.direction)" } == ["e-archive kommun up", "fgs-paket kommun down"])
        #expect(d.findingsAppeared.map(\.fingerprint) == [Fingerprint.of(new.findings[2])])
        #expect(!d.isEmpty)

        // The same changes when both are saved and compared in the store, and when only the
        // old one is (the new one being the inventories on disk).
        try withTemporaryDirectory { dir in
            let store = try HistoryStore(path: dir.appendingPathComponent("infra.db").path, create: true)
            let a = try store.save(old), b = try store.save(new)
            let stored = try store.changes(from: a, to: b)
            expectSameChanges(stored, d)
            #expect(stored.old.snapshot == a && stored.new.snapshot == b && stored.new.takenAt != nil)
            let disk = try store.changes(from: a, to: new)
            expectSameChanges(disk, d)
            #expect(disk.new.snapshot == nil && disk.new.takenAt == nil && disk.new.paths == ["/inventories"])
            #expect(disk.new.label == "the inventories on disk")
        }
    }

    @Test("dependencies given as positions compare like dependsOn")
    func positionalEdges() throws {
        var old = richSnapshot(), new = richSnapshot()
        new.organisations[1].items[1].dependsOn = ["kommun-a/server"]
        let expected = InventoryChanges(from: old, to: new)
        #expect(expected.dependenciesRemoved == [.init(from: "kommun-a/e-arkiv", to: "nat/bankid")])
        for s in [0, 1] {
            var snapshot = s == 0 ? old : new
            var position: [String: Int32] = [:]
            for o in snapshot.organisations { for i in o.items { position[o.id + "/" + i.id] = Int32(position.count) } }
            var edges: [(from: Int32, to: Int32)] = []
            for o in snapshot.organisations.indices {
                for k in snapshot.organisations[o].items.indices {
                    let i = snapshot.organisations[o].items[k]
                    for d in i.dependsOn { edges.append((position[snapshot.organisations[o].id + "/" + i.id]!, position[d]!)) }
                    snapshot.organisations[o].items[k].dependsOn = []
                }
            }
            snapshot.edges = edges
            if s == 0 { old = snapshot } else { new = snapshot }
        }
        expectSameChanges(InventoryChanges(from: old, to: new), expected)
    }

    @Test("a snapshot against itself, and against its saved copy, is empty")
    func noChange() throws {
        let s = richSnapshot()
        #expect(InventoryChanges(from: s, to: s).isEmpty)
        try withTemporaryDirectory { dir in
            let store = try HistoryStore(path: dir.appendingPathComponent("infra.db").path, create: true)
            let id = try store.save(s)
            let loaded = try store.load(id)
            #expect(InventoryChanges(from: loaded, to: s).isEmpty)
            #expect(InventoryChanges(from: s, to: loaded).isEmpty)
            let again = try store.save(s)
            #expect(try store.changes(from: id, to: again).isEmpty)
            #expect(try store.changes(from: again, to: s).isEmpty)
            #expect(throws: StoreError.self) { try store.changes(from: id, to: 9) }
        }
    }

    @Test("two snapshots read side by side give the same changes every time")
    func sideBySideRepeated() throws {
        // The two snapshots are read on two threads; their results once went into one
        // array from both threads at once, and about 1 diff in 50 crashed.
        let old = richSnapshot()
        var new = richSnapshot()
        new.organisations[1].items[0].name = "Självservice"
        try withTemporaryDirectory { dir in
            let store = try HistoryStore(path: dir.appendingPathComponent("infra.db").path, create: true)
            let (a, b) = (try store.save(old), try store.save(new))
            let expected = InventoryChanges(from: old, to: new)
            for _ in 0..<300 {
                expectSameChanges(try store.changes(from: a, to: b), expected)
            }
        }
    }

    @Test("lists are sets: standards, tags and members in another order are no change; lists and true/false are typed in JSON")
    func listsAndFlags() throws {
        var old = richSnapshot()
        old.organisations[1].items[0].standards = ["saml2", "oidc"]
        old.organisations[1].items[0].tags = ["a", "b, c"]
        old.organisations[2].members = ["x", "y"]
        var new = old
        new.organisations[1].items[0].standards = ["oidc", "saml2"]
        new.organisations[1].items[0].tags = ["b, c", "a"]
        new.organisations[2].members = ["y", "x"]
        #expect(InventoryChanges(from: old, to: new).isEmpty)

        new.organisations[1].items[0].tags = ["b, c"]
        new.organisations[1].items[0].critical = true
        let d = InventoryChanges(from: old, to: new)
        #expect(d.itemsChanged == [.init(ref: "kommun-a/portal", fields: [.init(field: "critical", old: false, new: true),
                                                                           .init(field: "tags", oldList: ["a", "b, c"], newList: ["b, c"])])],
                "\(d.itemsChanged)")
        // JSON keeps a tag with ", " in it whole, and true as true.
        let fields = try #require(d.itemsChanged.first?.fields)
        #expect(fields.map { $0.kind } == [.flag, .list])
    }

    @Test("a removed organisation takes its items and dependencies with it")
    func removedOrganisation() {
        let old = richSnapshot()
        var new = richSnapshot()
        new.organisations.remove(at: 2)
        let d = InventoryChanges(from: old, to: new)
        #expect(d.organisationsRemoved == ["kommun-b"])
        #expect(d.itemsRemoved == ["kommun-b/portal"])
        #expect(d.dependenciesRemoved == [.init(from: "kommun-b/portal", to: "kommun-a/e-arkiv")])
        #expect(d.itemsChanged.isEmpty && d.dependenciesAdded.isEmpty)
    }
}

func expectSameChanges(_ a: InventoryChanges, _ b: InventoryChanges, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.organisationsAdded == b.organisationsAdded && a.organisationsRemoved == b.organisationsRemoved
                && a.organisationsChanged == b.organisationsChanged, sourceLocation: sourceLocation)
    #expect(a.itemsAdded == b.itemsAdded && a.itemsRemoved == b.itemsRemoved, sourceLocation: sourceLocation)
    #expect(a.itemsChanged == b.itemsChanged, sourceLocation: sourceLocation)
    #expect(a.dependenciesAdded == b.dependenciesAdded && a.dependenciesRemoved == b.dependenciesRemoved, sourceLocation: sourceLocation)
    #expect(a.findingsAppeared == b.findingsAppeared && a.findingsDisappeared == b.findingsDisappeared, sourceLocation: sourceLocation)
    #expect(a.coverage == b.coverage, sourceLocation: sourceLocation)
}
