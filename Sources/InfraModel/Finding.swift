public enum Severity: String, CaseIterable, Sendable, Comparable, Codable {
    case info, warning, error

    var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A stable rule identifier such as `unknown-key` or `dependency-cycle`.
/// Ids never change once published: CI baselines and SARIF consumers key on them.
public struct RuleID: RawRepresentable, Hashable, Sendable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: RuleID, b: RuleID) -> Bool { a.rawValue < b.rawValue }
}

/// One thing a scan reports.
public struct Finding: Sendable, Hashable {
    public var rule: RuleID
    public var severity: Severity
    public var message: String
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var organisation: String?
    public var item: String?
    /// Other items the finding is about, as `org/item`.
    public var related: [String]
    /// What to do about it, in one sentence.
    public var help: String?

    public init(
        rule: RuleID, severity: Severity, message: String,
        file: String? = nil, position: TextPosition? = nil,
        organisation: String? = nil, item: String? = nil,
        related: [String] = [], help: String? = nil
    ) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.file = file
        if let position, position.isKnown {
            self.line = Int(position.line)
            self.column = Int(position.column)
        }
        self.organisation = organisation
        self.item = item
        self.related = related
        self.help = help
    }

    /// Sort order for reports: by file, then position, then rule.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        let fa = a.file ?? "\u{10FFFF}", fb = b.file ?? "\u{10FFFF}"
        if fa != fb { return fa < fb }
        let la = a.line ?? Int.max, lb = b.line ?? Int.max
        if la != lb { return la < lb }
        let ca = a.column ?? Int.max, cb = b.column ?? Int.max
        if ca != cb { return ca < cb }
        if a.rule != b.rule { return a.rule < b.rule }
        if a.organisation != b.organisation { return (a.organisation ?? "") < (b.organisation ?? "") }
        if a.item != b.item { return (a.item ?? "") < (b.item ?? "") }
        return a.message < b.message
    }
}

extension Finding {
    /// One finding for a mistake in an anchored value that several items merge or alias
    /// (`<<: *defaults`, `capability: *cap`): it is located where it is written, once, naming
    /// the items. (After " — ", so that its fingerprint is the single finding's.) The loader
    /// merges a file's findings so, and the pipeline the checks' (an unknown capability
    /// shared through an alias).
    public static func mergingRepeats(_ findings: [Finding]) -> [Finding] {
        guard findings.count > 1 else { return findings }
        // A repeat shares its first's place: places are compared as integers first, and only
        // findings at one place by rule, file and message (hashing those for every finding cost
        // ~10,000 instructions each, ~100 M for a country's scan). Fields are read in place.
        // A place is its file (numbered: findings come file by file, so the last file answers
        // most), line and column. (Line and column alone chained a finding of every file at
        // the same place, a header's, so that 5,000 organisations compared 5,000² file names.)
        struct Place: Hashable { var file: Int32, line: Int32, column: Int32 }
        var fileNumbers: [String: Int32] = [:]
        var lastFile: String?, lastNumber: Int32 = -1
        var latestAt: [Place: Int32] = [:]
        latestAt.reserveCapacity(findings.count)
        struct Said: Hashable { var rule: RuleID, message: String }
        var indexAt: [Place: [Said: Int32]] = [:]
        var earlierAt = [Int32](repeating: -1, count: findings.count)  // the previous finding at the same place
        var repeatOf = [Int32](repeating: -1, count: findings.count)   // the first finding it repeats
        var repeats = false
        for k in findings.indices {
            // Only a finding at a known place can repeat one through an alias.
            guard let line = findings[k].line else { continue }
            let file = findings[k].file
            if lastNumber < 0 || file != lastFile {
                let key = file ?? "\u{0}"  // (no path holds a NUL)
                lastNumber = fileNumbers[key] ?? Int32(fileNumbers.count)
                fileNumbers[key] = lastNumber
                lastFile = file
            }
            let place = Place(file: lastNumber, line: Int32(truncatingIfNeeded: line), column: Int32(truncatingIfNeeded: findings[k].column ?? 0))
            if let latest = latestAt[place] {
                if indexAt[place] != nil {
                    let key = Said(rule: findings[k].rule, message: findings[k].message)
                    if let first = indexAt[place]![key] {
                        repeatOf[k] = first
                        repeats = true
                        continue
                    }
                    indexAt[place]![key] = Int32(k)
                    latestAt[place] = Int32(k)
                    continue
                }
                // Only first findings are chained, so that 50,000 repeats of one (an alias every
                // item uses) are each compared with it, not with every repeat before them.
                var j = latest, steps = 0
                while j >= 0 {
                    let i = Int(j)
                    if findings[i].rule == findings[k].rule, findings[i].message == findings[k].message {
                        repeatOf[k] = j
                        repeats = true
                        break
                    }
                    j = earlierAt[i]
                    steps += 1
                }
                if repeatOf[k] >= 0 { continue }
                earlierAt[k] = latest
                // Many different findings at one place (an alias every item uses, each finding
                // naming its item): compared each with all before it, 32,000 took 9 s. Past 16,
                // the place's first findings are looked up by rule and message instead.
                if steps >= 16 {
                    var index: [Said: Int32] = [:]
                    var i = Int32(k)
                    while i >= 0 {
                        index[Said(rule: findings[Int(i)].rule, message: findings[Int(i)].message)] = i  // the earliest stays
                        i = earlierAt[Int(i)]
                    }
                    indexAt[place] = index
                }
            }
            latestAt[place] = Int32(k)
        }
        guard repeats else { return findings }

        var out: [Finding] = []
        var position = [Int](repeating: -1, count: findings.count)  // a first finding's place in `out`
        var items: [Int: [String]] = [:]
        for k in findings.indices {
            let first = Int(repeatOf[k])
            guard first >= 0 else {
                position[k] = out.count
                out.append(findings[k])
                continue
            }
            let o = position[first]
            if let item = findings[k].item { items[o, default: [out[o].item].compactMap { $0 }].append(item) }
        }
        for (o, all) in items {
            var seen = Set<String>()
            let names = all.filter { seen.insert($0).inserted }
            guard names.count > 1 else { continue }
            // Named up to 10 (an alias 50,000 items use made a 489 KB line). Not as `related`:
            // that would make the items the fingerprint's subject, and a findings baseline would
            // lose the finding whenever one more item used the alias.
            let note = "used by \(names.count) items through an alias: " + names.prefix(10).map { "`\($0)`" }.joined(separator: ", ")
                + (names.count > 10 ? " and \(names.count - 10) more" : "")
            out[o].message += out[o].message.contains(" — ") ? " (\(note))" : " — " + note
        }
        return out
    }
}

/// Counts shown at the end of every report.
public struct Summary: Sendable, Hashable {
    public var files = 0
    public var organisations = 0
    public var items = 0
    public var errors = 0
    public var warnings = 0
    public var infos = 0

    public init() {}

    public mutating func count(_ findings: [Finding]) {
        for f in findings {
            switch f.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .info: infos += 1
            }
        }
    }
}

extension Array where Element == String {
    /// The first `shown` joined, then "and N more": a list in a message or on a terminal line
    /// stays short however many there are (every one is still in a finding's `related`).
    public func joinedShort(first shown: Int = 10, separator: String = ", ") -> String {
        guard count > shown + 1 else { return joined(separator: separator) }
        return prefix(shown).joined(separator: separator) + " and \(count - shown) more"
    }
}
