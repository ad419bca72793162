import InfraModel
import Testing
@testable import InfraReport

@Suite("shares as the reports print them")
struct PercentTests {
    @Test("one decimal; short of all is never 100%, above none never 0%")
    func bounds() {
        // Sweden's population covered but for one kommun (the country's learning-management):
        // the table said 100%.
        #expect(Percent.text(10_581_853, of: 10_587_710) == "99.9%")
        #expect(Percent.text(289, of: 290) == "99.7%")
        #expect(Percent.text(0.9996) == ">99.9%")
        #expect(Percent.text(1) == "100.0%")
        #expect(Percent.text(0) == "0.0%")
        #expect(Percent.text(1, of: 10_000) == "<0.1%")
        #expect(Percent.text(2, of: 290) == "0.7%")
        #expect(Percent.text(1, of: 2) == "50.0%")
        #expect(Percent.text(3, of: nil) == nil && Percent.text(3, of: 0) == nil && Percent.text(nil, of: 5) == nil)
    }
}

@Suite("trend table")
struct TrendTableTests {
    @Test("figures line up from row to row whatever their widths")
    func aligned() {
        // Each type's cell was padded as one string, so a row of "1 of 290  0.3%" put its
        // shares left of a row of "279 of 290  96.2%".
        func cell(_ covered: Int, _ total: Int, _ population: Int) -> CoverageTable.Cell {
            CoverageTable.Cell(covered: covered, inventoried: covered, total: total,
                               populationCovered: population, populationTotal: 10_000_000)
        }
        let report = TrendReport(term: "e-archive", name: "E-arkiv", isStandard: false, points: [
            .init(snapshot: 1, takenAt: "2026-01-01T00:00:00Z", gitCommit: nil,
                  byType: [("kommun", cell(1, 290, 50_000)), ("region", cell(0, 21, 0))]),
            .init(snapshot: 12, takenAt: "2026-06-01T00:00:00Z", gitCommit: "0123456789abcdef",
                  byType: [("kommun", cell(279, 290, 9_740_000)), ("region", cell(21, 21, 10_000_000))]),
        ])
        let lines = TrendRenderer.render(report, as: .table).split(separator: "\n")
        let rows = lines.filter { $0.hasPrefix("1 ") || $0.hasPrefix("12 ") }
        #expect(rows.count == 2)
        // Every cell after the commit ends in the same column in both rows.
        func ends(_ row: Substring) -> [Int] {
            let chars = Array(row)
            return chars.indices.filter { chars[$0] != " " && ($0 + 1 == chars.count || chars[$0 + 1] == " ") }
        }
        #expect(ends(rows[0]).suffix(6) == ends(rows[1]).suffix(6), "\(rows)")
        #expect(rows[0].contains("0.5%") && rows[1].contains("97.4%") && rows[1].contains("100.0%"), "\(rows)")
        #expect(rows[0].contains(" - "), "no commit is shown as -: \(rows[0])")
    }
}

@Suite("trend chart")
struct TrendChartLabelTests {
    @Test("snapshot labels never overlap (the last always shows) and the dates stay inside the picture")
    func labelsHaveRoom() throws {
        let cell = CoverageTable.Cell(covered: 1, inventoried: 1, total: 290, populationCovered: 10, populationTotal: 100)
        // Seven snapshots in one minute, then one a week later.
        let points = (1...8).map { k in
            TrendReport.Point(snapshot: Int64(k), takenAt: k < 8 ? "2026-11-18T09:00:0\(k)Z" : "2026-11-25T09:00:00Z", gitCommit: nil,
                              byType: [("kommun", cell)])
        }
        let svg = TrendRenderer.render(TrendReport(term: "e-archive", name: "E-arkiv", isStandard: false, points: points), as: .svg)
        let labels = try Regex(#"<text x="([0-9.]+)"[^>]*>#([0-9]+)</text>"#)
        let placed = svg.matches(of: labels).map { (x: Double($0.output[1].substring!)!, id: String($0.output[2].substring!)) }
        #expect(placed.last?.id == "8", "\(placed)")
        for (a, b) in zip(placed, placed.dropFirst()) { #expect(b.x - a.x >= 22, "\(placed)") }
        // The first date starts at the left of the plot, the last ends at its right edge: neither runs out of the 640-pixel picture.
        #expect(svg.contains(##"text-anchor="start" fill="#666">2026-11-18</text>"##) && svg.contains(##"text-anchor="end" fill="#666">2026-11-25</text>"##), "\(svg)")
    }
}

@Suite("counts")
struct GroupedCountTests {
    @Test("thousands grouped with commas, one way in every picture and note (they read 110731, 10 088 and 3,874)")
    func grouped() {
        #expect(InfraModel.grouped(7) == "7" && InfraModel.grouped(999) == "999")
        #expect(InfraModel.grouped(3874) == "3,874" && InfraModel.grouped(10_088) == "10,088" && InfraModel.grouped(251_883) == "251,883")
        #expect(InfraModel.grouped(1_000_000) == "1,000,000" && InfraModel.grouped(-1234) == "-1,234")
    }
}
