import InfraModel

/// JUnit XML (`infra validate`): one `<testsuite name="infra">`, one `<testcase
/// classname="infra" name="path">` per checked file, a `<failure>` per finding that fails the
/// run (errors; warnings too with `--fail-on warning`), the others in `<system-out>`.
/// Findings without a file belong to a test case named `(catalogue)`.
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
        let tests = names.count

        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<testsuites name="infra" tests="\#(tests)" failures="\#(failures)" errors="0">"# + "\n"
        out += #"  <testsuite name="infra" tests="\#(tests)" failures="\#(failures)" errors="0" skipped="0">"# + "\n"
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
            for f in errors {
                out += #"      <failure message="\#(XML.attribute(f.message))" type="\#(XML.attribute(f.rule.rawValue))">"#
                out += XML.text(details(f))
                out += "</failure>\n"
            }
            if !others.isEmpty {
                out += "      <system-out>"
                out += XML.text(others.map(details).joined(separator: "\n"))
                out += "</system-out>\n"
            }
            out += "    </testcase>\n"
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
