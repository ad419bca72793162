// The impact / coverage / export fixture: five organisations in Stockholms län whose impact
// sets, coverage numbers and exported rows are worked out by hand below and asserted in
// ImpactCoverageExportTests.swift. Populations are SCB's 2024-12-31 figures from
// inventory/sweden/municipalities.csv.
//
// Swift string literals rather than .yaml files, for the same reason as ScanFixture: the
// EndToEndTests target declares no resources.
//
// Who has an e-archive (capability `e-archive`):
//   upplands-vasby (0114, 50 323)  yes — its running items depend DIRECTLY on the förbund's active e-arkiv
//   vallentuna     (0115, 35 119)  no  — own e-archive only planned; depends directly only on the förbund's
//                                        planned and retired archives; on the active one only through
//                                        non-running items or transitively (via upplands-vasby)
//   osteraker      (0117, 49 787)  yes — its own active e-arkiv
//   region-stockholm (01)          yes — its own retiring e-arkiv (retiring still runs)
//   sodra-roslagens-arkiv (forbund) yes — its own active e-arkiv
//
// Impact of sodra-roslagens-arkiv/e-arkiv (running services only, shortest path each):
//   region-stockholm/forskningsportal       → sodra-roslagens-arkiv/arkivsok → sodra-roslagens-arkiv/e-arkiv
//   sodra-roslagens-arkiv/arkivsok          → sodra-roslagens-arkiv/e-arkiv
//   upplands-vasby/diarium                  → upplands-vasby/integrationsplattform → sodra-roslagens-arkiv/e-arkiv
//   upplands-vasby/omsorg (critical)        → sodra-roslagens-arkiv/e-arkiv   (also via integrationsplattform, longer)
//   vallentuna/e-tjanst (critical)          → upplands-vasby/integrationsplattform → sodra-roslagens-arkiv/e-arkiv
// Not hit: vallentuna/arkivsok-ny (planned), vallentuna/gammal-tjanst (retired), every soft/hard item.
//
// Other capabilities and standards:
//   integration-platform  kommun: upplands-vasby (own) + vallentuna (e-tjanst depends directly on
//                         upplands-vasby/integrationsplattform) = 2, population 85 442; region 0
//   eid-staff             kommun: osteraker only, through the national inera/siths = 1, population 49 787
//   case-management       kommun: upplands-vasby + osteraker = 2, population 100 110
//   e-service             kommun: vallentuna (e-tjanst; its other two e-services are planned/retired) = 1,
//                         population 35 119; region 1 (forskningsportal)
//   standard fgs-paket    only from own running items: kommun osteraker = 1 (vallentuna's is planned,
//                         upplands-vasby only depends on the förbund's) population 49 787; region 1
//                         (retiring e-arkiv); forbund 1
//
// Export: 23 items, 27 dependencies of which 9 cross organisations (see ImpactCoverageExportTests).

enum CoverageFixture {
    static let upplandsVasby = """
        inventory: 1
        organisation:
          id: upplands-vasby
          name: Upplands Väsby kommun
          type: kommun
          code: "0114"

        services:
          - id: skolplattform
            name: Skolplattform
            capability: school-platform
            depends_on: [server]

          - id: diarium
            name: 'Ärende- och dokumenthantering, "Public 360"'
            capability: case-management
            depends_on: [integrationsplattform]

          - id: omsorg
            name: Verksamhetssystem omsorg
            capability: social-care-records
            critical: true
            depends_on: [integrationsplattform, sodra-roslagens-arkiv/e-arkiv, server]

        soft:
          - id: integrationsplattform
            name: Integrationsplattform
            capability: integration-platform
            depends_on: [sodra-roslagens-arkiv/e-arkiv, server]

        hard:
          - id: server
            name: Serverhall
            capability: datacenter

        """

    static let vallentuna = """
        inventory: 1
        organisation:
          id: vallentuna
          name: Vallentuna kommun
          type: kommun
          code: "0115"

        services:
          - id: e-tjanst
            name: E-tjänsteplattform
            capability: e-service
            critical: true
            depends_on: [upplands-vasby/integrationsplattform, server]

          - id: arkivsok-ny
            name: Arkivsök (planerad)
            capability: e-service
            status: planned
            depends_on: [sodra-roslagens-arkiv/e-arkiv]

          - id: gammal-tjanst
            name: Gamla e-tjänster
            capability: e-service
            status: retired
            depends_on: [sodra-roslagens-arkiv/e-arkiv]

        soft:
          - id: nytt-arkiv
            name: Eget e-arkiv (planerat)
            capability: e-archive
            status: planned
            standards: [fgs-paket]
            depends_on: [server]

          - id: arkivkoppling
            name: Arkivkoppling
            capability: integration
            depends_on: [sodra-roslagens-arkiv/e-arkiv-2, sodra-roslagens-arkiv/gammalt-arkiv, server]

        hard:
          - id: server
            name: Serverhall
            capability: datacenter

        """

    static let osteraker = """
        inventory: 1
        organisation:
          id: osteraker
          name: Österåkers kommun
          type: kommun
          code: "0117"

        services:
          - id: diarium
            name: Diarium
            capability: case-management
            depends_on: [e-arkiv, inera/siths]

        soft:
          - id: e-arkiv
            name: E-arkiv
            capability: e-archive
            standards: [fgs-paket]
            product: "Arkivsystem, version 5"
            depends_on: [server]

        hard:
          - id: server
            name: Serverhall
            capability: datacenter
            sensitivity: restricted
            product: HPE Synergy
            vendor: Hewlett Packard Enterprise
            notes: Serverhallen i källaren under kommunhuset

        """

    static let regionStockholm = """
        inventory: 1
        organisation:
          id: region-stockholm
          name: Region Stockholm
          type: region
          code: "01"

        services:
          - id: forskningsportal
            name: Forskningsportal
            capability: e-service
            depends_on: [sodra-roslagens-arkiv/arkivsok, server]

          - id: journal
            name: Vårdjournal
            capability: healthcare-records
            critical: true
            depends_on: [e-arkiv, server]

        soft:
          - id: e-arkiv
            name: Regionarkiv
            capability: e-archive
            status: retiring
            standards: [fgs-paket]
            depends_on: [server]

        hard:
          - id: server
            name: Datacenter
            capability: datacenter

        """

    static let forbund = """
        inventory: 1
        organisation:
          id: sodra-roslagens-arkiv
          name: Södra Roslagens arkivförbund
          type: forbund
          county: "01"
          members: [upplands-vasby, vallentuna]

        services:
          - id: arkivsok
            name: Arkivsök
            capability: e-service
            depends_on: [e-arkiv]

        soft:
          - id: e-arkiv
            name: Gemensamt e-arkiv
            capability: e-archive
            standards: [fgs-paket]
            depends_on: [drift]

          - id: e-arkiv-2
            name: Nästa e-arkiv
            capability: e-archive
            status: planned
            depends_on: [drift]

          - id: gammalt-arkiv
            name: Gammalt e-arkiv
            capability: e-archive
            status: retired
            depends_on: [drift]

        hard:
          - id: drift
            name: Drift
            capability: datacenter

        """

    static let files = [
        "fixture/upplands-vasby.yaml": upplandsVasby,
        "fixture/vallentuna.yaml": vallentuna,
        "fixture/osteraker.yaml": osteraker,
        "fixture/region-stockholm.yaml": regionStockholm,
        "fixture/sodra-roslagens-arkiv.yaml": forbund,
    ]
}
