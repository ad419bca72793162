import Foundation
@testable import InfraGraph
import InfraLoad
import InfraModel
import InfraReference
import Testing

/// The blast radius is counted two ways (a walk down from each service, or bitsets for
/// graphs where those walks would be long); both must give the same exact counts.
@Suite("Blast radius")
struct BlastRadiusTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/vasternorrland").path

    /// Both ways, with a failure travelling through running items only (as a scan counts).
    static func counts(_ catalog: Catalog) -> (search: ([Int32], [Int32])?, bitsets: BlastRadius) {
        let isService = { (i: Int) in catalog.items[i].item.layer == .services && catalog.items[i].item.status.isRunning }
        let isCritical = { (i: Int) in catalog.items[i].item.critical }
        let running = { (i: Int) in catalog.items[i].item.status.isRunning }
        let components = Components(catalog.dependencies, nodeCount: catalog.items.count)
        return (BlastRadius.bySearchFromServices(catalog, isService: isService, isCritical: isCritical, passable: running),
                BlastRadius(bitsets: catalog, components: components, isService: isService, isCritical: isCritical, passable: running))
    }

    @Test("the walk from services and the bitsets agree on the examples with the national inventories")
    func bothWaysAgree() throws {
        let files = try Loader.load(files: try Loader.yamlFiles(in: [Self.examples]))
        let catalog = Catalog(inventories: Reference.nationalInventories.compactMap(\.inventory) + files.compactMap(\.inventory))
        let (search, bitsets) = Self.counts(catalog)
        let walked = try #require(search)
        #expect(walked.0 == bitsets.services)
        #expect(walked.1 == bitsets.critical)
        #expect(bitsets.services.max()! > 10)  // a hub: the comparison is not between zeros
    }

    @Test("a long chain of services is past the walk's budget and is counted by the bitsets")
    func longChainFallsBack() {
        let n = 3_000
        var yaml = "inventory: 1\norganisation: {id: o, name: O, type: kommun}\nservices:\n"
        for i in 0..<n {
            yaml += "  - {id: s\(i), name: S\(i), capability: e-service\(i + 1 < n ? ", depends_on: [s\(i + 1)]" : "")}\n"
        }
        let catalog = Catalog(inventories: [Loader.parse(bytes: Array(yaml.utf8), path: "chain.yaml").inventory!])
        #expect(Self.counts(catalog).search == nil)
        let blast = BlastRadius(catalog: catalog, components: Components(catalog.dependencies, nodeCount: n),
                                isService: { _ in true }, isCritical: { _ in false })
        // Every service before s(k) in the chain depends on it.
        for k in [0, 1, 1_500, n - 1] { #expect(blast.services[catalog.resolve("o/s\(k)")!] == Int32(k)) }
        let windowed = BlastRadius(bitsets: catalog, components: Components(catalog.dependencies, nodeCount: n),
                                   isService: { _ in true }, isCritical: { $0 % 3 == 0 }, words: 2)
        #expect(windowed.services == blast.services)
        let k = 1_500  // of the services s0…s1499 above it, every third is critical
        #expect(windowed.critical[catalog.resolve("o/s\(k)")!] == Int32((0..<k).filter { catalog.resolve("o/s\($0)")! % 3 == 0 }.count))
    }

    @Test("on random graphs with rings, shared hubs and items under one service, every way of counting agrees",
          arguments: [1, 2, 3, 4, 5])
    func randomGraphsAgree(seed: UInt64) throws {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {  // xorshift: the same graphs on every run
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(n))
        }
        var inventories: [Inventory] = []
        let perOrganisation = 40
        for o in 0..<7 {
            var yaml = "inventory: 1\norganisation: {id: o\(o), name: O, type: annan}\nservices:\n"
            for i in 0..<perOrganisation {
                // Mostly down the list (a DAG), sometimes back up (rings), sometimes to another organisation.
                let refs = (0..<next(4)).map { _ in
                    next(5) == 0 ? "o\(next(7))/s\(next(perOrganisation))" : "s\(next(5) == 0 ? next(perOrganisation) : min(perOrganisation - 1, i + 1 + next(6)))"
                }
                let critical = next(4) == 0 ? ", critical: true" : ""
                // One in four retired and one in four planned: not services, and no failure passes them.
                let layer = i % 4 == 3 ? ", status: retired" : (i % 4 == 2 ? ", status: planned" : "")
                yaml += "  - {id: s\(i), name: S, capability: e-service\(critical)\(layer), depends_on: [\(refs.joined(separator: ", "))]}\n"
            }
            inventories.append(try #require(Loader.parse(bytes: Array(yaml.utf8), path: "o\(o).yaml").inventory))
        }
        let catalog = Catalog(inventories: inventories)
        let (search, bitsets) = Self.counts(catalog)
        let walked = try #require(search)
        #expect(walked.0 == bitsets.services)
        #expect(walked.1 == bitsets.critical)
        #expect(bitsets.services.max()! > 5)
        let isService = { (i: Int) in catalog.items[i].item.layer == .services && catalog.items[i].item.status.isRunning }
        let components = Components(catalog.dependencies, nodeCount: catalog.items.count)
        for words in [1, 2] {
            let windowed = BlastRadius(bitsets: catalog, components: components, isService: isService,
                                       isCritical: { catalog.items[$0].item.critical },
                                       passable: { catalog.items[$0].item.status.isRunning }, words: words)
            #expect(windowed.services == walked.0)
            #expect(windowed.critical == walked.1)
        }
        // Retired items count nothing, and nothing is counted through them: against a plain
        // breadth-first search up from each item through running ones.
        for v in 0..<catalog.items.count {
            let running = { (i: Int) in catalog.items[i].item.status.isRunning }
            var expected = 0
            if running(v) {
                let parents = GraphSearch.parents(from: v, along: catalog.dependents, nodeCount: catalog.items.count, passable: running)
                expected = (0..<catalog.items.count).filter { $0 != v && parents[$0] != -2 && isService($0) }.count
            }
            #expect(Int(walked.0[v]) == expected, "item \(v)")
        }
    }

    @Test("the bitsets give the same counts when the services are taken a window of words at a time (bounded memory)",
          arguments: [1, 2, 5])
    func windowsAddUp(words: Int) throws {
        let files = try Loader.load(files: try Loader.yamlFiles(in: [Self.examples]))
        let catalog = Catalog(inventories: Reference.nationalInventories.compactMap(\.inventory) + files.compactMap(\.inventory))
        let isService = { (i: Int) in catalog.items[i].item.layer == .services && catalog.items[i].item.status.isRunning }
        let isCritical = { (i: Int) in catalog.items[i].item.critical }
        let components = Components(catalog.dependencies, nodeCount: catalog.items.count)
        let whole = BlastRadius(bitsets: catalog, components: components, isService: isService, isCritical: isCritical)
        let windowed = BlastRadius(bitsets: catalog, components: components, isService: isService, isCritical: isCritical,
                                   words: words)
        // Services in more organisations than the widest window has words: several windows each.
        #expect(Set(catalog.items.indices.filter(isService).map { catalog.items[$0].organisation }).count > 5)
        #expect(windowed.services == whole.services)
        #expect(windowed.critical == whole.critical)
        #expect(whole.critical.max()! > 0)
    }
}
