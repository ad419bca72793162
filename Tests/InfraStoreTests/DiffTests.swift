import Foundation
import InfraModel
import Testing
@testable import InfraStore

@Suite("diff between snapshots")
struct DiffTests {
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
            .init(ref: "kommun-a/e-arkiv", fields: [.init(field: "tags", old: "arkiv, ny", new: "arkiv")]),
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
        #expect(d.coverage.map { "\($0.term) \($0.organisationType) \($0.direction)" } == ["e-archive kommun 1", "fgs-paket kommun -1"])
        #expect(!d.isEmpty)
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
        }
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
