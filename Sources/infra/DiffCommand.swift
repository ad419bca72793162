import ArgumentParser
import Foundation
import InfraLoad
import InfraModel
import InfraPipeline
import InfraReport
import InfraStore

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed between two snapshots, or between the last snapshot and the inventories on disk.",
        discussion: """
        Organisations and items added, removed and changed (field by field), dependencies \
        added and removed, findings that appeared and disappeared (matched by fingerprint, \
        not by line), and coverage per capability and organisation type, up or down.

        Arguments: snapshot ids (see `infra history`), then inventory paths.
          infra diff                  # the last two snapshots
          infra diff 3                # snapshot 3 against the last one
          infra diff 3 7              # snapshot 3 against snapshot 7
          infra diff inventories/     # the last snapshot against the files now
          infra diff 3 inventories/   # snapshot 3 against the files now
          infra diff --format markdown inventories/ > pr-comment.md

        The inventories on disk are scanned as the old snapshot was (national inventories, \
        --country, --spof, --stale-months, --baseline). A number that names an existing file or directory is \
        still read as a snapshot id: write ./3 for a directory named 3.
        """)

    @Argument(help: ArgumentHelp("[OLD] [NEW | PATH...]: snapshot ids, then inventory files or directories.",
                                 valueName: "snapshot-or-path"))
    var arguments: [String] = []

    @Option(help: "The history database.")
    var db: String = defaultDatabase

    @Option(help: "Output format: text, markdown, json.")
    var format: DiffFormatArgument = .text

    // .unconditional: `--limit -1` is a value (refused in validate()), not an unknown flag "-1".
    @Option(parsing: .unconditional, help: "At most this many lines per list in text and markdown (markdown defaults to 50; json is always complete).")
    var limit: Int?

    @Flag(help: "Print the time loading, scanning and comparing took, on stderr.")
    var timings = false

    func validate() throws {
        if let signed = arguments.first(where: { $0.count > 1 && $0.first == "+" && isSnapshotID(String($0.dropFirst())) }),
           !FileManager.default.fileExists(atPath: signed) {
            throw ValidationError("\(signed): a snapshot id is a plain number (\(signed.dropFirst()), not \(signed)); `infra history` lists them")
        }
        let ids = arguments.prefix { isSnapshotID($0) }
        if ids.count > 2 { throw ValidationError("give at most two snapshot ids (OLD NEW)") }
        if let huge = ids.first(where: { Int64($0) == nil }) {
            throw ValidationError("no snapshot \(huge): ids are whole numbers below 2^63; `infra history` lists them")
        }
        if ids.count == 2, arguments.count > 2 {
            throw ValidationError("give either a second snapshot id or inventory paths, not both")
        }
        if arguments.dropFirst(ids.count).contains(where: isSnapshotID) {
            throw ValidationError("snapshot ids come before inventory paths")
        }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func isSnapshotID(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) }

    func run() throws {
        let started = Date()
        let store = try openStore(db, create: false)
        let ids = arguments.prefix { isSnapshotID($0) }.compactMap { Int64($0) }  // each fits: see validate()
        let paths = Array(arguments.dropFirst(ids.count))
        var stages: [(String, Double)] = []
        func lap(_ name: String, _ since: Date) { stages.append((name, Date().timeIntervalSince(since))) }

        let changes: InventoryChanges
        if paths.isEmpty {
            var pair = ids
            let latest = try storeCall { () throws(StoreError) in try store.latestIDs(2) }
            if pair.isEmpty {
                guard latest.count == 2 else {
                    throw InputProblem("\(db): holds \(latest.count) snapshot\(latest.count == 1 ? "" : "s"); diff needs two, or inventory paths to compare the last one with")
                }
                pair = latest
            } else if pair.count == 1 {
                guard let last = latest.last else { throw InputProblem("\(db): holds no snapshots") }
                pair.append(last)
            }
            let t = Date()
            // Both snapshots are read side by side and compared in the store.
            var compared = try storeCall { () throws(StoreError) in try store.changes(from: pair[0], to: pair[1]) }
            let (a, b) = try storeCall { () throws(StoreError) in (try store.snapshotInfo(pair[0]), try store.snapshotInfo(pair[1])) }
            var differ = ScanSettings(json: b.settings).differences(from: ScanSettings(json: a.settings))
            if a.national != b.national { differ.insert("national inventories \(a.national ? "in" : "left out") → \(b.national ? "in" : "left out")", at: 0) }
            if !differ.isEmpty {
                compared.notes.append("The two snapshots were scanned with different settings (\(differ.joined(separator: ", "))): "
                    + "findings and coverage may have changed for that reason, not because the inventories did")
            }
            changes = compared
            lap("load and compare", t)
        } else {
            let oldID: Int64
            if let id = ids.first {
                oldID = id
            } else {
                guard let last = try storeCall({ () throws(StoreError) in try store.latestIDs(1) }).last else {
                    throw InputProblem("\(db): holds no snapshots to compare the inventories with")
                }
                oldID = last
            }
            let old = try storeCall { () throws(StoreError) in try store.snapshotInfo(oldID) }
            var t = Date()
            let new = try scan(paths, like: old)
            keepUntilExit.append(new)
            lap("scan", t)
            t = Date()
            changes = try storeCall { () throws(StoreError) in try store.changes(from: oldID, to: new) }
            lap("load and compare", t)
        }
        try storeCall { () throws(StoreError) in try store.verifyUnchanged() }
        let r = Date()
        let limit = self.limit ?? (format == .markdown ? 50 : nil)
        try write(DiffRenderer.render(changes, as: format.value, limit: limit, color: format == .text && useColor))
        lap("render", r)
        if timings {
            let line = (stages + [("total", Date().timeIntervalSince(started))])
                .map { "\($0.0) " + String(format: "%.3f s", $0.1) }.joined(separator: " · ")
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// The inventories on disk, scanned as the old snapshot was.
    func scan(_ paths: [String], like old: SnapshotInfo) throws -> Snapshot {
        let settings = ScanSettings(json: old.settings)
        var options = PipelineOptions()
        options.includeNational = old.national
        options.analysis = true
        options.checkOptions.country = settings.country
        options.checkOptions.spofThreshold = settings.spof
        options.checkOptions.staleMonths = settings.staleMonths
        if let baseline = settings.baseline {
            do {
                options.vocabulary.baseline = try loadBaseline(baseline)
            } catch let problem as InputProblem {
                // The path came from the snapshot, not from this command line: say so, and the ways on.
                throw InputProblem("snapshot \(old.id) was scanned with --baseline \(baseline), and diff scans the inventories on disk "
                    + "the same way: \(problem.message). Put the file back, or compare two snapshots instead (`infra diff OLD NEW`)")
            }
        }
        let result: PipelineResult
        do throws(InputError) {
            result = try Pipeline.run(paths: paths, options: options)
        } catch {
            throw InputProblem(error.description)
        }
        keepUntilExit.append(result)
        return makeSnapshot(result, paths: paths, settings: settings)
    }
}

enum DiffFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, json
    var value: DiffFormat { DiffFormat(rawValue: rawValue)! }
}
