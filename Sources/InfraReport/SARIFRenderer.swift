import InfraModel

/// SARIF 2.1.0 with one run: the rule catalogue in `tool.driver.rules`, one result per finding.
enum SARIFRenderer {
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"
    static let srcRoot = "%SRCROOT%"
    /// v2: the findings baseline's fingerprint with the occurrence (`…:2` for the second
    /// finding with it), so that no two results share one (v1 hashed the message alone, and
    /// the same slip in two files was one alert to code scanning).
    static let fingerprintKey = "infra/v2"

    /// `files`: those the scan read; a finding about no file (a kommun without an inventory,
    /// nothing to read) is placed at their common directory, because GitHub's code scanning
    /// refuses a whole upload with one result that has no file location.
    /// A place in a file: `locate` tells where an item is written.
    typealias Place = (file: String, line: Int, column: Int)

    static func render(_ report: FindingsReport, files: [String] = [], sourceRoot: String? = nil,
                       locate: (@Sendable (String) -> Place?)? = nil) -> String {
        JSONWriter.write(value(report, files: files, sourceRoot: sourceRoot, locate: locate)) + "\n"
    }

    static func value(_ report: FindingsReport, files: [String] = [], sourceRoot: String? = nil,
                      locate: (@Sendable (String) -> Place?)? = nil) -> JSONValue {
        // With a findings baseline, the findings it accepted are results too, suppressed
        // (§3.27.23, §3.35): left out, code scanning would close their alerts as fixed.
        // Ordered and fingerprinted with the rest, so that an alert keeps its fingerprint
        // whether or not a baseline accepts it.
        // A run writing the baseline accepts every finding into it.
        let baselineFile = report.writtenBaseline ?? report.baselineFile
        let marked = (report.findings.map { ($0, report.writingBaseline) } + report.accepted.map { ($0, true) })
            .sorted { Finding.reportOrder($0.0, $1.0) }
        let findings = marked.map(\.0)
        let anchor = commonDirectory(files)

        // Every catalogue rule, then any rule a finding names that the catalogue lacks,
        // so that every result's ruleIndex is valid.
        var rules: [RuleInfo] = []
        var index: [RuleID: Int] = [:]
        for rule in report.rules where index[rule.id] == nil {
            index[rule.id] = rules.count
            rules.append(rule)
        }
        var missing: [RuleID: Severity] = [:]
        for f in findings where index[f.rule] == nil {
            missing[f.rule] = max(missing[f.rule] ?? f.severity, f.severity)
        }
        var synthesized: Set<RuleID> = []
        for (id, severity) in missing.sorted(by: { $0.key < $1.key }) {
            index[id] = rules.count
            rules.append(RuleInfo(id: id, title: id.rawValue, severity: severity, rationale: ""))
            synthesized.insert(id)
        }

        let driver: JSONValue = .object([
            ("name", "infra"),
            ("version", .string(report.toolVersion)),
            ("informationUri", .string(report.informationURI)),
            ("rules", .array(rules.map { ruleValue($0, synthesized: synthesized.contains($0.id)) })),
        ])
        var run: [(String, JSONValue)] = [("tool", .object([("driver", driver)]))]
        // The category code scanning files the results under (§3.17; GitHub takes the id up to
        // its last `/`): scan's and validate's uploads do not replace each other.
        if let command = report.command {
            run.append(("automationDetails", .object([("id", .string("infra/\(command)/"))])))
        }
        // Where %SRCROOT% is, so that the relative paths can be resolved (SARIF §3.14.14).
        if let sourceRoot, sourceRoot.hasPrefix("/") {
            let directory = sourceRoot.hasSuffix("/") ? sourceRoot : sourceRoot + "/"
            run.append(("originalUriBaseIds", .object([(srcRoot, .object([("uri", .string(uri(forPath: directory)))]))])))
        }
        // `scan --strict-baseline`: the run fails for these too, said where a SARIF reader
        // looks for what happened beside the results.
        if !report.disappeared.isEmpty {
            let notifications: [JSONValue] = report.disappeared.map { line in
                .object([("level", "error"), ("message", .object([("text", .string("disappeared from the baseline (--strict-baseline): " + line))]))])
            }
            run.append(("invocations", [.object([("executionSuccessful", .bool(true)),
                                                 ("toolExecutionNotifications", .array(notifications))])]))
        }
        run += [
            // Columns count Unicode scalars (the SARIF default is UTF-16 code units).
            ("columnKind", "unicodeCodePoints"),
            ("results", .array(zip(marked, fingerprints(findings)).map { pair, fingerprint in
                result(pair.0, ruleIndex: index[pair.0.rule]!, fingerprint: fingerprint, anchor: anchor,
                       baseline: baselineFile.map { (file: $0, accepted: pair.1) }, locate: locate)
            })),
        ]
        return .object([
            ("$schema", .string(schema)),
            ("version", "2.1.0"),
            ("runs", [.object(run)]),
        ])
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    static func ruleValue(_ rule: RuleInfo, synthesized: Bool) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(rule.id.rawValue)),
            ("name", .string(pascalCase(rule.id.rawValue))),
            ("shortDescription", .object([("text", .string(rule.title))])),
        ]
        if !synthesized {
            pairs.append(("fullDescription", .object([("text", .string(rule.rationale))])))
        }
        // Code scanning shows a rule's `help` beside its results (it reads no other help).
        let explain = "`infra explain \(rule.id.rawValue)` prints a failing and a passing example."
        let help = synthesized ? explain : rule.rationale + "\n\n" + explain
        pairs.append(("help", .object([("text", .string(help)), ("markdown", .string(help))])))
        pairs.append(("defaultConfiguration", .object([("level", .string(level(rule.severity)))])))
        if let uri = rule.helpURI { pairs.append(("helpUri", .string(uri))) }
        return .object(pairs)
    }

    /// `baseline`: the findings baseline of the run, if any, and whether it accepted `f`: a
    /// result then says whether it is new or unchanged since the baseline, which suppresses it.
    /// `locate`: where the finding's related items are written, for its `relatedLocations`.
    static func result(_ f: Finding, ruleIndex: Int, fingerprint: String, anchor: String = ".",
                       baseline: (file: String, accepted: Bool)? = nil, locate: ((String) -> Place?)? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("ruleId", .string(f.rule.rawValue)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string(level(f.severity))),
            ("message", .object([("text", .string(messageText(f.message)))])),
        ]

        // Every result has a file location (GitHub requires one): its own file, else the anchor.
        var location: [(String, JSONValue)] = [
            ("physicalLocation", f.file.map { physicalLocation($0, line: f.line, column: f.column) }
                ?? physicalLocation(anchor, line: nil, column: nil)),
        ]
        if let organisation = f.organisation {
            let name = f.item.map { "\(organisation)/\($0)" } ?? organisation
            location.append(("logicalLocations", [logicalLocation(name, member: f.item != nil)]))
        }
        pairs.append(("locations", [.object(location)]))
        // The other items it is about (a cycle's members, the organisations running the same
        // product …), each where it is written: code scanning links them (§3.27.22). GitHub
        // keeps 100 locations of a result; `properties.related` lists them all.
        if let locate, !f.related.isEmpty {
            var related: [JSONValue] = []
            for ref in f.related where related.count < relatedLocationLimit {
                guard let place = locate(ref) else { continue }
                related.append(.object([
                    ("id", .int(related.count)),
                    ("physicalLocation", physicalLocation(place.file, line: place.line, column: place.column)),
                    ("logicalLocations", [logicalLocation(ref, member: true)]),
                    ("message", .object([("text", .string(messageText(ref)))])),
                ]))
            }
            if !related.isEmpty { pairs.append(("relatedLocations", .array(related))) }
        }

        pairs.append(("partialFingerprints", .object([(fingerprintKey, .string(fingerprint))])))
        if let baseline {
            pairs.append(("baselineState", .string(baseline.accepted ? "unchanged" : "new")))
            if baseline.accepted {
                pairs.append(("suppressions", [.object([
                    ("kind", "external"),
                    ("status", "accepted"),
                    ("justification", .string("accepted in the findings baseline \(baseline.file)")),
                ])]))
            }
        }

        var properties: [(String, JSONValue)] = []
        if let organisation = f.organisation { properties.append(("organisation", .string(organisation))) }
        if let item = f.item { properties.append(("item", .string(item))) }
        if !f.related.isEmpty { properties.append(("related", .strings(f.related))) }
        if let help = f.help { properties.append(("help", .string(help))) }
        if !properties.isEmpty { pairs.append(("properties", .object(properties))) }
        return .object(pairs)
    }

    /// At most this many related locations per result: what code scanning shows.
    static let relatedLocationLimit = 100

    /// A file (relative to %SRCROOT% unless absolute) and, where known, the line and column.
    static func physicalLocation(_ file: String, line: Int?, column: Int?) -> JSONValue {
        var artifact: [(String, JSONValue)] = [("uri", .string(uri(forPath: file)))]
        if !file.hasPrefix("/") { artifact.append(("uriBaseId", .string(srcRoot))) }
        var physical: [(String, JSONValue)] = [("artifactLocation", .object(artifact))]
        if let line, line > 0 {
            var region: [(String, JSONValue)] = [("startLine", .int(line))]
            if let column, column > 0 { region.append(("startColumn", .int(column))) }
            physical.append(("region", .object(region)))
        }
        return .object(physical)
    }

    /// `org/item` (a member) or `org` (a namespace).
    static func logicalLocation(_ name: String, member: Bool) -> JSONValue {
        .object([("fullyQualifiedName", .string(name)), ("kind", member ? "member" : "namespace")])
    }

    /// A message as SARIF plain text (§3.11.5, §3.11.6): `{` and `}` doubled, since single
    /// ones mark placeholders, and the brackets of what would read as an embedded link
    /// (`[text](1)`) escaped with a backslash. Values from an inventory can hold either.
    static func messageText(_ message: String) -> String {
        // Most messages hold none of these: looked for as bytes before any replacing.
        guard message.utf8.contains(where: { $0 == 0x7B || $0 == 0x7D || $0 == 0x5D }) else { return message }
        var out = message.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
        if out.contains("](") {
            out = out.replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
        }
        return out
    }

    /// The directory all `files` are in ("." when none, or when they share none).
    static func commonDirectory(_ files: [String]) -> String {
        let directories = files.map { $0.split(separator: "/", omittingEmptySubsequences: false).dropLast() }
        guard var common = directories.first else { return "." }
        for d in directories.dropFirst() {
            common = common.prefix(zip(common, d).prefix { $0 == $1 }.count)
        }
        let path = common.joined(separator: "/")
        return path.isEmpty ? (files.first?.hasPrefix("/") == true ? "/" : ".") : path
    }

    /// Each finding's fingerprint (`Fingerprint.of`, stable when lines move or files are
    /// scanned from elsewhere) and its occurrence among findings with the same one, in order.
    static func fingerprints(_ findings: [Finding]) -> [String] {
        var seen: [String: Int] = [:]
        return findings.map { f in
            let base = Fingerprint.of(f)
            seen[base, default: 0] += 1
            return "\(base):\(seen[base]!)"
        }
    }

    /// `unknown-key` -> `UnknownKey`.
    static func pascalCase(_ id: String) -> String {
        id.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    /// A path as a URI reference: characters outside RFC 3986's path set (spaces, `%`, `#`,
    /// `?`, `:`, non-ASCII, …) percent-encoded as UTF-8, a relative one without `.` segments
    /// and with `dir/..` taken out (`./inv/../x.yaml` is `x.yaml`), since code scanning
    /// matches it against the repository's paths as they are. Absolute paths become
    /// `file://` URIs.
    static func uri(forPath path: String) -> String {
        var path = path
        if !path.hasPrefix("/") {
            let segments = normalisedSegments(path)
            path = segments.isEmpty ? "." : segments.joined(separator: "/") + (path.hasSuffix("/") ? "/" : "")
        }
        var out = path.hasPrefix("/") ? "file://" : ""
        for byte in path.utf8 {
            let allowed: Bool = switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "-._~!$&'()*+,;=@/".utf8.contains(byte)
            }
            if allowed {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out.append("%")
                let hex = String(byte, radix: 16, uppercase: true)
                out.append(hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
