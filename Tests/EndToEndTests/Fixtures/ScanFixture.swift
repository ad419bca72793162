// The scan fixture: inventories with exactly known problems, asserted in ScanTests.swift.
//
// They are Swift string literals rather than .yaml files because the EndToEndTests target
// declares no resources: a .yaml file here would make SwiftPM warn about unhandled files on
// every build. The tests write them to a temporary directory as fixture/*.yaml.

enum ScanFixture {
    /// A kommun with one of each problem. Everything not marked PROBLEM is meant to be clean.
    static let timra = """
        # End-to-end fixture for `infra scan`: a kommun with exactly known problems.
        inventory: 1
        organisation:
          id: timra
          name: Timrå kommun
          type: kommun
          code: "2262"

        services:
          - id: skolplattform
            name: Skolplattform
            capability: school-platform
            depends_on: [server]

          - id: omsorg
            name: Verksamhetssystem för socialtjänst och omsorg
            capability: social-care-records
            # PROBLEM (info): the same product as omsorgsbolaget/omsorg → consolidation candidate.
            product: Lifecare AB
            depends_on: [siths, server]

          - id: trygghetslarm
            name: Digitala trygghetslarm
            capability: digital-safety-alarm
            depends_on: [server]

          - id: skolwebb
            name: Skolwebb
            capability: citizen-portal
            standards: [oidc]
            # PROBLEM: gauge break, oidc against saml2 (identity-federation family).
            depends_on: [skolinloggning]

          - id: portal
            name: E-tjänsteportal
            capability: e-service
            depends_on: [server]

        soft:
          - id: bankid
            name: BankID
            capability: eid-citizen
            depends_on: [bankid/bankid, server]

          - id: siths
            name: SITHS
            capability: eid-staff
            depends_on: [inera/siths, server]

          - id: underskrift
            name: E-underskrift
            capability: e-signature
            depends_on: [server]

          - id: sdk
            name: Säker digital kommunikation
            capability: secure-messaging
            depends_on: [digg/sdk, server]

          - id: digital-post
            name: Digital post
            capability: digital-mailbox
            depends_on: [digg/mina-meddelanden, server]

          - id: skolinloggning
            name: Skolinloggning
            capability: identity-federation
            standards: [saml2]
            depends_on: [server]

          # PROBLEM: ring-a → ring-b → ring-a, a dependency cycle of two items.
          - id: ring-a
            name: Integration A
            capability: integration
            depends_on: [ring-b, server]

          - id: ring-b
            name: Integration B
            capability: integration
            depends_on: [ring-a, server]

          - id: sjalv
            name: Lagring
            capability: document-storage
            # PROBLEM: self-dependency.
            depends_on: [sjalv, server]

          # PROBLEM: ungrounded, no path to any hard item.
          - id: svavande
            name: Öppna data
            capability: open-data

          # PROBLEM (baseline): no e-archive at all — the only kommun baseline capability missing.

        hard:
          - id: server
            name: Serverhall
            capability: datacenter

          - id: bredband
            name: Bredband
            capability: broadband-access

          - id: natverk
            name: Kommunnät
            capability: wan
            # PROBLEM: upward dependency, a hard item depending on a service.
            depends_on: [portal]

        """

    /// A second organisation running the same product ("lifecare" against timra's "Lifecare AB")
    /// for social-care-records. Otherwise clean; a bolag has no baseline.
    static let omsorgsbolaget = """
        inventory: 1
        organisation:
          id: omsorgsbolaget
          name: Omsorgsbolaget i Timrå AB
          type: bolag
          parent: timra

        services:
          - id: omsorg
            name: Verksamhetssystem omsorg
            capability: social-care-records
            product: lifecare
            depends_on: [drift]

        hard:
          - id: drift
            name: Drift
            capability: datacenter

        """

    static let files = ["fixture/timra.yaml": timra, "fixture/omsorgsbolaget.yaml": omsorgsbolaget]
}
