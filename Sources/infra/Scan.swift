import ArgumentParser
import Foundation
import InfraChecks
import InfraModel
import InfraPipeline
import InfraReference
import InfraReport
import InfraStore

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate and analyse: gaps, duplicates, single points of failure, gauge breaks.",
        discussion: """
        Builds one dependency graph over every organisation given (and the national components) \
        and reports, top to bottom: a summary, baseline gaps per organisation, the items with \
        the largest blast radius (single points of failure above --spof), consolidation \
        candidates, gauge breaks, then every finding.

        Examples:
          infra scan examples/vasternorrland
          # one organisation's findings; the graph stays whole
          infra scan --org sundsvall examples/vasternorrland
          infra scan --format markdown inventories/ >> "$GITHUB_STEP_SUMMARY"
          # also: the kommuner and regioner with no inventory
          infra scan --country inventories/
          # record a snapshot (infra history, diff, trend)
          infra scan inventories/ --save infra.db
          # CI: accept today's findings, then fail only on new ones
          infra scan inventories/ --write-baseline findings.json
          infra scan inventories/ --baseline-findings findings.json
        """)

    @OptionGroup var inputs: InputOptions

    @Option(help: "Output format: text, json, markdown, sarif, github, junit.")
    var format: ScanFormat = .text

    @Option(help: "Use this baseline file (`baseline: {kommun: [...], ...}`) instead of the built-in one.")
    var baseline: String?

    @Option(help: "Narrow the report to one organisation id (the graph stays whole; files that could not be read, and other organisations' single points of failure it depends on, are still reported).")
    var org: String?

    @Flag(help: "Country scope: also report municipalities and regions with no inventory.")
    var country = false

    // .unconditional: `--spof -1` is a value (refused in validate()), not an unknown flag "-1".
    @Option(parsing: .unconditional, help: "Report items whose risk score (dependent services, critical ones ×4) exceeds N.")
    var spof: Int = 25

    @Option(parsing: .unconditional, help: "Report items whose `reviewed` date is more than N months ago (default 12).")
    var staleMonths: Int = 12

    @Option(help: "Exit with 1 on errors only (error) or also on warnings (warning).")
    var failOn: FailOn = .error

    @Flag(help: "Print only the findings that fail the run (errors; warnings too with --fail-on warning) and the summary, without the overview (text format).")
    var quiet = false

    @Option(help: ArgumentHelp("Record a snapshot of this scan in a history database (created if missing; usually infra.db).",
                               valueName: "database"))
    var save: String?

    @Option(help: ArgumentHelp("Write the current findings to a baseline file of accepted findings.", valueName: "file"))
    var writeBaseline: String?

    @Option(help: ArgumentHelp("Report, and fail on, only the findings not in this baseline file (from --write-baseline).",
                               valueName: "file"))
    var baselineFindings: String?

    @Flag(help: "With --baseline-findings: also fail when a baselined finding has disappeared, so the baseline only shrinks.")
    var strictBaseline = false

    func validate() throws {
        if save?.isEmpty == true { throw ValidationError("--save needs the database's file name, e.g. --save infra.db") }
        if spof < 0 { throw ValidationError("--spof must be 0 or more") }
        if !(1...1200).contains(staleMonths) { throw ValidationError("--stale-months must be from 1 to 1200") }
        if strictBaseline, baselineFindings == nil {
            throw ValidationError("--strict-baseline needs --baseline-findings FILE")
        }
        if writeBaseline != nil, baselineFindings != nil {
            // Checking against a baseline while writing another accepted the new findings and
            // failed on them at once.
            throw ValidationError("--write-baseline and --baseline-findings go in separate runs: --write-baseline accepts every finding of the scan as the new baseline; --baseline-findings checks the scan against one")
        }
        if let writeBaseline, let save, samePath(writeBaseline, save) {
            throw ValidationError("--write-baseline and --save name the same file, \(save); give the baseline another name")
        }
    }

    func run() throws {
        // Problems with the baselines or the database are found before the (long) scan, so
        // that no snapshot is saved by a scan that then fails.
        let accepted = try baselineFindings.map(loadFindingsBaseline)
        if let writeBaseline {
            try refuseYAMLOutput(writeBaseline)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: writeBaseline, isDirectory: &isDirectory), isDirectory.boolValue {
                throw InputProblem("--write-baseline \(writeBaseline): a directory; give a file name, e.g. \(writeBaseline.hasSuffix("/") ? writeBaseline : writeBaseline + "/")infra-baseline.json")
            }
            let parent = parentDirectory(writeBaseline)
            let directory = parent.isEmpty ? "." : parent
            if access(directory, W_OK) != 0 {
                throw InputProblem("--write-baseline \(writeBaseline): \(directory) \(errno == ENOENT ? "does not exist" : "is not writable (\(String(cString: strerror(errno))))")")
            }
        }
        // An existing database, opened here, is the one the save then writes into.
        let started = StartedSave()
        if let save {
            if FileManager.default.fileExists(atPath: save) {
                started.store = try openStore(save, create: true)
            } else {
                try storeCall { () throws(StoreError) in try HistoryStore.checkDirectory(for: save) }
            }
        }

        var options = inputs.pipelineOptions()
        options.analysis = true
        options.checkOptions.country = country
        options.checkOptions.spofThreshold = spof
        options.checkOptions.staleMonths = staleMonths
        if let baseline { options.vocabulary.baseline = try loadBaseline(baseline) }
        // The save starts as the files are read (a new database is created meanwhile), and
        // the snapshot's model is written while the checks run.
        var startSaving: (() -> Void)?
        if let save {
            let (paths, settings) = (inputs.paths, ScanSettings(country: country, spof: spof, baseline: baseline.map(absolutePath), staleMonths: staleMonths))
            startSaving = {
                started.saving = BackgroundSave(database: save, opened: started.store, paths: paths, settings: settings)
            }
            options.onResolved = { catalog in started.saving?.resolved(catalog) }
        }
        let result: PipelineResult
        do {
            result = try inputs.run(options, beforeLoading: startSaving)
        } catch {
            started.saving?.cancel()
            throw error
        }
        let saving = started.saving
        if let org, result.catalog.organisation(org) == nil {
            saving?.cancel()
            let near = Suggest.nearest(to: org, in: result.catalog.organisations.map(\.id))
            throw InputProblem("--org \(org): no such organisation in the scan" + (near.map { " — did you mean `\($0)`?" } ?? ""))
        }
        let start = Date()
        saving?.finish(result)
        // The scan's findings about --org (all without it), before a baseline takes its own.
        let inView = result.inView(of: org)
        let scoped = result.findings.filter(inView)
        var findings = scoped
        // With a baseline, only the findings not in it are reported and counted. Matching
        // runs over every finding of the scan, so --org narrows the report, not the baseline.
        var gone: [FindingsBaseline.Entry] = []
        var acceptedInView: [Finding] = []
        if let accepted {
            let match = accepted.match(result.findings)
            findings = match.new.filter(inView)
            gone = match.gone
            acceptedInView = match.accepted.filter(inView)
            noteAccepted(match.accepted.count, in: baselineFindings!, quiet: quiet)
        }
        var narrowed = result.reporting(findings)
        if let org, let o = result.catalog.organisation(org) {
            narrowed.summary.organisations = 1
            narrowed.summary.items = result.catalog.organisations[o].items.count
        }
        // The overview describes the inventories as they are: a baseline narrows the
        // findings reported, not the shared products and gauge breaks listed (as it narrows
        // neither the baseline gaps nor the hotspots).
        let overview = result.overview(focus: org, findings: scoped)
        let disappeared = strictBaseline ? gone.map(Self.line) : []
        var findingsReport = report(narrowed, command: "scan", failOn: failOn, disappeared: disappeared)
        findingsReport.baselineFile = baselineFindings
        findingsReport.accepted = acceptedInView
        // Writing a baseline accepts every finding of the run (with no baseline to compare with).
        findingsReport.writtenBaseline = writeBaseline
        let text = ScanRenderer.render(overview, findingsReport, as: format.findingsFormat,
                                       options: renderOptions(narrowed, format.findingsFormat, quiet: quiet))
        try write(forActionsLog(text, format: format.findingsFormat))
        reportTimings(result, renderStart: start, if: inputs.timings)

        if let save, let saving {
            let waitStart = Date()
            let saved = try saving.wait()
            // `history` counts the scanned organisations only: say that these count the built-in ones too.
            let national = result.catalog.organisations.filter(\.isNational).count
            FileHandle.standardError.write(Data("""
                infra: saved snapshot \(saved.id) to \(save) (\(counted(saved.written, "organisation")) stored, \
                \(saved.unchanged) unchanged since an earlier snapshot\(national > 0 ? "; the \(national) built-in national ones counted too" : ""))

                """.utf8))
            // A weekly job must not record a drop nobody made without saying so.
            let unread = result.findings.unreadFiles
            if !unread.isEmpty {
                FileHandle.standardError.write(Data("""
                    infra: warning: snapshot \(saved.id) lacks the items of \(counted(unread.count, "file")) that could not be read \
                    (\(unread.map(\.file).joinedShort(first: 3))): `infra diff` and `infra trend` will show them as removed; \
                    fix \(unread.count == 1 ? "it" : "them") and save again

                    """.utf8))
            }
            for stale in HistoryStore.abandonedStagingFiles(for: save) {
                FileHandle.standardError.write(Data("""
                    infra: \(displayPath(stale.path)) is a new database left half-written by an earlier save (process \(stale.pid) \
                    has ended); it can be deleted

                    """.utf8))
            }
            if inputs.timings {
                let line = "save " + saved.stages.map { "\($0.stage) " + String(format: "%.3f s", $0.seconds) }.joined(separator: " · ")
                    + String(format: "; %.3f s after the render, %.3f s CPU", Date().timeIntervalSince(waitStart), saved.cpu)
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        }

        if let writeBaseline {
            let written = FindingsBaseline(findings: scoped)
            try writeNew(written.text(), to: writeBaseline)
            let n = written.entries.count
            FileHandle.standardError.write(Data("infra: wrote \(n) finding\(n == 1 ? "" : "s") to the baseline \(writeBaseline)\n".utf8))
            // Every finding of this scan is now accepted: writing the baseline succeeds.
            return
        }

        if !disappeared.isEmpty {
            var message = "infra: \(gone.count) finding\(gone.count == 1 ? "" : "s") of the baseline \(baselineFindings!) "
                + "\(gone.count == 1 ? "has" : "have") disappeared; " + FindingsReport.shrinkAdvice(newFindings: findings.count, disappeared: gone.count) + ":\n"
            for line in disappeared.prefix(20) { message += "  \(line)\n" }
            if gone.count > 20 { message += "  … and \(gone.count - 20) more\n" }
            FileHandle.standardError.write(Data(message.utf8))
        }
        // Exit code 1 exactly when the report says the run failed.
        if findingsReport.failed { throw ExitCode(1) }
    }

    /// A baseline entry that no finding matched, on one line: `rule org/item: message`
    /// (the fingerprint where the entry has nothing else).
    static func line(_ e: FindingsBaseline.Entry) -> String {
        let what = e.organisation.map { $0 + (e.item.map { "/" + $0 } ?? "") } ?? "-"
        let rule = e.rule.isEmpty ? "finding" : e.rule
        return "\(rule) \(what): " + (e.message.isEmpty ? (e.subject.isEmpty ? "fingerprint \(e.fingerprint)" : e.subject) : e.message)
    }
}

