// swift-tools-version: 6.1
//
// Tongwen (同文): full-text search for Chinese speeches in both scripts.
// Dependencies point one way:
//   tongwen (CLI) ─► TongwenServer ─► TongwenSearch ─► TongwenIndex ─► TongwenAnalysis ─► CICUShim ─► CICU (libicu)
//                └─► TongwenIngest ──────────────────────┘        │                 └─► COpenCCShim ─► COpenCC (libopencc)
//                                                                   └─► CCompressionShim ─► zlib, liblzma
import PackageDescription

let package = Package(
    name: "Tongwen",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tongwen", targets: ["tongwen"]),
        .library(name: "TongwenAnalysis", targets: ["TongwenAnalysis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // One trait, not the default two: SwiftPM orders two traits' -D flags differently from one
        // build plan to the next, and every re-plan then recompiled Hummingbird (~40 s). We use
        // no swift-configuration support.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        // MARK: C interop (private modules)
        .systemLibrary(
            name: "CICU",
            pkgConfig: "icu-i18n",
            providers: [.apt(["libicu-dev", "pkg-config"])]
        ),
        .target(name: "CICUShim", dependencies: ["CICU"]),
        .systemLibrary(
            name: "COpenCC",
            providers: [.apt(["libopencc-dev"])]
        ),
        .target(name: "COpenCCShim", dependencies: ["COpenCC"], linkerSettings: [.linkedLibrary("opencc")]),
        .systemLibrary(
            name: "CCompression",
            providers: [.apt(["zlib1g-dev", "liblzma-dev"])]
        ),
        .target(
            name: "CCompressionShim", dependencies: ["CCompression"],
            linkerSettings: [.linkedLibrary("z"), .linkedLibrary("lzma")]
        ),

        // MARK: Libraries
        .target(name: "TongwenAnalysis", dependencies: ["CICUShim", "COpenCCShim"]),
        .target(name: "TongwenIndex", dependencies: ["TongwenAnalysis", "CCompressionShim"]),
        .target(name: "TongwenSearch", dependencies: ["TongwenIndex", "TongwenAnalysis"]),
        .target(name: "TongwenDupes", dependencies: ["TongwenIndex", "TongwenAnalysis"]),
        .target(
            name: "TongwenServer",
            dependencies: [
                "TongwenSearch", "TongwenDupes", "TongwenIndex", "TongwenAnalysis",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "TongwenIngest", dependencies: ["TongwenIndex", "TongwenAnalysis", "CCompressionShim"]),

        // MARK: Executables
        .executableTarget(
            name: "tongwen",
            dependencies: [
                "TongwenAnalysis",
                "TongwenIndex",
                "TongwenIngest",
                "TongwenSearch",
                "TongwenServer",
                "TongwenDupes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "TongwenBench", dependencies: ["TongwenAnalysis", "TongwenSearch", "TongwenDupes", "CICUShim"]),

        // MARK: Tests
        .target(name: "TongwenTestSupport", dependencies: ["TongwenIndex", "TongwenIngest", "CICUShim"], path: "Tests/TongwenTestSupport"),
        .testTarget(name: "TongwenAnalysisTests", dependencies: ["TongwenAnalysis", "TongwenTestSupport"]),
        .testTarget(name: "TongwenIndexTests", dependencies: ["TongwenIndex", "TongwenAnalysis", "TongwenTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "TongwenSearchTests",
            dependencies: ["TongwenSearch", "TongwenIndex", "TongwenAnalysis", "TongwenTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "TongwenServerTests",
            dependencies: [
                "TongwenServer", "TongwenSearch", "TongwenIndex", "TongwenDupes", "TongwenTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "TongwenDupesTests", dependencies: ["TongwenDupes", "TongwenIndex", "TongwenSearch", "TongwenAnalysis", "TongwenTestSupport"]),
        // The crash tests' writer: the indexer with a kill hook, never shipped.
        .executableTarget(name: "tongwen-crash-writer", dependencies: ["TongwenIngest", "TongwenIndex"], path: "Tests/CrashWriter"),
        .testTarget(name: "TongwenCLITests", dependencies: ["tongwen", "tongwen-crash-writer", "TongwenIndex", "TongwenTestSupport"]),
        .testTarget(name: "TongwenIngestTests", dependencies: ["TongwenIngest", "TongwenIndex", "TongwenTestSupport"]),
    ]
)
