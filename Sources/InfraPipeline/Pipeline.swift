import Foundation
import InfraChecks
import InfraGraph
import InfraLoad
import InfraModel
import InfraReference

/// What the commands share: load → resolve → check, as plain values.
public struct PipelineOptions: Sendable {
    public var includeNational = true
    /// Also time each check (for `--timings`).
    public var detailedTimings = false
    /// Run the analysis checks (scan) and not only validation (validate).
    public var analysis = false
    public var checkOptions: CheckOptions
    public var vocabulary: Vocabulary
    public var sweden: Sweden
    /// Called with the catalogue as soon as it is resolved, before the checks run, on the
    /// pipeline's thread: work that needs only the model (`scan --save` writing it) can
    /// start beside the checks.
    public var onResolved: (@Sendable (Catalog) -> Void)?

    public init(today: CalendarDate = .today) {
        checkOptions = CheckOptions(today: today)
        vocabulary = Reference.vocabulary
        sweden = Reference.sweden
    }
}

public struct PipelineResult: Sendable {
    public var files: [FileResult]
    public var catalog: Catalog
    public var findings: [Finding]
    public var summary: Summary
    public var context: CheckContext
    /// How long each stage took, in seconds (load, resolve, check).
    public var timings: [(stage: String, seconds: Double)]
    /// The resident memory after each stage, in bytes (load, resolve, check); only with
    /// `detailedTimings`, and only where Linux's /proc tells.
    public var memory: [(stage: String, bytes: Int)] = []
}

public enum Pipeline {
    /// Files and directories → findings. Throws only for problems with the paths themselves.
    public static func run(paths: [String], options: PipelineOptions) throws(InputError) -> PipelineResult {
        let t0 = Date()
        return try run(listed: try Loader.yamlFiles(in: paths), options: options, since: t0)
    }

    /// The YAML files `Loader.yamlFiles` listed → findings. `since`: when listing began
    /// (it counts as loading).
    public static func run(listed: [String], options: PipelineOptions, since t0: Date = Date()) throws(InputError) -> PipelineResult {
        let files = try Loader.load(files: listed)
        let loaded = options.detailedTimings ? ResidentMemory.current() : nil
        var result = run(files: files, options: options, loadSeconds: Date().timeIntervalSince(t0))
        if let loaded { result.memory.insert(("load", loaded), at: 0) }
        return result
    }

    public static func run(files: [FileResult], options: PipelineOptions, loadSeconds: Double = 0) -> PipelineResult {
        let t1 = Date()
        var inventories: [Inventory] = []
        if options.includeNational {
            inventories += Reference.nationalInventories.compactMap(\.inventory)
        }
        inventories += files.compactMap(\.inventory)
        // Files that could not be read, with the organisation each began with (its items may be missing).
        let broken = files.filter { $0.inventory == nil }
        let organisationOf = Dictionary(broken.map { ($0.path, $0.unreadOrganisation) }, uniquingKeysWith: { a, _ in a })
        let unread = broken.flatMap(\.findings).unreadFiles.map { UnreadFile(file: $0.file, organisation: organisationOf[$0.file] ?? nil) }
        let catalog = Catalog(inventories: inventories, unread: unread)
        options.onResolved?(catalog)
        let t2 = Date()
        var memory: [(stage: String, bytes: Int)] = []
        if options.detailedTimings, let bytes = ResidentMemory.current() { memory.append(("resolve", bytes)) }
        // Two lanes on two cores: the graph facts and the checks that read them, beside
        // the checks that do not. Checks only read the catalogue, so they can share it.
        let checks = options.analysis ? Checks.all : Checks.validation
        let lanes = [checks.filter(\.usesGraphFacts), checks.filter { !$0.usesGraphFacts }]
        let plain = CheckContext(catalog: catalog, vocabulary: options.vocabulary, sweden: options.sweden,
                                 options: options.checkOptions)
        let results = LaneResults()
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            var context = plain
            var detail: [(stage: String, seconds: Double)] = []
            if lane == 0, options.analysis {
                let start = Date()
                context.facts = GraphFacts(catalog: catalog)
                detail.append(("  graph facts", Date().timeIntervalSince(start)))
            }
            var found: [Finding] = []
            for check in lanes[lane] {
                let start = Date()
                found += check.run(context)
                detail.append(("  \(type(of: check))", Date().timeIntervalSince(start)))
            }
            results.set(lane, found, detail, lane == 0 ? context : nil)
        }
        let context = results.context ?? plain
        var detail = results.detail
        // A value shared through an alias (`capability: *cap`, `depends_on: *common`) is one
        // finding where it is written, naming the items, as the loader's are.
        var findings = files.flatMap(\.findings) + Finding.mergingRepeats(catalog.findings + results.findings)
        // A second file's header with a name and no type is a duplicate header first: adding
        // the type, as "missing type" would say, leaves two full headers; deleting the name
        // fixes both.
        let duplicateHeaders = Set(catalog.findings.lazy.filter { $0.rule == .duplicateHeader }.map { [$0.file ?? "", String($0.line ?? 0)] })
        if !duplicateHeaders.isEmpty {
            findings.removeAll { $0.rule == .missingRequired && $0.item == nil && duplicateHeaders.contains([$0.file ?? "", String($0.line ?? 0)]) }
        }
        // Every file skipped as not an inventory: nothing was checked, which must not pass as clean.
        if !files.isEmpty, files.allSatisfy({ $0.skippedReason != nil }) {
            findings.append(Finding(rule: .noInventory, severity: .warning,
                                    message: (files.count == 1 ? "the YAML file given is not an inventory"
                                        : "none of the \(files.count) YAML files given is an inventory") + "; nothing was checked",
                                    help: "check the paths given; an inventory starts with `inventory: 1` (`infra init` prints a starter)"))
        }
        let sortStart = Date()
        findings.sort(by: Finding.reportOrder)
        detail.append(("  sort", Date().timeIntervalSince(sortStart)))
        let t3 = Date()
        if options.detailedTimings, let bytes = ResidentMemory.current() { memory.append(("check", bytes)) }

        var summary = Summary()
        summary.files = files.count
        let user = catalog.organisations.filter { !$0.isNational }
        summary.organisations = user.count
        summary.items = user.reduce(0) { $0 + $1.items.count }
        summary.count(findings)
        return PipelineResult(files: files, catalog: catalog, findings: findings, summary: summary, context: context,
                              timings: [("load", loadSeconds), ("resolve", t2.timeIntervalSince(t1)),
                                        ("check", t3.timeIntervalSince(t2))] + (options.detailedTimings ? detail : []),
                              memory: memory)
    }
}

/// What the two check lanes found, collected under a lock.
private final class LaneResults: @unchecked Sendable {
    private let lock = NSLock()
    private var lanes: [[Finding]] = [[], []]
    private var details: [[(stage: String, seconds: Double)]] = [[], []]
    private(set) var context: CheckContext?

    func set(_ lane: Int, _ findings: [Finding], _ detail: [(stage: String, seconds: Double)], _ context: CheckContext?) {
        lock.lock()
        defer { lock.unlock() }
        lanes[lane] = findings
        details[lane] = detail
        if let context { self.context = context }
    }

    var findings: [Finding] { lanes[0] + lanes[1] }
    var detail: [(stage: String, seconds: Double)] { details[0] + details[1] }
}

extension CalendarDate {
    /// Today's date in UTC.
    public static var today: CalendarDate {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        return CalendarDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }
}
