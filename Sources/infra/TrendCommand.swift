import ArgumentParser
import Foundation
import InfraModel
import InfraReport
import InfraStore

struct TrendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trend",
        abstract: "A capability's (or standard's) coverage over the snapshots: counts and population share.",
        discussion: """
        One row per snapshot recorded with `infra scan --save`, one column per organisation \
        type: organisations covered (of all in Sweden for kommun and region, else of those \
        inventoried) and the share of the population they serve.

          infra trend e-archive
          infra trend e-archive --format svg --output e-archive.svg
          infra trend oidc --db /data/infra.db --format csv
        """)

    @Argument(help: "A capability or standard id (as in `infra coverage`).")
    var capability: String

    @Option(help: "The history database.")
    var db: String = defaultDatabase

    @Option(help: "Output format: table, csv, json, svg (a small line chart).")
    var format: TrendFormatArgument = .table

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    func run() throws {
        let store = try openStore(db, create: false)
        let points = try storeCall { () throws(StoreError) in try store.trend(capability) }
        guard let first = points.first else {
            let snapshots = try storeCall { () throws(StoreError) in try store.snapshots() }
            if snapshots.isEmpty { throw InputProblem("\(db): holds no snapshots; record one with `infra scan PATH --save \(db)`") }
            let terms = try storeCall { () throws(StoreError) in try store.terms() }
            let near = Suggest.nearest(to: capability, in: terms)
            throw InputProblem("no capability or standard `\(capability)` in \(db)" + (near.map { " — did you mean `\($0)`?" } ?? "")
                               + " (`infra vocabulary` lists the terms)")
        }
        // A term that is both a capability and a standard: the capability.
        let isStandard = !points.contains { !$0.record.isStandard }
        var rows: [TrendReport.Point] = []
        for p in points where p.record.isStandard == isStandard {
            let figures = p.record.cell
            if let last = rows.last, last.snapshot == p.snapshot.id {
                rows[rows.count - 1].byType.append((p.record.organisationType, figures))
            } else {
                rows.append(TrendReport.Point(snapshot: p.snapshot.id, takenAt: p.snapshot.takenAtText, gitCommit: p.snapshot.gitCommit,
                                              byType: [(p.record.organisationType, figures)]))
            }
        }
        let name = points.last { $0.record.isStandard == isStandard }?.record.name ?? first.record.name
        try storeCall { () throws(StoreError) in try store.verifyUnchanged() }
        let text = TrendRenderer.render(TrendReport(term: capability, name: name, isStandard: isStandard, points: rows), as: format.value)
        if let output { try writeNew(text, to: output) } else { try write(text) }
    }
}

enum TrendFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, svg
    var value: TrendFormat { TrendFormat(rawValue: rawValue)! }
}
