import Foundation
import InfraGraph
import InfraLoad
import InfraModel
import InfraPipeline
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
