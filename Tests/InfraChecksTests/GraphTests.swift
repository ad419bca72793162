import Foundation
import InfraGraph
import InfraLoad
import InfraModel
import InfraPipeline
import InfraReference
import Testing

@Suite("Graph algorithms")
struct GraphTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/vasternorrland").path

    @Test("blast radius (bitsets on the condensed graph) equals an exact search for every item")
    func blastRadiusIsExact() throws {
        var options = PipelineOptions()
        options.analysis = true
        let result = try Pipeline.run(paths: [Self.examples], options: options)
        let facts = try #require(result.context.facts)
        let catalog = result.catalog
        var nonTrivial = 0
        for i in 0..<catalog.items.count {
            let impact = Impact(of: i, in: catalog)
            #expect(Int(facts.blast.services[i]) == impact.services.count, "\(catalog.ref(i))")
            #expect(Int(facts.blast.critical[i]) == impact.services.filter(\.critical).count, "\(catalog.ref(i)) critical")
            if impact.services.count > 5 { nonTrivial += 1 }
        }
        #expect(nonTrivial > 10)
    }

    @Test("blast radius inside a cycle counts the other services of the cycle")
    func blastRadiusWithCycle() {
        let yaml = """
        inventory: 1
        organisation: {id: o, name: O, type: annan}
        services:
          - {id: a, name: A, capability: e-service, depends_on: [b]}
          - {id: b, name: B, capability: e-service, depends_on: [a, x]}
          - {id: c, name: C, capability: e-service, depends_on: [x], critical: true}
        soft:
          - {id: x, name: X, capability: document-storage, depends_on: [h]}
        hard:
          - {id: h, name: H, capability: datacenter}
        """
        let file = Loader.parse(bytes: Array(yaml.utf8), path: "t.yaml")
        let catalog = Catalog(inventories: [file.inventory!])
        let components = Components(catalog.dependencies, nodeCount: catalog.items.count)
        let blast = BlastRadius(catalog: catalog, components: components,
                                isService: { catalog.items[$0].item.layer == .services },
                                isCritical: { catalog.items[$0].item.critical })
        let idx = { (id: String) in catalog.resolve("o/" + id)! }
        #expect(blast.services[idx("a")] == 1)   // b depends on a
        #expect(blast.services[idx("b")] == 1)   // a depends on b
        #expect(blast.services[idx("x")] == 3)
        #expect(blast.services[idx("h")] == 3)
        #expect(blast.critical[idx("h")] == 1)
        #expect(components.members.filter { $0.count > 1 }.count == 1)
    }

    @Test("'did you mean' for dangling references is budgeted in file order: past the budget, no suggestion, the same on every run")
    func suggestionBudget() throws {
        // Ten items, each naming a misspelt sibling: each suggestion compares with the ten ids.
        var yaml = "inventory: 1\norganisation: {id: o, name: O, type: annan}\nsoft:\n"
        for i in 0..<10 { yaml += "  - {id: item-\(i), name: I, capability: document-storage, depends_on: [itme-\(i)]}\n" }
        let inventory = try #require(Loader.parse(bytes: Array(yaml.utf8), path: "t.yaml").inventory)
        func suggested(budget: Int) -> [String] {
            Catalog(inventories: [inventory], suggestionBudget: budget).findings
                .filter { $0.rule == .unresolvedReference && $0.message.contains("did you mean") }
                .map { $0.item ?? "?" }.sorted()
        }
        #expect(suggested(budget: Catalog.suggestionBudget) == (0..<10).map { "item-\($0)" }.sorted())
        // 25 comparisons: the first two references (10 each) in the file, not whichever threads reach first.
        #expect(suggested(budget: 25) == ["item-0", "item-1"])
        #expect(suggested(budget: 0).isEmpty)
        // Every reference is still reported, with or without a suggestion.
        #expect(Catalog(inventories: [inventory], suggestionBudget: 0).findings.filter { $0.rule == .unresolvedReference }.count == 10)
    }

    @Test("a repeated reference adds no edge, in short lists and in long ones (checked with a set), first occurrence first", arguments: [5, 300])
    func repeatedReferences(count: Int) throws {
        var yaml = "inventory: 1\norganisation: {id: o, name: O, type: annan}\nhard:\n"
        for i in 0..<count { yaml += "  - {id: h\(i), name: H, capability: datacenter}\n" }
        // Every id twice, the second time in reverse order, some also as o/h….
        let refs = (0..<count).map { "h\($0)" } + (0..<count).reversed().map { $0 % 2 == 0 ? "o/h\($0)" : "h\($0)" }
        yaml += "services:\n  - {id: s, name: S, capability: e-service, depends_on: [\(refs.joined(separator: ", "))]}\n"
        let catalog = Catalog(inventories: [try #require(Loader.parse(bytes: Array(yaml.utf8), path: "t.yaml").inventory)])
        let s = try #require(catalog.resolve("o/s"))
        let targets = catalog.dependencies.neighbours(s).map { catalog.items[Int($0)].item.id.value }
        #expect(targets == (0..<count).map { "h\($0)" })
    }

    @Test("impact: a path of up to 11 steps is shown whole; a longer one by its first ten items, '(N more)' and the failing item")
    func impactPathsAreShortened() throws {
        var yaml = "inventory: 1\norganisation: {id: o, name: O, type: annan}\nservices:\n"
        for i in 0..<30 { yaml += "  - {id: s\(i), name: S, capability: e-service, depends_on: [\(i + 1 < 30 ? "s\(i + 1)" : "h")]}\n" }
        yaml += "hard:\n  - {id: h, name: H, capability: datacenter}\n"
        let catalog = Catalog(inventories: [try #require(Loader.parse(bytes: Array(yaml.utf8), path: "t.yaml").inventory)])
        let impact = Impact(of: try #require(catalog.resolve("o/h")), in: catalog)
        #expect(impact.services.count == 30)
        let path = { (s: String) in impact.services.first { $0.service == s }?.path ?? [] }
        // s0 is 30 steps from h: s0 … s9, then s10 … s29 (20) elided.
        #expect(path("o/s0") == (0..<10).map { "o/s\($0)" } + ["(20 more)", "o/h"])
        // s19 is 11 steps away: whole.
        #expect(path("o/s19") == (19..<30).map { "o/s\($0)" } + ["o/h"])
        // s18 is 12 steps away: s18 … s27 shown, s28 and s29 elided.
        #expect(path("o/s18") == (18..<28).map { "o/s\($0)" } + ["(2 more)", "o/h"])
    }

    @Test("building a catalogue leaves the inventories it was given (and the built-in national ones) as they were")
    func catalogueLeavesSharedInventories() throws {
        let yaml = """
        inventory: 1
        organisation: {id: o, name: O, type: annan}
        services:
          - {id: portal, name: E-tjänsteportal, capability: e-service, depends_on: [id, inera/siths]}
          - {id: portal, name: Duplicate, capability: e-service}
        soft:
          - {id: id, name: Inloggning, capability: eid, standards: [saml2]}
        """
        let kept = try #require(Loader.parse(bytes: Array(yaml.utf8), path: "o.yaml").inventory)
        let national = Reference.nationalInventories.compactMap(\.inventory)
        let nationalItems = national.reduce(0) { $0 + $1.items.count }
        for _ in 0..<2 {  // twice: the first catalogue must not have emptied the shared lists
            let catalog = Catalog(inventories: national + [kept])
            #expect(catalog.items.count == nationalItems + 2)
            let portal = try #require(catalog.resolve("o/portal"))
            #expect(catalog.items[portal].item.name?.value == "E-tjänsteportal")
            #expect(catalog.items[portal].file == "o.yaml")
            #expect(catalog.dependencies.neighbours(portal).count == 2)
            #expect(catalog.items[try #require(catalog.resolve("inera/siths"))].item.name != nil)
        }
        #expect(kept.items.map(\.id.value) == ["portal", "portal", "id"])
        #expect(kept.items[1].name?.value == "Duplicate")
        #expect(Reference.nationalInventories.compactMap(\.inventory).reduce(0) { $0 + $1.items.count } == nationalItems)
    }

    @Test("strongly connected components survive a 200,000-long chain (no recursion)")
    func deepChain() {
        let n = 200_000
        var start = [Int32](repeating: 0, count: n + 1)
        var targets: [Int32] = []
        for i in 0..<n {
            start[i] = Int32(targets.count)
            if i + 1 < n { targets.append(Int32(i + 1)) } else { targets.append(0) }
        }
        start[n] = Int32(targets.count)
        let c = Components(Adjacency(start: start, targets: targets), nodeCount: n)
        #expect(c.count == 1)
        #expect(c.members[0].count == n)
    }
}
