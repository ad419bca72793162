import Foundation

/// glibc's malloc settings for a big scan, applied by starting infra again.
///
/// A country (45 MB of YAML, ~300 MB in memory) costs many page faults with glibc's
/// defaults: each arena grows its heap a few pages at a time and gives memory back as it
/// goes. With heaps grown 64 MiB at a time (`top_pad`) and never trimmed, a country scan
/// takes ~3% less time (10 alternating pairs: 0.845 → 0.820 s). Transparent huge pages
/// (`glibc.malloc.hugetlb=1`, used from session 5 to 10) were dropped in session 11: right
/// after another process had freed much memory (a build, the Python peer), the kernel took
/// 0.3–0.6 s more to hand them out and a country scan went from 0.8 s to 1.0–1.7 s
/// (Benchmarks/OPTIMISATIONS.md). These settings
/// are glibc tunables, read only when a process starts; so when the files to read add up to
/// `defaultThreshold` bytes or more, infra starts itself again (`execv` of /proc/self/exe,
/// same arguments) with them in `GLIBC_TUNABLES`. That costs one process start (~6 ms)
/// and happens before anything is read, written or printed. Small inputs (one municipality,
/// a CI check of a few files) never restart.
///
/// `INFRA_MALLOC_TUNING=off` turns it off; a `GLIBC_TUNABLES` that already sets a
/// `glibc.malloc` tunable is left as it is. Tunables the caller set are kept, after these
/// (so theirs win). The new process has `INFRA_MALLOC_TUNED=1`, so it never starts again,
/// and children it runs (git, dot) inherit both variables, which only tune their malloc.
enum MallocTuning {
    static let tunables = "glibc.malloc.top_pad=67108864:glibc.malloc.trim_threshold=4294967295"
    /// 8 MB of YAML is ~45,000 items: a scan of ~0.2 s, where the restart is ~5%.
    static let defaultThreshold = 8 << 20

    /// Whether this process is the one infra started again with the settings.
    static var restarted: Bool { ProcessInfo.processInfo.environment["INFRA_MALLOC_TUNED"] == "1" }

    /// Starts infra again with the settings when `files` are big enough; returns when it
    /// does not (small input, turned off, already tuned, or `execv` failed).
    static func restartIfLarge(_ files: [String]) {
        let environment = ProcessInfo.processInfo.environment
        if environment["INFRA_MALLOC_TUNING"] == "off" || restarted
            || environment["GLIBC_TUNABLES"]?.contains("glibc.malloc.") == true { return }
        // The threshold can be lowered (tests run the restart on small fixtures).
        let threshold = environment["INFRA_MALLOC_TUNING_MIN_BYTES"].flatMap(Int.init) ?? defaultThreshold
        var total = 0
        var status = stat()
        for file in files where stat(file, &status) == 0 {
            total += Int(status.st_size)
            if total >= threshold { break }
        }
        guard total >= threshold else { return }

        let existing = environment["GLIBC_TUNABLES"] ?? ""
        setenv("GLIBC_TUNABLES", existing.isEmpty ? tunables : tunables + ":" + existing, 1)
        setenv("INFRA_MALLOC_TUNED", "1", 1)  // so that the new process does not start again
        fflush(nil)
        // The arguments exactly as given (bytes, not Strings: a path need not be UTF-8).
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: execv failed; go on untuned, with the caller's environment as it was.
        if existing.isEmpty { unsetenv("GLIBC_TUNABLES") } else { setenv("GLIBC_TUNABLES", existing, 1) }
        unsetenv("INFRA_MALLOC_TUNED")
    }
}
