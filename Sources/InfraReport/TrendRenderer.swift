import Foundation
import InfraModel

public enum TrendFormat: String, CaseIterable, Sendable {
    case table, csv, json, svg
}

/// What `infra trend` prints: one capability's (or standard's) coverage in each snapshot.
public struct TrendReport: Sendable {
    public struct Point: Sendable {
        public var snapshot: Int64
        public var takenAt: String
        public var gitCommit: String?
        /// Per organisation type, in a fixed order.
        public var byType: [(type: String, figures: CoverageTable.Cell)]
        public init(snapshot: Int64, takenAt: String, gitCommit: String?, byType: [(type: String, figures: CoverageTable.Cell)]) {
            self.snapshot = snapshot
            self.takenAt = takenAt
            self.gitCommit = gitCommit
            self.byType = byType
        }
    }

    public var term: String
    public var name: String
    public var isStandard: Bool
    public var points: [Point]

    public init(term: String, name: String, isStandard: Bool, points: [Point]) {
        self.term = term
        self.name = name
        self.isStandard = isStandard
        self.points = points
    }

    /// The organisation types that appear in any snapshot, in first-seen order.
    var types: [String] {
        var seen: [String] = []
        for p in points { for (t, _) in p.byType where !seen.contains(t) { seen.append(t) } }
        return seen
    }
}

/// `infra trend`: a table, CSV, JSON, or a small hand-written SVG line chart.
public enum TrendRenderer {
    public static func render(_ t: TrendReport, as format: TrendFormat) -> String {
        switch format {
        case .table: table(t)
        case .csv: csv(t)
        case .json: JSONWriter.write(json(t)) + "\n"
        case .svg: svg(t)
        }
    }

    /// Covered out of all of the type in Sweden, or out of those inventoried.
    static func share(_ f: CoverageTable.Cell) -> Double? {
        let of = f.total ?? f.inventoried
        return of > 0 ? Double(f.covered) / Double(of) : nil
    }

    static func populationShare(_ f: CoverageTable.Cell) -> Double? {
        guard let c = f.populationCovered, let t = f.populationTotal, t > 0 else { return nil }
        return Double(c) / Double(t)
    }

    static func percent(_ x: Double?) -> String {
        x.map(Percent.text) ?? ""
    }

    static func title(_ t: TrendReport) -> String {
        "\(t.term) (\(t.name)), \(t.isStandard ? "standard" : "capability")"
    }

    // MARK: - Table

    static func table(_ t: TrendReport) -> String {
        var out = "Coverage of \(title(t)) over \(t.points.count) snapshot\(t.points.count == 1 ? "" : "s")\n"
        out += "Per organisation type: organisations covered of all in Sweden (kommun, region) or of those inventoried, the share, and the share of the population they serve (pop.).\n\n"
        let types = t.types
        // Per type three columns, counts, share and population share, each right-aligned so
        // that figures line up from row to row.
        var rows: [[String]] = [["snapshot", "taken", "commit"] + types.flatMap { [$0, "share", "pop."] }]
        for p in t.points {
            var row = [String(p.snapshot), p.takenAt, p.gitCommit.map(shortCommit) ?? "-"]
            for type in types {
                guard let f = p.byType.first(where: { $0.type == type })?.figures else { row += ["", "", ""]; continue }
                row += ["\(f.covered) of \(f.total ?? f.inventoried)", percent(share(f)), percent(populationShare(f))]
            }
            rows.append(row)
        }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            let cells = row.enumerated().map { c, cell in
                c < 3 ? cell.padded(widths[c]) : String(repeating: " ", count: widths[c] - cell.count) + cell
            }
            out += cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        return out
    }

    // MARK: - CSV

