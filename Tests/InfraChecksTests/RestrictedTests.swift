@testable import InfraChecks
import InfraModel
import Testing

/// Items marked `sensitivity: restricted` keep their product and vendor out of findings,
/// which go to CI logs, code scanning and snapshots like the exports that mask them.
@Suite struct RestrictedTests {
    static func kommun(_ id: String, sensitivity: String) -> String {
        Ex.org("hard:\n  - id: brandvagg\n    name: Brandvägg\n    capability: firewall\n    product: HemligVägg\n    vendor: HemligLeverantör\n    sensitivity: \(sensitivity)", id: id)
    }

    @Test("a shared product with a restricted item among its organisations is named as withheld, nowhere by name")
    func sharedProductWithheld() throws {
        let open = scan(Example(files: [("a.yaml", Self.kommun("kommun-a", sensitivity: "internal")),
                                         ("b.yaml", Self.kommun("kommun-b", sensitivity: "internal"))]))
        let named = try #require(open.findings.first { $0.rule == .sharedProduct })
        #expect(named.message.hasPrefix("HemligVägg (HemligLeverantör) is run separately"), "\(named.message)")

        let masked = scan(Example(files: [("a.yaml", Self.kommun("kommun-a", sensitivity: "internal")),
                                           ("b.yaml", Self.kommun("kommun-b", sensitivity: "restricted"))]))
        let withheld = try #require(masked.findings.first { $0.rule == .sharedProduct })
        #expect(withheld.message.hasPrefix("A product withheld as restricted is run separately for `firewall` by 2 organisations"), "\(withheld.message)")
        #expect(withheld.related == named.related)
        for f in masked.findings {
            #expect(!f.message.contains("Hemlig") && !(f.help ?? "").contains("Hemlig"), "\(f.rule): \(f.message)")
        }
    }
}
