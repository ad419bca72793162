import InfraModel

public enum DiffFormat: String, CaseIterable, Sendable {
    case text, markdown, json
}

/// `infra diff` as text, Markdown (a pull-request comment) or JSON.
public enum DiffRenderer {
    /// `limit`: at most this many lines per list in text and Markdown (nil: all). JSON is always complete.
    public static func render(_ d: InventoryChanges, as format: DiffFormat, limit: Int? = nil, color: Bool = false) -> String {
        switch format {
        case .text: Terminal.render(color: color) { text(d, limit: limit, style: $0) }
        case .markdown: markdown(d, limit: limit)
        case .json: JSONWriter.write(json(d)) + "\n"
        }
    }

    // MARK: - Shared wording

    /// A field's value in quotes, with `"`, `\` and line breaks escaped and other control
    /// characters as U+FFFD: a value (notes, say) cannot fake lines of the report.
    static func value(_ s: String?) -> String {
        guard let s else { return "(none)" }
        return TextRenderer.printable(doubleQuoted(s))
    }

    static func fields(_ c: InventoryChanges.Change) -> String {
        c.fields.map { f in
            let (old, new) = changedPart(f.old, f.new)
            return "\(f.field) \(value(old)) → \(value(new))"
        }.joined(separator: "; ")
    }

    /// Two long texts (notes of a paragraph) with what they share at either end left out but
    /// for a few words' context, marked `…`: one phrase added to a note is not printed as two
    /// copies of the paragraph. Short ones, and JSON, are whole.
    static func changedPart(_ old: String?, _ new: String?) -> (String?, String?) {
        guard let old, let new, max(old.count, new.count) > 80 else { return (old, new) }
        let a = Array(old), b = Array(new)
        var start = 0
        while start < min(a.count, b.count), a[start] == b[start] { start += 1 }
        var end = 0
        while end < min(a.count, b.count) - start, a[a.count - 1 - end] == b[b.count - 1 - end] { end += 1 }
        // About 20 characters of context each side, cut at a space (whole words).
        let context = 20
        var from = max(0, start - context), keep = max(0, end - context)
        if from > 0, let space = a[from..<start].firstIndex(of: " ") { from = space + 1 }
        if keep > 0, let space = a[(a.count - end)..<(a.count - keep)].lastIndex(of: " ") { keep = a.count - space }
        guard from > 0 || keep > 0 else { return (old, new) }
        func cut(_ x: [Character]) -> String {
            (from > 0 ? "…" : "") + String(x[from..<(x.count - keep)]) + (keep > 0 ? "…" : "")
        }
        return (cut(a), cut(b))
    }

    static func figures(_ f: CoverageTable.Cell?) -> String {
        guard let f else { return "—" }
        return "\(f.covered) of \(f.total ?? f.inventoried)"
    }

    static func coverageLine(_ c: InventoryChanges.CoverageChange) -> String {
        var line = "\(c.term) (\(TextRenderer.inline(c.name))), \(c.organisationType): \(figures(c.old)) → \(figures(c.new))"
        let a = Percent.text(c.old?.populationCovered, of: c.old?.populationTotal), b = Percent.text(c.new?.populationCovered, of: c.new?.populationTotal)
        if a != nil || b != nil, a != b { line += ", population \(a ?? "—") → \(b ?? "—")" }
        return line
    }

    static func findingLine(_ f: Finding) -> String {
        var where_ = ""
        if let o = f.organisation { where_ = o + (f.item.map { "/" + $0 } ?? "") + " " }
        else if let file = f.file { where_ = file + " " }
        return "\(f.severity.rawValue) \(f.rule.rawValue) \(where_)— \(TextRenderer.inline(f.message))"
    }

    static func counts(_ d: InventoryChanges) -> String {
        if d.isEmpty { return "no changes" }
        var parts: [String] = []
        func add(_ n: Int, _ what: String) { if n > 0 { parts.append("\(n) \(what)") } }
        add(d.organisationsAdded.count + d.organisationsRemoved.count + d.organisationsChanged.count,
            "organisation" + (d.organisationsAdded.count + d.organisationsRemoved.count + d.organisationsChanged.count == 1 ? "" : "s"))
        let items = d.itemsAdded.count + d.itemsRemoved.count + d.itemsChanged.count
        add(items, items == 1 ? "item" : "items")
        let deps = d.dependenciesAdded.count + d.dependenciesRemoved.count
        add(deps, deps == 1 ? "dependency" : "dependencies")
        let findings = d.findingsAppeared.count + d.findingsDisappeared.count
        add(findings, findings == 1 ? "finding" : "findings")
        add(d.coverage.count, d.coverage.count == 1 ? "coverage figure" : "coverage figures")
        return parts.joined(separator: ", ") + " changed"
    }

    /// The line under a list cut by `--limit`.
    static func notShown(_ hidden: Int, of all: Int) -> String {
        hidden == all ? "(\(all) not shown: --limit)" : "… and \(hidden) more"
    }

    // MARK: - Text