    static func csv(_ t: TrendReport) -> String {
        var out = "snapshot,taken_at,git_commit,term,organisation_type,covered,inventoried,total,population_covered,population_total\n"
        for p in t.points {
            for (type, f) in p.byType {
                let fields: [String] = [
                    String(p.snapshot), p.takenAt, p.gitCommit ?? "", t.term, type, String(f.covered), String(f.inventoried),
                    f.total.map { String($0) } ?? "", f.populationCovered.map { String($0) } ?? "",
                    f.populationTotal.map { String($0) } ?? "",
                ]
                out += fields.map(CoverageRenderer.field).joined(separator: ",") + "\n"
            }
        }
        return out
    }

    // MARK: - JSON

    static func json(_ t: TrendReport) -> JSONValue {
        .object([
            ("term", .string(t.term)),
            ("kind", .string(t.isStandard ? "standard" : "capability")),
            ("name", .string(t.name)),
            ("snapshots", .array(t.points.map { p in
                .object([
                    ("snapshot", .int(Int(p.snapshot))),
                    ("taken_at", .string(p.takenAt)),
                    ("git_commit", .string(p.gitCommit)),
                    ("coverage", .array(p.byType.map { type, f in
                        .object([("organisation_type", .string(type)), ("covered", .int(f.covered)),
                                 ("inventoried", .int(f.inventoried)), ("total", .int(f.total)),
                                 ("share", share(f).map { .double($0) } ?? .null),
                                 ("population_covered", .int(f.populationCovered)), ("population_total", .int(f.populationTotal)),
                                 ("population_share", populationShare(f).map { .double($0) } ?? .null)])
                    })),
                ])
            })),
        ])
    }

    // MARK: - SVG

