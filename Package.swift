// swift-tools-version: 6.1
import PackageDescription

// One pipeline, one direction: load → resolve → check → measure → render.
// Each stage is its own target; see docs/architecture.md.
let package = Package(
    name: "infra",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "infra", targets: ["infra"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.2.2"),
    ],
    targets: [
        // The system libyaml (Debian: libyaml-dev), read as an event stream.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // Graphviz's cgraph + gvc (Debian: libgraphviz-dev), for `infra graph` in process.
        .systemLibrary(name: "CGraphviz", pkgConfig: "libgvc", providers: [.apt(["libgraphviz-dev"])]),
        // SQLite (Debian: libsqlite3-dev), for snapshots and history.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "InfraModel"),
        .target(
            name: "InfraLoad", dependencies: ["InfraModel", "CYAML"],
            // The parser is a class walked millions of times per country scan; dynamic
            // exclusivity checks cost ~10% there. Debug builds (and tests) keep them.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(name: "InfraReference", dependencies: ["InfraModel", "InfraLoad"]),
        .target(name: "InfraGraph", dependencies: ["InfraModel"]),
        .target(name: "InfraChecks", dependencies: ["InfraModel", "InfraGraph"]),
        .target(name: "InfraReport", dependencies: ["InfraModel", "Rainbow"]),
        // Pictures of the graph for `infra graph`: DOT, Mermaid, JSON, GraphML; SVG/PNG/PDF via Graphviz.
        .target(name: "InfraDraw", dependencies: ["InfraModel", "InfraGraph", "InfraReport", "CGraphviz"]),
        // Snapshots of scans in SQLite: history, diff, trend, findings baselines.
        .target(name: "InfraStore", dependencies: ["InfraModel", "CSQLite"]),
        // Runs load → resolve → check for the commands and the end-to-end tests.
        .target(name: "InfraPipeline", dependencies: ["InfraModel", "InfraLoad", "InfraReference", "InfraGraph", "InfraChecks"]),
        .executableTarget(
            name: "infra",
            dependencies: [
                "InfraModel", "InfraLoad", "InfraReference", "InfraGraph", "InfraChecks", "InfraReport", "InfraPipeline", "InfraDraw", "InfraStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "InfraLoadTests", dependencies: ["InfraLoad", "InfraModel"], exclude: ["Fixtures"]),
        .testTarget(
            name: "InfraChecksTests",
            dependencies: ["InfraChecks", "InfraLoad", "InfraGraph", "InfraReference", "InfraModel", "InfraPipeline"]
        ),
        .testTarget(name: "InfraReportTests", dependencies: ["InfraReport", "InfraModel"]),
        .testTarget(name: "EndToEndTests", dependencies: ["InfraModel"]),
        .testTarget(name: "InfraStoreTests", dependencies: ["InfraStore", "InfraModel"]),
        .testTarget(name: "InfraDrawTests", dependencies: ["InfraDraw", "InfraLoad", "InfraGraph", "InfraModel"]),
    ],
    swiftLanguageModes: [.v6]
)
