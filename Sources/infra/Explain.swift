import ArgumentParser
import InfraChecks
import InfraModel
import InfraPipeline

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a rule: what it finds, why it matters, and a failing and a passing example.",
        discussion: "Run `infra explain --list` for every rule id.")

    @Argument(help: "A rule id, as shown in brackets after each finding, e.g. unresolved-reference.")
    var rule: String?

    @Flag(help: "List every rule with its family, severity and title.")
    var list = false

    func run() throws {
        if list || rule == nil {
            var out = ""
            for family in RuleFamily.allCases {
                let rules = Checks.rules.filter { $0.family == family }
                guard !rules.isEmpty else { continue }
                out += "\(family.rawValue)\n"
                let width = rules.map(\.id.rawValue.count).max() ?? 0
                for r in rules {
                    out += "  \(r.id.rawValue.padding(width))  \(r.severity.rawValue.padding(7))  \(r.title)\n"
                }
            }
            try write(out)
            return
        }
        guard let rule, let d = Checks.rule(rule) else {
            let near = Suggest.nearest(to: rule ?? "", in: Checks.rules.map(\.id.rawValue))
            throw InputProblem("no rule `\(rule ?? "")`" + (near.map { " — did you mean `\($0)`?" } ?? "")
                + "; `infra explain --list` shows them all")
        }
        var out = "\(d.id.rawValue): \(d.title)\n"
        out += "family: \(d.family.rawValue)    severity: \(d.severity.rawValue)\n\n"
        out += d.rationale + "\n"
        // Examples that differ only in scope say which is which.
        let scoped = d.failing.country != d.passing.country
        // Dates relative to today, as the tests run them, so that the example holds when pasted.
        let failing = d.failing.resolved(today: .today), passing = d.passing.resolved(today: .today)
        // The lines one example has and the other lacks, marked with a YAML comment (the example
        // still pastes) when there are a few: the difference is what the rule is about.
        func lines(_ files: [(name: String, yaml: String)]) -> [Substring] {
            files.flatMap { $0.yaml.split(separator: "\n", omittingEmptySubsequences: false) }
        }
        func differing(_ these: [(name: String, yaml: String)], from those: [(name: String, yaml: String)]) -> Set<Substring> {
            let others = Set(lines(those))
            return Set(lines(these).filter { !$0.isEmpty && !$0.hasPrefix("#") && !others.contains($0) })
        }
        let marks = [differing(failing, from: passing), differing(passing, from: failing)]
        let marked = marks.allSatisfy { $0.count <= 4 } && marks.contains { !$0.isEmpty }
        if marked { out += "\n`# ◀` marks the lines in which the two examples differ.\n" }
        for (label, example, files, mark) in [("Fails", d.failing, failing, marks[0]), ("Passes", d.passing, passing, marks[1])] {
            out += "\n\(label)" + (scoped ? (example.country ? " (scanned with --country)" : " (scanned without --country)") : "") + ":\n"
            for file in files {
                if example.files.count > 1 { out += "  # \(file.name)\n" }
                out += file.yaml.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { "  " + $0 + (marked && mark.contains($0) ? "  # ◀" : "") }.joined(separator: "\n")
                if !out.hasSuffix("\n") { out += "\n" }
            }
        }
        try write(out)
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
