@testable import InfraChecks
import Foundation
import InfraModel
import InfraReference
import Testing

/// Help that can be followed: what it tells a user to do is possible and fixes the finding.
@Suite struct AdviceTests {
    @Test("a file that could not be read is named in the help of what it may hold: a dangling reference into it, a baseline capability missing")
    func unreadFileNamedInHelp() throws {
        let header = "inventory: 1\norganisation: {id: timra, name: Timrå kommun, type: kommun, code: \"2262\"}\n"
        let main = header + "services:\n  - {id: portal, name: Portal, capability: e-service, depends_on: [arkiv]}\n"
        let broken = "inventory: 1\norganisation: {id: timra}\nsoft:\n  - {id: arkiv, name: E-arkiv, capability: e-archive, depends_on: [server}\n"
        let result = scan(Example(files: [("timra.yaml", main), ("arkiv.yaml", broken)]))
        let stop = try #require(result.findings.first { $0.rule == .yamlSyntax })
        // The break's finding is as it was (no organisation), so a findings baseline's fingerprint of it still matches.
        #expect(stop.organisation == nil && stop.file == "arkiv.yaml", "\(stop)")
        #expect(result.findings.unreadFiles.map(\.file) == ["arkiv.yaml"])
        #expect(result.catalog.unreadFiles == ["timra": ["arkiv.yaml"]])
        let dangling = try #require(result.findings.first { $0.rule == .unresolvedReference })
        #expect(dangling.help?.hasPrefix("fix `arkiv.yaml` first, which could not be read (its error is reported there) and may hold it; else ") == true,
                "\(dangling.help ?? "")")
        let archive = try #require(result.findings.first { $0.rule == .baselineMissing && $0.message.contains("`e-archive`") })
        #expect(archive.help?.hasPrefix("fix `arkiv.yaml` first") == true, "\(archive.help ?? "")")
        // Read, the file leaves neither.
        let fixed = scan(Example(files: [("timra.yaml", main), ("arkiv.yaml", broken.replacingOccurrences(of: "[server}", with: "[]}"))]))
        #expect(fixed.findings.unreadFiles.isEmpty && !fixed.findings.contains { $0.rule == .unresolvedReference }, "\(fixed.findings)")
    }

    @Test("an organisation number with an en dash says so (it looks like the hyphen it replaced)")
    func enDashInOrganisationNumber() throws {
        let problem = try #require(HeaderCheck.orgNumberProblem("212000–0142"))
        #expect(problem.message.contains("dash (–, U+2013) where a hyphen (-) belongs"), "\(problem)")
        #expect(HeaderCheck.orgNumberProblem("212000-0142") == nil)  // the same number with its hyphen
    }

    @Test("an unknown kommunkod or länskod gets the code of the kommun or region the header's name names, not the nearest code")
    func unknownCodeFollowsTheName() throws {
        func messages(_ header: String) -> [String] {
            scan(Example(files: [("a.yaml", "inventory: 1\norganisation: {\(header)}\n")])).findings
                .filter { $0.rule == .unknownCode }.map(\.message)
        }
        // 9999's nearest code is Falköping's 1499; the name says Sundsvall (2281).
        #expect(messages("id: sundsvall, name: Sundsvalls kommun, type: kommun, code: \"9999\"")
                == ["kommunkod \"9999\" is not one of Sweden's 290 municipalities — did you mean \"2281\" (Sundsvall, as the name says)?"])
        // Upplands Väsby's name holds no other kommun's; the longest name matching wins.
        #expect(messages("id: uv, name: Upplands Väsby kommun, type: kommun, code: \"0999\"").first?.contains("\"0114\" (Upplands Väsby") == true)
        // A name of a paragraph is not searched for kommun names (a 1 MB one took 7 s): the nearest code.
        #expect(messages("id: x, name: \(String(repeating: "Sundsvall ", count: 30)), type: kommun, code: \"9999\"").first?.contains("(Falköping)?") == true)
        // A name that names no kommun: the nearest code, as before.
        #expect(messages("id: x, name: Exempel, type: kommun, code: \"9999\"").first?.contains("(Falköping)?") == true)
        #expect(messages("id: rv, name: Region Västernorrland, type: region, code: \"99\"")
                == ["länskod \"99\" is not one of Sweden's 21 regions — did you mean \"22\" (Region Västernorrland, as the name says)?"])
    }

    @Test("a kommun's name that names another kommun than its code says which code that one has; following it leaves no finding")
    func nameMismatchNamesTheCode() throws {
        func findings(_ code: String) -> [Finding] {
            scan(Example(files: [("a.yaml", "inventory: 1\norganisation: {id: timra, name: Timrå kommun, type: kommun, code: \"\(code)\"}\n")]))
                .findings.filter { $0.rule == .nameMismatch }
        }
        let f = try #require(findings("2260").first)
        #expect(f.message == "name \"Timrå kommun\" does not match kommunkod 2260, which is Ånge — the name is Timrå's, whose code is \"2262\"", "\(f.message)")
        #expect(f.help?.hasSuffix("2262 is Timrå kommun (`code: \"2262\"`)") == true, "\(f.help ?? "")")
        #expect(findings("2262").isEmpty)
    }

    @Test("Gotland's kommun, scanned without a region 09, has the region's baseline too (coverage counts it as the region)")
    func gotlandHasTheRegionBaseline() throws {
        let gotland = "inventory: 1\norganisation: {id: gotland, name: Region Gotland, type: kommun, code: \"0980\"}\nhard:\n  - {id: wan, name: WAN, capability: wan}\n"
        let gaps = Set(scan(Example(files: [("g.yaml", gotland)])).findings.filter { $0.rule == .baselineMissing }.compactMap { f in
            f.message.split(separator: "`").dropFirst().first.map(String.init)
        })
        let region = Set(Reference.vocabulary.baseline.expected[.region] ?? []), kommun = Set(Reference.vocabulary.baseline.expected[.kommun] ?? [])
        #expect(gaps == region.union(kommun).subtracting(["wan"]), "\(gaps.sorted())")
        // With a region 09 inventory scanned, the kommun has the kommun baseline only.
        let region09 = "inventory: 1\norganisation: {id: region-gotland, name: Region Gotland, type: region, code: \"09\"}\n"
        let withRegion = scan(Example(files: [("g.yaml", gotland), ("r.yaml", region09)])).findings
            .filter { $0.rule == .baselineMissing && $0.organisation == "gotland" }
        #expect(withRegion.count == kommun.subtracting(["wan"]).count, "\(withRegion.map(\.message))")
    }

    @Test("a national component infra lacks, added in a file joining its built-in organisation: checked, but no baseline or consolidation for it")
    func joiningANationalOrganisation() throws {
        let navet = "inventory: 1\norganisation: {id: skatteverket}\nsoft:\n  - {id: navet, name: Navet, capability: base-data, product: Navet}\n"
        let kommun = GapCheck.kommunHeader + """
            soft:
              - {id: folkbokforing, name: Folkbokföring, capability: base-data, product: Navet, depends_on: [skatteverket/navet]}
            """
        let result = scan(Example(files: [("navet.yaml", navet), ("kommun.yaml", kommun)]))
        #expect(!result.findings.contains { $0.organisation == "skatteverket" && $0.rule == .baselineMissing },
                "\(result.findings.filter { $0.organisation == "skatteverket" }.map(\.message))")
        #expect(!result.findings.contains { $0.rule == .sharedProduct }, "\(result.findings.map(\.message))")
        #expect(!result.findings.contains { $0.rule == .unresolvedReference })
        let skatteverket = try #require(result.catalog.organisation("skatteverket"))
        #expect(result.catalog.organisations[skatteverket].joinsBuiltIn && !result.catalog.organisations[skatteverket].isNational)
        // Its items are still checked as the user's are: a cycle among them is found.
        let cycle = navet.replacingOccurrences(of: "product: Navet}", with: "product: Navet, depends_on: [navet-2]}\n  - {id: navet-2, name: N2, capability: base-data, depends_on: [navet]}")
        #expect(scan(Example(files: [("navet.yaml", cycle), ("kommun.yaml", kommun)])).findings.contains { $0.rule == .dependencyCycle })
        #expect(result.catalog.resolve("skatteverket/navet") != nil)
    }

    @Test("an organisation's own id where an item belongs, in its only item: not suggested itself")
    func organisationIdNotItself() throws {
        let kommun = Ex.org("services:\n  - {id: s, name: S, capability: e-service-platform, depends_on: [kommun-a]}", id: "kommun-a")
        let f = try #require(scan(Example(files: [("a.yaml", kommun)])).findings.first { $0.rule == .unresolvedReference })
        #expect(!f.message.contains("kommun-a/s"), "\(f.message)")
    }

    @Test("an organisation's id where an item belongs: the help lists that organisation's items")
    func organisationItemsListed() throws {
        let kommun = Ex.org("services:\n  - {id: portal, name: Portal, capability: e-service-platform, depends_on: [bolagsverket]}", id: "kommun-a")
        let f = try #require(scan(Example(files: [("a.yaml", kommun)])).findings.first { $0.rule == .unresolvedReference })
        #expect(f.message == "`bolagsverket` refers to no item in this scan — did you mean `bolagsverket/…`?", "\(f.message)")
        #expect(f.help?.hasSuffix("; the items of `bolagsverket`: `bolagsverket/drift`, `bolagsverket/mina-ombud`") == true, "\(f.help ?? "")")
    }

    @Test("a reference to an organisation not in the scan says to scan it; a misspelt one says to correct it")
    func organisationNotScanned() throws {
        let kommun = Ex.org("""
            services:
              - {id: portal, name: Portal, capability: e-service-platform, depends_on: [sundsvall/e-arkiv, kommun-b/x]}
            """, id: "kommun-a").replacingOccurrences(of: "type: annan", with: "type: annan\n  parent: kommun-bb")
        let other = Ex.org("hard:\n  - {id: x, name: X, capability: datacenter}", id: "kommun-b")
        let findings = scan(Example(files: [("a.yaml", kommun), ("b.yaml", other)])).findings.filter { $0.rule == .unresolvedReference }
        let sundsvall = try #require(findings.first { $0.message.hasPrefix("`sundsvall/e-arkiv`") }, "\(findings.map(\.message))")
        #expect(sundsvall.help == "scan the inventory of `sundsvall` too (give its file or directory), or correct the organisation id")
        let parent = try #require(findings.first { $0.message.hasPrefix("organisation `kommun-bb`") }, "\(findings.map(\.message))")
        #expect(parent.help == "correct the id to `kommun-b`, or scan the inventory of `kommun-bb` too if it is another organisation")
    }

    @Test("a county written by name gets its länskod; following the help leaves no finding")
    func countyByName() throws {
        func findings(_ county: String) -> [Finding] {
            scan(Example(files: [("a.yaml", "inventory: 1\norganisation: {id: x, name: X, type: myndighet, county: \(county)}\n")])).findings
                .filter { $0.rule == .unknownCode }
        }
        for (written, code, name) in [("Stockholm", "01", "Stockholms län"), ("Västernorrlands län", "22", "Västernorrlands län"),
                                      ("Region Skåne", "12", "Skåne län"), ("gotland", "09", "Gotlands län"), ("Skane", "12", "Skåne län"),
                                      ("Orebro", "18", "Örebro län")] {
            let f = findings(written)
            #expect(f.map(\.message) == ["county \"\(written)\" is not a Swedish länskod — did you mean \"\(code)\" (\(name))?"], "\(f)")
            #expect(f.first?.help == "write `county: \"\(code)\"`")
            #expect(findings("\"\(code)\"").isEmpty)
        }
        // No county of that name: the general help, which names the county its example is.
        #expect(findings("AB").first?.help == "use the 2-digit länskod, quoted, e.g. \"22\" for Västernorrlands län")
    }

    @Test("an ungrounded item that reaches a hard item through one not running is told which one to make active")
    func ungroundedThroughAPlannedItem() throws {
        func helps(_ hallStatus: String, _ platformStatus: String) -> [String: String] {
            let kommun = Ex.org("""
                services:
                  - {id: portal, name: Portal, capability: e-service-platform, depends_on: [plattform]}
                soft:
                  - {id: plattform, name: Plattform, capability: integration-platform, status: \(platformStatus), depends_on: [hall]}
                hard:
                  - {id: hall, name: Hall, capability: datacenter, status: \(hallStatus)}
                """, id: "kommun-a")
            let found = scan(Example(files: [("a.yaml", kommun)])).findings.filter { $0.rule == .ungrounded }
            return Dictionary(found.map { ($0.item ?? "", $0.help ?? "") }, uniquingKeysWith: { a, _ in a })
        }
        let planned = helps("planned", "active")
        #expect(planned["portal"] == "`kommun-a/hall`, the hard item it rests on, is planned: mark it active if it runs, or depend on one that does")
        #expect(planned["plattform"] == planned["portal"])
        let retired = helps("active", "retired")
        #expect(retired["portal"] == "its path to the hard item `kommun-a/hall` goes through `kommun-a/plattform`, which is retired: mark that active if it runs, or depend on a running item instead")
        // Done as it says, nothing is ungrounded.
        #expect(helps("active", "active").isEmpty)
    }

    @Test("an ungrounded item is told of the nearest hard item it reaches; one that reaches none gets the general help")
    func ungroundedNearestHardItem() throws {
        let kommun = Ex.org("""
            services:
              - {id: portal, name: Portal, capability: e-service-platform, depends_on: [plattform, reserv]}
              - {id: ensam, name: Ensam, capability: e-service, depends_on: [ensam-2]}
              - {id: ensam-2, name: Ensam 2, capability: e-service}
            soft:
              - {id: plattform, name: Plattform, capability: integration-platform, status: retired, depends_on: [hall]}
            hard:
              - {id: hall, name: Hall, capability: datacenter}
              - {id: reserv, name: Reservhall, capability: datacenter, status: planned}
            """, id: "kommun-a")
        let found = scan(Example(files: [("a.yaml", kommun)])).findings.filter { $0.rule == .ungrounded }
        let helps = Dictionary(found.map { ($0.item ?? "", $0.help ?? "") }, uniquingKeysWith: { a, _ in a })
        // One step to the planned hall, two through the retired platform to the active one.
        #expect(helps["portal"] == "`kommun-a/reserv`, the hard item it rests on, is planned: mark it active if it runs, or depend on one that does")
        #expect(helps["ensam"]?.hasPrefix("add the network, data centre or cloud it runs on") == true, "\(helps)")
        #expect(helps["ensam-2"] == helps["ensam"])
    }

    @Test("a missing baseline capability that national components provide names them; Gotland's region is its kommun")
    func baselineNamesNationalComponents() throws {
        let result = scan(Example(GapCheck.kommunHeader + "hard:\n  - {id: wan, name: WAN, capability: wan}\n"))
        let eid = try #require(result.findings.first { $0.rule == .baselineMissing && $0.message.contains("`eid-citizen`") })
        #expect(eid.help?.hasPrefix("depend on the national component that provides it (`bankid/bankid`") == true, "\(eid.help ?? "")")
        // A capability no national component provides keeps the general help.
        let archive = try #require(result.findings.first { $0.rule == .baselineMissing && $0.message.contains("`e-archive`") })
        #expect(archive.help?.hasPrefix("add an active item with `capability: e-archive`") == true)

        var country = Example(files: [("a.yaml", Ex.org("hard: []", id: "kommun-a"))])
        country.country = true
        let missing = scan(country).findings.filter { $0.rule == .missingInventory }
        #expect(missing.first { $0.message.hasPrefix("region 09 ") }?.help == "Region Gotland is Gotlands kommun: `infra init --kommun 0980` prints one starter inventory for both")
        #expect(missing.first { $0.message.hasPrefix("kommun 0980 ") }?.help?.hasSuffix("(for Region Gotland too: the kommun is the region)") == true)
    }

    @Test("an unknown standard written short or as its name gets the id it means")
    func standardSuggestions() throws {
        let ids = ["fhir-r4", "hl7v2", "peppol-bis3", "ss12000", "fgs-paket", "saml2", "ipv4", "ipv6"]
        for (written, meant) in [("fhir", "fhir-r4"), ("hl7", "hl7v2"), ("peppol", "peppol-bis3"), ("SS 12000", "ss12000"),
                                 ("FGS", "fgs-paket"), ("saml", "saml2"), ("FHIR R4", "fhir-r4")] {
            #expect(VocabularyCheck.nearestStandard(written, in: ids) == meant, "\(written)")
        }
        // Written as the standard's name.
        #expect(VocabularyCheck.nearestStandard("SAML 2.0", in: ids, names: ["saml2": "SAML 2.0"]) == "saml2")
        #expect(VocabularyCheck.nearestStandard("x", in: ids) == nil)
        #expect(VocabularyCheck.nearestStandard("zzzz", in: ids) == nil)
    }

    @Test("an unknown capability written as its Swedish or English name gets the id of that capability")
    func capabilityByItsName() throws {
        func message(_ capability: String, layer: String = "hard") -> String? {
            let yaml = Ex.org("\(layer):\n  - id: a\n    name: A\n    capability: \(capability)")
            return scan(Example(yaml)).findings.first { $0.rule == .unknownCapability }?.message
        }
        #expect(message("bredband") == "unknown capability `bredband` — did you mean `broadband-access` (Bredband)?")
        #expect(message("Broadband access")?.contains("`broadband-access`") == true)
        // An id within reach of a known id is still matched by id first.
        #expect(message("e-servic", layer: "services") == "unknown capability `e-servic` — did you mean `e-service` (E-tjänst)?")
        // A term of another layer says so: taken as it is, it would be capability-wrong-layer.
        #expect(message("e-archiv", layer: "services")
                == "unknown capability `e-archiv` — did you mean `e-archive` (E-arkiv)? It is a soft capability: the item would move under `soft:`")
        #expect(message("e-archiv", layer: "soft") == "unknown capability `e-archiv` — did you mean `e-archive` (E-arkiv)?")
    }

    @Test("a missing baseline capability names the item whose custom capability (x-e-arkiv) looks like it, and following that help fills the gap")
    func customCapabilityForABaselineOne() throws {
        func gaps(_ capability: String) -> [Finding] {
            let yaml = GapCheck.kommunHeader + "soft:\n  - id: arkiv\n    name: Arkiv\n    capability: \(capability)\n"
            return scan(Example(yaml)).findings.filter { $0.rule == .baselineMissing }
        }
        let archive = try #require(gaps("x-e-arkiv").first { $0.message.hasPrefix("baseline capability `e-archive`") })
        #expect(archive.help?.hasPrefix("`arkiv` has the custom capability `x-e-arkiv`, which counts for no baseline; if it is e-archive, write `capability: e-archive` there.") == true,
                "\(archive.help ?? "")")
        // Only the gap it looks like gets the hint.
        #expect(gaps("x-e-arkiv").filter { $0.help?.contains("x-e-arkiv") == true }.count == 1)
        // Done as it says, the gap is gone.
        #expect(!gaps("e-archive").contains { $0.message.hasPrefix("baseline capability `e-archive`") })
    }

    @Test("a blank product (a starter's `product: \"\"` left as it was) or one with nothing to compare (`-`) groups no organisations")
    func blankProductsAreNoProduct() throws {
        func infos(_ product: String) -> [Finding] {
            let files = ["a", "b"].map { id in
                ("\(id).yaml", Ex.org("services:\n  - id: skola\n    name: Skola\n    capability: school-platform\n    product: \(product)", id: "org-\(id)"))
            }
            return scan(Example(files: files)).findings.filter { $0.rule == .sharedProduct }
        }
        #expect(infos("\"\"").isEmpty)
        #expect(infos("\"  \"").isEmpty)
        #expect(infos("\"-\"").isEmpty)
        #expect(infos("Unikum").count == 1)  // a real product is still grouped
    }

    @Test("references written with capitals, another separator or extra words get the item they mean; never the depending item itself")
    func referenceSuggestions() throws {
        let kommun = Ex.org("""
            services:
              - id: portal
                name: Portal
                capability: e-service-platform
                depends_on: [BankID, inera.siths, "inera:siths", inera/siths-kort, npö, inera/npö, wan]
            soft:
              - id: siths
                name: SITHS
                capability: eid-staff
                depends_on: [SITHS, wan]
            hard:
              - {id: wan, name: WAN, capability: wan}
            """, id: "kommun-a")
        let messages = scan(Example(files: [("a.yaml", kommun)])).findings.filter { $0.rule == .unresolvedReference }.map(\.message)
        for (written, meant) in [("BankID", "bankid/bankid"), ("inera.siths", "inera/siths"), ("inera:siths", "inera/siths"), ("npö", "inera/npo"),
                                 ("inera/npö", "inera/npo"),
                                 ("inera/siths-kort", "inera/siths"), ("SITHS", "inera/siths")] {
            #expect(messages.contains("`\(written)` refers to no item in this scan — did you mean `\(meant)`?"), "\(written): \(messages)")
        }
    }

    @Test("a reference to an item whose own id is not valid says to rename that id (as its bad-id does), not to copy it")
    func referenceToAnInvalidID() throws {
        let kommun = Ex.org("services:\n  - {id: portal, name: Portal, capability: e-service-platform, depends_on: [kommunnat]}\n"
                            + "hard:\n  - {id: kommunnät, name: Kommunnät, capability: wan}", id: "kommun-a")
        let result = scan(Example(files: [("a.yaml", kommun)]))
        let f = try #require(result.findings.first { $0.rule == .unresolvedReference }, "\(result.findings.map(\.message))")
        #expect(f.message == "`kommunnat` refers to no item in this scan — item `kommunnät` may be meant, but its id is not a valid one: rename it to `kommunnat` (its bad-id error), and this reference finds it")
        // Done as it says, both errors are gone.
        let renamed = scan(Example(files: [("a.yaml", kommun.replacingOccurrences(of: "id: kommunnät", with: "id: kommunnat"))]))
        #expect(!renamed.findings.contains { $0.rule == .unresolvedReference || $0.rule == .badID })
    }

    @Test("an own implementation of a capability several national components provide names them all (staff e-ID: SITHS, EFOS, Freja)")
    func everyNationalAlternative() throws {
        let kommun = Ex.org("soft:\n  - {id: inloggning, name: Egen inloggning, capability: eid-staff}", id: "kommun-a")
        let f = try #require(scan(Example(files: [("a.yaml", kommun)])).findings.first { $0.rule == .nationalAlternative })
        #expect(f.related == ["forsakringskassan/efos", "freja/freja-eid-tjanst", "inera/siths"], "\(f.related)")
        #expect(f.message == "`inloggning` is an own `eid-staff`; national components provide it: `forsakringskassan/efos`, `freja/freja-eid-tjanst`, `inera/siths`")
    }

    @Test("after an item is renamed as its bad-id error says, a reference still written the old way gets the new id")
    func referenceToARenamedID() throws {
        let kommun = Ex.org("""
            services:
              - {id: portal, name: Portal, capability: e-service-platform, depends_on: [E_Arkiv, kommun-a/E_Arkiv, wan]}
            soft:
              - {id: e-arkiv, name: E-arkiv, capability: e-archive, depends_on: [wan]}
            hard:
              - {id: wan, name: WAN, capability: wan}
            """, id: "kommun-a")
        let messages = scan(Example(files: [("a.yaml", kommun)])).findings.filter { $0.rule == .unresolvedReference }.map(\.message)
        #expect(messages.contains("`E_Arkiv` refers to no item in this scan — did you mean `e-arkiv`?"), "\(messages)")
        #expect(messages.contains("`kommun-a/E_Arkiv` refers to no item in this scan — did you mean `kommun-a/e-arkiv`?"), "\(messages)")
    }

    @Test("a national component named by its bare id, or by its organisation's, gets the org/item it means")
    func bareNationalIDs() throws {
        let kommun = Ex.org("services:\n  - id: a\n    name: A\n    capability: e-service-platform\n    depends_on: [siths, bankid, mina-meddelanden]", id: "kommun-a")
        let messages = scan(Example(files: [("a.yaml", kommun)])).findings.filter { $0.rule == .unresolvedReference }.map(\.message)
        #expect(messages.contains("`siths` refers to no item in this scan — did you mean `inera/siths`?"), "\(messages)")
        #expect(messages.contains("`bankid` refers to no item in this scan — did you mean `bankid/bankid`?"), "\(messages)")
        #expect(messages.contains("`mina-meddelanden` refers to no item in this scan — did you mean `digg/mina-meddelanden`?"), "\(messages)")
    }

    @Test("an upward dependency on another organisation's item is not to be reversed: that inventory is not this file's to edit")
    func upwardDependencyAcrossOrganisations() throws {
        let hard = Ex.org("hard:\n  - id: stadsnat\n    name: Stadsnät\n    capability: municipal-network\n    depends_on: [bankid/bankid]", id: "kommun-a")
        let across = scan(Example(files: [("a.yaml", hard)]))
        let f = try #require(across.findings.first { $0.rule == .upwardDependency }, "\(across.findings.map(\.rule))")
        #expect(f.help?.contains("`bankid/bankid` is another organisation's, so remove the reference") == true, "\(f.help ?? "")")

        let own = Ex.org("soft:\n  - id: katalog\n    name: Katalog\n    capability: directory-service\nhard:\n  - id: stadsnat\n    name: Stadsnät\n    capability: municipal-network\n    depends_on: [katalog]", id: "kommun-a")
        let within = scan(Example(files: [("a.yaml", own)]))
        let g = try #require(within.findings.first { $0.rule == .upwardDependency })
        #expect(g.help?.contains("reverse it (put `stadsnat` in `katalog`'s depends_on)") == true, "\(g.help ?? "")")
    }
}

