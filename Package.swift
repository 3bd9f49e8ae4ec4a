// swift-tools-version:6.0
// gradbook: a terminal notebook for learning how neural networks work from scratch.
//
// Dependencies point one way: gradbook (executable) → Notebook and Benchmarks; Notebook →
// NotebookLanguage and Makemore → Engine; Makemore and Notebook read and write files through SafeFiles;
// Benchmarks → NativeMicrograd (micrograd compiled, to set beside the interpreter).
import PackageDescription

/// Release builds are tuned for the machine that builds them (users build from source): AVX2 and FMA
/// where the CPU has them, so SIMD loops and `addingProduct` become vector fused multiply-adds.
/// Debug builds stay portable.
/// The interpreter's objects are used by one thread at a time (a cell runs on one thread, which the
/// next cell's thread joins after): in release builds its reference counting is not atomic. The
/// notebook, which copies the interpreter's values too, counts the same way: the copy and destroy
/// helpers of a value type are emitted in every module that copies it and the linker keeps the
/// first (Notebook's objects come before NotebookLanguage's), so with the notebook atomic every
/// copy of a value in the interpreter was an atomic count (34% of the samples of micrograd's
/// training loop, 6% after).
/// The notebook starts no thread of its own (graph --svg spawns dot and waits); the engine's worker
/// threads touch only engine objects, and the engine, Makemore and the benchmarks stay atomic.
let interpreterSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-assume-single-threaded"], .when(configuration: .release))
]

let tunedForBuildMachine: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=native", "-enforce-exclusivity=unchecked"], .when(configuration: .release))
]

/// The numeric targets are optimised and tuned in debug builds too: unoptimised, and without the
/// CPU's fused multiply-add (each `addingProduct` becomes a call into libm), their kernels run 50×
/// slower, which made the test suite and the lesson checks crawl. Results are the same: a fused
/// multiply-add rounds once whether the CPU or libm does it. The notebook, the executable and the
/// tests stay unoptimised for debugging.
let numeric: [SwiftSetting] =
    tunedForBuildMachine + [
        .unsafeFlags(["-O", "-Xcc", "-march=native", "-enforce-exclusivity=unchecked"], .when(configuration: .debug))
    ]

let package = Package(
    name: "gradbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gradbook", targets: ["gradbook"]),
        .library(name: "Engine", targets: ["Engine"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // MARK: Engine: scalar `Value` and `Tensor` autograd, layers, optimizers, schedules, generator
        .target(
            name: "Engine",
            dependencies: ["CMaskedVectors"],
            swiftSettings: numeric
        ),

        // MARK: CMaskedVectors: masked loads and stores of 16 floats (AVX-512, or loops without it)
        .target(name: "CMaskedVectors"),

        // MARK: SafeFiles: reading and writing the user's files without ever tearing or replacing one
        .target(name: "SafeFiles"),

        // MARK: Makemore: the names dataset and the character-level language models
        .target(
            name: "Makemore",
            dependencies: ["Engine", "SafeFiles"],
            swiftSettings: numeric
        ),

        // MARK: NotebookLanguage: the Python subset typed at the prompt (lexer, parser, interpreter, built-ins)
        .target(
            name: "NotebookLanguage",
            dependencies: ["Engine", "SafeFiles"],
            swiftSettings: tunedForBuildMachine + interpreterSettings
        ),

        // MARK: Notebook: the commands, session scripts, rendering and the REPL loop
        .target(
            name: "Notebook",
            dependencies: [
                "Engine",
                "Makemore",
                "NotebookLanguage",
                "SafeFiles",
                "Tokenizer",
                "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ],
            swiftSettings: tunedForBuildMachine + interpreterSettings
        ),

        // MARK: GNU readline, linked from the system (libreadline-dev)
        .systemLibrary(
            name: "CReadline",
            providers: [.apt(["libreadline-dev"])]
        ),

        // MARK: Tokenizer: byte-pair encoding, as minbpe ("Let's build the GPT Tokenizer")
        .target(
            name: "Tokenizer",
            swiftSettings: tunedForBuildMachine
        ),

        // MARK: Benchmarks: the named workloads `gradbook bench` times
        .target(
            name: "Benchmarks",
            dependencies: ["Engine", "Makemore", "Tokenizer", "NotebookLanguage", "NativeMicrograd"],
            swiftSettings: tunedForBuildMachine
        ),

        // MARK: NativeMicrograd: the interpreter benchmark's micrograd program compiled, for scale
        // (built as the interpreter is, so that the two differ only in being compiled or interpreted)
        .target(
            name: "NativeMicrograd",
            swiftSettings: tunedForBuildMachine + interpreterSettings
        ),

        // MARK: The thin executable
        .executableTarget(
            name: "gradbook",
            dependencies: [
                "Notebook",
                "NotebookLanguage",
                "Benchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),

        // MARK: The fuzzer (scripts/fuzz builds it with -sanitize=fuzzer)
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "gradbook-fuzz",
            dependencies: ["Notebook", "NotebookLanguage", "CFuzzerDriver"]
        ),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: ["Engine"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport"]),
        .testTarget(name: "MakemoreTests", dependencies: ["Makemore", "TestSupport"]),
        .testTarget(name: "TokenizerTests", dependencies: ["Tokenizer", "TestSupport"]),
        .testTarget(name: "NativeMicrogradTests", dependencies: ["NativeMicrograd", "Engine"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "NotebookLanguage", "TestSupport"])
    ]
)