    static func text(_ d: InventoryChanges, limit: Int?, style: Styler) -> String {
        var out = style.bold("infra diff: \(d.old.label) → \(d.new.label)") + "\n"
        for note in d.notes { out += style.yellow("note: ") + TextRenderer.inline(note) + "\n" }
        // `addedIsBad`: for findings a new one is the bad news (red) and a gone one the good (green).
        func section(_ title: String, _ lines: [(mark: String, text: String)], addedIsBad: Bool = false) {
            guard !lines.isEmpty else { return }
            out += "\n" + style.bold(title) + "\n"
            let shown = limit.map { Array(lines.prefix(max(0, $0))) } ?? lines
            for l in shown {
                let mark: String
                switch l.mark {
                case "+", "↑": mark = addedIsBad ? style.red(l.mark) : style.green(l.mark)
                case "-", "↓": mark = addedIsBad ? style.green(l.mark) : style.red(l.mark)
                default: mark = style.yellow(l.mark)
                }
                out += "  \(mark) \(l.text)\n"
            }
            if shown.count < lines.count { out += style.dim("  " + notShown(lines.count - shown.count, of: lines.count)) + "\n" }
        }
        func tally(_ added: Int, _ removed: Int, _ changed: Int?) -> String {
            "\(added) added, \(removed) removed" + (changed.map { ", \($0) changed" } ?? "")
        }
        section("Organisations: " + tally(d.organisationsAdded.count, d.organisationsRemoved.count, d.organisationsChanged.count),
                d.organisationsAdded.map { ("+", $0) } + d.organisationsRemoved.map { ("-", $0) }
                    + d.organisationsChanged.map { ("~", "\($0.ref): \(fields($0))") })
        section("Items: " + tally(d.itemsAdded.count, d.itemsRemoved.count, d.itemsChanged.count),
                d.itemsAdded.map { ("+", $0) } + d.itemsRemoved.map { ("-", $0) }
                    + d.itemsChanged.map { ("~", "\($0.ref): \(fields($0))") })
        section("Dependencies: " + tally(d.dependenciesAdded.count, d.dependenciesRemoved.count, nil),
                d.dependenciesAdded.map { ("+", "\($0.from) → \($0.to)") } + d.dependenciesRemoved.map { ("-", "\($0.from) → \($0.to)") })
        section("Findings: \(d.findingsAppeared.count) appeared, \(d.findingsDisappeared.count) disappeared",
                d.findingsAppeared.map { ("+", findingLine($0.finding)) } + d.findingsDisappeared.map { ("-", findingLine($0.finding)) },
                addedIsBad: true)
        section("Coverage: " + directions(d),
                d.coverage.map { ([.up: "↑", .down: "↓", .mixed: "↕"][$0.direction] ?? "~", coverageLine($0)) })
        out += "\n" + counts(d) + "\n"
        return out
    }

    /// How many coverage changes went `direction`.
    static func count(_ d: InventoryChanges, _ direction: InventoryChanges.CoverageChange.Direction) -> Int {
        d.coverage.filter { $0.direction == direction }.count
    }

    /// "2 up, 1 down", with "1 mixed" (organisations up, population down or the other way) and
    /// "3 same organisations covered" (only the share moved, as more of the type were
    /// inventoried) when any.
    static func directions(_ d: InventoryChanges) -> String {
        let mixed = count(d, .mixed), same = count(d, .same)
        return "\(count(d, .up)) up, \(count(d, .down)) down" + (mixed > 0 ? ", \(mixed) mixed" : "")
            + (same > 0 ? ", \(same) same organisations covered" : "")
    }

    // MARK: - Markdown