@Suite("findings repeated through an alias")
struct RepeatTests {
    @Test("only findings in one file are repeats of each other: the same place in other files (a header's, per organisation) is another finding")
    func repeatsStayInTheirFile() {
        func finding(_ file: String, _ item: String) -> Finding {
            Finding(rule: .unknownCapability, severity: .error, message: "unknown capability `x`", file: file,
                    position: TextPosition(line: 3, column: 3), organisation: "o", item: item)
        }
        let merged = Finding.mergingRepeats([finding("a.yaml", "s1"), finding("b.yaml", "s1"), finding("a.yaml", "s2"),
                                             finding("c.yaml", "s3")])
        #expect(merged.map(\.file) == ["a.yaml", "b.yaml", "c.yaml"], "\(merged)")
        #expect(merged[0].message == "unknown capability `x` — used by 2 items through an alias: `s1`, `s2`", "\(merged[0].message)")
        #expect(merged[1].message == "unknown capability `x`" && merged[2].message == "unknown capability `x`")
    }

    @Test("past many different findings at one place (an alias every item uses, each finding naming its item), a repeat still finds its first")
    func repeatsAmongManyAtOnePlace() {
        func finding(_ message: String, _ item: String) -> Finding {
            Finding(rule: .staleReview, severity: .warning, message: message, file: "a.yaml",
                    position: TextPosition(line: 4, column: 13), organisation: "a", item: item)
        }
        let distinct = (0..<40).map { finding("`s\($0)` was last reviewed 2001-01-01", "s\($0)") }
        let merged = Finding.mergingRepeats(distinct + [finding("`s3` was last reviewed 2001-01-01", "t3"),
                                                        finding("`s39` was last reviewed 2001-01-01", "t39"),
                                                        finding("`s40` was last reviewed 2001-01-01", "s40")])
        #expect(merged.count == 41, "\(merged.map(\.message))")
        #expect(merged[3].message == "`s3` was last reviewed 2001-01-01 — used by 2 items through an alias: `s3`, `t3`")
        #expect(merged[39].message.hasSuffix("used by 2 items through an alias: `s39`, `t39`"))
        #expect(merged[40].message == "`s40` was last reviewed 2001-01-01")
    }
}
