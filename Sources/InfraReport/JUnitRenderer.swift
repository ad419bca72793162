import InfraModel

/// JUnit XML (`infra validate`): one `<testsuite name="infra">`, one `<testcase
/// classname="infra" name="path">` per checked file. A file with findings that fail the run
/// (errors; warnings too with `--fail-on warning`) has one `<failure>` that lists them all:
/// the JUnit schema allows one per test case, and Azure Pipelines and Jenkins show only the
/// first. The other findings go in `<system-out>`; a file skipped as not an inventory is
/// `<skipped>`. Findings without a file belong to a test case named `(catalogue)`.
enum JUnitRenderer {
    static let catalogue = "(catalogue)"

    static func render(_ report: FindingsReport, files: [String]) -> String {
        let findings = report.sortedFindings

        // Test cases: the checked files in the order given, then files that only the
        // findings mention, then "(catalogue)" if some finding has no file.
        var names: [String] = []
        var seen: Set<String> = []
        for file in files where seen.insert(file).inserted { names.append(file) }
        for file in findings.compactMap(\.file) where seen.insert(file).inserted { names.append(file) }
        var byName: [String: [Finding]] = [:]
        for f in findings { byName[f.file ?? catalogue, default: []].append(f) }
        if byName[catalogue] != nil, !seen.contains(catalogue) { names.append(catalogue) }

        let failures = names.filter { name in byName[name, default: []].contains { report.fails($0.severity) } }.count
        // A file whose only finding is that it is not an inventory was skipped, not checked.
        func skipped(_ name: String) -> Finding? {
            let own = byName[name, default: []]
            return own.count == 1 && own[0].rule == .notAnInventory ? own[0] : nil
        }
        let skips = names.filter { skipped($0) != nil }.count
        // `scan --strict-baseline` fails the run for accepted findings that disappeared: a
        // test case of its own says so, so that the report fails with the run.
        let strict = !report.disappeared.isEmpty
        let tests = names.count + (strict ? 1 : 0)
        let failed = failures + (strict ? 1 : 0)

        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<testsuites name="infra" tests="\#(tests)" failures="\#(failed)" errors="0" skipped="\#(skips)">"# + "\n"
        out += #"  <testsuite name="infra" tests="\#(tests)" failures="\#(failed)" errors="0" skipped="\#(skips)">"# + "\n"
        for name in names {
            let own = byName[name, default: []]
            let errors = own.filter { report.fails($0.severity) }
            let others = own.filter { !report.fails($0.severity) }
            let open = #"    <testcase classname="infra" name="\#(XML.attribute(name))""#
            if own.isEmpty {
                out += open + "/>\n"
                continue
            }
            out += open + ">\n"
            if let note = skipped(name) {
                out += #"      <skipped message="\#(XML.attribute(note.message))"/>"# + "\n"
                out += "    </testcase>\n"
                continue
            }
            if let first = errors.first {
                // One failure: the first finding's message (with how many there are), every
                // finding in its text.
                let e = errors.filter { $0.severity == .error }.count, w = errors.count - e
                let counts = [(e, "error"), (w, "warning")].filter { $0.0 > 0 }.map { counted($0.0, $0.1) }
                let message = errors.count == 1 ? first.message
                    : counts.joined(separator: ", ") + ": \(first.message) (and \(errors.count - 1) more)"
                var rules: [String] = []
                for f in errors where !rules.contains(f.rule.rawValue) { rules.append(f.rule.rawValue) }
                out += #"      <failure message="\#(XML.attribute(message))" type="\#(XML.attribute(rules.joined(separator: ", ")))">"#
                out += XML.text(errors.map(details).joined(separator: "\n\n"))
                out += "</failure>\n"
            }
            if !others.isEmpty {
                out += "      <system-out>"
                out += XML.text(others.map(details).joined(separator: "\n"))
                out += "</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        if strict {
            out += #"    <testcase classname="infra" name="strict-baseline">"# + "\n"
            out += #"      <failure message="\#(XML.attribute(report.disappearedHeadline))" type="strict-baseline">"#
            out += XML.text(report.disappeared.joined(separator: "\n"))
            out += "</failure>\n    </testcase>\n"
        }
        out += "  </testsuite>\n"
        out += "</testsuites>\n"
        return out
    }

    /// `path:line:col: severity: message [rule]` plus help and related lines.
    static func details(_ f: Finding) -> String {
        var s = ""
        if let location = f.locationText { s += location + ": " }
        s += "\(f.severity.word): \(f.message) [\(f.rule.rawValue)]"
        if let organisation = f.organisation {
            s += "\n  at: " + (f.item.map { "\(organisation)/\($0)" } ?? organisation)
        }
        if let help = f.help, !help.isEmpty { s += "\n  help: \(help)" }
        if !f.related.isEmpty { s += "\n  related: \(f.related.joined(separator: ", "))" }
        return s
    }
}
