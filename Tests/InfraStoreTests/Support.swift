import Foundation
import InfraModel
@testable import InfraStore

/// A fresh temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("infra-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try body(dir)
}

/// A temporary directory and the path of an `infra.db` in it (not created).
func withDatabasePath<T>(_ body: (URL, String) throws -> T) throws -> T {
    try withTemporaryDirectory { dir in try body(dir, dir.appendingPathComponent("infra.db").path) }
}

func item(_ id: String, layer: Layer = .services, name: String? = nil, capability: String? = nil, status: ItemStatus = .active,
          dependsOn: [String] = [], standards: [String] = [], tags: [String] = [], notes: String? = nil,
          file: String = "a.yaml", line: Int = 1) -> ExportedItem {
    ExportedItem(id: id, layer: layer, name: name ?? id, capability: capability, status: status, endOfSupport: nil,
                 product: nil, vendor: nil, standards: standards, critical: false, dependsOn: dependsOn, coverage: [],
                 reviewed: nil, sensitivity: .internal, tags: tags, notes: notes, file: file, line: line)
}

func organisation(_ id: String, type: String = "kommun", code: String? = nil, national: Bool = false,
                  items: [ExportedItem]) -> ExportedOrganisation {
    ExportedOrganisation(id: id, name: id.capitalized, type: type, code: code, county: nil, orgNumber: nil, parent: nil,
                         members: [], national: national, files: ["\(id).yaml"], items: items)
}

func snapshot(_ organisations: [ExportedOrganisation], findings: [Finding] = [], coverage: [CoverageRecord] = [],
              takenAt: Date = Date(timeIntervalSince1970: 1_740_000_000)) -> Snapshot {
    var summary = Summary()
    summary.files = organisations.count
    summary.organisations = organisations.filter { !$0.national }.count
    summary.items = organisations.filter { !$0.national }.reduce(0) { $0 + $1.items.count }
    summary.count(findings)
    var s = Snapshot(organisations: organisations, findings: findings, summary: summary, coverage: CoverageTable(),
                     paths: ["/inventories"], gitCommit: "0123456789abcdef0123456789abcdef01234567", toolVersion: "test",
                     takenAt: takenAt)
    s.coverage = coverage
    return s
}

func coverage(_ term: String, _ type: String, covered: Int, of total: Int? = nil, inventoried: Int = 3,
              population: Int? = nil, populationTotal: Int? = nil, standard: Bool = false) -> CoverageRecord {
    CoverageRecord(term: term, isStandard: standard, name: term.capitalized, layer: standard ? nil : "soft",
                   organisationType: type, covered: covered, inventoried: inventoried, total: total,
                   populationCovered: population, populationTotal: populationTotal)
}

/// Overwrites a big-endian 32-bit field of the SQLite header (60: user_version, 68: application_id).
func patchHeader(_ url: URL, offset: Int, value: UInt32) throws {
    var data = try Data(contentsOf: url)
    for i in 0..<4 { data[offset + i] = UInt8((value >> (8 * (3 - UInt32(i)))) & 0xFF) }
    try data.write(to: url)
}
