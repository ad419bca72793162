import Foundation

/// The process's memory as Linux reports it, for `--timings`: how much of a country's
/// scan is held after each stage.
public enum ResidentMemory {
    /// Resident set size now, in bytes (`/proc/self/statm`); nil where there is no /proc.
    public static func current() -> Int? {
        guard let fields = read("/proc/self/statm")?.split(separator: " "), fields.count > 1,
              let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The highest resident set size so far, in bytes (`VmHWM` of `/proc/self/status`).
    public static func peak() -> Int? {
        guard let status = read("/proc/self/status"),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kB = Int(line.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        else { return nil }
        return kB * 1024
    }

    /// `bytes` in MiB, as `--timings` prints it.
    public static func mebibytes(_ bytes: Int) -> String { "\(bytes >> 20) MiB" }

    private static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