    static func markdown(_ d: InventoryChanges, limit: Int?) -> String {
        let cell = MarkdownRenderer.cell, code = MarkdownRenderer.code
        var out = "## infra diff: \(cell(d.old.label)) → \(cell(d.new.label))\n\n"
        for note in d.notes { out += "> **Note:** \(cell(note))\n\n" }
        if d.isEmpty { return out + "No changes.\n" }
        out += "| | added | removed | changed |\n|---|---:|---:|---:|\n"
        out += "| Organisations | \(d.organisationsAdded.count) | \(d.organisationsRemoved.count) | \(d.organisationsChanged.count) |\n"
        out += "| Items | \(d.itemsAdded.count) | \(d.itemsRemoved.count) | \(d.itemsChanged.count) |\n"
        out += "| Dependencies | \(d.dependenciesAdded.count) | \(d.dependenciesRemoved.count) | |\n"
        // Findings and coverage move in other directions than added and removed: their own table.
        let mixed = count(d, .mixed)
        out += "\n| | appeared or up | disappeared or down | mixed |\n|---|---:|---:|---:|\n"
        out += "| Findings | \(d.findingsAppeared.count) | \(d.findingsDisappeared.count) | |\n"
        out += "| Coverage figures | \(count(d, .up)) | \(count(d, .down)) | \(mixed > 0 ? "\(mixed)" : "") |\n"

        func list(_ title: String, _ rows: [String], open: Bool = false) {
            guard !rows.isEmpty else { return }
            out += "\n<details\(open ? " open" : "")><summary>\(cell(title)) (\(rows.count))</summary>\n\n"
            let shown = limit.map { Array(rows.prefix(max(0, $0))) } ?? rows
            for r in shown { out += "- \(r)\n" }
            if shown.count < rows.count { out += "- " + notShown(rows.count - shown.count, of: rows.count) + "\n" }
            out += "\n</details>\n"
        }
        func finding(_ f: Finding) -> String {
            let location = MarkdownRenderer.location(f)
            return "**\(f.severity.rawValue)** \(code(f.rule.rawValue))" + (location.isEmpty ? "" : " \(code(location))") + ": \(cell(f.message))"
        }
        list("Findings that appeared", d.findingsAppeared.map { finding($0.finding) }, open: true)
        list("Findings that disappeared", d.findingsDisappeared.map { finding($0.finding) })
        list("Coverage", d.coverage.map { ([.up: "⬆️ ", .down: "⬇️ ", .mixed: "↕️ "][$0.direction] ?? "") + cell(coverageLine($0)) }, open: true)
        list("Organisations added", d.organisationsAdded.map(code))
        list("Organisations removed", d.organisationsRemoved.map(code))
        list("Organisations changed", d.organisationsChanged.map { "\(code($0.ref)): \(cell(fields($0)))" })
        list("Items added", d.itemsAdded.map(code))
        list("Items removed", d.itemsRemoved.map(code))
        list("Items changed", d.itemsChanged.map { "\(code($0.ref)): \(cell(fields($0)))" })
        list("Dependencies added", d.dependenciesAdded.map { "\(code($0.from)) → \(code($0.to))" })
        list("Dependencies removed", d.dependenciesRemoved.map { "\(code($0.from)) → \(code($0.to))" })
        return out
    }

    // MARK: - JSON

    /// A field's value before or after, as what it is: a list (empty: none), true or false,
    /// or text (null: not set).
    static func value(_ f: InventoryChanges.FieldChange, old: Bool) -> JSONValue {
        switch f.kind {
        case .list: .strings(old ? f.oldList : f.newList)
        case .flag: .bool((old ? f.old : f.new) == "true")
        case .text: .string(old ? f.old : f.new)
        }
    }

    static func json(_ d: InventoryChanges) -> JSONValue {
        func side(_ s: InventoryChanges.Side) -> JSONValue {
            .object([("snapshot", s.snapshot.map { .int(Int($0)) } ?? .null), ("taken_at", .string(s.takenAt)),
                     ("git_commit", .string(s.gitCommit)), ("paths", .strings(s.paths))])
        }
        func changes(_ key: String, _ list: [InventoryChanges.Change]) -> JSONValue {
            .array(list.map { c in
                .object([(key, .string(c.ref)),
                         ("fields", .array(c.fields.map { .object([("field", .string($0.field)), ("old", Self.value($0, old: true)), ("new", Self.value($0, old: false))]) }))])
            })
        }
        func edges(_ list: [InventoryChanges.Dependency]) -> JSONValue {
            .array(list.map { .array([.string($0.from), .string($0.to)]) })
        }
        func findings(_ list: [InventoryChanges.FindingChange]) -> JSONValue {
            .array(list.map { entry in
                guard case let .object(pairs) = FindingsJSON.value(entry.finding) else { return .null }
                return .object(pairs + [("fingerprint", .string(entry.fingerprint))])
            })
        }
        func figures(_ f: CoverageTable.Cell?) -> JSONValue {
            guard let f else { return .null }
            return .object([("covered", .int(f.covered)), ("inventoried", .int(f.inventoried)), ("total", .int(f.total)),
                            ("population_covered", .int(f.populationCovered)), ("population_total", .int(f.populationTotal))])
        }
        return .object([
            ("old", side(d.old)),
            ("new", side(d.new)),
            ("notes", .strings(d.notes)),
            ("organisations", .object([("added", .strings(d.organisationsAdded)), ("removed", .strings(d.organisationsRemoved)),
                                       ("changed", changes("organisation", d.organisationsChanged))])),
            ("items", .object([("added", .strings(d.itemsAdded)), ("removed", .strings(d.itemsRemoved)),
                               ("changed", changes("item", d.itemsChanged))])),
            ("dependencies", .object([("added", edges(d.dependenciesAdded)), ("removed", edges(d.dependenciesRemoved))])),
            ("findings", .object([("appeared", findings(d.findingsAppeared)), ("disappeared", findings(d.findingsDisappeared))])),
            ("coverage", .array(d.coverage.map { c in
                .object([("term", .string(c.term)), ("kind", .string(c.isStandard ? "standard" : "capability")),
                         ("name", .string(c.name)), ("organisation_type", .string(c.organisationType)),
                         ("direction", .string(c.direction.rawValue)),
                         ("old", figures(c.old)), ("new", figures(c.new))])
            })),
        ])
    }
}
