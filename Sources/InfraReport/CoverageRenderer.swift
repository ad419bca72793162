import InfraModel

public enum CoverageFormat: String, CaseIterable, Sendable {
    case table, csv, markdown, json
}

/// `infra coverage`: who has each capability and standard, against all of Sweden.
public enum CoverageRenderer {
    public static func render(_ t: CoverageTable, as format: CoverageFormat) -> String {
        switch format {
        case .table: table(t)
        case .csv: csv(t)
        case .markdown: markdown(t)
        case .json: JSONWriter.write(json(t)) + "\n"
        }
    }

    /// The population share of a cell, labelled as trend labels it.
    static func population(_ c: CoverageTable.Cell) -> String {
        Percent.text(c.populationCovered, of: c.populationTotal).map { "pop. " + $0 } ?? ""
    }

    /// "12/15 of 290" — covered, inventoried, and all organisations of the type.
    static func counts(_ c: CoverageTable.Cell) -> String {
        "\(c.covered)/\(c.inventoried)" + (c.total.map { " of \($0)" } ?? "")
    }

    static func headerLine(_ t: CoverageTable) -> String {
        "Inventoried: " + t.organisations.map { "\($0.inventoried)\($0.total.map { " of \($0)" } ?? "") \($0.type.rawValue)" }
            .joined(separator: ", ")
    }

    /// Wide enough for "289/290 of 290 pop. >99.9%".
    static let cellWidth = 26

    static func table(_ t: CoverageTable) -> String {
        var out = headerLine(t) + "\n"
        out += "Cells: organisations covered / inventoried of all in Sweden, and the share of the population they serve (pop.; SCB, \(t.populationDate)).\n"
        out += "An organisation covers a capability with its own running item (active or retiring) or by depending directly on another organisation's.\n"
        let types = t.organisations.map(\.type)
        let termWidth = max(12, t.rows.map(\.term.count).max() ?? 0)
        var header = "capability".padded(termWidth)
        for type in types { header += "  " + type.rawValue.padded(Self.cellWidth) }
        var section: String?
        for row in t.rows {
            let title = row.isStandard ? "Standards" : (row.layer?.title ?? "")
            if title != section {
                section = title
                out += "\n" + title + "\n" + (row.isStandard ? "standard".padded(termWidth) + String(header.dropFirst(termWidth)) : header).trimmingTrailingSpaces() + "\n"
            }
            var line = row.term.padded(termWidth)
            for (_, cell) in row.byType {
                let share = cell.populationTotal != nil ? " " + population(cell) : ""
                line += "  " + (counts(cell) + share).padded(Self.cellWidth)
            }
            out += line.trimmingTrailingSpaces() + "\n"
            for (county, cell) in row.byCounty where cell.inventoried > 0 || cell.covered > 0 {
                out += "    \(county) \(t.countyNames[county] ?? "")".padded(termWidth + 2) + counts(cell)
                    + " " + population(cell) + "\n"
            }
        }
        return out
    }

    static func csv(_ t: CoverageTable) -> String {
        var out = "kind,term,name,layer,scope,organisation_type,covered,inventoried,total,population_covered,population_total,population_date\n"
        for row in t.rows {
            let kind = row.isStandard ? "standard" : "capability"
            let prefix = [kind, row.term, row.name, row.layer?.rawValue ?? ""].map(field).joined(separator: ",")
            for (type, c) in row.byType {
                out += prefix + ",sweden,\(type.rawValue)," + numbers(c, t.populationDate) + "\n"
            }
            for (county, c) in row.byCounty {
                out += prefix + ",county \(county),kommun," + numbers(c, t.populationDate) + "\n"
            }
        }
        return out
    }

    static func numbers(_ c: CoverageTable.Cell, _ date: String) -> String {
        [String(c.covered), String(c.inventoried), c.total.map(String.init) ?? "",
         c.populationCovered.map(String.init) ?? "", c.populationTotal.map(String.init) ?? "",
         c.populationTotal == nil ? "" : date].joined(separator: ",")
    }

    /// One CSV field, quoted (and kept from running as a formula) as `CSVRows` does it.
    static func field(_ s: String) -> String {
        var row = CSVRows()
        row.field(s)
        return String(decoding: row.bytes, as: UTF8.self)
    }

    static func markdown(_ t: CoverageTable) -> String {
        var out = "## Coverage\n\n\(headerLine(t)). Population: SCB, \(t.populationDate).\n\n"
        let types = t.organisations.map(\.type)
        out += "| term | " + types.map(\.rawValue).joined(separator: " | ") + " |\n"
        out += "|---|" + types.map { _ in "---:|" }.joined() + "\n"
        for row in t.rows {
            out += "| `\(row.term)`\(row.isStandard ? " (standard)" : "") | "
                + row.byType.map { _, c in
                    counts(c) + (c.populationTotal != nil ? " · " + population(c) : "")
                }.joined(separator: " | ") + " |\n"
        }
        if t.rows.contains(where: { !$0.byCounty.isEmpty }) {
            out += "\n### Kommuner per county\n\n| term | county | covered | population |\n|---|---|---:|---:|\n"
            for row in t.rows {
                for (county, c) in row.byCounty {
                    out += "| `\(row.term)` | \(county) \(t.countyNames[county] ?? "") | \(counts(c)) | \(Percent.text(c.populationCovered, of: c.populationTotal) ?? "") |\n"
                }
            }
        }
        return out
    }

    static func json(_ t: CoverageTable) -> JSONValue {
        func cell(_ c: CoverageTable.Cell) -> JSONValue {
            .object([("covered", .int(c.covered)), ("inventoried", .int(c.inventoried)), ("total", .int(c.total)),
                     ("population_covered", .int(c.populationCovered)), ("population_total", .int(c.populationTotal))])
        }
        func rows(_ standards: Bool) -> JSONValue {
            .array(t.rows.filter { $0.isStandard == standards }.map { row in
                var pairs: [(String, JSONValue)] = [
                    (standards ? "standard" : "capability", .string(row.term)),
                    ("name", .string(row.name)),
                ]
                if let layer = row.layer { pairs.append(("layer", .string(layer.rawValue))) }
                pairs.append(("by_type", .object(row.byType.map { ($0.type.rawValue, cell($0.cell)) })))
                if !row.byCounty.isEmpty { pairs.append(("by_county", .object(row.byCounty.map { ($0.county, cell($0.cell)) }))) }
                return .object(pairs)
            })
        }
        return .object([
            ("population_date", .string(t.populationDate)),
            ("organisations", .object(t.organisations.map {
                ($0.type.rawValue, .object([("inventoried", .int($0.inventoried)), ("total", .int($0.total))]))
            })),
            ("capabilities", rows(false)),
            ("standards", rows(true)),
        ])
    }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The line without the spaces a padded last column leaves at its end.
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