extension PipelineResult {
    /// The run as reported when only `findings` are (those a findings baseline did not
    /// accept, those about `--org`): they are the findings, and the only ones counted.
    func reporting(_ findings: [Finding]) -> PipelineResult {
        var narrowed = self
        narrowed.findings = findings
        narrowed.summary.errors = 0
        narrowed.summary.warnings = 0
        narrowed.summary.infos = 0
        narrowed.summary.count(findings)
        return narrowed
    }
}

/// Says on stderr how many findings a findings baseline accepted: they neither count nor
/// fail the run (SARIF still lists them, suppressed). Not under `--quiet`.
func noteAccepted(_ count: Int, in baseline: String, quiet: Bool) {
    guard count > 0, !quiet else { return }
    FileHandle.standardError.write(Data("infra: \(count) finding\(count == 1 ? "" : "s") accepted by \(baseline), not counted\n".utf8))
}

func loadFindingsBaseline(_ path: String) throws -> FindingsBaseline {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw InputProblem("\(path): no such file; write a findings baseline with `infra scan PATH --write-baseline \(path)`")
    }
    guard !isDirectory.boolValue else { throw InputProblem("\(path): a directory, not a findings baseline file") }
    guard let data = FileManager.default.contents(atPath: path) else { throw InputProblem("\(path): cannot read the findings baseline (permissions?)") }
    do throws(FindingsBaseline.FormatError) {
        return try FindingsBaseline.parse(data, file: path)
    } catch {
        throw InputProblem(error.description)
    }
}

enum ScanFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, sarif, github, junit
    var findingsFormat: FindingsFormat { FindingsFormat(rawValue: rawValue)! }
}

func loadBaseline(_ path: String) throws -> Baseline {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw InputProblem("\(path): cannot read baseline file" + (FileManager.default.fileExists(atPath: path) ? "" : " (no such file)"))
    }
    // `--write-baseline` writes a findings baseline; `--baseline` next to it reads as its pair.
    if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["findings"] != nil {
        throw InputProblem("\(path) is a findings baseline (as --write-baseline writes): give it with --baseline-findings. "
                           + "--baseline takes the capabilities each organisation type is expected to have, as YAML (`baseline: {kommun: [e-archive, …]}`)")
    }
    do throws(VocabularyError) {
        return try VocabularyReader.baseline(String(decoding: data, as: UTF8.self), file: path)
    } catch {
        throw InputProblem("\(path):\(error.position.line):\(error.position.column): \(error.message)")
    }
}

/// The save `scan --save` started before the files were read, and the existing database it
/// writes into, opened before the scan.
private final class StartedSave: @unchecked Sendable {
    var store: HistoryStore?
    var saving: BackgroundSave?
}
