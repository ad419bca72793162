import InfraModel
import Testing
@testable import InfraReport

@Suite("trend chart")
struct TrendChartTests {
    static func point(_ id: Int64, _ takenAt: String, covered: Int) -> TrendReport.Point {
        TrendReport.Point(snapshot: id, takenAt: takenAt, gitCommit: nil, byType: [
            ("kommun", CoverageTable.Cell(covered: covered, inventoried: 10, total: 290, populationCovered: covered * 10_000,
                                          populationTotal: 10_587_710)),
        ])
    }

    /// The x coordinates of the first polyline.
    static func xs(_ svg: String) throws -> [Double] {
        let line = try #require(svg.split(separator: "\n").first { $0.hasPrefix("<polyline") })
        let points = try #require(line.firstMatch(of: /points="([^"]+)"/)?.output.1)
        return points.split(separator: " ").compactMap { Double($0.split(separator: ",")[0]) }
    }

    @Test("snapshots are placed by when they were taken: a week, then seven weeks, apart look so")
    func spacedByTime() throws {
        let svg = TrendRenderer.svg(TrendReport(term: "e-archive", name: "E-arkiv", isStandard: false, points: [
            Self.point(1, "2026-01-01T08:00:00Z", covered: 2), Self.point(2, "2026-01-08T08:00:00Z", covered: 2),
            Self.point(3, "2026-02-26T08:00:00Z", covered: 3),
        ]))
        let x = try Self.xs(svg)
        #expect(x.count == 3)
        // 7 days of 56 between the first and the second.
        #expect(abs((x[1] - x[0]) / (x[2] - x[0]) - 7.0 / 56.0) < 0.01, "\(x)")
        // Times that cannot be read: placed in order, evenly.
        let even = try Self.xs(TrendRenderer.svg(TrendReport(term: "e-archive", name: "E-arkiv", isStandard: false, points: [
            Self.point(1, "?", covered: 2), Self.point(2, "?", covered: 2), Self.point(3, "?", covered: 3),
        ])))
        #expect(abs((even[1] - even[0]) - (even[2] - even[1])) < 0.01, "\(even)")
    }

    @Test("small shares get a scale they show on (0 to 2 %, not 0 to 100 %); the axis says what it counts")
    func scaleFitsTheShares() throws {
        let svg = TrendRenderer.svg(TrendReport(term: "e-archive", name: "E-arkiv", isStandard: false, points: [
            Self.point(1, "2026-01-01T08:00:00Z", covered: 2), Self.point(2, "2026-01-08T08:00:00Z", covered: 3),
        ]))
        #expect(svg.contains(">2%</text>") && !svg.contains(">100%</text>"), "\(svg)")
        #expect(svg.contains(">share covered</text>") && svg.contains("kommun of 290"))
        // 2 → 3 of 290 (0.69 % → 1.03 %) rises by a sixth of the plot, not by a pixel.
        let line = try #require(svg.split(separator: "\n").first { $0.hasPrefix("<polyline") })
        let ys = try #require(line.firstMatch(of: /points="([^"]+)"/)?.output.1).split(separator: " ")
            .compactMap { Double($0.split(separator: ",")[1]) }
        #expect(ys.count == 2 && ys[0] - ys[1] > 40, "\(ys)")
    }
}
