import Foundation
import InfraModel
@preconcurrency import Rainbow

/// Applies ANSI styles through Rainbow, or nothing at all.
///
/// Rainbow decides by itself whether to colour (its global `enabled`, from NO_COLOR /
/// FORCE_COLOR, and `outputTarget`, from isatty). Rendering must depend only on
/// `RenderOptions.color`, so: with colour off Rainbow is never called; with colour on
/// `Terminal.withColor` forces both globals on for the duration of one render,
/// under a lock, and puts them back afterwards.
struct Styler {
    let color: Bool

    func red(_ s: String) -> String { color ? s.red : s }
    func yellow(_ s: String) -> String { color ? s.yellow : s }
    func cyan(_ s: String) -> String { color ? s.cyan : s }
    func green(_ s: String) -> String { color ? s.green : s }
    func bold(_ s: String) -> String { color ? s.bold : s }
    func dim(_ s: String) -> String { color ? s.dim : s }

    func severity(_ severity: Severity, _ s: String) -> String {
        switch severity {
        case .error: bold(red(s))
        case .warning: bold(yellow(s))
        case .info: bold(cyan(s))
        }
    }
}

enum Terminal {
    private static let lock = NSLock()

    /// Runs `body` with a `Styler`; when `color` is true, Rainbow is forced on while it runs.
    static func render(color: Bool, _ body: (Styler) -> String) -> String {
        guard color else { return body(Styler(color: false)) }
        lock.lock()
        defer { lock.unlock() }
        let (enabled, target) = (Rainbow.enabled, Rainbow.outputTarget)
        Rainbow.enabled = true
        Rainbow.outputTarget = .console
        defer {
            Rainbow.enabled = enabled
            Rainbow.outputTarget = target
        }
        return body(Styler(color: true))
    }
}
