import InfraModel

/// The `json` format:
/// `{"findings": [{rule, severity, message, file, line, column, organisation, item, related, help}],
///   "summary": {files, organisations, items, errors, warnings, infos}, "failed": bool}`.
/// Unknown values are `null`; keys always appear, in this order. With a findings baseline
/// (given or written), each finding has its `fingerprint` too.
enum FindingsJSON {
    static func render(_ report: FindingsReport) -> String {
        document(members(report))
    }

    /// The document's members; `findings` made and written in parallel batches (a country's
    /// scan has ten thousand of them). More members (the scan's overview) may follow.
    static func members(_ report: FindingsReport) -> [(String, JSONWriter.StreamedMember)] {
        let findings = report.sortedFindings
        let withFingerprints = report.baselineFile != nil || report.writingBaseline
        var members: [(String, JSONWriter.StreamedMember)] = [
            // With a findings baseline, each finding carries what the baseline matches it by.
            ("findings", .elements(count: findings.count, batch: 4096, make: { value(findings[$0], fingerprint: withFingerprints) })),
            ("summary", .value(value(report.summary))),
            // The run's verdict, as the exit code gives it (`--fail-on warning`, `--strict-baseline`).
            ("failed", .value(.bool(report.failed))),
        ]
        if let accepted = report.acceptedByBaseline { members.append(("baseline_accepted", .value(.int(accepted)))) }
        // `scan --strict-baseline`: what fails the run besides the findings.
        if !report.disappeared.isEmpty {
            members.append(("baseline_disappeared", .value(.strings(report.disappeared))))
        }
        return members
    }

    /// A streamed document collected into one String (these reports are megabytes, not hundreds).
    static func document(_ members: [(String, JSONWriter.StreamedMember)]) -> String {
        var out: [UInt8] = []
        JSONWriter.stream(members) { (piece: [UInt8]) in out.append(contentsOf: piece) }
        return String(decoding: out, as: UTF8.self)
    }

    /// `fingerprint`: add the finding's fingerprint (`Fingerprint.of`, as a findings baseline
    /// holds it), for joining the two. Only then: it costs ~12,000 instructions a finding.
    static func value(_ f: Finding, fingerprint: Bool = false) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("rule", .string(f.rule.rawValue)),
            ("severity", .string(f.severity.rawValue)),
            ("message", .string(f.message)),
            ("file", .string(f.file)),
            ("line", .int(f.line)),
            ("column", .int(f.column)),
            ("organisation", .string(f.organisation)),
            ("item", .string(f.item)),
            ("related", .strings(f.related)),
            ("help", .string(f.help)),
        ]
        if fingerprint { pairs.append(("fingerprint", .string(Fingerprint.of(f)))) }
        return .object(pairs)
    }

    static func value(_ s: Summary) -> JSONValue {
        .object([
            ("files", .int(s.files)),
            ("organisations", .int(s.organisations)),
            ("items", .int(s.items)),
            ("errors", .int(s.errors)),
            ("warnings", .int(s.warnings)),
            ("infos", .int(s.infos)),
        ])
    }
}
