import ArgumentParser
import Foundation
import InfraModel
import InfraPipeline
import InfraReport
import InfraStore

/// The history database's default file name, in the current directory.
let defaultDatabase = "infra.db"

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the snapshots recorded with `infra scan --save`: one line each, with counts and findings.",
        discussion: """
        A history database is one SQLite file (docs/history.md describes its tables and views, \
        for querying with any SQLite tool). `infra scan PATH --save infra.db` adds a snapshot; \
        `infra diff` and `infra trend` read them.

          infra scan inventories/ --save infra.db
          infra history
          infra history --db /data/infra.db --format json
        """)

    @Option(help: "The history database.")
    var db: String = defaultDatabase

    @Option(help: "Output format: text, json.")
    var format: HistoryFormat = .text

    @Flag(help: "Also check the whole file for damage (PRAGMA quick_check; reads every page).")
    var check = false

    func run() throws {
        let store = try openStore(db, create: false)
        let snapshots = try storeCall { () throws(StoreError) in try store.snapshots() }
        if check, let problem = try storeCall({ () throws(StoreError) in try store.quickCheck() }) {
            throw InputProblem("\(db): the database is damaged: \(problem)")
        }
        switch format {
        case .json:
            write(JSONWriter.write(.array(snapshots.map(historyJSON))) + "\n")
        case .text:
            if snapshots.isEmpty {
                write("\(db): no snapshots yet; record one with `infra scan PATH --save \(db)`")
                return
            }
            let rows = snapshots.map { s -> [String] in
                ["#\(s.id)", s.takenAtText, s.gitCommit.map { String($0.prefix(7)) } ?? "-",
                 "\(s.organisations) org\(s.organisations == 1 ? "" : "s")", "\(s.items) items", "\(s.dependencies) deps",
                 "\(s.errors) error\(s.errors == 1 ? "" : "s")", "\(s.warnings) warning\(s.warnings == 1 ? "" : "s")",
                 "\(s.infos) info\(s.infos == 1 ? "" : "s")", s.paths.map(displayPath).joined(separator: " ")]
            }
            let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
            let numeric: Set<Int> = [3, 4, 5, 6, 7, 8]
            var out = ""
            for row in rows {
                out += row.enumerated().map { c, cell in
                    c == row.count - 1 ? cell : (numeric.contains(c) ? String(repeating: " ", count: widths[c] - cell.count) + cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0))
                }.joined(separator: "  ") + "\n"
            }
            write(out)
        }
    }

    func historyJSON(_ s: SnapshotInfo) -> JSONValue {
        .object([
            ("snapshot", .int(Int(s.id))), ("taken_at", .string(s.takenAtText)), ("git_commit", .string(s.gitCommit)),
            ("paths", .strings(s.paths)), ("tool_version", .string(s.toolVersion)), ("national", .bool(s.national)),
            ("files", .int(s.files)), ("organisations", .int(s.organisations)), ("items", .int(s.items)),
            ("dependencies", .int(s.dependencies)), ("errors", .int(s.errors)), ("warnings", .int(s.warnings)),
            ("infos", .int(s.infos)),
        ])
    }
}

enum HistoryFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

// MARK: - Shared by scan --save, history, diff and trend

/// Opens a history database; every store problem is an input problem (exit code 2).
func openStore(_ path: String, create: Bool) throws -> HistoryStore {
    try storeCall { () throws(StoreError) in try HistoryStore(path: path, create: create) }
}

func storeCall<T>(_ body: () throws(StoreError) -> T) throws -> T {
    do throws(StoreError) {
        return try body()
    } catch {
        throw InputProblem(error.message)
    }
}

/// Paths in the current directory are shown relative to it.
func displayPath(_ path: String) -> String {
    let cwd = FileManager.default.currentDirectoryPath
    if path == cwd { return "." }
    return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
}

