@testable import InfraChecks
import InfraModel
import Testing

/// Items marked `sensitivity: restricted` keep their product and vendor out of findings,
/// which go to CI logs, code scanning and snapshots like the exports that mask them.
@Suite struct RestrictedTests {
    static func kommun(_ id: String, sensitivity: String) -> String {
        Ex.org("hard:\n  - id: brandvagg\n    name: Brandvägg\n    capability: firewall\n    product: HemligVägg\n    vendor: HemligLeverantör\n    sensitivity: \(sensitivity)", id: id)
    }

    @Test("a restricted item joins no shared-product group: its product could be read from the others' in it")
    func sharedProductWithheld() throws {
        let open = scan(Example(files: [("a.yaml", Self.kommun("kommun-a", sensitivity: "internal")),
                                         ("b.yaml", Self.kommun("kommun-b", sensitivity: "internal"))]))
        let named = try #require(open.findings.first { $0.rule == .sharedProduct })
        #expect(named.message.hasPrefix("HemligVägg (HemligLeverantör) is run separately"), "\(named.message)")

        // One of the two restricted: no group is left (one organisation runs it openly).
        let masked = scan(Example(files: [("a.yaml", Self.kommun("kommun-a", sensitivity: "internal")),
                                           ("b.yaml", Self.kommun("kommun-b", sensitivity: "restricted"))]))
        #expect(!masked.findings.contains { $0.rule == .sharedProduct }, "\(masked.findings.map(\.message))")
        for f in masked.findings {
            #expect(!f.message.contains("Hemlig") && !(f.help ?? "").contains("Hemlig"), "\(f.rule): \(f.message)")
        }
        // Three, one restricted: the two open ones are the group, and the restricted one is not named in it.
        let three = scan(Example(files: [("a.yaml", Self.kommun("kommun-a", sensitivity: "internal")),
                                          ("b.yaml", Self.kommun("kommun-b", sensitivity: "restricted")),
                                          ("c.yaml", Self.kommun("kommun-c", sensitivity: "internal"))]))
        let group = try #require(three.findings.first { $0.rule == .sharedProduct })
        #expect(group.message.hasPrefix("HemligVägg (HemligLeverantör) is run separately for `firewall` by 2 organisations"), "\(group.message)")
        #expect(group.related == ["kommun-a/brandvagg", "kommun-c/brandvagg"])
    }
}