    /// One line per organisation type (covered share, solid) and, where known, its
    /// population share (dashed, same colour); y from 0 to 100 %, one x step per snapshot.
    /// `2025-03-01T09:30:00Z` as seconds since 1970; nil when it is not that form.
    static func seconds(_ takenAt: String) -> Double? {
        let parts = takenAt.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int($0) }
        guard parts.count == 6 else { return nil }
        var c = DateComponents()
        (c.year, c.month, c.day, c.hour, c.minute, c.second) = (parts[0], parts[1], parts[2], parts[3], parts[4], parts[5])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: c)?.timeIntervalSince1970
    }

    static func svg(_ t: TrendReport) -> String {
        let width = 640.0, height = 360.0
        let left = 64.0, right = 20.0, top = 56.0, bottom = 66.0
        let plotW = width - left - right, plotH = height - top - bottom
        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
        let n = t.points.count
        // Snapshots placed by when they were taken (weeks apart look so), by order when the
        // times cannot be read or are all the same.
        let times = t.points.map { Self.seconds($0.takenAt) }
        let known = times.compactMap { $0 }
        let first = known.min() ?? 0, span = (known.max() ?? 0) - first
        func x(_ i: Int) -> Double {
            if n <= 1 { return left + plotW / 2 }
            if known.count == n, span > 0, let seconds = times[i] { return left + plotW * (seconds - first) / span }
            return left + plotW * Double(i) / Double(n - 1)
        }
        // The scale goes from 0 to the first of these above every share, so that 0.7 % → 1.0 %
        // shows as a rise, not as a flat line at the bottom of 0–100 %.
        var highest = 0.0
        for p in t.points {
            for (_, figures) in p.byType {
                highest = max(highest, share(figures) ?? 0, populationShare(figures) ?? 0)
            }
        }
        let top100 = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0].first { $0 >= highest } ?? 1.0
        func y(_ v: Double) -> Double { top + plotH * (1 - min(max(v, 0), top100) / top100) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="11">
            <title>\(XML.text("Coverage of " + title(t)))</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(left))" y="18" font-size="14" font-weight="bold">\(XML.text("Coverage of " + title(t)))</text>

            """
        // Grid and y axis, with what it counts.
        for step in 0...4 {
            let v = top100 * Double(step) / 4
            let label = String(format: v * 100 < 10 ? "%.2g%%" : "%.0f%%", v * 100)
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y(v)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y(v)))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(label)</text>\n"
        }
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"#888\"/>\n"
        out += "<text transform=\"translate(14 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#444\">share covered</text>\n"
        out += "<text x=\"\(f(left))\" y=\"\(f(height - 8))\" fill=\"#666\" font-size=\"10\">"
            + "Solid: organisations covered (kommun of 290, region of 21, others of those inventoried). Dashed: population.</text>\n"
        // X labels: the snapshot ids that have room (snapshots taken close together would
        // print over each other; the last one always shows), and the date under the first and
        // last, kept inside the picture.
        var labelled: [Int] = []
        for i in 0..<n {
            let room = 8 + 7 * Double(String(t.points[i].snapshot).count + 1)
            if let previous = labelled.last, x(i) - x(previous) < room {
                guard i == n - 1 else { continue }
                labelled.removeLast()
                if let before = labelled.last, x(i) - x(before) < room { labelled.removeLast() }
            }
            labelled.append(i)
        }
        for i in labelled {
            out += "<text x=\"\(f(x(i)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">#\(t.points[i].snapshot)</text>\n"
        }
        let dates = n == 1 ? [(0, "middle")] : n > 1 ? [(0, "start"), (n - 1, "end")] : []
        for (i, anchor) in dates where i == 0 || t.points[i].takenAt.prefix(10) != t.points[0].takenAt.prefix(10) || x(i) - x(0) > 150 {
            let shift = anchor == "start" ? -4.0 : anchor == "end" ? 4.0 : 0
            out += "<text x=\"\(f(x(i) + shift))\" y=\"\(f(top + plotH + 30))\" text-anchor=\"\(anchor)\" fill=\"#666\">\(XML.text(String(t.points[i].takenAt.prefix(10))))</text>\n"
        }
        // Series and legend.
        var legendX = left, legendY = 36.0
        for (k, type) in t.types.enumerated() {
            let colour = colours[k % colours.count]
            for population in [false, true] {
                var points: [(Int, Double, String)] = []
                for (i, p) in t.points.enumerated() {
                    guard let figures = p.byType.first(where: { $0.type == type })?.figures else { continue }
                    let value = population ? populationShare(figures) : share(figures)
                    guard let value else { continue }
                    let label = population
                        ? "\(type) population, snapshot \(p.snapshot): \(percent(value))"
                        : "\(type), snapshot \(p.snapshot): \(figures.covered) of \(figures.total ?? figures.inventoried) (\(percent(value)))"
                    points.append((i, value, label))
                }
                guard !points.isEmpty else { continue }
                let dash = population ? " stroke-dasharray=\"5 3\"" : ""
                out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash) points=\""
                    + points.map { "\(f(x($0.0))),\(f(y($0.1)))" }.joined(separator: " ") + "\"/>\n"
                for (i, v, label) in points {
                    out += "<circle cx=\"\(f(x(i)))\" cy=\"\(f(y(v)))\" r=\"3\" fill=\"\(population ? "white" : colour)\" stroke=\"\(colour)\"><title>\(XML.text(label))</title></circle>\n"
                }
                let name = population ? "\(type) population" : type
                // (11-pixel sans-serif runs to about 7 pixels a letter with m's and w's in it.)
                let entryWidth = 36 + Double(name.count) * 7
                if legendX + entryWidth > width - right, legendX > left {
                    legendX = left
                    legendY += 13
                }
                out += "<line x1=\"\(f(legendX))\" y1=\"\(f(legendY))\" x2=\"\(f(legendX + 18))\" y2=\"\(f(legendY))\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash)/>\n"
                out += "<text x=\"\(f(legendX + 22))\" y=\"\(f(legendY + 4))\">\(XML.text(name))</text>\n"
                legendX += entryWidth
            }
        }
        if n == 0 {
            out += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" fill=\"#666\">no snapshots</text>\n"
        }
        out += "</svg>\n"
        return out
    }
}
