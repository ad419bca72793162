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

    static func counts(_ catalog: Catalog) -> (search: ([Int32], [Int32])?, bitsets: BlastRadius) {
        let isService = { (i: Int) in catalog.items[i].item.layer == .services && catalog.items[i].item.status.isRunning }
        let isCritical = { (i: Int) in catalog.items[i].item.critical }
        let components = Components(catalog.dependencies, nodeCount: catalog.items.count)
        return (BlastRadius.bySearchFromServices(catalog, isService: isService, isCritical: isCritical),
                BlastRadius(bitsets: catalog, components: components, isService: isService, isCritical: isCritical))
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
                                   isService: { _ in true }, isCritical: { $0 % 3 == 0 }, window: 128)
        #expect(windowed.services == blast.services)
        let k = 1_500  // of the services s0…s1499 above it, every third is critical
        #expect(windowed.critical[catalog.resolve("o/s\(k)")!] == Int32((0..<k).filter { catalog.resolve("o/s\($0)")! % 3 == 0 }.count))
    }

    @Test("the bitsets give the same counts when the services are taken a window at a time (bounded memory)",
          arguments: [1, 7, 40])
    func windowsAddUp(window: Int) throws {
        let files = try Loader.load(files: try Loader.yamlFiles(in: [Self.examples]))
        let catalog = Catalog(inventories: Reference.nationalInventories.compactMap(\.inventory) + files.compactMap(\.inventory))
        let isService = { (i: Int) in catalog.items[i].item.layer == .services && catalog.items[i].item.status.isRunning }
        let isCritical = { (i: Int) in catalog.items[i].item.critical }
        let components = Components(catalog.dependencies, nodeCount: catalog.items.count)
        let whole = BlastRadius(bitsets: catalog, components: components, isService: isService, isCritical: isCritical)
        let windowed = BlastRadius(bitsets: catalog, components: components, isService: isService, isCritical: isCritical,
                                   window: window)
        #expect(catalog.items.indices.filter(isService).count > 40)  // more than one window each
        #expect(windowed.services == whole.services)
        #expect(windowed.critical == whole.critical)
        #expect(whole.critical.max()! > 0)
    }
}
