import InfraChecks
import InfraGraph
import InfraModel

extension PipelineResult {
    /// Narrows findings to one organisation (the graph stays whole): findings about
    /// its items, or naming one of its items among `related`.
    /// A finding with no organisation (a file that could not be read, or not as an
    /// inventory) stays: it may be one of this organisation's files, whose items are then
    /// missing, and a run narrowed to it must not pass for that.
    public func findings(for organisation: String?) -> [Finding] {
        findings.filter(inView(of: organisation))
    }

    /// `findings(for:)`'s test, made once (the risks the organisation rests on are a walk of
    /// the graph) for any list of this scan's findings: all of them, or those a baseline did
    /// or did not accept.
    public func inView(of organisation: String?) -> @Sendable (Finding) -> Bool {
        guard let organisation else { return { _ in true } }
        let prefix = organisation + "/"
        let restsOn = risksRestedOn(by: organisation)
        return { f in
            f.organisation == nil || f.organisation == organisation || f.related.contains { $0.hasPrefix(prefix) }
                || (f.rule == .singlePointOfFailure && restsOn.contains((f.organisation ?? "") + "/" + (f.item ?? "")))
        }
    }

    /// Other organisations' single points of failure that `organisation`'s items depend on,
    /// directly or not (`org/item`): their failure is this organisation's too, so its view
    /// keeps them.
    func risksRestedOn(by organisation: String) -> Set<String> {
        guard let o = catalog.organisation(organisation) else { return [] }
        guard findings.contains(where: { $0.rule == .singlePointOfFailure && $0.organisation != organisation }) else { return [] }
        var seen = [Bool](repeating: false, count: catalog.items.count)
        var stack = Array(catalog.organisations[o].items)
        for i in stack { seen[i] = true }
        var refs = Set<String>()
        while let v = stack.popLast() {
            for w in catalog.dependencies.neighbours(v) where !seen[Int(w)] {
                seen[Int(w)] = true
                stack.append(Int(w))
                refs.insert(catalog.ref(Int(w)))
            }
        }
        return refs
    }

    /// The measure stage for `infra scan`: counts, baseline gaps, hotspots.
    public func overview(focus: String?, findings: [Finding], top: Int = 10) -> ScanOverview {
        var o = ScanOverview()
        o.focus = focus
        let orgs = catalog.organisations.indices.filter { i in
            let org = catalog.organisations[i]
            return focus.map { org.id == $0 } ?? !org.isNational
        }
        o.organisations = orgs.count
        o.spofThreshold = context.options.spofThreshold
        var inScope = [Bool](repeating: false, count: catalog.items.count)
        var perLayer = [Int](repeating: 0, count: Layer.allCases.count)  // counted by position: no hashing per item
        for i in orgs {
            for item in catalog.organisations[i].items {
                inScope[item] = true
                perLayer[Layer.allCases.firstIndex(of: catalog.items[item].item.layer)!] += 1
            }
        }
        for (k, layer) in Layer.allCases.enumerated() where perLayer[k] > 0 { o.itemsPerLayer[layer] = perLayer[k] }
        for v in 0..<catalog.items.count where inScope[v] {
            for w in catalog.dependencies.neighbours(v) {
                o.dependencies += 1
                if catalog.items[Int(w)].organisation != catalog.items[v].organisation { o.crossOrganisationDependencies += 1 }
            }
        }
        for i in orgs where !catalog.organisations[i].isNational {
            let missing = GapCheck.missingBaseline(of: i, context)
            if !missing.isEmpty {
                let org = catalog.organisations[i]
                o.baselineGaps.append(ScanOverview.BaselineGap(organisation: org.id, name: org.name, missing: missing))
            }
        }
        if let facts = context.facts {
            // The top few of a country's ~100,000 scored items: kept in order while scanning,
            // rather than sorting them all.
            var ranked: [(Int, Int)] = []
            for v in 0..<catalog.items.count where inScope[v] {
                let score = RiskCheck.score(services: facts.blast.services[v], critical: facts.blast.critical[v])
                guard score > 0, top > 0, ranked.count < top || score > ranked[ranked.count - 1].1 else { continue }
                // Items come in index order, so an equal score ranks after those already kept.
                let at = ranked.firstIndex { $0.1 < score } ?? ranked.count
                ranked.insert((v, score), at: at)
                if ranked.count > top { ranked.removeLast() }
            }
            o.hotspots = ranked.map { v, score in
                // A restricted item's name is withheld, as in `export`: the report goes to CI logs and pull requests.
                ScanOverview.Hotspot(ref: catalog.ref(v), name: catalog.shownName(v), layer: catalog.items[v].item.layer,
                                            services: Int(facts.blast.services[v]), critical: Int(facts.blast.critical[v]),
                                            score: score)
            }
        }
        o.consolidation = findings.filter { $0.rule == .sharedProduct }
        o.gaugeBreaks = findings.filter { $0.rule == .gaugeBreak }
        return o
    }
}
