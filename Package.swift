// swift-tools-version:6.2
import PackageDescription

/// Every dcr target treats warnings as errors, so "no warnings in a release build" is a property
/// of every build rather than a check someone has to remember.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "dcr",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dcrd", targets: ["dcrd"]),
        .executable(name: "dcrctl", targets: ["dcrctl"]),
        // For the libFuzzer package under Fuzz/ (a path dependency sees only products).
        .library(name: "DCRFuzzable", targets: ["DCRModel", "DCRConfig", "DCRWire", "DCRServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        // System libraries: a module map each, nothing else.
        .systemLibrary(name: "CProtobufC", pkgConfig: "libprotobuf-c",
                       providers: [.apt(["libprotobuf-c-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd",
                       providers: [.apt(["libsystemd-dev"])]),
        // protoc-c output for Proto/dcr/v1/dcr.proto (`make proto`); never edited by hand.
        .target(name: "DCRProtoC", dependencies: ["CProtobufC"]),

        .target(name: "DCRModel", swiftSettings: strict),
        .target(name: "DCRConfig", dependencies: ["DCRModel"], swiftSettings: strict),
        .target(name: "DCRWire", dependencies: [
            "DCRModel", "DCRProtoC", "CProtobufC",
            .product(name: "NIOCore", package: "swift-nio"),
        ], swiftSettings: strict),
        .target(name: "DCRCounters", dependencies: ["DCRModel"], swiftSettings: strict),
        .target(name: "DCRStore", dependencies: [
            "DCRModel",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "DCRSystemd", dependencies: [
            "CSystemd",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        // The daemon's Prometheus families: names, HELP, and how each is fed.
        .target(name: "DCRMetrics", dependencies: [
            "DCRModel", .product(name: "Prometheus", package: "swift-prometheus"),
        ], swiftSettings: strict),
        // The read-only HTTP side: /metrics, the wall screen and its event stream (NIOHTTP1).
        .target(name: "DCRDashboard", dependencies: [
            "DCRModel",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: strict),
        // Every stored event, in store order, to a central PostgreSQL (postgres-nio); off the
        // acknowledgement path.
        .target(name: "DCRForward", dependencies: [
            "DCRModel", "DCRConfig", "DCRStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),
        .target(name: "DCRServer", dependencies: [
            "DCRModel", "DCRConfig", "DCRWire", "DCRCounters", "DCRStore", "DCRSystemd", "DCRMetrics", "DCRDashboard", "DCRForward",
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOTLS", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        .target(name: "DCRClient", dependencies: [
            "DCRModel", "DCRConfig", "DCRWire",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ], swiftSettings: strict),
        .target(name: "DCRSimulator", dependencies: ["DCRModel"], swiftSettings: strict),
        // The council's document: tables, SVG charts, suppression, Danish and English; pure.
        .target(name: "DCRDocument", dependencies: ["DCRModel"], swiftSettings: strict),
        // Screen layout for `dcrctl top`: pure functions of state and size, tested without a terminal.
        .target(name: "DCRConsole", dependencies: ["DCRModel"], swiftSettings: strict),

        .executableTarget(name: "dcrd", dependencies: [
            "DCRServer", "DCRConfig", "DCRModel", "DCRSystemd", "DCRStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        .executableTarget(name: "dcrctl", dependencies: [
            "DCRClient", "DCRConfig", "DCRSimulator", "DCRConsole", "DCRDocument", "DCRStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        // Decodes many valid and hostile frames; run under valgrind by `make test-leaks`.
        .executableTarget(name: "dcr-codec-check", dependencies: ["DCRWire"], swiftSettings: strict),
        // Load generator for Benchmarks/README.md: acked events/s, ack latency percentiles.
        .executableTarget(name: "dcr-load", dependencies: ["DCRClient", "DCRConfig", "DCRModel", "DCRWire"], swiftSettings: strict),

        // Test support shared by the test targets (not shipped).
        .target(name: "DCRTestSupport", path: "Tests/DCRTestSupport", swiftSettings: strict),
        .testTarget(name: "DCRModelTests", dependencies: ["DCRModel"], swiftSettings: strict),
        .testTarget(name: "DCRConfigTests", dependencies: ["DCRConfig"], swiftSettings: strict),
        .testTarget(name: "DCRWireTests", dependencies: [
            "DCRWire",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOTestUtils", package: "swift-nio"),
        ], swiftSettings: strict),
        .testTarget(name: "DCRCountersTests", dependencies: ["DCRCounters"], swiftSettings: strict),
        .testTarget(name: "DCRStoreTests", dependencies: ["DCRStore"], swiftSettings: strict),
        .testTarget(name: "DCRSystemdTests", dependencies: ["DCRSystemd", "DCRTestSupport"], swiftSettings: strict),
        .testTarget(name: "DCRSimulatorTests", dependencies: ["DCRSimulator"], swiftSettings: strict),
        .testTarget(name: "DCRDocumentTests", dependencies: ["DCRDocument", "DCRModel"], swiftSettings: strict),
        .testTarget(name: "DCRDashboardTests", dependencies: [
            "DCRDashboard", "DCRMetrics", "DCRModel",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: strict),
        .testTarget(name: "DCRConsoleTests", dependencies: ["DCRConsole", "DCRModel"], swiftSettings: strict),
        // The connection pipeline on EmbeddedChannel over an in-memory event log, and its state
        // machine on its own.
        .testTarget(name: "DCRServerTests", dependencies: [
            "DCRServer", "DCRClient", "DCRWire", "DCRModel", "DCRConfig", "DCRStore", "DCRSystemd",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: strict),
        .testTarget(name: "IntegrationTests", dependencies: [
            "DCRClient", "DCRConfig", "DCRTestSupport", "DCRWire", "DCRModel",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], swiftSettings: strict),
    ]
)
