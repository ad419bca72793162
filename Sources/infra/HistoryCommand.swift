import ArgumentParser
import Foundation
import Synchronization
import InfraGraph
import InfraModel
import InfraPipeline
import InfraReference
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
          infra history --delete 3 --delete 4
        """)

    @Option(help: "The history database.")
    var db: String = defaultDatabase

    @Option(help: "Output format: text, json.")
    var format: HistoryFormat = .text

    @Flag(help: "Also check the whole file for damage (PRAGMA quick_check; reads every page).")
    var check = false

    @Option(name: .customLong("delete"), help: ArgumentHelp(
        "Delete this snapshot (repeat for more) and what only it held, then list the rest.", valueName: "id"))
    var delete: [Int64] = []

    func run() throws {
        let store = try openStore(db, create: false)
        if !delete.isEmpty {
            let gone = try storeCall { () throws(StoreError) in try store.delete(snapshots: delete) }
            FileHandle.standardError.write(Data("""
                infra: deleted \(counted(gone.snapshots, "snapshot")) from \(db), with what no other snapshot held: \
                \(counted(gone.organisationVersions, "organisation version")) (\(counted(gone.items, "item"))), \
                \(counted(gone.findingRecords, "finding"))

                """.utf8))
        }
        let snapshots = try storeCall { () throws(StoreError) in try store.snapshots() }
        let changed = try storeCall { () throws(StoreError) in try store.changedOrganisations() }
        if check, let problem = try storeCall({ () throws(StoreError) in try store.quickCheck() }) {
            throw InputProblem("\(db): the database is damaged: \(problem)")
        }
        try storeCall { () throws(StoreError) in try store.verifyUnchanged() }
        switch format {
        case .json:
            try write(JSONWriter.write(.array(snapshots.map { historyJSON($0, changed: changed[$0.id]) })) + "\n")
        case .text:
            if snapshots.isEmpty {
                try write("\(db): no snapshots yet; record one with `infra scan PATH --save \(db)`")
                return
            }
            let rows = snapshots.map { s -> [String] in
                ["#\(s.id)", s.takenAtText, s.gitCommit.map(shortCommit) ?? "-",
                 "\(s.organisations) org\(s.organisations == 1 ? "" : "s")", changed[s.id].map { "\($0) new or changed" } ?? "-",
                 "\(s.items) items", "\(s.dependencies) deps",
                 "\(s.errors) error\(s.errors == 1 ? "" : "s")", "\(s.warnings) warning\(s.warnings == 1 ? "" : "s")",
                 "\(s.infos) info\(s.infos == 1 ? "" : "s")", s.paths.map(displayPath).joined(separator: " ")]
            }
            let widths = (0..<rows[0].count).map { c in rows.map { $0[c].count }.max() ?? 0 }
            let numeric: Set<Int> = [3, 4, 5, 6, 7, 8, 9]
            var out = ""
            for row in rows {
                out += row.enumerated().map { c, cell in
                    c == row.count - 1 ? cell : (numeric.contains(c) ? String(repeating: " ", count: widths[c] - cell.count) + cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0))
                }.joined(separator: "  ") + "\n"
            }
            try write(out)
        }
    }

    /// `changed`: organisations new or changed since the snapshot before (nil for the first).
    func historyJSON(_ s: SnapshotInfo, changed: Int?) -> JSONValue {
        .object([
            ("snapshot", .int(Int(s.id))), ("taken_at", .string(s.takenAtText)), ("git_commit", .string(s.gitCommit)),
            ("paths", .strings(s.paths)), ("tool_version", .string(s.toolVersion)), ("national", .bool(s.national)),
            ("files", .int(s.files)), ("organisations", .int(s.organisations)),
            ("organisations_changed", changed.map { .int($0) } ?? .null), ("items", .int(s.items)),
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
/// A new database is staged (`stageNewFile`) with its staged file deleted should infra be
/// interrupted (`StagedFile`), from before the moment it exists.
///
/// An I/O error is retried for up to half a second: a database another process has just
/// published (a first save) can meet one while that process switches it to WAL (in 2 of
/// 150 runs of four first saves at once).
func openStore(_ path: String, create: Bool, stageNewFile: Bool = false) throws -> HistoryStore {
    if path.isEmpty { throw InputProblem("--db needs the history database's file name, e.g. --db infra.db") }
    var attempt = 0
    while true {
        do throws(StoreError) {
            return try HistoryStore(path: path, create: create, stageNewFile: stageNewFile, staging: StagedFile.follow,
                                    waiting: { FileHandle.standardError.write(Data("infra: \($0)\n".utf8)) })
        } catch where error.kind == .io && attempt < 20 {
            attempt += 1
            usleep(25_000)
        } catch {
            throw InputProblem(error.message)
        }
    }
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
/// nil when it is not in one, git is missing, or the repository has no commit yet. With
/// `-dirty` after it when the scanned files have changes not committed (edited, new,
/// deleted): the snapshot is then not that commit's inventories (as `git describe --dirty`).
func gitCommit(for paths: [String]) -> String? {
    guard let first = paths.first else { return nil }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: first, isDirectory: &isDirectory) else { return nil }
    let directory = isDirectory.boolValue ? first : parentDirectory(first)
    guard let head = git(["rev-parse", "--verify", "--quiet", "HEAD"], in: directory) else { return nil }
    let text = String(decoding: head, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard text.count >= 40, text.allSatisfy(\.isHexDigit) else { return nil }
    let changes = git(["status", "--porcelain", "--"] + paths.map(absolutePath), in: directory)
    return changes.map { $0.isEmpty ? text : text + dirtySuffix } ?? text
}

/// What `git -C directory ARGS` writes, or nil when it fails or git is missing.
private func git(_ arguments: [String], in directory: String) -> Data? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", directory.isEmpty ? "." : directory] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? data : nil
}

/// The options of a scan that shape its findings, as stored with a snapshot (so `infra diff`
/// can scan the inventories on disk the same way).
struct ScanSettings: Sendable {
    var country = false
    var spof = 25
    var baseline: String?
    var staleMonths = 12

    var json: String {
        JSONWriter.write(.object([("country", .bool(country)), ("spof", .int(spof)), ("baseline", .string(baseline)),
                                  ("stale_months", .int(staleMonths))]), pretty: false)
    }

    init(country: Bool, spof: Int, baseline: String?, staleMonths: Int = 12) {
        self.country = country
        self.spof = spof
        self.baseline = baseline
        self.staleMonths = staleMonths
    }

    /// The settings that differ from `other`'s, as `--flag old → new`.
    func differences(from other: ScanSettings) -> [String] {
        var out: [String] = []
        if country != other.country { out.append("--country \(other.country ? "on" : "off") → \(country ? "on" : "off")") }
        if spof != other.spof { out.append("--spof \(other.spof) → \(spof)") }
        if staleMonths != other.staleMonths { out.append("--stale-months \(other.staleMonths) → \(staleMonths)") }
        if baseline != other.baseline { out.append("--baseline \(other.baseline ?? "(built-in)") → \(baseline ?? "(built-in)")") }
        return out
    }

    init(json: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] else { return }
        country = object["country"] as? Bool ?? false
        spof = object["spof"] as? Int ?? 25
        baseline = object["baseline"] as? String
        staleMonths = object["stale_months"] as? Int ?? 12  // snapshots from before --stale-months: the default
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
        case 0: organisations = snapshotModel(result.catalog)
        case 1: coverage = result.coverage(byCounty: false)
        default: commit = gitCommit(for: paths)
        }
    }
    // Every organisation is in the model, in the catalogue's order, so the graph's edges
    // are already positions in the model's item list.
    let catalog = result.catalog
    var edges: [(from: Int32, to: Int32)] = []
    edges.reserveCapacity(catalog.items.count * 3)
    for v in 0..<catalog.items.count {
        for w in catalog.dependencies.neighbours(v) { edges.append((Int32(v), w)) }
    }
    return Snapshot(organisations: organisations, findings: result.findings, summary: result.summary, coverage: coverage,
                    paths: paths.map(absolutePath), gitCommit: commit, toolVersion: toolVersion,
                    settings: settings.json, edges: edges)
}

/// The snapshot's organisations and items: the export model with every organisation,
/// restricted items masked, and no `dependsOn` (the snapshot takes the dependencies
/// from the catalogue's graph as positions).
func snapshotModel(_ catalog: Catalog) -> [ExportedOrganisation] {
    catalog.exported(includeNational: true, includeRestricted: false, dependencies: false, filePath: storedPath)
}

/// A snapshot stores files by absolute path (docs/history.md, `files.path`), so that one
/// file scanned from another directory, or as `./inv` and `inv`, is the same row, and an
/// organisation stored already is recognised rather than stored again. The built-in
/// national inventories keep their `(built-in)/…` label.
@Sendable func storedPath(_ path: String) -> String {
    path.hasPrefix(Reference.label) ? path : absolutePath(path)
}

/// The same, exported an organisation at a time as the writer asks for it. Positions in
/// the snapshot's item list are the catalogue's item indices: every organisation is in it,
/// in the catalogue's order, and the catalogue keeps each organisation's items together.
func snapshotSource(_ catalog: Catalog) -> ModelSource {
    ModelSource(ids: catalog.organisations.map(\.id), itemCounts: catalog.organisations.map(\.items.count),
                itemID: { catalog.itemID($0) },
                organisation: { catalog.exported(organisation: $0, includeRestricted: false, dependencies: false, filePath: storedPath) })
}

/// `scan --save` writes the snapshot on a second thread, beside the rest of the scan. It
/// starts before the files are read (`init`), when a new database is created and its
/// transaction begun meanwhile, and writes two parts, each as soon as what it needs exists:
///
/// 1. `resolved`, called when the catalogue is resolved (`PipelineOptions.onResolved`),
///    so while the checks run: the organisations, items and dependencies, each organisation
///    exported on helper threads a batch ahead of SQLite (`snapshotSource`), the
///    dependencies straight from the catalogue's graph as positions; organisations stored
///    already as they are now are only listed;
/// 2. `finish(_:)`, once the checks are done: the findings (their fingerprints and digests
///    computed on a helper meanwhile), the coverage table (likewise) and the snapshot's
///    row, then COMMIT.
final class BackgroundSave: @unchecked Sendable {
    struct Timings {
        var id: Int64
        /// Wall clock of each part, in order.
        var stages: [(stage: String, seconds: Double)]
        /// CPU time of the saving thread.
        var cpu: Double
        /// Organisations written, and those stored already as they are (see `SnapshotWriter.model`).
        var written = 0, unchanged = 0
    }

    /// What the saving thread is handed, in order.
    private enum Handed {
        case catalog(Catalog)
        case checked(PipelineResult)
        case cancelled
    }
    /// The scan was cancelled (an error, a signal) before the save had all it needs.
    private static let unfinished = InputProblem("the scan did not finish; nothing saved")

    private let inbox = NSCondition()
    private var handed: [Handed] = []

    private let done = DispatchSemaphore(value: 0)
    private let preparing = DispatchGroup()
    private var preparedFindings: PreparedFindings?
    private var outcome: Result<Timings, Error>?

    /// The database given already open (an existing one, checked before the scan), if so.
    private var opened: HistoryStore?

    /// `opened`: the database, when it exists (opened before the scan); otherwise a new one is
    /// staged beside `database` and appears there whole.
    init(database: String, opened: HistoryStore?, paths: [String], settings: ScanSettings) {
        self.opened = opened
        let takenAt = Date()
        Thread.detachNewThread { [self] in
            let cpuStart = threadCPUTime()
            var stages: [(stage: String, seconds: Double)] = []
            var lap = Date()
            func stage(_ name: String) {
                let now = Date()
                stages.append((name, now.timeIntervalSince(lap)))
                lap = now
            }
            do {
                // A helper asks git for the commit meanwhile.
                let helpers = DispatchGroup()
                nonisolated(unsafe) var commit: String?
                DispatchQueue.global().async(group: helpers) { commit = gitCommit(for: paths) }

                // A new database is staged beside its path and appears there whole. It is
                // created, and its transaction begun, while the files are read; an existing
                // one is only locked (the transaction begun) once there is something to write.
                defer { StagedFile.removeOnExit(nil) }
                let store = try self.opened ?? openStore(database, create: true, stageNewFile: true)
                self.opened = nil
                let early = try store.stagingPath == nil ? nil : storeCall { () throws(StoreError) in try SnapshotWriter(store) }
                stage("open")
                guard case .catalog(let catalog) = take() else {
                    early?.cancel()
                    throw Self.unfinished
                }
                stage("wait for the catalogue")

                // The graph's edges are positions in the model's item list: every organisation
                // is exported, in the catalogue's order. Each item's targets sorted, so that the
                // list comes sorted and the writer need not sort it.
                var edges: [(from: Int32, to: Int32)] = []
                edges.reserveCapacity(catalog.dependencies.edgeCount)
                for v in 0..<catalog.items.count {
                    let first = edges.count
                    for w in catalog.dependencies.neighbours(v) { edges.append((Int32(v), w)) }
                    if edges.count - first > 1 { edges[first...].sort { $0.to < $1.to } }
                }
                var dependencies = 0
                for o in catalog.organisations where !o.isNational {
                    for v in o.items { dependencies += catalog.dependencies.neighbours(v).count }
                }
                var checked: PipelineResult?
                nonisolated(unsafe) var coverage: CoverageTable?

                // One snapshot through `writer`, committed.
                func write(_ writer: SnapshotWriter) throws -> (id: Int64, written: Int, unchanged: Int) {
                    try storeCall { () throws(StoreError) in try writer.model(snapshotSource(catalog), edges: edges) }
                    stage("organisations")

                    if checked == nil {
                        guard case .checked(let result) = take() else {
                            writer.cancel()
                            throw Self.unfinished
                        }
                        checked = result
                        stage("wait for the checks")
                    }
                    let result = checked!
                    if coverage == nil {
                        DispatchQueue.global().async(group: helpers) { coverage = result.coverage(byCounty: false) }
                    }
                    preparing.wait()
                    let findings = preparedFindings!
                    try storeCall { () throws(StoreError) in try writer.findings(findings) }
                    stage("findings")
                    helpers.wait()
                    try storeCall { () throws(StoreError) in try writer.coverage(CoverageRecord.records(coverage!)) }
                    stage("coverage")
                    let summary = result.summary
                    let info = SnapshotInfo(
                        takenAt: takenAt, paths: paths.map(absolutePath), gitCommit: commit, toolVersion: toolVersion,
                        national: catalog.organisations.contains { $0.isNational }, settings: settings.json, files: summary.files,
                        organisations: summary.organisations, items: summary.items, dependencies: dependencies,
                        errors: summary.errors, warnings: summary.warnings, infos: summary.infos)
                    let id = try storeCall { () throws(StoreError) in try writer.commit(info) }
                    stage("commit")
                    return (id, writer.versionsWritten, writer.versionsReused)
                }

                var saved = try write(early ?? storeCall { () throws(StoreError) in try SnapshotWriter(store) })
                if store.stagingPath != nil {
                    let published = try storeCall { () throws(StoreError) in try store.publish() }
                    stage("publish")
                    if !published {
                        // Another process created the database meanwhile (or the file system
                        // has no hard links): the snapshot goes into that file, the usual way.
                        let existing = try openStore(database, create: true)
                        saved = try write(storeCall { () throws(StoreError) in try SnapshotWriter(existing) })
                    }
                }
                outcome = .success(Timings(id: saved.id, stages: stages, cpu: threadCPUTime() - cpuStart,
                                           written: saved.written, unchanged: saved.unchanged))
            } catch {
                outcome = .failure(error)
            }
            done.signal()
        }
    }

    private func hand(_ thing: Handed) {
        inbox.lock()
        handed.append(thing)
        inbox.signal()
        inbox.unlock()
    }

    /// The next thing handed over, in order (waits for one).
    private func take() -> Handed {
        inbox.lock()
        defer { inbox.unlock() }
        while handed.isEmpty { inbox.wait() }
        return handed.removeFirst()
    }

    /// The catalogue is resolved: the organisations, items and dependencies go in.
    func resolved(_ catalog: Catalog) { hand(.catalog(catalog)) }

    /// Hands over the checked result: the findings, coverage and counts go in, then COMMIT.
    func finish(_ result: PipelineResult) {
        // The findings' fingerprints and digests are computed meanwhile, beside the model's writing.
        DispatchQueue.global().async(group: preparing) { self.preparedFindings = PreparedFindings(result.findings) }
        hand(.checked(result))
    }

    /// Nothing more comes: the snapshot is rolled back. Returns once the saving thread has
    /// ended, so that a new database's staged file is gone before the process exits.
    func cancel() {
        hand(.cancelled)
        done.wait()
    }

    /// Waits for the save; returns the snapshot id and how long its parts took.
    func wait() throws -> Timings {
        done.wait()
        keepUntilExit.append(self)
        return try outcome!.get()
    }
}

/// A new database being staged (`HistoryStore.stagingPath`) is deleted when the process
/// ends before it is published — interrupted (SIGINT, SIGTERM, SIGHUP, SIGQUIT), its output
/// pipe closed (SIGPIPE) or exiting early —
/// so that an interrupted first save leaves no half-written `PATH.new-PID` behind. (The
/// store deletes it itself when it is released unpublished; this covers the process ending
/// first. SIGKILL cannot be caught.)
enum StagedFile {
    /// The path as a C string, read by the signal handler (which may only call
    /// async-signal-safe functions such as unlink).
    nonisolated(unsafe) private static var path: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var installed = false

    static func removeOnExit(_ newPath: String?) {
        let old = path
        path = newPath.map { strdup($0) }
        free(old)
        guard newPath != nil, !installed else { return }
        installed = true
        atexit {
            StagedFile.terminating.store(true, ordering: .sequentiallyConsistent)
            StagedFile.removeNow()
        }
        // SIGPIPE: a report piped into `head` ends infra before the save does.
        for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] {
            // A signal ignored when infra started stays ignored: `nohup infra scan --save …`
            // must outlive the terminal, and a script's `infra … &` must not die of Ctrl-C.
            var current = sigaction()
            sigaction(s, nil, &current)
            if let handler = current.__sigaction_handler.sa_handler, unsafeBitCast(handler, to: Int.self) == 1 { continue }  // SIG_IGN
            signal(s) { number in
                StagedFile.terminating.store(true, ordering: .sequentiallyConsistent)
                StagedFile.removeNow()
                signal(number, SIG_DFL)
                raise(number)
            }
        }
    }

    /// Set by the signal handler before it deletes the file, on whichever thread it runs:
    /// a file another thread creates meanwhile is deleted by that thread (`follow`).
    private static let terminating = Atomic<Bool>(false)

    /// `HistoryStore`'s staged file, followed from before it exists.
    static func follow(_ step: StagingStep) {
        switch step {
        case .creating(let path): removeOnExit(path)
        case .created(let path): if terminating.load(ordering: .sequentiallyConsistent) { unlink(path) }
        case .notCreated: removeOnExit(nil)
        }
    }

    private static func removeNow() {
        if let path { unlink(path) }
    }
}

/// The CPU time the calling thread has used, in seconds.
func threadCPUTime() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func absolutePath(_ path: String) -> String {
    URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL.path
}

/// Whether two paths name the same file, through links (either may not exist yet).
func samePath(_ a: String, _ b: String) -> Bool {
    let resolved = { (p: String) in URL(fileURLWithPath: absolutePath(p)).resolvingSymlinksInPath().path }
    return resolved(a) == resolved(b)
}
