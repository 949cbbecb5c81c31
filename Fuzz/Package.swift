// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets for dcr, apart from the main package so that its `swift build`/`swift test`
/// never see the sanitizer flags. Built by `make fuzz-build` (see Fuzz/README.md):
///
///     swift build -c release --package-path Fuzz --scratch-path .build-fuzz \
///       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing
///
/// `-enable-testing` lets the session target reach `Session`, which the daemon keeps internal.
let package = Package(
    name: "dcr-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "dcr", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        // libFuzzer's driver entry, declared for Swift (the library comes with -sanitize=fuzzer).
        .target(name: "CLibFuzzer"),
        // (a) bytes → FrameDecoder → codec → EventRules, with a round-trip oracle.
        .executableTarget(name: "FuzzDecode", dependencies: [
            "CLibFuzzer",
            .product(name: "DCRFuzzable", package: "dcr"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        // (b) frames cut at random boundaries into the real connection pipeline, in memory.
        .executableTarget(name: "FuzzSession", dependencies: [
            "CLibFuzzer",
            .product(name: "DCRFuzzable", package: "dcr"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // (c) the configuration file parser.
        .executableTarget(name: "FuzzConfig", dependencies: [
            "CLibFuzzer",
            .product(name: "DCRFuzzable", package: "dcr"),
        ]),
    ]
)
