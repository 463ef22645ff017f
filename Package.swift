// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "muster",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "muster", targets: ["muster"]),
        .library(name: "MusterCore", targets: ["MusterCore"]),
        .library(name: "MusterSSH", targets: ["MusterSSH"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // libssh2 (Debian's 1.10) plus libcrypto for local SHA-256; static inline
        // wrappers in shim.h stand in for libssh2's function-like macros.
        .systemLibrary(
            name: "CLibSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"])]
        ),
        // The SSH transport: non-blocking libssh2 sessions driven by poll() loops
        // that double as Swift executors, so no blocking call reaches the cooperative pool.
        .target(name: "MusterSSH", dependencies: ["CLibSSH2"]),
        // Inventories, host selection, fleet execution and result reporting.
        .target(name: "MusterCore", dependencies: ["MusterSSH", .product(name: "Yams", package: "Yams")]),
        // The run history (SQLite through GRDB), apart from MusterCore so that GRDB, the
        // largest dependency, compiles alongside MusterCore and only what records or reads
        // runs imports it.
        .target(name: "MusterState", dependencies: ["MusterCore", "MusterSSH", .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(
            name: "muster",
            dependencies: [
                "MusterCore",
                "MusterState",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MusterSSHTests", dependencies: ["MusterSSH"]),
        // Against the real OpenSSH hosts of scripts/testbed, and the built muster binary.
        .testTarget(name: "IntegrationTests", dependencies: ["MusterSSH", "MusterCore", "MusterState"]),
        .testTarget(name: "MusterCoreTests", dependencies: ["MusterCore", "MusterState"], exclude: ["Fixtures"]),
    ]
)