/// The commit checked out in the git work tree holding `paths` (the first path decides), or
/// nil when it is not in one, git is missing, or the repository has no commit yet.
func gitCommit(for paths: [String]) -> String? {
    guard let first = paths.first else { return nil }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: first, isDirectory: &isDirectory) else { return nil }
    let directory = isDirectory.boolValue ? first : (first as NSString).deletingLastPathComponent
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", directory.isEmpty ? "." : directory, "rev-parse", "--verify", "--quiet", "HEAD"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return text.count >= 40 && text.allSatisfy(\.isHexDigit) ? text : nil
}

/// The options of a scan that shape its findings, as stored with a snapshot (so `infra diff`
/// can scan the inventories on disk the same way).
struct ScanSettings: Sendable {
    var country = false
    var spof = 25
    var baseline: String?

    var json: String {
        JSONWriter.write(.object([("country", .bool(country)), ("spof", .int(spof)), ("baseline", .string(baseline))]), pretty: false)
    }

    init(country: Bool, spof: Int, baseline: String?) {
        self.country = country
        self.spof = spof
        self.baseline = baseline
    }

    init(json: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else { return }
        country = object["country"] as? Bool ?? false
        spof = object["spof"] as? Int ?? 25
        baseline = object["baseline"] as? String
    }
}

/// A scan's result as a snapshot: the model as `infra export` gives it (national
/// organisations included when scanned, restricted items masked), findings, coverage.
func makeSnapshot(_ result: PipelineResult, paths: [String], settings: ScanSettings) -> Snapshot {
    // The model and the coverage table are independent: computed side by side.
    nonisolated(unsafe) var organisations: [ExportedOrganisation] = []
    nonisolated(unsafe) var coverage = CoverageTable()
    nonisolated(unsafe) var commit: String?
    DispatchQueue.concurrentPerform(iterations: 3) { part in
        switch part {
        case 0: organisations = result.export(includeNational: true, includeRestricted: false)
        case 1: coverage = result.coverage(byCounty: false)
        default: commit = gitCommit(for: paths)
        }
    }
    var snapshot = Snapshot(organisations: organisations, findings: result.findings, summary: result.summary, coverage: coverage,
                            paths: paths.map(absolutePath), gitCommit: commit, toolVersion: toolVersion,
                            settings: settings.json)
    // With every organisation exported, the export lists the catalogue's items in its own
    // order, so the graph's edges are already positions in that list: the store then needs
    // no `org/item` lookups.
    let catalog = result.catalog
    if snapshot.organisations.reduce(0, { $0 + $1.items.count }) == catalog.items.count {
        var edges: [(from: Int32, to: Int32)] = []
        edges.reserveCapacity(snapshot.organisations.reduce(0) { $0 + $1.items.reduce(0) { $0 + $1.dependsOn.count } })
        for v in 0..<catalog.items.count {
            for w in catalog.dependencies.neighbours(v) { edges.append((Int32(v), w)) }
        }
        snapshot.edges = edges
    }
    return snapshot
}

/// `scan --save` writes the snapshot on a second thread while the report is rendered: both
/// take about as long on a country, and they share nothing but the (immutable) result.
final class BackgroundSave: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<(id: Int64, build: Double, write: Double), Error>?
    /// Kept until the process exits, like the pipeline result (freeing it costs time).
    private var snapshot: Snapshot?

    init(database: String, result: PipelineResult, paths: [String], settings: ScanSettings) {
        Thread.detachNewThread { [self] in
            let start = Date()
            do {
                let snapshot = makeSnapshot(result, paths: paths, settings: settings)
                self.snapshot = snapshot
                let built = Date()
                let store = try openStore(database, create: true)
                let id = try storeCall { () throws(StoreError) in try store.save(snapshot) }
                outcome = .success((id, built.timeIntervalSince(start), Date().timeIntervalSince(built)))
            } catch {
                outcome = .failure(error)
            }
            done.signal()
        }
    }

    /// Waits for the save; returns the snapshot id and how long building and writing took.
    func wait() throws -> (id: Int64, build: Double, write: Double) {
        done.wait()
        keepUntilExit.append(self)
        return try outcome!.get()
    }
}

func absolutePath(_ path: String) -> String {
    URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
}
