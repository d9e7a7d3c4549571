// Micro-benchmarks of the SwitchboardCore hot paths, run by package-benchmark's plugin:
// `SWITCHBOARD_MICROBENCHMARKS=1 swift package --scratch-path .build-micro benchmark --target SwitchboardMicro`.
// See Benchmarks/README.md, "Micro-benchmarks".
import Benchmark

/// The benchmarks of this target; package-benchmark's generated `@main` calls this once.
let benchmarks: @Sendable () -> Void = {
    // Each benchmark runs its operation `scaledIterations` (1,000) times per sample, so the per-sample
    // overhead of reading clocks and counters vanishes. The text output divides time and mallocs by 1,000
    // (the rows marked `*`): one operation. `.instructions` shows only where the kernel exposes a hardware PMU.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 10_000
    )
    MessageBenchmarks.register()
    RoutingBenchmarks.register()
    EventBenchmarks.register()
    SecurityBenchmarks.register()
    TrafficBenchmarks.register()
}
