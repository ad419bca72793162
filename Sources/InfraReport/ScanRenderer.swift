import InfraModel

/// `infra scan`: the overview a municipality's architect reads top to bottom,
/// followed by every finding in the chosen findings format.
public enum ScanRenderer {
    public static func render(_ overview: ScanOverview, _ report: FindingsReport, as format: FindingsFormat,
                              options: RenderOptions) -> String {
        switch format {
        case .text:
            // --quiet: what fails the run and the summary, as `validate --quiet` prints them.
            let head = options.quiet ? "" : Terminal.render(color: options.color) { style in text(overview, report, style: style) }
            return head + FindingsRenderer.render(report, as: .text, options: options)
        case .markdown:
            // The verdict first, as a pull request's reader looks for it; then the overview, then the findings.
            return MarkdownRenderer.verdict(report) + markdown(overview) + "\n### Findings\n\n"
                + MarkdownRenderer.findings(report, rowLimit: options.markdownRowLimit)
        case .json:
            return FindingsJSON.document(FindingsJSON.members(report) + [("overview", .value(json(overview)))])
        case .github, .sarif, .junit:
            return FindingsRenderer.render(report, as: format, options: options)
        }
    }

    static func text(_ o: ScanOverview, _ report: FindingsReport, style: Styler) -> String {
        var out = ""
        let s = report.summary
        let scope = o.focus.map { "organisation \($0)" } ?? "\(o.organisations) organisation\(o.organisations == 1 ? "" : "s")"
        out += style.bold("infra scan — \(scope)") + "\n"
        let layers = Layer.allCases.map { "\(o.itemsPerLayer[$0] ?? 0) \($0.rawValue)" }.joined(separator: " · ")
        out += "  items         \(layers)\n"
        out += "  dependencies  \(o.dependencies) (\(o.crossOrganisationDependencies) to other organisations)\n"
        out += "  findings      " + style.red(counted(s.errors, "error")) + " · " + style.yellow(counted(s.warnings, "warning"))
            + " · " + style.cyan(counted(s.infos, "info")) + "\n"

        out += "\n" + style.bold("Baseline gaps") + "\n"
        if o.baselineGaps.isEmpty {
            out += o.organisations == 0 ? "  none (no organisation scanned)\n" : "  none — every organisation has its baseline capabilities\n"
        }
        for gap in o.baselineGaps {
            out += "  \(TextRenderer.inline(gap.name)) (\(gap.organisation)): missing \(gap.missing.joined(separator: ", "))\n"
        }

        // The largest blast radii whether or not they pass --spof: an architect wants to see
        // what carries the most even when nothing is yet a finding.
        out += "\n" + style.bold("Largest blast radius") + " (risk score: dependent services, direct or not, critical ×4; above \(o.spofThreshold) a single point of failure)\n"
        if o.hotspots.isEmpty { out += "  none\n" }
        let width = o.hotspots.map(\.ref.count).max() ?? 0
        for h in o.hotspots {
            let critical = h.critical > 0 ? ", \(h.critical) critical" : ""
            let spof = h.score > o.spofThreshold ? " " + style.yellow("single point of failure") : ""
            out += "  \(pad(String(h.score), 6)) \(pad(h.ref, width, left: true))  \(TextRenderer.inline(h.name)) [\(h.layer.rawValue): \(counted(h.services, "service"))\(critical)]\(spof)\n"
        }

        out += "\n" + style.bold("Consolidation candidates") + " (the same product run separately)\n"
        if o.consolidation.isEmpty { out += "  none\n" }
        for f in o.consolidation.prefix(10) { out += "  \(TextRenderer.inline(f.message))\n" }
        if o.consolidation.count > 10 { out += "  … and \(o.consolidation.count - 10) more\n" }

        out += "\n" + style.bold("Gauge breaks") + " (dependencies across different standards of one family)\n"
        if o.gaugeBreaks.isEmpty { out += "  none\n" }
        for f in o.gaugeBreaks.prefix(10) { out += "  \(f.organisation ?? "")/\(f.item ?? ""): \(TextRenderer.inline(f.message))\n" }
        if o.gaugeBreaks.count > 10 { out += "  … and \(o.gaugeBreaks.count - 10) more\n" }

        out += "\n" + style.bold("Findings") + "\n"
        return out
    }

    static func markdown(_ o: ScanOverview) -> String {
        var out = "## infra scan overview\n\n"
        out += "| layer | items |\n|---|---:|\n"
        for layer in Layer.allCases { out += "| \(layer.title) | \(o.itemsPerLayer[layer] ?? 0) |\n" }
        out += "\n**Dependencies:** \(o.dependencies) (\(o.crossOrganisationDependencies) across organisations)\n\n"
        out += "### Baseline gaps\n\n"
        if o.baselineGaps.isEmpty { out += "None.\n" }
        for gap in o.baselineGaps {
            out += "- **\(MarkdownRenderer.cell(gap.name))** (`\(gap.organisation)`): " + gap.missing.map { "`\($0)`" }.joined(separator: ", ") + "\n"
        }
        out += "\n### Largest blast radius\n\n"
        if o.hotspots.isEmpty {
            out += "None.\n"
        } else {
            out += "Risk score: services depending on the item, directly or not, critical ones ×4; above \(o.spofThreshold) an item is a single point of failure.\n\n"
            out += "| item | name | services | critical | risk score | single point of failure |\n|---|---|---:|---:|---:|---|\n"
            for h in o.hotspots {
                out += "| `\(h.ref)` | \(MarkdownRenderer.cell(h.name)) | \(h.services) | \(h.critical) | \(h.score) | \(h.score > o.spofThreshold ? "yes" : "no") |\n"
            }
        }
        out += "\n### Consolidation candidates\n\n"
        if o.consolidation.isEmpty { out += "None.\n" }
        for f in o.consolidation.prefix(20) { out += "- \(MarkdownRenderer.cell(f.message))\n" }
        out += "\n### Gauge breaks\n\n"
        if o.gaugeBreaks.isEmpty { out += "None.\n" }
        for f in o.gaugeBreaks.prefix(20) { out += "- \(MarkdownRenderer.cell(f.message))\n" }
        return out
    }

    static func json(_ o: ScanOverview) -> JSONValue {
        .object([
            ("organisations", .int(o.organisations)),
            ("items", .object(Layer.allCases.map { ($0.rawValue, .int(o.itemsPerLayer[$0] ?? 0)) })),
            ("dependencies", .int(o.dependencies)),
            ("cross_organisation_dependencies", .int(o.crossOrganisationDependencies)),
            ("baseline_gaps", .array(o.baselineGaps.map {
                .object([("organisation", .string($0.organisation)), ("name", .string($0.name)), ("missing", .strings($0.missing))])
            })),
            // The items most services rest on, as text and Markdown list them; those above the
            // threshold are single points of failure (and findings).
            ("largest_blast_radius", .array(o.hotspots.map {
                .object([("item", .string($0.ref)), ("name", .string($0.name)), ("layer", .string($0.layer.rawValue)),
                         ("services", .int($0.services)), ("critical", .int($0.critical)), ("score", .int($0.score)),
                         ("above_spof_threshold", .bool($0.score > o.spofThreshold))])
            })),
            ("spof_threshold", .int(o.spofThreshold)),
            // Listed in text and Markdown; here counted, as `findings` holds them.
            ("consolidation_candidates", .int(o.consolidation.count)),
            ("gauge_breaks", .int(o.gaugeBreaks.count)),
        ])
    }


    static func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? s + fill : fill + s
    }
}
